"""Input tables of the joint-reserve model: their format, the data type, the readers.

The checks that turn the tables into arrays are in :mod:`.tables` (``validate``).

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

__all__ = ["ReserveData", "demand_from_scenario", "DEMAND_COLUMNS",
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
