"""Benchmark: core rows of the transfer LP, by constraint generation vs the full LP.

Run:  python benchmarks/bench_core_generation.py [--quick] [--sizes 12 13 ...]

For ``n`` jurisdictions on a ring (the county scenario of
``bench_compensation.py``) and coalition values ``v(S) = sum_{i in S} o_i +
g(S)`` with a supermodular gain ``g`` (so the core is non-empty and many
coalition rows bind), ``design_compensation`` with participation and core
constraints is solved twice on the same input:

* ``generation``: start from the singletons and the grand coalition, add the
  most violated coalitions in batches that double each round (2n, 4n, ...);
* ``full``: all ``2**n - 1`` coalition rows at once.

Both must give the same least subsidy; the table prints times, rounds, rows
and the ratio generation / full. ``CORE_FULL_MAX`` in
``cooperation/compensation/transfers/solve.py`` (all rows up to that many players)
is set from this table. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_of  # noqa: E402
from bench_compensation import county_scenario  # noqa: E402

import cooperation as co  # noqa: E402
from cooperation.compensation.transfers import solve as D  # noqa: E402


def coalition_values(scenario: co.Scenario, seed: int = 0) -> co.TUGame:
    n = scenario.n_players
    rng = np.random.default_rng(seed)
    o = scenario.payoffs(np.zeros((1, n), dtype=np.intp))[0]
    w = rng.uniform(0.5, 1.5, n)
    masks = np.arange(1 << n)
    bits = (masks[:, None] >> np.arange(n)) & 1
    ws = bits @ w
    vals = bits @ o + 0.05 * ws ** 1.5
    vals[0] = 0.0
    return co.TUGame(vals, scenario.players)


def run(n: int, repeat: int) -> dict:
    s = county_scenario(n, seed=n)
    v = coalition_values(s, seed=n)
    kw = dict(constraints=["participation", "core"], coalition_values=v, ranges=False)
    old = D.CORE_FULL_MAX
    try:
        D.CORE_FULL_MAX = 0
        t_gen, r_gen = best_of(lambda: co.design_compensation(s, **kw), repeat)
        D.CORE_FULL_MAX = 64
        t_full, r_full = best_of(lambda: co.design_compensation(s, **kw), repeat)
    finally:
        D.CORE_FULL_MAX = old
    assert r_gen.success and r_full.success, (r_gen.message, r_full.message)
    same = abs(r_gen.subsidy - r_full.subsidy) <= 1e-7 * max(1.0, abs(r_full.subsidy))
    return {"n": n, "generation_s": t_gen, "full_s": t_full, "ratio": t_gen / t_full,
            "rows_generated": r_gen.extra.get("core_rows"), "rows_full": (1 << n) - 1,
            "same_subsidy": same, "subsidy": r_full.subsidy}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="n = 12..14, one repeat")
    ap.add_argument("--sizes", type=int, nargs="*", default=None)
    args = ap.parse_args()
    sizes = args.sizes or (list(range(12, 15)) if args.quick else list(range(12, 19)))
    repeat = 1 if args.quick else 2
    print(f"{'n':>3} {'generation s':>13} {'full LP s':>10} {'gen/full':>9} "
          f"{'rows gen':>9} {'rows full':>10} {'same':>5}")
    for n in sizes:
        r = run(n, repeat)
        print(f"{r['n']:>3} {r['generation_s']:>13.3f} {r['full_s']:>10.3f} {r['ratio']:>9.2f} "
              f"{r['rows_generated']!s:>9} {r['rows_full']:>10} {r['same_subsidy']!s:>5}",
              flush=True)


if __name__ == "__main__":
    main()
