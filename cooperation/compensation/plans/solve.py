"""The pipeline of :func:`~cooperation.payment_plan`: solve the flow LP, settle it, report.

1. the cost stage (:func:`.flow_lp.cost_stage`), unless a node with a balance
   has no link at all;
2. on its optimal face, the fewest-hops stage and the uniqueness probes
   (:func:`.forest.on_optimal_face`);
3. when infeasible, the partial plan and its diagnosis (:mod:`.diagnosis`);
4. exact totals on the links' forest (:func:`.forest.exact_flows`) and the
   :class:`~cooperation.compensation.results.PaymentPlan`.

The LP sees money divided by the network's money scale; flows come back in
the plan's unit, and every tolerance on money is ``tol`` times that scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..._numeric import RTOL
from ...lp import STATUS_INFEASIBLE, STATUS_OPTIMAL, STATUS_TEXT
from ..results.plan import PaymentPlan, empty_groups
from .diagnosis import cut_groups, infeasible_message, missed_of, partial_plan
from .flow_lp import SolveSpec, cost_stage, unequal_costs
from .forest import exact_flows, on_optimal_face, unique_verdict
from .network import Network

__all__ = ["Labels", "solve_network"]


@dataclass(frozen=True)
class Labels:
    """What a plan says about itself: money ``unit``, how the links were chosen
    (``how``) and the ``notes`` gathered on the way."""

    unit: str = ""
    how: str = "table"
    notes: tuple = ()


@dataclass
class _Timer:
    build: float = 0.0
    solve: float = 0.0

    def add(self, sol) -> None:
        self.build += sol.build_time
        self.solve += sol.solve_time


def solve_network(net: Network, spec: SolveSpec, labels: Labels) -> PaymentPlan:
    """The cheapest plan on ``net`` (or, when infeasible, the most that can be moved)."""
    deg = np.bincount(np.concatenate([net.src, net.dst]), minlength=net.n_nodes)
    isolated = (deg == 0) & (np.abs(net.b) > 0)
    w = np.random.default_rng(spec.seed).uniform(1.0, 2.0, len(net.src))
    timer = _Timer()
    sol, probe_values = None, None
    if not isolated.any():
        sol, f, probe_values = _cheapest(net, spec, w, timer)
    if sol is None or sol.status == STATUS_INFEASIBLE:
        sol, f, slack, build, solve = partial_plan(net, spec)
        timer.build += build
        timer.solve += solve
        if sol.status != STATUS_OPTIMAL:
            return _failed(net, labels, sol, timer)
        missed = missed_of(sol, slack, net, spec.tol)
        target = net.b - np.sign(net.b) * missed     # the balances the partial plan meets
        status = STATUS_INFEASIBLE
    else:
        if sol.status != STATUS_OPTIMAL:
            return _failed(net, labels, sol, timer)
        missed = np.zeros(net.n_nodes)
        target = net.b
        status = STATUS_OPTIMAL
    flows, forest = exact_flows(net.src, net.dst, net.from_lp(sol.x[f]), net.cap, target,
                                spec.tol * net.scale)
    uniq = None
    if status == STATUS_OPTIMAL and not len(net.src):
        uniq = True
    elif status == STATUS_OPTIMAL and spec.unique:
        uniq = unique_verdict(probe_values, w, net.scale / net.lp_scale)
    return _assemble(net, spec, labels, flows, missed, status, forest, uniq, sol.solver,
                     timer)


def _cheapest(net: Network, spec: SolveSpec, w, timer: _Timer):
    """The cost stage, then (when costs differ or uniqueness is asked) the optimal face:
    ``(solution, link columns, probe values or None)``."""
    data = net.scaled()
    sol, f = cost_stage(data, spec)
    timer.add(sol)
    tie = unequal_costs(data.cost)
    probe_values = None
    if sol.status == STATUS_OPTIMAL and len(net.src) and (tie or spec.unique):
        x2, probe_values, b2, s2 = on_optimal_face(data, sol, f, tie,
                                                   w if spec.unique else None, spec)
        timer.build += b2
        timer.solve += s2
        if x2 is not None:
            sol.x[f] = x2
    return sol, f, probe_values


def _assemble(net: Network, spec: SolveSpec, labels: Labels, flows, missed, status: int,
              forest: bool, uniq, solver: str, timer: _Timer) -> PaymentPlan:
    """The result: edges, totals, link table, the certificate and the diagnosis."""
    b, cap, full, unit = net.b, net.cap, net.table, labels.unit
    inflow = np.bincount(net.dst, weights=flows, minlength=net.n_nodes)
    outflow = np.bincount(net.src, weights=flows, minlength=net.n_nodes)
    net_flow = inflow - outflow
    max_imb = float(np.max(np.abs(net_flow - b)[missed == 0], initial=0.0))
    at_cap = np.isfinite(cap) & (flows > 0) & (flows >= cap - spec.tol * net.scale)
    used = flows > 0
    payer, payee = full["payer"].to_numpy(), full["payee"].to_numpy()
    edges = pd.DataFrame({"payer": payer[used], "payee": payee[used], "amount": flows[used],
                          "unit": unit})
    totals = pd.DataFrame({"transfer": b, "received": inflow, "paid": outflow,
                           "net": net_flow, "shortfall": missed},
                          index=pd.Index(net.nodes, name="jurisdiction"))
    binding = tuple(f"{p}->{q}" for p, q in zip(payer[at_cap], payee[at_cap], strict=True))
    cost, routed = float(net.cost @ flows), float(flows.sum())
    if status == STATUS_OPTIMAL:
        diag = _no_diagnosis()
        msg = _optimal_message(len(edges), len(net.src), routed, cost, unit, uniq, binding)
    else:
        diag = _diagnosis(net, flows, missed, spec.tol * net.scale)
        msg = infeasible_message(diag["deficit"], float(b[b > 0].sum()), unit,
                                 diag["cut_off"], diag["unpaid"], diag["groups"])
    if max_imb > RTOL * net.scale:
        msg += f"; WARNING: balances missed by up to {max_imb:.3g}"
    return PaymentPlan(
        success=status == STATUS_OPTIMAL, status=status, message=msg, edges=edges,
        totals=totals, links=full.assign(flow=flows, at_cap=at_cap).reset_index(drop=True),
        transfers=_transfers(net), subsidy=net.subsidy, cost=cost, money_routed=routed,
        n_links=int(used.sum()), binding=binding, unique=uniq, forest=forest,
        max_imbalance=max_imb, **diag, rule=labels.how, higher_level=net.higher_level,
        notes=tuple(labels.notes), solver=solver, unit=unit, build_time=timer.build,
        solve_time=timer.solve,
        extra={"src": net.src, "dst": net.dst, "nodes": tuple(net.nodes)})


def _optimal_message(n_edges, m, routed, cost, unit, uniq, binding) -> str:
    msg = (f"optimal: {n_edges} payment(s) over {m} allowed link(s); money routed "
           f"{routed:.6g} {unit}".rstrip() + f", cost {cost:.6g}"
           + ("" if uniq is None else "; the cheapest plan is unique" if uniq else
              "; other plans cost the same (not unique)"))
    if binding:
        msg += f"; {len(binding)} link(s) at cap"
    return msg


def _no_diagnosis() -> dict:
    return {"deficit": 0.0, "cut_off": pd.Series(dtype=float, name="short"),
            "unpaid": pd.Series(dtype=float, name="unpaid"), "groups": empty_groups()}


def _diagnosis(net: Network, flows, missed, tol: float) -> dict:
    """Who is cut off (receivers short), who cannot pay in full, the deficit and the
    canonical groups of the minimum cut."""
    b = net.b
    names = np.array(net.nodes, dtype=object)
    recv, pay = (b > 0) & (missed > 0), (b < 0) & (missed > 0)
    return {"deficit": float(missed[b > 0].sum()),
            "cut_off": pd.Series(missed[recv], index=pd.Index(names[recv], name="jurisdiction"),
                                 name="short"),
            "unpaid": pd.Series(missed[pay], index=pd.Index(names[pay], name="jurisdiction"),
                                name="unpaid"),
            "groups": cut_groups(net.nodes, b, net.src, net.dst, flows, net.cap, missed, tol)}


def _transfers(net: Network) -> pd.Series:
    return pd.Series(net.b[:-1], index=pd.Index(net.players, name="jurisdiction"),
                     name="transfer")


def _failed(net: Network, labels: Labels, sol, timer: _Timer) -> PaymentPlan:
    """A plan the solver could not finish (time limit, numerical trouble)."""
    nan = np.full(net.n_nodes, np.nan)
    return PaymentPlan(
        success=False, status=sol.status, message=f"{STATUS_TEXT.get(sol.status, 'failed')}: "
        f"{sol.message}", edges=pd.DataFrame(columns=["payer", "payee", "amount", "unit"]),
        totals=pd.DataFrame({"transfer": net.b, "received": nan, "paid": nan, "net": nan,
                             "shortfall": nan}, index=pd.Index(net.nodes, name="jurisdiction")),
        links=net.table.assign(flow=np.full(len(net.table), np.nan), at_cap=False)
        .reset_index(drop=True),
        transfers=_transfers(net), subsidy=net.subsidy, cost=np.nan, money_routed=np.nan,
        n_links=0, binding=(), unique=None, forest=False, max_imbalance=np.nan,
        deficit=np.nan, cut_off=pd.Series(dtype=float, name="short"),
        unpaid=pd.Series(dtype=float, name="unpaid"), groups=empty_groups(), rule=labels.how,
        higher_level=net.higher_level, notes=tuple(labels.notes), solver=sol.solver,
        unit=labels.unit, build_time=timer.build, solve_time=timer.solve)
