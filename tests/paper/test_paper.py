"""The paper's build: reproducible tables, every figure produced, numbers equal to
direct library calls, and the text quoting the committed tables."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cooperation as co

ROOT = Path(__file__).resolve().parents[2]
PAPER = ROOT / "paper"
FIGURES = {"going_alone", "fair_shares", "compensation_jingjinji", "xinan_bargaining",
           "riskpool_fund", "monitoring", "phase_diagram"}
TABLES = {"going_alone", "fair_shares", "compensation_summary", "compensation_transfers",
          "compensation_payments",
          "xinan_stakes", "xinan_range", "xinan_stake_grid", "riskpool_fund_summary",
          "riskpool_fund_members", "monitoring", "audit_sweep"}


def run_quick(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "paper", "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    a, b = tmp_path_factory.mktemp("build_a"), tmp_path_factory.mktemp("build_b")
    for out in (a, b):
        proc = run_quick(out)
        assert proc.returncode == 0, proc.stderr[-2000:]
    return a, b


def table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / "tables" / f"{name}.csv")


def test_two_quick_builds_give_identical_tables(two_builds):
    a, b = two_builds
    files_a = sorted(p.name for p in (a / "tables").iterdir())
    assert files_a == sorted(p.name for p in (b / "tables").iterdir())
    assert {f"{t}.csv" for t in TABLES} | {f"{t}.md" for t in TABLES} | {"results.md"} \
        == set(files_a)
    for name in files_a:
        assert (a / "tables" / name).read_bytes() == (b / "tables" / name).read_bytes(), name


def test_every_figure_is_produced(two_builds):
    for out in two_builds:
        got = {p.stem for p in (out / "figures").glob("*.png")}
        assert got == FIGURES
        for p in (out / "figures").glob("*.png"):
            data = p.read_bytes()
            assert len(data) > 10_000 and data[:8] == b"\x89PNG\r\n\x1a\n", p.name


def test_quick_build_does_not_touch_the_paper(two_builds):
    """Building elsewhere leaves paper.md's results section to the full build."""
    text = (PAPER / "paper.md").read_text(encoding="utf-8")
    section = text.split("<!-- results:begin -->", 1)[1].split("<!-- results:end -->", 1)[0]
    assert section.strip() == (PAPER / "tables" / "results.md").read_text(
        encoding="utf-8").strip()


# ------------------------------------------------------- numbers vs direct calls
def test_going_alone_matches_analyze(two_builds):
    t = table(two_builds[0], "going_alone").set_index("case")
    for case in ("chishui", "jingjinji"):
        a = co.analyze(co.load_scenario(ROOT / "data" / case / "scenario.toml").to_game())
        assert t.loc[case, "cooperation_surplus"] == pytest.approx(a.cooperation_surplus,
                                                                   abs=1e-6)
        assert t.loc[case, "price_of_anarchy"] == pytest.approx(a.price_of_anarchy, abs=1e-6)


def test_chishui_fair_shares_match_shapley_and_hand_computed_fund():
    from paper.analyses import OUTSIDERS, fair_shares

    s = co.load_scenario(ROOT / "data" / "chishui" / "scenario.toml")
    t = fair_shares()
    ch = t[t["case"] == "chishui"]
    v = co.characteristic_function(s.to_game(), outsiders=OUTSIDERS)
    sh = co.shapley(v)
    got = ch[ch["allocation"] == "Shapley value"].set_index("jurisdiction")["payoff"]
    np.testing.assert_allclose(got[sh.index].to_numpy(), sh.to_numpy(), atol=1e-9)
    # the real fund: 2亿 paid in at 1:5:4 (0.2 / 1.0 / 0.8), paid out at 3:4:3
    # (0.6 / 0.8 / 0.6): net transfers +0.4, -0.2, -0.2 by hand
    fund = ch[ch["allocation"] == "real fund 1:5:4 in, 3:4:3 out"].set_index("jurisdiction")
    np.testing.assert_allclose(fund.loc[["Yunnan", "Guizhou", "Sichuan"], "transfer"],
                               [0.4, -0.2, -0.2], atol=1e-12)
    x = fund.loc[list(s.players), "payoff"].to_numpy()
    assert bool(fund["in_core"].iloc[0]) == co.in_core(v, x)


def test_compensation_and_bargaining_match_direct_calls(two_builds):
    c = table(two_builds[0], "compensation_summary")
    s = co.load_scenario(ROOT / "data" / "jingjinji" / "scenario.toml")
    r = co.design_compensation(s)
    row = c[(c["case"] == "jingjinji") & (c["design"] == "self-enforcing")].iloc[0]
    assert row["subsidy"] == pytest.approx(r.subsidy, abs=1e-6)
    x = co.load_scenario(ROOT / "data" / "xinan" / "scenario.toml")
    agr = co.two_way_agreement(x)
    rg = table(two_builds[0], "xinan_range").iloc[0]
    assert (rg["lower"], rg["upper"]) == (pytest.approx(agr.lower, abs=1e-6),
                                          pytest.approx(agr.upper, abs=1e-6))


def test_fund_matches_direct_call(two_builds):
    from paper.analyses import QUICK, SEED

    s = co.load_scenario(ROOT / "data" / "riskpool" / "scenario.toml")
    f = co.design_fund(s, confidence=0.95, years=QUICK.fund_years, seed=SEED, key="benefit")
    row = table(two_builds[0], "riskpool_fund_summary").set_index("key").loc["benefit"]
    assert row["members_pay"] == pytest.approx(f.total_contributions, abs=1e-6)
    assert row["cofunding"] == pytest.approx(f.cofunding, abs=1e-6)


# ------------------------------------------------------- the text quotes the tables
#: numbers in the results template that are settings, not results
SETTINGS = {"0.02", "0.9"}


def test_every_number_in_the_results_section_is_in_the_tables():
    from paper.results import num

    text = (PAPER / "paper.md").read_text(encoding="utf-8")
    section = text.split("<!-- results:begin -->", 1)[1].split("<!-- results:end -->", 1)[0]
    quoted = set(re.findall(r"(?<![\w.:])-?\d+\.\d+(?![\d:])", section))
    assert len(quoted) >= 30
    values = set()
    for p in (PAPER / "tables").glob("*.csv"):
        df = pd.read_csv(p)
        for col in df.select_dtypes("number"):
            # the text says "pays 0.742" for a transfer of -0.742
            values |= {num(v) for v in df[col].dropna()} | {num(abs(v)) for v in
                                                             df[col].dropna()}
    missing = sorted(q for q in quoted - SETTINGS if q not in values)
    assert not missing, missing
