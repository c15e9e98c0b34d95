"""Scenario-built games, with and without a strategic higher level."""

import numpy as np
import pytest

import cooperation as co
from cooperation.errors import GameError

HL = {"name": "Central", "welfare_weight": 1.0,
      "actions": {"subsidy": {"cost": 0.1, "subsidy": 1.0},
                  "punish": {"cost": 0.5, "fine": 2.0, "audit": 0.8}}}


@pytest.fixture(scope="module")
def scenario():
    return co.load_scenario("data/xinan/scenario.toml")


def test_without_higher_level_is_the_scenario_game(scenario):
    eg = co.EvolutionaryGame.from_scenario(scenario)
    assert np.array_equal(eg.payoffs, scenario.to_game().payoffs)
    assert eg.players == ("Anhui", "Zhejiang")


def test_higher_level_payoffs(scenario):
    eg = co.EvolutionaryGame.from_scenario(scenario, higher_level=HL)
    assert eg.players == ("Anhui", "Zhejiang", "Central")
    assert eg.actions[2] == ("subsidy", "punish")
    base = scenario.payoffs([[1, 0]])[0]      # Anhui cooperates, Zhejiang does not
    u_sub = eg.game.payoff(("cooperate", "self", "subsidy"))
    u_pun = eg.game.payoff(("cooperate", "self", "punish"))
    assert np.allclose(u_sub[:2], base + [1.0, 0.0])
    assert np.allclose(u_pun[:2], base - [0.0, 1.6])
    assert u_sub[2] == pytest.approx(base.sum() - 0.1 - 1.0)
    assert u_pun[2] == pytest.approx(base.sum() - 0.5 + 1.6)
    st = co.evolutionary_stability(eg)
    assert st.complete is True and len(st.rest_points) >= 8


@pytest.mark.parametrize("spec,match", [
    ({"actions": {"punish": {"fine": -1}}}, "must be >= 0"),
    ({"actions": {"punish": {"audit": 2}}}, r"\[0, 1\]"),
    ({"actions": {"punish": {"bribe": 1}}}, "unknown keys"),
    ({"name": "Anhui", "actions": {"x": {}}}, "must differ"),
    ({"actions": {}}, "must map each action"),
])
def test_bad_higher_level(scenario, spec, match):
    with pytest.raises(GameError, match=match):
        co.EvolutionaryGame.from_scenario(scenario, higher_level=spec)


def test_scenario_is_refused_by_the_plain_constructor(scenario):
    with pytest.raises(GameError, match="from_scenario"):
        co.EvolutionaryGame(scenario)
