"""Two-party bargaining: the Nash and Kalai-Smorodinsky solutions.

Cooperation as a transaction (合作-交易, seed paper 000): two jurisdictions
deal only where both gain over the disagreement point ``d`` (by default the
payoffs of the game's status-quo Nash equilibrium, or, when the game has no
pure equilibrium, both players' mixed security levels: the same status quo as
the characteristic function and the compensation calculator). The feasible set is the
comprehensive convex hull of the frontier given as

* points ``(m, 2)``: their convex hull (randomising between outcomes);
  the Pareto part of its upper-right boundary is used;
* a callable ``u2 = f(u1)``, decreasing (and concave for a convex set) on
  ``bounds = (lo, hi)``; default ``lo = d1`` and ``hi`` = the largest ``u1``
  with ``f(u1) >= d2``;
* a two-player ``NormalFormGame`` or ``Scenario``: the points are the payoff
  pairs of its pure profiles (``transfers=True``: side payments allowed, so
  the frontier is the line ``u1 + u2 = max_a W(a)``).

Nash solution (Nash 1950; asymmetric powers ``p``, Kalai 1977)::

    argmax_{u in F, u > d} (u_1 - d_1)**p_1 (u_2 - d_2)**p_2

On each segment of a piecewise-linear frontier the log of the product is
concave in the segment parameter, with a closed-form stationary point, so
the polygon case is solved exactly. On a linear frontier
``u1 + u2 = c`` the split is ``u_i = d_i + p_i / (p_1 + p_2) (c - d_1 - d_2)``.

Kalai-Smorodinsky (1975): the Pareto point on the segment from ``d`` to the
ideal point ``I_i = max{u_i : u in F, u >= d}``.

References
----------
Nash, J. F. (1950). The bargaining problem. *Econometrica* 18, 155-162.
Kalai, E. (1977). Nonsymmetric Nash solutions and replications of 2-person
bargaining. *IJGT* 6, 129-133.
Kalai, E. and Smorodinsky, M. (1975). Other solutions to Nash's bargaining
problem. *Econometrica* 43, 513-518.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from .._numeric import DUST
from .._result import ResultMixin
from ..errors import InputError

__all__ = ["BargainingSolution", "nash_bargaining", "kalai_smorodinsky", "pareto_frontier"]

#: absolute x-tolerance of the root search on the frontier (payoffs; rtol is 4 eps)
ROOT_XTOL = 1e-14
#: a frontier segment parallel to the ideal direction (|det| below this) has no crossing
SINGULAR_DET = 1e-15


@dataclass(frozen=True, repr=False)
class BargainingSolution(ResultMixin):
    """A bargaining solution.

    Attributes
    ----------
    utilities : Series
        The agreed payoffs, labelled by player.
    disagreement : Series
    gains : Series
        ``utilities - disagreement`` (both positive when a deal exists).
    powers : Series
        Bargaining powers (Nash); equal weights for Kalai-Smorodinsky.
    ideal : Series
        The ideal point (utopia payoffs given ``d``).
    solution : str
        ``"nash"`` or ``"kalai_smorodinsky"``.
    success : bool
        False when no feasible point gives both parties more than ``d``.
    message : str
    """

    utilities: pd.Series
    disagreement: pd.Series
    gains: pd.Series
    powers: pd.Series
    ideal: pd.Series
    solution: str
    success: bool
    message: str

    def _summary(self):
        return [("solution", self.solution), ("utilities", self.utilities.round(6).to_dict()),
                ("disagreement", self.disagreement.round(6).to_dict()),
                ("gains", self.gains.round(6).to_dict()), ("message", self.message)]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"utility": self.utilities, "disagreement": self.disagreement,
                             "gain": self.gains, "power": self.powers, "ideal": self.ideal})


def pareto_frontier(points) -> np.ndarray:
    """Vertices of the Pareto (upper-right) boundary of the convex hull of 2-D points,
    ordered by increasing ``u1`` (decreasing ``u2``)."""
    P = np.asarray(points, dtype=float)
    if P.ndim != 2 or P.shape[1] != 2 or P.shape[0] == 0:
        raise InputError("must be an (m, 2) array of payoff pairs", field="frontier",
                         value=f"shape {P.shape}")
    if not np.all(np.isfinite(P)):
        raise InputError("payoff pairs must be finite", field="frontier", value="nan/inf")
    P = np.unique(P, axis=0)  # sorted by u1, then u2
    hull: list[np.ndarray] = []  # upper hull, left to right (Andrew's monotone chain)
    for p in P:
        while len(hull) >= 2:
            o, a = hull[-2], hull[-1]
            if (a[0] - o[0]) * (p[1] - o[1]) - (a[1] - o[1]) * (p[0] - o[0]) >= 0:
                hull.pop()
            else:
                break
        hull.append(p)
    H = np.array(hull)
    # the Pareto part: from the highest u2 (the rightmost among ties) to the right end
    top = int(np.flatnonzero(H[:, 1] == H[:, 1].max()).max())
    H = H[top:]
    return H


def _labels(players, default=("P0", "P1")) -> pd.Index:
    if players is None:
        players = default
    players = [str(p) for p in players]
    if len(players) != 2 or players[0] == players[1]:
        raise InputError("needs two distinct player names", field="players", value=players)
    return pd.Index(players, name="player")


def _from_game(game, transfers: bool):
    from ..equilibria.status_quo import status_quo
    from ..games.model import as_game

    g = as_game(game)
    if g.n_players != 2:
        raise InputError("bargaining here is between two parties", field="game.n_players",
                         value=g.n_players)
    pts = g.payoffs.reshape(2, -1).T
    d = status_quo(g).values   # worst-welfare pure NE, else mixed security levels
    if transfers:
        c = float(pts.sum(axis=1).max())
        span = max(1.0, abs(c)) * 1e6
        pts = np.array([[d[0] - span, c - d[0] + span], [c - d[1] + span, d[1] - span]])
    return pts, d, g.players


def _setup(frontier, disagreement, bounds, players, transfers):
    if hasattr(frontier, "payoffs") or hasattr(frontier, "to_game"):
        pts, d_game, names = _from_game(frontier, transfers)
        d = d_game if disagreement is None else disagreement
        return ("points", pts, None), np.asarray(d, float), _labels(
            names if players is None else players)
    if disagreement is None:
        raise InputError("needs a disagreement point (or pass a two-player game, whose Nash "
                         "equilibrium payoffs are the default)", field="disagreement", value=None)
    d = np.asarray(disagreement, dtype=float).reshape(-1)
    if d.shape != (2,) or not np.all(np.isfinite(d)):
        raise InputError("must be two finite numbers", field="disagreement", value=d.tolist())
    idx = _labels(players)
    if callable(frontier):
        lo, hi = (None, None) if bounds is None else bounds
        lo = d[0] if lo is None else float(lo)
        return ("function", frontier, (lo, hi)), d, idx
    return ("points", np.asarray(frontier, dtype=float), None), d, idx


def _function_hi(f: Callable, lo: float, d2: float, hi) -> float:
    """``sup{u1 >= lo : f(u1) > d2}`` by doubling then bisection (``hi`` when given)."""
    if hi is not None:
        return float(hi)
    if not f(lo) > d2:
        return lo
    step = max(1.0, abs(lo))
    a, b = lo, None
    for _ in range(200):
        x = lo + step
        if f(x) > d2:
            a = x
            step *= 2.0
        else:
            b = x
            break
    if b is None:
        raise InputError("the frontier stays above d2 however large u1 gets; pass "
                         "bounds=(lo, hi)", field="bounds", value=None)
    for _ in range(200):
        m = 0.5 * (a + b)
        if m <= a or m >= b:
            break
        if f(m) > d2:
            a = m
        else:
            b = m
    return float(a)


def _result(u, d, idx, powers, ideal, solution, ok, msg) -> BargainingSolution:
    u = pd.Series(u, index=idx, name="utility")
    d = pd.Series(d, index=idx, name="disagreement")
    return BargainingSolution(u, d, (u - d).rename("gain"), pd.Series(powers, index=idx,
                                                                        name="power"),
                              pd.Series(ideal, index=idx, name="ideal"), solution, ok, msg)


def _ideal_points(H: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Utopia point of the hull region ``u >= d`` (piecewise-linear frontier ``H``)."""
    def along(axis):
        # largest coordinate `axis` on the frontier among points with the other >= d
        other = 1 - axis
        best = -np.inf
        for k in range(len(H)):
            if H[k, other] >= d[other]:
                best = max(best, H[k, axis])
        for k in range(len(H) - 1):
            a, b = H[k], H[k + 1]
            if (a[other] - d[other]) * (b[other] - d[other]) < 0:
                s = (d[other] - a[other]) / (b[other] - a[other])
                best = max(best, a[axis] + s * (b[axis] - a[axis]))
        return best
    return np.array([along(0), along(1)])


def nash_bargaining(frontier, disagreement=None, powers=None, bounds=None, *,
                    players=None, transfers: bool = False) -> BargainingSolution:
    """Nash bargaining solution (asymmetric with ``powers``).

    ``argmax (u_1 - d_1)**p_1 (u_2 - d_2)**p_2`` over the feasible set with
    ``u > d``; see the module notes for the frontier forms.

    Parameters
    ----------
    frontier : (m, 2) points, callable ``u2 = f(u1)``, or a two-player game/scenario
    disagreement : (2,) array, optional
        Default for a game: payoffs of its worst-welfare pure Nash equilibrium;
        the mixed security levels when it has none (matching pennies: (0, 0)).
    powers : (2,) positive, optional
        Bargaining powers (default equal).
    bounds : (lo, hi), optional
        Domain of ``u1`` for a callable frontier.
    players : two names, optional
    transfers : bool
        For a game: allow side payments (frontier ``u1 + u2 = max W``).

    Returns
    -------
    BargainingSolution
        ``.utilities``, ``.gains``, ``.success`` (False when no point beats ``d``).

    References
    ----------
    Nash (1950); Kalai (1977).

    Examples
    --------
    >>> import cooperation as co
    >>> res = co.nash_bargaining([[0, 10], [10, 0]], disagreement=[0, 0])
    >>> res.utilities.tolist()
    [5.0, 5.0]
    >>> co.nash_bargaining([[0, 10], [10, 0]], [0, 0], powers=[2, 1]).utilities.round(6).tolist()
    [6.666667, 3.333333]
    """
    spec, d, idx = _setup(frontier, disagreement, bounds, players, transfers)
    p = np.ones(2) if powers is None else np.asarray(powers, dtype=float).reshape(-1)
    if p.shape != (2,) or not np.all(np.isfinite(p)) or np.any(p <= 0):
        raise InputError("must be two positive numbers", field="powers",
                         value=np.atleast_1d(p).tolist())
    kind, data, dom = spec
    if kind == "function":
        f = data
        lo, hi = dom
        hi = _function_hi(f, lo, d[1], hi)
        ideal = np.array([hi, float(f(lo))])
        if not (hi > lo and f(lo) > d[1]):
            return _result(d, d, idx, p, ideal, "nash", False,
                           "no agreement: no frontier point gives both parties more than d")

        def neg(u1):
            a, b = u1 - d[0], f(u1) - d[1]
            if a <= 0 or b <= 0:
                return np.inf
            return -(p[0] * math.log(a) + p[1] * math.log(b))

        res = optimize.minimize_scalar(neg, bounds=(max(lo, d[0]), hi), method="bounded",
                                       options={"xatol": DUST * max(1.0, abs(hi))})
        u = np.array([res.x, f(res.x)])
        return _result(u, d, idx, p, ideal, "nash", True, "optimal (bounded scalar search)")
    H = pareto_frontier(data)
    ideal = _ideal_points(H, d)
    best, best_val = None, -np.inf
    cands = [H[k] for k in range(len(H))]
    for k in range(len(H) - 1):
        a, b = H[k], H[k + 1]
        D = b - a
        den = (p[0] + p[1]) * D[0] * D[1]
        if den != 0:
            s = -(p[0] * D[0] * (a[1] - d[1]) + p[1] * D[1] * (a[0] - d[0])) / den
            if 0 < s < 1:
                cands.append(a + s * D)
    for u in cands:
        g = u - d
        if np.all(g > 0):
            val = p[0] * math.log(g[0]) + p[1] * math.log(g[1])
            if val > best_val:
                best, best_val = u, val
    if best is None:
        return _result(d, d, idx, p, ideal, "nash", False,
                       "no agreement: no feasible point gives both parties more than d")
    return _result(best, d, idx, p, ideal, "nash", True, "optimal (exact on the polygon)")


def kalai_smorodinsky(frontier, disagreement=None, bounds=None, *, players=None,
                      transfers: bool = False) -> BargainingSolution:
    """Kalai-Smorodinsky solution: the Pareto point on the segment from ``d`` to the
    ideal point ``I_i = max{u_i : u feasible, u >= d}``.

    Parameters as in :func:`nash_bargaining`.

    References
    ----------
    Kalai and Smorodinsky (1975).

    Examples
    --------
    >>> import cooperation as co
    >>> res = co.kalai_smorodinsky([[0, 10], [5, 8], [10, 0]], disagreement=[0, 0])
    >>> res.ideal.tolist(), res.utilities.round(6).tolist()
    ([10.0, 10.0], [6.153846, 6.153846])
    """
    spec, d, idx = _setup(frontier, disagreement, bounds, players, transfers)
    kind, data, dom = spec
    eq = np.ones(2)
    if kind == "function":
        f = data
        lo, hi = dom
        hi = _function_hi(f, lo, d[1], hi)
        ideal = np.array([hi, float(f(lo))])
        if not (hi > lo and ideal[1] > d[1] and hi > d[0]):
            return _result(d, d, idx, eq, ideal, "kalai_smorodinsky", False,
                           "no agreement: no frontier point gives both parties more than d")
        r = (ideal[1] - d[1]) / (ideal[0] - d[0])
        a = max(lo, d[0])
        u1 = optimize.brentq(lambda u: f(u) - d[1] - r * (u - d[0]), a, hi, xtol=ROOT_XTOL,
                             rtol=4 * np.finfo(float).eps)
        return _result(np.array([u1, f(u1)]), d, idx, eq, ideal, "kalai_smorodinsky", True,
                       "found by root finding on the frontier")
    H = pareto_frontier(data)
    ideal = _ideal_points(H, d)
    g = ideal - d
    if not np.all(np.isfinite(ideal)) or np.any(g <= 0):
        return _result(d, d, idx, eq, ideal, "kalai_smorodinsky", False,
                       "no agreement: no feasible point gives both parties more than d")
    best = None
    for k in range(len(H) - 1):
        a, b = H[k], H[k + 1]
        # solve a + s (b - a) = d + lam g
        M = np.column_stack([b - a, -g])
        if abs(np.linalg.det(M)) < SINGULAR_DET:
            continue
        s, lam = np.linalg.solve(M, d - a)
        if -DUST <= s <= 1 + DUST and lam > 0:
            cand = a + min(max(s, 0.0), 1.0) * (b - a)
            if best is None or lam > best[0]:
                best = (lam, cand)
    if best is None:
        if len(H) == 1 and np.all(H[0] > d):
            best = (1.0, H[0])
        else:
            return _result(d, d, idx, eq, ideal, "kalai_smorodinsky", False,
                           "no agreement: the ray to the ideal point misses the frontier")
    return _result(best[1], d, idx, eq, ideal, "kalai_smorodinsky", True,
                   "exact on the polygon")
