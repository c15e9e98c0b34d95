"""Weighted voting games: the DP against the full table, large games, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.errors import InputError


def test_electoral_college_style_game_sums_to_one():
    """Hundreds of players stay exact: shares sum to 1 and equal weights get equal power."""
    rng = np.random.default_rng(11)
    w = rng.integers(1, 12, 250)
    game = co.WeightedVotingGame(w, quota=w.sum() // 2 + 1)
    ss = co.shapley(game)
    assert ss.sum() == pytest.approx(1.0, abs=1e-12)
    for wk in np.unique(w):
        vals = ss.to_numpy()[w == wk]
        assert np.ptp(vals) <= 1e-15
    # monotone in weight (Shapley-Shubik is weakly increasing in the weight)
    order = np.argsort(w)
    assert np.all(np.diff(ss.to_numpy()[order]) >= -1e-15)
    assert co.banzhaf(game).sum() == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=9), st.floats(0.05, 1.0))
def test_dp_matches_full_table(weights, frac):
    w = np.array(weights)
    q = max(frac * w.sum(), 0.5)
    game = co.WeightedVotingGame(w, q)
    table = game.to_tugame()
    np.testing.assert_allclose(game.shapley().to_numpy(), co.shapley(table).to_numpy(),
                               atol=1e-12)
    np.testing.assert_allclose(game.banzhaf(normalized=False).to_numpy(),
                               co.banzhaf(table, normalized=False).to_numpy(), atol=1e-12)


def test_is_winning_and_frame():
    g = co.WeightedVotingGame([3, 2, 2], 4, players=["A", "B", "C"])
    assert g.is_winning(["A", "B"]) and not g.is_winning("A") and g.is_winning(["B", "C"])
    assert list(g.to_frame().columns) == ["weight", "shapley_shubik", "banzhaf"]
    # [4; 3, 2, 2] is the 3-player majority game
    np.testing.assert_allclose(g.shapley().to_numpy(), [1 / 3] * 3)
    with pytest.raises(InputError, match="unknown player"):
        g.is_winning(["Z"])


@pytest.mark.parametrize("weights, quota, field", [
    ([1.5, 2], 2, "weights"), ([-1, 2], 2, "weights"), ([], 1, "weights"),
    ([1, 2], 0, "quota"), ([1, 2], float("nan"), "quota"),
])
def test_bad_input(weights, quota, field):
    with pytest.raises(InputError) as err:
        co.WeightedVotingGame(weights, quota)
    assert err.value.field == field


def test_unreachable_quota():
    g = co.WeightedVotingGame([1, 1], 5)
    assert g.shapley().tolist() == [0.0, 0.0]
    with pytest.raises(InputError, match="is ever pivotal"):
        g.banzhaf()
