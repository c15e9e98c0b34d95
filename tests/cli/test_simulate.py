"""`cooperation simulate`: the command equals the library, passes on only what was typed,
pushes the compensation target and explains what it prints.

Uses the shared ``cli`` fixture of ``tests/cli/conftest.py``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import re

import numpy as np
import pytest

import cooperation as co
from cooperation import repeated as rp

XINAN = "data/xinan/scenario.toml"


def _num(x):
    """A number read back from JSON (non-finite values are spelled out)."""
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(x, x)


def _same(a, b) -> bool:
    a, b = _num(a), _num(b)
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b


def test_simulate_equals_the_library(cli, tmp_path):
    out = tmp_path / "sim.json"
    r = cli(
        "simulate",
        XINAN,
        "--runs",
        300,
        "--rounds",
        30,
        "--strategy",
        "opportunist",
        "--audit-prob",
        0.3,
        "--fine",
        5,
        "--noise",
        0.01,
        "--shock",
        15,
        "--seed",
        3,
        "--out",
        out,
    )
    assert r.code == 0, r.err
    s = co.load_scenario(XINAN)
    res = rp.simulate(
        s,
        rp.Opportunist(),
        rounds=30,
        runs=300,
        noise=0.01,
        monitoring=rp.Monitoring(audit_prob=0.3, fine=5.0),
        seed=3,
        shock=rp.Shock(15),
        cooperative=rp.sustained_target(s).indices,
        history=False,
    )
    data = r.json()
    api = res.summary().to_dict()
    assert set(data["summary"]) == set(api)
    assert all(_same(data["summary"][k], v) for k, v in api.items()), data["summary"]
    frame = res.by_jurisdiction()
    for row in data["per_jurisdiction"]:
        j = row["jurisdiction"]
        for col in ("score_mean", "cooperation", "fines_paid", "incentive", "temptation"):
            assert row[col] == frame.loc[j, col], (j, col)
        assert row["deterred"] == bool(frame.loc[j, "deterred"])


def test_compare_modes_uses_the_library_defaults(cli, tmp_path):
    """No flag typed: compare_modes' own defaults (accuracy 0.9, not the 1 of old)."""
    out = tmp_path / "modes.json"
    r = cli("simulate", XINAN, "--compare-modes", "--runs", 200, "--out", out)
    assert r.code == 0, r.err
    s = co.load_scenario(XINAN)
    cmp = rp.compare_modes(s, runs=200, cooperative=rp.sustained_target(s).indices)
    data = r.json()
    defaults = inspect.signature(rp.compare_modes).parameters
    for name in ("accuracy", "audit_prob", "peer_error", "peer_fine"):
        assert data["settings"][name] == defaults[name].default == cmp.settings[name]
    assert data["settings"]["fine"] == cmp.settings["fine"]
    assert data["settings"]["noise"] == rp.Noise(defaults["noise"].default).execution
    for row in data["compare_modes"]:
        for col, v in row.items():
            if col not in ("mode", "index"):
                assert _same(v, cmp.table.loc[row["mode"], col]), (row["mode"], col)


def _subparser(command: str) -> argparse.ArgumentParser:
    from cooperation.cli import build_parser

    return build_parser().subcommands[command]


POSITIONAL = {
    "simulate": [XINAN],
    "response": [XINAN],
    "evolve": [XINAN],
    "reserves": [XINAN, "--links", "x.csv"],
}


@pytest.mark.parametrize("command", sorted(POSITIONAL))
def test_an_option_not_typed_is_not_passed_on(command):
    """Every option left out parses to None or is absent (argparse.SUPPRESS), so the
    library's default applies; on/off switches are None or False."""
    parser = _subparser(command)
    ns = vars(parser.parse_args(POSITIONAL[command]))
    for action in parser._actions:
        if not action.option_strings or action.dest in ("help", "links"):
            continue
        value = ns.get(action.dest, "absent")
        if isinstance(action, argparse._StoreTrueAction | argparse._StoreFalseAction):
            assert value in (None, False), (command, action.dest, value)  # a switch, off
        else:
            assert value in (None, "absent"), (command, action.dest, value)


def test_help_reads_the_library_defaults():
    sim = inspect.signature(rp.simulate).parameters
    modes = inspect.signature(rp.compare_modes).parameters
    mon = inspect.signature(rp.Monitoring).parameters
    helps = {a.dest: a.help for a in _subparser("simulate")._actions}
    assert f"default {sim['rounds'].default};" in helps["rounds"]
    assert f"{modes['rounds'].default} with --compare-modes" in helps["rounds"]
    assert f"default {mon['accuracy'].default:g};" in helps["accuracy"]
    assert f"{modes['accuracy'].default:g} with --compare-modes" in helps["accuracy"]


def _mixed_optimum_scenario(tmp_path):
    """The Xin'an case with Zhejiang's cooperation made dear: the optimum is mixed."""
    text = (
        open(XINAN, encoding="utf-8")
        .read()
        .replace(
            "costs = { self = 0.0, cooperate = 0.3 }", "costs = { self = 0.0, cooperate = 50.0 }"
        )
    )
    path = tmp_path / "dear.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_target_is_the_one_of_compensate(cli, tmp_path):
    path = _mixed_optimum_scenario(tmp_path)
    comp, sim = tmp_path / "c.json", tmp_path / "s.json"
    assert cli("compensate", path, "--out", comp).code == 0
    r = cli("simulate", path, "--runs", 50, "--rounds", 10, "--out", sim)
    assert r.code == 0, r.err
    target = r.json()["target"]
    assert list(target["profile"].values()) == json.loads(comp.read_text("utf-8"))["target"]
    assert len(set(target["profile"].values())) == 2  # not everyone 'cooperate'
    assert target["source"] == "social optimum"
    assert "social optimum" in r.out and "Anhui=cooperate, Zhejiang=self" in r.out


def test_a_given_target_is_said_and_used(cli, tmp_path):
    out = tmp_path / "s.json"
    r = cli("simulate", XINAN, "--runs", 30, "--rounds", 10, "--target", "self", "--out", out)
    assert r.code == 0, r.err
    data = r.json()
    assert data["target"]["source"] == "given"
    assert set(data["target"]["profile"].values()) == {"self"}
    text = " ".join(r.out.split())
    assert "given by --target" in text and "below the social optimum" in text


_NA = re.compile(r"^(\w+)\s+(n/a|inf|-inf)\s*$")


def _unexplained(text: str) -> list[str]:
    """Names shown as n/a or inf in a name-value table with no line explaining them."""
    lines = text.splitlines()
    shown = [m.group(1) for ln in lines if (m := _NA.match(ln))]
    said = " ".join(ln for ln in lines if ln.startswith("  ") and ":" in ln)
    return [n for n in shown if not re.search(rf"\b{n}\b[^:]*:", said)]


@pytest.mark.parametrize(
    "extra",
    [
        ["--continuation", "0.9", "--rounds", "100"],
        ["--strategy", "grim", "--noise", "0.2", "--shock", "20", "--rounds", "40"],
        ["--compare-modes", "--continuation", "0.8", "--rounds", "30"],
    ],
)
def test_screen_fits_and_explains_every_missing_value(cli, extra):
    r = cli("simulate", XINAN, "--runs", 200, *extra)
    assert r.code == 0, r.err
    assert r.width <= 100
    assert _unexplained(r.out) == []
    assert "Monitoring(" not in r.out and "Shock(" not in r.out and "nan" not in r.out.lower()


def test_continuation_rate_is_over_the_rounds_played(cli, tmp_path):
    """Issue 20: no run reaches the cap of 100 rounds; the rate was printed as NaN."""
    out = tmp_path / "s.json"
    r = cli("simulate", XINAN, "--continuation", 0.9, "--rounds", 100, "--runs", 200, "--out", out)
    assert r.code == 0
    summary = r.json()["summary"]
    assert summary["cooperation_rate"] == 1.0  # tft with itself, no noise
    assert _num(summary["final_cooperation"]) != _num(summary["final_cooperation"])  # NaN
    assert "final_cooperation: no run reached round 100" in r.out


def test_deterred_and_monitoring_are_explained(cli):
    r = cli("simulate", XINAN, "--runs", 50, "--rounds", 10, "--audit-prob", 0.3, "--fine", 3)
    assert r.code == 0
    assert "Monitoring: audits q=0.3, accuracy 1, fine 3" in r.out
    assert "deterred = monitoring and transfers alone" in r.out
    assert "welfare_per_round" in r.out  # the printed names are the attributes


@pytest.mark.parametrize(
    "argv, flag",
    [
        (["--compare-modes", "--reward", "1"], "--reward"),
        (["--compare-modes", "--strategy", "grim"], "--strategy"),
        (["--fine", "3"], "--fine"),  # a fine with no audits
        (["--monitoring", "none", "--peer-error", "0.1"], "--peer-error"),
        (
            ["--monitoring", "horizontal", "--audit-prob", "0.2", "--peer-error", "0.1"],
            "--audit-prob",
        ),
        (["--shock-length", "2"], "--shock-length"),  # no --shock
        (["--shock", "3", "--shock-length", "5"], "--shock-length"),  # ends after the horizon
        (["--target", "nowhere"], "--target"),
        (["--strategy", "threshold:5"], "--strategy"),
    ],
)
def test_flags_that_would_be_ignored_or_contradict_are_refused(cli, argv, flag):
    r = cli("simulate", XINAN, "--runs", 5, "--rounds", 5, *argv)
    assert r.code == 2 and len(r.err_lines) == 1, r.err
    assert flag in r.err and "Traceback" not in r.err


def test_sizes_beyond_the_limits_are_refused_before_work(cli):
    for flag in ("--runs", "--rounds"):
        r = cli("simulate", XINAN, flag, 10**10)
        assert r.code == 2 and len(r.err_lines) == 1, r.err
        assert f"{flag} = 10000000000" in r.err and "use at most" in r.err
    from cooperation.repeated.limits import MAX_RUN_CELLS

    big = MAX_RUN_CELLS // 2
    r = cli("simulate", XINAN, "--runs", big, "--rounds", 10**4)  # memory fits, time does not
    assert r.code == 2 and "hours of work" in r.err


def test_transfers_of_a_compensate_output(cli, tmp_path):
    comp = tmp_path / "comp.json"
    assert cli("compensate", XINAN, "--out", comp).code == 0
    r = cli(
        "simulate",
        XINAN,
        "--runs",
        50,
        "--rounds",
        10,
        "--strategy",
        "allc",
        "--transfers",
        comp,
        "--out",
        tmp_path / "s.json",
    )
    assert r.code == 0, r.err
    got = r.json()["settings"]["transfers"]
    want = co.design_compensation(co.load_scenario(XINAN)).transfers
    assert np.allclose([got[j] for j in want.index], want.to_numpy(), rtol=0, atol=0)
