"""Docstring examples of the sweep and report modules run; the scenario-discovery bridge."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation.sweeps import experiments_outcomes

MODULES = ["cooperation.sweeps.grid", "cooperation.sweeps.sweep",
           "cooperation.sweeps.analysis", "cooperation.sweeps.executors",
           "cooperation.sweeps.spec", "cooperation.sweeps.output", "cooperation.sweeps.units",
           "cooperation.sweeps.scenario_sweep", "cooperation.report.style",
           "cooperation.report.phase", "cooperation.report.sweep_figure"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(Path(__file__).resolve().parents[2])      # examples read data/
    import matplotlib

    matplotlib.use("Agg")
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def rate_cell(q, fine, seed):
    rng = np.random.default_rng(seed)
    caught = rng.random(200) < q
    return {"rate": float(caught.mean()), "deterred": bool(fine * caught.mean() >= 1.0)}


def test_experiments_outcomes_pair(tmp_path):
    """The (experiments, outcomes) pair of exploratory modelling (Kwakkel 2017): experiments
    a DataFrame of parameters, outcomes a dict of 1-D arrays aligned with its rows."""
    df = co.sweep(rate_cell, {"q": [0.1, 0.5, 0.9], "fine": [1.0, 5.0]}, executor="serial",
                  progress=False)
    x, y = experiments_outcomes(df)
    assert list(x.columns) == ["q", "fine"] and set(y) == {"rate", "deterred"}
    assert all(v.shape == (len(x),) for v in y.values())
    np.testing.assert_array_equal(y["rate"], df["rate"].to_numpy())
    # without metadata (e.g. read back from CSV) the seed column separates the two
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    x2, y2 = experiments_outcomes(pd.read_csv(path))
    pd.testing.assert_frame_equal(x2, x)
    assert list(y2) == ["rate", "deterred"]
    with pytest.raises(co.errors.InputError, match="cannot tell parameters"):
        experiments_outcomes(pd.DataFrame({"a": [1]}))
    x3, y3 = experiments_outcomes(pd.DataFrame({"a": [1], "b": [2]}), ["a"], ["b"])
    assert list(x3.columns) == ["a"] and y3["b"].tolist() == [2]
