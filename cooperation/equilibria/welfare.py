"""Social optimum, price of anarchy/stability, cooperation surplus, withdrawal costs.

Definitions (utilitarian welfare ``W(a) = sum_i u_i(a)``):

* social optimum: ``a* = argmax_a W(a)`` (ties: the lexicographically first);
* cooperation surplus: ``W(a*) - W(worst NE)``, what the region loses by
  going it alone (also reported against the best NE);
* price of anarchy (Koutsoupias and Papadimitriou 1999) and price of
  stability (Anshelevich et al. 2004), always >= 1:

  - welfare positive at the optimum and the equilibrium: ``W(a*) / W(NE)``;
  - welfare negative at both (payoffs are costs, the usual case of a hazard
    scenario): the cost ratio ``C(NE) / C(a*) = W(NE) / W(a*)``;
  - both zero: 1; mixed signs or a zero on one side: NaN, with the reason
    in ``poa_note``.

  PoA uses the worst equilibrium, PoS the best. Pure equilibria are used;
  a two-player game without one falls back to its extreme mixed equilibria
  (expected welfare).
* withdrawal cost of jurisdiction ``i`` (the bottleneck report, after the
  coordination-degree analysis of seed paper 003): starting at ``a*``, ``i``
  alone switches to its most profitable other action ``b_i``; the welfare lost
  ``W(a*) - W(b_i, a*_{-i})``, and ``i``'s own gain from leaving
  ``u_i(b_i, a*_{-i}) - u_i(a*)`` (positive: ``a*`` is not self-enforcing for ``i``).

References
----------
Koutsoupias, E. and Papadimitriou, C. (1999). Worst-case equilibria. STACS.
Anshelevich, E. et al. (2004). The price of stability for network design
with fair cost allocation. FOCS.
Roughgarden, T. (2016). *Twenty Lectures on Algorithmic Game Theory*, ch. 11.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._numeric import DUST, RTOL, span
from .._result import ResultMixin
from ..games.model import as_game
from ..games.normal_form import NormalFormGame
from .pure import PureEquilibria, pure_equilibria

__all__ = ["SocialOptimum", "Analysis", "social_optimum", "analyze", "price_ratio"]


@dataclass(frozen=True, repr=False)
class SocialOptimum(ResultMixin):
    """The welfare-maximising profile.

    Attributes
    ----------
    profile : tuple of int
    welfare : float
    payoffs : ndarray (n,)
    ties : list of tuple
        Every profile reaching the optimal welfare (to RTOL times the welfare range).
    """

    profile: tuple
    welfare: float
    payoffs: np.ndarray
    ties: list
    game: NormalFormGame

    def _summary(self):
        return [("profile", self.game.profile_labels(self.profile)),
                ("welfare", f"{self.welfare:.6g} {self.game.unit}".strip()),
                ("optimal profiles", len(self.ties))]

    def to_frame(self) -> pd.DataFrame:
        g = self.game
        return pd.DataFrame({"action": [g.actions[i][a] for i, a in enumerate(self.profile)],
                             "payoff": self.payoffs},
                            index=pd.Index(g.players, name="player"))


def social_optimum(game) -> SocialOptimum:
    """The profile maximising the sum of payoffs.

    Examples
    --------
    >>> import cooperation as co
    >>> pd_game = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> co.social_optimum(pd_game).profile
    (0, 0)
    """
    g = as_game(game)
    W = g.payoffs.sum(axis=0)
    best = W.max()
    flat = int(np.argmax(W))
    prof = tuple(int(x) for x in np.unravel_index(flat, g.shape))
    # ties to a tolerance relative to the welfare range (unit- and offset-free)
    ties = [tuple(int(x) for x in r)
            for r in np.argwhere(best - W <= RTOL * span(W))]
    return SocialOptimum(prof, float(best), g.payoffs[(slice(None),) + prof].copy(), ties, g)


def price_ratio(w_opt: float, w_eq: float) -> tuple[float, str]:
    """``(ratio, note)`` for PoA/PoS under the sign convention of this module."""
    tol = DUST * max(1.0, abs(w_opt), abs(w_eq))
    if abs(w_opt) <= tol and abs(w_eq) <= tol:
        return 1.0, "zero welfare at both"
    if w_opt > tol and w_eq > tol:
        return w_opt / w_eq, "welfare ratio W(opt)/W(NE)"
    if w_opt < -tol and w_eq < -tol:
        return w_eq / w_opt, "cost ratio C(NE)/C(opt) (welfare negative: payoffs are costs)"
    return math.nan, (f"undefined: welfare changes sign or is zero on one side "
                      f"(W(opt) = {w_opt:.6g}, W(NE) = {w_eq:.6g})")


@dataclass(frozen=True, repr=False)
class Analysis(ResultMixin):
    """Non-cooperative analysis of a game (see module docs for definitions).

    Attributes
    ----------
    equilibria : PureEquilibria
    optimum : SocialOptimum
    equilibrium_welfare : ndarray
        Welfare of each equilibrium used (pure, or extreme mixed as fallback).
    equilibrium_kind : str
        ``"pure"``, ``"mixed"`` or ``"none"``.
    price_of_anarchy, price_of_stability : float
    poa_note : str
    cooperation_surplus : float
        ``W(opt) - W(worst NE)``.
    cooperation_surplus_best : float
        ``W(opt) - W(best NE)``.
    withdrawal : DataFrame
        Per player: ``leaves_to``, ``welfare_loss`` (withdrawal cost),
        ``own_gain`` (incentive to leave).
    """

    equilibria: PureEquilibria
    optimum: SocialOptimum
    equilibrium_welfare: np.ndarray
    equilibrium_kind: str
    price_of_anarchy: float
    price_of_stability: float
    poa_note: str
    cooperation_surplus: float
    cooperation_surplus_best: float
    withdrawal: pd.DataFrame
    game: NormalFormGame

    @property
    def withdrawal_cost(self) -> pd.Series:
        return self.withdrawal["welfare_loss"]

    def _summary(self):
        g = self.game
        unit = f" {g.unit}" if g.unit else ""
        return [("pure equilibria", self.equilibria.labels),
                ("social optimum", g.profile_labels(self.optimum.profile)),
                ("W(opt)", f"{self.optimum.welfare:.6g}{unit}"),
                ("W(NE) worst/best", f"{self.equilibrium_welfare.min():.6g} / "
                 f"{self.equilibrium_welfare.max():.6g}{unit} ({self.equilibrium_kind})"
                 if len(self.equilibrium_welfare) else "no equilibrium"),
                ("cooperation surplus", f"{self.cooperation_surplus:.6g}{unit}"),
                ("price of anarchy", f"{self.price_of_anarchy:.6g}"),
                ("price of stability", f"{self.price_of_stability:.6g}"),
                ("note", self.poa_note)]

    def to_frame(self) -> pd.DataFrame:
        """Per-jurisdiction table: payoff at the optimum, at the worst and best
        equilibrium, and the withdrawal report."""
        df = self.withdrawal.copy()
        df.insert(0, "payoff_opt", self.optimum.payoffs)
        if self.equilibrium_kind == "pure" and len(self.equilibria.profiles):
            w = self.equilibria.payoffs.sum(axis=1)
            df.insert(1, "payoff_worst_ne", self.equilibria.payoffs[int(np.argmin(w))])
            df.insert(2, "payoff_best_ne", self.equilibria.payoffs[int(np.argmax(w))])
        return df


def _withdrawal(g: NormalFormGame, opt: tuple) -> pd.DataFrame:
    rows = []
    W_opt = float(g.payoffs[(slice(None),) + opt].sum())
    for i, p in enumerate(g.players):
        if g.shape[i] == 1:
            rows.append({"player": p, "leaves_to": None, "welfare_loss": 0.0, "own_gain": 0.0})
            continue
        own = []
        for b in range(g.shape[i]):
            prof = list(opt)
            prof[i] = b
            own.append(g.payoffs[(i,) + tuple(prof)])
        own = np.array(own)
        own_opt = own[opt[i]]
        own[opt[i]] = -np.inf
        b = int(np.argmax(own))
        prof = list(opt)
        prof[i] = b
        W_dev = float(g.payoffs[(slice(None),) + tuple(prof)].sum())
        rows.append({"player": p, "leaves_to": g.actions[i][b], "welfare_loss": W_opt - W_dev,
                     "own_gain": float(own[b] - own_opt)})
    return pd.DataFrame(rows).set_index("player")


def analyze(game) -> Analysis:
    """Equilibria, optimum, PoA/PoS, cooperation surplus and withdrawal costs.

    Examples
    --------
    >>> import cooperation as co
    >>> pd_game = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> res = co.analyze(pd_game)
    >>> res.cooperation_surplus, res.price_of_anarchy
    (4.0, 3.0)
    """
    g = as_game(game)
    eq = pure_equilibria(g)
    opt = social_optimum(g)
    kind = "pure"
    if len(eq.profiles):
        weq = eq.payoffs.sum(axis=1)
    elif g.n_players == 2:
        from .mixed import mixed_equilibria

        mixed = mixed_equilibria(g)
        weq = np.array([float(g.expected_payoffs([x, y]).sum()) for x, y in mixed.equilibria])
        kind = "mixed"
    else:
        weq = np.zeros(0)
        kind = "none"
    mixed_note = ""
    if kind == "mixed" and not len(weq):
        mixed_note = "; ".join(mixed.notes) or "the certificate found none"
        kind = "none"
    if len(weq):
        poa, note = price_ratio(opt.welfare, float(weq.min()))
        pos, _ = price_ratio(opt.welfare, float(weq.max()))
        surplus = opt.welfare - float(weq.min())
        surplus_best = opt.welfare - float(weq.max())
    else:
        poa = pos = surplus = surplus_best = math.nan
        note = ("no pure equilibrium, and no mixed equilibrium was returned "
                f"({mixed_note})" if g.n_players == 2 and mixed_note else
                "no pure equilibrium in a game of more than two players (mixed equilibria "
                "are computed for two players only)")
    return Analysis(eq, opt, weq, kind, poa, pos, note, surplus, surplus_best,
                    _withdrawal(g, opt.profile), g)
