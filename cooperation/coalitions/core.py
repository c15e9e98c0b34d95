"""The core, the least core and coalition excesses.

Excess of coalition ``S`` at allocation ``x``: ``e(S, x) = v(S) - x(S)``
(what ``S`` could get on its own beyond what ``x`` gives it; positive means
``S`` would rather leave).

* core (Gillies 1959): ``C(v) = {x : x(N) = v(N), x(S) >= v(S) for all S}``;
* least core (Maschler, Peleg and Shapley 1979): the smallest ``epsilon``
  such that ``x(S) >= v(S) - epsilon`` for every coalition ``S`` other than
  the empty one and ``N``, with ``x(N) = v(N)``, and the allocations
  reaching it. **Convention: the core is non-empty iff epsilon <= 0**
  (singletons are among the constraints, so the least core of a game with
  a non-empty core lies inside the core).

All excesses of an allocation are computed at once with ``O(2**n)`` numpy
work, so core checks and most-violated-coalition searches scale to n = 20+.

References
----------
Gillies, D. B. (1959). Solutions to general non-zero-sum games. In
*Contributions to the Theory of Games IV*, 47-85. Princeton UP.
Maschler, Peleg and Shapley (1979), *Mathematics of Operations Research* 4.
Bondareva, O. N. (1963); Shapley, L. S. (1967). On balanced sets and cores.
*Naval Research Logistics Quarterly* 14, 453-460.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._result import ResultMixin
from ..errors import InputError
from ._bits import subset_sums
from ._sequential import least_core_epsilon
from .tu_game import TUGame, as_tugame

__all__ = ["excesses", "most_violated_coalition", "CoalitionExcess", "in_core",
           "least_core", "LeastCore", "as_allocation"]


def as_allocation(g: TUGame, x, field_name: str = "x") -> np.ndarray:
    """An allocation as a float array in player order (a Series is aligned by label)."""
    if isinstance(x, pd.Series):
        missing = [p for p in g.players if p not in x.index]
        extra = [p for p in x.index if p not in g.players]
        if missing or extra:
            raise InputError(f"labels must be the game's players {list(g.players)}; "
                             f"missing {missing}, unknown {extra}", field=field_name,
                             value=list(x.index))
        arr = x.reindex(list(g.players)).to_numpy(dtype=float)
    elif isinstance(x, dict):
        return as_allocation(g, pd.Series(x), field_name)
    else:
        arr = np.asarray(x, dtype=float).reshape(-1)
    if arr.shape != (g.n_players,):
        raise InputError(f"needs one number per player ({g.n_players})", field=field_name,
                         value=f"shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise InputError("must be finite numbers", field=field_name, value=arr.tolist())
    return arr


def excesses(v, x) -> np.ndarray:
    """``e[S] = v(S) - x(S)`` for every coalition ``S`` (array of length ``2**n``).

    Examples
    --------
    >>> import cooperation as co
    >>> maj = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1])
    >>> co.excesses(maj, [1/3, 1/3, 1/3]).round(3).tolist()
    [0.0, -0.333, -0.333, 0.333, -0.333, 0.333, 0.333, 0.0]
    """
    g = as_tugame(v)
    return g.values - subset_sums(as_allocation(g, x))


@dataclass(frozen=True, repr=False)
class CoalitionExcess(ResultMixin):
    """The coalitions with the largest excess at an allocation.

    Attributes
    ----------
    masks : ndarray of int
        Bitmasks, largest excess first.
    excess : ndarray
        ``v(S) - x(S)`` of each; positive: that coalition blocks ``x``.
    members : list of tuple of str
    max_excess : float
        The largest excess over all proper coalitions (``-inf`` for one player).
    efficiency_gap : float
        ``x(N) - v(N)``.
    """

    masks: np.ndarray
    excess: np.ndarray
    members: list
    max_excess: float
    efficiency_gap: float

    @property
    def violated(self) -> bool:
        return bool(self.max_excess > 0)

    def _summary(self):
        first = self.members[0] if self.members else None
        return [("max excess", f"{self.max_excess:.6g}"), ("coalition", first),
                ("x(N) - v(N)", f"{self.efficiency_gap:.3g}")]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"coalition": ["{" + ", ".join(m) + "}" for m in self.members],
                             "excess": self.excess}, index=pd.Index(self.masks, name="mask"))


def most_violated_coalition(v, x, k: int = 1, *, include_grand: bool = False) -> CoalitionExcess:
    """The ``k`` coalitions with the largest excess ``v(S) - x(S)`` (separation oracle).

    ``max_S v(S) - x(S)`` over all coalitions other than the empty one (and
    ``N`` unless ``include_grand``), in ``O(2**n)`` numpy work: the
    separation step of constraint generation for core constraints
    ``x(S) >= v(S)``. ``x`` is in the core iff ``x(N) = v(N)`` and the
    maximum is ``<= 0``.

    Parameters
    ----------
    v : TUGame
    x : array_like or Series
        Allocation (a Series is aligned by player name).
    k : int
        How many coalitions to return (ties broken by bitmask).

    Returns
    -------
    CoalitionExcess
        ``.masks``, ``.excess`` (largest first), ``.members``, ``.max_excess``.

    Examples
    --------
    >>> import cooperation as co
    >>> maj = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1], players=["A", "B", "C"])
    >>> res = co.most_violated_coalition(maj, [0.5, 0.5, 0.0])
    >>> res.members[0], round(res.max_excess, 3)
    (('A', 'C'), 0.5)
    """
    g = as_tugame(v)
    xa = as_allocation(g, x)
    if int(k) != k or k < 1:
        raise InputError("must be an integer >= 1", field="k", value=k)
    e = g.values - subset_sums(xa)
    e[0] = -np.inf
    if not include_grand:
        e[-1] = -np.inf
    k = min(int(k), e.size)
    if k < e.size:
        kth = e[np.argpartition(-e, k - 1)[k - 1]]
        cand = np.flatnonzero(e >= kth)  # every tie with the k-th value: deterministic order
    else:
        cand = np.arange(e.size)
    order = np.lexsort((cand, -e[cand]))
    masks = cand[order][:k].astype(np.int64)
    keep = np.isfinite(e[masks])
    masks = masks[keep]
    return CoalitionExcess(masks, e[masks], [g.members(int(m)) for m in masks],
                           float(e[masks[0]]) if masks.size else -np.inf,
                           float(xa.sum() - g.grand_value))


def in_core(v, x, tol: float | None = None) -> bool:
    """Whether ``x`` is in the core: ``x(N) = v(N)`` and ``x(S) >= v(S)`` for all ``S``.

    Parameters
    ----------
    v : TUGame
    x : array_like or Series
    tol : float, optional
        Absolute tolerance; default ``1e-9 * max |v|``.

    Examples
    --------
    >>> import cooperation as co
    >>> glove = co.TUGame.glove(1, 2)
    >>> co.in_core(glove, [1, 0, 0]), co.in_core(glove, [0.5, 0.25, 0.25])
    (True, False)
    """
    g = as_tugame(v)
    t = g._tol(tol)
    xa = as_allocation(g, x)
    if abs(xa.sum() - g.grand_value) > t:
        return False
    e = g.values - subset_sums(xa)
    return bool(e[1:-1].max(initial=-np.inf) <= t)


@dataclass(frozen=True, repr=False)
class LeastCore(ResultMixin):
    """Least core of a TU game.

    Attributes
    ----------
    epsilon : float
        ``min eps`` such that ``x(S) >= v(S) - eps`` for all proper coalitions
        and ``x(N) = v(N)``. The core is non-empty iff ``epsilon <= 0``.
    allocation : Series
        One allocation in the least core (an optimal vertex of the LP; the
        nucleolus is a canonical one).
    core_nonempty : bool
    status, success, message
        Solver outcome in scipy's vocabulary.
    lp_solves, rows : int
        LP solves and coalition rows generated (of ``2**n - 2``).
    """

    epsilon: float
    allocation: pd.Series
    core_nonempty: bool
    status: int
    success: bool
    message: str
    lp_solves: int
    rows: int

    def _summary(self):
        return [("epsilon", f"{self.epsilon:.6g}"), ("core non-empty", self.core_nonempty),
                ("allocation", self.allocation.round(6).to_dict()), ("message", self.message)]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"allocation": self.allocation})


def least_core(v, tol: float | None = None) -> LeastCore:
    """Least core: ``min eps`` s.t. ``x(S) >= v(S) - eps`` (all ``S`` but the empty one
    and ``N``), ``x(N) = v(N)``.

    The core is non-empty iff ``epsilon <= 0`` (Bondareva-Shapley: the game is
    balanced). Solved as one LP by constraint generation over the ``2**n``
    coalitions (HiGHS, hot-started), so n = 20 stays fast.

    Parameters
    ----------
    v : TUGame
    tol : float, optional
        Absolute tolerance on excesses; default ``1e-9 * max |v|``.

    Returns
    -------
    LeastCore
        ``.epsilon``, ``.allocation``, ``.core_nonempty``.

    References
    ----------
    Maschler, Peleg and Shapley (1979); Shapley and Shubik (1966), Quasi-cores in
    a monetary economy with nonconvex preferences, *Econometrica* 34, 805-827.

    Examples
    --------
    >>> import cooperation as co
    >>> majority = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1])   # empty core
    >>> round(co.least_core(majority).epsilon, 9)
    0.333333333
    """
    g = as_tugame(v)
    t = g._tol(tol)
    if g.n_players == 1:
        alloc = pd.Series([g.grand_value], index=pd.Index(g.players, name="player"),
                          name="least_core")
        return LeastCore(-np.inf, alloc, True, 0, True,
                         "one player: no proper coalition, the core is {v(N)}", 0, 0)
    x, eps, eng = least_core_epsilon(g, tol)
    alloc = pd.Series(x, index=pd.Index(g.players, name="player"), name="least_core")
    return LeastCore(float(eps), alloc, bool(eps <= t), 0, True,
                     "optimal" + (" (core non-empty)" if eps <= t else " (core empty)"),
                     eng.lp.solves, eng.rows_added)
