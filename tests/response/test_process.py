"""ResponseProcess: validation with one-line errors, loaders, and the completion-time
recursion against networkx (deterministic delays give exactly the longest path)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cooperation as co
from cooperation.errors import ScenarioError
from cooperation.response import DelaySpec

from .conftest import oracle_run, random_process, run_delays

FIX = {"dist": "fixed", "hours": 1.0}


def proc(rows, **kw):
    return co.ResponseProcess(rows, **kw)


# ---------------------------------------------------------------- known answers
@pytest.mark.parametrize("seed", range(6))
def test_fixed_delays_give_exactly_the_longest_path(seed):
    p = random_process(seed, n_tasks=15, dist="fixed")
    draws = p.draw(np.random.default_rng(0), 1)
    T = p.completion_times(draws)
    T_nx, _ = oracle_run(p, run_delays(p, draws, 0))
    assert T[0] == T_nx                       # integer hours: exact
    assert p.longest_path() == T_nx


@pytest.mark.parametrize("seed", range(4))
def test_random_runs_match_networkx_time_and_critical_path(seed):
    p = random_process(seed, n_tasks=14)
    draws = p.draw(np.random.default_rng(seed), 40)
    T, crit, _, start, finish = p.trace(draws)
    for r in range(draws.shape[1]):
        T_nx, path = oracle_run(p, run_delays(p, draws, r))
        assert T[r] == pytest.approx(T_nx, rel=1e-12)
        # continuous delays: no ties, the critical set is networkx's longest path
        assert {p.task_names[j] for j in np.flatnonzero(crit[:, r])} == path
    assert np.all(start <= finish) and np.all(finish <= T + 1e-12)


def test_joins_and_chain():
    rows = [{"task": "a", "owners": ["X", "Y"], "join": "all",
             "delay": {"X": {"dist": "fixed", "hours": 2}, "Y": {"dist": "fixed", "hours": 5}}},
            {"task": "b", "owners": ["X", "Y"], "join": "any", "after": ["a"],
             "delay": {"X": {"dist": "fixed", "hours": 4}, "Y": {"dist": "fixed", "hours": 1}}}]
    p = proc(rows)
    assert p.longest_path() == 6.0            # max(2, 5) + min(4, 1)
    # full coordination with speedup halves the delays that have a speedup
    rows[0]["delay"]["Y"]["speedup"] = 0.5
    p2 = proc(rows)
    assert p2.longest_path({"Y": 1.0}) == pytest.approx(2.5 + 1.0)
    assert p2.longest_path({"Y": 0.0}) == 6.0


def test_ties_all_count_as_critical():
    rows = [{"task": "left", "owners": ["A"], "delay": {"dist": "fixed", "hours": 3}},
            {"task": "right", "owners": ["B"], "delay": {"dist": "fixed", "hours": 3}},
            {"task": "sign", "owners": ["A", "B"], "after": ["left", "right"],
             "delay": {"dist": "fixed", "hours": 1}}]
    p = proc(rows)
    T, crit, ucrit, _, _ = p.trace(p.draw(np.random.default_rng(0), 3))
    assert (T == 4).all() and crit.all() and ucrit.all()


def test_distribution_means_and_samples():
    rng = np.random.default_rng(1)
    cases = [({"dist": "fixed", "hours": 2.5}, 2.5),
             ({"dist": "exponential", "mean": 3.0}, 3.0),
             ({"dist": "lognormal", "median": 2.0, "sigma": 0.5}, 2.0 * math.exp(0.125)),
             ({"dist": "triangular", "low": 1, "mode": 2, "high": 6}, 3.0),
             ({"dist": "empirical", "samples": [1, 2, 6]}, 3.0)]
    for spec, mean in cases:
        d = DelaySpec.parse(spec, "delay")
        assert d.mean == pytest.approx(mean)
        x = d.sample(rng, 200_000)
        assert x.min() >= 0
        assert x.mean() == pytest.approx(mean, rel=0.02)
    emp = DelaySpec.parse({"dist": "empirical", "samples": [1, 2, 6]}, "d").sample(rng, 1000)
    assert set(np.unique(emp)) == {1.0, 2.0, 6.0}


def test_csv_and_toml_loaders_equal_the_python_object(tmp_path):
    rows = [{"task": "warn", "owners": ["Met"], "delay": {"dist": "fixed", "hours": 2}},
            {"task": "sign", "owners": ["T", "E"], "after": ["warn"], "join": "all",
             "delay": {"T": {"dist": "lognormal", "median": 3, "sigma": 0.5, "speedup": 0.4},
                       "E": {"dist": "empirical", "samples": [1, 2, 4]}}},
            {"task": "notice", "owners": ["P", "E"], "after": ["sign"], "join": "any",
             "delay": {"dist": "triangular", "low": 0.5, "mode": 1, "high": 3}}]
    ref = proc(rows)
    csv_text = ("task,owners,after,join,delay\n"
                "warn,Met,,,fixed(hours=2)\n"
                "sign,T;E,warn,all,\"T: lognormal(median=3, sigma=0.5, speedup=0.4); "
                "E: empirical(samples=1 2 4)\"\n"
                "notice,P;E,sign,any,\"triangular(low=0.5, mode=1, high=3)\"\n")
    (tmp_path / "p.csv").write_text(csv_text, encoding="utf-8")
    assert co.ResponseProcess.from_csv(tmp_path / "p.csv") == ref
    toml = ('name = "x"\n[damage]\nhours = [0, 10]\ndamage = [0, 5]\n'
            '[[tasks]]\ntask = "warn"\nowners = ["Met"]\ndelay = { dist = "fixed", hours = 2 }\n'
            '[[tasks]]\ntask = "sign"\nowners = ["T", "E"]\nafter = ["warn"]\n'
            '[tasks.delay.T]\ndist = "lognormal"\nmedian = 3\nsigma = 0.5\nspeedup = 0.4\n'
            '[tasks.delay.E]\ndist = "empirical"\nsamples = [1, 2, 4]\n'
            '[[tasks]]\ntask = "notice"\nowners = ["P", "E"]\nafter = ["sign"]\njoin = "any"\n'
            'delay = { dist = "triangular", low = 0.5, mode = 1, high = 3 }\n')
    (tmp_path / "p.toml").write_text(toml, encoding="utf-8")
    t = co.ResponseProcess.from_toml(tmp_path / "p.toml")
    assert t.tasks == ref.tasks and t.damage(np.array([5.0]))[0] == 2.5
    # the DataFrame form round-trips too
    assert co.ResponseProcess(ref.to_frame().reset_index().assign(
        owners=lambda d: d.owners.str.replace(" ", ""),
        after=lambda d: d.after.str.replace(" ", ""),
        delay=[rows[0]["delay"], rows[1]["delay"], rows[2]["delay"]])) == ref


# ---------------------------------------------------------------- bad input
BAD = [
    ([{"task": "a", "owners": ["X"], "after": ["b"], "delay": FIX},
      {"task": "b", "owners": ["X"], "after": ["a"], "delay": FIX}],
     "tasks.after", "cycle a -> b -> a"),
    ([{"task": "a", "owners": ["X"], "after": ["zz"], "delay": FIX}],
     "tasks[a].after = 'zz'", "unknown task"),
    ([{"task": "a", "owners": ["X"], "join": "both", "delay": FIX}],
     "tasks[a].join = 'both'", '"all"'),
    ([{"task": "a", "owners": [], "delay": FIX}], "tasks[a].owners = []", "at least one"),
    ([{"task": "a", "owners": ["X"], "delay": {"dist": "gamma", "mean": 1}}],
     "tasks[a].delay.dist = 'gamma'", "unknown distribution"),
    ([{"task": "a", "owners": ["X"], "delay": {"dist": "exponential"}}],
     "tasks[a].delay.mean", "is missing"),
    ([{"task": "a", "owners": ["X"], "delay": {"dist": "fixed", "hours": -2}}],
     "tasks[a].delay.hours = -2", ">= 0"),
    ([{"task": "a", "owners": ["X"], "delay": {"dist": "exponential", "mean": 0}}],
     "tasks[a].delay.mean = 0", "> 0"),
    ([{"task": "a", "owners": ["X"], "delay": {"dist": "triangular", "low": 3, "mode": 1,
                                                "high": 5}}],
     "tasks[a].delay", "low <= mode <= high"),
    ([{"task": "a", "owners": ["X"], "delay": {"dist": "fixed", "hours": 1, "speedup": 2}}],
     "tasks[a].delay.speedup = 2", "[0, 1]"),
    ([{"task": "a", "owners": ["X", "Y"], "delay": {"X": FIX}}],
     "tasks[a].delay.Y", "every owner needs a delay"),
    ([{"task": "a", "owners": ["X"], "delay": {"X": FIX, "Q": FIX}}],
     "tasks[a].delay = 'Q'", "does not own"),
    ([{"task": "a", "owners": ["X"], "delay": FIX}, {"task": "a", "owners": ["X"], "delay": FIX}],
     "tasks[1].task = 'a'", "unique"),
    ([{"task": "a", "owners": ["X"], "delay": FIX, "deps": []}], "tasks[0] = ['deps']",
     "unknown keys"),
    ([{"task": "a", "owners": ["X"], "delay": {"dist": "empirical", "samples": []}}],
     "tasks[a].delay.samples", "non-empty"),
    ([{"task": "a", "owners": ["X"], "delay": {"dist": "fixed", "hours": float("nan")}}],
     "tasks[a].delay.hours = nan", "not NaN"),
]


@pytest.mark.parametrize("rows,field,rule", BAD)
def test_bad_processes_give_one_line_errors(rows, field, rule):
    with pytest.raises(ScenarioError) as info:
        proc(rows)
    msg = str(info.value)
    assert field in msg and rule in msg and "\n" not in msg, msg


def test_bad_damage_and_csv(tmp_path):
    with pytest.raises(ScenarioError, match=r"damage.hours = \[0.0, 5.0, 5.0\]: hours must increase strictly"):
        proc([{"task": "a", "owners": ["X"], "delay": FIX}],
             damage={"hours": [0, 5, 5], "damage": [0, 1, 2]})
    with pytest.raises(ScenarioError, match=r"damage.damage\[1\] = -1: damage must be >= 0"):
        proc([{"task": "a", "owners": ["X"], "delay": FIX}],
             damage={"hours": [0, 5], "damage": [0, -1]})
    f = tmp_path / "bad.csv"
    f.write_text("task,owners,delay\na,X,exponential(mean=abc)\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.csv: tasks\[a\].delay.mean = 'abc': must be a"):
        co.ResponseProcess.from_csv(f)
    f.write_text("task,owners,delay,notes\na,X,fixed(hours=1),x\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"unknown columns"):
        co.ResponseProcess.from_csv(f)
    f.write_text("task,owners,delay\na,X,fixed hours 1\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"must read like exponential"):
        co.ResponseProcess.from_csv(f)
    with pytest.raises(ScenarioError, match=r"coordination.*\[0, 1\]"):
        proc([{"task": "a", "owners": ["X"], "delay": FIX}]).factors({"X": 1.5})
