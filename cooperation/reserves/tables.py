"""``validate``: the three reserve tables checked and turned into arrays, phase by phase.

The table format and the model are in :mod:`cooperation.reserves.inputs`.
Each phase checks one table and names the table, row, column, value and rule
at the first problem (an :class:`~cooperation.errors.InputError`):

1. :func:`_demand`: labels, quantities, one probability per scenario (summing
   to at most 1), per-row deadlines and penalties;
2. :func:`_depots`: one row per (depot, item), one owner per depot;
3. :func:`_network`: the links, the nodes, and the fastest depot -> jurisdiction
   times and costs (Dijkstra);
4. :func:`_arcs`: the dispatch arcs that arrive within each row's deadline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._numeric import PROB_TOL
from ..errors import InputError
from .inputs import (
    DEMAND_COLUMNS,
    DEPOT_COLUMNS,
    LINK_COLUMNS,
    ReserveData,
    _first_dup,
    _frame,
    _labels,
    _numbers,
    _travel,
)

__all__ = ["validate"]


def validate(demand, depots, links, deadline_hours: float = 48.0, penalty=None,
             directed: bool = False) -> ReserveData:
    """Check the three tables and build the arrays and time-feasible arcs.

    Raises :class:`~cooperation.errors.InputError` naming the table, row, column,
    value and rule at the first problem.
    """
    try:
        T = float(deadline_hours)
    except (TypeError, ValueError, OverflowError):
        T = math.nan
    if not (T >= 0 and math.isfinite(T)):
        raise InputError("must be a finite number of hours >= 0", field="deadline_hours",
                         value=deadline_hours)
    dm = _frame(demand, "demand", DEMAND_COLUMNS)
    dp = _frame(depots, "depots", DEPOT_COLUMNS)
    lk = None if links is None else _frame(links, "links", LINK_COLUMNS) \
        if not (isinstance(links, pd.DataFrame) and len(links) == 0) else None
    dem = _demand(dm, T, penalty)
    dep = _depots(dp, dem["d_j"], dem["d_k"])
    hours, rcost = _network(lk, dep, directed)
    arcs = _arcs(dem, dep, hours)
    ad, aj = dep["stock_depot"][arcs["arc_stock"]], arcs["dem_jur"][arcs["arc_row"]]
    keep = arcs.pop("keep")
    return ReserveData(
        players=dep["players"], places=tuple(dict.fromkeys(dem["d_j"][keep])),
        items=dep["items"], scenarios=dem["scenarios"], prob=dem["prob"],
        quiet=max(0.0, 1.0 - float(dem["prob"].sum())), depots=dep["depots"],
        depot_owner=dep["depot_owner"], stock_depot=dep["stock_depot"],
        stock_item=dep["stock_item"], capacity=dep["cap"], unit_cost=dep["hold"],
        stock_owner=dep["depot_owner"][dep["stock_depot"]], arc_hours=hours[ad, aj],
        arc_cost=rcost[ad, aj], hours=hours, route_cost=rcost, deadline_hours=T, **arcs)


def _demand(dm: pd.DataFrame, T: float, penalty) -> dict:
    """Labels, quantities, scenario probabilities, deadlines and penalties of the rows."""
    d_s = _labels(dm, "demand", "scenario")
    d_j = _labels(dm, "demand", "jurisdiction")
    d_k = _labels(dm, "demand", "item")
    qty = _numbers(dm, "demand", "quantity")
    prb = _numbers(dm, "demand", "probability")
    if (prb > 1).any():
        k = int(np.flatnonzero(prb > 1)[0])
        raise InputError("a probability lies in [0, 1]", field=f"demand[{k}].probability",
                         value=prb[k])
    dup = _first_dup(pd.DataFrame({"s": d_s, "j": d_j, "k": d_k}))
    if dup is not None:
        raise InputError("(scenario, jurisdiction, item) appears twice; give one row each",
                         field=f"demand[{dup}]", value=(d_s[dup], d_j[dup], d_k[dup]))
    scenarios, dscen, prob = _scenario_probabilities(d_s, prb)
    return dict(d_s=d_s, d_j=d_j, d_k=d_k, qty=qty, scenarios=scenarios, dscen=dscen,
                prob=prob, dl=_deadlines(dm, T), pen=_penalties(dm, d_k, penalty))


def _scenario_probabilities(d_s, prb) -> tuple[tuple, np.ndarray, np.ndarray]:
    """``(scenarios, scenario index per row, probability per scenario)``."""
    scenarios = tuple(dict.fromkeys(d_s))
    prob = np.zeros(len(scenarios))
    s_idx = {s: i for i, s in enumerate(scenarios)}
    dscen = np.array([s_idx[s] for s in d_s])
    for i, s in enumerate(scenarios):
        ps = prb[dscen == i]
        if ps.max() - ps.min() > PROB_TOL:
            k = int(np.flatnonzero(dscen == i)[np.argmax(ps)])
            raise InputError(f"scenario {s!r} has different probabilities on its rows "
                             f"({ps.min():.6g} .. {ps.max():.6g})",
                             field=f"demand[{k}].probability", value=prb[k],
                             fix="one probability per scenario")
        prob[i] = ps[0]
    if prob.sum() > 1 + PROB_TOL:
        raise InputError(f"scenario probabilities sum to {prob.sum():.6g} > 1",
                         field="demand.probability", value=round(float(prob.sum()), 9),
                         fix="scenarios are mutually exclusive; the rest is a quiet state")
    return scenarios, dscen, prob


def _deadlines(dm: pd.DataFrame, T: float) -> np.ndarray:
    """Each row's deadline in hours: its ``deadline_hours`` cell, else the common ``T``."""
    if "deadline_hours" not in dm.columns:
        return np.full(len(dm), T)
    dl = pd.to_numeric(dm["deadline_hours"], errors="coerce").to_numpy(float)
    dl = np.where(dm["deadline_hours"].isna().to_numpy(), T, dl)
    bad = ~np.isfinite(dl) | (dl < 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise InputError("must be a finite number of hours >= 0",
                         field=f"demand[{k}].deadline_hours", value=dm["deadline_hours"].iloc[k])
    return dl


def _penalties(dm: pd.DataFrame, d_k, penalty) -> np.ndarray:
    """Money per unit left unmet, per row (NaN: unmet demand not allowed)."""
    if "penalty" in dm.columns:
        if penalty is not None:
            raise InputError("give penalties either as the demand column 'penalty' or as "
                             "the keyword, not both", field="penalty", value=penalty)
        return _numbers(dm, "demand", "penalty")
    if penalty is None:
        return np.full(len(dm), np.nan)
    if isinstance(penalty, Mapping):
        pen = np.empty(len(dm))
        for r, k in enumerate(d_k):
            if k not in penalty:
                raise InputError(f"no penalty for item {k!r}; items with demand: "
                                 f"{sorted(set(d_k))}", field="penalty", value=sorted(penalty))
            pen[r] = penalty[k]
        if not np.all(np.isfinite(pen) & (pen >= 0)):
            raise InputError("penalties must be finite numbers >= 0", field="penalty",
                             value=dict(penalty))
        return pen
    try:
        pv = float(penalty)
    except (TypeError, ValueError, OverflowError):
        pv = math.nan
    if not (math.isfinite(pv) and pv >= 0):
        raise InputError("must be a finite number >= 0, a mapping item -> number, or "
                         "None (unmet demand not allowed)", field="penalty", value=penalty)
    return np.full(len(dm), pv)


def _depots(dp: pd.DataFrame, d_j, d_k) -> dict:
    """Depots, their owners, stock rows, capacities and unit costs; players and items."""
    p_d = _labels(dp, "depots", "depot")
    p_j = _labels(dp, "depots", "jurisdiction", allow_empty=True)
    p_k = _labels(dp, "depots", "item")
    cap = _numbers(dp, "depots", "capacity", allow_inf=True)
    hold = _numbers(dp, "depots", "holding_cost")
    if "procurement_cost" in dp.columns:
        hold = hold + _numbers(dp, "depots", "procurement_cost")
    dup = _first_dup(pd.DataFrame({"d": p_d, "k": p_k}))
    if dup is not None:
        raise InputError("(depot, item) appears twice; give one row each",
                         field=f"depots[{dup}]", value=(p_d[dup], p_k[dup]))
    depots = tuple(dict.fromkeys(p_d))
    owner_name: dict = {}
    for r, (d, j) in enumerate(zip(p_d, p_j, strict=True)):
        if owner_name.setdefault(d, j) != j:
            raise InputError(f"depot {d!r} is listed under two jurisdictions "
                             f"({owner_name[d]!r} and {j!r})", field=f"depots[{r}].jurisdiction",
                             value=j)
    players = tuple(dict.fromkeys(list(d_j) + [owner_name[d] for d in depots
                                               if owner_name[d]]))
    pl_idx = {p: i for i, p in enumerate(players)}
    clash = set(depots) & set(players)
    if clash:
        raise InputError("a depot and a jurisdiction share a name; rename the depot",
                         field="depots.depot", value=sorted(clash))
    # items without depots are legal: their demand can only go unmet
    items = tuple(dict.fromkeys(list(d_k) + list(p_k)))
    dep_idx = {d: i for i, d in enumerate(depots)}
    it_idx = {k: i for i, k in enumerate(items)}
    return dict(depots=depots, owner_name=owner_name, players=players, pl_idx=pl_idx,
                items=items, it_idx=it_idx, cap=cap, hold=hold,
                depot_owner=np.array([pl_idx[owner_name[d]] if owner_name[d] else -1
                                      for d in depots], dtype=np.int64),
                stock_depot=np.array([dep_idx[d] for d in p_d], dtype=np.int64),
                stock_item=np.array([it_idx[k] for k in p_k], dtype=np.int64))


def _network(lk, dep: dict, directed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Fastest depot -> jurisdiction hours and the cost along that path, ``(D, n)`` each."""
    depots, owner_name, players = dep["depots"], dep["owner_name"], dep["players"]
    on_links: set[str] = set()
    if lk is not None:
        lf = _labels(lk, "links", "from")
        lt = _labels(lk, "links", "to")
        _numbers(lk, "links", "hours")
        _numbers(lk, "links", "cost")
        lk = lk.assign(**{"from": lf, "to": lt})
        on_links = set(lf) | set(lt)
        loops = np.flatnonzero((lf == lt).to_numpy())
        if loops.size:
            raise InputError("a link must join two different places", field=f"links[{loops[0]}]",
                             value=lf.iloc[loops[0]])
    for d in depots:
        if not owner_name[d] and d not in on_links:
            raise InputError("a depot of the higher level (no jurisdiction) must be placed "
                             "on the road network: name it in links", field="depots.depot",
                             value=d)
    # a depot not on the network sits at its owner's node
    node_of_depot = {d: (d if d in on_links else owner_name[d]) for d in depots}
    nodes = list(dict.fromkeys(list(players) + sorted(on_links - set(players))))
    hours_all, cost_all = _travel(lk, nodes, directed)
    n_idx = {n: i for i, n in enumerate(nodes)}
    drow = np.array([n_idx[node_of_depot[d]] for d in depots])
    pcol = np.array([n_idx[p] for p in players])
    return hours_all[np.ix_(drow, pcol)], cost_all[np.ix_(drow, pcol)]


def _arcs(dem: dict, dep: dict, hours: np.ndarray) -> dict:
    """Demand rows with quantity > 0 and, per item, the stock rows that arrive in time."""
    keep = dem["qty"] > 0
    dem_jur = np.array([dep["pl_idx"][j] for j in dem["d_j"][keep]], dtype=np.int64)
    dem_item = np.array([dep["it_idx"][k] for k in dem["d_k"][keep]], dtype=np.int64)
    deadline = dem["dl"][keep]
    stock_depot, stock_item = dep["stock_depot"], dep["stock_item"]
    arc_row, arc_stock = [], []
    for k in range(len(dep["items"])):
        rows = np.flatnonzero(dem_item == k)
        stocks = np.flatnonzero(stock_item == k)
        if rows.size == 0 or stocks.size == 0:
            continue
        H = hours[np.ix_(stock_depot[stocks], dem_jur[rows])]       # (stocks, rows)
        si, ri = np.nonzero(H <= deadline[rows][None, :])
        arc_row.append(rows[ri])
        arc_stock.append(stocks[si])
    arc_row = np.concatenate(arc_row) if arc_row else np.zeros(0, np.int64)
    arc_stock = np.concatenate(arc_stock) if arc_stock else np.zeros(0, np.int64)
    order = np.lexsort((arc_stock, arc_row))
    return dict(keep=keep, dem_scen=dem["dscen"][keep], dem_jur=dem_jur, dem_item=dem_item,
                quantity=dem["qty"][keep], deadline=deadline, penalty=dem["pen"][keep],
                arc_row=arc_row[order], arc_stock=arc_stock[order])
