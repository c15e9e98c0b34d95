"""simulate_response: closed-form answers first (E[max], E[min], criticality of
parallel exponential branches, linear damage, derivatives), then seeds, ties and
bad arguments. Monte Carlo answers are checked within 4.5 standard errors."""

from __future__ import annotations

import numpy as np
import pytest

import cooperation as co
from cooperation.errors import InputError

RUNS = 200_000
Z = 4.5


def exp_spec(mean):
    return {"dist": "exponential", "mean": mean}


def within(est, truth, se):
    assert abs(est - truth) <= Z * se, (est, truth, se)


def test_all_join_of_two_exponentials_is_expected_max():
    l1, l2 = 0.5, 0.2
    p = co.ResponseProcess([{"task": "sign", "owners": ["A", "B"], "join": "all",
                             "delay": {"A": exp_spec(1 / l1), "B": exp_spec(1 / l2)}}])
    res = co.simulate_response(p, runs=RUNS, seed=0)
    truth = 1 / l1 + 1 / l2 - 1 / (l1 + l2)
    within(res.mean_time, truth, res.completion_times.std() / np.sqrt(RUNS))
    # P(T <= t) = (1 - e^{-l1 t})(1 - e^{-l2 t})
    t = 10.0
    cdf = (1 - np.exp(-l1 * t)) * (1 - np.exp(-l2 * t))
    within(res.p_within(t), cdf, np.sqrt(cdf * (1 - cdf) / RUNS))
    # the unit that decides: B (slower) with probability l1 / (l1 + l2)
    within(res.bottlenecks.loc["B", "criticality"], l1 / (l1 + l2),
           np.sqrt(0.25 / RUNS))


def test_any_join_of_two_exponentials_is_expected_min():
    l1, l2 = 0.5, 0.2
    p = co.ResponseProcess([{"task": "first", "owners": ["A", "B"], "join": "any",
                             "delay": {"A": exp_spec(1 / l1), "B": exp_spec(1 / l2)}}])
    res = co.simulate_response(p, runs=RUNS, seed=1)
    within(res.mean_time, 1 / (l1 + l2), res.completion_times.std() / np.sqrt(RUNS))
    # A acts first with probability l1 / (l1 + l2)
    within(res.bottlenecks.loc["A", "criticality"], l1 / (l1 + l2), np.sqrt(0.25 / RUNS))


def test_criticality_of_parallel_exponential_branches():
    l1, l2 = 0.3, 0.6
    p = co.ResponseProcess([
        {"task": "branch1", "owners": ["A"], "delay": exp_spec(1 / l1)},
        {"task": "branch2", "owners": ["B"], "delay": exp_spec(1 / l2)},
        {"task": "join", "owners": ["C"], "after": ["branch1", "branch2"],
         "delay": {"dist": "fixed", "hours": 1}}])
    res = co.simulate_response(p, runs=RUNS, seed=2)
    c1 = l2 / (l1 + l2)                      # P(X1 > X2)
    within(res.criticality["branch1"], c1, np.sqrt(c1 * (1 - c1) / RUNS))
    assert res.criticality["branch1"] + res.criticality["branch2"] == pytest.approx(1.0)
    assert res.criticality["join"] == 1.0


def test_linear_damage_is_slope_times_expected_time():
    slope, base = 2.5, 4.0
    p = co.ResponseProcess([
        {"task": "warn", "owners": ["M"], "delay": {"dist": "fixed", "hours": 3}},
        {"task": "sign", "owners": ["T", "E"], "after": ["warn"], "delay": exp_spec(2.0)}])
    res = co.simulate_response(p, runs=RUNS, seed=3, damage=lambda t: base + slope * t)
    assert res.mean_damage == pytest.approx(base + slope * res.mean_time, rel=1e-12)
    truth = base + slope * (3 + 2 + 2 - 1)
    within(res.mean_damage, truth, slope * res.completion_times.std() / np.sqrt(RUNS))
    # the same with a table: a straight line to beyond any simulated time
    far = 1e4
    res2 = co.simulate_response(p, runs=RUNS, seed=3,
                                damage={"hours": [0, far], "damage": [base, base + slope * far]})
    assert res2.mean_damage == pytest.approx(res.mean_damage, rel=1e-12)


def test_marginal_damage_known_derivatives():
    # chain: every hour less of either unit is an hour less of T: slope per hour
    slope = 3.0
    chain = co.ResponseProcess([
        {"task": "a", "owners": ["A"], "delay": exp_spec(2.0)},
        {"task": "b", "owners": ["B"], "after": ["a"], "delay": {"dist": "lognormal",
                                                                 "median": 1.5, "sigma": 0.4}}])
    res = co.simulate_response(chain, runs=50_000, seed=4, damage=lambda t: slope * t)
    np.testing.assert_allclose(res.bottlenecks["marginal_damage"], slope, rtol=1e-9)
    # all join of two exponentials: dE[max]/dm1 = 1 - (m2 / (m1 + m2))^2
    m1, m2 = 2.0, 5.0
    sign = co.ResponseProcess([{"task": "s", "owners": ["A", "B"],
                                "delay": {"A": exp_spec(m1), "B": exp_spec(m2)}}])
    res = co.simulate_response(sign, runs=RUNS, seed=5)
    b = res.bottlenecks
    for u, mu, mo in (("A", m1, m2), ("B", m2, m1)):
        within(b.loc[u, "marginal_damage"], 1 - (mo / (mu + mo)) ** 2,
               b.loc[u, "marginal_damage_se"])
        # if u alone is instant, T is the other's delay
        within(b.loc[u, "damage_if_instant"], mo, b.loc[u, "damage_if_instant_se"] +
               res.completion_times.std() / np.sqrt(RUNS))


def test_tied_fixed_branches_are_both_critical_and_neither_alone_saves():
    p = co.ResponseProcess([
        {"task": "left", "owners": ["A"], "delay": {"dist": "fixed", "hours": 5}},
        {"task": "right", "owners": ["B"], "delay": {"dist": "fixed", "hours": 5}}])
    res = co.simulate_response(p, runs=64, seed=0)
    assert (res.criticality == 1.0).all()
    assert (res.bottlenecks["criticality"] == 1.0).all()
    # shortening one of two tied branches saves nothing (a one-sided derivative)
    assert (res.bottlenecks["marginal_damage"] == 0.0).all()
    assert (res.bottlenecks["damage_if_instant"] == 5.0).all()
    # the symmetric delay cost: 5 hours split equally
    np.testing.assert_allclose(res.bottlenecks["delay_cost"], 2.5, rtol=1e-12)


def test_coordination_speedup_shortens_the_response():
    p = co.ResponseProcess([{"task": "s", "owners": ["A", "B"],
                             "delay": {"dist": "exponential", "mean": 4, "speedup": 0.5}}])
    slow = co.simulate_response(p, runs=20_000, seed=0)
    fast = co.simulate_response(p, runs=20_000, seed=0, coordination=1.0)
    # common random numbers: every run exactly halves
    np.testing.assert_allclose(fast.completion_times, 0.5 * slow.completion_times, rtol=1e-12)
    half = co.simulate_response(p, runs=20_000, seed=0, coordination={"A": 1.0})
    assert slow.mean_time > half.mean_time > fast.mean_time


def test_seeds_reproduce_and_differ():
    p = co.ResponseProcess([{"task": "s", "owners": ["A", "B"], "delay": exp_spec(2.0)}])
    a = co.simulate_response(p, runs=70_000, seed=0)      # more than one chunk
    b = co.simulate_response(p, runs=70_000, seed=0)
    c = co.simulate_response(p, runs=70_000, seed=1)
    assert np.array_equal(a.completion_times, b.completion_times)
    assert not np.array_equal(a.completion_times, c.completion_times)
    ss = co.simulate_response(p, runs=1000, seed=np.random.SeedSequence(0))
    assert np.array_equal(ss.completion_times, a.completion_times[:1000])
    g1 = co.simulate_response(p, runs=1000, seed=np.random.default_rng(7))
    g2 = co.simulate_response(p, runs=1000, seed=np.random.default_rng(7))
    assert np.array_equal(g1.completion_times, g2.completion_times)


def test_result_tables_and_display():
    p = co.ResponseProcess([
        {"task": "warn", "owners": ["M"], "delay": {"dist": "fixed", "hours": 2}},
        {"task": "sign", "owners": ["T", "E"], "after": ["warn"], "delay": exp_spec(3.0)}],
        damage={"hours": [0, 48], "damage": [0, 10]})
    res = co.simulate_response(p, runs=5000, seed=0)
    assert list(res.bottlenecks.index) == ["M", "T", "E"]
    for col in ("criticality", "marginal_damage", "damage_if_instant", "delay_cost"):
        assert col in res.bottlenecks
    assert list(res.schedule.index) == ["warn", "sign"]
    assert res.schedule.loc["sign", "mean_start"] == 2.0
    rev = res.review_table()
    assert list(rev["rank"]) == [1, 2, 3] and rev["delay_cost"].is_monotonic_decreasing
    assert "mean damage" in repr(res) and "<table>" in res._repr_html_()
    assert res.quantile(0.5) == pytest.approx(np.median(res.completion_times))
    assert res.time_summary()["p_within_48h"] == res.p_within(48)
    nodmg = co.simulate_response(p.with_damage(None), runs=2000, seed=0)
    assert nodmg.damages is None and nodmg.damage_unit == "hours"
    assert nodmg.delay_cost_total == pytest.approx(nodmg.mean_time)


@pytest.mark.parametrize("kw,field", [
    ({"runs": 1}, "runs"), ({"runs": 10.5}, "runs"), ({"seed": -1}, "seed"),
    ({"seed": "x"}, "seed"), ({"attribution": "fast"}, "attribution"),
    ({"attribution_runs": 0}, "attribution_runs"), ({"detail_runs": 10 ** 9}, "detail_runs"),
    ({"permutations": 1}, "permutations"), ({"coordination": {"Z": 1}}, "coordination"),
])
def test_bad_arguments(kw, field):
    p = co.ResponseProcess([{"task": "s", "owners": ["A"], "delay": exp_spec(1.0)}])
    args = {"runs": 100} | kw
    with pytest.raises(InputError) as info:
        co.simulate_response(p, **args)
    assert field in str(info.value)
    with pytest.raises(InputError, match="must be a ResponseProcess"):
        co.simulate_response("p.csv")


def test_figures_and_their_errors():
    import matplotlib

    matplotlib.use("Agg")
    p = co.ResponseProcess([
        {"task": "warn", "owners": ["M"], "delay": {"dist": "fixed", "hours": 2}},
        {"task": "sign", "owners": ["T", "E"], "after": ["warn"], "delay": exp_spec(3.0)}])
    res = co.simulate_response(p, runs=1000, seed=0)
    fig, ax = res.plot("gantt")
    # first task at the top
    assert [t.get_text() for t in ax.get_yticklabels()] == ["warn", "sign"]
    assert list(ax.get_yticks()) == [1, 0]
    for col in ("damage_if_instant", "delay_cost", "marginal_damage"):
        fig, ax = res.plot("tornado", column=col)
        assert len(ax.patches) == 3 and "(hours)" in ax.get_xlabel()
    with pytest.raises(InputError, match="column"):
        res.plot("tornado", column="speed")
    with pytest.raises(InputError, match="kind"):
        res.plot("pie")
