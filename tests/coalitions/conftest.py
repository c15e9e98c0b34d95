"""Shared helpers for the coalition tests: random games and independent oracles.

The oracles here are deliberately written differently from the package:
Shapley by enumerating every ordering of the players (itertools), and the
nucleolus by the textbook sequential LP over *all* coalitions with scipy's
linprog, deciding which coalitions to fix by a second LP per coalition
("can its excess drop below the level?") instead of by dual values.
"""

from __future__ import annotations

import itertools
import math
import types

import numpy as np
import pytest
from scipy.optimize import linprog


def superadditive_cover(v: np.ndarray) -> np.ndarray:
    """``w(S) = max(v(S), max_{T subset S} w(T) + w(S - T))`` (the smallest superadditive
    game above ``v``), by submask enumeration (``3**n``)."""
    n = len(v).bit_length() - 1
    w = np.array(v, dtype=float)
    for S in range(1, 1 << n):
        T = (S - 1) & S
        best = w[S]
        while T:
            if T < (S ^ T):
                best = max(best, w[T] + w[S ^ T])
            T = (T - 1) & S
        w[S] = best
    return w


def random_superadditive(rng: np.random.Generator, n: int, integer: bool = False) -> np.ndarray:
    size = np.array([bin(m).count("1") for m in range(1 << n)], dtype=float)
    v = rng.random(1 << n) * size ** 1.5
    if integer:
        v = np.floor(10 * v)
    v[0] = 0.0
    return superadditive_cover(v)


def shapley_by_orderings(v: np.ndarray) -> np.ndarray:
    """Average marginal contribution over all n! orderings."""
    n = len(v).bit_length() - 1
    phi = np.zeros(n)
    for order in itertools.permutations(range(n)):
        S = 0
        for i in order:
            phi[i] += v[S | 1 << i] - v[S]
            S |= 1 << i
    return phi / math.factorial(n)


def nucleolus_bruteforce(v: np.ndarray, imputation: bool = True, tol: float = 1e-9):
    """Sequential LPs over all coalitions; a coalition is fixed when a second LP shows
    its excess cannot fall below the stage level (Maschler-Peleg-Shapley 1979, with the
    Kopelowitz fixing test). Small n only."""
    n = len(v).bit_length() - 1
    N = (1 << n) - 1
    A = np.array([[(S >> i) & 1 for i in range(n)] for S in range(1 << n)], dtype=float)
    free = set(range(1, N))
    fixed: dict[int, float] = {}
    bounds = [(v[1 << i], None) if imputation else (None, None) for i in range(n)]
    x = None
    for _ in range(2 * n + 2):
        if not free:
            break
        F = sorted(free)
        # variables (x, t): min t
        c = np.r_[np.zeros(n), 1.0]
        A_ub = np.c_[-A[F], -np.ones(len(F))]
        b_ub = -v[F]
        eq = [N] + list(fixed)
        A_eq = np.c_[A[eq], np.zeros(len(eq))]
        b_eq = np.r_[v[N], [v[S] - fixed[S] for S in fixed]]
        res = linprog(c, A_ub, b_ub, A_eq, b_eq, bounds=bounds + [(None, None)], method="highs")
        assert res.status == 0, res.message
        t = res.x[-1]
        x = res.x[:n]
        newly = []
        for S in F:
            # max x(S) subject to stage constraints at level t: can S's excess be < t?
            A_ub2 = -A[F]
            b_ub2 = -(v[F] - t) + tol
            r2 = linprog(-A[S], A_ub2, b_ub2, A[eq], b_eq, bounds=bounds, method="highs")
            assert r2.status == 0, r2.message
            if -r2.fun - (v[S] - t) <= 10 * tol:
                newly.append(S)
        for S in newly:
            fixed[S] = t
            free.discard(S)
        rows = A[[N] + list(fixed)]
        rank = np.linalg.matrix_rank(rows, tol=1e-9)
        for S in list(free):
            if np.linalg.matrix_rank(np.vstack([rows, A[S]]), tol=1e-9) == rank:
                free.discard(S)
        if rank == n:
            break
    # the fixed equalities determine x
    eq = [N] + list(fixed)
    sol, *_ = np.linalg.lstsq(A[eq], np.r_[v[N], [v[S] - fixed[S] for S in fixed]], rcond=None)
    return sol if np.linalg.matrix_rank(A[eq]) == n else x


@pytest.fixture(scope="session")
def oracle():
    """The helpers above, for tests (conftest modules are not imported by name)."""
    return types.SimpleNamespace(superadditive_cover=superadditive_cover,
                                 random_superadditive=random_superadditive,
                                 shapley_by_orderings=shapley_by_orderings,
                                 nucleolus_bruteforce=nucleolus_bruteforce)
