"""Cooperative values: speed beside coopgame-py and a plain scipy sequential-LP nucleolus.

Run:  python benchmarks/bench_coalitions.py [--quick]

Targets (issue 4): Shapley n = 20 under 0.05 s; nucleolus n = 15 under 1 s and
n = 20 under 2 s, certified (Kohlberg). Each line prints our time, the peer's,
and the ratio peer / ours (> 1: we are faster), plus whether the answers agree.

Games: seeded random games ``v(S) = U(0,1) |S|**2`` (generic: many levels) and
the symmetric majority game ``v(S) = [|S| > n/2]`` (degenerate: huge ties).
The plain scipy baseline is the textbook method: every stage is one
``linprog(method="highs")`` over all ``2**n - 2`` coalitions (sparse), fixing
coalitions by positive duals; it is run up to n = 15.
"""

from __future__ import annotations

import argparse

import numpy as np
import scipy.sparse as sp
from _timing import best_of
from scipy.optimize import linprog

import cooperation as co


def timed(f, *a, repeat=3, **k):
    return best_of(lambda: f(*a, **k), repeat)


def random_game(n, seed=0):
    rng = np.random.default_rng(seed)
    size = np.array([bin(m).count("1") for m in range(1 << n)], float)
    v = rng.random(1 << n) * size ** 2
    v[0] = 0.0
    return v


def majority_game(n):
    return np.array([float(bin(m).count("1") > n // 2) for m in range(1 << n)])


def scipy_nucleolus(v):
    """Plain sequential LPs over all coalitions with scipy (no constraint generation)."""
    n = len(v).bit_length() - 1
    N = (1 << n) - 1
    masks = np.arange(1, N)
    A = ((masks[:, None] >> np.arange(n)) & 1).astype(float)
    free = np.ones(masks.size, bool)
    fixed_rows, fixed_rhs = [np.ones(n)], [v[N]]
    bounds = [(v[1 << i], None) for i in range(n)] + [(None, None)]
    x = None
    for _ in range(2 * n):
        F = np.flatnonzero(free)
        A_ub = sp.hstack([sp.csr_matrix(-A[F]), sp.csr_matrix(-np.ones((F.size, 1)))]).tocsr()
        A_eq = np.c_[np.array(fixed_rows), np.zeros(len(fixed_rows))]
        res = linprog(np.r_[np.zeros(n), 1.0], A_ub=A_ub, b_ub=-v[masks[F]], A_eq=A_eq,
                      b_eq=fixed_rhs, bounds=bounds, method="highs")
        x, t = res.x[:n], res.x[n]
        pos = F[-res.ineqlin.marginals > 1e-9]
        for k in pos:
            fixed_rows.append(A[k])
            fixed_rhs.append(v[masks[k]] - t)
        R = np.array(fixed_rows)
        rank = np.linalg.matrix_rank(R)
        if rank == n:
            return np.linalg.lstsq(R, np.array(fixed_rhs), rcond=None)[0]
        _, s, vt = np.linalg.svd(R)
        Z = vt[int((s > 1e-10).sum()):].T
        free &= np.abs(A @ Z).max(axis=1) > 1e-9
    return x


def line(label, ours, peer, peer_name, agree):
    ratio = peer / ours if np.isfinite(peer) else float("nan")
    print(f"  {label:34s} ours {ours:8.4f} s   {peer_name} {peer:8.4f} s   "
          f"ratio {ratio:6.2f}x   {agree}")


def main(quick: bool = False):
    try:
        import coopgame as cg
    except ImportError:  # pragma: no cover
        cg = None
        print("coopgame-py not installed: pip install coopgame-py (peer timings skipped)")
    print("Shapley value")
    for n in ([12, 16] if quick else [12, 16, 20]):
        v = random_game(n)
        g = co.TUGame(v)
        ours, phi = timed(co.shapley, g, repeat=5)
        if cg:
            ref_game = cg.Game(v[1:])
            peer, ref = timed(cg.shapley, ref_game, repeat=5)
            agree = f"max diff {np.abs(phi.to_numpy() - ref).max():.1e}"
        else:
            peer, agree = float("nan"), ""
        line(f"n = {n}", ours, peer, "coopgame", agree)
        if n == 20:
            print(f"    target n = 20 < 0.05 s: {'met' if ours < 0.05 else 'MISSED'}")

    print("Weighted voting (Shapley-Shubik by DP), n = 200, weights 1..10")
    rng = np.random.default_rng(1)
    w = rng.integers(1, 11, 200)
    wvg = co.WeightedVotingGame(w, w.sum() // 2 + 1)
    ours, _ = timed(co.shapley, wvg, repeat=1)
    print(f"  ours {ours:.3f} s (exact; a full table would need 2**200 values)")

    print("Nucleolus (certified) beside coopgame and plain scipy sequential LPs")
    sizes = [10, 15] if quick else [10, 15, 20]
    for kind, make in (("random", random_game), ("majority", majority_game)):
        for n in sizes:
            v = make(n)
            g = co.TUGame(v)
            ours, res = timed(co.nucleolus, g, repeat=1 if n == 20 else 3)
            tag = f"certified={res.certified}"
            if cg:
                ref_game = cg.Game(v[1:])
                peer, ref = timed(cg.nucleolus, ref_game, repeat=1 if n == 20 else 3)
                tag += f", max diff {np.abs(res.allocation.to_numpy() - ref['allocation']).max():.1e}"
                line(f"{kind} n = {n} vs coopgame", ours, peer, "coopgame", tag)
            if n <= 15:
                peer, ref = timed(scipy_nucleolus, v, repeat=1)
                line(f"{kind} n = {n} vs scipy full LPs", ours, peer, "scipy   ",
                     f"max diff {np.abs(res.allocation.to_numpy() - ref).max():.1e}")
            target = {15: 1.0, 20: 2.0}.get(n)
            if target:
                ok = ours < target and res.certified
                print(f"    target n = {n} < {target:g} s, certified: "
                      f"{'met' if ok else 'MISSED'} ({res.lp_solves} LP solves, "
                      f"{res.rows} of {2 ** n - 2} coalition rows)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip n = 20")
    main(ap.parse_args().quick)
