"""design_compensation, design_fund, two_way_agreement: bad input gets a clear error
naming the field, the value and the rule."""

import math

import numpy as np
import pytest

import cooperation as co
from cooperation.errors import CooperationError, GameError, InputError


def _raises(exc_type, func, *fragments):
    with pytest.raises(exc_type) as info:
        func()
    msg = str(info.value)
    for frag in fragments:
        assert frag in msg, (frag, msg)
    assert isinstance(info.value, CooperationError)
    return info.value


def test_unknown_jurisdiction_in_capacity_or_reference(updown):
    _raises(InputError, lambda: co.design_compensation(updown, capacity={"Up": 1, "Nowhere": 2}),
            "capacity", "Nowhere", "unknown jurisdiction")
    _raises(InputError, lambda: co.design_compensation(
        updown, objective="closest", reference={"Up": 1.0, "Mars": 0.0}), "reference", "Mars")
    _raises(InputError, lambda: co.design_compensation(updown, capacity={"Up": 1}),
            "capacity", "missing", "Down")
    _raises(InputError, lambda: co.design_compensation(updown, capacity=[1.0, 2.0, 3.0]),
            "capacity", "one value per jurisdiction")


def test_negative_or_nan_capacity(updown):
    err = _raises(InputError, lambda: co.design_compensation(updown, capacity=[1.0, -0.5]),
                  "capacity[Down]", "-0.5", ">= 0")
    assert err.field == "capacity[Down]" and err.value == -0.5
    _raises(InputError, lambda: co.design_compensation(updown, capacity=[math.nan, 1.0]),
            "capacity[Up]", "finite")
    _raises(InputError, lambda: co.design_compensation(updown, capacity_share=-1),
            "capacity_share")


def test_nan_payoffs():
    U = np.zeros((2, 2, 2))
    U[1, 0, 1] = np.nan
    _raises(GameError, lambda: co.design_compensation(U), "payoffs", "finite")
    _raises(GameError, lambda: co.NormalFormGame.from_arrays(U), "NaN")


def test_nan_outside_option_or_reference(updown):
    _raises(InputError, lambda: co.design_compensation(updown, outside_option=[0.0, math.nan]),
            "outside_option[Down]", "finite")
    _raises(InputError, lambda: co.design_compensation(
        updown, objective="closest", reference=[math.nan, 0.0]), "reference[Up]")
    _raises(InputError, lambda: co.design_compensation(updown, outside_option="pareto"),
            "outside_option", "pareto")


def test_target_out_of_range(updown):
    _raises(GameError, lambda: co.design_compensation(updown, target=(0, 5)),
            "target[1]", "5", "0..1")
    _raises(GameError, lambda: co.design_compensation(updown, target=("cooperate", "swim")),
            "target[1]", "swim")
    _raises(GameError, lambda: co.design_compensation(updown, target=(0, 1, 1)),
            "target", "one action per jurisdiction")
    _raises(GameError, lambda: co.design_compensation(updown, target=(0.5, 1)), "target[0]")
    _raises(InputError, lambda: co.design_compensation(updown, target={"Up": 1, "X": 0}),
            "target", "X")


def test_unknown_objective_or_family(updown):
    err = _raises(InputError, lambda: co.design_compensation(updown, objective="cheapest"),
                  "objective", "cheapest", "min_subsidy", "max_min_gain")
    assert err.value == "cheapest"
    _raises(InputError, lambda: co.design_compensation(updown, constraints=["fairness"]),
            "constraints", "fairness", "participation")
    _raises(InputError, lambda: co.design_compensation(updown, objective="closest"),
            "reference", "needs a reference")
    _raises(InputError, lambda: co.design_compensation(updown, objective="closest",
                                                       reference="kalai"), "kalai")


def test_bad_numbers(updown):
    _raises(InputError, lambda: co.design_compensation(updown, fine=-1), "fine", ">= 0")
    _raises(InputError, lambda: co.design_compensation(updown, fine=math.nan), "fine")
    _raises(InputError, lambda: co.design_compensation(updown, detection=0), "detection",
            "(0, 1]")
    _raises(InputError, lambda: co.design_compensation(updown, max_subsidy=-0.1),
            "max_subsidy")
    _raises(InputError, lambda: co.design_compensation(updown, max_subsidy=math.inf),
            "max_subsidy")
    _raises(InputError, lambda: co.design_compensation(updown, forfeit="half"), "forfeit")
    _raises(InputError, lambda: co.design_compensation(updown, ranges="some"), "ranges")
    _raises(InputError, lambda: co.design_compensation(updown, backend="gurobi"), "backend")
    _raises(InputError, lambda: co.design_compensation("not a game"), "game", "str")


def test_core_needs_coalition_values_when_too_large(build, updown):
    s = build.random_scenario(20, 0)
    _raises(InputError, lambda: co.design_compensation(s, constraints=["core"]),
            "core", "coalition_values")
    res = co.design_compensation(s, ranges=False)       # default families: core left out
    assert "core" not in res.constraints
    assert any("core: left out" in note for note in res.notes)
    _raises(InputError, lambda: co.design_compensation(
        updown, constraints=["core"], coalition_values=[0.0, 1.0, 2.0]),
        "coalition_values", "2**n")
    _raises(InputError, lambda: co.design_compensation(
        updown, constraints=["core"],
        coalition_values=co.TUGame([0, 0, 0, 1], players=["Down", "Up"])),
        "coalition_values.players")


def test_fund_bad_input(updown):
    s = co.load_scenario("data/chishui/scenario.toml")
    _raises(InputError, lambda: co.design_fund(s, confidence=1.0), "confidence", "(0, 1)")
    _raises(InputError, lambda: co.design_fund(s, years=0), "years")
    _raises(InputError, lambda: co.design_fund(s, seed=-3), "seed")
    _raises(InputError, lambda: co.design_fund(s, key="wealth"), "key", "wealth")
    _raises(InputError, lambda: co.design_fund(s, key={"Yunnan": 1, "Tibet": 2}), "key",
            "Tibet")
    _raises(InputError, lambda: co.design_fund(s, key=[1, -1, 1]), "key[Guizhou]", ">= 0")
    _raises(InputError, lambda: co.design_fund(s, key=[0, 0, 0], years=10), "key",
            "all be zero")
    _raises(InputError, lambda: co.design_fund(s, cofunding=-1), "cofunding")
    _raises(InputError, lambda: co.design_fund(s, coverage=0.8, max_coverage=0.5), "coverage")
    _raises(InputError, lambda: co.design_fund(updown, key="ability", years=10),
            "capacity", "ability")
    _raises(InputError, lambda: co.design_fund(updown.to_game()), "Scenario")


def test_agreement_bad_input(updown):
    s3 = co.load_scenario("data/chishui/scenario.toml")
    _raises(InputError, lambda: co.two_way_agreement(s3), "two jurisdictions")
    _raises(InputError, lambda: co.two_way_agreement(updown.to_game()), "compliance")
    _raises(InputError, lambda: co.two_way_agreement(updown, hazard="flood"), "hazard",
            "flood")
    _raises(InputError, lambda: co.two_way_agreement(updown, upstream="Mars"), "upstream")
    _raises(InputError, lambda: co.two_way_agreement(updown, stakes=[1.0, -2.0]), "stakes")
    _raises(InputError, lambda: co.two_way_agreement(
        updown.to_game(), compliance=[[0.5, 1.2], [0.1, 0.2]]), "compliance", "[0, 1]")
