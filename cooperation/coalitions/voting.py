"""Weighted voting games: Shapley-Shubik and Banzhaf power by dynamic programming.

A weighted voting game ``[q; w_1, ..., w_n]`` has ``v(S) = 1`` when
``w(S) = sum_{i in S} w_i >= q`` and 0 otherwise. Player ``i`` is *pivotal*
for a coalition ``T`` of others when ``q - w_i <= w(T) < q``.

* Shapley-Shubik index (Shapley and Shubik 1954)::

      SS_i = sum_{s, w : q - w_i <= w < q} c_i(s, w) s! (n - s - 1)! / n!

  where ``c_i(s, w)`` counts the coalitions of ``s`` other players with
  weight ``w``, computed by the knapsack recursion
  ``c(s, w) += c(s - 1, w - w_j)`` over the other players, truncated at
  ``w < q`` (heavier coalitions are never pivotal). Players of equal weight
  share one table: ``O(d n**2 q)`` for ``d`` distinct weights.
* Banzhaf (1965): the swing count ``eta_i = #{T : q - w_i <= w(T) < q}`` from
  the same recursion without the size index, ``O(d n q)``; raw value
  ``eta_i / 2**(n-1)``, index ``eta_i / sum_j eta_j``.

Exact (floating-point counts, no sampling) for hundreds of players.

References
----------
Shapley, L. S. and Shubik, M. (1954). A method for evaluating the
distribution of power in a committee system. *APSR* 48, 787-792.
Mann, I. and Shapley, L. S. (1962). Values of large games VI: evaluating the
electoral college exactly. RAND RM-3158.
Matsui, T. and Matsui, Y. (2000). A survey of algorithms for calculating
power indices of weighted majority games. *J. Oper. Res. Soc. Japan* 43, 71-86.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._result import ResultMixin
from ..errors import InputError
from ._bits import subset_sums
from .tu_game import MAX_PLAYERS, TUGame, _player_labels

__all__ = ["WeightedVotingGame"]


@dataclass(frozen=True, repr=False)
class WeightedVotingGame(ResultMixin):
    """Weighted voting game ``[quota; weights]``: a coalition wins when its weight
    reaches the quota.

    Parameters
    ----------
    weights : sequence of int >= 0
        Integer weights (the dynamic programme runs over weights; scale
        decimal weights to integers first).
    quota : float > 0
        A coalition wins iff its total weight is ``>= quota``.
    players : sequence of str, optional

    Examples
    --------
    >>> import cooperation as co
    >>> unsc = co.WeightedVotingGame([7] * 5 + [1] * 10, 39)   # UN Security Council
    >>> ss = co.shapley(unsc)
    >>> round(float(ss.iloc[0]), 6), round(float(ss.iloc[-1]), 6)
    (0.19627, 0.001865)
    """

    weights: np.ndarray
    quota: float
    players: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        w = np.asarray(self.weights)
        if w.ndim != 1 or w.size == 0:
            raise InputError("must be a non-empty list of weights", field="weights",
                             value=list(np.atleast_1d(w)))
        wf = np.asarray(w, dtype=float)
        if not np.all(np.isfinite(wf)) or np.any(wf < 0) or np.any(wf != np.round(wf)):
            raise InputError("weights must be integers >= 0 (scale decimal weights first)",
                             field="weights", value=wf.tolist())
        q = float(self.quota)
        if not math.isfinite(q) or q <= 0:
            raise InputError("must be a finite number > 0", field="quota", value=self.quota)
        wi = wf.astype(np.int64)
        wi.setflags(write=False)
        object.__setattr__(self, "weights", wi)
        object.__setattr__(self, "quota", q)
        object.__setattr__(self, "players", _player_labels(self.players, wi.size))

    @property
    def n_players(self) -> int:
        return int(self.weights.size)

    @property
    def _q(self) -> int:
        """Integer quota: winning iff integer weight >= ceil(quota)."""
        return int(math.ceil(self.quota))

    def is_winning(self, coalition) -> bool:
        names = [coalition] if isinstance(coalition, str) else list(coalition)
        idx = [self.players.index(p) if p in self.players else None for p in names]
        if None in idx:
            bad = names[idx.index(None)]
            raise InputError(f"unknown player; players are {list(self.players)}",
                             field="coalition", value=bad)
        return bool(self.weights[idx].sum() >= self.quota)

    def to_tugame(self) -> TUGame:
        """The simple game as a full table (``n <= 26``)."""
        if self.n_players > MAX_PLAYERS:
            raise InputError(f"a full table of 2**{self.n_players} coalitions does not fit",
                             field="n_players", value=self.n_players,
                             fix="use shapley()/banzhaf() on the voting game itself")
        vals = (subset_sums(self.weights.astype(float)) >= self.quota).astype(float)
        return TUGame(vals, self.players, name=f"[{self.quota:g}; weights]")

    # ------------------------------------------------------------------ power indices
    def _classes(self):
        w = self.weights
        uniq, inverse = np.unique(w, return_inverse=True)
        return uniq, inverse

    def shapley(self) -> pd.Series:
        """Shapley-Shubik index by the size-and-weight knapsack DP (see module notes)."""
        n, q = self.n_players, self._q
        w = self.weights
        uniq, inverse = self._classes()
        coef = np.array([1.0 / (n * math.comb(n - 1, s)) for s in range(n)])
        out_cls = np.zeros(uniq.size)
        for c, wc in enumerate(uniq):
            others = np.delete(w, np.flatnonzero(inverse == c)[0])
            C = np.zeros((n, q))
            C[0, 0] = 1.0
            for wj in others:
                if wj >= q:
                    continue
                if wj == 0:
                    C[1:, :] = C[1:, :] + C[:-1, :]
                else:
                    C[1:, wj:] = C[1:, wj:] + C[:-1, : q - wj]
            lo = max(0, q - int(wc))
            out_cls[c] = float((C[:, lo:q].sum(axis=1) * coef).sum()) if lo < q else 0.0
        return pd.Series(out_cls[inverse], index=pd.Index(self.players, name="player"),
                         name="shapley_shubik")

    def swings(self) -> pd.Series:
        """Banzhaf swing counts ``eta_i`` (float; exact below 2**53)."""
        q = self._q
        w = self.weights
        uniq, inverse = self._classes()
        out_cls = np.zeros(uniq.size)
        for c, wc in enumerate(uniq):
            others = np.delete(w, np.flatnonzero(inverse == c)[0])
            B = np.zeros(q)
            B[0] = 1.0
            for wj in others:
                if wj >= q:
                    continue
                if wj == 0:
                    B = 2.0 * B
                else:
                    B[wj:] = B[wj:] + B[: q - wj]
            lo = max(0, q - int(wc))
            out_cls[c] = float(B[lo:q].sum()) if lo < q else 0.0
        return pd.Series(out_cls[inverse], index=pd.Index(self.players, name="player"),
                         name="swings")

    def banzhaf(self, normalized: bool = True) -> pd.Series:
        """Banzhaf index (``normalized``) or raw value ``eta_i / 2**(n-1)``."""
        eta = self.swings()
        if normalized:
            tot = float(eta.sum())
            if tot == 0:
                raise InputError("no player is ever pivotal (the quota is unreachable or 0)",
                                 field="quota", value=self.quota)
            return (eta / tot).rename("banzhaf")
        return (eta / 2.0 ** (self.n_players - 1)).rename("banzhaf")

    def _summary(self):
        return [("quota", f"{self.quota:g}"), ("weights", dict(zip(self.players,
                                                                  self.weights.tolist(),
                                                                  strict=True)))]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"weight": self.weights, "shapley_shubik": self.shapley().values,
                             "banzhaf": self.banzhaf().values},
                            index=pd.Index(self.players, name="player"))

