"""The optimal face of a plan: the second stage, the uniqueness probes, exact totals.

* :func:`on_optimal_face`: the fewest-hops stage (least money routed) and the
  uniqueness probes, solved on the optimal face of the cost stage, which
  complementary slackness describes by bounds alone (no dense ``c f <= z`` row).
* :func:`unique_verdict`: a face of positive dimension gives ``min w f !=
  max w f`` for a random ``w`` almost surely.
* :func:`exact_flows`: the solver's flows rounded to the links' forest, so
  that ``received - paid`` reproduces the balances to floating-point rounding.

References
----------
Ahuja, R. K., Magnanti, T. L. and Orlin, J. B. (1993). *Network Flows*,
thm 9.8 (optimality by reduced costs) and sec. 11.3 (spanning-tree solutions).
"""

from __future__ import annotations

import numpy as np

from ..._numeric import ACCEPT_RTOL, RTOL
from ...lp import STATUS_OPTIMAL, Objective, solve_lp
from .flow_lp import SolveSpec, flow_lp
from .network import FlowData

__all__ = ["exact_flows", "on_optimal_face", "unique_verdict"]

#: relative tolerance of reduced costs and of the kept optimum (the LP is scaled to order one)
FACE_RTOL = RTOL
#: relative width of the optimal face in the probe direction below which a plan is unique
UNIQUE_RTOL = ACCEPT_RTOL


def on_optimal_face(data: FlowData, sol, f, tie: bool, w, spec: SolveSpec):
    """The second stage and the uniqueness probes on the cost stage's optimal face.

    With node potentials ``y`` (the duals of the balance rows), the reduced cost of link
    ``e = (i, j)`` is ``d_e = c_e - (y_j - y_i)``. By complementary slackness a feasible
    flow is optimal iff ``f_e = 0`` wherever ``d_e > 0`` and ``f_e = cap_e`` wherever
    ``d_e < 0``, so the optimal face is the flow polytope with those links fixed (Ahuja,
    Magnanti and Orlin 1993, thm 9.8). Costs arrive scaled to a largest cost in [1, 2);
    reduced costs within ``1e-9`` of it are treated as 0. Returns the flows of the second
    stage (None: keep the first stage's), the probe values ``[min w f, min -w f]`` over
    the face (or None), and the build and solve seconds.
    """
    y = sol.duals
    if y is None:
        return None, None, 0.0, 0.0
    c, cap = data.cost, data.cap
    d = c - (y[data.dst] - y[data.src])
    eps = FACE_RTOL * float(np.abs(c).max(initial=0.0))   # the largest cost is in [1, 2)
    lo = np.zeros(len(c))
    hi = np.array(cap, dtype=float)
    hi[d > eps] = 0.0
    at_cap = (d < -eps) & np.isfinite(cap)
    lo[at_cap] = cap[at_cap]
    lp, f2, _ = flow_lp(data, hi, lower=lo)
    ones = np.zeros(lp.n_cols)
    ones[f2] = 1.0 if tie else 0.0
    probes = []
    if w is not None:
        pv = np.zeros(lp.n_cols)
        pv[f2] = w
        probes = [pv, -pv]
    s2 = solve_lp(lp, [Objective(ones, 1, "money_routed")], backend=spec.backend,
                  time_limit=spec.time_limit, probes=probes)
    if s2.status != STATUS_OPTIMAL:
        return None, None, s2.build_time, s2.solve_time
    z1, z2 = float(c @ sol.x[f]), float(c @ s2.x[f2])
    if z2 > z1 + FACE_RTOL * max(1.0, abs(z1)):     # the face was not kept: stage 1
        return None, None, s2.build_time, s2.solve_time
    return (s2.x[f2] if tie else None), (s2.probe_values if w is not None else None), \
        s2.build_time, s2.solve_time


def unique_verdict(probe_values, w: np.ndarray, width: float) -> bool | None:
    """True when the optimal face is a point in direction ``w``: its extent
    ``max w f - min w f`` is at most ``UNIQUE_RTOL * width * sum w``, ``width`` the
    money scale in the LP's units (of order one); None when a probe failed."""
    vals = np.asarray(probe_values if probe_values is not None else [], dtype=float)
    if vals.size == 2 and not np.isnan(vals).any():
        return bool(-vals[1] - vals[0] <= UNIQUE_RTOL * width * w.sum())
    return None


def exact_flows(src, dst, flows, cap, b, tol: float) -> tuple[np.ndarray, bool]:
    """Recompute the flows from the balances ``b`` on the links' tree structure.

    Links at their cap keep the cap, links off a spanning forest of the other
    money-carrying links keep the solver's value; the forest's flows are then
    fixed by the balances, peeling leaves towards one root per tree (the node
    with the largest balance, which absorbs the rounding of the sums). Returns
    the flows and whether the free support already was a forest. Falls back to
    the solver's flows (clipped at 0) if peeling would make a flow negative
    beyond ``tol`` (an amount of money, in the flows' unit).
    """
    f = np.where(flows > tol, flows, 0.0)
    capped = np.isfinite(cap) & (f >= cap - tol) & (f > 0)
    f[capped] = cap[capped]
    tree, forest, find = _spanning_forest(len(b), src, dst, f, capped)
    if not tree:
        return f, forest
    fixed = np.ones(len(f), dtype=bool)
    fixed[tree] = False
    n = len(b)
    r = b - (np.bincount(dst, weights=np.where(fixed, f, 0.0), minlength=n)
             - np.bincount(src, weights=np.where(fixed, f, 0.0), minlength=n))
    new = _peel(src, dst, f, b, r, tree, find)
    if np.any(new[tree] < -tol) or np.any(new[tree] > np.where(np.isfinite(cap), cap, np.inf)[tree]
                                          + tol):
        return np.maximum(np.where(flows > tol, flows, 0.0), 0.0), forest
    new[tree] = np.maximum(new[tree], 0.0)
    return new, forest


def _spanning_forest(n: int, src, dst, f, capped):
    """A spanning forest of the free money-carrying links, largest flows first (union
    find): its links, whether they all fit in it (no cycle), and the union-find root
    of a node (one per tree)."""
    free = np.flatnonzero((f > 0) & ~capped)
    parent = list(range(n))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    tree = []
    forest = True
    for e in free[np.argsort(-f[free], kind="stable")]:
        ra, rb = find(int(src[e])), find(int(dst[e]))
        if ra == rb:
            forest = False
            continue
        parent[ra] = rb
        tree.append(int(e))
    return tree, forest, find


def _peel(src, dst, f, b, r, tree: list[int], find) -> np.ndarray:
    """Flows of the tree links from the residual balances ``r``, leaves first; the root
    of each tree (largest ``|b|``) takes the rounding."""
    adj: dict[int, list[int]] = {}
    for e in tree:
        adj.setdefault(int(src[e]), []).append(e)
        adj.setdefault(int(dst[e]), []).append(e)
    comp: dict[int, list[int]] = {}
    for v in adj:
        comp.setdefault(find(v), []).append(v)
    roots = {max(vs, key=lambda v: (abs(b[v]), -v)) for vs in comp.values()}
    degree = {v: len(es) for v, es in adj.items()}
    alive = dict.fromkeys(tree, True)
    stack = [v for v, d in degree.items() if d == 1 and v not in roots]
    new = f.copy()
    while stack:
        v = stack.pop()
        if degree[v] != 1:
            continue
        e = next(e for e in adj[v] if alive[e])
        alive[e] = False
        degree[v] = 0
        if dst[e] == v:                  # u -> v carries what v still needs
            u, amount = int(src[e]), r[v]
            r[u] += amount
        else:                            # v -> u carries what v must still send
            u, amount = int(dst[e]), -r[v]
            r[u] -= amount
        r[v] = 0.0
        new[e] = amount
        degree[u] -= 1
        if degree[u] == 1 and u not in roots:
            stack.append(u)
    return new
