"""Linear programs in matrix form, solved through PuLP (HiGHS, CBC fallback) or scipy.

The compensation and fund models are assembled here as sparse matrices with
named rows (one name per constraint, one *family* per switchable group of
constraints), then handed to a backend:

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
import os
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ..errors import InputError, SolverError

__all__ = ["LinearProgram", "Objective", "LPSolution", "solve_lp", "pulp_solver_name"]

INF = math.inf

# scipy.optimize vocabulary
STATUS_OPTIMAL, STATUS_ITERATION, STATUS_INFEASIBLE, STATUS_UNBOUNDED, STATUS_NUMERICAL = 0, 1, 2, 3, 4
STATUS_TEXT = {0: "optimal", 1: "iteration or time limit", 2: "infeasible", 3: "unbounded",
               4: "numerical difficulties"}


class LinearProgram:
    """A linear program with named columns, and rows ``lo <= a x <= hi`` that are
    one-sided (``>=`` or ``<=``) or equalities, each row carrying a name and a family.

    Built incrementally: :meth:`add_vars` returns column indices, :meth:`add_rows`
    takes a sparse block (COO triplets) over those indices.
    """

    def __init__(self) -> None:
        self.col_names: list[str] = []
        self._lb: list[np.ndarray] = []
        self._ub: list[np.ndarray] = []
        self.n_cols = 0
        self._rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._lo: list[np.ndarray] = []
        self._hi: list[np.ndarray] = []
        self.row_names: list[str] = []
        self.row_family: list[str] = []
        self.row_member: list[str] = []   # jurisdiction (or coalition) the row is about
        self.n_rows = 0
        self._A = None

    # ------------------------------------------------------------------ building
    def add_vars(self, names, lb=0.0, ub=INF) -> np.ndarray:
        names = list(names)
        k = len(names)
        idx = np.arange(self.n_cols, self.n_cols + k)
        self.col_names += names
        self._lb.append(np.broadcast_to(np.asarray(lb, float), (k,)).copy())
        self._ub.append(np.broadcast_to(np.asarray(ub, float), (k,)).copy())
        self.n_cols += k
        self._A = None
        return idx

    def add_rows(self, rows, cols, vals, lo, hi, names, family: str, members=None) -> np.ndarray:
        """Add ``m = len(names)`` rows; ``rows`` are local row numbers 0..m-1."""
        names = list(names)
        m = len(names)
        lo = np.broadcast_to(np.asarray(lo, float), (m,)).copy()
        hi = np.broadcast_to(np.asarray(hi, float), (m,)).copy()
        if np.any(np.isnan(lo)) or np.any(np.isnan(hi)):
            raise SolverError(f"NaN bound in constraint family {family!r}",
                              field=family, value="NaN")
        if np.any(np.isfinite(lo) & np.isfinite(hi) & (lo != hi)):
            raise SolverError("ranged rows are not supported; split them", field=family,
                              value="range")
        rows = np.asarray(rows, dtype=np.int64) + self.n_rows
        self._rows.append((rows, np.asarray(cols, dtype=np.int64), np.asarray(vals, float)))
        self._lo.append(lo)
        self._hi.append(hi)
        self.row_names += names
        self.row_family += [family] * m
        self.row_member += list(members) if members is not None else [""] * m
        idx = np.arange(self.n_rows, self.n_rows + m)
        self.n_rows += m
        self._A = None
        return idx

    # ------------------------------------------------------------------ views
    @property
    def lb(self) -> np.ndarray:
        return np.concatenate(self._lb) if self._lb else np.zeros(0)

    @property
    def ub(self) -> np.ndarray:
        return np.concatenate(self._ub) if self._ub else np.zeros(0)

    @property
    def lo(self) -> np.ndarray:
        return np.concatenate(self._lo) if self._lo else np.zeros(0)

    @property
    def hi(self) -> np.ndarray:
        return np.concatenate(self._hi) if self._hi else np.zeros(0)

    @property
    def A(self) -> sp.csr_matrix:
        if self._A is None:
            if self._rows:
                r = np.concatenate([b[0] for b in self._rows])
                c = np.concatenate([b[1] for b in self._rows])
                v = np.concatenate([b[2] for b in self._rows])
            else:
                r = c = np.zeros(0, dtype=np.int64)
                v = np.zeros(0)
            A = sp.csr_matrix((v, (r, c)), shape=(self.n_rows, self.n_cols))
            A.sum_duplicates()
            self._A = A
        return self._A

    def copy(self) -> LinearProgram:
        out = LinearProgram()
        out.col_names = list(self.col_names)
        out._lb = [a.copy() for a in self._lb]
        out._ub = [a.copy() for a in self._ub]
        out.n_cols = self.n_cols
        out._rows = list(self._rows)
        out._lo = [a.copy() for a in self._lo]
        out._hi = [a.copy() for a in self._hi]
        out.row_names = list(self.row_names)
        out.row_family = list(self.row_family)
        out.row_member = list(self.row_member)
        out.n_rows = self.n_rows
        return out

    def violation(self, x: np.ndarray) -> np.ndarray:
        """Per row: by how much ``x`` breaks it (0 when satisfied)."""
        ax = self.A @ x
        lo, hi = self.lo, self.hi
        with np.errstate(invalid="ignore"):
            v = np.maximum(np.where(np.isfinite(lo), lo - ax, 0.0),
                           np.where(np.isfinite(hi), ax - hi, 0.0))
        return np.maximum(v, 0.0)


@dataclass(frozen=True)
class Objective:
    """A linear objective ``c x`` to minimise (``sense=1``) or maximise (``sense=-1``)."""

    c: np.ndarray
    sense: int = 1
    name: str = ""


@dataclass
class LPSolution:
    status: int
    message: str
    x: np.ndarray | None
    values: list[float]                 # optimum of each stage solved (natural sense)
    duals: np.ndarray | None            # first stage, d(objective as minimised)/d(row bound)
    stage_duals: list = field(default_factory=list)
    solver: str = ""
    build_time: float = 0.0
    solve_time: float = 0.0
    stages_solved: int = 0
    probe_values: list = field(default_factory=list)   # min of each probe on the optimal face

    @property
    def success(self) -> bool:
        return self.status == STATUS_OPTIMAL


# ---------------------------------------------------------------------- PuLP backend
_BANNER_DONE = False


def _silence_highs_banner() -> None:
    """highspy prints a copyright banner to the C-level stdout when the first
    ``Highs`` object is created; create one with fd 1 redirected so that the
    command line output stays clean."""
    global _BANNER_DONE
    if _BANNER_DONE:
        return
    _BANNER_DONE = True
    try:
        import highspy
    except ImportError:
        return
    try:
        sys.stdout.flush()
        fd = os.dup(1)
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            try:
                highspy.Highs()
            finally:
                os.dup2(fd, 1)
                os.close(fd)
    except (OSError, ValueError):  # no real stdout (embedded interpreters): live with it
        pass


def _pulp_solver(time_limit: float | None = None):
    import pulp

    avail = set(pulp.listSolvers(onlyAvailable=True))
    if "HiGHS" in avail:
        _silence_highs_banner()
        # threads=1: HiGHS keeps one global thread pool per process, sized by the first
        # run; every highspy user in this package asks for one thread so that they agree
        # (coalitions' LPs set threads=1 and fail with status 'Not Set' otherwise)
        return pulp.HiGHS(msg=False, timeLimit=time_limit, threads=1)
    if "HiGHS_CMD" in avail:
        return pulp.HiGHS_CMD(msg=False, timeLimit=time_limit)
    if "PULP_CBC_CMD" in avail:
        return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    raise SolverError("no LP solver available to PuLP (need highspy, HiGHS or CBC)",
                      field="solver", value=sorted(avail),
                      fix="pip install highspy")


def pulp_solver_name() -> str:
    s = _pulp_solver()
    return f"{s.name} via PuLP"


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


def _solve_pulp(lp: LinearProgram, objectives: list[Objective], tol: float,
                time_limit: float | None, probes=()) -> LPSolution:
    import pulp

    t0 = time.perf_counter()
    solver = _pulp_solver(time_limit)
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
def _solve_scipy(lp: LinearProgram, objectives: list[Objective], tol: float,
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
_FIX_TOLS = (0.0, 1e-9, 1e-7)


def solve_lp(lp: LinearProgram, objectives: list[Objective], *, backend: str = "pulp",
             tol: float = 1e-9, time_limit: float | None = None, probes=()) -> LPSolution:
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
        return _solve_pulp(lp, objectives, tol, time_limit, probes)
    return _solve_scipy(lp, objectives, tol, time_limit, probes)
