"""Shared instances for the reserve tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def two_county():
    """A needs 10 kits in s1, B needs 10 in s2 (p = 1/2 each); A's depot costs 1 a unit,
    B's 2; the road A-B takes 5 h at 0.4 a unit. By hand: stock 10 at A, ship to B in
    s2: cost 10 + 0.5 * 10 * 0.4 = 12; alone A pays 10, B 20."""
    demand = pd.DataFrame({"scenario": ["s1", "s2"], "jurisdiction": ["A", "B"],
                           "item": ["kit", "kit"], "quantity": [10.0, 10.0],
                           "probability": [0.5, 0.5]})
    depots = pd.DataFrame({"depot": ["dA", "dB"], "jurisdiction": ["A", "B"],
                           "item": ["kit", "kit"], "capacity": [50.0, 50.0],
                           "holding_cost": [1.0, 2.0]})
    links = pd.DataFrame({"from": ["A"], "to": ["B"], "hours": [5.0], "cost": [0.4]})
    return demand, depots, links


def three_county():
    """Exclusive scenarios, each county needs 10 once (p = 1/3); depots cost 1, 2, 3; roads
    free and fast. c(S) = 10 min_{i in S} h_i."""
    demand = pd.DataFrame({"scenario": ["sA", "sB", "sC"], "jurisdiction": ["A", "B", "C"],
                           "item": ["kit"] * 3, "quantity": [10.0] * 3,
                           "probability": [1 / 3] * 3})
    depots = pd.DataFrame({"depot": ["dA", "dB", "dC"], "jurisdiction": ["A", "B", "C"],
                           "item": ["kit"] * 3, "capacity": [100.0] * 3,
                           "holding_cost": [1.0, 2.0, 3.0]})
    links = pd.DataFrame({"from": ["A", "B", "A"], "to": ["B", "C", "C"],
                          "hours": [2.0, 2.0, 2.0], "cost": [0.0, 0.0, 0.0]})
    return demand, depots, links


def random_instance(seed, n=4, n_items=2, n_scen=3, penalty=True, central=False,
                    cost_scale=1.0, qty_scale=1.0):
    """A random reserve instance on a random road graph (seeded)."""
    rng = np.random.default_rng(seed)
    players = [f"J{i}" for i in range(n)]
    items = [f"k{i}" for i in range(n_items)]
    rows = []
    p = rng.dirichlet(np.ones(n_scen + 1))[:n_scen]
    for s in range(n_scen):
        hit = rng.random(n) < 0.6
        hit[rng.integers(n)] = True
        for j in np.flatnonzero(hit):
            for k in items:
                rows.append({"scenario": f"s{s}", "jurisdiction": players[j], "item": k,
                             "quantity": float(rng.uniform(1, 20)) * qty_scale,
                             "probability": float(p[s])})
    demand = pd.DataFrame(rows)
    if penalty:
        demand["penalty"] = rng.uniform(5, 20, len(demand)) * cost_scale
    drows = []
    for j in range(n):
        if rng.random() < 0.8:
            for k in items:
                drows.append({"depot": f"D{j}", "jurisdiction": players[j], "item": k,
                              "capacity": float(rng.uniform(5, 40)) * qty_scale,
                              "holding_cost": float(rng.uniform(0.5, 3)) * cost_scale})
    if not drows:   # every jurisdiction drew "no depot" (p = 0.2**n): give the first one
        drows = [{"depot": "D0", "jurisdiction": players[0], "item": k,
                  "capacity": 20.0 * qty_scale, "holding_cost": 1.0 * cost_scale}
                 for k in items]
    if central:
        for k in items:
            drows.append({"depot": "Central", "jurisdiction": "", "item": k,
                          "capacity": 15.0 * qty_scale,
                          "holding_cost": 0.8 * cost_scale})
    depots = pd.DataFrame(drows)
    lrows = []
    nodes = players + (["Central"] if central else [])
    for a in range(len(nodes)):
        for b in range(a + 1, len(nodes)):
            if rng.random() < 0.6:
                lrows.append({"from": nodes[a], "to": nodes[b],
                              "hours": float(rng.uniform(5, 40)),
                              "cost": float(rng.uniform(0, 0.5)) * cost_scale})
    if central:
        lrows.append({"from": "Central", "to": players[0], "hours": 10.0,
                      "cost": 0.1 * cost_scale})
    links = pd.DataFrame(lrows, columns=["from", "to", "hours", "cost"])
    return demand, depots, links


@pytest.fixture
def two():
    return two_county()


@pytest.fixture
def three():
    return three_county()
