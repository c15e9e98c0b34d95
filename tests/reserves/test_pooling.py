"""The pooling game, Owen's dual allocation and the core check: hand-solved games,
random linear-production instances against the enumerated core, subadditivity, a
higher-level depot that breaks Owen's conditions, MILP separation vs enumeration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation.coalitions._bits import subset_sums
from cooperation.errors import InputError
from cooperation.lp import Objective, solve_lp
from cooperation.reserves.pooling import coalition_cost

from .conftest import random_instance


def test_two_county_game_by_hand(two):
    plan = co.design_reserves(*two)
    g = plan.pooling_game()
    assert isinstance(g, co.TUGame) and g.metadata["kind"] == "cost"
    np.testing.assert_allclose(g.values, [0.0, 10.0, 20.0, 12.0], rtol=1e-9)
    # Shapley = nucleolus for two players: split the saving 18 equally
    np.testing.assert_allclose(plan.allocation("shapley"), [1.0, 11.0], rtol=1e-9)
    np.testing.assert_allclose(plan.allocation("nucleolus"), [1.0, 11.0], rtol=1e-7)
    owen = plan.allocation("owen")
    assert owen.sum() == pytest.approx(12.0, rel=1e-9)
    assert owen["A"] <= 10.0 + 1e-9 and owen["B"] <= 20.0 + 1e-9


def test_three_county_game_by_hand(three):
    plan = co.design_reserves(*three)
    g = plan.pooling_game()
    # c(S) = 10 min_{i in S} h_i with h = 1, 2, 3
    want = [0, 10, 20, 10, 30, 10, 20, 10]
    np.testing.assert_allclose(g.values, want, rtol=1e-9, atol=1e-9)
    # Shapley by hand (six orders): A -5, B 5, C 10
    np.testing.assert_allclose(plan.allocation("shapley"), [-5.0, 5.0, 10.0], atol=1e-8)
    # nucleolus by hand: -x_B = -x_C = x_B + x_C - 20 at level -20/3
    np.testing.assert_allclose(plan.allocation("nucleolus"), [-10 / 3, 20 / 3, 20 / 3],
                               atol=1e-7)
    chk = plan.core_check("owen")
    assert chk.linear_production and chk.in_core is True and chk.method == "enumeration"
    assert plan.core_check("shapley").in_core is True


def test_game_values_match_fresh_lp_solves():
    plan = co.design_reserves(*random_instance(11, n=4, n_scen=3))
    g = plan.pooling_game()
    m = plan._model
    for mask in range(1, 16):
        lp = m.lp
        lo, hi = m.coalition_bounds(mask)
        # rebuild the rows with the coalition's bounds through the compensation LP layer
        from cooperation.lp import LinearProgram

        fresh = LinearProgram()
        fresh.add_vars(lp.col_names, lb=lp.lb, ub=lp.ub)
        A = lp.A.tocoo()
        fresh.add_rows(A.row, A.col, A.data, lo, hi, lp.row_names, "all")
        sol = solve_lp(fresh, [Objective(m.c)], backend="scipy")
        assert sol.status == 0
        assert g.values[mask] == pytest.approx(sol.values[0] * m.money, rel=1e-7, abs=1e-9)
    members = [g.players[0], g.players[2]]
    assert coalition_cost(m, members) == pytest.approx(g.values[0b101], rel=1e-8)


@pytest.mark.parametrize("seed", range(6))
def test_random_linear_production_owen_in_enumerated_core(seed):
    n = 3 + seed % 3
    plan = co.design_reserves(*random_instance(100 + seed, n=n, n_items=2, n_scen=3))
    g = plan.pooling_game()
    x = plan.allocation("owen").to_numpy()
    scale = np.abs(g.values).max()
    assert x.sum() == pytest.approx(g.grand_value, rel=1e-8)
    assert g.grand_value == pytest.approx(plan.cost, rel=1e-8)
    # in the core of the cost game: x(S) <= c(S), checked on every coalition
    assert np.all(subset_sums(x) <= g.values + 1e-7 * scale)
    assert co.in_core(co.TUGame(-g.values, g.players), -x, tol=1e-7 * scale)
    chk = plan.core_check()
    assert chk.linear_production and chk.in_core is True
    # MILP separation finds the same largest excess as enumeration
    milp = plan.core_check(method="milp")
    assert milp.in_core is True and milp.method == "MILP separation"
    assert milp.max_excess == pytest.approx(chk.max_excess, rel=1e-6, abs=1e-7 * scale)


@pytest.mark.parametrize("seed", range(5))
def test_pooling_never_costs_more_than_standing_apart(seed):
    n = 4
    g = co.design_reserves(*random_instance(200 + seed, n=n, n_scen=3)).pooling_game()
    v = g.values
    tol = 1e-7 * np.abs(v).max()
    for S in range(1, 1 << n):
        rest = ((1 << n) - 1) & ~S
        T = rest
        while T:
            assert v[S | T] <= v[S] + v[T] + tol
            T = (T - 1) & rest
    assert g.grand_value <= g.singletons.sum() + tol


def test_higher_level_depot_breaks_owens_conditions():
    # A and B both need 10 in the one scenario; the higher level's depot (cost 1, holds
    # 10) is open to every coalition; local depots cost 5. Alone each uses it (10 each);
    # together only 10 fit there: 10 + 5 * 10 = 60 > 20. The core is empty.
    demand = pd.DataFrame({"scenario": ["s", "s"], "jurisdiction": ["A", "B"],
                           "item": ["kit"] * 2, "quantity": [10.0, 10.0],
                           "probability": [1.0, 1.0]})
    depots = pd.DataFrame({"depot": ["Prov", "dA", "dB"], "jurisdiction": ["", "A", "B"],
                           "item": ["kit"] * 3, "capacity": [10.0, 50.0, 50.0],
                           "holding_cost": [1.0, 5.0, 5.0]})
    links = pd.DataFrame({"from": ["Prov", "Prov"], "to": ["A", "B"], "hours": [6.0, 6.0],
                          "cost": [0.0, 0.0]})
    plan = co.design_reserves(demand, depots, links)
    g = plan.pooling_game()
    np.testing.assert_allclose(g.values, [0, 10, 10, 60], rtol=1e-9)
    chk = plan.core_check()
    assert not chk.linear_production
    met = chk.conditions.set_index("condition")["met"]
    assert not met["right-hand sides are sums of members' resources"]
    assert chk.in_core is False and chk.max_excess == pytest.approx(20.0, rel=1e-7)
    # still efficient: the higher level's term is shared out
    assert plan.allocation("owen").sum() == pytest.approx(60.0)
    assert plan.core_check(method="milp").in_core is False


def test_random_instances_with_a_higher_level_depot_are_checked_consistently():
    for seed in range(3):
        plan = co.design_reserves(*random_instance(300 + seed, n=4, central=True))
        g = plan.pooling_game()
        x = plan.allocation("owen").to_numpy()
        chk = plan.core_check()
        assert not chk.linear_production
        scale = np.abs(g.values).max()
        truth = bool(np.all(subset_sums(x)[1:-1] <= g.values[1:-1] + 1e-7 * scale))
        assert chk.in_core is truth


def test_hard_demand_game_needs_finite_standalone_costs(two):
    demand, depots, links = two
    plan = co.design_reserves(demand, depots[depots.depot == "dA"], links)
    assert plan.success
    with pytest.raises(InputError, match="penalty"):
        plan.pooling_game()


def test_rules_and_limits(two):
    plan = co.design_reserves(*two)
    with pytest.raises(InputError, match="rule"):
        plan.allocation("equal")
    with pytest.raises(InputError, match="max_players"):
        plan.pooling_game(max_players=1)
    with pytest.raises(InputError, match="method"):
        plan.core_check(method="guess")


@pytest.mark.parametrize("seed", range(4))
def test_dual_certificate_agrees_with_enumeration(seed):
    plan = co.design_reserves(*random_instance(400 + seed, n=5, n_scen=3))
    dual = plan.core_check(method="dual")
    assert dual.method == "dual certificate" and dual.in_core is True
    assert plan.core_check().in_core is True
    # auto picks the certificate beyond max_enumerate
    assert plan.core_check(max_enumerate=2).method == "dual certificate"


def test_dual_certificate_refused_without_owens_conditions():
    plan = co.design_reserves(*random_instance(500, n=4, central=True))
    with pytest.raises(InputError, match="dual certificate"):
        plan.core_check(method="dual")
    assert plan.core_check(max_enumerate=2).method == "MILP separation"


def test_dual_certificate_detects_non_dual_prices(two):
    # corrupt the prices: the certificate must fail (None), never report a guess
    plan = co.design_reserves(*two)
    bad = plan._row_dual.copy()
    bad[plan._model.rows["demand"][1]] += 5.0
    object.__setattr__(plan, "_row_dual", bad)
    from cooperation.reserves.core import _dual_certificate

    ok, detail = _dual_certificate(plan)
    assert not ok and "reduced-cost" in detail
