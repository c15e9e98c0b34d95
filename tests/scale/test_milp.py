"""Exact optima and extreme equilibria by MILP against brute force over every profile."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.equilibria import hazard_table, milp


def _scaled(s, a):
    """The same scenario with every amount of money times ``a``."""
    jur = [
        co.Jurisdiction(j.name, {k: a * v for k, v in j.costs.items()}, j.capacity, j.population)
        for j in s.jurisdictions
    ]
    hz = [
        co.Hazard(
            h.name, h.probability, a * h.damage, h.spillover, h.origins, h.prevention, h.response
        )
        for h in s.hazards
    ]
    return co.Scenario(jur, hz, s.actions, unit=s.unit)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(n=st.integers(3, 10), seed=st.integers(0, 10_000), levels=st.sampled_from([2, 3]))
@example(n=9, seed=775, levels=2)  # HiGHS's MIP presolve at mip_feasibility_tolerance 1e-10
def test_optimum_and_extreme_equilibria_equal_brute_force(gen, n, seed, levels):
    """On every generated network small enough for a tensor: the MILP optimum's welfare is
    the largest over all K**n profiles, and the worst and best Nash MILPs give the
    lowest and highest welfare over all pure equilibria (or prove there is none)."""
    if levels == 3:
        n = min(n, 7)
    s = gen.generate(n, seed, levels)
    g = s.to_game()
    W = g.payoffs.sum(axis=0)
    opt = milp.optimum_milp(s)
    assert opt.kind == "exact"
    assert opt.value == pytest.approx(W.max(), rel=1e-9, abs=1e-12)
    eq = co.pure_equilibria(g)
    worst = milp.equilibrium_milp(s, worst=True)
    best = milp.equilibrium_milp(s, worst=False)
    if not len(eq):
        assert worst.kind == best.kind == "none"
        return
    w_eq = eq.payoffs.sum(axis=1)
    assert worst.kind == best.kind == "exact"
    assert worst.value == pytest.approx(w_eq.min(), rel=1e-9, abs=1e-12)
    assert best.value == pytest.approx(w_eq.max(), rel=1e-9, abs=1e-12)
    assert tuple(worst.profile) in eq.profiles and tuple(best.profile) in eq.profiles


def test_scipy_milp_agrees_on_forty_counties(county40):
    """The same MILPs through scipy.optimize.milp (an independent interface to HiGHS)."""
    for fn, kw in ((milp.optimum_milp, {}), (milp.equilibrium_milp, {"worst": True})):
        a = fn(county40, **kw)
        b = fn(county40, backend="scipy", **kw)
        assert a.kind == b.kind == "exact"
        assert a.value == pytest.approx(b.value, rel=1e-9)


def test_worst_equilibrium_is_an_equilibrium_with_no_better_unilateral_move(county40):
    """At 40 counties (no tensor): the Nash MILP's profile has no profitable deviation
    (the scenario's own sparse check), and no single county can raise welfare at the
    MILP optimum."""
    worst = milp.equilibrium_milp(county40)
    assert county40.is_equilibrium(worst.profile)
    opt = milp.optimum_milp(county40)
    gains = county40.welfare_deviations(opt.profile)
    assert gains.max() <= 1e-9 * np.abs(opt.value)


@pytest.mark.parametrize("a", [1e-6, 1e4])
def test_answers_do_not_depend_on_the_money_unit(county40, a):
    """Every amount times 1e-6 or 1e4: the same optimum and worst equilibrium profiles,
    welfare scaled by the same factor."""
    s2 = _scaled(county40, a)
    for fn in (milp.optimum_milp, milp.equilibrium_milp):
        x, y = fn(county40), fn(s2)
        assert y.kind == "exact"
        np.testing.assert_array_equal(x.profile, y.profile)
        assert y.value == pytest.approx(a * x.value, rel=1e-9)


def test_hazards_too_large_to_tabulate_give_a_bounded_answer(gen, monkeypatch):
    """With MAX_HAZARD_CONFIGS below the hazards' 2**3 configurations, no hazard is
    linearised: the answer is 'bounded', its bound is at least the true optimum and its
    profile's welfare at most that optimum, and the gap is bound - value."""
    s = gen.generate(9, 3)
    best = s.to_game().payoffs.sum(axis=0).max()
    monkeypatch.setattr(hazard_table, "MAX_HAZARD_CONFIGS", 4)
    sol = milp.optimum_milp(s)
    assert sol.kind == "bounded"
    assert sol.value <= best + 1e-9 <= sol.bound + 2e-9
    assert sol.gap == pytest.approx(sol.bound - sol.value)
    with pytest.raises(co.errors.InputError, match="MAX_HAZARD_CONFIGS"):
        milp.equilibrium_milp(s)


def test_no_pure_equilibrium_is_proved():
    """Matching pennies in the scenario model: A gains from cooperating only when B does
    (a weakest-link response to A's hazard), B only when A does not (best shot on B's).
    The Nash MILP is infeasible ('none'), as the tensor says."""
    jur = [
        co.Jurisdiction("A", {"self": 0, "cooperate": 3}),
        co.Jurisdiction("B", {"self": 0, "cooperate": 3}),
    ]
    hz = [
        co.Hazard("a", 1.0, 10.0, {"A": 1.0}, ("A", "B"), 0.0, 0.8, "weakest_link"),
        co.Hazard("b", 1.0, 10.0, {"B": 1.0}, ("A", "B"), 0.0, 0.8, "best_shot"),
    ]
    s = co.Scenario(jur, hz, unit="CNY 1M")
    assert len(co.pure_equilibria(s.to_game())) == 0
    sol = milp.equilibrium_milp(s)
    assert sol.kind == "none" and sol.profile is None
