"""Input tables of the joint-reserve model, validated, and the time-feasible arcs.

Three tables (pandas DataFrames, or anything ``pandas.DataFrame`` accepts):

``demand``: one row per (scenario, jurisdiction, item)
    ``scenario``, ``jurisdiction``, ``item``, ``quantity`` (units needed if the
    scenario happens, >= 0), ``probability`` (of the scenario; the same on every
    row of a scenario). Optional: ``deadline_hours`` (overrides the common
    deadline for that row), ``penalty`` (money per unit left unmet). The
    scenario probabilities sum to at most 1; the rest is a quiet state with no
    demand.
``depots``: one row per (depot, item)
    ``depot``, ``jurisdiction`` (who holds and pays for it; empty or NaN: a depot
    of the higher level, open to every coalition), ``item``, ``capacity`` (units,
    >= 0, ``inf`` allowed), ``holding_cost`` (money per unit stocked per period).
    Optional: ``procurement_cost`` (money per unit, per period: the annualised
    purchase price), added to the holding cost.
``links``: one row per road link
    ``from``, ``to`` (node names: depots and jurisdictions), ``hours`` (>= 0) and
    ``cost`` (money per unit carried, >= 0). Links are two-way unless
    ``directed=True``. A depot that no link names sits at its jurisdiction's node.

The travel time from depot ``d`` to jurisdiction ``j`` is the shortest path in
hours (Dijkstra); the cost of a unit sent is the cost summed along that fastest
path. A dispatch arc ``(d, j)`` exists for an item only when ``d`` stocks the
item and ``hours(d, j) <= deadline`` of the demand row: the LP never holds an
arc that cannot arrive in time.

References
----------
Rawls, C. G. and Turnquist, M. A. (2010). Pre-positioning of emergency
supplies for disaster response. *Transportation Research B* 44, 521-534.
Dijkstra, E. W. (1959). A note on two problems in connexion with graphs.
*Numerische Mathematik* 1, 269-271.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from .._numeric import PROB_TOL, RTOL
from ..errors import InputError

__all__ = ["ReserveData", "validate", "demand_from_scenario", "DEMAND_COLUMNS",
           "DEPOT_COLUMNS", "LINK_COLUMNS", "PROB_TOL"]

DEMAND_COLUMNS = ("scenario", "jurisdiction", "item", "quantity", "probability")
DEPOT_COLUMNS = ("depot", "jurisdiction", "item", "capacity", "holding_cost")
LINK_COLUMNS = ("from", "to", "hours", "cost")


@dataclass(frozen=True, eq=False)
class ReserveData:
    """Validated tables as arrays (indices inside, labels kept for the edges).

    Demand rows ``r``: ``dem_scen[r]`` (index into ``scenarios``), ``dem_jur[r]``
    (index into ``places``), ``dem_item[r]``, ``quantity[r]``, ``deadline[r]``,
    ``penalty[r]`` (nan: unmet demand not allowed).
    Stock rows ``m`` (one per depot and item): ``stock_depot[m]``, ``stock_item[m]``,
    ``capacity[m]``, ``unit_cost[m]`` (holding + procurement), ``stock_owner[m]``
    (index into ``players``, -1: the higher level).
    Arcs ``a``: ``arc_row[a]`` (demand row), ``arc_stock[a]`` (stock row),
    ``arc_hours[a]``, ``arc_cost[a]``.
    """

    players: tuple[str, ...]          # jurisdictions that own depots or have demand
    places: tuple[str, ...]           # jurisdictions with demand (subset of players)
    items: tuple[str, ...]
    scenarios: tuple[str, ...]
    prob: np.ndarray
    quiet: float
    depots: tuple[str, ...]
    depot_owner: np.ndarray           # per depot: index into players, -1 higher level
    dem_scen: np.ndarray
    dem_jur: np.ndarray               # index into players
    dem_item: np.ndarray
    quantity: np.ndarray
    deadline: np.ndarray
    penalty: np.ndarray
    stock_depot: np.ndarray
    stock_item: np.ndarray
    capacity: np.ndarray
    unit_cost: np.ndarray
    stock_owner: np.ndarray
    arc_row: np.ndarray
    arc_stock: np.ndarray
    arc_hours: np.ndarray
    arc_cost: np.ndarray
    hours: np.ndarray                 # (depots, players) fastest travel time, inf unreachable
    route_cost: np.ndarray            # (depots, players) cost along the fastest route
    deadline_hours: float

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def soft(self) -> bool:
        """Whether unmet demand is allowed (every row carries a penalty)."""
        return bool(np.all(np.isfinite(self.penalty))) and self.penalty.size > 0


# ---------------------------------------------------------------------- helpers
def _frame(obj, name: str, required) -> pd.DataFrame:
    if isinstance(obj, pd.DataFrame):
        df = obj.copy()
    else:
        try:
            df = pd.DataFrame(obj)
        except (TypeError, ValueError):
            raise InputError("must be a DataFrame (or records / a dict of columns)",
                             field=name, value=type(obj).__name__) from None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(f"missing columns {missing}; needs {list(required)}", field=name,
                         value=list(df.columns))
    if len(df) == 0:
        raise InputError("has no rows", field=name, value=0)
    return df.reset_index(drop=True)


def _labels(df: pd.DataFrame, table: str, col: str, allow_empty: bool = False) -> pd.Series:
    s = df[col]
    empty = s.isna() | (s.astype(str).str.strip() == "")
    if empty.any() and not allow_empty:
        k = int(np.flatnonzero(empty.to_numpy())[0])
        raise InputError("must be a non-empty name", field=f"{table}[{k}].{col}",
                         value=s.iloc[k])
    out = s.astype(str).str.strip()
    out[empty] = ""
    return out


def _numbers(df: pd.DataFrame, table: str, col: str, lo: float = 0.0,
             allow_inf: bool = False) -> np.ndarray:
    vals = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(vals) | (~allow_inf & ~np.isfinite(vals)) | (vals < lo)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        rule = f"must be a number >= {lo:g}" + ("" if allow_inf else " (finite)")
        raw = df[col].iloc[k]
        raise InputError(rule, field=f"{table}[{k}].{col}",
                         value=float(raw) if isinstance(raw, (int, float, np.number)) else raw)
    return vals


def _first_dup(keys: pd.DataFrame) -> int | None:
    d = keys.duplicated(keep="first").to_numpy()
    return int(np.flatnonzero(d)[0]) if d.any() else None


# ---------------------------------------------------------------------- demand from a scenario
def demand_from_scenario(scenario, items: Mapping[str, float], profile=None) -> pd.DataFrame:
    """A demand table from a scenario's hazards: one reserve scenario per hazard.

    Hazard ``h`` strikes with probability ``p_h(a)`` at the action profile ``a``
    (default: every jurisdiction at its first level) and does damage ``D_h(a)``,
    split by the spillover shares ``s[h, j]``; jurisdiction ``j`` then needs
    ``D_h(a) s[h, j] w_k`` units of item ``k``, with ``w_k = items[k]`` units per
    unit of damage. The hazards are read as mutually exclusive scenarios, so
    their probabilities must sum to at most 1 (the rest: a quiet year).

    Examples
    --------
    >>> import cooperation as co
    >>> from cooperation.reserves import demand_from_scenario
    >>> s = co.Scenario([co.Jurisdiction("A"), co.Jurisdiction("B")],
    ...                 [co.Hazard("flood", 0.2, 10.0, {"A": 0.6, "B": 0.4})], unit="u")
    >>> demand_from_scenario(s, {"tents": 2.0})[["jurisdiction", "quantity"]].values.tolist()
    [['A', 12.0], ['B', 8.0]]
    """
    if not isinstance(items, Mapping) or not items:
        raise InputError("must map item name -> units needed per unit of damage",
                         field="items", value=items)
    w = {}
    for k, val in items.items():
        try:
            x = float(val)
        except (TypeError, ValueError):
            x = math.nan
        if not (math.isfinite(x) and x >= 0):
            raise InputError("units per unit of damage must be a finite number >= 0",
                             field=f"items[{k!r}]", value=val)
        w[str(k)] = x
    prof = np.zeros(scenario.n_players, dtype=int) if profile is None else np.asarray(profile)
    p, D = scenario.hazard_state(prof[None, :])
    p, D = p[0], D[0]
    if p.sum() > 1.0 + PROB_TOL:
        raise InputError(f"hazard probabilities sum to {p.sum():.6g} > 1; single-hazard "
                         "reserve scenarios must be mutually exclusive", field="scenario",
                         value=scenario.name, fix="give the demand table directly")
    S = scenario.spillover_matrix.toarray()
    rows = []
    for h, hz in enumerate(scenario.hazards):
        for j, name in enumerate(scenario.players):
            if S[h, j] <= 0 or D[h] <= 0:
                continue
            for k, wk in w.items():
                if wk > 0:
                    rows.append({"scenario": hz.name, "jurisdiction": name, "item": k,
                                 "quantity": float(D[h] * S[h, j] * wk),
                                 "probability": float(p[h])})
    if not rows:
        raise InputError("no hazard produces any demand (zero damages or zero weights)",
                         field="items", value=w)
    return pd.DataFrame(rows, columns=list(DEMAND_COLUMNS))


# ---------------------------------------------------------------------- validation
def _travel(links: pd.DataFrame | None, node_names: list[str], directed: bool):
    """Fastest-route hours and their costs between every pair of nodes."""
    idx = {n: i for i, n in enumerate(node_names)}
    V = len(node_names)
    if links is None or len(links) == 0:
        H = np.full((V, V), np.inf)
        np.fill_diagonal(H, 0.0)
        return H, np.zeros((V, V))
    a = np.array([idx[x] for x in links["from"]])
    b = np.array([idx[x] for x in links["to"]])
    h = links["hours"].to_numpy(float)
    c = links["cost"].to_numpy(float)
    if not directed:
        a, b = np.concatenate([a, b]), np.concatenate([b, a])
        h, c = np.concatenate([h, h]), np.concatenate([c, c])
    # parallel links: keep the fastest (then the cheapest); csgraph would add them up
    order = np.lexsort((c, h, b, a))
    a, b, h, c = a[order], b[order], h[order], c[order]
    keep = np.ones(a.size, bool)
    keep[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    a, b, h, c = a[keep], b[keep], h[keep], c[keep]
    # zero-hour links: csgraph drops explicit zeros, so shift every weight by a tiny
    # constant per edge that cannot change which route is fastest by more than it
    eps = RTOL * max(1.0, float(h.max(initial=0.0)))
    G = sp.csr_matrix((h + eps, (a, b)), shape=(V, V))
    dist, pred = dijkstra(G, directed=True, return_predecessors=True)
    Cmat = sp.csr_matrix((c, (a, b)), shape=(V, V)).toarray()
    Hmat = sp.csr_matrix((h, (a, b)), shape=(V, V)).toarray()
    hours = np.full((V, V), np.inf)
    cost = np.zeros((V, V))
    for s in range(V):
        order = np.argsort(dist[s], kind="stable")
        hours[s, s] = 0.0
        for t in order:
            if t == s or not np.isfinite(dist[s, t]):
                continue
            p = pred[s, t]
            hours[s, t] = hours[s, p] + Hmat[p, t]
            cost[s, t] = cost[s, p] + Cmat[p, t]
    return hours, cost


def validate(demand, depots, links, deadline_hours: float = 48.0, penalty=None,
             directed: bool = False) -> ReserveData:
    """Check the three tables and build the arrays and time-feasible arcs.

    Raises :class:`~cooperation.errors.InputError` naming the table, row, column,
    value and rule at the first problem.
    """
    try:
        T = float(deadline_hours)
    except (TypeError, ValueError):
        T = math.nan
    if not (T >= 0 and math.isfinite(T)):
        raise InputError("must be a finite number of hours >= 0", field="deadline_hours",
                         value=deadline_hours)
    dm = _frame(demand, "demand", DEMAND_COLUMNS)
    dp = _frame(depots, "depots", DEPOT_COLUMNS)
    lk = None if links is None else _frame(links, "links", LINK_COLUMNS) \
        if not (isinstance(links, pd.DataFrame) and len(links) == 0) else None

    # ---- demand
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
    if "deadline_hours" in dm.columns:
        dl = pd.to_numeric(dm["deadline_hours"], errors="coerce").to_numpy(float)
        dl = np.where(dm["deadline_hours"].isna().to_numpy(), T, dl)
        bad = ~np.isfinite(dl) | (dl < 0)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise InputError("must be a finite number of hours >= 0",
                             field=f"demand[{k}].deadline_hours",
                             value=dm["deadline_hours"].iloc[k])
    else:
        dl = np.full(len(dm), T)
    if "penalty" in dm.columns:
        if penalty is not None:
            raise InputError("give penalties either as the demand column 'penalty' or as "
                             "the keyword, not both", field="penalty", value=penalty)
        pen = _numbers(dm, "demand", "penalty")
    elif penalty is None:
        pen = np.full(len(dm), np.nan)
    elif isinstance(penalty, Mapping):
        pen = np.empty(len(dm))
        for r, k in enumerate(d_k):
            if k not in penalty:
                raise InputError(f"no penalty for item {k!r}; items with demand: "
                                 f"{sorted(set(d_k))}", field="penalty", value=sorted(penalty))
            pen[r] = penalty[k]
        if not np.all(np.isfinite(pen) & (pen >= 0)):
            raise InputError("penalties must be finite numbers >= 0", field="penalty",
                             value=dict(penalty))
    else:
        try:
            pv = float(penalty)
        except (TypeError, ValueError):
            pv = math.nan
        if not (math.isfinite(pv) and pv >= 0):
            raise InputError("must be a finite number >= 0, a mapping item -> number, or "
                             "None (unmet demand not allowed)", field="penalty", value=penalty)
        pen = np.full(len(dm), pv)

    # ---- depots
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
    owner_name = {}
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
    unknown_items = sorted(set(d_k) - set(p_k))
    items = tuple(dict.fromkeys(list(d_k) + list(p_k)))
    it_idx = {k: i for i, k in enumerate(items)}
    dep_idx = {d: i for i, d in enumerate(depots)}
    depot_owner = np.array([pl_idx[owner_name[d]] if owner_name[d] else -1 for d in depots],
                           dtype=np.int64)

    # ---- links and travel times
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
    hours = hours_all[np.ix_(drow, pcol)]
    rcost = cost_all[np.ix_(drow, pcol)]

    # ---- drop zero-demand rows, build arcs
    keep = qty > 0
    dem_scen = dscen[keep]
    dem_jur = np.array([pl_idx[j] for j in d_j[keep]], dtype=np.int64)
    dem_item = np.array([it_idx[k] for k in d_k[keep]], dtype=np.int64)
    quantity, deadline, pen = qty[keep], dl[keep], pen[keep]
    stock_depot = np.array([dep_idx[d] for d in p_d], dtype=np.int64)
    stock_item = np.array([it_idx[k] for k in p_k], dtype=np.int64)
    # arcs: for each item, demand rows x stock rows of that item within the deadline
    arc_row, arc_stock = [], []
    for k in range(len(items)):
        rows = np.flatnonzero(dem_item == k)
        stocks = np.flatnonzero(stock_item == k)
        if rows.size == 0 or stocks.size == 0:
            continue
        H = hours[np.ix_(stock_depot[stocks], dem_jur[rows])]       # (stocks, rows)
        ok = H <= deadline[rows][None, :]
        si, ri = np.nonzero(ok)
        arc_row.append(rows[ri])
        arc_stock.append(stocks[si])
    arc_row = np.concatenate(arc_row) if arc_row else np.zeros(0, np.int64)
    arc_stock = np.concatenate(arc_stock) if arc_stock else np.zeros(0, np.int64)
    order = np.lexsort((arc_stock, arc_row))
    arc_row, arc_stock = arc_row[order], arc_stock[order]
    ad, aj = stock_depot[arc_stock], dem_jur[arc_row]
    del unknown_items  # items without depots are legal: their demand can only go unmet
    return ReserveData(
        players=players, places=tuple(dict.fromkeys(d_j[keep])), items=items,
        scenarios=scenarios, prob=prob, quiet=max(0.0, 1.0 - float(prob.sum())),
        depots=depots, depot_owner=depot_owner, dem_scen=dem_scen, dem_jur=dem_jur,
        dem_item=dem_item, quantity=quantity, deadline=deadline, penalty=pen,
        stock_depot=stock_depot, stock_item=stock_item, capacity=cap, unit_cost=hold,
        stock_owner=depot_owner[stock_depot], arc_row=arc_row, arc_stock=arc_stock,
        arc_hours=hours[ad, aj], arc_cost=rcost[ad, aj], hours=hours, route_cost=rcost,
        deadline_hours=T)
