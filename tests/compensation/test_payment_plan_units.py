"""Payment plans do not depend on the money unit (issue 20, item 1).

The flow LP works on money divided by the largest net position, and every
tolerance on money is relative to it, so the same transfers in yuan (1e10)
and in 亿元 (1) give the same plan, scaled: the same status, uniqueness
verdict, links used and diagnosis, and flows, totals, cost and deficit times
the factor. Where the cheapest plan is not unique the LP may return another
optimal vertex, so flows are compared link by link only for unique plans;
what every optimum shares (cost, money routed, balances, the canonical groups
of the minimum cut) is compared always.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cooperation as co

RTOL = 1e-7
ROOT = Path(__file__).resolve().parents[2]


@st.composite
def instances(draw):
    """Net positions (some balanced, some with a subsidy), links with costs and caps."""
    n = draw(st.integers(2, 7))
    names = [f"J{i}" for i in range(n)]
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=len(pairs),
                           unique=True))
    k = len(chosen)
    costs = draw(st.lists(st.sampled_from([1.0, 1.0, 1.5, 2.0, 3.0]), min_size=k, max_size=k))
    caps = draw(st.lists(st.one_of(st.just(np.inf), st.integers(0, 40).map(float)),
                         min_size=k, max_size=k))
    t = np.array(draw(st.lists(st.integers(-50, 50), min_size=n, max_size=n)), dtype=float)
    if draw(st.booleans()):
        t[0] -= t.sum()                                # balanced: no subsidy
    if t.sum() < 0:
        t[int(np.argmax(t))] -= t.sum()                # the higher level takes no money
    links = pd.DataFrame({"payer": [names[i] for i, _ in chosen],
                          "payee": [names[j] for _, j in chosen], "cost": costs, "cap": caps})
    return dict(zip(names, (t / 10).tolist(), strict=True)), links


def scaled(transfers, links, factor):
    return ({k: v * factor for k, v in transfers.items()},
            links.assign(cap=links["cap"] * factor))


def close(a, b, factor, scale):
    """Equal after scaling ``b`` by ``factor``, to ``RTOL`` of the money scale."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float) * factor
    return a.shape == b.shape and np.allclose(a, b, rtol=RTOL, atol=RTOL * scale * factor)


def assert_same_plan(big, ref, factor):
    scale = max(float(np.abs(ref.transfers).max()), 1.0)
    assert (big.status, big.success, big.unique) == (ref.status, ref.success, ref.unique)
    assert close(big.subsidy, ref.subsidy, factor, scale)
    if not ref.success and ref.status != 2:
        return
    assert close(big.cost, ref.cost, factor, scale)
    assert close(big.money_routed, ref.money_routed, factor, scale)
    assert close(big.totals["net"], ref.totals["net"], factor, scale)
    assert close(big.totals["shortfall"].sum(), ref.totals["shortfall"].sum(), factor, scale)
    assert close(big.deficit, ref.deficit, factor, scale)
    assert big.groups["members"].tolist() == ref.groups["members"].tolist()
    assert close(big.groups["short"], ref.groups["short"], factor, scale)
    assert big.max_imbalance <= 1e-9 * scale * factor
    if ref.unique:
        assert big.edges[["payer", "payee"]].values.tolist() == \
            ref.edges[["payer", "payee"]].values.tolist()
        assert close(big.edges["amount"], ref.edges["amount"], factor, scale)
        assert big.binding == ref.binding and big.forest == ref.forest


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(-9, 9))
def test_same_plan_in_every_money_unit(inst, exponent):
    transfers, links = inst
    factor = 10.0 ** exponent
    ref = co.payment_plan(transfers, links=links)
    big = co.payment_plan(*scaled(transfers, links, factor))
    assert_same_plan(big, ref, factor)


@pytest.mark.parametrize("factor", [1e-9, 1e-6, 1e-3, 1e3, 1e6, 1e9])
def test_jing_jin_ji_shortfall_is_the_same_in_yuan_and_in_small_units(factor):
    """The shipped Jing-Jin-Ji case by the origin rule is infeasible (Beijing and Tianjin
    cannot reach Hebei's cities); the diagnosis names the same groups at every unit."""
    s = co.load_scenario(ROOT / "data" / "jingjinji" / "scenario.toml")
    res = co.design_compensation(s)
    ref = co.payment_plan(res.transfers, scenario=s, rule="origin")
    big = co.payment_plan(res.transfers * factor, scenario=s, rule="origin")
    assert ref.status == 2
    assert_same_plan(big, ref, factor)


def test_tiny_money_still_moves():
    """Money of 1e-9 is money: the plan moves it (with absolute tolerances of about
    1e-9 the old solver took every flow for rounding dust)."""
    links = pd.DataFrame({"payer": ["Mid", "Down", "Down"], "payee": ["Up", "Up", "Mid"]})
    plan = co.payment_plan({"Up": 4e-9, "Mid": -1e-9, "Down": -3e-9}, links=links)
    assert plan.success and plan.unique
    assert plan.edges[["payer", "payee"]].values.tolist() == [["Mid", "Up"], ["Down", "Up"]]
    assert np.allclose(plan.edges["amount"], [1e-9, 3e-9], rtol=1e-12, atol=0)
