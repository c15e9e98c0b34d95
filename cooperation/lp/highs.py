"""The one place where HiGHS is started: banner, thread policy, incremental models.

* :func:`new_highs` creates a silent ``highspy.Highs`` (the library prints a
  copyright banner to the C-level stdout the first time one is constructed;
  the first construction runs with fd 1 redirected, under a lock).
* :data:`THREADS` = 1 for every HiGHS run in the package, through highspy
  directly or through PuLP (:func:`pulp_solver`): HiGHS keeps one global
  thread pool per process, sized by the first run, and a later run that asks
  for another size fails with model status "Not Set". One thread also keeps
  answers bit-for-bit reproducible.
* :class:`HighsLP`: rows added incrementally and re-solved from the previous
  basis (dual simplex hot start). The nucleolus, least-core and Kohlberg LPs
  are solved by constraint generation this way, which is what keeps n = 20
  fast; scipy's ``linprog`` rebuilds the model at every call.
"""

from __future__ import annotations

import os
import sys
import threading

import numpy as np

from .._numeric import LP_DUST
from ..errors import SolverError

__all__ = ["HighsLP", "INF", "THREADS", "new_highs", "pulp_solver", "pulp_solver_name"]

_lock = threading.Lock()
_banner_done = False
INF = float("inf")
#: threads of every HiGHS run in the package (see the module notes)
THREADS = 1


def silence_banner() -> None:
    """Construct the first ``highspy.Highs`` with fd 1 redirected (once per process)."""
    global _banner_done
    with _lock:
        if _banner_done:
            return
        try:
            import highspy
        except ImportError:
            return
        try:
            sys.stdout.flush()
            saved = os.dup(1)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            try:
                highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(devnull)
        except (OSError, ValueError):  # no usable fd 1 (embedded interpreters): live with it
            pass
        _banner_done = True


def new_highs():
    """A silent ``highspy.Highs`` on :data:`THREADS` threads."""
    import highspy

    silence_banner()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", THREADS)
    return h


def pulp_solver(time_limit: float | None = None):
    """PuLP's HiGHS solver on :data:`THREADS` threads (HiGHS_CMD or CBC when highspy is
    missing)."""
    import pulp

    avail = set(pulp.listSolvers(onlyAvailable=True))
    if "HiGHS" in avail:
        silence_banner()
        return pulp.HiGHS(msg=False, timeLimit=time_limit, threads=THREADS)
    if "HiGHS_CMD" in avail:
        return pulp.HiGHS_CMD(msg=False, timeLimit=time_limit)
    if "PULP_CBC_CMD" in avail:
        return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    raise SolverError("no LP solver available to PuLP (need highspy, HiGHS or CBC)",
                      field="solver", value=sorted(avail), fix="pip install highspy")


def pulp_solver_name() -> str:
    return f"{pulp_solver().name} via PuLP"


class HighsLP:
    """Minimise ``c @ x`` over column bounds and row ranges, rows added incrementally."""

    def __init__(self, cost, lower, upper, *, tight: bool = True):
        import highspy

        self._hs = highspy
        self.h = new_highs()
        if tight:
            self.h.setOptionValue("primal_feasibility_tolerance", LP_DUST)
            self.h.setOptionValue("dual_feasibility_tolerance", LP_DUST)
        cost = np.asarray(cost, dtype=float)
        self.ncol = cost.size
        lo = np.where(np.isfinite(lower), lower, -highspy.kHighsInf).astype(float)
        up = np.where(np.isfinite(upper), upper, highspy.kHighsInf).astype(float)
        self.h.addCols(self.ncol, cost, lo, up, 0, np.zeros(0, np.int32), np.zeros(0, np.int32),
                       np.zeros(0))
        self.nrow = 0
        self.solves = 0

    def _inf(self, a):
        a = np.asarray(a, dtype=float)
        return np.where(np.isposinf(a), self._hs.kHighsInf,
                        np.where(np.isneginf(a), -self._hs.kHighsInf, a))

    def add_rows(self, A: np.ndarray, lower, upper) -> np.ndarray:
        """Add dense rows ``lower <= A @ x <= upper``; return their indices."""
        A = np.atleast_2d(np.asarray(A, dtype=float))
        m = A.shape[0]
        if m == 0:
            return np.zeros(0, dtype=np.int64)
        r, c = np.nonzero(A)
        starts = np.searchsorted(r, np.arange(m)).astype(np.int32)
        self.h.addRows(m, self._inf(np.broadcast_to(lower, (m,))),
                       self._inf(np.broadcast_to(upper, (m,))), r.size, starts,
                       c.astype(np.int32), A[r, c])
        idx = np.arange(self.nrow, self.nrow + m)
        self.nrow += m
        return idx

    def set_row_bounds(self, row: int, lower: float, upper: float) -> None:
        self.h.changeRowBounds(int(row), float(self._inf(lower)), float(self._inf(upper)))

    def set_coeff(self, row: int, col: int, value: float) -> None:
        self.h.changeCoeff(int(row), int(col), float(value))

    def set_col_bounds(self, col: int, lower: float, upper: float) -> None:
        self.h.changeColBounds(int(col), float(self._inf(lower)), float(self._inf(upper)))

    def solve(self, what: str = "LP"):
        """Solve; return ``(x, objective, row_dual, col_dual)``; raise SolverError unless optimal."""
        self.h.run()
        self.solves += 1
        status = self.h.getModelStatus()
        if status != self._hs.HighsModelStatus.kOptimal:
            text = self.h.modelStatusToString(status)
            raise SolverError(f"HiGHS did not reach an optimum of the {what}: {text}",
                              field="status", value=text)
        sol = self.h.getSolution()
        return (np.array(sol.col_value), float(self.h.getInfo().objective_function_value),
                np.array(sol.row_dual), np.array(sol.col_dual))
