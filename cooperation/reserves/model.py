"""The two-stage joint-reserve LP (联储: stock where, dispatch to whom within 48 h).

First stage: the stock ``x[d, k]`` of item ``k`` at depot ``d``, at a unit
cost ``h[d, k]`` (holding plus annualised procurement) and up to the capacity
``K[d, k]``. Second stage, in each hazard scenario ``s`` (probability
``p_s``): dispatch ``y[s, d, j, k]`` along the fastest route from ``d`` to
``j``, only on arcs that arrive within the deadline ``T_j`` (48 h by default),
at ``t[d, j]`` per unit, and unmet demand ``u[s, j, k]`` at a penalty
``pen[j, k]`` per unit (or none allowed when no penalty is given)::

    min  sum_{d,k} h[d,k] x[d,k] + sum_s p_s sum_{arcs} t[d,j] y[s,d,j,k] + R(u)
    s.t. x[d,k] <= K[d,k]                                     (capacity; owner of d)
         sum_j y[s,d,j,k] - x[d,k] <= 0                       (supply; each s, d, k)
         sum_d y[s,d,j,k] + u[s,j,k] >= q[s,j,k]              (demand; owner j)
         x, y, u >= 0

with the risk term ``R(u)``, ``L_s = sum_{j,k} pen[j,k] u[s,j,k]`` the
penalised unmet demand of scenario ``s``:

* ``risk="expected"``: ``R = sum_s p_s L_s``;
* ``risk="cvar"``: ``R = CVaR_beta(L) = min_eta eta + 1/(1-beta) sum_s p_s (L_s - eta)+``,
  in the Rockafellar-Uryasev linear form (``z_s >= L_s - eta``, ``z_s >= 0``),
  the quiet state (probability ``1 - sum_s p_s``, ``L = 0``) included.

Money and quantities are scaled to order one before solving (money by the
largest cost coefficient ``M``, quantities by the largest demand or finite
capacity ``Q``) and mapped back, so results do not depend on the unit.

Every row whose right-hand side is a resource names its owner: the demand rows
the jurisdiction with the demand, the capacity rows the depot's jurisdiction.
Supply and CVaR rows have right-hand side 0. This is what makes the pooling
game a linear production game (see :mod:`cooperation.reserves.pooling`).

References
----------
Birge, J. R. and Louveaux, F. (2011). *Introduction to Stochastic
Programming*, 2nd ed., ch. 1-2 (two-stage recourse). Springer.
Rawls, C. G. and Turnquist, M. A. (2010). Pre-positioning of emergency
supplies for disaster response. *Transportation Research B* 44, 521-534.
Rockafellar, R. T. and Uryasev, S. (2000). Optimization of conditional
value-at-risk. *Journal of Risk* 2(3), 21-41.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..lp import (
    LinearProgram,
    Objective,
    solve_lp,
)
from .inputs import ReserveData

__all__ = ["ReserveModel", "build_model", "solve_model", "plan_values",
           "RISKS", "HIGHS_STATUS"]

RISKS = ("expected", "cvar")
INF = math.inf
#: the HiGHS model-status name behind each status code of the LP layer
HIGHS_STATUS = {0: "Optimal", 1: "Time limit reached", 2: "Infeasible", 3: "Unbounded",
                4: "Solve error"}


@dataclass(eq=False)
class ReserveModel:
    """The built LP with its blocks, scales and the owner of every resource row."""

    data: ReserveData
    lp: LinearProgram
    c: np.ndarray                 # scaled objective
    risk: str
    confidence: float
    Q: float                      # quantity scale
    M: float                      # money scale
    cols: dict                    # block name -> slice
    rows: dict                    # family -> index array
    row_owner: np.ndarray         # per row: player index, -1 higher level, -2 no resource
    rhs: np.ndarray               # per row: the (scaled) resource on its bound side
    ge: np.ndarray                # per row: True for a >= row
    supply_key: np.ndarray        # supply rows: (scenario, stock row) as (k, 2)

    @property
    def money(self) -> float:
        """Objective unit: one scaled objective unit is ``M * Q`` money."""
        return self.M * self.Q

    def coalition_bounds(self, mask: int) -> tuple[np.ndarray, np.ndarray]:
        """Row bounds of coalition ``mask`` standing alone: members' resources only
        (the higher level's depots stay open to every coalition)."""
        lo, hi = self.lp.lo.copy(), self.lp.hi.copy()
        own = self.row_owner >= 0
        member = np.zeros(self.row_owner.size, bool)
        member[own] = (mask >> self.row_owner[own]) & 1 == 1
        out = own & ~member
        lo[out & self.ge] = 0.0
        hi[out & ~self.ge] = 0.0
        return lo, hi


def _scales(data: ReserveData, unit_cost, arc_cost, penalty) -> tuple[float, float]:
    qs = [data.quantity]
    fin = data.capacity[np.isfinite(data.capacity)]
    qs.append(fin)
    Q = max((float(a.max()) for a in qs if a.size), default=1.0)
    ms = [np.abs(unit_cost), np.abs(arc_cost), penalty[np.isfinite(penalty)]]
    M = max((float(a.max()) for a in ms if a.size), default=0.0)
    return (Q if Q > 0 else 1.0), (M if M > 0 else 1.0)


def build_model(data: ReserveData, risk: str = "expected", confidence: float = 0.9, *,
                unit_cost=None, arc_cost=None, penalty=None, probability=None) -> ReserveModel:
    """Assemble the sparse LP; cost arrays may be overridden (infeasibility diagnosis)."""
    uc = data.unit_cost if unit_cost is None else np.asarray(unit_cost, float)
    ac = data.arc_cost if arc_cost is None else np.asarray(arc_cost, float)
    pen = data.penalty if penalty is None else np.asarray(penalty, float)
    prob = data.prob if probability is None else np.asarray(probability, float)
    soft = pen.size > 0 and bool(np.all(np.isfinite(pen)))
    Q, M = _scales(data, uc, ac, pen)
    lp = LinearProgram()
    nx, na, nr = data.stock_item.size, data.arc_row.size, data.quantity.size
    S = len(data.scenarios)
    items, depots, players, scen = data.items, data.depots, data.players, data.scenarios
    xs = lp.add_vars([f"stock[{depots[d]},{items[k]}]"
                      for d, k in zip(data.stock_depot, data.stock_item, strict=True)])
    ys = lp.add_vars(np.char.add("y", np.arange(na).astype(str)).tolist()) if na else \
        np.zeros(0, np.int64)
    us = lp.add_vars([f"unmet{r}" for r in range(nr)]) if soft else np.zeros(0, np.int64)
    cvar = risk == "cvar"
    if cvar:
        eta = lp.add_vars(["eta"], lb=-INF)
        nz = S + (1 if data.quiet > 0 else 0)
        zs = lp.add_vars([f"z[{s}]" for s in scen] + (["z[quiet]"] if data.quiet > 0 else []))
    c = np.zeros(lp.n_cols)
    c[xs] = uc / M
    if na:
        c[ys] = prob[data.dem_scen[data.arc_row]] * ac / M
    if soft and not cvar:
        c[us] = prob[data.dem_scen] * pen / M
    if cvar:
        c[eta] = 1.0
        pz = np.concatenate([prob, [data.quiet]])[:nz]
        c[zs] = pz / (1.0 - confidence)
    owner, rhs, ge = [], [], []
    rows = {}
    # capacity rows (finite capacities only)
    fin = np.flatnonzero(np.isfinite(data.capacity))
    if fin.size:
        rows["capacity"] = lp.add_rows(
            np.arange(fin.size), xs[fin], np.ones(fin.size), -INF, data.capacity[fin] / Q,
            [f"capacity[{depots[data.stock_depot[m]]},{items[data.stock_item[m]]}]"
             for m in fin], "capacity",
            members=[players[o] if o >= 0 else "" for o in data.stock_owner[fin]])
        owner.append(data.stock_owner[fin])
        rhs.append(data.capacity[fin] / Q)
        ge.append(np.zeros(fin.size, bool))
    # supply rows: one per (scenario, stock row) that has an arc
    if na:
        sk = data.dem_scen[data.arc_row] * nx + data.arc_stock
        keys, inv = np.unique(sk, return_inverse=True)
        k_s, k_m = keys // nx, keys % nx
        rr = np.concatenate([inv, np.arange(keys.size)])
        cc = np.concatenate([ys, xs[k_m]])
        vv = np.concatenate([np.ones(na), -np.ones(keys.size)])
        rows["supply"] = lp.add_rows(
            rr, cc, vv, -INF, 0.0,
            [f"supply[{scen[s]},{depots[data.stock_depot[m]]},{items[data.stock_item[m]]}]"
             for s, m in zip(k_s, k_m, strict=True)], "supply")
        owner.append(np.full(keys.size, -2))
        rhs.append(np.zeros(keys.size))
        ge.append(np.zeros(keys.size, bool))
        supply_key = np.column_stack([k_s, k_m])
    else:
        supply_key = np.zeros((0, 2), np.int64)
    # demand rows
    rr = [data.arc_row]
    cc = [ys]
    vv = [np.ones(na)]
    if soft:
        rr.append(np.arange(nr))
        cc.append(us)
        vv.append(np.ones(nr))
    rows["demand"] = lp.add_rows(
        np.concatenate(rr), np.concatenate(cc), np.concatenate(vv), data.quantity / Q, INF,
        [f"demand[{scen[s]},{players[j]},{items[k]}]"
         for s, j, k in zip(data.dem_scen, data.dem_jur, data.dem_item, strict=True)],
        "demand", members=[players[j] for j in data.dem_jur])
    owner.append(data.dem_jur)
    rhs.append(data.quantity / Q)
    ge.append(np.ones(nr, bool))
    # CVaR rows: z_s + eta - sum_r pen_r u_r >= 0 (L in units of M Q)
    if cvar:
        rr = np.concatenate([np.arange(nz), np.arange(nz), data.dem_scen])
        cc = np.concatenate([zs, np.full(nz, eta[0]), us])
        vv = np.concatenate([np.ones(nz), np.ones(nz), -pen / M])
        rows["cvar"] = lp.add_rows(rr, cc, vv, 0.0, INF,
                                   [f"cvar[{s}]" for s in scen] +
                                   (["cvar[quiet]"] if data.quiet > 0 else []), "cvar")
        owner.append(np.full(nz, -2))
        rhs.append(np.zeros(nz))
        ge.append(np.ones(nz, bool))
    cols = {"stock": xs, "dispatch": ys, "unmet": us}
    if cvar:
        cols["eta"], cols["z"] = eta, zs
    return ReserveModel(data, lp, c, risk, confidence, Q, M, cols, rows,
                        np.concatenate(owner).astype(np.int64), np.concatenate(rhs),
                        np.concatenate(ge), supply_key)


def solve_model(model: ReserveModel, backend: str = "pulp"):
    """Solve a built model (used by the diagnosis and the tests)."""
    return solve_lp(model.lp, [Objective(model.c, 1, "cost")], backend=backend)


def plan_values(model: ReserveModel, x: np.ndarray) -> dict:
    """Cost components (money) of a scaled solution ``x``."""
    d = model.data
    cols = model.cols
    xs = x[cols["stock"]] * model.Q
    ys = x[cols["dispatch"]] * model.Q if cols["dispatch"].size else np.zeros(0)
    us = x[cols["unmet"]] * model.Q if cols["unmet"].size else np.zeros(d.quantity.size)
    stock_cost = float(d.unit_cost @ xs)
    disp = float((d.prob[d.dem_scen[d.arc_row]] * d.arc_cost) @ ys) if ys.size else 0.0
    pen = np.where(np.isfinite(d.penalty), d.penalty, 0.0)
    loss = np.bincount(d.dem_scen, weights=pen * us, minlength=len(d.scenarios))
    return {"stock": xs, "dispatch": ys, "unmet": us, "stock_cost": stock_cost,
            "dispatch_cost": disp, "scenario_loss": loss,
            "expected_unmet_cost": float(d.prob @ loss)}

