"""Who pays for the pool: the pooling cost game, Owen's dual allocation, the core check.

The pooling game. Coalition ``S`` standing alone keeps its members' depots
and meets only its members' demand; its least cost is ``c(S)``, the optimum of
the same LP with the right-hand sides of non-members set to zero (their
demand rows and their depots' capacity rows; a higher-level depot stays open
to every coalition). Each ``c(S)`` is one LP; the ``2**n - 1`` of them are
solved on one HiGHS model, visiting coalitions in Gray-code order so that
each step adds or removes one jurisdiction's rows and the dual simplex
restarts from the previous basis. Pooling never costs more than standing
apart: ``c(S | T) <= c(S) + c(T)`` for disjoint ``S, T`` (the union may run
both plans side by side), so ``c(N) <= sum_i c({i})``.

Owen's allocation. The reserve LP has the form ``c(S) = min { c z : A z >= b(S) }``
(rows ``<=`` written with the sign flipped) with ``b(S) = sum_{i in S} b^i``:
each row's right-hand side is a resource of one jurisdiction (its demand, its
depots' capacity) or zero. With ``pi`` an optimal dual of the grand
coalition's LP, Owen's share is ``x_i = b^i . pi``, the member's resources at
the pool's shadow prices: demand at its marginal cost, capacity at its
(non-positive) marginal value. Then ``x(N) = b(N) . pi = c(N)`` (strong
duality) and, ``pi`` being feasible for every coalition's dual,
``x(S) = b(S) . pi <= c(S)``: the shares lie in the core (Owen 1975; for cost
games Samet and Zemel 1984). This holds when

1. the model is a linear program (no integer decisions, no fixed costs);
2. every coalition's LP has the same constraint matrix and objective and only
   its right-hand side changes;
3. each right-hand side is the sum of the members' resources: a resource that
   no jurisdiction owns (a higher-level depot open to every coalition) breaks
   this, and so does a variable bound that is not zero or infinite;
4. the grand coalition's LP is solved to optimality (finite ``c(N)``, duals).

:func:`core_check` states which of these the model meets and then certifies
(or refutes) core membership numerically: by enumerating every coalition's
LP (up to ``max_enumerate`` jurisdictions); for Owen's shares under the
conditions, by checking Owen's proof on the numbers (the prices ``pi`` are
feasible in the dual of every coalition's LP: reduced costs and signs); or, for any
shares, by one mixed-integer separation problem ``min_{S, z} c z - x(S)``
s.t. ``A z >= sum_i s_i b^i``, ``s`` binary, whose optimum is ``min_S c(S) - x(S)`` (HiGHS MIP via
``scipy.optimize.milp``): the shares are in the core iff it is ``>= 0``.

References
----------
Owen, G. (1975). On the core of linear production games. *Mathematical
Programming* 9, 358-370.
Samet, D. and Zemel, E. (1984). On the core and dual set of linear
programming games. *Mathematics of Operations Research* 9, 309-316.
Kalai, E. and Zemel, E. (1982). Generalized network problems yielding
totally balanced games. *Operations Research* 30, 998-1008.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._numeric import ACCEPT_RTOL, DUST, TINY
from .._result import ResultMixin
from ..coalitions import TUGame, nucleolus, shapley
from ..errors import InputError, SolverError
from ..lp import HighsLP

__all__ = ["pooling_game", "allocation", "owen_shares", "core_check", "CoreCheck", "ALLOCATION_RULES",
           "coalition_cost"]

ALLOCATION_RULES = ("owen", "shapley", "nucleolus")   # cost-sharing rules of the pool
#: relative tolerance (of the largest |c(S)|) of the core check
CORE_RTOL = 1e-7
#: HiGHS's default absolute MIP gap (objective units of the scaled model)
MIP_ABS_GAP = 1e-6


def _highs_model(model):
    """One incremental HiGHS model of the reserve LP (:class:`cooperation.lp.HighsLP`)."""
    lp = model.lp
    h = HighsLP(model.c, lp.lb, lp.ub, tight=True)
    A = lp.A.tocsr()
    lo, hi = lp.lo, lp.hi
    step = max(1, 2_000_000 // max(lp.n_cols, 1))
    for r0 in range(0, lp.n_rows, step):
        r1 = min(lp.n_rows, r0 + step)
        h.add_rows(A[r0:r1].toarray(), lo[r0:r1], hi[r0:r1])
    return h


def _player_rows(model) -> list[np.ndarray]:
    return [np.flatnonzero(model.row_owner == i) for i in range(model.data.n_players)]


def pooling_game(model, *, max_players: int = 16) -> TUGame:
    """The pooling cost game ``c(S)`` of a reserve model, exact (one LP per coalition).

    Parameters
    ----------
    model : ReserveModel
        ``plan._model`` of a :class:`ReservePlan` (use ``plan.pooling_game()``).
    max_players : int
        Refuse more jurisdictions than this (``2**n - 1`` LPs).

    Returns
    -------
    TUGame
        Values are costs (``metadata["kind"] == "cost"``); pass ``-game`` style
        values to savings-game functions (see :func:`allocation`).

    Raises
    ------
    InputError
        Too many jurisdictions, or a coalition that cannot meet its own demand
        on its own (only possible when unmet demand is not allowed).

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
    >>> game = co.design_reserves(demand, depots, links).pooling_game()
    >>> game.values.round(6).tolist()            # one stock of 10 serves both
    [0.0, 10.0, 10.0, 10.0]
    """
    d = model.data
    n = d.n_players
    if n > max_players:
        raise InputError(f"{n} jurisdictions need 2**{n} - 1 LPs; the exact pooling game is "
                         f"limited to max_players={max_players}", field="jurisdictions",
                         value=n, fix="use allocation(rule='owen') and core_check(), which "
                                      "need no enumeration")
    h = _highs_model(model)
    prow = _player_rows(model)
    lo_full, hi_full = model.lp.lo, model.lp.hi
    lo0, hi0 = model.coalition_bounds(0)
    all_own = np.flatnonzero(model.row_owner >= 0)
    if all_own.size:
        h.h.changeRowsBounds(all_own.size, all_own.astype(np.int32), h._inf(lo0[all_own]),
                             h._inf(hi0[all_own]))
    values = np.zeros(1 << n)
    failed = []
    mask = 0
    for g in range(1, 1 << n):
        bit = (g & -g).bit_length() - 1
        mask ^= 1 << bit
        rows = prow[bit]
        if rows.size:
            if mask >> bit & 1:
                lo, hi = lo_full[rows], hi_full[rows]
            else:
                lo, hi = lo0[rows], hi0[rows]
            h.h.changeRowsBounds(rows.size, rows.astype(np.int32), h._inf(lo), h._inf(hi))
        try:
            _, obj, _, _ = h.solve(f"coalition LP {mask}")
        except SolverError as exc:
            failed.append((mask, str(exc.value)))
            values[mask] = math.inf
            continue
        values[mask] = obj * model.money
    if failed:
        m, why = failed[0]
        names = [d.players[i] for i in range(n) if m >> i & 1]
        raise InputError(f"{len(failed)} coalition(s) cannot meet their own demand on their "
                         f"own (HiGHS: {why}), so their stand-alone cost is not finite; the "
                         f"first is {{{', '.join(names)}}}", field="coalition", value=names,
                         fix="allow unmet demand at a penalty (penalty=...) so that every "
                             "coalition has a finite stand-alone cost")
    values[0] = 0.0
    # LP round-off around zero (coalitions with nothing to stock), relative to the range
    values[np.abs(values) <= DUST * max(float(np.abs(values).max()), TINY)] = 0.0
    return TUGame(values, d.players, name="pooling cost game",
                  metadata={"kind": "cost", "lp_solves": h.solves,
                            "method": "one HiGHS model, coalitions in Gray-code order, "
                                      "right-hand sides changed, dual simplex hot start"})


def coalition_cost(model, members) -> float:
    """``c(S)`` for one coalition (a fresh solve; ``inf`` when infeasible)."""
    d = model.data
    mask = 0
    for p in members:
        mask |= 1 << d.players.index(p)
    h = _highs_model(model)
    lo, hi = model.coalition_bounds(mask)
    idx = np.arange(model.lp.n_rows, dtype=np.int32)
    h.h.changeRowsBounds(idx.size, idx, h._inf(lo), h._inf(hi))
    try:
        _, obj, _, _ = h.solve("coalition LP")
    except SolverError:
        return math.inf
    return obj * model.money


def owen_shares(plan) -> tuple[pd.Series, float]:
    """Owen's dual shares ``x_i = b^i . pi`` and the higher level's term ``b^0 . pi``.

    ``b^0 . pi`` is the value at the pool's prices of resources no jurisdiction
    owns (higher-level depots); it is 0 without them. The shares returned by
    :func:`allocation` add it in equal parts so that they sum to ``c(N)``.
    """
    if not plan.success:
        raise InputError("the reserve LP was not solved to optimality; there are no dual "
                         "prices", field="plan.status", value=plan.message)
    model = plan._model
    d = model.data
    contrib = model.rhs * plan._row_dual * model.money     # money per row
    own = model.row_owner
    x = np.bincount(own[own >= 0], weights=contrib[own >= 0], minlength=d.n_players)
    public = float(contrib[own == -1].sum())
    return pd.Series(x, index=pd.Index(d.players, name="jurisdiction"), name="owen"), public


def allocation(plan, rule: str = "owen") -> pd.Series:
    """Shares of the pooled cost ``c(N)`` by jurisdiction (they sum to ``plan.cost``).

    * ``"owen"``: ``x_i = b^i . pi`` from the grand LP's duals (Owen 1975), for any
      number of jurisdictions; with higher-level depots their value ``b^0 . pi``
      is added in equal parts (then the core is not guaranteed: see
      :func:`core_check`);
    * ``"shapley"``: the Shapley value of the cost game (linear, so costs
      directly);
    * ``"nucleolus"``: the nucleolus of the savings form ``v = -c``, negated
      (API: cost games pass ``v = -c``).

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
    >>> plan = co.design_reserves(demand, depots, links)
    >>> plan.allocation("shapley").round(6).tolist()
    [5.0, 5.0]
    """
    if rule not in ALLOCATION_RULES:
        raise InputError(f"must be one of {list(ALLOCATION_RULES)}", field="rule", value=rule)
    if not plan.success:
        raise InputError("the reserve LP was not solved to optimality", field="plan.status",
                         value=plan.message)
    if rule == "owen":
        x, public = owen_shares(plan)
        if public != 0.0:
            x = x + public / len(x)
        return x.rename("owen")
    game = plan.pooling_game()
    if rule == "shapley":
        s = shapley(game)
    else:
        sav = TUGame(-game.values, game.players, name="pooling game, v = -c")
        s = -nucleolus(sav).allocation
    return pd.Series(np.asarray(s, float), index=pd.Index(game.players, name="jurisdiction"),
                     name=rule)


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
    players = tuple(x.index)
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
        ok, detail = _dual_certificate(plan)
        gap = float(xa.sum() - plan.cost)
        tol = CORE_RTOL * max(abs(plan.cost), float(np.abs(xa).max(initial=0.0)), TINY)
        inc = True if ok and abs(gap) <= tol else (False if abs(gap) > tol else None)
        mx, worst = math.nan, ()
        how = (f"dual certificate: the pool's prices are feasible in every coalition's "
               f"dual within the solver's tolerance, so x(S) <= c(S) for all 2^{n} - 1 "
               f"coalitions ({detail})")
        if inc is None:
            msg = f"core membership not established: {how}"
        elif inc:
            msg = f"in the core ({how})"
        else:
            msg = f"NOT efficient: x(N) - c(N) = {gap:.6g}"
        return CoreCheck(rule, x, cond, lin, "dual certificate", inc, mx, worst, gap, tol,
                         msg)
    if use == "enumeration":
        game = plan.pooling_game(max_players=max(16, n))
        vals = game.values
        tol = CORE_RTOL * max(float(np.abs(vals).max()), abs(plan.cost), TINY)
        from ..coalitions._bits import subset_sums

        xs = subset_sums(xa)
        ex = xs - vals
        gap = float(xs[-1] - vals[-1])
        ex[0] = ex[-1] = -np.inf
        k = int(np.argmax(ex)) if n > 1 else 0
        mx = float(ex[k]) if n > 1 else -math.inf
        worst = tuple(p for i, p in enumerate(players) if k >> i & 1)
        inc = bool(mx <= tol and abs(gap) <= tol)
        how = f"enumeration of all {2 ** n - 1} coalition LPs"
    else:
        tol = CORE_RTOL * max(abs(plan.cost), float(np.abs(xa).max(initial=0.0)), TINY)
        # HiGHS stops a MIP at an absolute gap of 1e-6 objective units (scaled): a dual
        # bound within that of zero is all that an "optimal" MIP certifies
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
