"""Declarative sweeps: a scenario, dotted paths and measures, no Python of one's own.

Known answers first (the deterrence boundary ``q a F >= gain`` of Becker 1968 on
the Chishui case), then cross-checks: every row is the simulation one would run by
hand with that row's seed; the command line, the spec file and the Python API give
the same table; the shipped spec and the README's command lines run as written.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation import repeated as rp
from cooperation.cli import main
from cooperation.errors import InputError
from cooperation.sweeps import load_spec, scenario_sweep
from cooperation.sweeps import spec as spec_module
from cooperation.sweeps.scenario_sweep import build_job, measure_names

ROOT = Path(__file__).resolve().parents[2]
CHISHUI = ROOT / "data" / "chishui" / "scenario.toml"
SHIPPED = ROOT / "data" / "chishui" / "sweep.toml"
QUICK = ["--set", "simulation.runs=30", "--set", "simulation.rounds=12"]
ACCURACY = 0.9


@pytest.fixture(scope="module")
def audit_table():
    return scenario_sweep(CHISHUI, {"monitoring.audit_prob": "0:1:6",
                                    "monitoring.fine": [0.0, 0.5, 1.0, 3.0]},
                          ["cooperation_rate", "fines_per_run"], seed=2,
                          fixed={"monitoring.accuracy": ACCURACY, "simulation.runs": 60,
                                 "simulation.rounds": 20, "simulation.noise": 0.02},
                          executor="serial", progress=False)


def test_deterrence_boundary_of_becker(audit_table):
    """Opportunists comply where the expected fine q a F covers their one-round gain
    (co.analyze's own gain of leaving cooperation): where it covers every province's,
    cooperation is near 1; where it covers none, it stays at the unaudited level."""
    gains = co.analyze(co.load_scenario(CHISHUI).to_game()).withdrawal["own_gain"]
    df = audit_table
    expected_fine = df["audit_prob"] * ACCURACY * df["fine"]
    every = expected_fine >= 1.05 * gains.max()
    none = expected_fine <= 0.95 * gains.min()
    assert every.sum() >= 5 and none.sum() >= 5
    assert (df.loc[every, "cooperation_rate"] >= 0.95).all()
    unaudited = df.loc[df["audit_prob"] == 0, "cooperation_rate"]
    assert np.allclose(df.loc[none, "cooperation_rate"], unaudited.mean(), atol=0.05)
    assert df.loc[every, "cooperation_rate"].min() > df.loc[none, "cooperation_rate"].max()
    assert (df.loc[df["fine"] == 0, "fines_per_run"] == 0).all()


def test_each_row_is_the_simulation_by_hand(audit_table):
    """Cross-check: a row's numbers are those of rp.simulate with the row's settings and
    seed (bit for bit), the Opportunist strategy being the documented default."""
    s = co.load_scenario(CHISHUI)
    for k in (3, 17):
        row = audit_table.iloc[k]
        mon = rp.Monitoring(audit_prob=row["audit_prob"], fine=row["fine"],
                            accuracy=ACCURACY)
        res = rp.simulate(s, [rp.Opportunist()] * 3, runs=60, rounds=20, noise=0.02,
                          monitoring=mon, seed=row["seed"])
        assert row["cooperation_rate"] == res.cooperation_rate
        assert row["fines_per_run"] == res.summary()["fines_per_run"]


def test_metadata_names_paths_and_units(audit_table):
    meta = audit_table.attrs["sweep"]["declarative"]
    assert meta["paths"] == {"audit_prob": "monitoring.audit_prob", "fine": "monitoring.fine"}
    assert meta["units"] == {"audit_prob": "probability", "fine": "CNY 100M/yr"}
    assert meta["measure_units"]["cooperation_rate"] == "share of actions"
    assert meta["scenario"].startswith("Chishui") and meta["strategy"] == "opportunist"


def test_cli_spec_and_api_give_one_table(tmp_path):
    """--vary on the scenario, a spec file, and scenario_sweep: the same table, serially
    and on worker processes."""
    vary = ["--vary", "monitoring.audit_prob=0:1:3", "--vary", "monitoring.fine=0.5,2"]
    out = tmp_path / "cli.csv"
    assert main(["sweep", str(CHISHUI), *vary, "--measure", "cooperation_rate,welfare_share",
                 "--set", "monitoring.accuracy=0.9", *QUICK, "--seed", "7", "--workers", "2",
                 "--out", str(out), "--progress", "none"]) == 0
    spec = tmp_path / "s.toml"
    spec.write_text(f'scenario = "{CHISHUI}"\nseed = 7\n'
                    'measure = ["cooperation_rate", "welfare_share"]\n'
                    '[grid.monitoring]\naudit_prob = {start = 0, stop = 1, num = 3}\n'
                    'fine = [0.5, 2]\n[fixed]\nmonitoring.accuracy = 0.9\n'
                    'simulation.runs = 30\nsimulation.rounds = 12\n')
    out2 = tmp_path / "spec.csv"
    assert main(["sweep", str(spec), "--serial", "--out", str(out2), "--progress", "none"]) == 0
    api = scenario_sweep(CHISHUI, {"monitoring.audit_prob": [0.0, 0.5, 1.0],
                                   "monitoring.fine": [0.5, 2]},
                         ["cooperation_rate", "welfare_share"], seed=7, executor="serial",
                         fixed={"monitoring.accuracy": 0.9, "simulation.runs": 30,
                                "simulation.rounds": 12}, progress=False)
    a, b = pd.read_csv(out), pd.read_csv(out2)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    pd.testing.assert_frame_equal(a, api.astype({"seed": "int64"}).reset_index(drop=True),
                                  check_exact=True, check_dtype=False)


def test_declarative_on_dask_matches_serial(dask_client):
    kwargs = dict(vary={"simulation.noise": [0.0, 0.05], "monitoring.fine": [1.0, 3.0]},
                  measure="collapse_share", seed=1, progress=False,
                  fixed={"monitoring.audit_prob": 0.5, "simulation.runs": 20,
                         "simulation.rounds": 10})
    serial = scenario_sweep(CHISHUI, executor="serial", **kwargs)
    dask = scenario_sweep(CHISHUI, executor=dask_client, **kwargs)
    pd.testing.assert_frame_equal(dask, serial, check_exact=True)


def test_checkpoint_resumes_and_refuses_another_experiment(tmp_path):
    ck = tmp_path / "d.ckpt"
    kwargs = dict(vary={"monitoring.fine": [0.5, 1.0, 2.0]}, seed=0, executor="serial",
                  progress=False, checkpoint=ck)
    fixed = {"monitoring.audit_prob": 0.6, "simulation.runs": 20, "simulation.rounds": 10}
    first = scenario_sweep(CHISHUI, fixed=fixed, **kwargs)
    lines = ck.read_text().splitlines()
    ck.write_text("\n".join(lines[:2]) + "\n")              # as if stopped after one cell
    again = scenario_sweep(CHISHUI, fixed=fixed, **kwargs)
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    with pytest.raises(InputError, match="different sweep"):
        scenario_sweep(CHISHUI, fixed={**fixed, "simulation.runs": 21}, **kwargs)


def test_scenario_strategy_and_transfer_paths():
    df = scenario_sweep(CHISHUI, {"scenario.hazards.0.probability": [0.1, 0.9],
                                  "simulation.strategy": ["alld", "allc"],
                                  "transfers.Yunnan": [0.0, 0.5]},
                        ["cooperation_rate", "transfers_per_run"], executor="serial",
                        fixed={"simulation.runs": 10, "simulation.rounds": 5,
                               "monitoring.audit_prob": 1.0}, progress=False)
    assert list(df.columns[:3]) == ["probability", "strategy", "Yunnan"]
    assert df.loc[df["strategy"] == "alld", "cooperation_rate"].eq(0.0).all()
    assert df.loc[df["strategy"] == "allc", "cooperation_rate"].eq(1.0).all()
    paid = df[(df["strategy"] == "allc") & (df["Yunnan"] == 0.5)]["transfers_per_run"]
    assert np.allclose(paid, 0.5 * 5)                       # 5 rounds of a verified 0.5
    assert df.attrs["sweep"]["declarative"]["units"]["probability"] == "probability"


@pytest.mark.parametrize("argv, match", [
    (["--vary", "monitoring.audit_prob=0:1:3", "--measure", "cooperation_rat"],
     "did you mean 'cooperation_rate'"),
    (["--vary", "monitoring.audit_probability=0:1:3"], "did you mean 'audit_prob'"),
    (["--vary", "monitor.fine=1,2"], "did you mean 'monitoring'"),
    (["--vary", "monitoring.audit_prob=0:2:3"], "--vary monitoring.audit_prob = 2.0: a "
                                                "probability must lie in [0, 1]"),
    (["--vary", "monitoring.fine=1,x"], "--vary monitoring.fine = 'x': must be a number"),
    (["--vary", "simulation.runs=0,10"], "--vary simulation.runs = 0: must be >= 1"),
    (["--vary", "simulation.strategy=tft,nope"], "unknown strategy"),
    (["--vary", "scenario.hazards.nope.damage=1,2"], "no entry 'nope' in scenario.hazards"),
    (["--vary", "scenario.hazards.0.probability=0.5,2"], "gives an invalid run"),
    (["--vary", "transfers.Atlantis=1"], "unknown player"),
    (["--vary", "monitoring.fine"], "must be PATH=VALUE"),
    (["--vary", "monitoring.fine=0:1:0"], "number of points must lie in"),
    ([], "needs at least one varied path"),
    (["--vary", "monitoring.fine=1", "--set", "monitoring.fine=2"], "both varied and fixed"),
    (["--vary", "monitoring.fine=1", "--plot", "p.gif"], "--plot"),
    (["--vary", "monitoring.fine=1", "--level", "0.5"], "give --plot too"),
])
def test_bad_declarative_input_exits_2_with_one_line(tmp_path, capsys, argv, match):
    out = tmp_path / "t.csv"
    assert main(["sweep", str(CHISHUI), *argv, "--out", str(out), "--serial",
                 "--progress", "none"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("cooperation sweep: error") and "\n" not in err
    assert match in err
    assert not out.exists()


def test_function_spec_refuses_measures(tmp_path, capsys):
    (tmp_path / "fcells_d1.py").write_text("def f(x, seed):\n    return {'y': x}\n")
    (tmp_path / "s.toml").write_text('function = "fcells_d1.py:f"\n[grid]\nx = [1, 2]\n')
    assert main(["sweep", str(tmp_path / "s.toml"), "--measure", "y", "--out",
                 str(tmp_path / "o.csv"), "--serial"]) == 2
    assert "measures belong to declarative sweeps" in capsys.readouterr().err
    # --vary and --set reach a function spec's grid and fixed arguments too
    spec = load_spec(tmp_path / "s.toml", vary={"x": [5.0]})
    assert spec.grid == {"x": [5.0]}


def test_figure_names_the_finding_with_units_and_a_linear_colour_bar(audit_table):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.colors import Normalize, TwoSlopeNorm

    from cooperation.report.sweep_figure import sweep_figure

    fig, ax = sweep_figure(audit_table, level=0.9)
    title = ax.get_title().replace("\n", " ")
    assert "Chishui" in title and "cooperation_rate" in title
    assert "audit_prob" in title and "fine" in title and ">= 0.9 in" in title
    assert ax.get_xlabel() == "monitoring.audit_prob (probability)"
    assert ax.get_ylabel() == "monitoring.fine (CNY 100M/yr)"
    mesh = ax.collections[0]
    assert type(mesh.norm) is Normalize and not isinstance(mesh.norm, TwoSlopeNorm)
    cbar = mesh.colorbar
    assert cbar.ax.get_ylabel() == "cooperation_rate (share of actions)"
    assert any("= 0.9" in (line.get_label() or "") for line in ax.lines)
    matplotlib.pyplot.close(fig)


# ---------------------------------------------------------------------------- shipped files
def test_shipped_spec_runs_with_its_figure(tmp_path):
    pytest.importorskip("matplotlib")
    spec = load_spec(SHIPPED)
    assert spec.job is not None and spec.job.measure == ("cooperation_rate", "collapse_share",
                                                          "fines_per_run")
    assert len(spec.grid["audit_prob"]) == 11 and len(spec.grid["fine"]) == 13
    out, fig = tmp_path / "r.parquet", tmp_path / "phase.png"
    pytest.importorskip("pyarrow")
    assert main(["sweep", str(SHIPPED), *QUICK, "--out", str(out), "--plot", str(fig),
                 "--progress", "none"]) == 0
    df = pd.read_parquet(out)
    assert len(df) == 143 and df["cooperation_rate"].between(0, 1).all()
    assert df.attrs["sweep"]["declarative"]["paths"]["fine"] == "monitoring.fine"
    assert fig.stat().st_size > 10_000


def _command_lines(path: Path) -> list[list[str]]:
    """The ``cooperation sweep`` command lines of a Markdown file, continuation lines
    joined and comments dropped."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = []
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("cooperation sweep"):
            lines.append(shlex.split(line)[1:])
    return lines


@pytest.mark.parametrize("doc", ["README.md", "docs/howto-sweep.md"])
def test_documented_command_lines_run_as_written(tmp_path, monkeypatch, doc):
    """Every `cooperation sweep` line of the page runs from the repository root (quick
    sizes: --set simulation.runs and rounds; outputs into a temporary folder)."""
    pytest.importorskip("matplotlib")
    lines = _command_lines(ROOT / doc)
    assert lines, f"{doc} shows no sweep command"
    monkeypatch.chdir(ROOT)
    for argv in lines:
        argv = [str(tmp_path / Path(a).name) if a.endswith((".csv", ".png", ".parquet"))
                else a for a in argv]
        argv += QUICK                                   # the last --set wins
        assert main([*argv, "--progress", "none"]) == 0, argv
    assert list(tmp_path.glob("*.csv"))


# ---------------------------------------------------------------------------- the reference
def _documented_table(doc: str, heading: str) -> list[str]:
    block = doc.split(heading, 1)[1].split("\n\n", 2)[1]
    return re.findall(r"^\| ``(\w+)`` \|", block, flags=re.M)


def test_documented_spec_keys_equal_the_parsed_keys():
    """The reference (the docstring of cooperation/sweeps/spec.py, from which
    docs/reference/sweep-spec.md is generated) documents exactly the keys the parser
    reads, at every level."""
    doc = spec_module.__doc__
    assert _documented_table(doc, "Top-level keys:") == list(spec_module.KEYS)
    assert _documented_table(doc, "or a\nrange table:") == list(spec_module.RANGE_KEYS)
    assert _documented_table(doc, "``[design]`` keys:") == list(spec_module.DESIGN_KEYS)


def test_documented_paths_and_measures_exist():
    """docs/howto-sweep.md lists every monitoring and simulation key the parser knows,
    and only measures a simulation result offers (every summary() key among them)."""
    from cooperation.sweeps.scenario_sweep import MONITORING_KEYS, SIMULATION_KEYS

    howto = (ROOT / "docs" / "howto-sweep.md").read_text(encoding="utf-8")
    section = howto.split("## 3.", 1)[1].split("## 4.", 1)[0]
    paths = re.findall(r"^\| `(monitoring|simulation)\.(\w+)` \|", section, flags=re.M)
    assert sorted(k for ns, k in paths if ns == "monitoring") == sorted(MONITORING_KEYS)
    assert sorted(k for ns, k in paths if ns == "simulation") == sorted(SIMULATION_KEYS)
    section = howto.split("## 4.", 1)[1].split("## 5.", 1)[0]
    documented = set(re.findall(r"`(\w+)`", "\n".join(
        line.split("|")[1] for line in section.splitlines() if line.startswith("| `"))))
    job, _ = build_job(CHISHUI, {"monitoring.fine": [1.0]})
    result = job.trial({})
    assert documented <= set(measure_names(result))
    assert set(result.summary().index) <= documented


def test_vary_values_are_typed():
    from cooperation.sweeps._toml import parse_values

    assert parse_values("0:1:3", "v", max_num=10) == [0.0, 0.5, 1.0]
    assert parse_values("0:2:3:log", "v", max_num=10) == [1.0, 10.0, 100.0]
    assert parse_values("1,2.5,true,tft", "v", max_num=10) == [1, 2.5, True, "tft"]
    with pytest.raises(InputError, match="a:b:n or a:b:n:log"):
        parse_values("0:1:3:lin", "v", max_num=10)


def test_a_figure_that_cannot_be_drawn_keeps_the_table(tmp_path, capsys):
    """The table is written before the figure is drawn, and the error says where it is."""
    pytest.importorskip("matplotlib")
    (tmp_path / "fcells_d2.py").write_text("def f(mode, seed):\n    return {'y': len(mode)}\n")
    (tmp_path / "s.toml").write_text('function = "fcells_d2.py:f"\n[grid]\n'
                                     'mode = ["peer", "hierarchy"]\n')
    out = tmp_path / "o.csv"
    assert main(["sweep", str(tmp_path / "s.toml"), "--out", str(out), "--plot",
                 str(tmp_path / "p.png"), "--serial", "--progress", "none"]) == 2
    err = capsys.readouterr().err
    assert "needs a numeric setting" in err and f"the table was written to {out}" in err
    assert pd.read_csv(out)["y"].tolist() == [4, 9]
