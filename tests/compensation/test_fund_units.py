"""The fund in every money unit (issue 20): money is scaled before it is solved.

The shipped risk pool with every money figure times ``a`` (damages, costs, GNI)
must give the same status, binding constraints, key verdict and shortfall
probabilities, and money scaled by ``a``, for ``a`` from 1e-9 to 1e9; the
reproducers of the issue (one damage of 1e12, coefficients of 1e15, the risk
pool x 1e9, which reported "numerical difficulties" before) solve on every
backend; magnitudes that double precision cannot sum are refused with one line;
a time limit is reported as such, never as optimal.
"""

import math

import numpy as np
import pytest
import scipy.sparse as sp
from test_unit_invariance import _rescaled

import cooperation as co
from cooperation.compensation.fund.calculator import MAX_YEARS, money_scale
from cooperation.errors import InputError

RISKPOOL = "data/riskpool/scenario.toml"
SCALES = [1e-9, 1e-6, 1e-3, 1e3, 1e6, 1e9]


@pytest.fixture(scope="module")
def pool():
    return co.load_scenario(RISKPOOL)


@pytest.fixture(scope="module")
def base(pool):
    return {
        key: co.design_fund(pool, years=2000, seed=5, key=key) for key in ("benefit", "ability")
    }


def _same_fund(r0, r1, a):
    assert (r1.success, r1.status, r1.scenarios) == (r0.success, r0.status, r0.scenarios)
    assert r1.binding == r0.binding
    assert (r1.key_followed, r1.key_decided_by) == (r0.key_followed, r0.key_decided_by)
    scale = a * max(r0.resources, 1.0)
    np.testing.assert_allclose(r1.contributions, a * r0.contributions, rtol=1e-7, atol=1e-9 * scale)
    np.testing.assert_allclose(r1.payout_shares, r0.payout_shares, rtol=1e-7, atol=1e-9)
    for name in ("cofunding", "resources", "cvar", "var", "key_deviation"):
        assert getattr(r1, name) == pytest.approx(
            a * getattr(r0, name), rel=1e-7, abs=1e-9 * scale
        ), name
    for side in ("in_sample", "out_of_sample"):
        d0, d1 = getattr(r0, side), getattr(r1, side)
        assert d1["shortfall_probability"] == d0["shortfall_probability"]
        assert d1["expected_shortfall"] == pytest.approx(
            a * d0["expected_shortfall"], rel=1e-6, abs=1e-9 * scale
        )


@pytest.mark.parametrize("a", SCALES)
@pytest.mark.parametrize("key", ["benefit", "ability"])
def test_riskpool_in_every_unit(pool, base, a, key):
    """x 1e-9 ... x 1e9: same answers and statuses, money scaled (HEAD before this
    change reported 'numerical difficulties' at x 1e9 with its default backend)."""
    r = co.design_fund(_rescaled(pool, a), years=2000, seed=5, key=key)
    _same_fund(base[key], r, a)


@pytest.mark.parametrize("backend", ["pulp", "scipy"])
def test_riskpool_1e9_on_the_extensive_backends(pool, base, backend):
    """The extensive LP through PuLP and scipy, on money of 1e9 x EUR M, agrees with the
    default backend in the original unit."""
    r = co.design_fund(_rescaled(pool, 1e9), years=2000, seed=5, backend=backend)
    assert r.success
    np.testing.assert_allclose(r.contributions, 1e9 * base["benefit"].contributions, rtol=1e-7)
    assert r.cofunding == pytest.approx(1e9 * base["benefit"].cofunding, rel=1e-7)
    assert r.binding == base["benefit"].binding


@pytest.mark.parametrize("damage", [1e12, 1e15])
def test_huge_damages_solve_on_every_backend(damage):
    """The issue's reproducers: one damage of 1e12 ('unbounded' with PuLP before), and
    coefficients of 1e15 (an IndexError inside PuLP's HiGHS interface, 'infeasible'
    through scipy). In yuan or in 1e12 x yuan it is the same fund."""

    def scenario(d):
        return co.Scenario(
            [co.Jurisdiction("A"), co.Jurisdiction("B")],
            [
                co.Hazard("big", 0.05, d, {"A": 0.5, "B": 0.5}),
                co.Hazard("small", 0.2, 3e-3 * d, {"B": 1.0}),
            ],
            unit="CNY",
        )

    ref = co.design_fund(scenario(1.0), years=3000, seed=2)
    for backend in ("highs", "pulp", "scipy"):
        r = co.design_fund(scenario(damage), years=3000, seed=2, backend=backend)
        assert r.success and r.status == 0, (backend, r.message)
        assert r.cofunding == pytest.approx(damage * ref.cofunding, rel=1e-7)
        np.testing.assert_allclose(r.contributions, damage * ref.contributions, rtol=1e-7)


def test_money_outside_double_precision_is_refused():
    """A largest yearly loss whose sum over the years overflows, or one so small that
    its relative differences are subnormal, is refused in one line naming the field, the
    value and the rule; so is a reserve or co-funding beyond 1/eps times the losses."""

    def one(d):
        return co.Scenario(
            [co.Jurisdiction("A"), co.Jurisdiction("B")],
            [co.Hazard("h", 0.5, d, {"A": 0.5, "B": 0.5})],
            unit="u",
        )

    with pytest.raises(InputError) as info:
        co.design_fund(one(1e-300), years=1000)
    text = str(info.value)
    assert "hazards.damage = 1e-300" in text and "double precision" in text
    assert "\n" not in text
    # scenarios stop at 1e100 themselves; the fund's own bound, on a loss matrix
    L = sp.csr_matrix(np.array([[1e305, 0.0], [0.0, 1e305]]))
    with pytest.raises(InputError, match="hazards.damage.*double precision"):
        money_scale(L, 10_000, 0.0, None)
    for field, kw in (("reserve", {"reserve": 1e20}), ("cofunding", {"cofunding": 1e20})):
        with pytest.raises(InputError, match=field):
            co.design_fund(one(1.0), years=1000, **kw)
    ok = co.design_fund(one(1e99), years=1000)
    assert ok.success and ok.cofunding == pytest.approx(
        1e99 * co.design_fund(one(1.0), years=1000).cofunding, rel=1e-7
    )


def test_money_scale_is_an_exact_power_of_two():
    s = co.Scenario(
        [co.Jurisdiction("A"), co.Jurisdiction("B")],
        [co.Hazard("h", 0.5, 3e7, {"A": 1.0})],
        unit="u",
    )
    L = co.compensation.fund.simulate_losses(s, [1, 1], 200, 0)
    m = money_scale(L, 200, 0.0, None)
    assert m == 2.0**24 and m <= L.max() < 2 * m
    assert math.frexp(m)[0] == 0.5


def test_time_limit_is_reported_as_a_time_out(pool):
    """A time limit too short for the LP gives status 1 and success False, with the
    words 'time limit' in the message, on every backend; the argument is checked."""
    for backend in ("highs", "scipy"):
        r = co.design_fund(pool, years=2000, seed=1, time_limit=1e-9, backend=backend)
        assert not r.success and r.status == 1, (backend, r.status, r.message)
        assert "time limit" in r.message
        assert math.isnan(r.cofunding)
    ok = co.design_fund(pool, years=2000, seed=1, time_limit=60.0)
    assert ok.success
    for bad in (0, -1, math.inf, "5"):
        with pytest.raises(InputError, match="time_limit"):
            co.design_fund(pool, years=100, time_limit=bad)
    with pytest.raises(InputError, match="years"):
        co.design_fund(pool, years=MAX_YEARS + 1)
