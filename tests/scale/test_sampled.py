"""Shapley values at scale: exact by group, sampled with standard errors in large groups."""

from __future__ import annotations

import numpy as np
import pytest

import cooperation as co
from cooperation.coalitions import _values as V
from cooperation.coalitions import sampled as S


@pytest.fixture
def small_groups(monkeypatch):
    """Groups above 3 jurisdictions are sampled (so small games test the sampler)."""
    monkeypatch.setattr(S, "EXACT_GROUP_PLAYERS", 3)


def _exact(s):
    return co.shapley(co.characteristic_function(s, outsiders="nash")).to_numpy()


@pytest.mark.parametrize("n,seed,levels", [(10, 4, 2), (8, 2, 3)])
def test_sampled_shapley_within_its_error_of_the_exact_value(gen, small_groups, n, seed, levels):
    """200 orders: every jurisdiction's estimate lies within 4 standard errors of the
    exact Shapley value (all 2**n coalitions, the tensor path), and the estimates sum to
    v(N) exactly (efficiency holds order by order)."""
    s = gen.generate(n, seed, levels)
    res = S.sampled_values(s, permutations=200, seed=1)
    exact = _exact(s)
    assert set(res.kind) == {"sampled"}
    err = np.abs(res.shapley.to_numpy() - exact)
    # 4 standard errors, plus round-off for marginals that never vary (error exactly 0)
    assert np.all(err <= 4 * res.std_error.to_numpy() + 1e-9 * np.abs(exact).max()), err
    v = co.characteristic_function(s, outsiders="nash")
    assert res.shapley.sum() == pytest.approx(v.grand_value, rel=1e-9)
    assert res.grand_value == pytest.approx(v.grand_value, rel=1e-9)


def test_batched_plan_equals_cluster_by_cluster_values(gen, small_groups, monkeypatch):
    """The batched max-sum plan and the cluster-by-cluster evaluation (enumeration,
    variable elimination, MILP) value the same coalitions: the same estimates."""
    s = gen.generate(14, 9)
    a = S.sampled_values(s, permutations=6, seed=2)
    monkeypatch.setattr(S, "USE_PLAN", False)
    monkeypatch.setattr(V, "ENUMERATE_PLAYERS", 2)  # clusters > 2: elimination
    b = S.sampled_values(s, permutations=6, seed=2)
    monkeypatch.setattr(V, "ELIMINATION_CELLS", 1)  # and now the MILP
    c = S.sampled_values(s, permutations=6, seed=2)
    np.testing.assert_allclose(a.shapley, b.shapley, atol=1e-9)
    np.testing.assert_allclose(a.shapley, c.shapley, atol=1e-8)


def test_independent_groups_are_solved_exactly(gen):
    """A 40-county network splits into river basins; groups of at most 12 get the exact
    Shapley value of their own game, which is the value in the whole game (additivity,
    null players): checked on a group against the group scenario's characteristic
    function, and the exact jurisdictions have standard error 0."""
    s = gen.generate(40, 7)  # basins of 4, 10 and 26 counties
    res = S.sampled_values(s, permutations=4, seed=0)
    exact = res.kind == "exact"
    assert exact.sum() == 14 and (res.kind == "sampled").sum() == 26
    g = res.group[exact].iloc[-1]
    members = np.flatnonzero(res.group.to_numpy() == g)
    sub = S.group_scenario(s, members)
    np.testing.assert_allclose(res.shapley.to_numpy()[members], _exact(sub), atol=1e-12)
    assert (res.std_error[exact] == 0).all()


def test_a_blocking_coalition_found_is_really_blocking(gen, small_groups):
    """The core check names a coalition S with v(S) > x(S) for an equal split: its value,
    recomputed from the full characteristic function, does exceed what the split gives it."""
    s = gen.generate(9, 5)
    res = S.sampled_values(s, permutations=20, seed=3)
    v = co.characteristic_function(s, outsiders="nash")
    x = np.full(9, v.grand_value / 9)
    chk = res.core_check(x)
    assert chk["in_core"] is False and chk["excess_kind"] == "lower bound"
    mask = sum(1 << s.players.index(p) for p in chk["blocking"])
    assert v.values[mask] - x[[s.players.index(p) for p in chk["blocking"]]].sum() > 0
    assert chk["max_excess"] <= most_excess(v, x) + 1e-9


def most_excess(v, x):
    return co.most_violated_coalition(v, x, include_grand=True).max_excess


def test_compare_rules_at_scale_has_the_small_table_columns(county40):
    """co.compare_rules on 40 counties (no tensor): every rule and the Shapley row, the
    small path's columns plus std_error, value_kind and excess_kind; each rule's
    transfers balance (sum 0) and the nucleolus row says why it is missing."""
    t = co.compare_rules(county40, permutations=4)
    for col in (
        "share",
        "transfer",
        "payoff",
        "gain",
        "in_core",
        "max_excess",
        "std_error",
        "value_kind",
        "excess_kind",
    ):
        assert col in t.columns
    for rule in co.coalitions.RULES:
        assert abs(t.loc[rule, "transfer"].sum()) <= 1e-9 * t.attrs["programme_cost"]
    assert t.loc["nucleolus", "note"].iloc[0].startswith("not available")
    assert set(t.loc["shapley", "value_kind"]) <= {"exact", "sampled"}


def test_sampled_values_scale_with_the_money_unit(gen, small_groups):
    """Every amount times 1e-6: the same orders (same seed) give Shapley values and
    standard errors times 1e-6, the same kinds and the same core verdicts."""
    from .test_milp import _scaled

    s = gen.generate(12, 6)
    a = S.sampled_values(s, permutations=8, seed=4)
    b = S.sampled_values(_scaled(s, 1e-6), permutations=8, seed=4)
    np.testing.assert_allclose(b.shapley, 1e-6 * a.shapley, rtol=1e-9, atol=1e-18)
    np.testing.assert_allclose(b.std_error, 1e-6 * a.std_error, rtol=1e-6, atol=1e-18)
    assert list(a.kind) == list(b.kind)
    x = np.full(12, a.grand_value / 12)
    assert a.core_check(x)["in_core"] == b.core_check(1e-6 * x)["in_core"]
