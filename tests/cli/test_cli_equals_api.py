"""CLI == API: every number ``cooperation analyze`` and ``compensate`` write is the number
the matching library call gives on the same file, with the flags typed and with none
(the defaults live once, in the library).

The Taihu-like test case (tests/cli/data) has best replies that interact, so the
characteristic function depends on what outsiders do: there the old CLI (Nash
outsiders) and API (gamma) gave Jiangsu different Shapley values.
"""

from __future__ import annotations

import argparse
import inspect
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation.cli import build_parser
from cooperation.cli.compensate import design_options

DATA = Path(__file__).resolve().parents[2] / "data"
TAIHU = Path(__file__).resolve().parent / "data" / "taihu_like.toml"
CASES = [
    DATA / "xinan" / "scenario.toml",
    DATA / "chishui" / "scenario.toml",
    DATA / "jingjinji" / "scenario.toml",
    TAIHU,
]


def _series(records: dict) -> pd.Series:
    return pd.Series(records, dtype=float)


def test_the_taihu_case_tells_the_outsiders_apart():
    """The test case is only a test if the two characteristic functions differ."""
    g = co.load_scenario(TAIHU).to_game()
    nash = co.shapley(co.characteristic_function(g, outsiders="nash"))
    gamma = co.shapley(co.characteristic_function(g, outsiders="gamma"))
    assert abs(nash["Jiangsu"] - gamma["Jiangsu"]) > 0.1


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.parent.name if p != TAIHU else "taihu")
def test_analyze_writes_the_api_numbers(cli, tmp_path, path):
    out = tmp_path / "a.json"
    r = cli("analyze", path, "--out", out)
    assert r.code == 0, r.err
    data = r.json()
    s = co.load_scenario(path)
    g = s.to_game()
    res = co.analyze(g)
    v = co.characteristic_function(s)  # the library's default outsiders
    assert data["cooperative"]["outsiders"] == v.metadata["outsiders"]
    pd.testing.assert_series_equal(
        _series(data["cooperative"]["shapley"]), co.shapley(v), check_names=False, rtol=0, atol=0
    )
    pd.testing.assert_series_equal(
        _series(data["cooperative"]["nucleolus"]), co.nucleolus(v).allocation, check_names=False
    )
    assert data["optimum"]["welfare"] == res.optimum.welfare
    assert data["cooperation_surplus"] == res.cooperation_surplus
    rules = co.compare_rules(s)
    got = pd.DataFrame(data["responsibility_rules"]).set_index(["rule", "jurisdiction"])
    np.testing.assert_array_equal(got["payoff"].astype(float), rules["payoff"])


def test_analyze_outsiders_flag_is_the_api_argument(cli, tmp_path):
    out = tmp_path / "a.json"
    assert cli("analyze", TAIHU, "--outsiders", "gamma", "--out", out).code == 0
    coop = json.loads(out.read_text(encoding="utf-8"))["cooperative"]
    v = co.characteristic_function(co.load_scenario(TAIHU), outsiders="gamma")
    assert coop["outsiders"] == "gamma"
    pd.testing.assert_series_equal(_series(coop["shapley"]), co.shapley(v), check_names=False)


COMPENSATE_FLAGS = [
    ([], {}),
    (["--fine", "0.3", "--detection", "0.5"], {"fine": 0.3, "detection": 0.5}),
    (
        ["--objective", "max_min_gain", "--constraints", "participation,core"],
        {"objective": "max_min_gain", "constraints": ["participation", "core"]},
    ),
    (["--outsiders", "gamma"], {"outsiders": "gamma"}),
    (
        ["--target", "cooperate", "--outside-option", "maximin"],
        {"target": "cooperate", "outside_option": "maximin"},
    ),
]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.parent.name if p != TAIHU else "taihu")
@pytest.mark.parametrize(
    "flags, kwargs", COMPENSATE_FLAGS, ids=lambda x: " ".join(x) if isinstance(x, list) else None
)
def test_compensate_writes_the_api_numbers(cli, tmp_path, path, flags, kwargs):
    out = tmp_path / "c.json"
    r = cli("compensate", path, *flags, "--out", out)
    res = co.design_compensation(co.load_scenario(path), **kwargs)
    assert r.code == (0 if res.success else 1), r.err
    data = r.json()
    assert data["success"] == res.success and data["status"] == res.status
    if not res.success:
        return
    got = pd.DataFrame(data["per_jurisdiction"]).set_index("jurisdiction")["transfer"]
    np.testing.assert_array_equal(got.to_numpy(float), res.transfers.to_numpy())
    assert data["subsidy"] == res.subsidy
    assert data["paid_by_jurisdictions"] == res.paid
    assert data["binding"] == list(res.binding)
    assert data["target"] == list(res.target) and data["outside_note"] == res.outside_note


def test_compensate_on_the_taihu_case_uses_the_library_core(cli, tmp_path):
    """Where nash and gamma differ, the CLI's subsidy is the API default's, not the other."""
    out = tmp_path / "c.json"
    assert cli("compensate", TAIHU, "--out", out).code == 0
    s = co.load_scenario(TAIHU)
    default = co.design_compensation(s)
    other = co.design_compensation(s, outsiders="gamma")
    assert default.subsidy != pytest.approx(other.subsidy)
    assert json.loads(out.read_text(encoding="utf-8"))["subsidy"] == default.subsidy


@pytest.mark.parametrize("command", ["analyze", "compensate"])
def test_no_flag_typed_means_no_argument_passed(command):
    """Every option of these commands defaults to 'not given': the parser holds no default
    of its own (store_true switches aside), so the library's applies."""
    parser = build_parser()
    args = parser.parse_args([command, "x.toml"])
    sub = parser.subcommands[command]
    for action in sub._actions:
        if action.dest in ("help", "scenario", "func") or isinstance(
            action, argparse._StoreTrueAction
        ):
            continue
        assert getattr(args, action.dest) is None, action.dest
    if command == "compensate":
        assert design_options(args) == {}


def test_help_shows_the_library_defaults(cli):
    r = cli("compensate", "--help")
    assert r.code == 0
    text = " ".join(r.out.split())
    params = inspect.signature(co.design_compensation).parameters
    assert f"(default {params['fine'].default})" in text
    assert f"(default: {params['outsiders'].default})" in text


@pytest.mark.parametrize(
    "flags, kwargs", [([], {}), (["--outside-option", "maximin"], {"outside_option": "maximin"})]
)
def test_two_way_agreement_is_the_api_one(cli, tmp_path, flags, kwargs):
    """The agreement section uses the same typed outside option as the design."""
    out = tmp_path / "c.json"
    path = DATA / "xinan" / "scenario.toml"
    assert cli("compensate", path, *flags, "--out", out).code == 0
    got = json.loads(out.read_text(encoding="utf-8"))["two_way_agreement"]
    agr = co.two_way_agreement(co.load_scenario(path), **kwargs)
    assert [(r["lo"], r["hi"]) for r in got["intervals"]] == [
        (r.lo, r.hi) for r in agr.intervals.itertuples()
    ]
    assert got["note"] == agr.note
