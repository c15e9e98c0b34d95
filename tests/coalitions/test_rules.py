"""Responsibility rules and the comparison table."""

import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation.coalitions.rules import programme
from cooperation.errors import InputError, ScenarioError


def upstream(capacity=(3.0, 1.0)):
    """Up pays 1 to cut a spill (p = 0.5, damage 10, all of it borne by Down) by 80%."""
    return co.Scenario(
        jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0},
                                       capacity=capacity[0]),
                       co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.0},
                                       capacity=capacity[1])],
        hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
                           prevention=0.8, spillover={"Down": 1.0})],
        unit="CNY 100M")


def basin():
    """Three jurisdictions, two hazards (an upstream spill and a shared flood)."""
    return co.Scenario(
        jurisdictions=[co.Jurisdiction("A", costs=[0, 1.0], capacity=5.0),
                       co.Jurisdiction("B", costs=[0, 0.6], capacity=3.0),
                       co.Jurisdiction("C", costs=[0, 0.4], capacity=2.0)],
        hazards=[co.Hazard("spill", probability=0.4, damage=8.0, origins=["A"], prevention=0.7,
                           response=0.3, spillover={"A": 0.2, "B": 0.5, "C": 0.3}),
                 co.Hazard("flood", probability=0.2, damage=12.0, origins=["B", "C"],
                           prevention={"B": 0.4, "C": 0.2}, response=0.2,
                           spillover={"B": 0.4, "C": 0.6})],
        unit="CNY 100M")


def test_hand_computed_two_jurisdictions():
    """Status quo: nobody invests (welfare -5); target: Up invests (welfare -2); the bill
    is Up's cost 1. Origin rule (origin_share 0.6): Up pays 0.6, Down 0.4 (its exposure
    is 1): transfers (+0.4, -0.4), payoffs (-0.6, -1.4). The core of the Nash-outsider game
    (v(Up) = 0, v(Down) = -5, v(N) = -2) needs x_Up >= 0: the origin rule is blocked by Up;
    beneficiary-pays (Down pays all: payoffs (0, -2)) is in the core."""
    s = upstream()
    o = co.responsibility_shares(s, "origin")
    np.testing.assert_allclose(o.shares, [0.6, 0.4])
    np.testing.assert_allclose(o.transfers, [0.4, -0.4])
    np.testing.assert_allclose(o.payoffs, [-0.6, -1.4])
    np.testing.assert_allclose(o.gains, [-0.6, 3.6])
    assert o.programme_cost == pytest.approx(1.0)
    assert not o.in_core and o.blocking == ("Up",) and o.max_excess == pytest.approx(0.6)
    b = co.responsibility_shares(s, "beneficiary")
    np.testing.assert_allclose(b.payoffs, [0.0, -2.0])
    assert b.in_core
    a = co.responsibility_shares(s, "ability")
    np.testing.assert_allclose(a.shares, [0.75, 0.25])
    e = co.responsibility_shares(s, "equal")
    np.testing.assert_allclose(e.shares, [0.5, 0.5])
    assert o.status_quo == ("self", "self") and o.target == ("cooperate", "self")
    assert "share" in o.to_frame().columns and "programme cost" in repr(o)


@pytest.mark.parametrize("rule", ["origin", "beneficiary", "ability", "equal"])
def test_budget_balance_and_accounting(rule):
    s = basin()
    r = co.responsibility_shares(s, rule)
    assert r.shares.sum() == pytest.approx(1.0) and (r.shares >= 0).all()
    assert r.transfers.sum() == pytest.approx(0.0, abs=1e-12)
    assert r.payoffs.sum() == pytest.approx(s.to_game().welfare().max())
    np.testing.assert_allclose(r.pays, r.shares * r.programme_cost)
    v = co.characteristic_function(s, "nash")
    assert r.in_core == co.in_core(v, r.payoffs)


def test_origin_rule_weights_hazards_by_expected_damage():
    s = basin()
    r = co.responsibility_shares(s, "origin", origin_share=1.0)
    # hazards weighted by their status-quo expected damage p_h(a0) D_h(a0);
    # origin_share = 1: the spill's part all to A, the flood's to B:C = 0.4:0.2
    p, D = s.hazard_state([programme(s)["status_quo"]])
    w = (p * D)[0] / (p * D)[0].sum()
    np.testing.assert_allclose(r.shares, [w[0], w[1] * 2 / 3, w[1] / 3])
    r0 = co.responsibility_shares(s, "origin", origin_share=0.0)
    np.testing.assert_allclose(r0.shares, w[0] * np.array([0.2, 0.5, 0.3])
                               + w[1] * np.array([0.0, 0.4, 0.6]))


def test_compare_rules_table():
    s = basin()
    table = co.compare_rules(s)
    assert table.index.names == ["rule", "jurisdiction"]
    assert list(table.index.get_level_values(0).unique()) == [
        "origin", "beneficiary", "ability", "equal", "shapley", "nucleolus"]
    v = co.characteristic_function(s, "nash")
    np.testing.assert_allclose(table.loc["shapley", "payoff"], co.shapley(v))
    np.testing.assert_allclose(table.loc["nucleolus", "payoff"], co.nucleolus(v).allocation)
    assert table.loc["nucleolus", "certified"].all()
    for _rule, sub in table.groupby(level=0):
        assert sub["in_core"].nunique() == 1
        assert bool(sub["in_core"].iloc[0]) == co.in_core(v, sub["payoff"].to_numpy())
        np.testing.assert_allclose(sub["gain"], sub["payoff"].to_numpy()
                                   - v.singletons)  # nash: v({i}) = status-quo payoff
    # the nucleolus is in the core whenever the core is non-empty
    if co.least_core(v).core_nonempty:
        assert bool(table.loc["nucleolus", "in_core"].iloc[0])
    assert table.attrs["unit"] == "CNY 100M" and table.attrs["programme_cost"] > 0


def test_missing_capacity():
    s = upstream(capacity=(float("nan"), 1.0))
    with pytest.raises(ScenarioError) as err:
        co.responsibility_shares(s, "ability")
    assert err.value.field == "jurisdictions[Up].capacity"
    table = co.compare_rules(s)
    assert table.loc["ability", "payoff"].isna().all()
    assert "not available" in table.loc["ability", "note"].iloc[0]


def test_bad_arguments():
    with pytest.raises(InputError, match="must be one of"):
        co.responsibility_shares(upstream(), "polluter")
    with pytest.raises(InputError, match="Scenario"):
        co.responsibility_shares(co.NormalFormGame.from_arrays(np.zeros((2, 2, 2))))
    with pytest.raises(InputError, match="origin_share"):
        co.responsibility_shares(upstream(), "origin", origin_share=1.5)


def test_xinan_case_runs():
    s = co.load_scenario("data/xinan/scenario.toml")
    table = co.compare_rules(s)
    assert isinstance(table, pd.DataFrame) and len(table) == 12
