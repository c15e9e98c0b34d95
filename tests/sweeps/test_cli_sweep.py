"""``cooperation sweep SPEC --out results.parquet|.csv [--scheduler ADDRESS]``."""

from __future__ import annotations

import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation.cli import main
from cooperation.sweeps import load_spec

CELLS = textwrap.dedent('''
    import numpy as np

    def deterrence(q, fine, seed, gain=1.0, accuracy=0.8, runs=500):
        rng = np.random.default_rng(seed)
        detected = (rng.random(runs) < q) & (rng.random(runs) < accuracy)
        net = gain - fine * detected.mean()
        return {"net_gain": float(net), "deterred": bool(net <= 0)}
''')

SPEC = textwrap.dedent('''
    function = "sweepcells_p7:deterrence"
    seed = 4
    chunksize = 3
    {extra}

    [grid]
    q = [0.25, 0.5]
    fine = {{ start = 0, stop = 8, num = 5 }}

    [fixed]
    runs = 400
''')


@pytest.fixture()
def spec_dir(tmp_path):
    (tmp_path / "sweepcells_p7.py").write_text(CELLS)
    (tmp_path / "spec.toml").write_text(SPEC.format(extra=""))
    yield tmp_path
    sys.modules.pop("sweepcells_p7", None)       # each test imports its own copy
    if str(tmp_path) in sys.path:
        sys.path.remove(str(tmp_path))


def _expected(spec_dir):
    """The API's table as a file reader sees it: seeds are Python ints in memory and
    exact digits on disk, read back as int64 (every seed is below 2**63)."""
    spec = load_spec(spec_dir / "spec.toml")
    df = co.sweep(spec.func, spec.grid, seed=4, fixed={"runs": 400}, executor="serial",
                  progress=False)
    assert all(type(x) is int for x in df["seed"])
    return df.astype({"seed": "int64"})


def test_spec_parses(spec_dir):
    spec = load_spec(spec_dir / "spec.toml")
    assert spec.grid == {"q": [0.25, 0.5], "fine": [0.0, 2.0, 4.0, 6.0, 8.0]}
    assert spec.seed == 4 and spec.fixed == {"runs": 400} and spec.local_module


def test_cli_csv_and_parquet(spec_dir, capsys):
    expected = _expected(spec_dir)
    out = spec_dir / "res.csv"
    assert main(["sweep", str(spec_dir / "spec.toml"), "--out", str(out), "--workers", "2",
                 "--progress", "none"]) == 0
    text = capsys.readouterr().out
    assert "10 cells" in text and "wrote" in text
    got = pd.read_csv(out)
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True), check_exact=True)
    pytest.importorskip("pyarrow")
    pq = spec_dir / "res.parquet"
    assert main(["sweep", str(spec_dir / "spec.toml"), "--out", str(pq), "--serial",
                 "--progress", "none"]) == 0
    back = pd.read_parquet(pq)
    pd.testing.assert_frame_equal(back, expected, check_exact=True)
    assert back.attrs["sweep"]["parameters"] == ["q", "fine"]


def test_cli_on_dask_scheduler(spec_dir, dask_client):
    """The cell module lives only in the spec's folder: it is shipped to workers by value."""
    expected = _expected(spec_dir)
    out = spec_dir / "res.csv"
    assert main(["sweep", str(spec_dir / "spec.toml"), "--out", str(out), "--scheduler",
                 dask_client.scheduler.address, "--progress", "log"]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out), expected, check_exact=True)


def test_cli_checkpoint_and_design_file(spec_dir):
    design = pd.DataFrame({"q": [0.1, 0.9, 0.5], "fine": [3.0, 1.0, 2.0]})
    design.to_csv(spec_dir / "designs.csv", index=False)
    (spec_dir / "d.toml").write_text(textwrap.dedent('''
        function = "sweepcells_p7.py:deterrence"
        checkpoint = "d.ckpt"
        [design]
        file = "designs.csv"
    '''))
    out = spec_dir / "d.csv"
    assert main(["sweep", str(spec_dir / "d.toml"), "--out", str(out), "--serial",
                 "--progress", "none"]) == 0
    assert (spec_dir / "d.ckpt").exists()
    got = pd.read_csv(out)
    np.testing.assert_array_equal(got[["q", "fine"]].to_numpy(), design.to_numpy())


def test_latin_hypercube_design(spec_dir):
    (spec_dir / "lhs.toml").write_text(textwrap.dedent('''
        function = "sweepcells_p7:deterrence"
        [design]
        sampler = "latin_hypercube"
        n = 8
        seed = 3
        bounds = { q = [0.0, 1.0], fine = [0.0, 10.0] }
    '''))
    spec = load_spec(spec_dir / "lhs.toml")
    d = spec.grid
    assert d.shape == (8, 2) and d["q"].between(0, 1).all() and d["fine"].between(0, 10).all()
    # one point per stratum in each dimension (the Latin property)
    assert sorted(np.floor(d["q"] * 8).astype(int)) == list(range(8))


@pytest.mark.parametrize("extra, args, match", [
    ("", ["--out", "res.xlsx"], "must end in .parquet or .csv"),
    ("colour = 1", ["--out", "r.csv"], "unknown key"),
    ("", ["--out", "r.csv", "--scheduler", "tcp://127.0.0.1:9"], "no Dask scheduler"),
])
def test_cli_bad_input_exits_2_with_one_line(spec_dir, capsys, extra, args, match,
                                             monkeypatch):
    import cooperation.sweeps.executors as ex

    monkeypatch.setattr(ex.DaskExecutor.__init__, "__defaults__", (None, 1.0, 2))
    (spec_dir / "spec.toml").write_text(SPEC.format(extra=extra))
    monkeypatch.chdir(spec_dir)
    assert main(["sweep", "spec.toml", *args, "--progress", "none"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and match in err and err.startswith("cooperation sweep: error")


@pytest.mark.parametrize("body, match", [
    ('function = "nope_p7:f"\n[grid]\nx = [1]\n', "cannot import the module"),
    ('function = "sweepcells_p7:missing"\n[grid]\nx = [1]\n', "has no function"),
    ('function = "sweepcells_p7:deterrence"\n', "exactly one of"),
    ('function = "sweepcells_p7:deterrence"\n[grid]\nq = []\nfine = [1]\n', "no values"),
    ('function = "sweepcells_p7:deterrence"\n[grid]\nq = [1]\nfin = [1]\n',
     "does not accept a parameter 'fin'"),
    ('function = "sweepcells_p7:deterrence"\nseed = -1\n[grid]\nq = [1]\n', "must be >= 0"),
    ('function = "sweepcells_p7:deterrence"\n[grid]\nq = {start = 0, stop = 1}\n',
     "start, stop, num"),
])
def test_bad_specs(spec_dir, capsys, body, match):
    (spec_dir / "bad.toml").write_text(body)
    assert main(["sweep", str(spec_dir / "bad.toml"), "--out", str(spec_dir / "o.csv"),
                 "--serial", "--progress", "none"]) == 2
    assert match in capsys.readouterr().err
    assert not (spec_dir / "o.csv").exists()
