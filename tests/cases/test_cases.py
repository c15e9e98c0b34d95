"""Every shipped case under data/: it loads, its real figures are cited, its model
parameters are marked, and a smoke analysis tells the story of the real scheme.

Equilibria and optima are checked against a brute-force enumeration of all
profiles through ``Scenario.payoffs`` (independent of the tensor and of
``co.analyze``); sourced totals against their parts; the fund against the
closed-form expected damage.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

import cooperation as co

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CASES = sorted(p.parent.name for p in DATA.glob("*/scenario.toml"))
NUMERIC_LINE = re.compile(
    r"^\s*(probability|damage|prevention|response|capacity|population|costs|spillover)"
    r"\s*=")


def load(case: str) -> co.Scenario:
    return co.load_scenario(DATA / case / "scenario.toml")


def sources_text(case: str) -> str:
    return (DATA / case / "SOURCES.md").read_text(encoding="utf-8")


def mentions_number(text: str, value: float) -> bool:
    """``value`` written as a number in ``text`` (``2.0`` matches ``2亿``, not ``2.3``)."""
    tokens = {f"{value:g}", f"{value}", f"{value:,g}"}
    if float(value).is_integer():
        tokens |= {f"{int(value)}", f"{int(value):,}"}
    return any(re.search(r"(?<![\d.,])" + re.escape(t) + r"(?![\d]|[.,]\d)", text)
               for t in tokens)


def brute_force(s: co.Scenario):
    """All profiles, payoffs, pure Nash equilibria and welfare optima by enumeration."""
    n, k = s.n_players, s.n_levels
    prof = np.array(list(itertools.product(range(k), repeat=n)), dtype=np.intp)
    U = s.payoffs(prof)
    index = {tuple(p): r for r, p in enumerate(prof)}
    ne = []
    for r, p in enumerate(prof):
        stable = True
        for i in range(n):
            for alt in range(k):
                q = list(p)
                q[i] = alt
                if U[index[tuple(q)], i] > U[r, i] + 1e-9:
                    stable = False
        if stable:
            ne.append(tuple(int(x) for x in p))
    W = U.sum(axis=1)
    opt = [tuple(int(x) for x in prof[r]) for r in np.flatnonzero(W >= W.max() - 1e-9)]
    return prof, U, W, index, ne, opt


def test_the_expected_cases_are_shipped():
    assert {"xinan", "chishui", "jingjinji", "baiyangdian", "riskpool"} <= set(CASES)


# ============================================================ every case
@pytest.mark.parametrize("case", CASES)
def test_case_loads_and_cites_its_real_figures(case):
    s = load(case)
    assert s.n_players >= 2 and len(s.hazards) >= 1 and s.unit
    text = sources_text(case)
    assert "illustrative" in text.lower()
    raw = tomllib.loads((DATA / case / "scenario.toml").read_text(encoding="utf-8"))
    checked = 0
    for key, value in raw.get("sources", {}).items():
        values = value if isinstance(value, list) else [value]
        nums = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if not nums:
            continue
        for v in nums:
            assert mentions_number(text, v), f"{case}: SOURCES.md does not give {key} = {v}"
            checked += 1
    assert checked >= 1, f"{case}: no real figure in [sources]"


@pytest.mark.parametrize("case", CASES)
def test_every_model_parameter_is_marked(case):
    """Each parameter line of the jurisdiction and hazard tables says 'illustrative' in
    its comment, or 'REAL' with the figure given in SOURCES.md."""
    text = sources_text(case)
    raw = tomllib.loads((DATA / case / "scenario.toml").read_text(encoding="utf-8"))
    if isinstance(raw.get("jurisdictions"), str) and isinstance(raw.get("hazards"), str):
        # parameters in CSV tables (no comments there): the whole case must be declared
        # illustrative, in its file header, its [sources] and its SOURCES.md
        header = (DATA / case / "scenario.toml").read_text(encoding="utf-8").split("\n", 1)[0]
        assert "ILLUSTRATIVE" in header and "ILLUSTRATIVE" in str(raw.get("sources", {}))
        assert "Everything in this folder is ILLUSTRATIVE" in text
        return
    section, checked = None, 0
    for line in (DATA / case / "scenario.toml").read_text(encoding="utf-8").splitlines():
        head = line.strip()
        if head.startswith("["):
            section = head
            continue
        if section in ("[[jurisdictions]]", "[[hazards]]") and NUMERIC_LINE.match(line):
            checked += 1
            if "REAL" in line:
                value = float(line.split("=", 1)[1].split("#", 1)[0])
                assert mentions_number(text, value), line
            else:
                assert "illustrative" in line, f"{case}: {line}"
    assert checked >= 3


SMALL = [c for c in CASES if load(c).n_players <= 6]


@pytest.mark.parametrize("case", SMALL)
def test_analysis_matches_enumeration(case):
    """co.analyze against a brute-force enumeration; going alone costs the region
    something (positive cooperation surplus) in every shipped case."""
    s = load(case)
    res = co.analyze(s.to_game())
    _, _, W, index, ne, opt = brute_force(s)
    assert sorted(res.equilibria.profiles) == sorted(ne)
    assert tuple(res.optimum.profile) in opt
    worst_ne = min(W[index[p]] for p in ne)
    assert res.cooperation_surplus == pytest.approx(W.max() - worst_ne, abs=1e-9)
    assert res.cooperation_surplus > 0
    assert res.price_of_anarchy > 1


# ============================================================ the stories
def _profile(s, actions: dict[str, str]) -> tuple[int, ...]:
    return tuple(s.action_names.index(actions[p]) for p in s.players)


def test_xinan_upstream_does_not_protect_alone():
    s = load("xinan")
    _, _, _, _, ne, opt = brute_force(s)
    assert ne == [_profile(s, {"Anhui": "self", "Zhejiang": "cooperate"})]
    assert opt == [_profile(s, {"Anhui": "cooperate", "Zhejiang": "cooperate"})]
    # the rounds' stakes as the agreement reads them from [sources]
    agr = co.two_way_agreement(s)
    stakes = agr.stakes["stake"].to_dict()
    assert stakes == {"stake_round1_2012_2014": 1.0, "stake_round2_2015_2017": 2.0,
                      "stake_round3_2018_2020": 2.0}
    for label, st in stakes.items():
        assert bool(agr.stakes.loc[label, "in_range"]) == agr.contains(st)


def test_chishui_contributions_and_core():
    s = load("chishui")
    src = s.sources
    assert sum([src["contribution_yunnan"], src["contribution_guizhou"],
                src["contribution_sichuan"]]) == pytest.approx(src["fund_total"])
    _, _, _, _, ne, opt = brute_force(s)
    assert opt == [(1, 1, 1)] and (1, 1, 1) not in ne


def test_jingjinji_story_and_pairing_table():
    s = load("jingjinji")
    assert s.players == ("Beijing", "Tianjin", "Langfang", "Baoding", "Tangshan", "Cangzhou")
    hebei = ["Langfang", "Baoding", "Tangshan", "Cangzhou"]
    _, _, _, _, ne, opt = brute_force(s)
    assert len(ne) == 1
    assert all(s.action_names[ne[0][s.index_of(c)]] == "self" for c in hebei)
    assert opt == [tuple([s.cooperative_level] * 6)]
    # regional transport: share of Beijing's expected loss (nobody cooperating) that
    # comes from other cities' sources; the shares were set to land inside the cited
    # 28-36% of Beijing's PM2.5
    p, D = s.hazard_state(np.zeros((1, 6), dtype=np.intp))
    S = s.spillover_matrix.toarray()
    bj = s.index_of("Beijing")
    loss = p[0] * D[0] * S[:, bj]
    own = [h.origins for h in s.hazards].index(("Beijing",))
    share = 1 - loss[own] / loss.sum()
    lo, hi = s.sources["transport_share_beijing_pm25"]
    assert (lo, hi) == (0.28, 0.36) and lo <= share <= hi
    assert f"{100 * share:.1f}%" in sources_text("jingjinji")
    # the pairing table: exactly these columns and rows, adding up to the cited totals
    with (DATA / "jingjinji" / "pairing_2015.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["payer", "payee", "amount", "unit"]
    table = {(r[0], r[1]): float(r[2]) for r in rows[1:]}
    assert table == {("Beijing", "Langfang"): 2.3, ("Beijing", "Baoding"): 2.3,
                     ("Tianjin", "Tangshan"): 2.0, ("Tianjin", "Cangzhou"): 2.0}
    assert {r[3] for r in rows[1:]} == {"CNY 100M"}
    src = s.sources
    assert table[("Beijing", "Langfang")] == src["beijing_to_langfang_2015"]
    assert math.fsum(v for (a, _), v in table.items() if a == "Beijing") == pytest.approx(
        src["beijing_total_2015"])
    assert math.fsum(v for (a, _), v in table.items() if a == "Tianjin") == pytest.approx(
        src["tianjin_total_2015"])
    assert math.fsum(table.values()) == pytest.approx(src["total_2015"])
    # beneficiary pays: in the least-subsidy plan the money flows from the two
    # municipalities to the four abating cities, as in the real scheme
    res = co.design_compensation(s)
    assert res.success
    assert (res.transfers[["Beijing", "Tianjin"]] < 0).all()
    assert (res.transfers[hebei] > 0).all()
    assert res.transfers.sum() == pytest.approx(res.subsidy, abs=1e-9)


def test_baiyangdian_loss_and_story():
    s = load("baiyangdian")
    src = s.sources
    assert src["loss_total"] == 23.8592
    assert src["loss_aquaculture"] + src["loss_natural_fishery"] == pytest.approx(
        23.8592, abs=1e-12)
    assert s.damages[0] == pytest.approx(9.0758 + 14.7834, abs=1e-12)
    assert s.damages[0] == src["loss_total"]
    assert s.players == ("Baoding", "Cangzhou") and s.unit == "CNY 1M"
    text = sources_text("baiyangdian")
    for cited in ("2385.92万元", "907.58万元", "1478.34万元", "GSB2017018", "Huang Wei"):
        assert cited in text, cited
    # expected loss without cooperation by hand: p * D
    U = s.payoffs([[0, 0]])[0]
    assert -U.sum() == pytest.approx(0.15 * 23.8592, abs=1e-12)
    _, _, _, _, ne, opt = brute_force(s)
    assert ne == [_profile(s, {"Baoding": "cooperate", "Cangzhou": "self"})]
    assert opt == [(1, 1)]
    # the main beneficiary compensates the smaller partner (Shapley, 2 players)
    v = co.characteristic_function(s.to_game())
    sh = co.shapley(v)
    payoff_opt = s.payoffs([[1, 1]])[0]
    transfer = sh.to_numpy() - payoff_opt
    assert transfer[0] < 0 < transfer[1]
    assert transfer.sum() == pytest.approx(0.0, abs=1e-12)


def test_riskpool_thresholds_and_fund():
    s = load("riskpool")
    src = s.sources
    gni = np.asarray(s.capacity, float)
    threshold = np.minimum(src["eusf_threshold_gni_share"] * gni, src["eusf_threshold_eur_m"])
    np.testing.assert_allclose(threshold, [2400, 360, 3000, 900, 150])
    S = s.spillover_matrix.toarray()
    for h, hz in enumerate(s.hazards):
        hit = np.flatnonzero(S[h] > 0)
        assert (hz.damage * S[h, hit] > threshold[hit]).all(), hz.name
    _, _, _, _, ne, opt = brute_force(s)
    river = [s.index_of("Danubia"), s.index_of("Estmark")]
    assert [ne[0][i] for i in river] == [0, 0] and [opt[0][i] for i in river] == [1, 1]
    years = 4000
    fund = co.design_fund(s, confidence=0.95, years=years, seed=0)
    assert fund.success
    assert (fund.net_benefit >= -1e-9).all()
    assert fund.resources >= fund.cvar - 1e-6
    assert fund.contributions.sum() + fund.cofunding >= fund.expected_payout.sum() - 1e-6
    # the simulated mean damage against the closed form sum_h p_h(a) D_h(a) s[h, i]
    a = np.full((1, s.n_players), s.cooperative_level, dtype=np.intp)
    p, D = s.hazard_state(a)
    mean = (p[0] * D[0]) @ S
    sd = np.sqrt((p[0] * (1 - p[0]) * D[0] ** 2) @ S ** 2 / years)
    assert (np.abs(fund.expected_damage.to_numpy() - mean) <= 5 * sd + 1e-12).all()
