"""The min-cost flow LP of a payment plan, on the shared LP layer (:mod:`cooperation.lp`).

Columns ``f_e`` (money on link ``e``, in ``[lower_e, cap_e]``); one balance row
per node, ``sum_in f - sum_out f = b``. The elastic variant adds, for each
node with ``b_k != 0``, a column for the balance it misses (``u_k`` for a
receiver, ``v_k`` for a payer, in ``[0, |b_k|]``), and optionally one share
column ``z_C`` per group of short receivers with ``u_k <= z_C b_k``
(proportional rationing). All numbers arrive scaled to order one
(:meth:`~cooperation.compensation.plans.network.Network.scaled`).

References
----------
Ahuja, R. K., Magnanti, T. L. and Orlin, J. B. (1993). *Network Flows*,
ch. 9 (minimum cost flows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...lp import LinearProgram, Objective, solve_lp
from .network import FlowData

__all__ = ["SolveSpec", "cost_stage", "elastic", "flow_lp", "objectives"]


@dataclass(frozen=True)
class SolveSpec:
    """How a plan is solved: LP ``backend`` and ``time_limit`` (seconds per solve),
    the relative tolerance ``tol`` on money (times the money scale), whether to
    test uniqueness (``unique``) and the ``seed`` of its random direction."""

    backend: str
    time_limit: float | None
    tol: float
    unique: bool
    seed: object


def flow_lp(data: FlowData, cap=None, *, lower=0.0, elastic: np.ndarray | None = None,
            groups=()):
    """Balance rows ``in - out (+ u - v) = b`` over link columns (and elastic columns).

    ``cap`` overrides ``data.cap`` (the optimal face fixes some links). Elastic:
    ``u_k`` (balance missed by a receiver, ``b_k > 0``) or ``v_k`` (by a payer,
    ``b_k < 0``) in ``[0, |b_k|]``; for each group of receivers (arrays of node ids)
    a ``z_C`` with ``u_k <= z_C b_k`` (the largest share of a need missed in the
    group). Returns ``(lp, link columns, (elastic ids, their columns, z columns))``.
    """
    src, dst, b = data.src, data.dst, data.b
    lp = LinearProgram()
    m = len(src)
    f = lp.add_vars([f"f{k}" for k in range(m)], lower, data.cap if cap is None else cap)
    rows = np.concatenate([dst, src])
    cols = np.concatenate([f, f])
    vals = np.concatenate([np.ones(m), -np.ones(m)])
    slack = None
    if elastic is not None:
        ids = np.flatnonzero(elastic)
        sv = lp.add_vars([f"s{k}" for k in ids], 0.0, np.abs(b[ids]))
        z = lp.add_vars([f"z{g}" for g in range(len(groups))], 0.0, 1.0)
        rows = np.concatenate([rows, ids])
        cols = np.concatenate([cols, sv])
        vals = np.concatenate([vals, np.sign(b[ids])])
        slack = (ids, sv, z)
    lp.add_rows(rows, cols, vals, b, b, [f"balance[{k}]" for k in range(data.n_nodes)],
                "balance")
    if slack is not None and len(groups):
        _share_rows(lp, b, slack, groups)
    return lp, f, slack


def _share_rows(lp, b, slack, groups) -> None:
    """``u_k - z_C b_k <= 0`` for every member ``k`` of group ``C``."""
    ids, sv, z = slack
    col_of = dict(zip(ids.tolist(), sv.tolist(), strict=True))
    members = np.concatenate([np.asarray(g, dtype=np.int64) for g in groups])
    zcol = np.concatenate([np.full(len(g), z[k]) for k, g in enumerate(groups)])
    r = np.arange(len(members))
    lp.add_rows(np.concatenate([r, r]),
                np.concatenate([[col_of[k] for k in members.tolist()], zcol]),
                np.concatenate([np.ones(len(members)), -b[members]]), -np.inf, 0.0,
                [f"share[{k}]" for k in members], "share")


def objectives(ncol: int, f, c: np.ndarray, slack=None) -> list:
    """Stages: (elastic only) least money missed, then (with groups) the largest share of
    a need missed in each group, summed (proportional rationing); the cost; money routed
    (when costs are unequal)."""
    objs = []
    if slack is not None:
        w = np.zeros(ncol)
        w[slack[1]] = 1.0
        objs.append(Objective(w, 1, "missed"))
        if len(slack[2]):
            zc = np.zeros(ncol)
            zc[slack[2]] = 1.0
            objs.append(Objective(zc, 1, "largest_share_missed"))
    cc = np.zeros(ncol)
    cc[f] = c
    objs.append(Objective(cc, 1, "cost"))
    if unequal_costs(c):
        ones = np.zeros(ncol)
        ones[f] = 1.0
        objs.append(Objective(ones, 1, "money_routed"))
    return objs


def unequal_costs(c: np.ndarray) -> bool:
    """Whether the links' costs differ (then money routed breaks ties)."""
    return len(c) > 0 and not np.all(c == c[0])


def cost_stage(data: FlowData, spec: SolveSpec):
    """The cheapest flow meeting every balance: ``(solution, link columns)``."""
    lp, f, _ = flow_lp(data)
    cc = np.zeros(lp.n_cols)
    cc[f] = data.cost
    sol = solve_lp(lp, [Objective(cc, 1, "cost")], backend=spec.backend,
                   time_limit=spec.time_limit)
    return sol, f


def elastic(data: FlowData, spec: SolveSpec, groups=()):
    """The elastic LP (least money missed, then rationing, cost, money routed):
    ``(solution, link columns, slack columns)``."""
    lp, f, slack = flow_lp(data, elastic=np.abs(data.b) > 0, groups=groups)
    sol = solve_lp(lp, objectives(lp.n_cols, f, data.cost, slack), backend=spec.backend,
                   time_limit=spec.time_limit)
    return sol, f, slack
