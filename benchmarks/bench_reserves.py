"""Benchmark: the joint-reserve LP at regional scale, PuLP/HiGHS vs scipy's linprog.

Run:  python benchmarks/bench_reserves.py [--quick] [--jurisdictions 300] [--depots 20]
      [--items 5] [--scenarios 200] [--repeat 1]

Instance (seeded, synthetic): jurisdictions at random points of a 1500 x 1000 km
region, each joined by road to its 4 nearest neighbours; travel at 15 km/h
(flood conditions, loading included), so a 48 h deadline reaches about 720 km of
road. ``depots`` depots in randomly chosen jurisdictions hold every item. Each
hazard scenario is a flood centred at a random point that hits the jurisdictions
within 150-250 km, with demand falling with distance; the scenario
probabilities sum to 0.5. Unmet demand is penalised. The LP is built sparsely:
dispatch variables exist only for (scenario, jurisdiction, item) rows with
demand and depots within the deadline.

Timed: the whole ``co.design_reserves`` call with the default PuLP + HiGHS
backend (validation, shortest routes, arcs, assembly, PuLP model, solve), and
the same call with ``backend="scipy"`` (the same sparse matrix handed to
``scipy.optimize.linprog(method="highs")``). The ratio is PuLP / linprog.
Target: the full size under 60 s. Then Owen's allocation (from the duals, no
enumeration) on the same plan and its core certificate (dual feasibility of
the prices for every coalition's LP). Not a test: numbers depend on the machine and
its load.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_of  # noqa: E402

import cooperation as co  # noqa: E402


def instance(n: int, n_depots: int, n_items: int, n_scen: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    xy = rng.uniform([0, 0], [1500, 1000], size=(n, 2))
    names = [f"J{i:03d}" for i in range(n)]
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d2, np.inf)
    near = np.argsort(d2, axis=1)[:, :4]
    a = np.repeat(np.arange(n), 4)
    b = near.ravel()
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pairs = np.unique(np.column_stack([lo, hi]), axis=0)
    km = np.sqrt(d2[pairs[:, 0], pairs[:, 1]]) * rng.uniform(1.1, 1.4, len(pairs))
    links = pd.DataFrame({"from": [names[i] for i in pairs[:, 0]],
                          "to": [names[i] for i in pairs[:, 1]],
                          "hours": km / 15.0, "cost": km * 2e-4})
    items = [f"item{k}" for k in range(n_items)]
    hosts = rng.choice(n, size=n_depots, replace=False)
    base_cap = rng.uniform(500, 3000, n_items)
    depots = pd.DataFrame([
        {"depot": f"D{d:02d}", "jurisdiction": names[h], "item": items[k],
         "capacity": float(base_cap[k] * rng.uniform(0.5, 1.5)),
         "holding_cost": float(rng.uniform(0.5, 2.0) * (k + 1))}
        for d, h in enumerate(hosts) for k in range(n_items)])
    prob = rng.dirichlet(np.ones(n_scen)) * 0.5
    per_unit = rng.uniform(5, 50, n_items)
    rows = []
    for s in range(n_scen):
        c = rng.uniform([0, 0], [1500, 1000])
        r = rng.uniform(150, 250)
        dist = np.sqrt(((xy - c) ** 2).sum(1))
        hit = np.flatnonzero(dist < r)
        if hit.size == 0:
            hit = np.array([int(np.argmin(dist))])
        sev = rng.uniform(0.5, 2.0)
        for j in hit:
            w = sev * max(0.05, 1 - dist[j] / (r * 1.01))
            for k in range(n_items):
                rows.append((f"s{s:03d}", names[j], items[k], float(per_unit[k] * w * 10),
                             float(prob[s])))
    demand = pd.DataFrame(rows, columns=["scenario", "jurisdiction", "item", "quantity",
                                         "probability"])
    penalty = {items[k]: float(20 * (k + 1)) for k in range(n_items)}
    return demand, depots, links, penalty


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="60 x 8 x 3 x 40 (seconds)")
    ap.add_argument("--jurisdictions", type=int, default=300)
    ap.add_argument("--depots", type=int, default=20)
    ap.add_argument("--items", type=int, default=5)
    ap.add_argument("--scenarios", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    if args.quick:
        args.jurisdictions, args.depots, args.items, args.scenarios = 60, 8, 3, 40
    n, D, K, S = args.jurisdictions, args.depots, args.items, args.scenarios
    demand, depots, links, penalty = instance(n, D, K, S)
    print(f"joint reserves: {n} jurisdictions x {D} depots x {K} items x {S} scenarios "
          f"({len(demand)} demand rows, {len(links)} road links, deadline 48 h)")
    t_pulp, plan = best_of(lambda: co.design_reserves(demand, depots, links, penalty=penalty),
                           args.repeat)
    print(f"  LP: {plan.n_variables} variables, {plan.n_constraints} rows; status "
          f"{plan.status} ({plan.solver_status}); cost {plan.cost:.8g}")
    print(f"  PuLP + HiGHS   design_reserves total {t_pulp:8.2f} s  (build {plan.build_time:.2f} s,"
          f" solve {plan.solve_time:.2f} s)")
    t_sc, plan_sc = best_of(lambda: co.design_reserves(demand, depots, links, penalty=penalty,
                                                       backend="scipy"), args.repeat)
    print(f"  scipy linprog  design_reserves total {t_sc:8.2f} s  (build "
          f"{plan_sc.build_time:.2f} s, solve {plan_sc.solve_time:.2f} s)")
    rel = abs(plan.cost - plan_sc.cost) / max(abs(plan_sc.cost), 1e-300)
    print(f"  ratio PuLP / linprog: {t_pulp / t_sc:.2f} (total), "
          f"{plan.solve_time / max(plan_sc.solve_time, 1e-9):.2f} (solve); "
          f"relative cost difference {rel:.1e}")
    t0 = time.perf_counter()
    owen = plan.allocation("owen")
    t_owen = time.perf_counter() - t0
    print(f"  Owen allocation from the duals: {t_owen * 1e3:.1f} ms; sums to "
          f"{owen.sum():.8g} (cost {plan.cost:.8g})")
    t0 = time.perf_counter()
    chk = plan.core_check("owen")
    t_chk = time.perf_counter() - t0
    print(f"  core check of Owen's shares ({chk.method}): {t_chk * 1e3:.1f} ms; in core: "
          f"{chk.in_core}")
    verdict = "under" if t_pulp < 60 else "OVER"
    print(f"  target: {verdict} 60 s at this size")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
