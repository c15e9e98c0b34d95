"""Benchmark of ``cooperation.sweep`` executors on a CPU-bound phase-diagram sweep.

Prints, for the same seeded sweep (identical tables are checked):

- serial time, process-executor time, and the speed-up processes / serial
  (target >= 1.7x on a 2-core machine);
- the process executor against the peer a modeller would write by hand,
  ``concurrent.futures.ProcessPoolExecutor.map(..., chunksize=...)``;
- a Dask ``LocalCluster`` (one single-threaded worker process per core) against
  the process executor: the overhead ratio (target <= 15 %), the cluster's
  start-up time reported separately, as a cluster is started once per session;
- a declarative sweep (``scenario_sweep``: the grid of the shipped
  ``data/chishui/sweep.toml``, no Python of one's own) against the cell a
  modeller writes by hand for the same thing (load the scenario, build the
  ``Monitoring``, call ``rp.simulate``), both serial: the ratio declarative /
  hand-written, with the tables checked identical.

Run:  python benchmarks/bench_sweeps.py [--cells 240] [--repeat 3] [--workers N] [--quick]

The cell is a self-contained numpy simulation of a noisy repeated Prisoner's
Dilemma between two grim-trigger players (round by round, vectorised over runs),
about 20-40 ms per cell.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
from _timing import best_of

import cooperation as co
from cooperation.sweeps import DaskExecutor, ProcessExecutor
from cooperation.sweeps.executors import default_workers


def noisy_grim_cell(delta, noise, seed, runs=8000, max_rounds=120):
    """Share of rounds with mutual cooperation between two grim-trigger players
    whose actions are flipped with probability ``noise`` (execution errors)."""
    rng = np.random.default_rng(seed)
    punish = np.zeros((runs, 2), dtype=bool)
    alive = np.ones(runs, dtype=bool)
    mutual = np.zeros(runs)
    length = np.zeros(runs)
    for _ in range(max_rounds):
        act_c = ~punish ^ (rng.random((runs, 2)) < noise)
        both = act_c.all(axis=1)
        mutual += alive & both
        length += alive
        punish |= ~act_c[:, ::-1]               # grim: punish forever once the partner defects
        alive &= rng.random(runs) < delta
    rate = mutual / np.maximum(length, 1)
    return {"mutual_cooperation": float(rate.mean()),
            "collapsed": float((rate < 0.5).mean())}


CHISHUI = os.path.join(os.path.dirname(__file__), "..", "data", "chishui", "scenario.toml")
_SCENARIO = []


def hand_audit_cell(audit_prob, fine, seed, runs=200, rounds=40):
    """The declarative sweep's cell written by hand (as paper/analyses.py does)."""
    from cooperation import repeated as rp

    if not _SCENARIO:
        _SCENARIO.append(co.load_scenario(CHISHUI))
    s = _SCENARIO[0]
    mon = rp.Monitoring(audit_prob=audit_prob, accuracy=0.9, fine=fine)
    res = rp.simulate(s, [rp.Opportunist()] * s.n_players, rounds=rounds, runs=runs,
                      noise=0.02, monitoring=mon, seed=seed)
    return {"cooperation_rate": res.cooperation_rate}


def declarative(repeat: int, quick: bool) -> None:
    from cooperation.sweeps import scenario_sweep

    runs, rounds = (50, 20) if quick else (200, 40)
    vary = {"monitoring.audit_prob": "0:1:11", "monitoring.fine": "0:3:13"}
    fixed = {"monitoring.accuracy": 0.9, "simulation.runs": runs, "simulation.rounds": rounds,
             "simulation.noise": 0.02}
    t_decl, decl = best_of(lambda: scenario_sweep(CHISHUI, vary, "cooperation_rate",
                                                  fixed=fixed, seed=0, executor="serial",
                                                  progress=False), repeat)
    grid = {"audit_prob": decl["audit_prob"].unique().tolist(),
            "fine": decl["fine"].unique().tolist()}
    t_hand, hand = best_of(lambda: co.sweep(hand_audit_cell, grid, seed=0, executor="serial",
                                            progress=False,
                                            fixed={"runs": runs, "rounds": rounds}), repeat)
    assert decl["cooperation_rate"].tolist() == hand["cooperation_rate"].tolist()
    n = len(decl)
    print(f"declarative sweep ({n} cells, {runs} runs x {rounds} rounds, serial) "
          f"{t_decl:6.2f} s ({1e3 * t_decl / n:.1f} ms/cell); hand-written cell "
          f"{t_hand:6.2f} s; declarative / hand {t_decl / t_hand:4.2f}x (identical tables)")


def _cell_from_tuple(args):
    delta, noise, seed = args
    return noisy_grim_cell(delta, noise, seed)


def _grid(cells: int) -> dict:
    n_noise = 8
    n_delta = max(1, cells // n_noise)
    return {"delta": np.round(np.linspace(0.5, 0.99, n_delta), 4),
            "noise": np.round(np.linspace(0.0, 0.07, n_noise), 4)}


def _children_cpu() -> float:
    """CPU seconds used by finished direct child processes (here: the hand-written
    pool's workers), to show how much CPU the machine actually gave them."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return float("nan")
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cells", type=int, default=240)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--quick", action="store_true", help="48 cells, one repeat, no Dask")
    args = ap.parse_args()
    if args.quick:
        args.cells, args.repeat, args.no_dask = 48, 1, True
    workers = args.workers or default_workers()
    grid = _grid(args.cells)
    n = int(np.prod([len(v) for v in grid.values()]))
    print(f"sweep of {n} cells, {workers} workers, best of {args.repeat}; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (other work slows the "
          f"parallel runs)")

    t_serial, serial = best_of(lambda: co.sweep(noisy_grim_cell, grid, seed=0,
                                                executor="serial", progress=False),
                               args.repeat)
    print(f"serial                         {t_serial:7.2f} s   ({1e3 * t_serial / n:.1f} ms/cell)")

    # cold: a fresh pool per sweep, as a plain co.sweep(...) call does
    t_proc, proc = best_of(lambda: co.sweep(noisy_grim_cell, grid, seed=0, progress=False,
                                            executor=ProcessExecutor(workers=workers)),
                           args.repeat)
    pd.testing.assert_frame_equal(proc, serial)
    print(f"processes (new pool each run)  {t_proc:7.2f} s   speed-up vs serial "
          f"{t_serial / t_proc:5.2f}x  (target >= 1.7x)")

    with ProcessExecutor(workers=workers) as ex:
        co.sweep(noisy_grim_cell, {"delta": [0.5], "noise": [0.0]}, executor=ex,
                 progress=False)                                    # warm the pool
        t_warm, warm = best_of(lambda: co.sweep(noisy_grim_cell, grid, seed=0, executor=ex,
                                                progress=False), args.repeat)
    pd.testing.assert_frame_equal(warm, serial)
    print(f"processes (warm pool)          {t_warm:7.2f} s   speed-up vs serial "
          f"{t_serial / t_warm:5.2f}x")

    seeds = serial["seed"].tolist()
    tasks = list(zip(serial["delta"], serial["noise"], seeds, strict=True))
    chunk = max(1, n // (4 * workers))

    def by_hand():
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_cell_from_tuple, tasks, chunksize=chunk))

    cpu0, t0 = _children_cpu(), time.perf_counter()
    t_peer, peer = best_of(by_hand, args.repeat)
    cores_used = (_children_cpu() - cpu0) / (time.perf_counter() - t0)
    assert [r["mutual_cooperation"] for r in peer] == serial["mutual_cooperation"].tolist()
    print(f"peer: ProcessPoolExecutor.map  {t_peer:7.2f} s   co.sweep / peer "
          f"{t_proc / t_peer:5.2f}x  (the peer's own speed-up vs serial "
          f"{t_serial / t_peer:4.2f}x; its {workers} workers got {cores_used:.2f} cores of "
          f"CPU on average: what this machine allows right now)")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average before the Dask run: {load:.2f} on {os.cpu_count()} cores")

    declarative(args.repeat, args.quick)
    if args.no_dask:
        return
    from distributed import Client, LocalCluster

    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        t_start = time.perf_counter() - t0
        co.sweep(noisy_grim_cell, {"delta": [0.5], "noise": [0.0]}, executor=client,
                 progress=False)                                    # warm the workers
        t_dask, dask_df = best_of(lambda: co.sweep(noisy_grim_cell, grid, seed=0,
                                                   executor=DaskExecutor(client),
                                                   progress=False), args.repeat)
    pd.testing.assert_frame_equal(dask_df, serial)
    print(f"dask LocalCluster ({workers} procs)    {t_dask:7.2f} s   overhead vs processes "
          f"{100 * (t_dask / t_proc - 1):+5.1f} % (cold pool), "
          f"{100 * (t_dask / t_warm - 1):+5.1f} % (warm pool)  (target <= 15 %); "
          f"cluster start-up {t_start:.1f} s, once")
    print("identical tables: serial == processes == dask  (checked)")


if __name__ == "__main__":
    main()
