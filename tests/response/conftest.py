"""Helpers for the response tests: random DAG processes and a networkx oracle.

The oracle computes one run's completion time and its longest path with
networkx on a node-split graph (task j becomes the edge j_in -> j_out weighted
by its duration, the max or min of its owners' delays), independently of the
package's topological-order recursion.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

import cooperation as co


def random_process(seed: int, n_tasks: int = 12, n_units: int = 4, dist: str = "exponential",
                   any_share: float = 0.3):
    rng = np.random.default_rng(seed)
    rows = []
    for j in range(n_tasks):
        k = int(rng.integers(1, 3))
        owners = [f"U{u}" for u in rng.choice(n_units, k, replace=False)]
        npred = int(min(j, rng.integers(0, 3)))
        after = [f"t{p}" for p in rng.choice(j, npred, replace=False)] if npred else []
        if dist == "fixed":
            delay = {o: {"dist": "fixed", "hours": float(rng.integers(1, 9))} for o in owners}
        else:
            delay = {o: {"dist": "exponential", "mean": float(rng.uniform(0.5, 5))}
                     for o in owners}
        rows.append({"task": f"t{j}", "owners": owners, "after": after,
                     "join": "any" if rng.random() < any_share else "all", "delay": delay})
    return co.ResponseProcess(rows)


def oracle_run(proc, delays: dict[tuple[str, str], float]):
    """``(T, tasks on one longest path)`` of one run by networkx."""
    g = nx.DiGraph()
    for t in proc.tasks:
        acts = [delays[(t.name, u)] for u in t.owners]
        dur = max(acts) if t.join == "all" else min(acts)
        g.add_edge(("in", t.name), ("out", t.name), weight=dur)
        g.add_edge("source", ("in", t.name), weight=0.0)
        g.add_edge(("out", t.name), "sink", weight=0.0)
        for a in t.after:
            g.add_edge(("out", a), ("in", t.name), weight=0.0)
    T = nx.dag_longest_path_length(g, weight="weight")
    path = nx.dag_longest_path(g, weight="weight")
    return T, {n[1] for n in path if isinstance(n, tuple) and n[0] == "in"}


def run_delays(proc, draws: np.ndarray, r: int) -> dict[tuple[str, str], float]:
    out, a = {}, 0
    for t in proc.tasks:
        for u in t.owners:
            out[(t.name, u)] = float(draws[a, r])
            a += 1
    return out
