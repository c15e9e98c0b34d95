"""Cross-check: two-population paths equal nashpy's asymmetric_replicator_dynamics."""

import numpy as np
import pytest

import cooperation as co

nashpy = pytest.importorskip("nashpy")


@pytest.mark.parametrize("shape,seed", [((2, 2), 0), ((2, 3), 1), ((3, 3), 2), ((3, 2), 3)])
def test_two_population_paths_match_nashpy(shape, seed):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=shape), rng.normal(size=shape)
    x0, y0 = rng.dirichlet(np.ones(shape[0])), rng.dirichlet(np.ones(shape[1]))
    t = np.linspace(0, 10, 101)
    xs, ys = nashpy.Game(A, B).asymmetric_replicator_dynamics(x0=x0, y0=y0, timepoints=t)
    eg = co.EvolutionaryGame(co.NormalFormGame.from_bimatrix(A, B))
    path = eg.evolve((x0, y0), t)
    assert path.states.shape == (len(t), sum(shape))
    assert np.abs(path.states - np.hstack([xs, ys])).max() < 1e-6


def test_batch_equals_single_starts():
    rng = np.random.default_rng(5)
    U = rng.normal(size=(3, 2, 2, 2))
    eg = co.EvolutionaryGame(co.NormalFormGame.from_arrays(U))
    X0 = rng.random((4, 3))
    t = np.linspace(0, 5, 11)
    batch = eg.evolve(X0, t)
    assert batch.states.shape == (4, 11, 6)
    for k in range(4):
        assert np.abs(batch.states[k] - eg.evolve(X0[k], t).states).max() < 1e-6
