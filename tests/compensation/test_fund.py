"""design_fund: CVaR algebra, a hand-solved fund, the in-sample constraint, out-of-sample
adequacy, reproducibility, properties and the scipy cross-check."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.compensation.fund import empirical_cvar, simulate_losses


def one_member(p: float) -> co.Scenario:
    return co.Scenario([co.Jurisdiction("A", capacity=1000.0)],
                       [co.Hazard("flood", p, 10.0, {"A": 1.0})], unit="CNY 100M")


# ----------------------------------------------------------------------------- CVaR
def test_empirical_cvar_known_values():
    """CVaR_beta is the mean of the worst 1 - beta of the probability mass (Rockafellar and
    Uryasev 2002, Prop. 8 for discrete distributions): of 1..100 at 0.9 the mean of 91..100
    is 95.5; of (0, 0, 0, 10) at 0.5 the worst half is {0, 10}: 5; at 0.8 the worst 0.2 of
    mass lies inside the atom 10: 10."""
    assert empirical_cvar(np.arange(1, 101), 0.9) == pytest.approx(95.5)
    assert empirical_cvar([0, 0, 0, 10], 0.5) == pytest.approx(5.0)
    assert empirical_cvar([0, 0, 0, 10], 0.8) == pytest.approx(10.0)
    assert empirical_cvar([3, 1], 0.0) == pytest.approx(2.0)     # beta = 0: the mean


@settings(max_examples=40, deadline=None)
@given(x=st.lists(st.floats(-50, 50), min_size=1, max_size=40),
       beta=st.floats(0.0, 0.99))
def test_cvar_equals_the_rockafellar_uryasev_minimum(x, beta):
    """CVaR_beta(X) = min_eta eta + E[(X - eta)+] / (1 - beta); the minimum of this convex
    piecewise-linear function is reached at a sample point, so checking every sample point
    is an exact, independent computation."""
    x = np.array(x)
    ru = min(eta + np.maximum(x - eta, 0).mean() / (1 - beta) for eta in x)
    assert empirical_cvar(x, beta) == pytest.approx(ru, abs=1e-9 * (1 + np.abs(x).max()))


# ----------------------------------------------------------------------------- hand-solved fund
@pytest.mark.parametrize("p", [0.1, 0.02])
def test_one_member_fund_by_hand(p):
    """One member, one hazard (damage 10), payout share fixed at 1/2, so each strike year
    pays 5. With in-sample strike frequency q, CVaR_0.95 of the payouts is 5 when
    q >= 0.05 (the worst 5% of years are all strike years) and 5 q / 0.05 otherwise.
    Net benefit caps the contribution at the expected payout 5 q; the least co-funding
    then fills the rest: c = CVaR - 5 q, and sustainability (inflow >= mean payout)
    holds. So f = 5 q and c = CVaR - 5 q, with q read off the reported expected damage
    (10 q), itself within 5 sigma of p."""
    s = one_member(p)
    years = 4000
    f = co.design_fund(s, confidence=0.95, years=years, seed=0, coverage=0.5,
                       max_coverage=0.5)
    assert f.success
    q = f.expected_damage["A"] / 10.0
    assert abs(q - p) < 5 * math.sqrt(p * (1 - p) / years)
    cvar = 5.0 if q >= 0.05 else 5.0 * q / 0.05
    assert f.cvar == pytest.approx(cvar, rel=1e-9)
    assert f.contributions["A"] == pytest.approx(5.0 * q, rel=1e-9)
    assert f.cofunding == pytest.approx(cvar - 5.0 * q, rel=1e-9)
    assert f.resources == pytest.approx(cvar, rel=1e-9)
    assert f.net_benefit["A"] == pytest.approx(0.0, abs=1e-9)
    assert {"solvency", "net_benefit[A]"} <= set(f.binding)


def test_in_sample_cvar_constraint_holds_and_out_of_sample_is_reported():
    """The in-sample years, rebuilt from the documented seed stream, satisfy
    CVaR_beta(payouts) <= resources; hence the in-sample shortfall probability is at most
    1 - beta. The out-of-sample check uses other years and reports its shortfall
    probability, expected shortfall and CVaR of the shortfall."""
    s = co.load_scenario("data/chishui/scenario.toml")
    beta = 0.95
    f = co.design_fund(s, confidence=beta, years=3000, seed=7)
    assert f.success
    L = simulate_losses(s, [1, 1, 1], 3000, np.random.SeedSequence(7).spawn(2)[0])
    payouts = L @ f.payout_shares.to_numpy()
    assert empirical_cvar(payouts, beta) <= f.resources + 1e-7
    assert f.cvar == pytest.approx(empirical_cvar(payouts, beta), abs=1e-9)
    assert f.in_sample["shortfall_probability"] <= 1 - beta + 1e-12
    oos = f.out_of_sample
    assert set(oos) >= {"shortfall_probability", "expected_shortfall", "cvar_shortfall",
                        "years", "seed"}
    assert 0.0 <= oos["shortfall_probability"] <= 1.0 and oos["years"] == 3000
    Lo = simulate_losses(s, [1, 1, 1], 3000, np.random.SeedSequence(7).spawn(2)[1])
    po = Lo @ f.payout_shares.to_numpy()
    assert oos["shortfall_probability"] == pytest.approx(np.mean(po > f.resources + 1e-9))
    assert oos["expected_shortfall"] == pytest.approx(np.maximum(po - f.resources, 0).mean())
    assert "out-of-sample shortfall probability" in f.message
    g = co.design_fund(s, confidence=beta, years=3000, seed=7, validation_seed=99,
                       validation_years=500)
    assert g.out_of_sample["years"] == 500
    np.testing.assert_allclose(g.contributions, f.contributions)      # same LP


def test_reproducible_by_seed():
    s = co.load_scenario("data/chishui/scenario.toml")
    a = co.design_fund(s, years=1000, seed=0)
    b = co.design_fund(s, years=1000, seed=0)
    c = co.design_fund(s, years=1000, seed=1)
    d = co.design_fund(s, years=1000, seed=np.random.default_rng(0))
    pd_equal = a.contributions.equals(b.contributions) and a.cofunding == b.cofunding
    assert pd_equal and a.out_of_sample == b.out_of_sample
    assert not np.allclose(a.expected_damage, c.expected_damage)
    assert d.success


def test_fixed_cofunding_infeasible_gives_the_least_cofunding():
    """A fixed co-funding below the least that works is infeasible; the diagnosis gives
    that least amount (the first stage of the free run), and re-solving with it works."""
    s = co.load_scenario("data/chishui/scenario.toml")
    free = co.design_fund(s, years=2000, seed=3)
    low = co.design_fund(s, years=2000, seed=3, cofunding=free.cofunding / 2)
    assert not low.success and low.status == 2
    assert low.min_cofunding == pytest.approx(free.cofunding, rel=1e-7)
    assert f"{free.cofunding:.6g}" in low.message
    ok = co.design_fund(s, years=2000, seed=3, cofunding=low.min_cofunding * (1 + 1e-9))
    assert ok.success


def test_generous_cofunding_lets_contributions_follow_the_key():
    """When the higher level pays more than the least co-funding, the members' part has
    room below their expected payouts, and the contributions follow the chosen key
    exactly (key deviation 0): equal shares for key='equal', 1:5:4 for the real key."""
    s = co.load_scenario("data/chishui/scenario.toml")
    free = co.design_fund(s, years=2000, seed=3)
    need = free.resources - 0.1 * free.total_contributions   # members owe a tenth
    for key, shares in (("equal", [1 / 3] * 3), ({"Yunnan": 1, "Guizhou": 5, "Sichuan": 4},
                                                 [0.1, 0.5, 0.4])):
        f = co.design_fund(s, years=2000, seed=3, key=key, cofunding=need)
        assert f.success and f.key_deviation == pytest.approx(0.0, abs=1e-9)
        assert f.total_contributions == pytest.approx(0.1 * free.total_contributions)
        np.testing.assert_allclose(f.to_frame()["contribution_share"], shares, atol=1e-9)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 1000), n=st.integers(2, 6), beta=st.sampled_from([0.8, 0.95]),
       key=st.sampled_from(["benefit", "ability", "equal"]), reserve=st.sampled_from([0.0, 5.0]))
def test_fund_properties_and_scipy_crosscheck(build, seed, n, beta, key, reserve):
    """Random scenarios: contributions >= 0 and within capacity, every member's expected net
    benefit >= 0, inflow >= mean payout, the in-sample CVaR within the resources; the same
    LP through scipy's linprog reaches the same optimum at every stage."""
    s = build.random_scenario(n, seed, neighbours=3)
    kw = dict(confidence=beta, years=800, seed=seed, key=key, reserve=reserve,
              capacity_share=0.05)
    f = co.design_fund(s, **kw)
    g = co.design_fund(s, backend="scipy", **kw)
    assert f.success and g.success
    c = f.contributions.to_numpy()
    assert (c >= 0).all() and (c <= 0.05 * s.capacity + 1e-9).all()
    assert (f.net_benefit >= -1e-9).all()
    assert f.total_contributions + f.cofunding >= f.expected_payout.sum() - 1e-9
    assert f.cvar <= f.resources + 1e-7
    np.testing.assert_allclose(f.objective_values, g.objective_values, rtol=1e-6, atol=1e-7)
    frame = f.to_frame()
    assert list(frame.index) == list(s.players) and frame.index.name == "member"
    assert "<table" in f._repr_html_()
