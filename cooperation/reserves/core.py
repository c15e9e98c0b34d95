"""The core check of the reserve pool: Owen's conditions and three certificates.

The pool's cost game ``c(S)`` (:mod:`.pooling`) has the core
``{x : x(N) = c(N), x(S) <= c(S) for every S}``. Owen (1975) proved that when
the pool is a linear production game (every coalition's LP shares one
constraint matrix and its right-hand side is the sum of its members'), the
shares priced by the grand coalition's dual lie in the core. The check
certifies membership by enumeration (every coalition's LP, small ``n``), by
the dual certificate (Owen's proof on the numbers, any ``n``), or by MILP
separation of the most blocking coalition.

References
----------
Owen, G. (1975). On the core of linear production games. *Mathematical
Programming* 9, 358-370.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._numeric import ACCEPT_RTOL, TINY
from .._result import ResultMixin
from ..coalitions._bits import subset_sums
from ..errors import InputError
from .pooling import allocation, coalition_cost

__all__ = ["core_check", "CoreCheck", "CORE_RTOL", "MIP_ABS_GAP"]

#: relative tolerance (of the largest |c(S)|) of the core check
CORE_RTOL = 1e-7
#: HiGHS's default absolute MIP gap (objective units of the scaled model)
MIP_ABS_GAP = 1e-6


# ====================================================================== the core check
@dataclass(frozen=True, repr=False)
class CoreCheck(ResultMixin):
    """Owen's conditions for the model at hand and a core certificate for a cost split.

    Attributes
    ----------
    rule : str
    allocation : Series
        The cost shares checked.
    conditions : DataFrame
        ``condition, met, detail``: the conditions of Owen's theorem.
    linear_production : bool
        Every condition met: the dual shares lie in the core by the theorem.
    method : str
        How membership was checked: ``"enumeration"`` (every coalition's LP),
        ``"MILP separation"`` (one mixed-integer problem) or ``"dual certificate"``
        (the prices are dual feasible for every coalition; ``max_excess`` is then nan).
    in_core : bool or None
        ``x(S) <= c(S)`` for every coalition and ``x(N) = c(N)``, within ``tol``;
        None when the check could not be completed.
    max_excess : float
        ``max_S x(S) - c(S)`` over proper coalitions (> tol: ``worst`` blocks).
    worst : tuple of str
        The coalition attaining ``max_excess``.
    efficiency_gap : float
        ``x(N) - c(N)``.
    tol : float
    message : str
    """

    rule: str
    allocation: pd.Series
    conditions: pd.DataFrame
    linear_production: bool
    method: str
    in_core: bool | None
    max_excess: float
    worst: tuple
    efficiency_gap: float
    tol: float
    message: str

    def _summary(self):
        return [("rule", self.rule), ("Owen's conditions met", self.linear_production),
                ("method", self.method), ("in core", self.in_core),
                ("max x(S) - c(S)", f"{self.max_excess:.6g} at {{{', '.join(self.worst)}}}"),
                ("message", self.message)]

    def to_frame(self) -> pd.DataFrame:
        return self.conditions.copy()


def _conditions(plan) -> pd.DataFrame:
    model = plan._model
    d = model.data
    lb, ub = model.lp.lb, model.lp.ub
    bad_bounds = np.flatnonzero(~((lb == 0) | np.isneginf(lb)) | np.isfinite(ub))
    public = [d.depots[i] for i in np.flatnonzero(d.depot_owner < 0)]
    public_cap = [d.depots[d.stock_depot[m]] for m in np.flatnonzero(d.stock_owner < 0)
                  if np.isfinite(d.capacity[m])]
    rows = [
        ("linear program", True,
         "continuous stock, dispatch and unmet-demand variables; no fixed or integer costs"),
        ("same matrix and objective for every coalition", True,
         "by construction: a coalition's LP differs only in the right-hand sides of "
         "non-members (demand and capacity set to 0)"),
        ("right-hand sides are sums of members' resources", not public_cap,
         "every resource row is owned by one jurisdiction; supply and CVaR rows are 0"
         if not public_cap else
         f"higher-level depots {sorted(set(public_cap))} are open to every coalition, so "
         "their capacity is not a sum of members' resources"),
        ("no resource in variable bounds", bad_bounds.size == 0,
         "all variables are >= 0 or free" if bad_bounds.size == 0 else
         f"{bad_bounds.size} variables have other bounds"),
        ("grand coalition solved to optimality", bool(plan.success),
         f"status {plan.status} ({plan.message})"),
    ]
    if public and not public_cap:
        rows[2] = (rows[2][0], True, "higher-level depots " + str(sorted(public)) +
                   " have unlimited capacity (no resource row); all other resources owned")
    return pd.DataFrame(rows, columns=["condition", "met", "detail"])


def _milp_separation(plan, x: np.ndarray, time_limit):
    """``min_{S, z} c z - x(S)`` s.t. the coalition LP with rhs ``sum_i s_i b^i``."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    model = plan._model
    lp = model.lp
    n = model.data.n_players
    A = lp.A.tocsr()
    own = model.row_owner
    lo, hi = lp.lo.copy(), lp.hi.copy()
    owned = np.flatnonzero(own >= 0)
    # rows of owned resources: A z - b_r s_owner >= 0  (>= rows) or <= 0 (<= rows)
    B = sp.csr_matrix((-model.rhs[owned], (owned, own[owned])), shape=(lp.n_rows, n))
    lo[owned[model.ge[owned]]] = 0.0
    hi[owned[~model.ge[owned]]] = 0.0
    M = sp.hstack([A, B]).tocsr()
    if n >= 2:      # proper coalitions only: 1 <= |S| <= n - 1
        M = sp.vstack([M, sp.hstack([sp.csr_matrix((1, lp.n_cols)),
                                     sp.csr_matrix(np.ones((1, n)))])]).tocsr()
        lo = np.append(lo, 1.0)
        hi = np.append(hi, n - 1.0)
    xs = x / model.money
    c = np.concatenate([model.c, -xs])
    lb = np.concatenate([lp.lb, np.zeros(n)])
    ub = np.concatenate([lp.ub, np.ones(n)])
    integ = np.concatenate([np.zeros(lp.n_cols), np.ones(n)])
    opts = {"disp": False, "mip_rel_gap": 0.0}
    if time_limit:
        opts["time_limit"] = float(time_limit)
    res = milp(c, constraints=LinearConstraint(M, lo, hi), integrality=integ,
               bounds=Bounds(lb, ub), options=opts)
    bound = getattr(res, "mip_dual_bound", None)
    s = None if res.x is None else np.round(res.x[lp.n_cols:]).astype(int)
    return res, (None if bound is None else float(bound) * model.money), \
        (None if res.fun is None else float(res.fun) * model.money), s


def _dual_certificate(plan, rtol: float = ACCEPT_RTOL) -> tuple[bool, str]:
    """Owen's proof checked on the numbers: the grand LP's prices ``pi`` are feasible for
    the dual of every coalition's LP (the dual feasible set does not depend on ``S``), so
    ``x(S) = b(S) . pi <= c(S)`` for all ``S`` by weak duality.

    Checks, in the scaled model, reduced costs ``c - A^T pi >= 0`` on columns ``>= 0``
    (``= 0`` on free ones) and the signs ``pi >= 0`` on ``>=`` rows, ``<= 0`` on ``<=``
    rows, within ``rtol`` (scaled units: the largest cost coefficient is 1 before
    probabilities; HiGHS's own dual feasibility tolerance is 1e-7).
    """
    model = plan._model
    lp = model.lp
    pi = plan._row_dual
    r = model.c - lp.A.T @ pi
    t = rtol
    free = np.isneginf(lp.lb)
    worst_r = float(max(-r[~free].min(initial=0.0), np.abs(r[free]).max(initial=0.0)))
    ge = np.isfinite(lp.lo) & ~np.isfinite(lp.hi)
    le = np.isfinite(lp.hi) & ~np.isfinite(lp.lo)
    worst_s = float(max(-pi[ge].min(initial=0.0), pi[le].max(initial=0.0)))
    ok = worst_r <= t and worst_s <= t
    return ok, (f"largest reduced-cost violation {worst_r:.2g}, dual sign violation "
                f"{worst_s:.2g} (tol {t:.2g}, scaled units)")


def core_check(plan, rule: str = "owen", *, method: str = "auto", max_enumerate: int = 15,
               time_limit: float | None = 60.0) -> CoreCheck:
    """Check Owen's conditions and certify whether ``rule``'s shares lie in the core.

    Core of the cost game: ``x(N) = c(N)`` and ``x(S) <= c(S)`` for every ``S``.

    Parameters
    ----------
    plan : ReservePlan
    rule : {"owen", "shapley", "nucleolus"}
    method : {"auto", "enumeration", "milp", "dual"}
        ``"auto"``: enumeration up to ``max_enumerate`` jurisdictions; beyond, the
        dual certificate for Owen's shares when Owen's conditions hold, else MILP.
        ``"dual"``: check that the pool's prices are feasible in the (common)
        dual of every coalition's LP, Owen's proof on the numbers (any ``n``).
    time_limit : float, optional
        Seconds for the MILP; when it stops early ``in_core`` is None unless a
        blocking coalition was found.

    Examples
    --------
    >>> import pandas as pd
    >>> import cooperation as co
    >>> demand = pd.DataFrame({"scenario": ["s1", "s2"], "jurisdiction": ["A", "B"],
    ...                        "item": ["kit", "kit"], "quantity": [10.0, 10.0],
    ...                        "probability": [0.5, 0.5]})
    >>> depots = pd.DataFrame({"depot": ["dA", "dB"], "jurisdiction": ["A", "B"],
    ...                        "item": ["kit", "kit"], "capacity": [50.0, 50.0],
    ...                        "holding_cost": [1.0, 1.0]})
    >>> links = pd.DataFrame({"from": ["A"], "to": ["B"], "hours": [5.0], "cost": [0.0]})
    >>> chk = co.design_reserves(demand, depots, links).core_check()
    >>> chk.linear_production, chk.method, chk.in_core
    (True, 'enumeration', True)
    """
    if method not in ("auto", "enumeration", "milp", "dual"):
        raise InputError("must be 'auto', 'enumeration', 'milp' or 'dual'", field="method",
                         value=method)
    cond = _conditions(plan)
    lin = bool(cond["met"].all())
    x = allocation(plan, rule)
    n = len(x)
    xa = x.to_numpy(float)
    if method == "dual" and not (lin and rule == "owen"):
        raise InputError("the dual certificate applies to Owen's shares when every one of "
                         "Owen's conditions holds", field="method", value=method,
                         fix="use method='enumeration' or 'milp'")
    if method != "auto":
        use = method
    elif n <= max_enumerate:
        use = "enumeration"
    else:
        use = "dual" if lin and rule == "owen" else "milp"
    if use == "dual":
        inc, gap, tol, msg = _by_dual(plan, xa, n)
        return CoreCheck(rule, x, cond, lin, "dual certificate", inc, math.nan, (), gap, tol,
                         msg)
    players = tuple(x.index)
    if use == "enumeration":
        inc, mx, worst, gap, tol, how = _by_enumeration(plan, xa, players)
    else:
        inc, mx, worst, gap, tol, how = _by_milp(plan, xa, players, time_limit)
        use = "MILP separation"
    if inc is None:
        msg = f"core membership not established ({how})"
    elif inc:
        msg = (f"in the core: no coalition can pool more cheaply on its own ({how}; "
               f"largest x(S) - c(S) = {mx:.6g}, tol {tol:.3g})")
    else:
        msg = (f"NOT in the core: {{{', '.join(worst)}}} would pay {mx:.6g} less on its own "
               f"({how})" if mx > tol else f"NOT efficient: x(N) - c(N) = {gap:.6g}")
    if lin and rule == "owen":
        msg += "; Owen's conditions hold, so the theorem guarantees it too"
    elif rule == "owen":
        msg += "; Owen's conditions do not all hold (see conditions)"
    return CoreCheck(rule, x, cond, lin, use, inc, mx, worst, gap, tol, msg)


def _by_dual(plan, xa, n):
    """Owen's proof on the numbers: ``(in core, x(N) - c(N), tol, message)``."""
    ok, detail = _dual_certificate(plan)
    gap = float(xa.sum() - plan.cost)
    tol = CORE_RTOL * max(abs(plan.cost), float(np.abs(xa).max(initial=0.0)), TINY)
    inc = True if ok and abs(gap) <= tol else (False if abs(gap) > tol else None)
    how = (f"dual certificate: the pool's prices are feasible in every coalition's "
           f"dual within the solver's tolerance, so x(S) <= c(S) for all 2^{n} - 1 "
           f"coalitions ({detail})")
    if inc is None:
        msg = f"core membership not established: {how}"
    elif inc:
        msg = f"in the core ({how})"
    else:
        msg = f"NOT efficient: x(N) - c(N) = {gap:.6g}"
    return inc, gap, tol, msg


def _by_enumeration(plan, xa, players):
    """Every coalition's LP: ``(in core, max excess, worst coalition, gap, tol, how)``."""
    n = len(players)
    game = plan.pooling_game(max_players=max(16, n))
    vals = game.values
    tol = CORE_RTOL * max(float(np.abs(vals).max()), abs(plan.cost), TINY)
    xs = subset_sums(xa)
    ex = xs - vals
    gap = float(xs[-1] - vals[-1])
    ex[0] = ex[-1] = -np.inf
    k = int(np.argmax(ex)) if n > 1 else 0
    mx = float(ex[k]) if n > 1 else -math.inf
    worst = tuple(p for i, p in enumerate(players) if k >> i & 1)
    inc = bool(mx <= tol and abs(gap) <= tol)
    return inc, mx, worst, gap, tol, f"enumeration of all {2 ** n - 1} coalition LPs"


def _by_milp(plan, xa, players, time_limit):
    """MILP separation of the most blocking coalition, verified by its own LP."""
    tol = CORE_RTOL * max(abs(plan.cost), float(np.abs(xa).max(initial=0.0)), TINY)
    # HiGHS stops a MIP at an absolute gap of MIP_ABS_GAP objective units (scaled): a
    # dual bound within that of zero is all that an "optimal" MIP certifies
    tol = max(tol, MIP_ABS_GAP * plan._model.money)
    res, bound, val, s = _milp_separation(plan, xa, time_limit)
    gap = float(xa.sum() - plan.cost)
    worst = () if s is None else tuple(p for i, p in enumerate(players) if s[i])
    if val is not None and val < -tol:
        # verify the blocking coalition with its own LP
        cs = coalition_cost(plan._model, worst)
        mx = float(xa[list(s.astype(bool))].sum() - cs)
        inc = False if mx > tol else None
    elif bound is not None and bound >= -tol and res.status == 0:
        mx = -bound if val is None else -val
        inc = bool(abs(gap) <= tol)
    else:
        mx = math.nan if val is None else -val
        inc = None
    how = f"MILP separation (HiGHS via scipy.optimize.milp: {res.message.strip()})"
    return inc, mx, worst, gap, tol, how
