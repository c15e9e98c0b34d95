"""Equilibria: speed beside quantecon (pure, n players) and nashpy (mixed, two players).

Run:  python benchmarks/bench_equilibria.py [--quick]

Targets (issue 3):

* pure Nash equilibria of a 20-player binary game (2**20 profiles) under 2 s,
  at least 10x faster than quantecon's ``pure_nash_brute`` on the same game.
  quantecon checks one profile at a time, and its check grows with the game
  (about 2.4 ms a profile at 20 players here: some 45 minutes for the whole
  game), so by default it is run in full at 16 players (equilibria compared)
  and, at 20 players, timed on 2000 seeded random profiles plus the
  equilibria and scaled to 2**20 (``--peer full`` runs all of it);
* mixed equilibria of 4x4 to 8x8 games: ``co.mixed_equilibria`` (nashpy's
  vertex enumeration + regret verification + deduplication + the exact
  polytope certificate + the Lemke-Howson cross-check) at most 2x the time of
  nashpy's vertex enumeration alone.

The pure-NE game is a scenario's game (20 jurisdictions sharing a river, one
hazard per upstream reach, every reach spilling downstream): the kind of game
the toolkit exists for, with few equilibria among a million profiles. Both
libraries get the same payoff tensor; quantecon's player arrays are the same
numbers with the player's own action first (its convention). The answers are
compared, not only timed.

Each line prints our time, the peer's and the ratio peer / ours (> 1: we are
faster). Times are the best of ``--repeat`` runs (wall clock, one process).
"""

from __future__ import annotations

import argparse
import time

import nashpy
import numpy as np
from _timing import best_of

import cooperation as co


def river_scenario(n: int) -> co.Scenario:
    """``n`` reaches in a chain; the hazard of reach i spills onto every reach below it."""
    names = [f"R{i:02d}" for i in range(n)]
    rng = np.random.default_rng(20)
    jur = [co.Jurisdiction(name, costs=(0.0, float(c)))
           for name, c in zip(names, rng.uniform(0.3, 1.5, n), strict=True)]
    hazards = []
    for i in range(n):
        below = names[i + 1:i + 4] or [names[i]]
        share = 0.5 / len(below) if below != [names[i]] else 0.0
        spill = {names[i]: 1.0 - share * len(below) if share else 1.0}
        spill.update({b: share for b in below if b != names[i]})
        hazards.append(co.Hazard(f"h{i}", probability=0.3, damage=float(rng.uniform(2, 6)),
                                 origins=(names[i],), spillover=spill, prevention=0.6,
                                 response=0.3))
    return co.Scenario(jurisdictions=jur, hazards=hazards, unit="illustrative units",
                       name=f"river-{n}")


def quantecon_game(game: co.NormalFormGame):
    import quantecon.game_theory as gt

    n = game.n_players
    players = [gt.Player(np.transpose(game.payoffs[i], [(i + k) % n for k in range(n)]))
               for i in range(n)]
    return gt.NormalFormGame(players)


def bench_pure(n: int, repeat: int, peer: str, sample: int) -> None:
    """Our pure NE beside quantecon's brute force on the same ``n``-player game.

    ``peer``: "full" runs ``pure_nash_brute`` over every profile and compares
    the equilibria; "sample" times quantecon's own per-profile check
    (``NormalFormGame.is_nash``, what ``pure_nash_brute`` calls for each
    profile) on ``sample`` seeded random profiles and scales to 2**n (at
    n = 20 the full run takes about 45 minutes here); "none" skips it.
    """
    import quantecon.game_theory as gt

    scen = river_scenario(n)
    t0 = time.perf_counter()
    game = scen.to_game()
    build = time.perf_counter() - t0
    ours_t, ours = best_of(lambda: co.pure_equilibria(game), repeat)
    print(f"pure NE, {n} players, 2**{n} = {2 ** n:,} profiles "
          f"(tensor built in {build:.2f} s)")
    print(f"  cooperation.pure_equilibria : {ours_t:8.3f} s  "
          f"{len(ours.profiles)} equilibria, max regret {ours.max_regret:.1e}")
    if peer == "none":
        return
    qg = quantecon_game(game)
    if peer == "full":
        peer_t, theirs = best_of(lambda: gt.pure_nash_brute(qg), 1)
        same = sorted(map(tuple, theirs)) == sorted(ours.profiles)
        print(f"  quantecon pure_nash_brute   : {peer_t:8.3f} s  {len(theirs)} equilibria")
        print(f"  ratio quantecon / ours      : {peer_t / ours_t:8.1f}x   same equilibria: {same}")
        return
    rng = np.random.default_rng(n)
    profiles = [tuple(int(a) for a in p) for p in rng.integers(0, 2, (sample, n))]
    profiles += [tuple(p) for p in ours.profiles]        # and the equilibria themselves
    t0 = time.perf_counter()
    verdicts = [qg.is_nash(p) for p in profiles]
    per = (time.perf_counter() - t0) / len(profiles)
    est = per * 2 ** n
    mine = set(ours.profiles)
    agree = all(v == (p in mine) for p, v in zip(profiles, verdicts, strict=True))
    print(f"  quantecon pure_nash_brute   : {est:8.1f} s  estimated: {per * 1e6:.0f} us per "
          f"profile x 2**{n} ({len(profiles)} profiles timed)")
    print(f"  ratio quantecon / ours      : {est / ours_t:8.0f}x   (estimated)   "
          f"verdicts agree on the timed profiles: {agree}")


def bench_mixed(sizes, games_per_size: int, repeat: int) -> None:
    print(f"mixed NE, {games_per_size} seeded random integer games per size "
          "(payoffs 0..9), total time per size")
    print(f"  {'size':>5} {'nashpy':>9} {'ours':>9} {'ours/nashpy':>11}  "
          f"{'no certificate':>14} {'ratio':>6}  agree")
    for k in sizes:
        rng = np.random.default_rng(k)
        games = [(rng.integers(0, 10, (k, k)).astype(float),
                  rng.integers(0, 10, (k, k)).astype(float)) for _ in range(games_per_size)]
        cgames = [co.NormalFormGame.from_bimatrix(A, B) for A, B in games]

        def peer(games=games):
            return [list(nashpy.Game(A, B).vertex_enumeration()) for A, B in games]

        def ours(cgames=cgames):
            return [co.mixed_equilibria(g) for g in cgames]

        def light(cgames=cgames):
            return [co.mixed_equilibria(g, certify=False) for g in cgames]

        tp, their = best_of(peer, repeat)
        to, mine = best_of(ours, repeat)
        tl, _ = best_of(light, repeat)
        agree = sum(len(r.equilibria) >= len(t) for r, t in zip(mine, their, strict=True))
        print(f"  {k}x{k:<3} {tp:8.3f}s {to:8.3f}s {to / tp:10.2f}x  {tl:13.3f}s "
              f"{tl / tp:5.2f}x  {agree}/{len(games)} found >= nashpy")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="full comparison at 12 players, and two mixed sizes (a smoke run)")
    ap.add_argument("--players", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peer", choices=["sample", "full", "none"], default="sample",
                    help="quantecon at 20 players: time a sample of profiles and scale "
                         "(default), run it all (about 45 min here), or skip it")
    ap.add_argument("--sample", type=int, default=2000, help="profiles timed with --peer sample")
    args = ap.parse_args(argv)
    n = args.players or 20
    compare = 12 if args.quick else 16
    bench_pure(compare, args.repeat, "full" if args.peer != "none" else "none", args.sample)
    bench_pure(n, args.repeat, args.peer, args.sample)
    sizes = (4, 6) if args.quick else (4, 5, 6, 7, 8)
    bench_mixed(sizes, 5 if args.quick else 20, 1 if args.quick else args.repeat)


if __name__ == "__main__":
    main()
