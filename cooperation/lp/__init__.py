"""The LP layer shared by every optimisation in the package (below all subpackages).

* :mod:`.model`: :class:`LinearProgram`, :class:`Objective`, :class:`LPSolution`
  and the scipy-style status codes;
* :mod:`.solve`: :func:`solve_lp`, lexicographic objectives on PuLP + HiGHS or
  ``scipy.optimize.linprog``;
* :mod:`.highs`: the one HiGHS start-up (silent, :data:`THREADS` = 1) and
  :class:`HighsLP`, an incremental model re-solved from its last basis.
"""

from .highs import INF, THREADS, HighsLP, new_highs, pulp_solver, pulp_solver_name
from .model import (
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
from .solve import BACKENDS, solve_lp

__all__ = ["BACKENDS", "HighsLP", "INF", "LPSolution", "LinearProgram", "Objective",
           "STATUS_INFEASIBLE", "STATUS_ITERATION", "STATUS_NUMERICAL", "STATUS_OPTIMAL",
           "STATUS_TEXT", "STATUS_UNBOUNDED", "THREADS", "new_highs", "pulp_solver",
           "pulp_solver_name", "solve_lp"]
