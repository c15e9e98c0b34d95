"""The status quo: what each jurisdiction gets when nobody cooperates beyond its own interest.

One treatment everywhere a "going alone" value is needed (the characteristic
function with Nash outsiders, the responsibility rules, the disagreement
point of bargaining, the outside option of the compensation calculator):

* the game has a pure Nash equilibrium: the status quo is the pure
  equilibrium with the **lowest welfare** (pessimistic; the lexicographically
  first among ties), and each player's value is its payoff there;
* it has none: every player plays its **mixed security (maximin) strategy**
  independently, and each player's value is its **security level**::

      s_i = max_{x in Delta(A_i)} min_{a_-i} sum_k x_k u_i(k, a_-i)

  what ``i`` can guarantee whatever the others do (von Neumann's maximin;
  Maschler, Solan and Zamir 2013, sec. 5.2). For matching pennies this is
  (0, 0): the value of the zero-sum game for both sides.

The security LP is solved on the player's payoffs mapped onto [0, 1], so the
strategy and the level (mapped back) do not depend on the money unit.

References
----------
von Neumann, J. and Morgenstern, O. (1944). *Theory of Games and Economic
Behavior*, sec. 17. Princeton UP.
Maschler, M., Solan, E. and Zamir, S. (2013). *Game Theory*, ch. 5.
Cambridge UP.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._numeric import unit_interval
from ..errors import SolverError
from ..games.model import as_game
from ..games.normal_form import NormalFormGame
from .pure import pure_equilibria

__all__ = ["StatusQuo", "status_quo", "security_levels", "security_strategy"]


@dataclass(frozen=True)
class StatusQuo:
    """The status quo of a game.

    Attributes
    ----------
    profile : tuple of int or None
        The worst-welfare pure equilibrium; None when there is no pure equilibrium.
    values : ndarray, shape (n,)
        Each player's status-quo value: its payoff at ``profile``, or its
        security level when there is no pure equilibrium.
    strategies : list of ndarray or None
        The mixed security strategies (no pure equilibrium), else None.
    how : str
        A sentence saying which case applies.
    n_equilibria : int
        Number of pure equilibria.
    """

    profile: tuple | None
    values: np.ndarray
    strategies: list | None
    how: str
    n_equilibria: int

    @property
    def pure(self) -> bool:
        return self.profile is not None


def security_strategy(M: np.ndarray) -> tuple[np.ndarray, float]:
    """``(x, s)``: the maximin mixed strategy of the row player of ``M`` (rows: own
    actions, columns: the opponents' joint profiles) and its security level."""
    from scipy.optimize import linprog

    M = np.asarray(M, dtype=float)
    k, c = M.shape
    lo = float(M.min())
    r = float(M.max()) - lo
    if r <= 0.0:
        return np.full(k, 1.0 / k), lo
    N = unit_interval(M)
    # variables x (k), v; maximise v s.t. v - x.N[:, j] <= 0, sum x = 1
    cost = np.zeros(k + 1)
    cost[-1] = -1.0
    res = linprog(cost, A_ub=np.hstack([-N.T, np.ones((c, 1))]), b_ub=np.zeros(c),
                  A_eq=np.hstack([np.ones((1, k)), np.zeros((1, 1))]), b_eq=[1.0],
                  bounds=[(0, None)] * k + [(None, None)], method="highs")
    if res.status != 0:  # a bounded feasible LP: only a solver failure gets here
        raise SolverError(f"security-level LP failed: {res.message}", field="status",
                          value=res.status)
    x = np.clip(res.x[:k], 0.0, None)
    x = x / x.sum()
    # the guaranteed value of x, mapped back from [0, 1] (exact up to round-off)
    return x, lo + r * float((x @ N).min())


def _own_matrix(game: NormalFormGame, i: int) -> np.ndarray:
    return np.moveaxis(game.payoffs[i], i, 0).reshape(game.shape[i], -1)


def security_levels(game) -> np.ndarray:
    """Each player's mixed security level (see module notes)."""
    g = as_game(game)
    return np.array([security_strategy(_own_matrix(g, i))[1] for i in range(g.n_players)])


def status_quo(game) -> StatusQuo:
    """The status quo of a game: worst-welfare pure NE, else mixed security levels.

    Examples
    --------
    >>> import cooperation as co
    >>> from cooperation.equilibria.status_quo import status_quo
    >>> mp = co.NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> sq = status_quo(mp)
    >>> sq.profile, sq.values.round(12).tolist()
    (None, [0.0, 0.0])
    """
    g = as_game(game)
    eq = pure_equilibria(g)
    if len(eq.profiles):
        w = eq.payoffs.sum(axis=1)
        k = int(np.argmin(w))  # first among ties: lexicographically smallest profile
        how = (f"the worst-welfare pure Nash equilibrium ({len(eq.profiles)} pure equilibria)"
               if len(eq.profiles) > 1 else "the unique pure Nash equilibrium")
        return StatusQuo(eq.profiles[k], eq.payoffs[k].copy(), None, how, len(eq.profiles))
    xs, vals = [], []
    for i in range(g.n_players):
        x, s = security_strategy(_own_matrix(g, i))
        xs.append(x)
        vals.append(s)
    return StatusQuo(None, np.array(vals), xs,
                     "no pure Nash equilibrium: each player's mixed security level "
                     "(maximin value)", 0)
