"""Benchmark: repeated play, side by side with the Axelrod library.

Run:  python benchmarks/bench_repeated.py [--runs 1000000] [--repeat 5] [--skip-axelrod]
      python benchmarks/bench_repeated.py --quick   (100,000 runs, best of 3)

1. The 10-strategy round robin (Axelrod's conventions: self-play, 200 turns,
   10 repetitions), noise 0 and 0.05, ``rp.tournament`` vs
   ``axelrod.Tournament(...).play(processes=None)`` (serial). The deterministic
   payoff matrix and total scores must be identical; target: at least 100x
   faster than Axelrod.
2. One 100,000-turn noisy match (TFT vs WSLS, noise 0.05), ``rp.match`` vs
   ``axelrod.Match``.
3. 1,000,000 runs x 100 rounds of a 5-jurisdiction river scenario with
   execution noise, vertical monitoring (audits, fines feeding a fund) and
   transfers paid on verified compliance, five different strategies (TFT,
   Grim, WSLS, GTFT, the Opportunist); target: under 30 s on this machine.

Times are the best of ``--repeat`` runs (wall clock, one process). Not a
test: numbers depend on the machine and its load; the script prints the
ratios and whether the targets are met.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import cooperation as co
from cooperation import repeated as rp

TEN = [  # ours, Axelrod's class name
    (rp.AlwaysCooperate(), "Cooperator"), (rp.AlwaysDefect(), "Defector"),
    (rp.TitForTat(), "TitForTat"), (rp.SuspiciousTitForTat(), "SuspiciousTitForTat"),
    (rp.TitForTwoTats(), "TitFor2Tats"), (rp.TwoTitsForTat(), "TwoTitsForTat"),
    (rp.GrimTrigger(), "Grudger"), (rp.WinStayLoseShift(), "WinStayLoseShift"),
    (rp.Alternator(), "Alternator"), (rp.MemoryOne(0, 1, 0, 1, start="D"), "Bully"),
]


def best(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def river(n: int = 5) -> co.Scenario:
    """n jurisdictions along a river: each one's pollution lands 40% on itself and 60%
    downstream; a joint response cuts the damage (illustrative numbers)."""
    names = [f"J{i}" for i in range(n)]
    jur = [co.Jurisdiction(nm, costs={"self": 0.0, "cooperate": 1.0 + 0.2 * i})
           for i, nm in enumerate(names)]
    haz = []
    for i in range(n):
        share = {names[i]: 0.4, names[min(i + 1, n - 1)]: 0.6} if i < n - 1 else {names[i]: 1.0}
        haz.append(co.Hazard(f"pollution {i}", probability=0.4, damage=10.0, origins=[names[i]],
                             prevention=0.7, response=0.3, spillover=share))
    return co.Scenario(jur, haz, unit="CNY 100M", name="river of 5")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--skip-axelrod", action="store_true")
    ap.add_argument("--quick", action="store_true",
                    help="100,000 runs in part 3 and the best of 3 (the same ratios, sooner)")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.repeat = min(args.runs, 100_000), min(args.repeat, 3)
    print(f"cooperation.repeated benchmark; CPUs visible: {os.cpu_count()}")
    axl = None
    if not args.skip_axelrod:
        t = time.perf_counter()
        import axelrod as axl
        print(f"(import axelrod {axl.__version__}: {time.perf_counter() - t:.1f} s, not counted)")

    # ---------------------------------------------------------------- 1. tournaments
    print("\n1. 10-strategy round robin, 200 turns x 10 repetitions (self-play included)")
    ours = [s for s, _ in TEN]
    print(f"{'noise':>6} {'ours (s)':>10} {'axelrod (s)':>12} {'ratio':>8}  identical scores")
    for noise in (0.0, 0.05):
        t_ours, res = best(lambda noise=noise: rp.tournament(ours, 200, 10, noise=noise, seed=1),
                           args.repeat)
        if axl is None:
            print(f"{noise:>6} {t_ours:>10.4f}")
            continue
        players = [getattr(axl, name)() for _, name in TEN]
        t_ax, ax = best(lambda noise=noise, players=players: axl.Tournament(
            players, turns=200, repetitions=10, noise=noise, seed=1).play(
            progress_bar=False, processes=None), max(1, min(args.repeat, 2)))
        same = "-"
        if noise == 0.0:
            same = str(np.array_equal(res.payoff_matrix, np.array(ax.payoff_matrix))
                       and np.array_equal(res.totals.to_numpy(), np.array(ax.scores, float)))
        print(f"{noise:>6} {t_ours:>10.4f} {t_ax:>12.3f} {t_ax / t_ours:>7.0f}x  {same}")

    # ---------------------------------------------------------------- 2. long match
    print("\n2. one 100,000-turn match, TFT vs WSLS, noise 0.05")
    t_ours, m = best(lambda: rp.match(rp.TitForTat(), rp.WinStayLoseShift(), turns=100_000,
                                      noise=0.05, seed=1), args.repeat)
    theory = rp.stationary_payoffs(rp.TitForTat(), rp.WinStayLoseShift(), noise=0.05).payoffs
    line = (f"ours {t_ours:.4f} s; payoff per turn {np.round(m.score_per_turn, 4).tolist()} "
            f"(stationary {np.round(theory, 4).tolist()})")
    if axl is not None:
        def ax_match():
            mm = axl.Match([axl.TitForTat(), axl.WinStayLoseShift()], turns=100_000,
                           noise=0.05, seed=1)
            mm.play()
            return mm
        t_ax, _ = best(ax_match, max(1, min(args.repeat, 2)))
        line += f"; axelrod {t_ax:.3f} s; ratio {t_ax / t_ours:.0f}x"
    print(line)

    # ---------------------------------------------------------------- 3. big simulation
    runs, rounds = args.runs, args.rounds
    print(f"\n3. {runs:,} runs x {rounds} rounds, 5 jurisdictions, noise 0.01, audits "
          "q=0.3 a=0.9 F=3 (fines to the fund), verified transfers, 5 strategies")
    scen = river(5)
    strategies = [rp.TitForTat(k=3), rp.GrimTrigger(k=3), rp.WinStayLoseShift(k=3),
                  rp.GenerousTitForTat(0.2, k=3), rp.Opportunist()]
    mon = rp.Monitoring(audit_prob=0.3, accuracy=0.9, fine=3.0, fund_share=1.0)
    transfers = [0.4, 0.2, 0.0, -0.2, -0.4]
    t = time.perf_counter()
    res = rp.simulate(scen, strategies, rounds=rounds, runs=runs, noise=0.01, monitoring=mon,
                      transfers=transfers, seed=0)
    t_big = time.perf_counter() - t
    target = "met" if t_big < 30 else "MISSED"
    print(f"ours {t_big:.1f} s ({runs * rounds * 5 / t_big / 1e6:.0f} M player-rounds/s); "
          f"target < 30 s: {target}")
    print(f"  cooperation {res.cooperation_rate:.3f}, collapse share {res.collapse_share:.3f}, "
          f"fines per run {res.fines_collected:.2f}, welfare share {res.welfare_share:.3f}")


if __name__ == "__main__":
    main()
