"""What the fund covers, what decides the contributions, and the reserve mode (issue 14.6).

* the result says whether the money is one year's standby money or a reserve
  carried over, in the repr, in ``to_frame().attrs`` and on the command line;
* the key changes the contributions when it can; when it cannot, the result
  names what decides them, and the named constraint really decides (relaxing it
  moves the contributions towards the key);
* members paying nothing comes with the reason on the same screen;
* reserve mode: contributions every year, payouts from the balance, the balance
  carried; checked against a plain year-by-year balance and an independent
  bisection on the co-funding, and against the extensive LP through scipy.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.compensation.fund import empirical_cvar, simulate_losses
from cooperation.compensation.fund.losses import path_need
from cooperation.errors import InputError

CHISHUI = "data/chishui/scenario.toml"
RISKPOOL = "data/riskpool/scenario.toml"


@pytest.fixture(scope="module")
def chishui():
    return co.load_scenario(CHISHUI)


@pytest.fixture(scope="module")
def pool():
    return co.load_scenario(RISKPOOL)


# ----------------------------------------------------------------------------- covers
def test_the_result_says_what_the_money_covers(chishui):
    f = co.design_fund(chishui, years=1000, seed=1)
    r = co.design_fund(chishui, years=1000, seed=1, horizon=5, reserve=10.0)
    assert f.mode == "standby" and f.horizon == 1 and "one year's standby money" in f.covers
    assert r.mode == "reserve" and r.horizon == 5 and "carried over 5 years" in r.covers
    for res in (f, r):
        assert res.covers in repr(res)
        attrs = res.to_frame().attrs
        assert attrs["covers"] == res.covers and attrs["mode"] == res.mode
        assert res.to_dict()["covers"] == res.covers
    assert "ruin probability over 5 years" in repr(r)
    assert "resources for one year" in repr(f)


# ----------------------------------------------------------------------------- key
def test_the_key_changes_contributions_when_the_cofunding_leaves_room(chishui):
    """With a co-funding above the least, each key gives its own contributions, in
    the key's proportions, and says it is followed."""
    free = co.design_fund(chishui, years=2000, seed=3)
    need = free.resources - 0.05 * free.total_contributions
    shares = {}
    for key in ("benefit", "equal", "ability", {"Yunnan": 1, "Guizhou": 5, "Sichuan": 4}):
        f = co.design_fund(chishui, years=2000, seed=3, key=key, cofunding=need)
        assert f.success and f.key_followed is True and f.key_decided_by == ()
        np.testing.assert_allclose(f.to_frame()["contribution_share"], f.key, atol=1e-9)
        shares[f.key_name if isinstance(key, str) else "1:5:4"] = f.contributions.to_numpy()
    for a, b in (("equal", "ability"), ("benefit", "equal"), ("ability", "1:5:4")):
        assert not np.allclose(shares[a], shares[b])


def test_a_member_that_would_lose_under_the_key_is_named(chishui):
    """Members owing a fifth of their expected payouts, in equal shares: Yunnan's expected
    payout is smaller than a third of that, so its net benefit decides, and it pays
    exactly its expected payout (the named row binds)."""
    free = co.design_fund(chishui, years=2000, seed=3)
    f = co.design_fund(
        chishui,
        years=2000,
        seed=3,
        key="equal",
        cofunding=free.resources - 0.2 * free.total_contributions,
    )
    assert f.key_followed is False and "net_benefit[Yunnan]" in f.key_decided_by
    assert f.net_benefit["Yunnan"] == pytest.approx(0.0, abs=1e-9)
    assert "net_benefit[Yunnan]" in f.binding


def test_what_decides_instead_of_the_key_is_named_and_true(pool):
    """With the least co-funding the ability key cannot be followed: the result names the
    least co-funding and the members' net benefit (the key stage's shadow prices), the
    notes say so on the screen, and the claim holds: a co-funding a little above the
    least brings the contributions closer to the key."""
    f = co.design_fund(pool, years=3000, seed=4, key="ability")
    assert f.success and f.key_followed is False
    assert "least co-funding" in f.key_decided_by
    assert any(name.startswith("net_benefit[") for name in f.key_decided_by)
    note = next(n for n in f.notes if "do not follow the key 'ability'" in n)
    assert "least co-funding" in note and note in repr(f)
    more = co.design_fund(pool, years=3000, seed=4, key="ability", cofunding=f.cofunding * 1.02)
    assert more.key_deviation < f.key_deviation - 1e-6 * f.total_contributions
    benefit = co.design_fund(pool, years=3000, seed=4, key="benefit")
    assert benefit.key_followed is True and benefit.key_deviation < 1e-9 * benefit.resources


def test_extensive_backends_say_the_verdict_is_not_established(pool):
    f = co.design_fund(pool, years=1000, seed=4, key="ability", backend="scipy")
    assert f.key_followed is False and f.key_decided_by is None
    assert any("backend='highs'" in n for n in f.notes)


def test_members_paying_nothing_is_explained(chishui):
    """A co-funding that covers the fund alone: contributions 0, contribution shares
    NaN, and the reason in the notes, the repr, the frame's attrs and the CLI screen."""
    free = co.design_fund(chishui, years=1000, seed=2)
    f = co.design_fund(chishui, years=1000, seed=2, cofunding=2 * free.resources)
    assert f.success and f.total_contributions == 0.0
    frame = f.to_frame()
    assert frame["contribution_share"].isna().all()
    assert f.key_followed is None
    note = next(n for n in f.notes if "members pay nothing" in n)
    assert "NaN" in note and note in repr(f) and note in frame.attrs["notes"]


# ----------------------------------------------------------------------------- reserve mode
def _balances(payout, inflow, reserve, horizon):
    """A plain year-by-year balance per path: True where it ever goes below zero."""
    ruined, final = [], []
    for path in np.asarray(payout).reshape(-1, horizon):
        b, low = reserve, 0.0
        for p in path:
            b += inflow - p
            low = min(low, b)
        ruined.append(low < -1e-9 * max(1.0, reserve))
        final.append(b)
    return np.array(ruined), np.array(final)


def test_reserve_mode_against_a_plain_balance_and_a_bisection(chishui):
    """Horizon 4, starting reserve 3: the in-sample paths rebuilt from the documented seed
    satisfy CVaR_beta(need) <= R with equality (the least co-funding), and 1% less
    co-funding breaks it; the out-of-sample ruin probability and mean final balance are
    those of a plain year-by-year balance on the validation years."""
    H, R, beta, years = 4, 3.0, 0.9, 4000
    f = co.design_fund(chishui, confidence=beta, years=years, seed=11, horizon=H, reserve=R)
    assert f.success and "solvency" in f.binding
    child_in, child_out = np.random.SeedSequence(11).spawn(2)
    alpha = f.payout_shares.to_numpy()
    L = simulate_losses(chishui, [1, 1, 1], years, child_in)
    pin = L @ alpha
    inflow = f.total_contributions + f.cofunding

    def cvar_need(c):
        need, _ = path_need(pin, f.total_contributions + c, H)
        return empirical_cvar(need, beta)

    assert cvar_need(f.cofunding) == pytest.approx(R, rel=1e-7)
    assert cvar_need(0.99 * f.cofunding) > R
    lo, hi = 0.0, 10 * f.resources  # bisection: the least c with CVaR <= R
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if cvar_need(mid) <= R else (mid, hi)
    assert f.cofunding == pytest.approx(hi, rel=1e-7)
    Lo = simulate_losses(chishui, [1, 1, 1], years, child_out)
    ruined, final = _balances(Lo @ alpha, inflow, R, H)
    assert f.out_of_sample["ruin_probability"] == pytest.approx(ruined.mean())
    assert f.out_of_sample["mean_final_balance"] == pytest.approx(final.mean())
    assert f.out_of_sample["paths"] == years // H


def test_horizon_one_is_the_standby_fund(chishui):
    a = co.design_fund(chishui, years=1500, seed=6, reserve=2.0)
    b = co.design_fund(chishui, years=1500, seed=6, reserve=2.0, horizon=1)
    np.testing.assert_allclose(b.contributions, a.contributions, rtol=1e-9)
    assert b.cofunding == pytest.approx(a.cofunding, rel=1e-9)
    assert b.cvar == pytest.approx(a.cvar - a.cofunding - a.total_contributions, rel=1e-9)


def test_a_larger_starting_reserve_needs_less_cofunding(chishui):
    cs = [
        co.design_fund(chishui, years=2000, seed=8, horizon=5, reserve=r).cofunding
        for r in (0.0, 5.0, 20.0)
    ]
    assert cs[0] > cs[1] > cs[2] >= 0.0


def test_reserve_mode_bad_input(chishui):
    with pytest.raises(InputError, match="horizon"):
        co.design_fund(chishui, years=100, horizon=0)
    with pytest.raises(InputError, match="years"):
        co.design_fund(chishui, years=10, horizon=20)
    with pytest.raises(InputError, match="validation_years"):
        co.design_fund(chishui, years=100, horizon=20, validation_years=5)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 1000),
    n=st.integers(2, 5),
    horizon=st.sampled_from([2, 3, 6]),
    reserve=st.sampled_from([0.0, 4.0]),
    key=st.sampled_from(["benefit", "equal"]),
)
def test_reserve_mode_matches_the_extensive_lp(build, seed, n, horizon, reserve, key):
    """Random scenarios in reserve mode: the generated master (highs) and the extensive LP
    with every path and year (scipy's linprog) reach the same optimum at every stage."""
    s = build.random_scenario(n, seed, neighbours=3)
    kw = dict(
        confidence=0.9,
        years=600,
        seed=seed,
        horizon=horizon,
        reserve=reserve,
        key=key,
        capacity_share=0.05,
    )
    f = co.design_fund(s, **kw)
    g = co.design_fund(s, backend="scipy", **kw)
    assert f.success and g.success
    np.testing.assert_allclose(f.objective_values, g.objective_values, rtol=1e-6, atol=1e-7)
    assert (f.net_benefit >= -1e-9).all()
    assert f.cvar <= f.reserve + 1e-7 * max(1.0, f.resources)
