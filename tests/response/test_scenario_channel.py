"""The payoff model's response channel: aggregation technologies (mean, weakest
link, best shot, weighted) and damage computed from a response process, checked
by hand, against brute-force payoffs for unilateral deviations, and for
unchanged defaults; malformed keys give one-line errors (and exit status 2)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

import cooperation as co
from cooperation.cli import main

HERE = Path(__file__).parent / "malformed"
LEVELS = [{"name": "self", "effort": 0.0, "coordination": 0.0},
          {"name": "partial", "effort": 0.5, "coordination": 0.4},
          {"name": "cooperate", "effort": 1.0, "coordination": 1.0}]


def scenario(**hazard_kw):
    juris = [co.Jurisdiction("A", costs=[0, 0.3, 1.0]), co.Jurisdiction("B", costs=[0, 0.2, 0.5]),
             co.Jurisdiction("C", costs=[0, 0.1, 0.4])]
    kw = {"origins": ["A"], "prevention": 0.5, "spillover": {"A": 0.2, "B": 0.5, "C": 0.3}}
    kw |= hazard_kw
    hz = [co.Hazard("flood", 0.4, 10.0, **kw), co.Hazard("spill", 0.2, 4.0, {"C": 1.0},
                                                        origins=["B"], response=0.5)]
    return co.Scenario(juris, hz, LEVELS, unit="CNY 100M")


ALL = np.array(list(itertools.product(range(3), repeat=3)))
G = np.array([0.0, 0.4, 1.0])


def test_mean_is_the_default_and_leaves_payoffs_unchanged():
    a = scenario(response=0.6)
    b = scenario(response=0.6, aggregation="mean")
    assert np.array_equal(a.payoffs(ALL), b.payoffs(ALL))
    _, D = a.hazard_state(ALL)
    np.testing.assert_allclose(D[:, 0], 10 * (1 - 0.6 * G[ALL].mean(axis=1)), rtol=1e-13)


@pytest.mark.parametrize("agg,kappa", [
    ("weakest_link", lambda g: g.min(axis=1)),
    ("best_shot", lambda g: g.max(axis=1)),
    ("weighted", lambda g: g @ np.array([0.2, 0.5, 0.3])),           # default: the shares
])
def test_aggregation_technologies_by_hand(agg, kappa):
    s = scenario(response=0.6, aggregation=agg)
    _, D = s.hazard_state(ALL)
    np.testing.assert_allclose(D[:, 0], 10 * (1 - 0.6 * kappa(G[ALL])), rtol=1e-13)
    np.testing.assert_allclose(D[:, 1], 4 * (1 - 0.5 * G[ALL[:, 1:]].mean(axis=1)), rtol=1e-13)


def test_explicit_weights():
    s = scenario(response=0.6, aggregation="weighted", weights={"A": 3.0, "B": 1.0})
    _, D = s.hazard_state(ALL)
    np.testing.assert_allclose(D[:, 0], 10 * (1 - 0.6 * (3 * G[ALL[:, 0]] + G[ALL[:, 1]]) / 4),
                               rtol=1e-13)


def signoff_process(speedup=0.5):
    return co.ResponseProcess(
        [{"task": "warn", "owners": ["C"], "delay": {"dist": "fixed", "hours": 2}},
         {"task": "sign", "owners": ["A", "B"], "after": ["warn"], "join": "all",
          "delay": {"dist": "fixed", "hours": 10, "speedup": speedup}}],
        damage={"hours": [0, 24], "damage": [0, 1.2]})     # shares of the hazard's damage


def test_process_channel_by_hand_is_a_weakest_link():
    s = scenario(process=signoff_process(), process_runs=8)
    _, D = s.hazard_state(ALL)
    # T = 2 + 10 * max(1 - 0.5 g_A, 1 - 0.5 g_B); damage share 1.2 T / 24 (no speedup for C)
    T = 2 + 10 * np.maximum(1 - 0.5 * G[ALL[:, 0]], 1 - 0.5 * G[ALL[:, 1]])
    np.testing.assert_allclose(D[:, 0], 10 * 1.2 * T / 24, rtol=1e-13)
    # the process's units are involved even where they bear nothing
    assert s.involvement.toarray()[0].tolist() == [1, 1, 1]
    money = s.response_process()
    assert money.damage(np.array([24.0]))[0] == pytest.approx(12.0)


def test_stochastic_process_uses_common_random_numbers():
    proc = co.ResponseProcess(
        [{"task": "sign", "owners": ["A", "B"], "join": "all",
          "delay": {"dist": "exponential", "mean": 6, "speedup": 0.5}}],
        damage=co.response.DamageCurve((0.0, 48.0), (0.2, 1.0)))
    s = scenario(process=proc, process_runs=4000, process_seed=3)
    _, D1 = s.hazard_state(ALL)
    _, D2 = s.hazard_state(ALL[::-1])
    assert np.array_equal(D1, D2[::-1])           # deterministic in the profile
    d = D1[:, 0].reshape(3, 3, 3)[:, :, 0]
    assert (np.diff(d, axis=0) < 0).all() and (np.diff(d, axis=1) < 0).all()
    # the same numbers as the process's own estimate
    g = np.c_[G[ALL[:, 0]], G[ALL[:, 1]]]
    np.testing.assert_allclose(D1[:, 0], 10 * proc.expected_damage(g, 4000, 3), rtol=1e-13)


@pytest.mark.parametrize("kw", [
    {"response": 0.6}, {"response": 0.6, "aggregation": "weakest_link"},
    {"response": 0.6, "aggregation": "best_shot"},
    {"response": 0.6, "aggregation": "weighted", "weights": {"A": 1.0, "C": 2.0}},
    {"process": signoff_process(), "process_runs": 4},
])
def test_deviations_equal_brute_force(kw):
    s = scenario(**kw)
    U = s.payoffs(ALL)
    index = {tuple(p): r for r, p in enumerate(ALL)}
    for prof in ALL[::4]:
        dev = s.deviation_payoffs(prof)
        wdev = s.welfare_deviations(prof)
        for i in range(3):
            for k in range(3):
                q = prof.copy()
                q[i] = k
                assert dev[i, k] == pytest.approx(U[index[tuple(q)], i], rel=1e-12, abs=1e-12)
                assert wdev[i, k] == pytest.approx(
                    U[index[tuple(q)]].sum() - U[index[tuple(prof)]].sum(), abs=1e-11)


def test_load_a_scenario_with_a_process(tmp_path):
    (tmp_path / "p.csv").write_text((HERE / "process.csv").read_text())
    text = (HERE / "process_without_curve.toml").read_text().replace(
        'process = "process.csv"', 'process = "p.csv"\n'
        'damage_curve = { hours = [0, 48], share = [0.2, 1.0] }\nprocess_runs = 2000')
    (tmp_path / "s.toml").write_text(text)
    s = co.load_scenario(tmp_path / "s.toml")
    assert s.hazards[0].process.units == ("A", "B") and s.hazards[0].process_runs == 2000
    p = s.response_process("typhoon")
    assert p.damage(np.array([48.0]))[0] == pytest.approx(10.0)
    # inline [[hazards.process]] tables give the same scenario
    inline = text.replace('process = "p.csv"\n', "") + (
        '\n[[hazards.process]]\ntask = "warn"\nowners = ["A"]\n'
        'delay = { dist = "fixed", hours = 2 }\n'
        '[[hazards.process]]\ntask = "sign"\nowners = ["A", "B"]\nafter = ["warn"]\n'
        'delay = { dist = "exponential", mean = 4, speedup = 0.5 }\n')
    (tmp_path / "s2.toml").write_text(inline)
    s2 = co.load_scenario(tmp_path / "s2.toml")
    assert s2.hazards[0].process.tasks == s.hazards[0].process.tasks
    np.testing.assert_array_equal(s2.payoffs([[0, 0], [1, 1]]), s.payoffs([[0, 0], [1, 1]]))


EXPECTED = {
    "unknown_aggregation.toml": ("hazards[typhoon].aggregation = 'weakest'",
                                 "unknown aggregation technology"),
    "weights_without_weighted.toml": ("hazards[typhoon].weights", 'only with aggregation'),
    "negative_weight.toml": ("hazards[typhoon].weights.A = -1.0", "weights must be >= 0"),
    "weight_unknown_jurisdiction.toml": ("hazards[typhoon].weights = 'Z'",
                                         "unknown jurisdiction"),
    "zero_weights.toml": ("hazards[typhoon].weights", "must not all be 0"),
    "process_without_curve.toml": ("hazards[typhoon].damage_curve", "is missing"),
    "curve_without_process.toml": ("hazards[typhoon].damage_curve", "needs a response process"),
    "process_and_response.toml": ("hazards[typhoon].response = 0.3", "not both"),
    "process_unknown_unit.toml": ("hazards[typhoon].process = 'Publicity'",
                                  "units must be jurisdictions"),
    "process_cycle.toml": ("process_cycle.csv: tasks.after", "cycle"),
    "curve_hours_not_increasing.toml": ("hazards[typhoon].damage_curve.hours",
                                        "increase strictly"),
    "process_runs_zero.toml": ("hazards[typhoon].process_runs = 0", "integer >= 1"),
    "process_bad_delay.toml": ("tasks[sign].delay.B.median = -1.0", "must be > 0"),
    "process_file_missing.toml": ("no_such_process.csv", "table file not found"),
    "process_and_aggregation.toml": ("hazards[typhoon].aggregation = 'best_shot'",
                                     "aggregates through its joins"),
}


def test_corpus_is_complete():
    assert sorted(p.name for p in HERE.glob("*.toml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_keys_give_one_line_errors(name, capsys):
    field, rule = EXPECTED[name]
    with pytest.raises(co.errors.ScenarioError) as info:
        co.load_scenario(HERE / name)
    msg = str(info.value)
    assert field in msg and rule in msg and "\n" not in msg, msg
    assert name in msg or ".csv" in msg, msg
    assert main(["analyze", str(HERE / name)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cooperation analyze: error: ")
