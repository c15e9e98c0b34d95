"""``cooperation reserves``: same numbers as the API on the shipped case; bad input exits 2."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation.cli import main

CASE = "data/chishui_reserves"
ARGS = ["reserves", f"{CASE}/scenario.toml", "--links", f"{CASE}/roads.csv"]


def _api(**kw):
    s = co.load_scenario(f"{CASE}/scenario.toml")
    items = pd.read_csv(f"{CASE}/items.csv")
    return co.design_reserves(s, pd.read_csv(f"{CASE}/depots.csv"),
                              pd.read_csv(f"{CASE}/roads.csv"),
                              items=dict(zip(items["item"], items["units_per_damage"], strict=True)),
                              penalty=dict(zip(items["item"], items["penalty"], strict=True)), **kw)


def test_cli_matches_api(tmp_path, capsys):
    out = tmp_path / "res.json"
    assert main(ARGS + ["--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Owen's shares: in the core" in text
    data = json.loads(out.read_text())
    plan = _api()
    assert data["cost"] == pytest.approx(plan.cost, rel=1e-9)
    shares = pd.DataFrame(data["shares"])
    owen = plan.allocation("owen")
    np.testing.assert_allclose(np.asarray(shares["owen"], float), owen.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(np.asarray(shares["stand_alone"], float),
                               plan.pooling_game().singletons, rtol=1e-9)
    assert list(shares["jurisdiction"]) == list(owen.index)


def test_cli_passes_only_what_was_typed(tmp_path):
    out = tmp_path / "res.csv"
    assert main(ARGS + ["--deadline-hours", "20", "--risk", "cvar", "--confidence", "0.8",
                        "--no-game", "--out", str(out)]) == 0
    plan = _api(deadline_hours=20, risk="cvar", confidence=0.8)
    shares = pd.read_csv(out, index_col=0)
    np.testing.assert_allclose(shares["owen"].to_numpy(), plan.allocation("owen").to_numpy(),
                               rtol=1e-9)


def test_cli_infeasible_and_bad_input(tmp_path, capsys):
    demand = tmp_path / "demand.csv"
    pd.DataFrame({"scenario": ["s"], "jurisdiction": ["Weixin"], "item": ["pumps"],
                  "quantity": [5.0], "probability": [0.1]}).to_csv(demand, index=False)
    # Weixin's depot holds no pumps; the nearest are Zhenxiong (8 h) and more
    rc = main(ARGS + ["--demand", str(demand), "--deadline-hours", "4"])
    text = capsys.readouterr().out
    assert rc == 1 and "NO FEASIBLE PLAN" in text and "Weixin needs 5 pumps" in text
    assert main(ARGS + ["--deadline-hours", "-3"]) == 2
    err = capsys.readouterr().err
    assert "--deadline-hours" in err and len(err.strip().splitlines()) == 1
    assert main(["reserves", f"{CASE}/scenario.toml", "--links", "nope.csv"]) == 2
