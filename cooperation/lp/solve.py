"""Solving a :class:`~cooperation.lp.model.LinearProgram`: PuLP (HiGHS) or scipy.

The compensation, fund, payment-plan and reserve models are sparse matrices
with named rows (one name per constraint, one *family* per switchable group
of constraints), handed to a backend:

* ``"pulp"`` (default): the rows become ``pulp.LpAffineExpression`` objects
  built from (variable, coefficient) pairs, solved by HiGHS through
  ``pulp.HiGHS`` (the highspy API), or by ``pulp.HiGHS_CMD`` / CBC
  (``pulp.PULP_CBC_CMD``) when highspy is missing;
* ``"scipy"``: the same matrix solved by ``scipy.optimize.linprog(method="highs")``,
  used as the independent cross-check in the tests and the benchmark.

Objectives are lexicographic: a list of linear objectives optimised in turn,
each later stage keeping the earlier optima (``c_k x <= z_k``). This is
how "minimise the subsidy, then the money moved at that subsidy" is solved
exactly instead of with a fragile weighted sum.

Dual values follow one convention on every backend: ``dual[r]`` is the rate of
change of the first-stage objective (as minimised) per unit increase of the
bound of row ``r``; for a row ``a x >= b`` of a minimisation it is >= 0.

References
----------
Bertsimas, D. and Tsitsiklis, J. N. (1997). *Introduction to Linear
Optimization*, ch. 4 (duality, shadow prices) and ch. 5 (sensitivity).
Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex
method. *Mathematical Programming Computation* 10, 119-142 (HiGHS).
"""

from __future__ import annotations

import math
import time

import numpy as np
import scipy.sparse as sp

from .._numeric import RTOL, SOLVER_RTOL
from ..errors import InputError
from .highs import pulp_solver
from .model import (
    INF,
    STATUS_INFEASIBLE,
    STATUS_ITERATION,
    STATUS_NUMERICAL,
    STATUS_OPTIMAL,
    STATUS_TEXT,
    STATUS_UNBOUNDED,
    LinearProgram,
    LPSolution,
    Objective,
)

__all__ = ["solve_lp", "BACKENDS"]


# ---------------------------------------------------------------------- PuLP backend


def _pulp_status(prob, pulp) -> tuple[int, str]:
    st = prob.status
    if st == pulp.LpStatusOptimal:
        sol = getattr(prob, "sol_status", pulp.LpSolutionOptimal)
        if sol == pulp.LpSolutionIntegerFeasible:   # HiGHS: time/iteration limit
            return STATUS_ITERATION, "stopped at a limit before proving optimality"
        return STATUS_OPTIMAL, "optimal"
    if st == pulp.LpStatusInfeasible:
        return STATUS_INFEASIBLE, "infeasible"
    if st == pulp.LpStatusUnbounded:
        return STATUS_UNBOUNDED, "unbounded"
    return STATUS_NUMERICAL, f"solver status {pulp.LpStatus.get(st, st)}"


def _solve_pulp(lp: LinearProgram, objectives: list[Objective],
                time_limit: float | None, probes=()) -> LPSolution:
    import pulp

    t0 = time.perf_counter()
    solver = pulp_solver(time_limit)
    lb, ub = lp.lb, lp.ub
    prob = pulp.LpProblem("cooperation", pulp.LpMinimize)
    # PuLP >= 3.3 attaches variables to the model (LpVariable(...) is deprecated there)
    new_var = getattr(prob, "add_variable", None) or (
        lambda name, lowBound=None, upBound=None: pulp.LpVariable(name, lowBound, upBound))
    # zero-padded names: PuLP hands the columns to the solver sorted by name, so that
    # "x10" would come before "x2"; the padded order is the model's own column order
    # (HiGHS was 10x slower on a 30,000-column flow LP in the name-sorted order)
    width = len(str(max(lp.n_cols - 1, 0)))
    xs = [new_var(f"x{j:0{width}d}", lowBound=None if lb[j] == -INF else float(lb[j]),
                  upBound=None if ub[j] == INF else float(ub[j]))
          for j in range(lp.n_cols)]
    A = lp.A
    ind, dat, ptr = A.indices.tolist(), A.data.tolist(), A.indptr.tolist()
    lo, hi = lp.lo.tolist(), lp.hi.tolist()
    cons = []
    LE, GE, EQ = pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ
    Expr, Con = pulp.LpAffineExpression, pulp.LpConstraint
    for r in range(lp.n_rows):
        s, e = ptr[r], ptr[r + 1]
        expr = Expr([(xs[ind[k]], dat[k]) for k in range(s, e)])
        if lo[r] == hi[r]:
            con = Con(expr, EQ, f"r{r}", lo[r])
        elif lo[r] != -INF:
            con = Con(expr, GE, f"r{r}", lo[r])
        else:
            con = Con(expr, LE, f"r{r}", hi[r])
        prob.addConstraint(con, f"r{r}")
        cons.append(con)
    build = time.perf_counter() - t0
    solve_t = 0.0
    values: list[float] = []
    stage_duals: list[np.ndarray] = []
    x = None
    status, message = STATUS_OPTIMAL, "optimal"
    fix = None       # the previous stage's objective row, and its optimum
    for k, obj in enumerate(objectives):
        t1 = time.perf_counter()
        c = np.asarray(obj.c, float) * obj.sense
        nz = np.flatnonzero(c)
        prob.setObjective(Expr([(xs[j], float(c[j])) for j in nz]))
        for slack in _FIX_TOLS:
            if fix is not None:
                con, z = fix
                con.constant = -(z + slack * max(1.0, abs(z)))
            prob.solve(solver)
            status, message = _pulp_status(prob, pulp)
            if fix is None or status != STATUS_INFEASIBLE:
                break
        solve_t += time.perf_counter() - t1
        if status != STATUS_OPTIMAL:
            break
        x = np.array([v.varValue if v.varValue is not None else 0.0 for v in xs])
        stage_duals.append(np.array([con.pi if con.pi is not None else 0.0 for con in cons]))
        z = float(c @ x)
        values.append(z * obj.sense)
        if k + 1 < len(objectives) or len(probes):
            # keep this stage's optimum in the next stages: c x <= z (exactly first; with
            # a hair of slack only if the solver then calls the next stage infeasible)
            t3 = time.perf_counter()
            name = f"stage{k}"
            con = Con(Expr([(xs[j], float(c[j])) for j in nz]), LE, name, z)
            prob.addConstraint(con, name)
            fix = (con, z)
            build += time.perf_counter() - t3
    probe_values = []
    if status == STATUS_OPTIMAL:
        for c in probes:
            t1 = time.perf_counter()
            c = np.asarray(c, float)
            nz = np.flatnonzero(c)
            prob.setObjective(Expr([(xs[j], float(c[j])) for j in nz]))
            for slack in _FIX_TOLS:
                con, z = fix
                con.constant = -(z + slack * max(1.0, abs(z)))
                prob.solve(solver)
                st, _ = _pulp_status(prob, pulp)
                if st != STATUS_INFEASIBLE:
                    break
            solve_t += time.perf_counter() - t1
            xv = np.array([v.varValue if v.varValue is not None else 0.0 for v in xs])
            probe_values.append(float(c @ xv) if st == STATUS_OPTIMAL else math.nan)
    return LPSolution(status, message, x if status == STATUS_OPTIMAL else None, values,
                      stage_duals[0] if stage_duals else None, stage_duals,
                      f"{solver.name} via PuLP", build, solve_t, len(values), probe_values)


# ---------------------------------------------------------------------- scipy backend
def _solve_scipy(lp: LinearProgram, objectives: list[Objective],
                 time_limit: float | None, probes=()) -> LPSolution:
    from scipy.optimize import linprog

    t0 = time.perf_counter()
    A = lp.A
    lo, hi = lp.lo, lp.hi
    eq = lo == hi
    ge = ~eq & np.isfinite(lo)
    le = ~eq & ~ge
    A_eq, b_eq = A[eq], lo[eq]
    A_ub = sp.vstack([A[le], -A[ge]]).tocsr()
    b_ub = np.concatenate([hi[le], -lo[ge]])
    row_le, row_ge, row_eq = np.flatnonzero(le), np.flatnonzero(ge), np.flatnonzero(eq)
    bounds = np.column_stack([np.where(np.isfinite(lp.lb), lp.lb, np.nan),
                              np.where(np.isfinite(lp.ub), lp.ub, np.nan)])
    bounds = [(None if np.isnan(a) else a, None if np.isnan(b) else b) for a, b in bounds]
    build = time.perf_counter() - t0
    solve_t = 0.0
    values, stage_duals = [], []
    x = None
    status, message = STATUS_OPTIMAL, "optimal"
    extra_A, extra_b = [], []
    probe_values: list[float] = []
    opts = {"time_limit": time_limit} if time_limit else {}
    n_main = len(objectives)
    for k, obj in enumerate(list(objectives) + [Objective(c, 1) for c in probes]):
        probing = k >= n_main
        if probing and status != STATUS_OPTIMAL:
            break
        c = np.asarray(obj.c, float) * obj.sense
        Aub = sp.vstack([A_ub] + extra_A).tocsr() if extra_A else A_ub
        t1 = time.perf_counter()
        for slack in _FIX_TOLS:
            bub = np.concatenate([b_ub, [z + slack * max(1.0, abs(z)) for z in extra_b]]) \
                if extra_b else b_ub
            res = linprog(c, A_ub=Aub if Aub.shape[0] else None,
                          b_ub=bub if Aub.shape[0] else None,
                          A_eq=A_eq if A_eq.shape[0] else None,
                          b_eq=b_eq if A_eq.shape[0] else None,
                          bounds=bounds, method="highs", options=opts)
            if not extra_b or res.status != 2:
                break
        solve_t += time.perf_counter() - t1
        st = {0: STATUS_OPTIMAL, 1: STATUS_ITERATION, 2: STATUS_INFEASIBLE,
              3: STATUS_UNBOUNDED}.get(res.status, STATUS_NUMERICAL)
        if probing:
            probe_values.append(float(c @ res.x) if st == STATUS_OPTIMAL else math.nan)
            continue
        status = st
        message = STATUS_TEXT[status]
        if status != STATUS_OPTIMAL:
            break
        x = res.x
        d = np.zeros(lp.n_rows)
        m_ub = res.ineqlin.marginals if A_ub.shape[0] else np.zeros(0)
        d[row_le] = m_ub[:len(row_le)]
        d[row_ge] = -m_ub[len(row_le):len(row_le) + len(row_ge)]
        if len(row_eq):
            d[row_eq] = res.eqlin.marginals
        stage_duals.append(d)
        z = float(c @ x)
        values.append(z * obj.sense)
        extra_A.append(sp.csr_matrix(c[None, :]))
        extra_b.append(z)
    return LPSolution(status, message, x if status == STATUS_OPTIMAL else None, values,
                      stage_duals[0] if stage_duals else None, stage_duals,
                      "HiGHS via scipy.optimize.linprog", build, solve_t, len(values),
                      probe_values)


BACKENDS = ("pulp", "scipy")
# slack allowed on an earlier stage's optimum: none first, then a hair, then the
# solvers' own feasibility tolerance (only if a stage is declared infeasible)
_FIX_TOLS = (0.0, RTOL, SOLVER_RTOL)


def solve_lp(lp: LinearProgram, objectives: list[Objective], *, backend: str = "pulp",
             time_limit: float | None = None, probes=()) -> LPSolution:
    """Solve ``lp`` lexicographically over ``objectives``.

    Each later stage keeps the earlier optima: ``c_k x <= z_k`` exactly, relaxed
    to ``z_k + 1e-9 max(1, |z_k|)`` (then ``1e-7``) only if the solver declares
    the next stage infeasible through rounding. ``probes``: cost vectors
    minimised over the final optimal face (every stage kept), reusing the same
    model; their minima are in ``probe_values`` (``nan`` if a probe failed).
    """
    if backend not in BACKENDS:
        raise InputError(f"unknown LP backend; choose one of {list(BACKENDS)}",
                         field="backend", value=backend)
    if backend == "pulp":
        return _solve_pulp(lp, objectives, time_limit, probes)
    return _solve_scipy(lp, objectives, time_limit, probes)
