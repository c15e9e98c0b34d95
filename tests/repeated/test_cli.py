"""The `cooperation simulate` command."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cooperation.cli import main

ROOT = Path(__file__).resolve().parents[2]
XINAN = str(ROOT / "data" / "xinan" / "scenario.toml")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_simulate_with_audits_writes_json_and_figure(capsys, tmp_path):
    target = tmp_path / "res" / "sim.json"
    fig = tmp_path / "res" / "sim.png"
    code, out, err = run(capsys, "simulate", XINAN, "--runs", "300", "--rounds", "30",
                         "--strategy", "opportunist", "--audit-prob", "0.3", "--accuracy", "0.9",
                         "--fine", "5", "--noise", "0.01", "--shock", "15", "--out",
                         str(target), "--plot", str(fig), "--no-progress")
    assert code == 0 and err == ""
    assert "Anhui" in out and "collapse_share" in out and "deterred" in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["unit"] == "CNY 100M/yr"
    assert data["summary"]["runs"] == 300
    assert [r["jurisdiction"] for r in data["per_jurisdiction"]] == ["Anhui", "Zhejiang"]
    assert all(r["deterred"] for r in data["per_jurisdiction"])
    assert len(data["by_round"]) == 30
    assert fig.stat().st_size > 1000
    assert not list(target.parent.glob(".*.tmp"))


def test_simulate_is_reproducible_and_csv(capsys, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    for path in (a, b):
        code, _, _ = run(capsys, "simulate", XINAN, "--runs", "200", "--rounds", "20",
                         "--strategy", "tft,wsls", "--noise", "0.05", "--seed", "3",
                         "--peer-error", "0.05", "--out", str(path), "--no-progress")
        assert code == 0
    assert a.read_text() == b.read_text()
    df = pd.read_csv(a, index_col=0)
    assert list(df.index) == ["Anhui", "Zhejiang"]
    assert list(df["strategy"]) == ["Tit For Tat", "Win-Stay Lose-Shift"]


def test_compare_modes(capsys, tmp_path):
    target = tmp_path / "modes.json"
    code, out, err = run(capsys, "simulate", XINAN, "--runs", "100", "--rounds", "20",
                         "--compare-modes", "--out", str(target), "--no-progress")
    assert code == 0 and err == ""
    assert "hierarchy" in out and "peer" in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [r["mode"] for r in data["compare_modes"]] == ["hierarchy", "peer"]


def test_transfers_from_a_compensate_output(capsys, tmp_path):
    comp = tmp_path / "comp.json"
    assert main(["compensate", XINAN, "--out", str(comp)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "simulate", XINAN, "--runs", "50", "--rounds", "10",
                         "--strategy", "allc", "--transfers", str(comp), "--no-progress")
    assert code == 0
    assert "Transfers per round" in out and "Anhui=0.85" in out


@pytest.mark.parametrize("argv, needle", [
    (["--rounds", "-3"], "--rounds = '-3': must be an integer >= 1"),
    (["--noise", "1.5"], "--noise = '1.5': must lie in [0, 1]"),
    (["--audit-prob", "x"], "--audit-prob = 'x': must be a number"),
    (["--strategy", "tft,tft,tft"], "--strategy"),
    (["--strategy", "nonsense"], "unknown strategy"),
    (["--monitoring", "vertical"], "--audit-prob"),
    (["--transfers", "/nonexistent.json"], "file not found"),
    (["--out", "x.parquet"], "--out"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, needle):
    code, out, err = run(capsys, "simulate", XINAN, "--runs", "5", "--rounds", "5", *argv)
    assert code == 2
    assert needle in err and err.count("\n") == 1
