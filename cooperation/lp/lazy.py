"""Lexicographic LPs with rows generated on demand, solved by HiGHS through highspy.

Some constraints have too many rows to write down, but a violated one is easy
to find at any candidate point: a CVaR bound over 10,000 simulated years is
the maximum over every choice of the worst ``(1 - beta)`` share of years of a
linear function (Rockafellar and Uryasev 2002, Theorem 10 on the dual,
"risk envelope" form), and at a given point the binding choice is just the
worst years at that point. :func:`solve_lazy` solves such a model by cutting
planes (Kelley 1960): solve the rows written so far, ask ``separate(x)`` for
a violated row, add it, re-solve from the last basis (dual simplex hot
start), and stop when ``separate`` returns nothing. The objectives are
lexicographic as in :func:`cooperation.lp.solve_lp`: each later stage keeps
the earlier optima, ``c_k x <= z_k`` (relaxed by a hair only when HiGHS then
calls the next stage infeasible through rounding).

Statuses are HiGHS's own (``HighsModelStatus``), mapped onto the scipy codes
the package uses, and the message keeps HiGHS's words: "Unbounded or
infeasible" stays that, not "Infeasible". A time limit covers every stage and
every round together; running out is status 1, never "optimal".

References
----------
Kelley, J. E. (1960). The cutting-plane method for solving convex programs.
*Journal of the SIAM* 8(4), 703-712.
Kunzi-Bay, A. and Mayer, J. (2006). Computational aspects of minimizing
conditional value-at-risk. *Computational Management Science* 3, 3-27 (cutting
planes on the CVaR risk envelope).
Rockafellar, R. T. and Uryasev, S. (2002). Conditional value-at-risk for
general loss distributions. *Journal of Banking & Finance* 26, 1443-1471.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .._numeric import ACCEPT_RTOL, LP_DUST
from .highs import new_highs
from .model import (
    STATUS_INFEASIBLE,
    STATUS_ITERATION,
    STATUS_NUMERICAL,
    STATUS_OPTIMAL,
    STATUS_UNBOUNDED,
    LinearProgram,
    LPSolution,
    Objective,
)
from .solve import _FIX_TOLS

__all__ = ["Duals", "Generated", "LazySolution", "highs_status", "solve_lazy"]

#: HiGHS's primal and dual feasibility tolerance in :func:`solve_lazy`: the package's LP
#: dust (the data are expected to be scaled to order one, so absolute is relative)
FEASIBILITY = LP_DUST
#: the largest residual, after HiGHS unscales a solution it found optimal on the
#: scaled model, accepted as optimal (status "Unknown" in HiGHS's words; see
#: ``LazySolution.accepted``): the package's acceptance of numerical answers
ACCEPT_RESIDUAL = ACCEPT_RTOL


@dataclass
class Generated:
    """What a generator hands back: rows that the point violates, columns that would
    improve it, or both.

    ``rows = (A, lo, hi)``: ``lo <= A x <= hi`` over every column so far (the
    model's own and those generated before). ``cols = (lb, ub, costs, A_lp, A_gen)``:
    ``p`` new columns with bounds ``lb``, ``ub``, their cost in every objective
    (``costs``: ``(n_objectives, p)``), their entries in the model's own rows
    (``A_lp``: ``(lp.n_rows, p)``) and in the rows generated so far (``A_gen``:
    ``(rows generated, p)``, in order of generation). A new column starts at its
    lower bound, which must be 0 (absent columns are at 0).
    """

    rows: tuple | None = None
    cols: tuple | None = None


@dataclass(frozen=True)
class Duals:
    """The duals a generator may price columns with: of the model's rows (``lp``), of
    the rows generated so far (``generated``) and of the rows that keep earlier
    stages' optima (``fixes``, one per earlier stage; their coefficients are the
    earlier objectives)."""

    lp: np.ndarray
    generated: np.ndarray
    fixes: np.ndarray


@dataclass
class LazySolution(LPSolution):
    """An :class:`LPSolution` with the generated rows and the per-stage duals of
    everything in the model.

    ``cut_duals[k]``, ``fix_duals[k]`` and ``col_duals[k]``: at stage ``k``, the duals
    of the generated rows (in order of generation), of the rows that keep the
    earlier stages' optima (one per earlier stage), and the reduced costs of the
    columns, generated ones included (same convention as the row duals: the rate of
    change of the stage's objective, as minimised, per unit increase of the bound
    that holds). ``x`` holds the model's columns and then the generated ones.
    """

    cut_duals: list = field(default_factory=list)
    fix_duals: list = field(default_factory=list)
    col_duals: list = field(default_factory=list)
    cuts: int = 0
    columns: int = 0
    rounds: int = 0
    highs_status: str = ""
    accepted: list = field(default_factory=list)


def highs_status(h) -> tuple[int, str]:
    """HiGHS's model status as ``(scipy status code, message in HiGHS's words)``."""
    import highspy

    ms = h.getModelStatus()
    text = h.modelStatusToString(ms)
    M = highspy.HighsModelStatus
    if ms == M.kOptimal:
        return STATUS_OPTIMAL, "optimal"
    if ms in (M.kTimeLimit, M.kIterationLimit, M.kInterrupt, M.kSolutionLimit):
        return STATUS_ITERATION, f"HiGHS stopped at a limit before an optimum: {text}"
    if ms == M.kInfeasible:
        return STATUS_INFEASIBLE, f"HiGHS: {text}"
    if ms == M.kUnbounded:
        return STATUS_UNBOUNDED, f"HiGHS: {text}"
    return STATUS_NUMERICAL, f"HiGHS: {text}"


def _pow2(x: float) -> float:
    """The power of two nearest below ``x`` (1 for 0)."""
    if not x > 0 or not math.isfinite(x):
        return 1.0
    return math.ldexp(1.0, math.frexp(x)[1] - 1)


def _inf(a, highspy) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    return np.clip(a, -highspy.kHighsInf, highspy.kHighsInf)


class _Model:
    """The HiGHS model of :func:`solve_lazy` and the bookkeeping of what was added."""

    def __init__(self, lp: LinearProgram, objectives, highspy):
        self.hs = highspy
        self.h = h = new_highs()
        h.setOptionValue("primal_feasibility_tolerance", FEASIBILITY)
        h.setOptionValue("dual_feasibility_tolerance", FEASIBILITY)
        # presolve would rerun after every added row; the hot-started dual simplex
        # does not need it
        h.setOptionValue("presolve", "off")
        # devex pricing: dual steepest edge costs more per iteration than it saves here
        h.setOptionValue("simplex_dual_edge_weight_strategy", 1)
        n = lp.n_cols
        h.addCols(
            n,
            np.zeros(n),
            _inf(lp.lb, highspy),
            _inf(lp.ub, highspy),
            0,
            np.zeros(0, np.int32),
            np.zeros(0, np.int32),
            np.zeros(0),
        )
        if lp.n_rows:
            self.add_rows(lp.A, lp.lo, lp.hi)
        self.m0 = lp.n_rows
        self.senses = [o.sense for o in objectives]
        self.costs = [np.asarray(o.c, float) * o.sense for o in objectives]  # as minimised
        # each objective is handed to HiGHS divided by a power of two near its largest
        # cost (exact), set when its stage starts and again if a generated column
        # brings a larger cost: the dual simplex fails on costs of 1e-7 beside rows
        # of order one
        self.obj_scale = [1.0] * len(objectives)
        self.gen_rows: list[int] = []
        self.fix_rows: list[tuple[int, float]] = []  # (row index, the stage optimum)
        self.accepted: list[tuple[float, float]] = []  # (primal, dual) residuals

    @property
    def ncol(self) -> int:
        return self.h.getNumCol()

    def stage_costs(self, k: int) -> np.ndarray:
        return self.costs[k] / self.obj_scale[k]

    def start_stage(self, k: int) -> None:
        self.obj_scale[k] = _pow2(float(np.abs(self.costs[k]).max(initial=0.0)))
        self.h.changeColsCost(self.ncol, np.arange(self.ncol, dtype=np.int32), self.stage_costs(k))

    def add_rows(self, A, lo, hi) -> None:
        A = sp.csr_matrix(A)
        A.sum_duplicates()
        self.h.addRows(
            A.shape[0],
            _inf(lo, self.hs),
            _inf(hi, self.hs),
            A.nnz,
            A.indptr[:-1].astype(np.int32),
            A.indices.astype(np.int32),
            A.data.astype(float),
        )

    def add_generated_rows(self, A, lo, hi) -> None:
        first = self.h.getNumRow()
        self.add_rows(A, lo, hi)
        self.gen_rows.extend(range(first, self.h.getNumRow()))

    def add_cols(self, stage: int, lb, ub, costs, A_lp, A_gen) -> None:
        """New columns with their entries in every row, the earlier stages' rows too."""
        p = len(lb)
        costs = np.atleast_2d(np.asarray(costs, float)) * np.asarray(self.senses)[:, None]
        blocks = [sp.csc_matrix(A_lp).tocoo()]
        rows = [blocks[0].row]
        if len(self.gen_rows):
            g = sp.csc_matrix(A_gen).tocoo()
            blocks.append(g)
            rows.append(np.asarray(self.gen_rows, np.int64)[g.row])
        for s, (r, _) in enumerate(self.fix_rows):  # c_s x <= z_s holds new columns too
            nz = np.flatnonzero(costs[s])
            blocks.append(
                sp.coo_matrix(
                    (costs[s][nz] / self.obj_scale[s], (np.zeros(nz.size, int), nz)), shape=(1, p)
                )
            )
            rows.append(np.full(nz.size, r, np.int64))
        cols = np.concatenate([b.col for b in blocks])
        vals = np.concatenate([b.data for b in blocks])
        rr = np.concatenate(rows)
        C = sp.csc_matrix((vals, (rr, cols)), shape=(self.h.getNumRow(), p))
        C.sum_duplicates()
        for s in range(len(self.costs)):
            self.costs[s] = np.concatenate([self.costs[s], costs[s]])
        self.h.addCols(
            p,
            self.stage_costs(stage)[-p:],
            _inf(lb, self.hs),
            _inf(ub, self.hs),
            C.nnz,
            C.indptr[:-1].astype(np.int32),
            C.indices.astype(np.int32),
            C.data.astype(float),
        )
        top = float(np.abs(self.costs[stage]).max(initial=0.0))
        if top > 0 and not 1.0 <= top / self.obj_scale[stage] < 2.0:
            self.start_stage(stage)

    def duals(self, stage: int, y=None) -> Duals:
        """The row duals at ``stage`` in the objectives' own units; a stage-fix row's
        dual per unit of its unscaled objective (its coefficients are the earlier
        objective divided by that objective's scale)."""
        if y is None:
            y = np.array(self.h.getSolution().row_dual)
        y = y * self.obj_scale[stage]
        fixes = (
            y[[r for r, _ in self.fix_rows]] / np.asarray(self.obj_scale[: len(self.fix_rows)])
            if self.fix_rows
            else np.zeros(0)
        )
        return Duals(y[: self.m0], y[self.gen_rows] if self.gen_rows else np.zeros(0), fixes)


def solve_lazy(
    lp: LinearProgram,
    objectives: list[Objective],
    separate: Callable | None = None,
    *,
    time_limit: float | None = None,
    max_rounds: int = 10_000,
    on_round: Callable | None = None,
) -> LazySolution:
    """Solve ``lp`` lexicographically over ``objectives``, with rows and columns from
    ``separate``.

    Parameters
    ----------
    lp, objectives
        As for :func:`cooperation.lp.solve_lp`.
    separate : callable ``(x, stage, duals) -> Generated | None``, optional
        At the stage's optimum ``x`` over what the model holds so far, rows that
        ``x`` violates and columns with a negative reduced cost under ``duals``
        (a :class:`Duals`), or None when there are none: ``x`` is then optimal for
        the whole problem (primal feasible for every row, dual feasible for every
        column). Generated rows and columns stay for the later stages (rows must be
        valid inequalities of the whole problem).
    time_limit : float, optional
        Seconds for everything (all stages and rounds); None: no limit.
    max_rounds : int
        Generation rounds allowed in all; more is reported as status 1.
    on_round : callable ``(stage, round) -> None``, optional
        Called after every solve (for progress bars).

    Examples
    --------
    Minimise ``x + y`` over ``x, y >= 0`` and the rows ``a x + (1 - a) y >= 1/2`` for
    every ``a`` in [0, 1], handed over one at a time (the most violated ``a`` is 0 or
    1, so two rows are enough: ``x = y = 1/2``):

    >>> import numpy as np, scipy.sparse as sp
    >>> from cooperation.lp import LinearProgram, Objective
    >>> from cooperation.lp.lazy import Generated, solve_lazy
    >>> lp = LinearProgram(); _ = lp.add_vars(["x", "y"])
    >>> def worst(x, stage, duals):
    ...     a = 1.0 if x[0] < x[1] else 0.0
    ...     if a * x[0] + (1 - a) * x[1] >= 0.5 - 1e-12:
    ...         return None
    ...     return Generated(rows=(sp.csr_matrix([[a, 1 - a]]), [0.5], [np.inf]))
    >>> sol = solve_lazy(lp, [Objective(np.ones(2))], worst)
    >>> sol.status, sol.values, sol.cuts
    (0, [1.0], 2)
    """
    import highspy

    t0 = time.perf_counter()
    deadline = math.inf if time_limit is None else t0 + float(time_limit)
    mdl = _Model(lp, objectives, highspy)
    h = mdl.h
    build = time.perf_counter() - t0
    sol = LazySolution(STATUS_OPTIMAL, "optimal", None, [], None, solver="HiGHS via highspy")
    x = None
    for k, obj in enumerate(objectives):
        mdl.start_stage(k)
        status, message = _stage(mdl, sol, k, separate, deadline, max_rounds, on_round)
        if status != STATUS_OPTIMAL:
            sol.status, sol.message = status, message
            break
        c, osc = mdl.stage_costs(k), mdl.obj_scale[k]
        s = h.getSolution()
        x = np.array(s.col_value)
        d = mdl.duals(k, np.array(s.row_dual))
        z = float(c @ x)
        sol.values.append(z * osc * obj.sense)
        sol.stage_duals.append(d.lp)
        sol.cut_duals.append(d.generated)
        sol.fix_duals.append(d.fixes)
        sol.col_duals.append(np.array(s.col_dual) * osc)
        if k + 1 < len(objectives):
            nz = np.flatnonzero(c)
            h.addRow(-highspy.kHighsInf, z, len(nz), nz.astype(np.int32), c[nz])
            mdl.fix_rows.append((h.getNumRow() - 1, z))
    sol.x = x if sol.status == STATUS_OPTIMAL else None
    sol.duals = sol.stage_duals[0] if sol.stage_duals else None
    sol.stages_solved = len(sol.values)
    sol.cuts = len(mdl.gen_rows)
    sol.columns = mdl.ncol - lp.n_cols
    sol.build_time = build
    sol.solve_time = time.perf_counter() - t0 - build
    sol.highs_status = h.modelStatusToString(h.getModelStatus())
    sol.accepted = list(mdl.accepted)
    return sol


def _stage(mdl: _Model, sol, k, separate, deadline, max_rounds, on_round) -> tuple[int, str]:
    """Solve one stage to optimality over every row and column; ``(status, message)``."""
    h = mdl.h
    primal = k > 0
    while True:
        status, message = _run(mdl, deadline, primal)
        primal = False
        if on_round is not None:
            on_round(k, sol.rounds)
        if status != STATUS_OPTIMAL or separate is None:
            return status, message
        x = np.array(h.getSolution().col_value)
        new = separate(x, k, mdl.duals(k))
        if new is None or (new.rows is None and new.cols is None):
            return STATUS_OPTIMAL, "optimal"
        sol.rounds += 1
        if sol.rounds > max_rounds:
            return STATUS_ITERATION, f"stopped after {max_rounds} rounds of generated rows"
        if time.perf_counter() >= deadline:
            return STATUS_ITERATION, "time limit reached before an optimum"
        if new.cols is not None:
            mdl.add_cols(k, *new.cols)
        if new.rows is not None:
            mdl.add_generated_rows(*new.rows)


def _unknown(mdl: _Model) -> tuple[int, str]:
    """HiGHS's "Unknown": the simplex ended optimal on the scaled model, but after
    unscaling a residual exceeds the tolerance. Accepted as optimal when the largest
    primal and dual residuals are at most :data:`ACCEPT_RESIDUAL` (the data are of
    order one) and recorded in ``LazySolution.accepted``; otherwise status 4."""
    info = mdl.h.getInfo()
    p, d = float(info.max_primal_infeasibility), float(info.max_dual_infeasibility)
    if p <= ACCEPT_RESIDUAL and d <= ACCEPT_RESIDUAL:
        mdl.accepted.append((p, d))
        return STATUS_OPTIMAL, "optimal"
    return STATUS_NUMERICAL, (
        f"HiGHS: Unknown (residual primal infeasibility {p:.2g}, dual {d:.2g} after unscaling)"
    )


def _run(mdl: _Model, deadline, primal: bool = False) -> tuple[int, str]:
    """``h.run()`` within the time left; when an earlier stage's optimum, kept exactly,
    makes this stage infeasible through rounding, relax it by a hair and retry.

    ``primal``: the primal simplex, for the first solve of a new objective (the last
    basis is primal feasible there, not dual feasible); the dual simplex otherwise
    (after new rows)."""
    h, highspy = mdl.h, mdl.hs
    h.setOptionValue("simplex_strategy", 4 if primal else 1)
    status, message = STATUS_NUMERICAL, "not solved"
    for slack in _FIX_TOLS:
        if slack and mdl.fix_rows:
            for r, z in mdl.fix_rows:
                h.changeRowBounds(r, -highspy.kHighsInf, z + slack * max(1.0, abs(z)))
        left = deadline - time.perf_counter()
        if left <= 0:
            return STATUS_ITERATION, "time limit reached before an optimum"
        h.setOptionValue("time_limit", float(min(left, highspy.kHighsInf)))
        h.run()
        status, message = highs_status(h)
        if h.getModelStatus() == highspy.HighsModelStatus.kUnknown:
            status, message = _unknown(mdl)
        if status != STATUS_INFEASIBLE or not mdl.fix_rows:
            return status, message
    return status, message
