"""The repeated-game results that `cooperation simulate` prints: rates over the rounds each
run played, every printed name an attribute, every NaN explained, the size and money
limits, and the target shared with the compensation calculator."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation import repeated as rp
from cooperation.repeated.limits import MAX_ROUND_CELLS, MAX_RUN_CELLS, MAX_SLOTS

XINAN = "data/xinan/scenario.toml"


@settings(max_examples=15, deadline=None)
@given(
    delta=st.floats(0.3, 0.97),
    noise=st.floats(0.0, 0.3),
    seed=st.integers(0, 2**32),
    strategy=st.sampled_from(["tft", "grim", "wsls", "random:0.5"]),
)
def test_rates_count_the_rounds_each_run_played(delta, noise, seed, strategy):
    """The rate from the per-round aggregates equals a count over the kept actions:
    sum_r sum_{t < L_r} sum_i C[r, t, i] / (n sum_r L_r)."""
    res = rp.simulate(
        None,
        rp.strategy_from_name(strategy),
        rounds=25,
        runs=40,
        noise=noise,
        continuation=delta,
        seed=seed,
        history=True,
    )
    C, L = res.cooperated, res.lengths
    played = np.arange(res.rounds)[None, :] < L[:, None]  # (runs, rounds)
    want = (C & played[:, :, None]).sum() / (res.n_players * L.sum())
    assert res.cooperation_rate == pytest.approx(want, rel=1e-12, abs=1e-12)
    per = (C & played[:, :, None]).sum(axis=(0, 1)) / L.sum()
    assert np.allclose(res.by_jurisdiction()["cooperation"], per, rtol=1e-12, atol=1e-12)
    assert math.isfinite(res.cooperation_rate)


def test_no_run_reaching_the_cap_is_not_a_nan():
    """Issue 20: delta = 0.9 and 100 rounds: P(a run reaches round 100) = 0.9**99."""
    res = rp.simulate(
        co.load_scenario(XINAN), rp.TitForTat(), rounds=100, runs=200, continuation=0.9, seed=0
    )
    assert res.alive_by_round[-1] == 0 and res.cooperation_rate == 1.0
    assert math.isnan(res.final_cooperation)
    assert "final_cooperation" in res.explanations()


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"continuation": 0.85},
        {"noise": 0.2, "shock": rp.Shock(10)},
        {"noise": 0.0, "shock": rp.Shock(10, length=3)},
    ],
)
def test_every_printed_name_is_an_attribute_and_every_nan_has_a_reason(kw):
    res = rp.simulate(co.load_scenario(XINAN), rp.GrimTrigger(), rounds=30, runs=100, seed=1, **kw)
    summary = res.summary()
    why = res.explanations()
    for name, value in summary.items():
        attr = getattr(res, name)
        assert attr == value or (math.isnan(attr) and math.isnan(value)), name
        assert (name in why) == (not math.isfinite(value)), (name, value, why)


def test_compare_modes_columns_are_attributes_of_each_mode():
    cmp = rp.compare_modes(co.load_scenario(XINAN), rounds=20, runs=100, continuation=0.8)
    for mode, res in cmp.results.items():
        for col in cmp.table.columns:
            name = {"transfers_net_per_run": "transfers_per_run"}.get(col, col)
            if hasattr(res, name):
                a, b = getattr(res, name), cmp.table.loc[mode, col]
                assert a == b or (math.isnan(a) and math.isnan(b)), (mode, col)
    nan_cols = {c for c in cmp.table.columns if not np.isfinite(cmp.table[c]).all()}
    assert nan_cols == set(cmp.explanations())


def test_size_limits_are_exact_and_say_the_way_around():
    n = 2
    rp.check_size(MAX_RUN_CELLS // n, 1, n)  # at the limit: accepted
    with pytest.raises(co.errors.InputError, match="use at most") as e:
        rp.check_size(MAX_RUN_CELLS // n + 1, 1, n)
    assert e.value.field == "runs"
    width = 2**n  # C/D profile counts for few players
    rp.check_size(1, MAX_ROUND_CELLS // width, n)
    with pytest.raises(co.errors.InputError, match="use at most"):
        rp.check_size(1, MAX_ROUND_CELLS // width + 1, n)
    with pytest.raises(co.errors.InputError, match="hours of work"):
        rp.check_size(MAX_RUN_CELLS // n, MAX_SLOTS // (MAX_RUN_CELLS // n * n) + 1, n)
    with pytest.raises(co.errors.InputError, match="runs"):
        rp.simulate(None, rp.TitForTat(), runs=10**10)  # before any allocation


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
def test_the_money_limit_moves_with_the_unit(scale):
    """A fine 1e12 times the largest stage payoff is refused in every money unit, and the
    same fine relative to the payoffs is accepted in every unit."""
    A = np.array([[3.0, 0.0], [5.0, 1.0]]) * scale
    game = co.NormalFormGame.from_bimatrix(A, A.T, actions=[["C", "D"], ["C", "D"]])
    ok = rp.Monitoring(audit_prob=0.5, fine=1e11 * 5 * scale)
    rp.simulate(game, rp.TitForTat(), rounds=5, runs=5, monitoring=ok)
    bad = rp.Monitoring(audit_prob=0.5, fine=1e13 * 5 * scale)
    with pytest.raises(co.errors.InputError, match="round-off"):
        rp.simulate(game, rp.TitForTat(), rounds=5, runs=5, monitoring=bad)


@pytest.mark.parametrize("case", ["xinan", "chishui", "jingjinji", "riskpool"])
def test_the_sustained_target_is_the_compensation_target(case):
    """Cross-check: the repeated-play target equals design_compensation's default target."""
    s = co.load_scenario(f"data/{case}/scenario.toml")
    t = rp.sustained_target(s)
    comp = co.design_compensation(s)
    assert list(t.labels) == list(comp.target) and t.certified == comp.target_certified
    res = rp.simulate(s, rp.AlwaysCooperate(), rounds=3, runs=2, cooperative=t.indices)
    assert res.settings["cooperative_actions"] == list(t.labels)


def test_a_given_target_below_the_optimum_says_so():
    t = rp.sustained_target(co.load_scenario(XINAN), "self")
    assert t.source == "given" and "below the social optimum" in t.note
    assert rp.sustained_target(co.load_scenario(XINAN), "cooperate").note == "given"


def test_monitoring_and_shock_read_as_sentences():
    m = rp.Monitoring(
        audit_prob=0.2,
        accuracy=0.8,
        fine=4.0,
        reward=1.0,
        fund_share=0.5,
        peer_error=0.1,
        peer_fine=2.0,
    )
    text = m.describe("CNY")
    assert "Monitoring(" not in text and "q=0.2" in text and "peer fine 2 CNY" in text
    assert f"expected {0.2 * 0.8 * 4:g}" in text
    assert rp.Shock(5, ("A",), 2).describe() == "A forced to defect in rounds 5-6"
