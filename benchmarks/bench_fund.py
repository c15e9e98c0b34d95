"""Benchmark: the crisis-fund LP at county scale (issue 15), against scipy's linprog.

Run:  python benchmarks/bench_fund.py [--quick] [--members 100,300,1000,3000]
                                      [--years 10000] [--linprog-limit 300]

For each number of members (``fund_scenario``: as many hazards as members, each
striking 1-4 members with probability 0.01-0.2), ``years`` simulated loss years:

* ``co.design_fund`` with its default backend ("highs": the master LP with tail
  rows and payout-share columns generated as needed), the whole call timed
  (simulations, LP, out-of-sample check), in a fresh process so that its peak
  resident memory (``resource.getrusage``) is its own;
* the same LP, extensive (every tail row, every payout share), through
  ``scipy.optimize.linprog(method="highs")`` (``backend="scipy"``), in the same
  process, stopped at ``--linprog-limit`` seconds (reported as such).

Printed: times, the linprog/highs ratio, peak memory, whether both reach the
same optimum, and the ratio to the times measured on an older HEAD (PuLP + the
extensive LP, reported in issue 15): 100 members 5 s, 300 members 9.6 s, 1,000
members 68 s, 3,000 members 415 s and 2.2 GB. Target: 3,000 members x 10,000
years in under 20 s and 2 GB on a 2-core machine. ``--quick``: 100 and 300
members x 2,000 years. Not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time

import numpy as np

#: issue 15's measurements on an older HEAD (seconds), 10,000 years
OLD_SECONDS = {100: 5.0, 300: 9.6, 1000: 68.0, 3000: 415.0}
OLD_PEAK_GB = {3000: 2.2}


def fund_scenario(members: int, hazards: int, seed: int = 1):
    """``members`` jurisdictions, ``hazards`` hazards striking 1-4 of them each."""
    import cooperation as co

    rng = np.random.default_rng(seed)
    names = [f"M{i:04d}" for i in range(members)]
    js = [co.Jurisdiction(nm, capacity=float(rng.uniform(5, 50))) for nm in names]
    hz = []
    for h in range(hazards):
        k = int(rng.integers(1, 5))
        ids = rng.choice(members, size=k, replace=False)
        w = rng.dirichlet(np.ones(k))
        shares = {names[j]: float(x) for j, x in zip(ids, w, strict=True)}
        shares[names[ids[0]]] += 1.0 - sum(shares.values())
        hz.append(
            co.Hazard(
                f"h{h}",
                float(rng.uniform(0.01, 0.2)),
                float(rng.uniform(1, 20)),
                shares,
                origins=[names[ids[0]]],
                prevention=0.3,
                response=0.3,
            )
        )
    return co.Scenario(js, hz, unit="CNY 100M")


def _run(members: int, years: int, backend: str, limit: float | None, out) -> None:
    """One measurement in this (fresh) process; the summary goes to ``out``."""
    import cooperation as co

    s = fund_scenario(members, members)
    t0 = time.perf_counter()
    kw = {"time_limit": limit} if limit else {}
    r = co.design_fund(s, years=years, seed=0, backend=backend, **kw)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
    out.put(
        dict(
            seconds=seconds,
            peak_gb=peak,
            status=r.status,
            message=r.message[:90],
            values=list(r.objective_values),
            lp_s=r.build_time + r.solve_time,
            extra={k: r.extra.get(k) for k in ("tail_rows", "share_columns", "rounds")},
        )
    )


def measure(members: int, years: int, backend: str, limit: float | None = None) -> dict:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_run, args=(members, years, backend, limit, q))
    p.start()
    res = q.get()
    p.join()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100 and 300 members x 2,000 years")
    ap.add_argument("--members", default="100,300,1000,3000")
    ap.add_argument("--years", type=int, default=10_000)
    ap.add_argument(
        "--linprog-limit",
        type=float,
        default=300.0,
        help="seconds allowed to the extensive LP through linprog (0: skip)",
    )
    args = ap.parse_args()
    sizes = [100, 300] if args.quick else [int(x) for x in args.members.split(",")]
    years = 2_000 if args.quick else args.years
    print(
        f"crisis-fund LP, {years} simulated years; reference (older HEAD, PuLP, 10,000 "
        f"years): "
        + ", ".join(f"{m} members {s:g} s" for m, s in OLD_SECONDS.items())
        + f", 3,000 members {OLD_PEAK_GB[3000]} GB"
    )
    print(
        f"\n{'members':>7} {'highs_s':>8} {'peak_GB':>8} {'rows':>6} {'shares':>6} "
        f"{'linprog_s':>10} {'ratio':>6} {'same':>5} {'old_s':>6} {'old/new':>8}"
    )
    found = {}
    for m in sizes:
        a = found[m] = measure(m, years, "highs")
        b = measure(m, years, "scipy", args.linprog_limit) if args.linprog_limit > 0 else None
        if b is None:
            lin, ratio, same = "skipped", "", ""
        elif b["status"] != 0:
            lin, ratio, same = f">{args.linprog_limit:g}", "", "n/a"
        else:
            lin = f"{b['seconds']:.2f}"
            ratio = f"{b['seconds'] / a['seconds']:.2f}"
            same = str(bool(np.allclose(a["values"], b["values"], rtol=1e-6, atol=1e-9)))
        old = OLD_SECONDS.get(m) if years == 10_000 else None
        old_s = "" if old is None else f"{old:g}"
        speedup = "" if old is None else f"{old / a['seconds']:.1f}x"
        ex = a["extra"]
        print(
            f"{m:>7} {a['seconds']:>8.2f} {a['peak_gb']:>8.3f} {ex['tail_rows'] or 0:>6} "
            f"{ex['share_columns'] or 0:>6} {lin:>10} {ratio:>6} {same:>5} "
            f"{old_s:>6} {speedup:>8}"
        )
        if a["status"] != 0:
            print(f"        highs: {a['message']}")
    print(
        "\nhighs_s: the whole design_fund call (default backend); linprog_s: the same LP "
        "extensive, through scipy.optimize.linprog(method='highs'); ratio = linprog_s / "
        "highs_s; peak_GB: peak resident memory of the fresh process of the highs run; "
        "rows, shares: tail rows and payout-share columns the master needed."
    )
    if 3000 in found and years == 10_000:
        a = found[3000]
        ok = a["seconds"] < 20 and a["peak_gb"] < 2
        print(
            f"target (3,000 members x 10,000 years under 20 s and 2 GB): "
            f"{a['seconds']:.1f} s, {a['peak_gb']:.2f} GB -> {'met' if ok else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
