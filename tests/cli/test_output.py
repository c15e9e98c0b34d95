"""What analyze and compensate show and write: tables within 100 columns, every NaN or
blank explained, money rounded on screen and exact in JSON, no float noise in CSV,
formula-like names neutralised in CSV, control characters escaped on the terminal,
non-finite numbers spelled out in JSON."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation._io import FORMULA_PREFIXES, NON_FINITE, atomic_write_csv, to_jsonable
from cooperation._result import display_number, escape_controls

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
HOSTILE = Path(__file__).resolve().parent / "data" / "hostile_names.toml"
SHIPPED = sorted(p for p in DATA.glob("*/scenario.toml") if p.parent.name != "county")
NOISE = re.compile(r"\d\.\d{7,}|\d{8,}\.\d")  # more digits than any display shows


@pytest.mark.parametrize("command", ["analyze", "compensate"])
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_screen_fits_100_columns_and_explains_its_blanks(cli, command, path):
    r = cli(command, path)
    assert r.code in (0, 1), r.err
    assert r.width <= 100, max(r.out.splitlines(), key=len)
    assert "NaN" not in r.out and "nan" not in r.out.split()
    assert not NOISE.search(r.out), NOISE.search(r.out).group()
    # every n/a on screen comes with a word on why
    if " n/a" in r.out:
        assert "'n/a'" in r.out or "not available" in r.out or "not applicable" in r.out


def test_the_ability_rule_says_why_it_is_missing(cli):
    r = cli("analyze", DATA / "xinan" / "scenario.toml")
    assert "ability: not available: ability-to-pay needs every jurisdiction's fiscal" in " ".join(
        r.out.split()
    )
    rules = r.out.split("Responsibility rules")[1]
    assert not re.search(r"^ability\s", rules, re.M)  # no row of blanks


def test_all_subsidy_is_not_reported_as_money_between_jurisdictions(cli):
    """Xin'an: both provinces receive, nobody pays; 0.94 is subsidy, not money moved."""
    r = cli("compensate", DATA / "xinan" / "scenario.toml")
    res = co.design_compensation(co.load_scenario(DATA / "xinan" / "scenario.toml"))
    assert res.paid == 0 and res.received == pytest.approx(res.subsidy)
    assert (
        "paid from jurisdiction to jurisdiction: 0 CNY 100M/yr (every transfer received "
        "is subsidy)" in " ".join(r.out.split())
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_binding_is_consistent_with_the_shadow_prices(path):
    """Complementary slackness: every non-zero shadow price sits on a binding row; the
    per-jurisdiction 'priced' families are a subset of its 'binding' ones."""
    res = co.design_compensation(co.load_scenario(path))
    assert res.success
    bt = res.binding_table()
    nonzero = {k for k, v in res.duals.drop("budget", errors="ignore").items() if v != 0}
    assert nonzero <= set(bt["constraint"]) and nonzero == set(bt.loc[bt.priced, "constraint"])
    assert nonzero <= set(res.binding)  # binding within tol already: no disagreement
    frame = res.to_frame()
    for b, p in zip(frame["binding"], frame["priced"], strict=True):
        assert {x for x in p.split(", ") if x} <= {x for x in b.split(", ") if x}


def test_json_keeps_full_precision_and_spells_out_no_cap(cli, tmp_path):
    out = tmp_path / "c.json"
    assert cli("compensate", DATA / "xinan" / "scenario.toml", "--out", out).code == 0
    text = out.read_text(encoding="utf-8")

    def strict(token):
        raise AssertionError(f"bare {token} in JSON")

    data = json.loads(text, parse_constant=strict)
    caps = [row["cap"] for row in data["per_jurisdiction"]]
    assert caps == ["Infinity", "Infinity"]  # no cap in the file
    assert data["non_finite_values"] == {"Infinity": NON_FINITE["Infinity"]}
    res = co.design_compensation(co.load_scenario(DATA / "xinan" / "scenario.toml"))
    assert [r["transfer"] for r in data["per_jurisdiction"]] == res.transfers.tolist()


def test_no_cap_and_unknown_differ_in_json():
    plain = to_jsonable(
        {"cap": math.inf, "ratio": math.nan, "given": None, "arr": np.array([1.0, -np.inf])}
    )
    assert plain == {"cap": "Infinity", "ratio": "NaN", "given": None, "arr": [1.0, "-Infinity"]}
    assert float(plain["cap"]) == math.inf and math.isnan(float(plain["ratio"]))


def test_csv_has_no_float_noise(cli, tmp_path):
    out = tmp_path / "t.csv"
    assert cli("compensate", DATA / "jingjinji" / "scenario.toml", "--out", out).code == 0
    text = out.read_text(encoding="utf-8")
    assert "99999" not in text and "00000000" not in text
    df = pd.read_csv(out, index_col=0)
    res = co.design_compensation(co.load_scenario(DATA / "jingjinji" / "scenario.toml"))
    np.testing.assert_allclose(df["transfer"], res.transfers, rtol=1e-11, atol=0)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
        min_size=1,
        max_size=8,
    )
)
def test_csv_floats_are_12_significant_digits(tmp_path_factory, xs):
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    atomic_write_csv(path, pd.DataFrame({"x": xs}), index=False)
    back = pd.read_csv(path)["x"].to_numpy()
    for cell in path.read_text().splitlines()[1:]:
        mantissa = cell.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
        assert len(mantissa) <= 12, cell
    np.testing.assert_allclose(back, xs, rtol=5e-12, atol=0)


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_csv_text_cells_never_start_a_formula(tmp_path_factory, name):
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    df = pd.DataFrame({name: [name, "Anhui"], "v": [1.0, 2.0]}, index=[name, "Zhejiang"])
    atomic_write_csv(path, df)
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert cells and not any(c.startswith(FORMULA_PREFIXES) for c in cells)
    assert ("'" + name if name.startswith(FORMULA_PREFIXES) else name) in cells


def test_hostile_names_in_csv_and_on_the_terminal(cli, tmp_path):
    table, plan = tmp_path / "t.csv", tmp_path / "p.csv"
    r = cli("compensate", HOSTILE, "--out", table)
    assert r.code == 0, r.err
    assert "\x1b" not in r.out and "Hostile \\x1b[31mnames" in r.out
    df = pd.read_csv(table, index_col=0)
    assert list(df.index) == ['\'=HYPERLINK("http://x")', "'-Zhejiang"]
    assert cli("compensate", HOSTILE, "--plan", "--out", plan).code == 0
    edges = pd.read_csv(plan)
    assert set(edges["payee"]) == {'\'=HYPERLINK("http://x")', "'-Zhejiang"}
    # numbers stay numbers: a negative transfer is not text
    assert pd.api.types.is_float_dtype(df["transfer"])


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Anhui\x1b[31m", "Anhui\\x1b[31m"),
        ("two\nlines", "two\\nlines"),
        ("\u202eevil", "\\u202eevil"),
        ("新安江 Xin'an", "新安江 Xin'an"),
        ("tab\there", "tab\\there"),
    ],
)
def test_escape_controls(text, shown):
    assert escape_controls(text) == shown


@pytest.mark.parametrize(
    "x, shown",
    [
        (0.8999999999999999, "0.9"),
        (1.3567999999999998, "1.357"),
        (-0.0, "0"),
        (1e-20, "1.000e-20"),
        (math.inf, "inf"),
        (math.nan, "n/a"),
        (None, "n/a"),
        (940000000.0000001, "940000000"),
    ],
)
def test_display_number(x, shown):
    assert display_number(x) == shown


@settings(max_examples=100, deadline=None)
@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14),
    st.sampled_from([1e-6, 1e-3, 1.0, 1e4, 1e8]),
)
def test_display_number_keeps_four_significant_digits_in_every_unit(x, unit):
    """The shown number, read back, is within half a unit of the 4th significant digit."""
    y = x * unit
    if y == 0 or not 1e-4 <= abs(y) < 1e15:
        return
    back = float(display_number(y))
    assert abs(back - y) <= 0.5 * 10 ** (math.floor(math.log10(abs(y))) - 3) * (1 + 1e-9)


def test_analyze_files(cli, tmp_path):
    """JSON: strict, rule flags that do not apply are null (not NaN); CSV: the
    per-jurisdiction table with the Shapley value and nucleolus beside it."""
    path = DATA / "chishui" / "scenario.toml"
    js, table = tmp_path / "a.json", tmp_path / "a.csv"
    assert cli("analyze", path, "--out", js).code == 0
    data = json.loads(js.read_text(encoding="utf-8"), parse_constant=lambda t: 1 / 0)
    certified = {r["rule"]: r["certified"] for r in data["responsibility_rules"]}
    assert certified["origin"] is None and certified["nucleolus"] is True
    assert cli("analyze", path, "--out", table).code == 0
    df = pd.read_csv(table, index_col=0)
    v = co.characteristic_function(co.load_scenario(path))
    np.testing.assert_allclose(df["shapley"], co.shapley(v), rtol=1e-11)
