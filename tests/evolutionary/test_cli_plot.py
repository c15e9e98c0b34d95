"""`cooperation evolve` gives the API's numbers; plots draw without error."""

import json

import matplotlib
import numpy as np
import pytest

import cooperation as co
from cooperation.cli import main

matplotlib.use("Agg")


def test_cli_matches_api(tmp_path, capsys, xinan):
    out = tmp_path / "r.json"
    tex = tmp_path / "r.tex"
    assert main(["evolve", "data/xinan/evolutionary.toml", "--set", "S=2", "--out", str(out),
                 "--latex", str(tex)]) == 0
    data = json.loads(out.read_text())
    st = co.evolutionary_stability(xinan.with_values(S=2.0))
    assert [r["stability"] for r in data["rest_points"]] == st.rest_points["stability"].tolist()
    got = np.array([[complex(*z) for z in r["eigenvalues"]] for r in data["rest_points"]])
    want = np.array([list(e) for e in st.rest_points["eigenvalues"]])
    assert np.allclose(got, want)
    assert data["complete"] is True and tex.read_text() == st.to_latex()
    assert "(1, 0, 0)" in capsys.readouterr().out


def test_cli_on_a_scenario(capsys):
    assert main(["evolve", "data/xinan/scenario.toml", "--method", "numeric"]) == 0
    text = capsys.readouterr().out
    assert "complete=None" in text and "Anhui[self]" in text


@pytest.mark.parametrize("argv,match", [
    (["evolve", "data/xinan/evolutionary.toml", "--set", "Q=1"], "unknown parameter"),
    (["evolve", "data/xinan/evolutionary.toml", "--set", "S"], "NAME=VALUE"),
    (["evolve", "data/xinan/scenario.toml", "--set", "S=1"], "named parameters"),
    (["evolve", "data/xinan/evolutionary.toml", "--tol", "abc"], "--tol"),
    (["evolve", "no/such.toml"], "no such file"),
])
def test_cli_errors(capsys, argv, match):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert match in err and len(err.strip().splitlines()) == 1


def test_plots(xinan, matching_pennies):
    import matplotlib.pyplot as plt

    from cooperation.evolutionary import plot

    ax = plot.phase_portrait(matching_pennies, co.evolutionary_stability(matching_pennies))
    assert ax.get_xlabel().startswith("P0")
    ax3 = plot.phase_portrait(xinan, co.evolutionary_stability(xinan), starts=2)
    assert ax3.get_zlabel().startswith("Central")
    plot.time_paths(xinan, levels=(0.2, 0.8), t=np.linspace(0, 3, 30))
    plot.parameter_effect(xinan, "S", [0.5, 2.0], t=np.linspace(0, 3, 30), population=1)
    plt.close("all")
