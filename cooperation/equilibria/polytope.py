"""Exact vertex enumeration of best-response polytopes by basis enumeration.

For a bimatrix game ``(A, B)`` with ``m x n`` positive payoffs (shift them:
equilibria do not change), the best-response polytopes are::

    P = {x in R^m : x >= 0,  B^T x <= 1}
    Q = {y in R^n : A y <= 1,  y >= 0}

Labels: ``x_i = 0`` is label ``i``; ``(B^T x)_j = 1`` is label ``m + j``;
``(A y)_i = 1`` is label ``i``; ``y_j = 0`` is label ``m + j``. A pair of
vertices ``(x, y) != (0, 0)`` whose labels cover ``{0, ..., m + n - 1}``
normalises to an *extreme* Nash equilibrium; every extreme equilibrium
arises this way, degenerate game or not (von Stengel 2007, Thm 3.4;
Avis et al. 2010).

Vertices are found by trying every choice of ``d`` (= dimension) tight
constraints, solving those ``d x d`` systems in one batched numpy call and
keeping the feasible solutions. That is exhaustive by construction, so the
set it returns is a completeness certificate for a nashpy run. The game is
*degenerate* iff some vertex has more than ``d`` labels (a mixed strategy
with more pure best responses than its support size).

Maximal Nash subsets (Winkels 1979; Avis et al. 2010, section 5): the extreme
equilibria form a bipartite graph (``x`` compatible with ``y``); every maximal
biclique ``(X, Y)`` is a convex set ``conv X x conv Y`` of equilibria, and the
equilibrium set is the union of these. The set is finite iff every maximal
Nash subset is a single pair.

References
----------
von Stengel, B. (2007). Equilibrium computation for two-player games in
strategic and extensive form. In Nisan et al. (eds), *Algorithmic Game
Theory*, ch. 3. Cambridge UP.
Avis, D., Rosenberg, G., Savani, R. and von Stengel, B. (2010). Enumeration of
Nash equilibria for two-player games. *Economic Theory* 42, 9-37.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import comb

import numpy as np

from .._numeric import DEDUPE_TOL, RANK_RTOL, RTOL

__all__ = ["Vertices", "polytope_vertices", "extreme_equilibria", "maximal_nash_subsets",
           "MAX_BASES"]

MAX_BASES = 400_000


@dataclass
class Vertices:
    points: np.ndarray        # (V, d), including the origin
    labels: list              # list of frozenset
    degenerate: bool


def polytope_vertices(G: np.ndarray, h: np.ndarray, label_of_row: np.ndarray,
                      tol: float = RTOL) -> Vertices:
    """All vertices of ``{z : G z <= h}`` (bounded, full-dimensional) with their labels."""
    rows, d = G.shape
    nb = comb(rows, d)
    if nb > MAX_BASES:
        raise OverflowError(f"{nb} bases exceed MAX_BASES={MAX_BASES}")
    idx = np.array(list(combinations(range(rows), d)), dtype=np.intp)
    M = G[idx]                       # (C, d, d)
    rhs = h[idx]                     # (C, d)
    scale = np.abs(G).max()
    det = np.linalg.det(M / scale)
    ok = np.abs(det) > RANK_RTOL
    M, rhs = M[ok], rhs[ok]
    z = np.linalg.solve(M, rhs[..., None])[..., 0]
    slack = h[None, :] - z @ G.T     # (C', rows) >= 0 when feasible
    ztol = tol * max(1.0, float(np.abs(h).max()))
    feas = (slack >= -ztol).all(axis=1)
    z, slack = z[feas], slack[feas]
    if len(z) == 0:
        return Vertices(np.zeros((0, d)), [], False)
    key = np.round(z / (ztol * 10), 0)
    _, first = np.unique(key, axis=0, return_index=True)
    first.sort()
    z, slack = z[first], slack[first]
    tight = np.abs(slack) <= ztol
    labels = [frozenset(label_of_row[np.flatnonzero(t)].tolist()) for t in tight]
    degenerate = bool((tight.sum(axis=1) > d).any())
    return Vertices(z, labels, degenerate)


def best_response_polytopes(A: np.ndarray, B: np.ndarray, tol: float = RTOL):
    """Vertices of P and Q for positive ``A, B`` (see module docs)."""
    m, n = A.shape
    GP = np.vstack([-np.eye(m), B.T])
    hP = np.concatenate([np.zeros(m), np.ones(n)])
    labP = np.arange(m + n)
    GQ = np.vstack([A, -np.eye(n)])
    hQ = np.concatenate([np.ones(m), np.zeros(n)])
    labQ = np.arange(m + n)
    return polytope_vertices(GP, hP, labP, tol), polytope_vertices(GQ, hQ, labQ, tol)


def extreme_equilibria(A: np.ndarray, B: np.ndarray, tol: float = RTOL):
    """All extreme equilibria of a bimatrix game, and whether it is degenerate.

    Returns
    -------
    (list of (x, y), degenerate: bool)
    """
    A = np.asarray(A, float)
    B = np.asarray(B, float)
    A = A - A.min() + 1.0
    B = B - B.min() + 1.0
    m, n = A.shape
    VP, VQ = best_response_polytopes(A, B, tol)
    full = frozenset(range(m + n))
    eqs = []
    for xv, lx in zip(VP.points, VP.labels, strict=True):
        if np.all(np.abs(xv) <= tol):
            continue
        need = full - lx
        for yv, ly in zip(VQ.points, VQ.labels, strict=True):
            if need <= ly and not np.all(np.abs(yv) <= tol):
                eqs.append((xv / xv.sum(), yv / yv.sum()))
    return eqs, (VP.degenerate or VQ.degenerate)


def maximal_nash_subsets(equilibria: list, tol: float = DEDUPE_TOL) -> list[tuple[list, list]]:
    """Maximal Nash subsets as pairs ``(xs, ys)`` of extreme strategies.

    Extreme equilibria ``(x, y)`` and ``(x', y')`` are *interchangeable* when
    ``(x, y')`` and ``(x', y)`` are also equilibria; the maximal bicliques of
    the compatibility graph are the maximal Nash subsets.
    """
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []

    def find(store, v):
        for k, w in enumerate(store):
            if np.allclose(v, w, atol=tol):
                return k
        store.append(v)
        return len(store) - 1

    edges = set()
    for x, y in equilibria:
        edges.add((find(xs, x), find(ys, y)))
    nbr = {i: frozenset(j for (a, j) in edges if a == i) for i in range(len(xs))}
    # closed sets of the Galois connection: intersections of neighbourhoods
    closed = set(nbr.values())
    frontier = set(closed)
    while frontier:
        new = set()
        for Y in frontier:
            for N in nbr.values():
                Z = Y & N
                if Z and Z not in closed:
                    new.add(Z)
        closed |= new
        frontier = new
    subsets = []
    for Y in closed:
        X = frozenset(i for i, N in nbr.items() if Y <= N)
        subsets.append((X, Y))
    # keep maximal ones
    maximal = [(X, Y) for (X, Y) in subsets
               if not any((X <= X2 and Y <= Y2) and (X, Y) != (X2, Y2) for X2, Y2 in subsets)]
    maximal.sort(key=lambda s: (sorted(s[0]), sorted(s[1])))
    return [([xs[i] for i in sorted(X)], [ys[j] for j in sorted(Y)]) for X, Y in maximal]
