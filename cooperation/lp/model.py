"""Linear programs in matrix form: named columns, rows in named families, objectives.

:class:`LinearProgram` is built incrementally (:meth:`~LinearProgram.add_vars`
returns column indices, :meth:`~LinearProgram.add_rows` takes a sparse block
as COO triplets) and handed to :func:`cooperation.lp.solve_lp`. Every row has
a name, a *family* (a switchable group such as ``participation``) and the
member it is about, so results can report binding constraints and shadow
prices by name. Status codes follow ``scipy.optimize``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ..errors import SolverError

__all__ = ["LinearProgram", "Objective", "LPSolution", "INF", "STATUS_OPTIMAL",
           "STATUS_ITERATION", "STATUS_INFEASIBLE", "STATUS_UNBOUNDED", "STATUS_NUMERICAL",
           "STATUS_TEXT"]

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
