"""games/: NormalFormGame construction, checks, payoffs, and the game-or-scenario adapter."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.errors import GameError, InputError, ScenarioError
from cooperation.games import PayoffModel, as_game

PD_A = [[3, 0], [5, 1]]
PD_B = [[3, 5], [0, 1]]


def test_bimatrix_layout_and_labels():
    g = co.NormalFormGame.from_bimatrix(PD_A, PD_B, players=["Up", "Down"],
                                        actions=[["C", "D"], ["C", "D"]])
    assert g.n_players == 2 and g.shape == (2, 2) and g.n_profiles == 4
    assert g.payoff((1, 0)).tolist() == [5.0, 0.0]        # row defects, column cooperates
    assert g.welfare((0, 0)) == 6.0
    assert g.profile_labels((1, 0)) == ("D", "C")
    A, B = g.bimatrix()
    assert A.tolist() == [[3, 0], [5, 1]] and B.tolist() == [[3, 5], [0, 1]]


def test_default_labels():
    g = co.NormalFormGame.from_arrays(np.zeros((3, 2, 2, 3)))
    assert g.players == ("P0", "P1", "P2")
    assert g.actions[2] == ("a0", "a1", "a2")


def test_bad_shapes_name_the_field():
    with pytest.raises(GameError, match="B"):
        co.NormalFormGame.from_bimatrix([[1, 2]], [[1, 2], [3, 4]])
    with pytest.raises(GameError, match="A"):
        co.NormalFormGame.from_bimatrix([1, 2], [1, 2])


def test_mixed_payoffs_and_regret_of_matching_pennies():
    mp = co.NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    half = [np.array([0.5, 0.5])] * 2
    np.testing.assert_allclose(mp.expected_payoffs(half), [0.0, 0.0])
    np.testing.assert_allclose(mp.regret(half), [0.0, 0.0], atol=1e-15)
    pure = [np.array([1.0, 0.0]), np.array([1.0, 0.0])]
    assert mp.regret(pure)[1] == pytest.approx(2.0)       # column gains 2 by switching


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 4), st.integers(2, 3), st.integers(0, 2**31 - 1))
def test_expected_payoffs_of_pure_strategies_equal_the_tensor(n, k, seed):
    rng = np.random.default_rng(seed)
    U = rng.normal(size=(n,) + (k,) * n)
    g = co.NormalFormGame.from_arrays(U)
    prof = tuple(int(x) for x in rng.integers(0, k, n))
    onehot = [np.eye(k)[a] for a in prof]
    np.testing.assert_allclose(g.expected_payoffs(onehot), g.payoff(prof))


def test_from_scenario_equals_scenario_payoffs():
    s = co.load_scenario("data/chishui/scenario.toml")
    g = co.NormalFormGame.from_scenario(s)
    assert np.array_equal(g.payoffs, s.to_game().payoffs)
    grid = np.indices(g.shape).reshape(g.n_players, -1).T
    np.testing.assert_array_equal(g.payoffs.reshape(g.n_players, -1).T, s.payoffs(grid))
    assert g.players == s.players and g.unit == s.unit


def test_from_scenario_refuses_a_huge_tensor_with_the_way_around():
    s = co.load_scenario("data/chishui/scenario.toml")
    with pytest.raises(ScenarioError, match="payoffs\\(profiles\\)"):
        co.NormalFormGame.from_scenario(s, max_profiles=4)


def test_as_game_accepts_game_or_scenario_only():
    g = co.NormalFormGame.from_bimatrix(PD_A, PD_B)
    assert as_game(g) is g
    s = co.load_scenario("data/xinan/scenario.toml")
    assert as_game(s).players == s.players
    with pytest.raises(GameError, match="NormalFormGame or a Scenario"):
        as_game([[1, 2]])


def test_payoff_model_is_lazy_for_large_scenarios():
    s = co.load_scenario("data/chishui/scenario.toml")
    small = PayoffModel(s)
    lazy = PayoffModel(s, tensor_max_profiles=1)
    assert small.small and not lazy.small and lazy.game is None
    a = np.zeros(s.n_players, dtype=np.intp)
    np.testing.assert_allclose(lazy.payoffs(a), small.payoffs(a))
    np.testing.assert_allclose(lazy.deviations(a), small.deviations(a))


def test_payoff_model_checks_profiles_and_vectors():
    s = co.load_scenario("data/xinan/scenario.toml")
    m = PayoffModel(s)
    assert m.check_profile("cooperate", "target").tolist() == [1, 1]
    assert m.check_profile({"Anhui": "self", "Zhejiang": 1}, "target").tolist() == [0, 1]
    with pytest.raises(GameError, match="unknown action"):
        m.check_profile("protect", "target")
    with pytest.raises(InputError, match="every jurisdiction"):
        m.check_vector({"Anhui": 1.0}, "capacity")
    with pytest.raises(InputError, match=">= 0"):
        m.check_vector([1.0, -1.0], "capacity", nonneg=True)
    assert m.check_vector(2.0, "fine").tolist() == [2.0, 2.0]
