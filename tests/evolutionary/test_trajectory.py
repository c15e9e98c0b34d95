"""Trajectories: the deterministic path, the seeded stochastic variant, inputs."""

import numpy as np
import pytest

import cooperation as co
from cooperation.errors import InputError


@pytest.fixture(scope="module")
def pd_game():
    return co.EvolutionaryGame(co.NormalFormGame.from_bimatrix(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]]))


def test_binary_closed_form(pd_game):
    # PD: f_C - f_D = -1 - y; with x = y by symmetry, dx/dt = -x(1-x)(1+x)
    path = pd_game.evolve([0.6, 0.6], np.linspace(0, 2, 21))
    x = path.share(0)
    dx = np.gradient(x, path.t)
    assert np.allclose(dx[5:-5], -x[5:-5] * (1 - x[5:-5]) * (1 + x[5:-5]), atol=2e-3)
    assert np.allclose(path.share("P0"), path.share(1))


def test_stochastic_is_seeded_and_stays_on_simplex(xinan):
    t = np.linspace(0, 5, 51)
    a = xinan.evolve([0.5, 0.5, 0.5], t, noise=0.5, seed=0)
    b = xinan.evolve([0.5, 0.5, 0.5], t, noise=0.5, seed=0)
    c = xinan.evolve([0.5, 0.5, 0.5], t, noise=0.5, seed=1)
    assert np.array_equal(a.states, b.states) and not np.array_equal(a.states, c.states)
    assert (a.states >= 0).all() and np.allclose(a.states[:, ::2] + a.states[:, 1::2], 1)
    g = np.random.default_rng(0)
    assert np.array_equal(xinan.evolve([0.5] * 3, t, noise=0.5, seed=g).states, a.states)


def test_small_noise_approaches_deterministic(xinan):
    t = np.linspace(0, 3, 31)
    det = xinan.evolve([0.3, 0.6, 0.5], t)
    sto = xinan.evolve([0.3, 0.6, 0.5], t, noise=1e-9, seed=0, dt=1e-3)
    assert np.abs(det.states - sto.states).max() < 5e-3


def test_frame_and_batch(xinan):
    p = xinan.evolve(np.array([[0.2, 0.2, 0.2], [0.8, 0.8, 0.8]]), 4.0)
    df = p.to_frame()
    assert list(df.columns[:2]) == ["run", "t"] and len(df) == 2 * 201
    assert p.final.shape == (2, 6)


@pytest.mark.parametrize("x0,t,kw,match", [
    ([0.5, 1.5, 0.5], [0, 1], {}, r"\[0, 1\]"),
    ([0.5, 0.5], [0, 1], {}, "a state has 6 shares"),
    ([0.5, 0.5, 0.5], [1, 0], {}, "increasing"),
    ([0.5, 0.5, 0.5], [0, 1], {"noise": -1.0}, ">= 0"),
    ([0.5, 0.5, 0.5], [0, 1], {"noise": 0.1, "seed": "x"}, "SeedSequence"),
])
def test_bad_inputs(xinan, x0, t, kw, match):
    with pytest.raises(InputError, match=match):
        xinan.evolve(x0, t, **kw)
