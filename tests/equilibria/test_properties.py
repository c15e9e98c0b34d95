"""Properties (hypothesis): zero regret, pure NE found by the mixed solver, optimum dominance."""

import numpy as np
from hypothesis import given, settings
from strategies import SMALL_INTS, bimatrix_games, nplayer_games  # noqa: F401

import cooperation as co


@settings(max_examples=60, deadline=None)
@given(bimatrix_games())
def test_every_mixed_equilibrium_has_zero_regret(game):
    res = co.mixed_equilibria(game)
    assert res.max_regret <= 1e-9
    for x, y in res.equilibria:
        assert np.all(game.regret([x, y]) <= 1e-9)
        assert np.isclose(x.sum(), 1) and np.isclose(y.sum(), 1)
        assert (x >= 0).all() and (y >= 0).all()
    assert len(res.equilibria) >= 1                 # Nash's theorem
    if not res.degenerate:
        assert len(res.equilibria) % 2 == 1          # Lemke-Howson parity


@settings(max_examples=60, deadline=None)
@given(bimatrix_games())
def test_pure_equilibria_are_found_by_mixed_solver(game):
    mixed = co.mixed_equilibria(game)
    for p in co.pure_equilibria(game).profiles:
        x = np.eye(game.shape[0])[p[0]]
        y = np.eye(game.shape[1])[p[1]]
        assert any(np.allclose(x, u) and np.allclose(y, v) for u, v in mixed.equilibria)


@settings(max_examples=80, deadline=None)
@given(nplayer_games())
def test_optimum_dominates_and_pure_ne_have_no_regret(game):
    opt = co.social_optimum(game)
    assert np.all(opt.welfare >= game.welfare() - 1e-12)
    res = co.pure_equilibria(game)
    for p in res.profiles:
        strategies = [np.eye(k)[a] for k, a in zip(game.shape, p, strict=True)]
        assert np.all(game.regret(strategies) <= 1e-12)
    # brute force: every profile not returned has a profitable deviation
    found = set(res.profiles)
    for a in np.ndindex(*game.shape):
        strategies = [np.eye(k)[x] for k, x in zip(game.shape, a, strict=True)]
        assert (game.regret(strategies).max() <= 1e-12) == (a in found)
