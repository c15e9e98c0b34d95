"""The sequential-LP engine behind least_core, nucleolus and prenucleolus (internal).

Stage ``k`` of the Maschler-Peleg-Shapley scheme (Maschler, Peleg and
Shapley 1979) solves::

    t_k = min t   s.t.  v(S) - x(S) <= t          for every free coalition S
                        v(S) - x(S)  = t_j         for S fixed at an earlier stage j
                        x(N) = v(N)
                        x_i >= v({i})              (nucleolus only; fixed ones: =)

Fixing rule. After stage ``k`` the coalitions whose constraint has a
**positive dual value** are fixed at level ``t_k``: by complementary slackness
their excess equals ``t_k`` in *every* optimal solution, so fixing them loses
nothing. (Fixing the constraints that happen to be tight at the returned
vertex instead is wrong: a constraint can be tight at one optimal vertex and
slack at another, and fixing it cuts off the nucleolus.) The duals of the
free rows sum to 1 (the cost of ``t``), so at least one coalition is fixed at
each stage. An imputation bound with a positive reduced cost is fixed the
same way (``x_i = v({i})``).

Then every coalition whose indicator vector lies in the span of the fixed
rows (``N``, fixed coalitions, fixed bounds) has a constant excess on the
remaining optimal face and leaves the free set; this test runs on all
``2**n`` coalitions at once by projecting onto two fixed pseudo-random
vectors of the orthogonal complement (a coalition is in the span iff both
projections vanish, up to rounding). Each stage therefore raises the rank of
the fixed rows by at least one: at most ``n`` stages.

Constraint generation. Each stage LP starts from the rows it inherited
(initially the singletons and their complements, a complement-closed set
that keeps the LP bounded) and adds the most violated free coalitions,
``argmax_S v(S) - x(S)`` computed over all ``2**n`` coalitions in ``O(2**n)``
numpy work, with their complements, until none is violated; HiGHS re-solves
from the previous basis. The final allocation is polished by solving the
fixed equalities (square or over-determined, full rank) in least squares.

References
----------
Maschler, M., Peleg, B. and Shapley, L. S. (1979). Geometric properties of the
kernel, nucleolus and related solution concepts. *Mathematics of Operations
Research* 4, 303-338.
Fromen, B. (1997). Reducing the number of linear programs needed for solving
the nucleolus problem of n-person game theory. *EJOR* 98, 626-636.
Benedek, M., Fliege, J. and Nguyen, T.-D. (2021). Finding and verifying the
nucleolus of cooperative games. *Mathematical Programming* 190, 135-170.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .._numeric import RANK_RTOL, RTOL
from ..errors import SolverError
from ..lp import INF, HighsLP
from ._bits import subset_sums

if TYPE_CHECKING:  # a type only: tu_game imports this module (is_balanced)
    from .tu_game import TUGame

_FREE, _FIXED, _OFF = 0, 1, 2


@lru_cache(maxsize=1)
def _projection() -> np.ndarray:
    """A fixed (seeded) random projection, built on first use, not at import."""
    return np.random.default_rng(20240601).standard_normal((64, 2))


def span_complement(rows: np.ndarray, n: int, tol: float = RANK_RTOL) -> np.ndarray:
    """Orthonormal basis ``(n, d)`` of the orthogonal complement of the row space."""
    if rows.shape[0] == 0:
        return np.eye(n)
    _, s, vt = np.linalg.svd(rows, full_matrices=True)
    rank = int((s > tol * max(1.0, s[0])).sum())
    return vt[rank:].T


def in_span_mask(Z: np.ndarray, n: int) -> np.ndarray:
    """Boolean ``2**n``: coalitions whose indicator is orthogonal to ``Z`` (in the span)."""
    if Z.shape[1] == 0:
        return np.ones(1 << n, dtype=bool)
    q = subset_sums(Z @ _projection()[: Z.shape[1]])
    return np.all(np.abs(q) <= RTOL * np.sqrt(n), axis=1)


@dataclass
class SequentialLP:
    """State of one run of the sequential LPs (see module notes)."""

    game: TUGame
    imputation: bool
    tol: float
    batch: int | None = None
    levels: list = field(default_factory=list)
    fixed: list = field(default_factory=list)       # (mask, stage)
    fixed_bounds: list = field(default_factory=list)  # (player, stage)
    rows_added: int = 0

    def __post_init__(self) -> None:
        g = self.game
        n = self.n = g.n_players
        self.N = (1 << n) - 1
        self.v = g.values
        self.free = np.ones(1 << n, dtype=bool)
        self.free[0] = self.free[self.N] = False
        self.vpen = np.where(self.free, self.v, -INF)
        lower = np.append(g.singletons if self.imputation else np.full(n, -INF), -INF)
        self.lp = HighsLP(np.append(np.zeros(n), 1.0), lower, np.full(n + 1, INF))
        self.tcol = n
        self.lp.add_rows(np.append(np.ones(n), 0.0)[None, :], self.v[-1], self.v[-1])
        self.row_mask = [self.N]
        self.row_state = [_FIXED]
        self.in_lp = np.zeros(1 << n, dtype=bool)
        self.in_lp[self.N] = True
        self.bits = 1 << np.arange(n, dtype=np.int64)
        if self.batch is None:
            self.batch = max(4 * n, 40)
        start = np.concatenate([self.bits, self.N ^ self.bits]) if n > 1 else self.bits
        self._add(np.unique(start[self.free[start]]))
        self.x = None

    # ------------------------------------------------------------------ rows
    def _add(self, masks: np.ndarray) -> None:
        masks = masks[~self.in_lp[masks]]
        if masks.size == 0:
            return
        A = np.zeros((masks.size, self.n + 1))
        A[:, : self.n] = (masks[:, None] & self.bits[None, :]) != 0
        A[:, self.n] = 1.0
        self.lp.add_rows(A, self.v[masks], INF)
        self.in_lp[masks] = True
        self.row_mask.extend(int(m) for m in masks)
        self.row_state.extend([_FREE] * masks.size)
        self.rows_added += masks.size

    # ------------------------------------------------------------------ one stage
    def solve_stage(self, max_rounds: int = 10_000):
        """Solve the current stage LP over all free coalitions (constraint generation).

        Returns ``(x, t, row_dual, col_dual)`` at the optimum.
        """
        for _ in range(max_rounds):
            sol, obj, rdual, cdual = self.lp.solve("nucleolus stage LP")
            x, t = sol[: self.n], sol[self.n]
            e = self.vpen - subset_sums(x)
            viol = np.flatnonzero(e > t + self.tol)
            if viol.size == 0:
                self.x = x
                return x, t, rdual, cdual
            if viol.size > self.batch:
                viol = viol[np.argpartition(-e[viol], self.batch - 1)[: self.batch]]
            comp = self.N ^ viol
            comp = comp[self.free[comp]]
            self._add(np.unique(np.concatenate([viol, comp])))
        raise SolverError("constraint generation did not converge", field="max_rounds",
                          value=max_rounds)

    def fix_after_stage(self, t: float, rdual: np.ndarray, cdual: np.ndarray,
                        dual_tol: float = RTOL) -> int:
        """Fix positive-dual coalitions and bounds at level ``t``; update the free set.

        Returns the rank of the fixed rows (``n`` when the allocation is determined).
        """
        stage = len(self.levels)
        self.levels.append(t)
        state = np.asarray(self.row_state)
        hits = np.flatnonzero((state == _FREE) & (rdual[: state.size] > dual_tol))
        for r in hits:
            S = self.row_mask[r]
            self.lp.set_coeff(r, self.tcol, 0.0)
            # x(S) = v(S) - t, widened by tol so that rounding in t cannot make the
            # fixed rows inconsistent; polish() solves them exactly at the end
            self.lp.set_row_bounds(r, self.v[S] - t - self.tol, self.v[S] - t + self.tol)
            self.row_state[r] = _FIXED
            self.fixed.append((S, stage))
        if self.imputation:
            vi = self.game.singletons
            already = {i for i, _ in self.fixed_bounds}
            for i in np.flatnonzero(cdual[: self.n] > dual_tol):
                if i not in already and abs(self.x[i] - vi[i]) <= self.tol:
                    self.lp.set_col_bounds(i, vi[i], vi[i])
                    self.fixed_bounds.append((int(i), stage))
        rows = self.fixed_rows()
        Z = span_complement(rows, self.n)
        spanned = in_span_mask(Z, self.n)
        self.free &= ~spanned
        self.vpen = np.where(self.free, self.v, -INF)
        for r, S in enumerate(self.row_mask):
            if self.row_state[r] == _FREE and not self.free[S]:
                self.lp.set_row_bounds(r, -INF, INF)
                self.row_state[r] = _OFF
        return self.n - Z.shape[1]

    def fixed_rows(self) -> np.ndarray:
        masks = [self.N] + [S for S, _ in self.fixed]
        A = ((np.asarray(masks, dtype=np.int64)[:, None] & self.bits[None, :]) != 0).astype(float)
        if self.fixed_bounds:
            A = np.vstack([A, np.eye(self.n)[[i for i, _ in self.fixed_bounds]]])
        return A

    # ------------------------------------------------------------------ whole run
    def run(self, max_stages: int | None = None) -> np.ndarray:
        """All stages until the fixed rows have rank ``n``; returns the polished allocation."""
        if self.n == 1:
            self.x = np.array([self.v[-1]])
            return self.x
        max_stages = 3 * self.n + 3 if max_stages is None else max_stages
        for _ in range(max_stages):
            x, t, rdual, cdual = self.solve_stage()
            rank = self.fix_after_stage(t, rdual, cdual)
            if rank >= self.n or not self.free.any():
                return self.polish()
        raise SolverError(f"the sequential LPs did not determine the allocation within "
                          f"{max_stages} stages", field="max_stages", value=max_stages)

    def polish(self) -> np.ndarray:
        """Solve ``x(S) + t_k = v(S)`` (fixed S at stage k), ``x(N) = v(N)``, bounds exactly."""
        n, K = self.n, len(self.levels)
        rows, rhs = [], []
        row = np.zeros(n + K)
        row[:n] = 1.0
        rows.append(row)
        rhs.append(self.v[-1])
        for S, k in self.fixed:
            row = np.zeros(n + K)
            row[:n] = (S & self.bits) != 0
            row[n + k] = 1.0
            rows.append(row)
            rhs.append(self.v[S])
        for i, _ in self.fixed_bounds:
            row = np.zeros(n + K)
            row[i] = 1.0
            rows.append(row)
            rhs.append(self.game.singletons[i])
        A = np.asarray(rows)
        b = np.asarray(rhs)
        sol, *_ = np.linalg.lstsq(A, b, rcond=None)
        resid = float(np.abs(A @ sol - b).max())
        x = self.x if self.x is not None else sol[:n]
        if resid <= 100 * self.tol and np.linalg.matrix_rank(A) == n + K:
            x = sol[:n]
            self.levels = [float(t) for t in sol[n:]]
        self.x = x
        return x


def least_core_epsilon(game: TUGame, tol: float | None = None
                       ) -> tuple[np.ndarray, float, SequentialLP | None]:
    """``(x, epsilon, engine)`` of the least-core LP ``min eps : x(S) >= v(S) - eps,
    x(N) = v(N)`` (the first stage of the sequential LPs), in the game's own unit;
    one player: ``(v(N), -inf, None)``."""
    if game.n_players == 1:
        return np.array([game.grand_value]), -np.inf, None
    scale = game.scale
    eng = SequentialLP(game._unit_scaled(), imputation=False, tol=game._tol(tol) / scale)
    x, eps, _, _ = eng.solve_stage()
    return x * scale, eps * scale, eng
