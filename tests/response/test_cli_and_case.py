"""``cooperation response`` gives the API's numbers on the same file; bad input exits 2
with one line. The typhoon case tells the seed paper's story."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import cooperation as co
from cooperation.cli import main

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "data" / "typhoon" / "scenario.toml"


def test_cli_equals_api(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["response", str(CASE), "--runs", "4000", "--seed", "3", "--level", "cooperate",
                 "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "metro_stop_signoff" in text and "delay_cost" in text
    data = json.loads(out.read_text())
    s = co.load_scenario(CASE)
    proc = s.response_process()
    res = co.simulate_response(proc, runs=4000, seed=3,
                               coordination={u: 1.0 for u in proc.units})
    assert data["completion"]["mean"] == res.mean_time
    assert data["mean_damage"] == res.mean_damage
    got = {r["unit"]: r["delay_cost"] for r in data["bottlenecks"]}
    assert got == res.bottlenecks["delay_cost"].to_dict()
    assert data["completion"]["p_within"] == res.p_within(48)
    # defaults are the library's: no flags, no coordination, 100000 runs
    csv = tmp_path / "b.csv"
    assert main(["response", str(CASE), "--runs", "3000", "--out", str(csv)]) == 0
    capsys.readouterr()
    base = co.simulate_response(proc, runs=3000)
    import pandas as pd
    table = pd.read_csv(csv, index_col="unit")
    np.testing.assert_allclose(table.loc[list(proc.units), "delay_cost"],
                               base.bottlenecks["delay_cost"], rtol=1e-11)


def test_cli_on_a_process_table_and_figures(tmp_path, capsys):
    g, t = tmp_path / "g.png", tmp_path / "t.svg"
    assert main(["response", str(ROOT / "data" / "typhoon" / "response_process.csv"),
                 "--runs", "2000", "--gantt", str(g), "--tornado", str(t)]) == 0
    assert "damage in hours" in capsys.readouterr().out
    assert g.stat().st_size > 0 and t.stat().st_size > 0


@pytest.mark.parametrize("argv,fragment", [
    (["--runs", "1"], "--runs = '1'"),
    (["--level", "heroic"], "--level = 'heroic'"),
    (["--hazard", "flood"], "hazard = 'flood'"),
    (["--within", "-3"], "--within"),
    (["--out", "x.txt"], "--out"),
])
def test_cli_bad_input_exit_2(argv, fragment, capsys):
    assert main(["response", str(CASE), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cooperation response: error: ")
    assert fragment in err[0], err[0]


def test_a_scenario_without_a_process_is_refused(capsys):
    assert main(["response", str(ROOT / "data" / "xinan" / "scenario.toml")]) == 2
    err = capsys.readouterr().err
    assert "no hazard of this scenario has a response process" in err
    assert err.count("\n") == 1


def test_typhoon_case_story():
    s = co.load_scenario(CASE)
    assert s.players == ("Meteorology", "Emergency", "Transport", "Publicity")
    proc = s.response_process()
    sign = proc.tasks[proc.task_names.index("metro_stop_signoff")]
    # the seed's joint sign-off: transport, emergency management and publicity, all needed
    assert set(sign.owners) == {"Transport", "Emergency", "Publicity"} and sign.join == "all"
    assert s.sources["signoff_departments"] == len(sign.owners)
    res = co.simulate_response(proc, runs=20_000, seed=0)
    # the sign-off is the most critical task after the two start tasks
    later = res.criticality.drop(["typhoon_warning", "risk_assessment"])
    assert later.idxmax() == "metro_stop_signoff"
    assert res.bottlenecks["delay_cost"].sum() == pytest.approx(res.delay_cost_total, rel=1e-12)
    # the game: the slowest signatory free-rides; all four coordinating is the optimum
    a = co.analyze(s.to_game())
    assert a.equilibria.profiles == [(1, 1, 0, 1)]
    assert tuple(a.optimum.profile) == (1, 1, 1, 1)
    # coordination pays: the joint command shortens the response and the damage
    fast = co.simulate_response(proc, runs=20_000, seed=0, coordination=1.0)
    assert fast.mean_time < res.mean_time and fast.mean_damage < res.mean_damage
