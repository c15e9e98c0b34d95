"""Payment plans (co.payment_plan): hand-solved plans first, then flow conservation on
random instances (hypothesis) with an independent linprog oracle, infeasibility
diagnosed by name, the real Chishui and Jing-Jin-Ji rules, bad input, figure, docs."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.compensation import fixed_plan, scenario_links
from cooperation.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
CHISHUI = ROOT / "data" / "chishui"
JJJ_PAIRING = ROOT / "data" / "jingjinji" / "pairing_2015.csv"


def edge_dict(plan) -> dict:
    return {(r.payer, r.payee): round(float(r.amount), 9) for r in plan.edges.itertuples()}


def chain() -> co.Scenario:
    """Upstream -> midstream -> downstream. Pollution from Up lands on Mid and Down;
    pollution from Mid lands on Down. Beneficiary-pays links: Mid->Up, Down->Up, Down->Mid."""
    acts = {"self": 0.0, "cooperate": 1.0}
    return co.Scenario(
        jurisdictions=[co.Jurisdiction("Up", costs=acts), co.Jurisdiction("Mid", costs=acts),
                       co.Jurisdiction("Down", costs=acts)],
        hazards=[co.Hazard("up spill", 0.5, 10.0, {"Mid": 0.5, "Down": 0.5}, origins=["Up"],
                           prevention=0.8),
                 co.Hazard("mid spill", 0.5, 4.0, {"Down": 1.0}, origins=["Mid"],
                           prevention=0.5)],
        unit="CNY 100M")


# ============================================================ hand-solved answers
def test_chain_default_links_are_beneficiary_pays():
    links = scenario_links(chain())
    assert [tuple(x) for x in links[["payer", "payee"]].values] == [
        ("Mid", "Up"), ("Down", "Up"), ("Down", "Mid")]
    origin = scenario_links(chain(), rule="origin")
    assert {tuple(x) for x in origin[["payer", "payee"]].values} == {
        ("Up", "Mid"), ("Up", "Down"), ("Mid", "Down")}
    assert len(scenario_links(chain(), rule="complete")) == 6


def test_chain_unique_cheapest_plan():
    """t = (Up +3, Mid -1, Down -2). Balances: Mid: f_DM - f_MU = -1, Down: -f_DU - f_DM = -2,
    so f_MU = 1 + f_DM, f_DU = 2 - f_DM and the cost f_MU + f_DU + f_DM = 3 + f_DM: the
    unique optimum is f_DM = 0: Down pays Up 2, Mid pays Up 1 (cost 3)."""
    plan = co.payment_plan({"Up": 3.0, "Mid": -1.0, "Down": -2.0}, scenario=chain())
    assert plan.success and plan.status == 0
    assert edge_dict(plan) == {("Mid", "Up"): 1.0, ("Down", "Up"): 2.0}
    assert plan.unique is True and plan.forest
    assert plan.cost == pytest.approx(3.0) and plan.subsidy == 0.0
    assert list(plan.edges.columns) == ["payer", "payee", "amount", "unit"]
    assert set(plan.edges["unit"]) == {"CNY 100M"}
    net = plan.totals["net"].drop(plan.higher_level)
    assert net.to_dict() == {"Up": 3.0, "Mid": -1.0, "Down": -2.0}    # exact
    assert plan.max_imbalance == 0.0


def test_chain_direct_payment_beats_relay_and_subsidy_enters_from_the_higher_level():
    """t = (Up +4, Mid +1, Down -4), subsidy 1; the higher level may pay anyone at 1 per
    unit. Every plan costs at least 5 (the 4 Down owes and the subsidy 1, one hop each),
    with equality iff no money is relayed: Down->Up a, Down->Mid 4 - a, G->Up 4 - a,
    G->Mid a - 3, for any a in [3, 4]. Not unique, and said so. Relaying Down's money
    through Mid costs 2 per unit: never in a cheapest plan."""
    plan = co.payment_plan(pd.Series({"Up": 4.0, "Mid": 1.0, "Down": -4.0}), scenario=chain(),
                           subsidy=1.0)
    assert plan.success and plan.cost == pytest.approx(5.0)
    assert plan.subsidy == 1.0 and plan.unique is False
    assert "not unique" in plan.message
    e = edge_dict(plan)
    a = e.get(("Down", "Up"), 0.0)
    assert 3.0 - 1e-9 <= a <= 4.0 + 1e-9 and ("Mid", "Up") not in e
    assert e.get(("Down", "Mid"), 0.0) == pytest.approx(4.0 - a)
    paid = plan.totals.loc[plan.higher_level, "paid"]
    assert paid == pytest.approx(1.0)
    assert not any(plan.edges["payee"] == plan.higher_level)
    # restrict the subsidy to Up: now the plan is forced and unique
    links = pd.concat([scenario_links(chain()),
                       pd.DataFrame({"payer": [plan.higher_level], "payee": ["Up"]})])
    plan = co.payment_plan({"Up": 4.0, "Mid": 1.0, "Down": -4.0}, links=links,
                           scenario=chain())
    assert edge_dict(plan) == {("Down", "Up"): 3.0, ("Down", "Mid"): 1.0,
                               ("higher level", "Up"): 1.0}
    assert plan.unique is True and plan.cost == pytest.approx(5.0)


def test_relay_when_no_direct_link():
    """Only Down->Mid and Mid->Up: Down's 3 must pass through Mid (cost 6)."""
    links = pd.DataFrame({"payer": ["Down", "Mid"], "payee": ["Mid", "Up"]})
    plan = co.payment_plan({"Up": 3.0, "Mid": 0.0, "Down": -3.0}, links=links)
    assert edge_dict(plan) == {("Down", "Mid"): 3.0, ("Mid", "Up"): 3.0}
    assert plan.money_routed == pytest.approx(6.0) and plan.unique is True


def test_costs_choose_the_short_route_then_fewer_hops():
    """Direct link of distance 5 vs a relay of two links of distance 2 each: the relay is
    shorter (4 < 5). With equal distances (2 + 2 vs 4) the tie is broken by money routed:
    the direct link."""
    links = pd.DataFrame({"payer": ["Down", "Down", "Mid"], "payee": ["Up", "Mid", "Up"],
                          "cost": [5.0, 2.0, 2.0]})
    t = {"Up": 1.0, "Mid": 0.0, "Down": -1.0}
    assert edge_dict(co.payment_plan(t, links=links)) == {("Down", "Mid"): 1.0,
                                                          ("Mid", "Up"): 1.0}
    plan = co.payment_plan(t, links=links.assign(cost=[4.0, 2.0, 2.0]))
    assert edge_dict(plan) == {("Down", "Up"): 1.0} and plan.unique is True


def test_caps_bind_and_are_reported():
    links = pd.DataFrame({"payer": ["Down", "Down", "Mid"], "payee": ["Up", "Mid", "Up"],
                          "cap": [2.0, None, None]})
    plan = co.payment_plan({"Up": 3.0, "Mid": 0.0, "Down": -3.0}, links=links)
    assert edge_dict(plan) == {("Down", "Up"): 2.0, ("Down", "Mid"): 1.0, ("Mid", "Up"): 1.0}
    assert plan.binding == ("Down->Up",)
    plan = co.payment_plan({"Up": 3.0, "Mid": 0.0, "Down": -3.0}, links=links.assign(cap=None),
                           max_per_link=1.5)
    assert edge_dict(plan) == {("Down", "Up"): 1.5, ("Down", "Mid"): 1.5, ("Mid", "Up"): 1.5}
    assert set(plan.binding) == {"Down->Up", "Down->Mid", "Mid->Up"}


def test_plans_the_transfers_of_a_compensation_design(build):
    s = build.up_down()
    res = co.design_compensation(s, constraints=["participation"])
    plan = co.payment_plan(res, scenario=s)
    assert edge_dict(plan) == {("Down", "Up"): 1.0}
    assert plan.totals.loc["Up", "net"] == res.transfers["Up"]
    assert plan.unit == "CNY 100M" and plan.to_frame().equals(plan.edges)
    assert "PaymentPlan" in repr(plan) and "<table>" in plan._repr_html_()
    scipy_plan = co.payment_plan(res, scenario=s, backend="scipy")
    assert edge_dict(scipy_plan) == edge_dict(plan)


# ============================================================ properties
@st.composite
def feasible_instance(draw):
    """Random links (some capped) and net transfers made from a random feasible flow, so
    that a plan exists; optionally a subsidy entering from the higher level."""
    n = draw(st.integers(2, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    names = [f"J{i}" for i in range(n)]
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    keep = rng.random(len(pairs)) < draw(st.floats(0.2, 1.0))
    keep[rng.integers(len(pairs))] = True
    pairs = [p for p, k in zip(pairs, keep, strict=True) if k]
    capped = rng.random(len(pairs)) < draw(st.floats(0.0, 0.5))
    flow0 = np.round(rng.uniform(0, 5, len(pairs)) * (rng.random(len(pairs)) < 0.6), 3)
    cap = np.where(capped, flow0 + np.round(rng.uniform(0, 2, len(pairs)), 3), np.inf)
    cost = np.round(rng.uniform(0.5, 3.0, len(pairs)), 2) if draw(st.booleans()) \
        else np.ones(len(pairs))
    t = np.zeros(n)
    for (i, j), f in zip(pairs, flow0, strict=True):
        t[j] += f
        t[i] -= f
    g = float(np.round(rng.uniform(0, 3), 3)) if draw(st.booleans()) else 0.0
    if g:
        t[rng.integers(n)] += g
    links = pd.DataFrame({"payer": [names[i] for i, _ in pairs],
                          "payee": [names[j] for _, j in pairs], "cost": cost, "cap": cap})
    return pd.Series(t, index=names), links, flow0, g


def _oracle_cost(t: pd.Series, links: pd.DataFrame, g: float) -> float:
    """The same min-cost flow written out independently (dense, scipy.optimize.linprog),
    the higher level linked to everyone at cost 1."""
    from scipy.optimize import linprog

    names = list(t.index) + ["G"]
    k = {p: i for i, p in enumerate(names)}
    arcs = [(k[a], k[b], c, u) for a, b, c, u in links[["payer", "payee", "cost", "cap"]]
            .itertuples(index=False)]
    if g > 0:
        arcs += [(k["G"], k[p], 1.0, np.inf) for p in t.index]
    A = np.zeros((len(names), len(arcs)))
    for e, (a, b, _, _) in enumerate(arcs):
        A[b, e] += 1.0
        A[a, e] -= 1.0
    rhs = np.append(t.to_numpy(), -g)
    res = linprog([a[2] for a in arcs], A_eq=A, b_eq=rhs,
                  bounds=[(0, None if np.isinf(a[3]) else a[3]) for a in arcs], method="highs")
    assert res.status == 0
    return float(res.fun)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feasible_instance())
def test_conservation_allowed_links_caps_and_optimality(inst):
    t, links, flow0, g = inst
    plan = co.payment_plan(t, links=links, unique=False)
    assert plan.success, plan.message
    # flow conservation to 1e-9, recomputed here from the edge table
    net = pd.Series(0.0, index=list(t.index) + [plan.higher_level])
    for r in plan.edges.itertuples():
        net[r.payee] += r.amount
        net[r.payer] -= r.amount
        assert r.amount > 0
    assert np.abs(net[t.index] - t).max() <= 1e-9
    assert abs(net[plan.higher_level] + g) <= 1e-9
    # only allowed links; the higher level pays, never receives
    allowed = set(map(tuple, links[["payer", "payee"]].values))
    for r in plan.edges.itertuples():
        assert (r.payer, r.payee) in allowed or (r.payer == plan.higher_level and g > 0)
    # caps respected
    caps = {(a, b): u for a, b, u in links[["payer", "payee", "cap"]].itertuples(index=False)}
    for r in plan.edges.itertuples():
        if r.payer != plan.higher_level:
            assert r.amount <= caps[(r.payer, r.payee)] + 1e-9
    # optimal: no dearer than the flow the transfers were made from, and equal to an
    # independently written LP's optimum
    known = float(links["cost"].to_numpy() @ flow0) + g * 1.0
    assert plan.cost <= known + 1e-7
    assert plan.cost == pytest.approx(_oracle_cost(t, links, g), rel=1e-7, abs=1e-7)
    # a vertex: uncapped money-carrying links form a forest
    if np.isinf(links["cap"]).all():
        assert plan.forest
        assert plan.n_links <= len(t) + (g > 0) - 1


def _oracle_max_flow(t: pd.Series, links: pd.DataFrame) -> float:
    """Most money the links can move from payers to receivers (linprog, written out)."""
    from scipy.optimize import linprog

    names = list(t.index)
    k = {p: i for i, p in enumerate(names)}
    arcs = [(k[a], k[b], u) for a, b, u in links[["payer", "payee", "cap"]]
            .itertuples(index=False)]
    n, m = len(names), len(arcs)
    # variables: link flows, then what each payer sends (<= -t) and each receiver gets (<= t)
    A = np.zeros((n, m + n))
    for e, (a, b, _) in enumerate(arcs):
        A[b, e] += 1.0
        A[a, e] -= 1.0
    tv = t.to_numpy()
    for i in range(n):
        A[i, m + i] = 1.0 if tv[i] < 0 else -1.0      # supply in, demand out
    bounds = [(0, None if np.isinf(u) else u) for _, _, u in arcs] + \
        [(0, abs(x)) for x in tv]
    cobj = np.zeros(m + n)
    cobj[m:][tv > 0] = -1.0
    res = linprog(cobj, A_eq=A, b_eq=np.zeros(n), bounds=bounds, method="highs")
    assert res.status == 0
    return -float(res.fun)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 7), st.integers(0, 2**32 - 1), st.floats(0.1, 0.6))
def test_infeasible_diagnosis_matches_the_maximum_flow(n, seed, density):
    """Random links and balanced transfers that the links may not carry: the deficit is
    the total need minus the maximum flow (independent LP), and the cut-off amounts, the
    groups' shortfalls and the unpaid amounts each add up to it; the partial plan meets
    every balance less its shortfall."""
    rng = np.random.default_rng(seed)
    names = [f"J{i}" for i in range(n)]
    t = np.round(rng.normal(size=n), 3)
    t[-1] -= t.sum()
    pairs = [(a, b) for a in names for b in names if a != b and rng.random() < density]
    cap = np.where(rng.random(len(pairs)) < 0.5, np.round(rng.uniform(0, 1, len(pairs)), 3),
                   np.inf)
    links = pd.DataFrame({"payer": [a for a, _ in pairs], "payee": [b for _, b in pairs],
                          "cap": cap}, columns=["payer", "payee", "cap"])
    ts = pd.Series(t, index=names)
    plan = co.payment_plan(ts, links=links, unique=False)
    need = float(t[t > 0].sum())
    short = need - _oracle_max_flow(ts, links)
    if plan.success:
        assert short <= 1e-7
        return
    assert plan.deficit == pytest.approx(short, abs=1e-7)
    assert plan.cut_off.sum() == pytest.approx(short, abs=1e-7)
    assert plan.unpaid.sum() == pytest.approx(short, abs=1e-7)
    assert plan.groups["short"].sum() == pytest.approx(short, abs=1e-7)
    tot = plan.totals.drop(plan.higher_level)
    np.testing.assert_allclose(tot["net"], tot["transfer"] - np.sign(tot["transfer"])
                               * tot["shortfall"], atol=1e-9)
    in_groups = {m for ms in plan.groups["members"] for m in ms}
    assert set(plan.cut_off.index) <= in_groups         # shortfalls only behind the cut
    for r in plan.groups.itertuples():
        assert r.can_receive == pytest.approx(r.need - r.short)


def test_money_moved_no_more_than_needed_without_costs_or_caps():
    """With every pair linked at cost 1 and no caps, the cheapest plan moves exactly the
    sum of what the payers owe: each unit goes directly from a payer to a receiver."""
    rng = np.random.default_rng(3)
    t = rng.normal(size=7)
    t -= t.mean()
    names = [f"J{i}" for i in range(7)]
    links = pd.DataFrame([(a, b) for a in names for b in names if a != b],
                         columns=["payer", "payee"])
    plan = co.payment_plan(pd.Series(t, index=names), links=links, unique=False)
    assert plan.money_routed == pytest.approx(-t[t < 0].sum(), rel=1e-12)
    assert plan.n_links <= 6 and plan.forest


# ============================================================ infeasible
def test_infeasible_link_table_names_who_is_cut_off():
    """Beijing funds Langfang and Baoding; Tianjin funds Tangshan and Cangzhou; a seventh
    city, Zhangjiakou, is owed 1 but no allowed link reaches it."""
    pairing = pd.DataFrame({"payer": ["Beijing", "Beijing", "Tianjin", "Tianjin"],
                            "payee": ["Langfang", "Baoding", "Tangshan", "Cangzhou"]})
    t = {"Beijing": -5.6, "Tianjin": -4.0, "Langfang": 2.3, "Baoding": 2.3, "Tangshan": 2.0,
         "Cangzhou": 2.0, "Zhangjiakou": 1.0}
    plan = co.payment_plan(t, links=pairing, unit="CNY 100M")
    assert not plan.success and plan.status == 2
    assert plan.cut_off.to_dict() == {"Zhangjiakou": pytest.approx(1.0)}
    assert plan.unpaid.to_dict() == {"Beijing": pytest.approx(1.0)}
    assert plan.deficit == pytest.approx(1.0)
    assert "Zhangjiakou" in plan.message and "short 1" in plan.message
    assert "Beijing (1)" in plan.message
    assert plan.groups["members"].tolist() == [("Zhangjiakou",)]
    assert plan.groups["can_receive"].tolist() == [pytest.approx(0.0)]
    # the partial plan pays everything that can be paid
    assert edge_dict(plan) == {("Beijing", "Langfang"): 2.3, ("Beijing", "Baoding"): 2.3,
                               ("Tianjin", "Tangshan"): 2.0, ("Tianjin", "Cangzhou"): 2.0}


def test_infeasible_caps_group_shortfall_is_canonical():
    """Two receivers behind one capped link: A pays 5 via hub H (cap 3) to R1 and R2 (need
    2.5 each). The group {R1, R2} is short 2 in every maximum flow; how the 2 divide
    between them is a choice: the proportional one, 1 each (equal needs)."""
    links = pd.DataFrame({"payer": ["A", "H", "H"], "payee": ["H", "R1", "R2"],
                          "cap": [3.0, None, None]})
    plan = co.payment_plan({"A": -5.0, "H": 0.0, "R1": 2.5, "R2": 2.5}, links=links)
    assert not plan.success
    assert plan.deficit == pytest.approx(2.0)
    assert plan.groups["members"].tolist() == [("R1", "R2")]
    assert plan.groups["short"].tolist() == [pytest.approx(2.0)]
    assert plan.groups["can_receive"].tolist() == [pytest.approx(3.0)]
    assert plan.cut_off.to_dict() == {"R1": pytest.approx(1.0), "R2": pytest.approx(1.0)}
    assert plan.binding == ("A->H",)
    assert "R1, R2 (need 5, can receive at most 3: short 2)" in plan.message


def test_subsidy_that_cannot_reach_anyone():
    links = pd.DataFrame({"payer": ["higher level", "B"], "payee": ["A", "A"],
                          "cap": [1.0, None]})
    plan = co.payment_plan({"A": 3.0, "B": -1.0}, links=links)
    assert not plan.success
    assert plan.unpaid.to_dict() == {"higher level": pytest.approx(1.0)}
    assert plan.cut_off.to_dict() == {"A": pytest.approx(1.0)}


# ============================================================ the real rules
def _section_rule_plan(failed, deduction) -> co.PaymentPlan:
    rule = pd.read_csv(CHISHUI / "section_rule.csv", comment="#")
    rows = rule[rule["section"].isin(failed)]
    edges = rows.assign(amount=rows["share"] * rows["payer"].map(deduction))
    return fixed_plan(edges[["payer", "payee", "amount"]], unit="CNY 100M/yr",
                      jurisdictions=["Yunnan", "Guizhou", "Sichuan"])


def test_chishui_section_rule_file_matches_the_reference():
    rule = pd.read_csv(CHISHUI / "section_rule.csv", comment="#")
    assert rule.to_dict("records") == [
        {"section": "Qingshuipu", "payer": "Yunnan", "payee": "Guizhou", "share": 0.5},
        {"section": "Qingshuipu", "payer": "Yunnan", "payee": "Sichuan", "share": 0.5},
        {"section": "Lianyuxi", "payer": "Guizhou", "payee": "Sichuan", "share": 1.0}]
    assert rule.groupby(["section", "payer"])["share"].sum().eq(1.0).all()
    text = (CHISHUI / "SOURCES.md").read_text(encoding="utf-8")
    assert "section_rule.csv" in text and "illustrative" in text.lower()


@pytest.mark.parametrize("failed, same", [(["Qingshuipu"], True), (["Lianyuxi"], True),
                                          (["Qingshuipu", "Lianyuxi"], False)])
def test_chishui_section_rule_against_the_lp(failed, same):
    """Deductions (illustrative): each province's share of the 2亿 fund under the real
    3:4:3 allocation ratio: Yunnan 0.6, Guizhou 0.8. The LP plans the same net positions
    along the scenario's origin-pays links (origin -> exposed, the penalty direction)."""
    scenario = co.load_scenario(CHISHUI / "scenario.toml")
    alloc = scenario.sources["allocation_ratio"]
    fund = scenario.sources["fund_total"]
    deduction = {"Yunnan": fund * alloc[0] / sum(alloc), "Guizhou": fund * alloc[1] / sum(alloc)}
    rule_plan = _section_rule_plan(failed, deduction)
    lp_plan = co.payment_plan(rule_plan.transfers, scenario=scenario, rule="origin")
    assert lp_plan.success and lp_plan.unique is True
    np.testing.assert_allclose(lp_plan.totals["net"].drop("higher level"),
                               rule_plan.transfers, atol=1e-12)
    cmp = lp_plan.compare(rule_plan, names=("lp", "rule"))
    if same:
        assert np.abs(cmp["difference"]).max() < 1e-9
    else:
        # both sections fail: Yunnan -0.6, Guizhou +0.3 - 0.8 = -0.5, Sichuan +1.1. The rule
        # moves 1.4 over 3 links; the LP pays Sichuan directly: 1.1 over 2 links
        assert rule_plan.money_routed == pytest.approx(1.4) and rule_plan.n_links == 3
        assert edge_dict(lp_plan) == {("Yunnan", "Sichuan"): 0.6, ("Guizhou", "Sichuan"): 0.5}
        assert lp_plan.money_routed == pytest.approx(1.1)


def _pairing() -> pd.DataFrame:
    if not JJJ_PAIRING.is_file():
        pytest.skip("data/jingjinji/pairing_2015.csv not yet in the repository")
    return pd.read_csv(JJJ_PAIRING, comment="#")


def test_jingjinji_2015_pairing_as_a_link_table():
    """The "2+4" pairing of 2015 (Beijing -> Langfang, Baoding 2.3 each; Tianjin ->
    Tangshan, Cangzhou 2.0 each, CNY 100M): planning the net positions it implies along
    its own links gives back exactly the real payments, and uniquely (each Hebei city
    has one allowed payer)."""
    table = _pairing()
    real = fixed_plan(JJJ_PAIRING)
    assert real.transfers.to_dict() == pytest.approx(
        {"Beijing": -4.6, "Tianjin": -4.0, "Langfang": 2.3, "Baoding": 2.3, "Tangshan": 2.0,
         "Cangzhou": 2.0})
    plan = co.payment_plan(real.transfers, links=JJJ_PAIRING, unit=real.unit)
    assert plan.success and plan.unique is True
    assert np.abs(plan.compare(real)["difference"]).max() < 1e-12
    assert set(plan.edges["unit"]) == set(table["unit"])
    # a larger programme with the same pairing: Baoding needs 0.5 more, Tianjin pays it,
    # but Tianjin has no link to Baoding. Beijing's 4.6 cannot cover Langfang and Baoding
    # (5.1): the pair is short 0.5, rationed in proportion to need (2.3 : 2.8)
    t = real.transfers.copy()
    t["Baoding"] += 0.5
    t["Tianjin"] -= 0.5
    bad = co.payment_plan(t, links=JJJ_PAIRING)
    assert not bad.success and bad.deficit == pytest.approx(0.5)
    assert bad.groups.to_dict("records") == [{
        "members": ("Langfang", "Baoding"), "need": pytest.approx(5.1),
        "can_receive": pytest.approx(4.6), "short": pytest.approx(0.5)}]
    assert bad.cut_off.to_dict() == {"Langfang": pytest.approx(0.5 * 2.3 / 5.1),
                                     "Baoding": pytest.approx(0.5 * 2.8 / 5.1)}
    assert bad.unpaid.to_dict() == {"Tianjin": pytest.approx(0.5)}
    assert "Langfang, Baoding (need 5.1, can receive at most 4.6: short 0.5)" in bad.message


# ============================================================ bad input
@pytest.mark.parametrize("kwargs, field", [
    ({"links": pd.DataFrame({"payer": ["Down"], "payee": ["Atlantis"]})}, "links[0].payee"),
    ({"links": pd.DataFrame({"payer": ["Down"], "payee": ["Up"], "cap": [-1.0]})},
     "links[0].cap"),
    ({"links": pd.DataFrame({"payer": ["Down"], "payee": ["Up"], "cost": ["cheap"]})},
     "links[0].cost"),
    ({"links": pd.DataFrame({"payer": ["Down"], "payee": ["Up"], "cost": [-2.0]})},
     "links[0].cost"),
    ({"links": pd.DataFrame({"from": ["Down"], "payee": ["Up"]})}, "links.payer"),
    ({"links": pd.DataFrame({"payer": ["Down"], "payee": ["Down"]})}, "links[0]"),
    ({"links": pd.DataFrame({"payer": ["Down"], "payee": ["higher level"]})},
     "links[0].payee"),
    ({"links": "no/such/links.csv"}, "links"),
    ({"links": 42}, "links"),
    ({"subsidy": 2.0, "links": pd.DataFrame({"payer": ["Down"], "payee": ["Up"]})},
     "transfers"),
    ({}, "links"),                                              # no scenario, no table
    ({"scenario": chain(), "rule": "polluter"}, "rule"),
    ({"scenario": chain(), "max_per_link": -1.0}, "max_per_link"),
    ({"scenario": chain(), "higher_level": "Up"}, "higher_level"),
    ({"scenario": chain(), "unique": "maybe"}, "unique"),
])
def test_bad_input_names_the_field(kwargs, field):
    with pytest.raises(InputError) as info:
        co.payment_plan({"Up": 1.0, "Down": -1.0, "Mid": 0.0}, **kwargs)
    assert info.value.field == field


@pytest.mark.parametrize("transfers, field", [
    ({"Up": 1.0, "Down": -2.0}, "transfers"),                  # sums to -1: negative subsidy
    ({"Up": float("nan"), "Down": -1.0}, "transfers[Up]"),
    ({"Up": 1.0, "Atlantis": -1.0}, "transfers"),              # not in the scenario
    ("Up pays", "result_or_transfers"),
])
def test_bad_transfers(transfers, field):
    with pytest.raises(InputError) as info:
        co.payment_plan(transfers, scenario=chain())
    assert info.value.field == field


def test_failed_design_and_mismatched_subsidy_are_refused(build):
    s = build.up_down()
    res = co.design_compensation(s, constraints=["participation"], max_subsidy=0.0,
                                 outside_option=[0.0, 0.0])
    assert not res.success
    with pytest.raises(InputError, match="failed"):
        co.payment_plan(res, scenario=s)
    with pytest.raises(InputError, match="not to the subsidy"):
        co.payment_plan({"Up": 1.0, "Down": -1.0}, scenario=s, subsidy=0.5)


def test_fixed_plan_bad_input(tmp_path):
    with pytest.raises(InputError) as info:
        fixed_plan(pd.DataFrame({"payer": ["A"], "payee": ["B"]}))
    assert info.value.field == "edges.amount"
    with pytest.raises(InputError) as info:
        fixed_plan(pd.DataFrame({"payer": ["A"], "payee": ["B"], "amount": [-1.0]}))
    assert info.value.field == "edges[0].amount"
    path = tmp_path / "e.csv"
    path.write_text("payer,payee,amount,unit\nA,B,1,CNY\nB,C,1,USD\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        fixed_plan(path)
    assert info.value.field == "edges.unit"


# ============================================================ CLI
def test_cli_compensate_plan_writes_the_edge_table(capsys, tmp_path):
    from cooperation.cli import main

    target = tmp_path / "out" / "plan.csv"
    code = main(["compensate", str(CHISHUI / "scenario.toml"), "--plan", "--out", str(target)])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "Payment plan: optimal" in out and "Payments (payer -> payee)" in out
    edges = pd.read_csv(target)
    assert list(edges.columns) == ["payer", "payee", "amount", "unit"]
    assert (edges["amount"] > 0).all() and set(edges["unit"]) == {"CNY 100M/yr"}
    assert not list(target.parent.glob(".*.tmp"))
    # the edge table reproduces the design's net transfers (JSON run of the same command)
    js = tmp_path / "plan.json"
    assert main(["compensate", str(CHISHUI / "scenario.toml"), "--plan", "--out", str(js)]) == 0
    capsys.readouterr()
    import json

    data = json.loads(js.read_text(encoding="utf-8"))
    t = {r["jurisdiction"]: r["transfer"] for r in data["per_jurisdiction"]}
    net = dict.fromkeys(t, 0.0)
    for r in edges.itertuples():
        if r.payee in net:
            net[r.payee] += r.amount
        if r.payer in net:
            net[r.payer] -= r.amount
    assert max(abs(net[k] - t[k]) for k in t) < 1e-9
    assert data["payment_plan"]["success"] is True


def test_cli_plan_with_a_bad_link_table_exits_2(capsys, tmp_path):
    from cooperation.cli import main

    links = tmp_path / "links.csv"
    links.write_text("payer,payee\nSichuan,Atlantis\n", encoding="utf-8")
    code = main(["compensate", str(CHISHUI / "scenario.toml"), "--plan", "--links",
                 str(links)])
    out, err = capsys.readouterr()
    assert code == 2 and "Atlantis" in err and "links[0].payee" in err
    assert len(err.strip().splitlines()) == 1


def test_cli_infeasible_plan_exits_1(capsys, tmp_path):
    """Chishui's design needs a subsidy for all three provinces; a table that lets the
    higher level pay only Yunnan cuts Guizhou and Sichuan off."""
    from cooperation.cli import main

    links = tmp_path / "links.csv"
    links.write_text("payer,payee\nhigher level,Yunnan\nSichuan,Yunnan\n", encoding="utf-8")
    target = tmp_path / "partial.csv"
    code = main(["compensate", str(CHISHUI / "scenario.toml"), "--plan", "--links",
                 str(links), "--out", str(target)])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    assert "Payment plan: infeasible" in out and "cut off" in out
    assert "Guizhou" in out.split("Payment plan: infeasible")[1]
    edges = pd.read_csv(target)                    # the partial plan: what can be paid
    assert edges[["payer", "payee"]].values.tolist() == [["higher level", "Yunnan"]]


# ============================================================ figure and docs
def test_plot_draws_one_arrow_per_payment_and_marks_the_cut_off():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import cooperation.report  # noqa: F401  (registers the figure of PaymentPlan.plot)

    plan = co.payment_plan({"Up": 3.0, "Mid": -1.0, "Down": -2.0}, scenario=chain())
    fig, ax = plan.plot()
    assert len(ax.patches) == len(plan.edges) == 2
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("Up") for t in texts) and "CNY 100M" in ax.get_title()
    plt.close(fig)
    links = pd.DataFrame({"payer": ["Down"], "payee": ["Up"]})
    bad = co.payment_plan({"Up": 3.0, "Mid": 1.0, "Down": -4.0}, links=links)
    fig, ax = bad.plot(max_edges=1)
    assert any("short 1" in t.get_text() for t in ax.texts)
    assert "infeasible" in ax.get_title()
    plt.close(fig)
    with pytest.raises(InputError):
        bad.plot(max_edges=0)


def test_plot_without_the_report_layer_says_how_in_one_line(monkeypatch):
    """The result type never imports the plotting layer; the figure is registered by
    cooperation.report.payment_plan, and without it plot() says what to import."""
    plan = co.payment_plan({"Up": 3.0, "Down": -3.0},
                           links=pd.DataFrame({"payer": ["Down"], "payee": ["Up"]}))
    monkeypatch.setattr(co.PaymentPlan, "_plotter", None)
    with pytest.raises(InputError, match="import cooperation.report") as exc:
        plan.plot()
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("name", ["cooperation.compensation.plans.api",
                                  "cooperation.compensation.plans.links",
                                  "cooperation.compensation.plans.fixed",
                                  "cooperation.report.payment_plan"])
def test_examples(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
    doc = co.payment_plan.__doc__
    assert "Examples" in doc and "References" in doc
