"""Speed of the evolutionary-game tools.

1. The symbolic stability table of a three-population binary game (the Xin'an
   tripartite table): every rest point solved exactly, corner eigenvalues and
   conditions in the parameters' names. Target < 2 s.
2. 10,000 trajectories of a three-population game, vectorised. Target < 5 s.
3. Two populations: our vectorised batch against nashpy's
   asymmetric_replicator_dynamics (one odeint call per start) on the same
   starts; the ratio is printed.

Run: python benchmarks/bench_evolutionary.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_of  # noqa: E402

import cooperation as co  # noqa: E402
from cooperation.evolutionary.io import load_evolutionary  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    eg = load_evolutionary(root / "data/xinan/evolutionary.toml")
    co.evolutionary_stability(eg)   # warm sympy's caches of imports
    sec, st = best_of(lambda: co.evolutionary_stability(eg.with_values(S=1.5)),
                      1 if a.quick else 3)
    print(f"symbolic stability table, 3 binary populations: {sec:.3f} s "
          f"({len(st.rest_points)} rest points, complete={st.complete}; target < 2 s)")

    m = 1_000 if a.quick else 10_000
    rng = np.random.default_rng(0)
    X0 = rng.random((m, 3))
    t = np.linspace(0.0, 10.0, 101)
    sec, path = best_of(lambda: eg.evolve(X0, t), 1)
    print(f"{m} trajectories, 3 populations, t in [0, 10]: {sec:.3f} s "
          f"(target < 5 s for 10,000); states {path.states.shape}")

    import nashpy

    k = 200 if a.quick else 1_000
    A, B = rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    g = co.EvolutionaryGame(co.NormalFormGame.from_bimatrix(A, B))
    xs = rng.dirichlet(np.ones(2), size=k)
    ys = rng.dirichlet(np.ones(2), size=k)
    ours, P = best_of(lambda: g.evolve(np.hstack([xs, ys]), t), 1)
    ng = nashpy.Game(A, B)
    theirs, R = best_of(lambda: [np.hstack(ng.asymmetric_replicator_dynamics(
        x0=x, y0=y, timepoints=t)) for x, y in zip(xs, ys, strict=True)], 1)
    diff = max(np.abs(P.states[i] - R[i]).max() for i in range(k))
    print(f"2 populations, {k} starts: ours {ours:.3f} s, nashpy {theirs:.3f} s, "
          f"ratio nashpy/ours = {theirs / ours:.1f}x; max difference {diff:.1e}")


if __name__ == "__main__":
    main()
