"""cooperative_values and the cooperative section of ``cooperation analyze``."""

import io
import json

import numpy as np

import cooperation as co
from cooperation.cli import main


def test_cooperative_values_of_prisoners_dilemma():
    pd_game = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    res = co.cooperative_values(pd_game)
    np.testing.assert_allclose(res.shapley, [3, 3])
    np.testing.assert_allclose(res.nucleolus.allocation, [3, 3])
    assert res.core_nonempty and res.superadditive and res.convex
    assert list(res.to_frame().columns) == ["v({i})", "shapley", "nucleolus", "least_core"]
    assert "core non-empty" in repr(res)


def test_cooperative_values_falls_back_to_prenucleolus():
    res = co.cooperative_values(co.TUGame([0, 2, 2, 3]))
    assert res.nucleolus.domain == "preimputation"
    assert "prenucleolus" in res.to_frame().columns


def test_cli_analyze_section(tmp_path, capsys):
    out = tmp_path / "res.json"
    assert main(["analyze", "data/xinan/scenario.toml", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Cooperative values" in text and "least-core epsilon" in text
    assert "Responsibility rules" in text and "nucleolus certified" in text
    data = json.loads(out.read_text())
    coop = data["cooperative"]
    assert coop["nucleolus_certified"] is True and coop["core_nonempty"] is True
    s = co.load_scenario("data/xinan/scenario.toml")
    v = co.characteristic_function(s, "nash")
    assert coop["shapley"] == co.shapley(v).to_dict()
    assert len(data["responsibility_rules"]) == 12


def test_section_skips_large_games():
    from cooperation.coalitions.summary import analyze_section

    buf = io.StringIO()
    big = co.NormalFormGame.from_arrays(np.zeros((13,) + (2,) * 13))
    assert analyze_section(None, big, buf) == {}
    assert "skipped" in buf.getvalue()
