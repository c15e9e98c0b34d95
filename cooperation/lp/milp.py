"""Mixed-integer linear programs: a :class:`~cooperation.lp.model.LinearProgram` with
integer columns, solved by HiGHS's branch and bound (or ``scipy.optimize.milp``).

The model is the LP layer's own (named columns, rows in named families); what
a MILP adds is the list of integer columns and an answer that may be proved
optimal or only bounded: on a time limit the solver returns its best profile
(the incumbent) and the best bound, and :class:`MILPSolution` keeps both, so a
caller can report "within ``gap`` of the optimum" instead of pretending.

Backends:

* ``"highs"`` (default): the matrix handed to ``highspy`` in one call (CSR rows,
  no per-row Python objects), started through :func:`cooperation.lp.highs.new_highs`
  (silent, :data:`~cooperation.lp.highs.THREADS` threads);
* ``"scipy"``: ``scipy.optimize.milp`` on the same matrix (HiGHS inside scipy),
  the independent cross-check of the tests and the benchmark.

References
----------
Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex
method. *Mathematical Programming Computation* 10, 119-142 (HiGHS).
Wolsey, L. A. (2020). *Integer Programming*, 2nd ed., Wiley, ch. 7 (branch and
bound; incumbents, bounds and the optimality gap).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from .._numeric import LP_DUST, RTOL, SOLVER_RTOL
from ..errors import InputError
from .highs import new_highs
from .model import (
    STATUS_INFEASIBLE,
    STATUS_ITERATION,
    STATUS_NUMERICAL,
    STATUS_OPTIMAL,
    STATUS_TEXT,
    STATUS_UNBOUNDED,
    LinearProgram,
    Objective,
)

__all__ = ["MILPSolution", "MILP_BACKENDS", "solve_milp"]

MILP_BACKENDS = ("highs", "scipy")


@dataclass(frozen=True)
class MILPSolution:
    """The answer of :func:`solve_milp` (objective values in the objective's own sense).

    ``status`` uses the scipy codes (0 optimal, 1 time or iteration limit, 2
    infeasible, 3 unbounded, 4 numerical). ``x`` is the best integer-feasible
    point found (also on a limit), ``objective`` its value, ``bound`` the best
    bound on the optimum, ``gap = |bound - objective|`` (0 when proved optimal
    to the requested tolerance; ``nan`` without an incumbent).
    """

    status: int
    message: str
    x: np.ndarray | None
    objective: float
    bound: float
    gap: float
    solver: str
    build_time: float
    solve_time: float
    nodes: int = 0

    @property
    def success(self) -> bool:
        return self.status == STATUS_OPTIMAL

    @property
    def has_solution(self) -> bool:
        return self.x is not None


def _check(lp: LinearProgram, integer) -> np.ndarray:
    idx = np.unique(np.asarray(integer, dtype=np.int64).ravel())
    if idx.size and (idx[0] < 0 or idx[-1] >= lp.n_cols):
        raise InputError(
            f"integer column indices must lie in 0..{lp.n_cols - 1}",
            field="integer",
            value=int(idx[0] if idx[0] < 0 else idx[-1]),
        )
    return idx


def _solve_highs(lp, obj, idx, time_limit, rel_gap):
    import highspy

    t0 = time.perf_counter()
    h = new_highs()
    for key, val in (
        ("primal_feasibility_tolerance", LP_DUST),
        # not LP_DUST: at 1e-10 HiGHS's MIP presolve declared feasible Nash MILPs infeasible
        ("mip_feasibility_tolerance", SOLVER_RTOL),
        ("mip_rel_gap", rel_gap),
        ("mip_abs_gap", 0.0),
    ):
        h.setOptionValue(key, val)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    inf = highspy.kHighsInf

    def fin(a):
        a = np.asarray(a, dtype=float)
        return np.where(np.isposinf(a), inf, np.where(np.isneginf(a), -inf, a))

    c = np.asarray(obj.c, dtype=float) * obj.sense
    h.addCols(
        lp.n_cols,
        c,
        fin(lp.lb),
        fin(lp.ub),
        0,
        np.zeros(0, np.int32),
        np.zeros(0, np.int32),
        np.zeros(0),
    )
    A = lp.A
    if lp.n_rows:
        h.addRows(
            lp.n_rows,
            fin(lp.lo),
            fin(lp.hi),
            A.nnz,
            A.indptr[:-1].astype(np.int32),
            A.indices.astype(np.int32),
            A.data.astype(float),
        )
    if idx.size:
        h.changeColsIntegrality(
            idx.size, idx.astype(np.int32), np.full(idx.size, highspy.HighsVarType.kInteger)
        )
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    h.run()
    solve = time.perf_counter() - t1
    ms = h.getModelStatus()
    info = h.getInfo()
    S = highspy.HighsModelStatus
    status = {
        S.kOptimal: STATUS_OPTIMAL,
        S.kInfeasible: STATUS_INFEASIBLE,
        S.kUnbounded: STATUS_UNBOUNDED,
        S.kUnboundedOrInfeasible: STATUS_INFEASIBLE,
        S.kTimeLimit: STATUS_ITERATION,
        S.kIterationLimit: STATUS_ITERATION,
        S.kSolutionLimit: STATUS_ITERATION,
    }.get(ms, STATUS_NUMERICAL)
    has_x = info.primal_solution_status == 2 and status in (STATUS_OPTIMAL, STATUS_ITERATION)
    x = _snap(np.array(h.getSolution().col_value), idx) if has_x else None
    value = float(info.objective_function_value) * obj.sense if has_x else math.nan
    bound = float(info.mip_dual_bound) * obj.sense if idx.size else value
    return _result(
        status,
        h.modelStatusToString(ms),
        x,
        value,
        bound,
        "HiGHS (highspy)",
        build,
        solve,
        int(info.mip_node_count) if idx.size else 0,
    )


def _solve_scipy(lp, obj, idx, time_limit, rel_gap):
    from scipy.optimize import Bounds, LinearConstraint, milp

    t0 = time.perf_counter()
    c = np.asarray(obj.c, dtype=float) * obj.sense
    integrality = np.zeros(lp.n_cols, dtype=np.uint8)
    integrality[idx] = 1
    cons = [LinearConstraint(lp.A, lp.lo, lp.hi)] if lp.n_rows else []
    opts = {"mip_rel_gap": rel_gap}
    if time_limit is not None:
        opts["time_limit"] = float(time_limit)
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    res = milp(
        c, integrality=integrality, bounds=Bounds(lp.lb, lp.ub), constraints=cons, options=opts
    )
    solve = time.perf_counter() - t1
    status = {
        0: STATUS_OPTIMAL,
        1: STATUS_ITERATION,
        2: STATUS_INFEASIBLE,
        3: STATUS_UNBOUNDED,
    }.get(res.status, STATUS_NUMERICAL)
    x = None if res.x is None else _snap(np.asarray(res.x, dtype=float), idx)
    value = float(res.fun) * obj.sense if x is not None else math.nan
    bound = getattr(res, "mip_dual_bound", None)
    bound = value if bound is None or not np.isfinite(bound) else float(bound) * obj.sense
    return _result(
        status,
        str(res.message),
        x,
        value,
        bound,
        "HiGHS via scipy.optimize.milp",
        build,
        solve,
        int(getattr(res, "mip_node_count", 0) or 0),
    )


def _snap(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Integer columns rounded to the integers they stand for (within the solver's
    integrality tolerance); no -0.0."""
    x[idx] = np.rint(x[idx]) + 0.0
    return x


def _result(status, text, x, value, bound, solver, build, solve, nodes) -> MILPSolution:
    gap = abs(bound - value) if x is not None and math.isfinite(bound) else math.nan
    if status == STATUS_OPTIMAL:
        message = "optimal"
    else:
        message = f"{STATUS_TEXT[status]} ({text})"
        if status == STATUS_ITERATION and x is None:
            message += "; no integer solution found yet"
    return MILPSolution(status, message, x, value, bound, gap, solver, build, solve, nodes)


def solve_milp(
    lp: LinearProgram,
    objective: Objective,
    integer,
    *,
    backend: str = "highs",
    time_limit: float | None = None,
    rel_gap: float = RTOL,
) -> MILPSolution:
    """Optimise ``objective`` over ``lp`` with the columns ``integer`` integral.

    Parameters
    ----------
    lp : LinearProgram
    objective : Objective
        Minimised (``sense=1``) or maximised (``sense=-1``).
    integer : array of int
        Indices of the integer columns (give them bounds, e.g. ``[0, 1]`` for binaries).
    backend : {"highs", "scipy"}
    time_limit : float, optional
        Seconds; on the limit the best solution found and the bound are returned
        (``status = 1``).
    rel_gap : float
        Relative optimality gap at which branch and bound stops (default ``RTOL``:
        proved optimal to the package's relative tolerance).

    Examples
    --------
    A knapsack: items worth 5, 4, 3 weighing 2, 3, 2, capacity 4.

    >>> from cooperation.lp import LinearProgram, Objective
    >>> lp = LinearProgram()
    >>> x = lp.add_vars(["a", "b", "c"], 0, 1)
    >>> _ = lp.add_rows([0, 0, 0], x, [2, 3, 2], -float("inf"), 4, ["weight"], "capacity")
    >>> sol = solve_milp(lp, Objective([5, 4, 3], sense=-1), x)
    >>> sol.status, sol.objective, sol.x.round().tolist()
    (0, 8.0, [1.0, 0.0, 1.0])
    """
    if backend not in MILP_BACKENDS:
        raise InputError(
            f"unknown MILP backend; choose one of {list(MILP_BACKENDS)}",
            field="backend",
            value=backend,
        )
    idx = _check(lp, integer)
    if backend == "highs":
        return _solve_highs(lp, objective, idx, time_limit, rel_gap)
    return _solve_scipy(lp, objective, idx, time_limit, rel_gap)
