"""co.sensitivity: each row is the library's answer on the changed scenario; bounds clip;
the table scales with the money unit; bad input names the field."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import cooperation as co
from cooperation.analysis import OUTCOMES, parameters
from cooperation.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
XINAN = ROOT / "data" / "xinan" / "scenario.toml"
FAST = {"runs": 20, "rounds": 8}


@pytest.fixture(scope="module")
def xinan():
    return co.load_scenario(XINAN)


@pytest.fixture(scope="module")
def table(xinan):
    return co.sensitivity(xinan, **FAST)


def test_every_parameter_and_outcome_once(xinan, table):
    params = parameters(xinan)
    assert len(table) == len(params) * len(OUTCOMES)
    assert set(table["parameter"]) == set(params["parameter"])
    assert table.groupby("outcome").size().to_dict() == {o: len(params) for o in OUTCOMES}
    for o in OUTCOMES:                               # sorted: the largest swing first
        sw = table[table["outcome"] == o]["swing"].to_numpy()
        assert np.all(np.diff(sw) <= 0)


def test_rows_are_direct_library_calls(xinan, table):
    """Anhui's cost of cooperating +20%: the least subsidy and the cost of going alone
    recomputed by hand on the changed scenario."""
    row = table[(table["parameter"] == "Anhui: cost[cooperate]")].set_index("outcome")
    i = xinan.index_of("Anhui")
    j = xinan.jurisdictions[i]
    costs = dict(zip(xinan.action_names, xinan.costs[i], strict=True))
    costs["cooperate"] *= 1.2
    juris = list(xinan.jurisdictions)
    juris[i] = dataclasses.replace(j, costs=costs)
    s = co.Scenario(juris, xinan.hazards, xinan.actions, unit=xinan.unit)
    assert row.loc["least_subsidy", "high"] == pytest.approx(co.design_compensation(s).subsidy)
    assert row.loc["cost_alone", "high"] == pytest.approx(
        co.analyze(s.to_game()).cooperation_surplus)
    assert row.loc["least_subsidy", "base"] == pytest.approx(
        co.design_compensation(xinan).subsidy)
    assert row.loc["least_subsidy", "high_value"] == pytest.approx(2.4)


def test_shares_and_probabilities_are_clipped():
    s = co.Scenario([co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0}),
                     co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.1})],
                    [co.Hazard("spill", 0.9, 10.0, {"Up": 0.2, "Down": 0.8}, origins=["Up"],
                               prevention=0.95, response=0.3)], unit="CNY 100M")
    t = co.sensitivity(s, spread=0.2, **FAST)
    t = t[t["outcome"] == "cost_alone"].set_index("parameter")
    assert t.loc["spill: probability", "high_value"] == 1.0
    assert t.loc["spill: prevention", "high_value"] == 1.0
    assert t.loc["spill: damage", "high_value"] == pytest.approx(12.0)


def test_table_scales_with_the_money_unit(xinan, table):
    k = 1e3
    juris = [dataclasses.replace(j, costs={a: float(c) * k for a, c in
                                            zip(xinan.action_names, xinan.costs[i],
                                                strict=True)})
             for i, j in enumerate(xinan.jurisdictions)]
    hz = [dataclasses.replace(h, damage=h.damage * k) for h in xinan.hazards]
    big = co.sensitivity(co.Scenario(juris, hz, xinan.actions, unit=xinan.unit), **FAST)
    key = ["parameter", "outcome"]
    a, b = table.set_index(key), big.set_index(key).loc[table.set_index(key).index]
    money = a.index.get_level_values("outcome") != "cooperation_rate"
    for col in ("base", "low", "high", "swing"):
        assert np.allclose(b[col][money], k * a[col][money], rtol=1e-9, equal_nan=True), col
        assert np.allclose(b[col][~money], a[col][~money], equal_nan=True), col


def test_only_and_bad_input(xinan):
    t = co.sensitivity(xinan, only=["Anhui: cost[cooperate]"], **FAST)
    assert set(t["parameter"]) == {"Anhui: cost[cooperate]"}
    with pytest.raises(InputError, match="only"):
        co.sensitivity(xinan, only=["Atlantis: damage"], **FAST)
    with pytest.raises(InputError, match="spread"):
        co.sensitivity(xinan, spread=1.5)
    with pytest.raises(InputError, match="spread"):
        co.sensitivity(xinan, spread=0.0)
    with pytest.raises(InputError, match="scenario"):
        co.sensitivity("data/xinan/scenario.toml")
    with pytest.raises(InputError, match="outcome"):
        co.report.plot_tornado(co.sensitivity(xinan, only=["Anhui: cost[cooperate]"], **FAST),
                               "welfare")
