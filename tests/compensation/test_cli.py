"""The `cooperation compensate` and `cooperation fund` commands."""

import json
from pathlib import Path

import pandas as pd
import pytest

from cooperation.cli import main

ROOT = Path(__file__).resolve().parents[2]
XINAN = str(ROOT / "data" / "xinan" / "scenario.toml")
CHISHUI = str(ROOT / "data" / "chishui" / "scenario.toml")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_compensate_xinan_prints_tables_and_writes_json(capsys, tmp_path):
    target = tmp_path / "out" / "result.json"
    code, out, err = run(capsys, "compensate", XINAN, "--out", str(target))
    assert code == 0 and err == ""
    assert "Anhui" in out and "Zhejiang" in out and "subsidy from the higher level" in out
    assert "Two-way conditional agreement" in out and "bargaining range" in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["success"] is True and data["unit"] == "CNY 100M/yr"
    assert abs(sum(r["transfer"] for r in data["per_jurisdiction"]) - data["subsidy"]) < 1e-12
    assert data["two_way_agreement"]["upstream"] == "Anhui"
    assert not list(target.parent.glob(".*.tmp"))    # atomic write leaves no temp file


def test_solver_banner_stays_out_of_the_output():
    """highspy prints a banner on its first solver object, at the C level; a fresh process
    shows whether the command keeps it out of the table."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "cooperation.cli", "compensate", XINAN],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Running HiGHS" not in proc.stdout and proc.stdout.startswith("Scenario:")


def test_compensate_csv_and_options(capsys, tmp_path):
    target = tmp_path / "t.csv"
    code, out, _ = run(capsys, "compensate", CHISHUI, "--objective", "max_min_gain",
                       "--constraints", "participation,core", "--out", str(target))
    assert code == 0
    df = pd.read_csv(target, index_col=0)
    assert list(df.index) == ["Yunnan", "Guizhou", "Sichuan"]
    assert {"transfer", "gain", "payoff_after"} <= set(df.columns)
    assert "Two-way" not in out                       # three provinces: not a bilateral deal


def test_compensate_infeasible_exits_1_with_the_diagnosis(capsys):
    code, out, err = run(capsys, "compensate", XINAN, "--max-subsidy", "0")
    assert code == 1 and err == ""
    assert "NO FEASIBLE DESIGN" in out and "raise max_subsidy to" in out
    assert "Diagnosis" in out


@pytest.mark.parametrize("argv, fragment", [
    (["compensate", "no/such/file.toml"], "no such file"),
    (["compensate", XINAN, "--out", "result.txt"], "--out"),
    (["compensate", XINAN, "--fine", "-1"], "fine"),
    (["compensate", XINAN, "--fine", "abc"], "--fine"),
    (["compensate", XINAN, "--constraints", "participation,loyalty"], "loyalty"),
    (["compensate", XINAN, "--target", "cooperate,dance"], "dance"),
    (["fund", XINAN, "--confidence", "1.5"], "confidence"),
    (["fund", XINAN, "--key", "Anhui=1,Mars=2"], "Mars"),
    (["fund", XINAN, "--years", "many"], "--years"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and fragment in lines[0] and "Traceback" not in err


def test_unknown_objective_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as info:
        main(["compensate", XINAN, "--objective", "cheapest"])
    assert info.value.code == 2
    assert "cheapest" in capsys.readouterr().err


def test_fund_command(capsys, tmp_path):
    target = tmp_path / "fund.json"
    code, out, err = run(capsys, "fund", CHISHUI, "--confidence", "0.9", "--years", "2000",
                         "--key", "Yunnan=1,Guizhou=5,Sichuan=4", "--out", str(target))
    assert code == 0 and err == ""
    assert "shortfall probability" in out and "Per member" in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["confidence"] == 0.9 and data["key"] == "given"
    assert data["out_of_sample"]["years"] == 2000
    assert [r["member"] for r in data["per_member"]] == ["Yunnan", "Guizhou", "Sichuan"]
