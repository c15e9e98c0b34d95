"""co.brief: its numbers are the library's, its page is self-contained and keeps every
statement while the detail tables go to the annex, its workbook opens, its words are the
field's in Chinese, it says why the fund is not assessed, and it does not depend on the
money unit. (That the page prints on one A4 page is checked in a browser: test_browser.)"""

from __future__ import annotations

import base64
import dataclasses
import math
import time
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cooperation as co
from cooperation.errors import InputError

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
XINAN = ROOT / "data" / "xinan" / "scenario.toml"
RISKPOOL = ROOT / "data" / "riskpool" / "scenario.toml"
#: smaller simulations where a test checks layout, not numbers
SMALL = co.report.BriefSizes(mode_runs=40, mode_rounds=10)


@pytest.fixture(scope="module")
def xinan_en():
    t0 = time.perf_counter()
    b = co.brief(XINAN)
    return b, time.perf_counter() - t0


@pytest.fixture(scope="module")
def riskpool_zh():
    return co.brief(RISKPOOL, lang="zh", sensitivity=False)


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.imgs, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for key in ("src", "href", "data", "poster", "action"):
            if key in a:
                self.refs.append((tag, key, a[key]))
        if tag == "img":
            self.imgs.append(a.get("src", ""))


def page_refs(html: str) -> _Refs:
    p = _Refs()
    p.feed(html)
    return p


def test_brief_of_xinan_is_fast_and_quotes_the_library(xinan_en):
    b, seconds = xinan_en
    assert seconds < 15, seconds
    s = co.load_scenario(XINAN)
    a = co.analyze(s.to_game())
    comp = co.design_compensation(s)
    assert b.facts["cost_alone"] == pytest.approx(a.cooperation_surplus, rel=1e-12)
    assert b.facts["least_subsidy"] == pytest.approx(comp.subsidy, rel=1e-12)
    rules = co.compare_rules(s)
    core = rules["in_core"].groupby(level="rule").first()
    assert set(b.facts["rules_in_core"]) == {
        r for r, v in core.items() if v is not None and bool(v)
    }
    assert math.isnan(b.facts["fund_members"])  # no capacities: not assessed
    fund = next(x for x in b.sections if x.key == "fund")
    assert fund.sentences[0].startswith("Not assessed")
    keys = [x.key for x in b.sections]
    assert keys == [
        "alone",
        "shares",
        "compensation",
        "fund",
        "holding",
        "sensitivity",
        "assumptions",
    ]


def test_every_number_has_its_unit_and_illustrative_parameters_are_marked(xinan_en):
    b, _ = xinan_en
    unit = "CNY 100M/yr"
    alone, comp = b.sections[0], b.sections[2]
    assert f"{b.facts['cost_alone']:.3g} {unit}" in " ".join(alone.sentences)
    assert f"{b.facts['least_subsidy']:.3g} {unit}" in " ".join(comp.sentences)
    assert any("Illustrative parameters" in n and "probability" in n for n in b.notes)
    for s in b.sections[:3] + b.sections[4:6]:
        assert "illustrative" in s.rests_on, s.key
    for name, df in b.tables.items():
        money = [c for c in df.columns if "[" in c]
        if name not in ("sensitivity", "assumptions"):
            assert money, name
        assert all(c.endswith(f"[{unit}]") for c in money), (name, money)


def test_page_is_self_contained_and_every_image_decodes(xinan_en):
    b, _ = xinan_en
    html = b.to_html()
    refs = page_refs(html)
    assert refs.imgs, "the brief has figures"
    for tag, key, value in refs.refs:
        assert value.startswith("data:") or value.startswith("#"), (tag, key, value[:60])
    for src in refs.imgs:
        head, data = src.split(",", 1)
        assert head == "data:image/png;base64"
        png = base64.b64decode(data, validate=True)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    assert "script" not in refs.tags and "link" not in refs.tags
    assert "@page { size: A4" in html and '<html lang="en">' in html
    frag = b._repr_html_()
    assert frag.startswith("<style>") and "<html" not in frag and "coop-brief" in frag


def test_text_is_escaped():
    s = co.load_scenario(XINAN)
    evil = co.Scenario(
        s.jurisdictions,
        s.hazards,
        s.actions,
        unit=s.unit,
        name="<script>alert(1)</script>",
        sources=s.sources,
    )
    html = co.brief(evil, sensitivity=False, sizes=SMALL).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_chinese_brief_uses_the_fields_terms(riskpool_zh):
    b = riskpool_zh
    text = b.to_html()
    for term in (
        "属地管理",
        "纳什均衡",
        "社会最优",
        "沙普利值",
        "核仁",
        "核心",
        "转移支付",
        "发生地为主、波及地为辅",
        "应急基金",
        "生态补偿",
    ):
        assert term in text, term
    assert '<html lang="zh-CN">' in text
    assert "百万欧元" in text  # the unit in Chinese


def test_fund_is_the_design_fund_answer(riskpool_zh):
    b = riskpool_zh
    f = co.design_fund(
        co.load_scenario(RISKPOOL), confidence=0.95, years=co.report.BriefSizes().fund_years, seed=0
    )
    assert b.facts["fund_members"] == pytest.approx(f.total_contributions, rel=1e-12)
    assert b.facts["fund_cofunding"] == pytest.approx(f.cofunding, rel=1e-12)
    assert b.facts["fund_ratio"] == pytest.approx(f.cofunding / f.total_contributions)
    assert b.facts["fund_shortfall"] == f.out_of_sample["shortfall_probability"]


def test_same_seed_same_brief():
    a = co.brief(XINAN, sensitivity=False, seed=3, sizes=SMALL)
    b = co.brief(XINAN, sensitivity=False, seed=3, sizes=SMALL)
    assert a.facts == b.facts
    assert [s.sentences for s in a.sections] == [s.sentences for s in b.sections]


def _scaled(s, k):
    juris = [
        dataclasses.replace(
            j, costs={a: float(c) * k for a, c in zip(s.action_names, s.costs[i], strict=True)}
        )
        for i, j in enumerate(s.jurisdictions)
    ]
    hz = [dataclasses.replace(h, damage=h.damage * k) for h in s.hazards]
    return co.Scenario(juris, hz, s.actions, unit=s.unit, name=s.name, sources=s.sources)


def test_answers_do_not_depend_on_the_money_unit(xinan_en):
    k = 1e4
    s = co.load_scenario(XINAN)
    a = xinan_en[0].facts
    b = co.brief(_scaled(s, k), sensitivity=False).facts
    for key in ("cost_alone", "least_subsidy"):
        assert b[key] == pytest.approx(k * a[key], rel=1e-9), key
    for key in ("cooperation_hierarchy", "cooperation_peer", "price_of_anarchy"):
        assert b[key] == pytest.approx(a[key], rel=1e-9), key
    assert a["rules_in_core"] == b["rules_in_core"]


def test_save_html_xlsx_csv(tmp_path, xinan_en):
    import openpyxl

    b, _ = xinan_en
    page = b.save(tmp_path / "b.html")
    assert page.read_text(encoding="utf-8") == b.to_html()
    book = openpyxl.load_workbook(b.save(tmp_path / "b.xlsx"))
    assert book.sheetnames == list(b.tables)
    ws = book["compensation"]
    first = [c.value for c in ws[1]]
    assert first == list(b.tables["compensation"].columns)
    got = [r[1].value for r in ws.iter_rows(min_row=2)]
    assert got == pytest.approx(b.tables["compensation"].iloc[:, 1].tolist())
    folder = b.save(tmp_path / "t.csv", bom=True)
    raw = (folder / "payments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(folder / "payments.csv", encoding="utf-8-sig")
    assert list(back.columns) == list(b.tables["payments"].columns)
    plain = b.save(tmp_path / "p.csv")
    assert not (plain / "payments.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(InputError, match="path"):
        b.save(tmp_path / "b.pdf")
    assert not (tmp_path / "b.pdf").exists()


def test_workbook_cells_cannot_run_as_formulas(tmp_path):
    import openpyxl

    s = co.load_scenario(XINAN)
    names = {"Anhui": "=HYPERLINK(1)", "Zhejiang": "@Zhe"}
    juris = [dataclasses.replace(j, name=names[j.name]) for j in s.jurisdictions]

    def rename(x):
        return {names[k]: v for k, v in x.items()} if isinstance(x, dict) else x

    hz = [
        dataclasses.replace(
            h,
            origins=[names[o] for o in h.origins],
            spillover=rename(h.spillover),
            prevention=rename(h.prevention),
        )
        for h in s.hazards
    ]
    b = co.brief(co.Scenario(juris, hz, s.actions, unit=s.unit), sensitivity=False, sizes=SMALL)
    ws = openpyxl.load_workbook(b.save(tmp_path / "x.xlsx"))["compensation"]
    cells = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert cells == ["'=HYPERLINK(1)", "'@Zhe"]
    assert all(ws.cell(r, 2).data_type == "n" for r in range(2, ws.max_row + 1))


def test_bad_input_names_the_field():
    with pytest.raises(InputError, match="lang"):
        co.brief(XINAN, lang="fr")
    with pytest.raises(InputError, match="fund"):
        co.brief(XINAN, fund="maybe")
    with pytest.raises(InputError, match="scenario"):
        co.brief(42)


def test_fund_true_assesses_without_capacities():
    b = co.brief(XINAN, fund=True, sensitivity=False, sizes=SMALL)
    assert b.facts["fund_members"] > 0 and np.isfinite(b.facts["fund_cofunding"])


# ---------------------------------------------------------------- the fund's rule
def _without_capacity(path, names):
    s = co.load_scenario(path)
    juris = [
        dataclasses.replace(j, capacity=math.nan) if j.name in names else j for j in s.jurisdictions
    ]
    return co.Scenario(juris, s.hazards, s.actions, unit=s.unit, name=s.name, sources=s.sources)


def _fund_text(b) -> str:
    return " ".join(next(s for s in b.sections if s.key == "fund").sentences)


def test_fund_not_assessed_says_the_rule_who_lacks_a_capacity_and_how(xinan_en):
    """The fund is assessed only when every member states a fiscal capacity; the page says
    so, names who lacks one, and how to assess it (capacities, or --fund / fund=True)."""
    from markupsafe import escape

    b = xinan_en[0]
    text = _fund_text(b)
    assert "only when every member states its fiscal capacity" in text
    assert "Anhui, Zhejiang" in text
    assert "capacity in the scenario" in text and "--fund" in text and "fund=True" in text
    assert str(escape(text)) in b.to_html(annex=False)  # on the page itself

    zh = co.brief(
        _without_capacity(RISKPOOL, {"Baltora"}), lang="zh", sensitivity=False, sizes=SMALL
    )
    assert math.isnan(zh.facts["fund_members"])
    text = _fund_text(zh)
    assert text.startswith("未评估") and "财政能力" in text and "--fund" in text
    assert "Baltora" in text
    assert not any(p in text for p in ("Alpland", "Coastia", "Danubia", "Estmark"))

    off = co.brief(RISKPOOL, fund=False, sensitivity=False, sizes=SMALL)
    assert math.isnan(off.facts["fund_members"])
    assert "on request" in _fund_text(off) and "--no-fund" in _fund_text(off)


# ---------------------------------------------------------------- one page and an annex
def test_page_keeps_every_statement_and_the_annex_holds_the_tables(xinan_en):
    from markupsafe import escape

    from cooperation.report.brief_html import CSS
    from cooperation.report.i18n import tr

    b = xinan_en[0]
    full, main = b.to_html(), b.to_html(annex=False)
    head = tr("h.annex", "en")
    assert "not part of the one-page brief" in head
    assert head in full and head not in main and 'class="annex"' not in main
    page, annex = full.split('<div class="annex"', 1)
    assert page == main.split("</body>", 1)[0][: len(page)]  # the same page, annex or not
    assert "<table" not in page  # detail tables only in the annex
    assert annex.count("<table") == sum(s.table is not None for s in b.sections) >= 6
    for s in b.sections:  # every statement, with its unit and what it rests on
        for t in s.sentences:
            assert str(escape(t)) in page, t
        if s.rests_on:
            assert str(escape(s.rests_on)) in page, s.key
        if s.table is not None:
            assert str(escape(s.heading)) in annex, s.key
    assert page.count("<img") == sum(bool(s.figure) for s in b.sections) == 4  # no fund
    printed = CSS.split("@media print", 1)[1]
    assert ".annex" in printed and "break-before: page" in printed
    assert "@page { size: A4; margin: 12mm; }" in CSS and "column-count: 2" in CSS


def _png_inches(png: bytes) -> tuple[float, float]:
    """Width and height of a PNG in inches, from its IHDR and pHYs chunks."""
    import struct

    w, h = struct.unpack(">II", png[16:24])
    k = png.index(b"pHYs")
    ppm_x, ppm_y, unit = struct.unpack(">IIB", png[k + 4 : k + 13])
    assert unit == 1  # pixels per metre
    return w / (ppm_x * 0.0254), h / (ppm_y * 0.0254)


@pytest.mark.parametrize("which", ["xinan_en", "riskpool_zh"])
def test_figures_are_one_column_wide(which, request):
    """A figure wider than the page's column would be scaled down, and its type with it:
    every figure is FIG_WIDTH wide (tight bounding box: a little less), none taller than
    a third of the column."""
    from cooperation.report._brief_text import FIG_WIDTH

    b = request.getfixturevalue(which)
    b = b[0] if isinstance(b, tuple) else b
    figures = [s.figure for s in b.sections if s.figure]
    assert len(figures) >= 4
    for png in figures:
        w, h = _png_inches(png)
        assert FIG_WIDTH - 0.25 <= w <= FIG_WIDTH + 0.02, w
        assert h <= 2.5, h


_TEXT = st.text(
    st.sampled_from(list("abcdefgh-()：，") + [" ", " ", "合", "作", "补", "助"]), max_size=120
)


@given(_TEXT, st.integers(4, 80))
def test_title_wrap_keeps_every_character_within_the_width(text, width):
    """Lines are at most ``width`` wide (a Chinese character counts two) unless a line is a
    single Latin word longer than that; no character is lost, no Latin word is cut."""
    import re

    from cooperation.report._brief_text import _wrap

    out = _wrap(text, width)
    assert re.sub(r"\s", "", out) == re.sub(r"\s", "", text)
    for line in out.split("\n"):
        size = sum(2 if ord(c) > 0x2E80 else 1 for c in line)
        assert size <= width or " " not in line and not any(ord(c) > 0x2E80 for c in line)
    words = re.findall(r"[^\s\u2e80-\U0010ffff]+", text)
    assert re.findall(r"[^\s\u2e80-\U0010ffff]+", out) == words
