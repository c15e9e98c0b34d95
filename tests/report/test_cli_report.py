"""``cooperation report`` and ``cooperation sensitivity``: files written, flags passed on,
bad input is one line and exit 2."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cooperation.cli import main

ROOT = Path(__file__).resolve().parents[2]
XINAN = str(ROOT / "data" / "xinan" / "scenario.toml")


def test_report_html_zh(tmp_path, capsys):
    out = tmp_path / "b.html"
    assert main(["report", XINAN, "--out", str(out), "--lang", "zh", "--no-sensitivity"]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "属地管理" in html and 'id="sensitivity"' not in html
    assert f"wrote {out}" in capsys.readouterr().out


def test_report_xlsx_and_csv_bom(tmp_path):
    book = tmp_path / "b.xlsx"
    assert main(["report", XINAN, "--format", "xlsx", "--out", str(book),
                 "--no-sensitivity", "--seed", "1"]) == 0
    assert "compensation" in openpyxl.load_workbook(book).sheetnames
    folder = tmp_path / "tables.csv"
    assert main(["report", XINAN, "--format", "csv", "--out", str(folder), "--bom",
                 "--no-sensitivity", "--lang", "zh"]) == 0
    files = sorted(p.name for p in (tmp_path / "tables").iterdir())
    assert "支付方案.csv" in files
    raw = (tmp_path / "tables" / "支付方案.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "金额".encode() in raw


@pytest.mark.parametrize("argv, field", [
    (["--out", "b.pdf"], "--out"),
    (["--format", "xlsx", "--out", "b.html"], "--out"),
    (["--bom"], "--bom"),
    (["--seed", "-1"], "--seed"),
    (["--spread", "abc"], "--spread"),
])
def test_report_bad_input(tmp_path, capsys, monkeypatch, argv, field):
    monkeypatch.chdir(tmp_path)
    assert main(["report", XINAN, "--no-sensitivity", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and field in err
    assert not list(tmp_path.iterdir())                    # nothing half-written


def test_sensitivity_command(tmp_path):
    buf = io.StringIO()
    from cooperation.cli import build_parser

    args = build_parser().parse_args(["sensitivity", XINAN, "--runs", "10", "--rounds", "5",
                                      "--top", "2", "--out", str(tmp_path / "t.csv"),
                                      "--plot", str(tmp_path / "t.png"), "--lang", "zh"])
    assert args.func(args, buf) == 0
    text = buf.getvalue()
    assert "least_subsidy (base 0.94)" in text and "10 runs x 5 rounds" in text
    t = pd.read_csv(tmp_path / "t.csv")
    assert set(t["outcome"]) == {"least_subsidy", "cost_alone", "cooperation_rate"}
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
