"""Designs, child seeds and the pre-flight checks of a sweep."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.errors import InputError
from cooperation.sweeps import cell_seeds, make_design


def cell(a, b, seed):
    return {"draw": float(np.random.default_rng(seed).random()), "sum": a + b}


def test_full_factorial_matches_itertools_product():
    """The full factorial design is itertools.product in key order (first key slowest)."""
    grid = {"a": [1, 2, 3], "b": [0.5, 1.5], "c": ["x", "y"]}
    d = make_design(grid)
    assert list(d.itertuples(index=False, name=None)) == list(itertools.product(*grid.values()))
    assert d["a"].dtype == np.int64 and d["b"].dtype == np.float64


def test_seeds_are_spawned_children_of_the_root():
    """seed_k is the first 64-bit word of SeedSequence(seed).spawn(m)[k], shifted to 63 bits
    (NumPy, "Parallel random number generation")."""
    children = np.random.SeedSequence(12345).spawn(5)
    expected = [int(c.generate_state(1, np.uint64)[0]) >> 1 for c in children]
    assert cell_seeds(np.random.SeedSequence(12345), 5) == expected
    df = co.sweep(cell, {"a": [1, 2, 3, 4, 5], "b": [0]}, seed=12345, executor="serial",
                  progress=False)
    assert df["seed"].tolist() == expected
    assert df["draw"].tolist() == [np.random.default_rng(s).random() for s in expected]


def test_seed_zero_is_a_seed_and_seed_kinds():
    g = {"a": [1, 2], "b": [3]}
    zero = co.sweep(cell, g, seed=0, executor="serial", progress=False)
    again = co.sweep(cell, g, seed=np.random.SeedSequence(0), executor="serial", progress=False)
    pd.testing.assert_frame_equal(zero, again)
    other = co.sweep(cell, g, seed=1, executor="serial", progress=False)
    assert not zero["seed"].equals(other["seed"])
    gen = co.sweep(cell, g, seed=np.random.default_rng(5), executor="serial", progress=False)
    gen2 = co.sweep(cell, g, seed=np.random.default_rng(5), executor="serial", progress=False)
    pd.testing.assert_frame_equal(gen, gen2)
    fresh = co.sweep(cell, g, seed=None, executor="serial", progress=False)
    assert fresh.attrs["sweep"]["seed_entropy"] != "0"
    for bad in (-1, 1.5, "0", True):
        with pytest.raises(InputError, match="seed"):
            co.sweep(cell, g, seed=bad, executor="serial", progress=False)


def test_dataframe_design_latin_hypercube():
    """Designs from any sampler: a Latin hypercube from scipy.stats.qmc."""
    from scipy.stats import qmc

    sample = qmc.scale(qmc.LatinHypercube(d=2, rng=np.random.default_rng(0)).random(12),
                       [0, 0], [1, 10])
    design = pd.DataFrame(sample, columns=["a", "b"], index=range(100, 112))
    df = co.sweep(cell, design, executor="serial", progress=False)
    assert len(df) == 12 and list(df.index) == list(range(12))
    np.testing.assert_array_equal(df[["a", "b"]].to_numpy(), sample)
    np.testing.assert_allclose(df["sum"], sample.sum(axis=1))


@pytest.mark.parametrize("grid, match", [
    ({}, "the grid is empty"),
    ({"a": [], "b": [1]}, "has no values"),
    ({"a": 3, "b": [1]}, "sequence of values"),
    ({"a": "abc", "b": [1]}, "sequence of values"),
    (pd.DataFrame(), "at least one parameter column"),
    (pd.DataFrame({"a": [], "b": []}), "at least one row"),
    ({"seed": [1], "a": [1], "b": [1]}, "reserved"),
    ({"a b": [1]}, "valid Python identifier"),
    ([1, 2], "dict of parameter"),
])
def test_bad_grids_fail_before_work(grid, match):
    calls = []

    def spy(a=0, b=0, seed=0, **kw):  # pragma: no cover - must not run
        calls.append(1)
        return {}

    with pytest.raises(InputError, match=match) as info:
        co.sweep(spy, grid, executor="serial", progress=False)
    assert info.value.field and "grid" in info.value.field
    assert calls == []


def test_parameter_func_does_not_accept():
    def f(a, seed):  # pragma: no cover - must not run
        raise AssertionError

    with pytest.raises(InputError, match="does not accept a parameter 'b'") as info:
        co.sweep(f, {"a": [1], "b": [2]}, executor="serial", progress=False)
    assert info.value.field == "grid['b']"
    with pytest.raises(InputError, match="`seed` keyword"):
        co.sweep(lambda a: {}, {"a": [1]}, executor="serial", progress=False)
    with pytest.raises(InputError, match="needs an argument 'b'"):
        co.sweep(lambda a, b, seed: {}, {"a": [1]}, executor="serial", progress=False)
    with pytest.raises(InputError, match="both swept and fixed"):
        co.sweep(f, {"a": [1]}, fixed={"a": 2}, executor="serial", progress=False)
    # **kwargs accepts anything; fixed arguments reach every cell
    df = co.sweep(lambda a, seed, **kw: {"k": kw["k"]}, {"a": [1, 2]}, fixed={"k": 7},
                  executor="serial", progress=False)
    assert df["k"].tolist() == [7, 7] and df.attrs["sweep"]["fixed"] == {"k": "7"}


def test_progress_modes(capsys, caplog):
    caplog.set_level("INFO", logger="cooperation.sweeps")
    co.sweep(cell, {"a": [1, 2], "b": [1]}, executor="serial", progress="log")
    assert "2/2 cells (100.0%)" in caplog.text + capsys.readouterr().err
    co.sweep(cell, {"a": [1, 2], "b": [1]}, executor="serial", progress=True)
    assert "2/2" in capsys.readouterr().err          # tqdm writes to stderr
    with pytest.raises(InputError, match="progress"):
        co.sweep(cell, {"a": [1], "b": [1]}, executor="serial", progress="loud")


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]),
                       st.lists(st.integers(-5, 5), min_size=1, max_size=4),
                       min_size=1, max_size=3),
       st.integers(0, 2**32))
def test_table_properties(grid, seed):
    """Property: one row per cell in product order, unique seeds, parameters intact."""
    def f(seed, **params):
        return {"total": sum(params.values())}

    df = co.sweep(f, grid, seed=seed, executor="serial", progress=False)
    n = int(np.prod([len(v) for v in grid.values()]))
    assert len(df) == n and df["seed"].is_unique
    assert list(df.columns) == [*grid, "seed", "total"]
    assert list(df[list(grid)].itertuples(index=False, name=None)) == \
        list(itertools.product(*grid.values()))
    assert (df["total"] == df[list(grid)].sum(axis=1)).all()
    assert df["seed"].between(0, 2**63 - 1).all()
