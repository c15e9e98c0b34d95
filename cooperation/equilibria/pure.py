"""Pure-strategy Nash equilibria of n-player games by vectorised best-response checks.

A pure profile ``a`` is a Nash equilibrium iff for every player ``i``::

    u_i(a) >= max_{b_i} u_i(b_i, a_{-i})

For the payoff tensor ``U`` this is one comparison per player of ``U[i]``
with its maximum along axis ``i`` (broadcast back), and-ed over players: no
Python loop over profiles. Ties count as best responses up to a tolerance
relative to the player's payoff range, ``gap <= tol * (max U_i - min U_i)``,
so the answer is the same in every money unit and under any offset (a
positive affine map of a player's payoffs scales its gaps and its range
together).

References
----------
Nash, J. (1951). Non-cooperative games. *Annals of Mathematics* 54, 286-295.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._numeric import RTOL, gap_tol, player_spans
from .._result import ResultMixin
from ..games.model import as_game
from ..games.normal_form import NormalFormGame

__all__ = ["PureEquilibria", "pure_equilibria", "best_response_mask"]


@dataclass(frozen=True, repr=False)
class PureEquilibria(ResultMixin):
    """Pure Nash equilibria of a game.

    Attributes
    ----------
    profiles : list of tuple of int
        Every pure equilibrium, as action indices, in lexicographic order.
    payoffs : ndarray, shape (len(profiles), n)
    max_regret : float
        The largest gain any player gets from a unilateral deviation at any
        returned profile (<= tolerance: the certificate).
    game : NormalFormGame
    """

    profiles: list
    payoffs: np.ndarray
    max_regret: float
    game: NormalFormGame
    tol: float

    @property
    def labels(self) -> list[tuple[str, ...]]:
        return [self.game.profile_labels(p) for p in self.profiles]

    def __len__(self) -> int:
        return len(self.profiles)

    def _summary(self):
        return [("equilibria", len(self.profiles)),
                ("profiles", self.labels[:10] if len(self.profiles) <= 10
                 else f"{self.labels[:10]} ..."),
                ("max_regret", f"{self.max_regret:.3g}")]

    def to_frame(self) -> pd.DataFrame:
        g = self.game
        rows = []
        for k, p in enumerate(self.profiles):
            row = {f"action[{pl}]": g.actions[i][p[i]] for i, pl in enumerate(g.players)}
            row.update({f"payoff[{pl}]": self.payoffs[k, i] for i, pl in enumerate(g.players)})
            row["welfare"] = float(self.payoffs[k].sum())
            rows.append(row)
        cols = ([f"action[{p}]" for p in g.players] + [f"payoff[{p}]" for p in g.players]
                + ["welfare"])
        return pd.DataFrame(rows, columns=cols)


def best_response_mask(game: NormalFormGame, tol: float = RTOL) -> np.ndarray:
    """Boolean tensor of shape ``(n, k_1, ..., k_n)``: whether player ``i``'s action in
    profile ``a`` is a best response to ``a_{-i}`` (to ``tol`` times ``i``'s payoff range)."""
    U = game.payoffs
    spans = player_spans(U)
    out = np.empty(U.shape, dtype=bool)
    for i in range(game.n_players):
        best = U[i].max(axis=i, keepdims=True)
        out[i] = best - U[i] <= gap_tol(spans[i], best, tol)
    return out


def pure_equilibria(game, tol: float = RTOL) -> PureEquilibria:
    """All pure-strategy Nash equilibria of an n-player game.

    Parameters
    ----------
    game : NormalFormGame or Scenario
    tol : float
        Relative tolerance: ``b`` is a best response of player ``i`` when its
        payoff is at least ``max - tol * range_i``, with ``range_i`` the
        spread of ``i``'s payoffs over all profiles (unit- and offset-free),
        plus the round-off floor of payoffs of that magnitude
        (``cooperation._numeric.gap_tol``).

    Returns
    -------
    PureEquilibria
        ``.profiles`` (action indices), ``.payoffs``, ``.max_regret``.

    Examples
    --------
    >>> import cooperation as co
    >>> pd_game = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> co.pure_equilibria(pd_game).profiles
    [(1, 1)]
    """
    g = as_game(game)
    U = g.payoffs
    spans = player_spans(U)
    ne = np.ones(g.shape, dtype=bool)
    regret = np.zeros(g.shape)
    for i in range(g.n_players):
        best = U[i].max(axis=i, keepdims=True)
        gap = best - U[i]
        ne &= gap <= gap_tol(spans[i], best, tol)
        np.maximum(regret, gap, out=regret)
    idx = np.argwhere(ne)
    profiles = [tuple(int(x) for x in row) for row in idx]
    pay = (U[(slice(None),) + tuple(idx.T)].T if len(idx)
           else np.zeros((0, g.n_players)))
    max_regret = float(regret[ne].max()) if len(idx) else 0.0
    return PureEquilibria(profiles, np.asarray(pay, float), max_regret, g, tol)
