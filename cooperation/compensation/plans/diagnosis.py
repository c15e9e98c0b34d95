"""When the links cannot carry the transfers: who is cut off, and by how much.

An elastic LP (each node may miss part of its balance; the total missed is
minimised: a maximum flow) gives the deficit. The residual network of that
flow gives the minimum cut; its receiving side, split into groups that share
no link, is the canonical part of the diagnosis (every group's shortfall is
the same in every maximum flow). The division inside a group is open, so a
second elastic LP rations it proportionally: the largest share of a need
missed in each group is minimised after the total missed.

References
----------
Ahuja, R. K., Magnanti, T. L. and Orlin, J. B. (1993). *Network Flows*, ch. 6
(max-flow min-cut). Gale, D. (1957). A theorem on flows in networks. *Pacific
J. Math.* 7, 1073-1082.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...lp import STATUS_OPTIMAL
from ..results.plan import empty_groups
from .flow_lp import SolveSpec, elastic
from .network import Network

__all__ = ["cut_groups", "infeasible_message", "missed_of", "partial_plan"]


def missed_of(sol, slack, net: Network, tol: float) -> np.ndarray:
    """Balance missed per node (in money), dust at most ``tol`` times the money scale
    set to 0."""
    missed = np.zeros(net.n_nodes)
    missed[slack[0]] = net.from_lp(sol.x[slack[1]])
    missed[missed <= tol * net.scale] = 0.0
    return missed


def partial_plan(net: Network, spec: SolveSpec):
    """The plan that moves as much as possible, short receivers rationed by group.

    Returns ``(solution, link columns, slack columns, build s, solve s)`` of the
    last elastic LP that solved (the first one when rationing fails).
    """
    data = net.scaled()
    sol, f, slack = elastic(data, spec)
    build, solve = sol.build_time, sol.solve_time
    if sol.status != STATUS_OPTIMAL:
        return sol, f, slack, build, solve
    # ration each group of short receivers proportionally (the groups are fixed by the
    # maximum flow; the division inside them is open)
    missed = missed_of(sol, slack, net, spec.tol)
    grp = cut_groups(net.nodes, net.b, net.src, net.dst, net.from_lp(sol.x[f]), net.cap,
                     missed, spec.tol * net.scale, ids=True)
    grp = [g for g in grp if len(g) > 1]
    if grp:
        sol_2, f2, slack2 = elastic(data, spec, groups=grp)
        build += sol_2.build_time
        solve += sol_2.solve_time
        if sol_2.status == STATUS_OPTIMAL:
            sol, f, slack = sol_2, f2, slack2
    return sol, f, slack, build, solve


def cut_groups(nodes, b, src, dst, flows, cap, missed, tol, ids: bool = False):
    """Groups of short receivers on the sink side of the minimum cut of the maximum flow.

    Residual arcs (of the flow returned by the elastic LP, a maximum flow): a source
    arc into each payer with money left unpaid, each link with spare capacity (more
    than ``tol``, an amount of money), each link with flow backwards. Nodes reachable
    from the source form S (the smallest minimum cut, the same for every maximum
    flow); receivers outside S, split into groups joined by links among themselves,
    are the ones that cannot be served; the flow into each group is its payers' money
    plus the saturated links from S. ``ids=True``: a list of arrays of the receivers
    of each group instead of the table.
    """
    n = len(nodes)
    T = ~_source_side(n, b, src, dst, flows, cap, missed, tol)
    inT = np.flatnonzero(T)
    if not inT.size:
        return [] if ids else empty_groups()
    label = _components(n, src, dst, T)
    rows = []
    for lab in np.unique(label[inT]):
        members = inT[label[inT] == lab]
        short = float(missed[members][b[members] > 0].sum())
        if short <= 0:
            continue
        if ids:
            rows.append(members[b[members] > 0])
            continue
        need = float(b[members][b[members] > 0].sum())
        rows.append({"members": tuple(nodes[k] for k in members if b[k] > 0),
                     "need": need, "can_receive": need - short, "short": short})
    if ids:
        return rows
    if not rows:
        return empty_groups()
    return pd.DataFrame(rows).sort_values("short", ascending=False, kind="stable") \
        .reset_index(drop=True)


def _source_side(n, b, src, dst, flows, cap, missed, tol) -> np.ndarray:
    """Nodes reachable from a super source (into every payer with money unpaid) in the
    residual network of ``flows``."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import breadth_first_order

    spare = np.where(np.isfinite(cap), cap - flows, np.inf) > tol
    back = flows > tol
    start = np.flatnonzero((b < 0) & (missed > 0))
    r_src = np.concatenate([src[spare], dst[back], np.full(len(start), n)])
    r_dst = np.concatenate([dst[spare], src[back], start])
    G = sp.csr_matrix((np.ones(len(r_src)), (r_src, r_dst)), shape=(n + 1, n + 1))
    reach = np.zeros(n + 1, dtype=bool)
    reach[breadth_first_order(G, n, directed=True, return_predecessors=False)] = True
    return reach[:n]


def _components(n, src, dst, T) -> np.ndarray:
    """Component labels of the links joining two nodes of ``T`` (weakly connected)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    keep = T[src] & T[dst]
    H = sp.csr_matrix((np.ones(int(keep.sum())), (src[keep], dst[keep])), shape=(n, n))
    return connected_components(H, directed=True, connection="weak")[1]


def infeasible_message(deficit, total, unit, cut_off, unpaid, groups) -> str:
    """The plain-words outcome of an infeasible plan: how much cannot be carried, the
    groups cut off (or the receivers short), the payers that cannot pay in full."""
    u = f" {unit}" if unit else ""
    parts = [f"infeasible: the allowed links cannot carry {deficit:.6g} of the "
             f"{total:.6g}{u} to be paid"]
    if len(groups):
        gs = []
        for row in groups.head(6).itertuples():
            names = ", ".join(row.members[:6]) + (" ..." if len(row.members) > 6 else "")
            gs.append(f"{names} (need {row.need:.6g}, can receive at most "
                      f"{row.can_receive:.6g}: short {row.short:.6g})")
        parts.append("cut off: " + "; ".join(gs))
    elif len(cut_off):
        parts.append("cut off: " + ", ".join(f"{k} (short {v:.6g})"
                                             for k, v in cut_off.head(6).items()))
    if len(unpaid):
        who = ", ".join(f"{k} ({v:.6g})" for k, v in unpaid.head(6).items())
        parts.append(f"unable to pay in full: {who}")
    return "; ".join(parts)
