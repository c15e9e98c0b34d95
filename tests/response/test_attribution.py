"""Delay-cost attribution: the Shapley value of the delay-reduction game sums to the
total delay cost, equals an independent enumeration of every ordering, and the
sampled method agrees with the exact one within its error bars. Money-unit
invariance of damages and delay costs (hypothesis)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.response import attribute_delay_cost

from .conftest import random_process

CURVE = {"hours": [0, 6, 24, 72], "damage": [0, 1, 6, 30]}


def oracle_shapley(proc, draws, damage):
    """Shapley by every ordering, the game evaluated unit set by unit set."""
    units = proc.units
    base = damage(proc.completion_times(draws)).mean()

    def v(S):
        fac = np.array([0.0 if proc.units[u] in S else 1.0 for u in proc._a_unit])
        return base - damage(proc.completion_times(draws, fac)).mean()

    cache = {}
    phi = dict.fromkeys(units, 0.0)
    orders = list(itertools.permutations(units))
    for order in orders:
        S = frozenset()
        for u in order:
            T = S | {u}
            for k in (S, T):
                if k not in cache:
                    cache[k] = v(k) if k else 0.0
            phi[u] += cache[T] - cache[S]
            S = T
    return {u: x / len(orders) for u, x in phi.items()}, cache[frozenset(units)]


@pytest.mark.parametrize("seed", range(3))
def test_exact_attribution_equals_enumerated_orderings_and_sums_to_total(seed):
    proc = random_process(seed, n_tasks=8, n_units=4).with_damage(CURVE)
    res = co.simulate_response(proc, runs=4096, seed=seed)
    assert res.attribution.method == "exact" and res.attribution.runs == 4096
    # the same draws as the simulation (chunk 0 of its seed)
    from cooperation._random import seed_sequence as _seed_sequence
    from cooperation.response.simulate import _child
    draws = proc.draw(_child(_seed_sequence(seed), 0), 4096)
    phi, total = oracle_shapley(proc, draws, proc.damage)
    got = res.bottlenecks["delay_cost"]
    for u in proc.units:
        assert got[u] == pytest.approx(phi[u], rel=1e-9, abs=1e-12 * total)
    assert got.sum() == pytest.approx(res.delay_cost_total, rel=1e-12)
    assert res.delay_cost_total == pytest.approx(total, rel=1e-12)
    # with every run used, the total is the mean damage less the damage at T = 0
    assert res.delay_cost_total == pytest.approx(res.mean_damage - proc.damage(0.0), rel=1e-12)
    assert (res.bottlenecks["delay_cost_se"] >= 0).all()


def test_sampled_attribution_agrees_with_exact_within_error_bars():
    proc = random_process(11, n_tasks=10, n_units=5).with_damage(CURVE)
    exact = attribute_delay_cost(proc, runs=4096, seed=0, method="exact")
    samp = attribute_delay_cost(proc, runs=4096, seed=0, method="sampled", permutations=2048)
    assert samp.method == "sampled" and samp.permutations == 2048
    assert samp.values.sum() == pytest.approx(samp.total, rel=1e-9)
    assert samp.total == pytest.approx(exact.total, rel=1e-12)   # same runs
    se = np.sqrt(samp.standard_error ** 2 + exact.standard_error ** 2)
    assert (np.abs(samp.values - exact.values) <= 4.5 * se + 1e-12 * exact.total).all()


def test_joint_signoff_splits_the_wait_symmetrically():
    # three signatories with the same delay law: symmetric shares; the warning's
    # owner, alone on the path before them, carries the whole warning delay
    proc = co.ResponseProcess([
        {"task": "warn", "owners": ["M"], "delay": {"dist": "fixed", "hours": 4}},
        {"task": "sign", "owners": ["T", "E", "P"], "after": ["warn"],
         "delay": {"dist": "fixed", "hours": 2}}])
    res = co.simulate_response(proc, runs=32, seed=0)
    dc = res.bottlenecks["delay_cost"]
    assert dc["M"] == pytest.approx(4.0) and dc[["T", "E", "P"]].tolist() == \
        pytest.approx([2 / 3] * 3)
    # nobody alone shortens a joint sign-off
    assert res.bottlenecks.loc[["T", "E", "P"], "damage_if_instant"].tolist() == [6.0] * 3


def test_auto_switches_to_sampled_beyond_twelve_units():
    rows = [{"task": f"t{k}", "owners": [f"U{k}"], "delay": {"dist": "exponential",
                                                            "mean": 1.0 + k}}
            for k in range(14)]
    proc = co.ResponseProcess(rows)
    res = co.simulate_response(proc, runs=2000, seed=0, permutations=256)
    assert res.attribution.method == "sampled"
    assert res.bottlenecks["delay_cost"].sum() == pytest.approx(res.delay_cost_total,
                                                                rel=1e-9)
    # only the slowest units matter for a max of parallel tasks
    assert res.bottlenecks["delay_cost"].idxmax() == "U13"
    with pytest.raises(co.errors.InputError, match="at most 20 units"):
        co.simulate_response(co.ResponseProcess(
            [{"task": f"t{k}", "owners": [f"U{k}"], "delay": {"dist": "fixed", "hours": 1}}
             for k in range(21)]), runs=10, attribution="exact")


settings.register_profile("response", deadline=None, max_examples=15,
                          suppress_health_check=[HealthCheck.too_slow])


@settings(settings.get_profile("response"))
@given(scale=st.sampled_from([1e-6, 1e-3, 1.0, 7.0, 1e3, 1e6, 1e9, 1e10]),
       seed=st.integers(0, 50))
def test_damages_and_delay_costs_scale_with_the_money_unit(scale, seed):
    proc = random_process(seed, n_tasks=7, n_units=3)
    a = co.simulate_response(proc, runs=2000, seed=seed, damage=CURVE)
    scaled = {"hours": CURVE["hours"], "damage": [scale * x for x in CURVE["damage"]]}
    b = co.simulate_response(proc, runs=2000, seed=seed, damage=scaled)
    assert b.mean_damage == pytest.approx(scale * a.mean_damage, rel=1e-9)
    for col in ("marginal_damage", "damage_if_instant", "delay_cost", "delay_cost_se"):
        np.testing.assert_allclose(b.bottlenecks[col], scale * a.bottlenecks[col], rtol=1e-8,
                                   atol=1e-10 * scale * max(1.0, a.mean_damage))
    for col in ("criticality", "delay_cost_share", "mean_delay"):
        np.testing.assert_allclose(b.bottlenecks[col], a.bottlenecks[col], rtol=1e-8,
                                   atol=1e-12)
    assert b.criticality.equals(a.criticality)
    assert math.isclose(b.delay_cost_total, scale * a.delay_cost_total, rel_tol=1e-9)
