"""Benchmark: the compensation LP at county scale and the crisis-fund LP, PuLP/HiGHS vs scipy.

Run:  python benchmarks/bench_compensation.py [--n 3000] [--years 10000] [--members 30]
      python benchmarks/bench_compensation.py --quick   (300 jurisdictions, 1,000 years,
                                                         10 members: seconds)

1. Transfer LP for ``n`` jurisdictions (China has about 2,800 county-level
   divisions) with sparse spillovers (each hazard reaches at most 10
   jurisdictions), participation + self-enforcement + capacity. Timed: the
   whole ``design_compensation`` call (default target by coordinate ascent,
   outside option by best-response dynamics, the lexicographic LP, the
   uniqueness check), then the LP alone with PuLP/HiGHS (build and solve
   separately) and with ``scipy.optimize.linprog(method="highs")`` on the same
   model. Target: under 10 s.
2. Crisis-fund LP: ``years`` simulated years x ``members`` members. Target:
   under 10 s.

The ratio column is PuLP time / linprog time on the same LP (both HiGHS;
PuLP pays for building Python expression objects). Not a test: numbers
depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import cooperation as co


def county_scenario(n: int, seed: int = 0, neighbours: int = 10) -> co.Scenario:
    """n jurisdictions on a ring; hazard h starts at h and reaches up to ``neighbours``
    jurisdictions downstream of it (itself included)."""
    rng = np.random.default_rng(seed)
    names = [f"county{i:04d}" for i in range(n)]
    js = [co.Jurisdiction(nm, costs={"self": 0.0, "cooperate": float(rng.uniform(0.2, 2.0))},
                          capacity=float(rng.uniform(5.0, 50.0))) for nm in names]
    hz = []
    for h in range(n):
        k = int(rng.integers(1, neighbours + 1))
        ids = (h + np.arange(k)) % n
        w = rng.dirichlet(np.ones(k))
        shares = {names[j]: float(x) for j, x in zip(ids, w, strict=True)}
        shares[names[ids[0]]] += 1.0 - sum(shares.values())
        hz.append(co.Hazard(f"h{h}", probability=float(rng.uniform(0.05, 0.5)),
                            damage=float(rng.uniform(5.0, 30.0)), origins=[names[h]],
                            prevention=float(rng.uniform(0.3, 0.9)),
                            response=float(rng.uniform(0.0, 0.5)), spillover=shares))
    return co.Scenario(js, hz, unit="CNY 10k")


def fund_scenario(members: int, hazards: int, seed: int = 1) -> co.Scenario:
    rng = np.random.default_rng(seed)
    names = [f"M{i:02d}" for i in range(members)]
    js = [co.Jurisdiction(nm, capacity=float(rng.uniform(5, 50))) for nm in names]
    hz = []
    for h in range(hazards):
        k = int(rng.integers(1, 5))
        ids = rng.choice(members, size=k, replace=False)
        w = rng.dirichlet(np.ones(k))
        shares = {names[j]: float(x) for j, x in zip(ids, w, strict=True)}
        shares[names[ids[0]]] += 1.0 - sum(shares.values())
        hz.append(co.Hazard(f"h{h}", float(rng.uniform(0.01, 0.2)), float(rng.uniform(1, 20)),
                            shares, origins=[names[ids[0]]], prevention=0.3, response=0.3))
    return co.Scenario(js, hz, unit="CNY 100M")


def timed(func):
    t0 = time.perf_counter()
    out = func()
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--years", type=int, default=10_000)
    ap.add_argument("--members", type=int, default=30)
    ap.add_argument("--hazards", type=int, default=60)
    ap.add_argument("--quick", action="store_true",
                    help="small sizes for a check in seconds: 300 jurisdictions, 1,000 years, "
                         "10 members, 20 hazards")
    args = ap.parse_args()
    if args.quick:
        args.n, args.years = min(args.n, 300), min(args.years, 1_000)
        args.members, args.hazards = min(args.members, 10), min(args.hazards, 20)

    rows = []
    print(f"== transfer LP: {args.n} jurisdictions, <= 10 neighbours each")
    scen, t_build_scen = timed(lambda: county_scenario(args.n))
    print(f"scenario built in {t_build_scen:.2f} s")
    fams = ["participation", "self_enforcement", "capacity"]
    full, t_full = timed(lambda: co.design_compensation(scen, constraints=fams,
                                                        capacity_share=0.05))
    print(f"design_compensation (all defaults, PuLP): {t_full:.2f} s  -> {full.message}")
    print(f"  target: {full.target_note[:90]}...")
    print(f"  outside: {full.outside_note[:90]}...")
    kw = dict(target=full.target_profile, outside_option=full.payoff_before.to_numpy(),
              constraints=fams, capacity_share=0.05, ranges=False)
    for backend in ("pulp", "scipy"):
        res, t = timed(lambda backend=backend: co.design_compensation(scen, backend=backend, **kw))
        rows.append(("transfer LP", backend, res.build_time, res.solve_time, t, res.subsidy))
    print(f"\n== crisis-fund LP: {args.years} years x {args.members} members, "
          f"{args.hazards} hazards")
    fs = fund_scenario(args.members, args.hazards)
    for backend in ("pulp", "scipy"):
        res, t = timed(lambda backend=backend: co.design_fund(fs, years=args.years, seed=0,
                                                              backend=backend))
        rows.append(("fund LP", backend, res.build_time, res.solve_time, t, res.cofunding))
        if backend == "pulp":
            print(f"{res.scenarios} distinct simulated years in the LP; {res.message}")

    print("\nmodel         backend   build_s   solve_s   total_s   objective")
    for name, backend, b, s, t, obj in rows:
        print(f"{name:13s} {backend:8s} {b:8.3f} {s:9.3f} {t:9.3f}   {obj:.6g}")
    for name in ("transfer LP", "fund LP"):
        p = [r for r in rows if r[0] == name and r[1] == "pulp"][0]
        s = [r for r in rows if r[0] == name and r[1] == "scipy"][0]
        agree = abs(p[5] - s[5]) <= 1e-6 * max(1.0, abs(s[5]))
        print(f"{name}: PuLP/linprog time ratio {p[4] / s[4]:.2f} "
              f"(build+solve {(p[2] + p[3]) / (s[2] + s[3]):.2f}); same optimum: {agree}")
    print(f"whole design_compensation call at n = {args.n}: {t_full:.2f} s (target < 10 s)")


if __name__ == "__main__":
    main()
