"""Benchmark: the response-process Monte Carlo against a per-run networkx loop.

Run:  python benchmarks/bench_response.py [--quick] [--runs 1000000] [--repeat 3]

A random 50-task process of 10 units (one or two owners per task, 70% joint
sign-offs, exponential, lognormal, triangular and fixed delays, a damage
curve) is simulated for ``--runs`` runs (default 10^6; 10^5 with --quick):

1. ``co.simulate_response`` in full: completion times, damage, criticality,
   bottleneck scores on 100,000 runs and the exact Shapley delay-cost
   attribution over all 2^10 coalitions; target under 10 s for 10^6 runs.
2. the completion-time kernel alone (``ResponseProcess.completion_times`` on
   the same draws).
3. the peer: for each run, a networkx DAG with the run's durations and
   ``nx.dag_longest_path_length`` (what one would write without
   vectorising). Timed on a sample of runs (``--peer-runs``, default 2000)
   and scaled linearly to ``--runs``; its completion times must equal ours
   on the sample.

Times are the best of ``--repeat`` calls (wall clock, one process). Not a
test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_of  # noqa: E402

import cooperation as co  # noqa: E402


def make_process(n_tasks: int = 50, n_units: int = 10, seed: int = 1) -> co.ResponseProcess:
    rng = np.random.default_rng(seed)
    laws = [lambda: {"dist": "exponential", "mean": float(rng.uniform(1, 6))},
            lambda: {"dist": "lognormal", "median": float(rng.uniform(1, 4)), "sigma": 0.5},
            lambda: {"dist": "triangular", "low": 0.5, "mode": 2.0,
                     "high": float(rng.uniform(3, 8))},
            lambda: {"dist": "fixed", "hours": float(rng.uniform(0.5, 3))}]
    rows = []
    for j in range(n_tasks):
        owners = [f"U{u}" for u in rng.choice(n_units, int(rng.integers(1, 3)), replace=False)]
        npred = int(min(j, rng.integers(0, 3)))
        after = [f"t{p}" for p in rng.choice(j, npred, replace=False)] if npred else []
        rows.append({"task": f"t{j}", "owners": owners, "after": after,
                     "join": "all" if rng.random() < 0.7 else "any", "delay": laws[j % 4]()})
    return co.ResponseProcess(rows, damage={"hours": [0, 24, 72], "damage": [0, 10, 50]})


def networkx_times(proc: co.ResponseProcess, draws: np.ndarray) -> np.ndarray:
    """Per-run longest path with networkx (node-split DAG, one graph per run)."""
    out = np.empty(draws.shape[1])
    for r in range(draws.shape[1]):
        g = nx.DiGraph()
        a = 0
        for t in proc.tasks:
            acts = draws[a:a + len(t.owners), r]
            a += len(t.owners)
            g.add_edge(("in", t.name), ("out", t.name),
                       weight=float(acts.max() if t.join == "all" else acts.min()))
            g.add_edge("s", ("in", t.name), weight=0.0)
            g.add_edge(("out", t.name), "z", weight=0.0)
            for p in t.after:
                g.add_edge(("out", p), ("in", t.name), weight=0.0)
        out[r] = nx.dag_longest_path_length(g, weight="weight")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="10^5 runs, 500 peer runs, 1 repeat")
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--peer-runs", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=None)
    args = ap.parse_args()
    runs = args.runs or (100_000 if args.quick else 1_000_000)
    peer_runs = args.peer_runs or (500 if args.quick else 2000)
    repeat = args.repeat or (1 if args.quick else 3)
    proc = make_process()
    print(f"process: {len(proc.tasks)} tasks, {len(proc.units)} units, {proc.n_actions} "
          f"owner actions; {runs:,} runs")

    t_full, res = best_of(lambda: co.simulate_response(proc, runs=runs, seed=0), repeat)
    print(f"simulate_response (everything):   {t_full:8.2f} s   "
          f"[target < 10 s at 10^6 runs: {'met' if runs < 10**6 or t_full < 10 else 'NOT met'}]")
    print(f"  mean T {res.mean_time:.3f} h, P(T <= 48 h) {res.p_within(48):.4f}, "
          f"delay cost {res.delay_cost_total:.4f} ({res.attribution.method}, "
          f"{res.attribution.runs} runs); notes: {'; '.join(res.notes)}")

    draws = proc.draw(np.random.SeedSequence(0), runs)
    t_kernel, T = best_of(lambda: proc.completion_times(draws), repeat)
    print(f"completion-time kernel alone:     {t_kernel:8.2f} s")

    sample = draws[:, :peer_runs]
    t0 = time.perf_counter()
    T_nx = networkx_times(proc, sample)
    t_peer = (time.perf_counter() - t0) * runs / peer_runs
    assert np.allclose(T_nx, T[:peer_runs], rtol=1e-12, atol=0), "networkx disagrees"
    print(f"networkx per-run loop (scaled from {peer_runs} runs): {t_peer:8.1f} s   "
          f"(times agree on the sample)")
    print(f"ratio networkx / kernel:           {t_peer / t_kernel:8.0f}x")
    print(f"ratio networkx (T only) / simulate_response (everything): {t_peer / t_full:8.0f}x")


if __name__ == "__main__":
    main()
