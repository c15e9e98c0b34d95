"""A sweep never ends in a traceback on bad input, never trusts a forged checkpoint,
never loses its table, and never leaves workers or temporary files behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation._io import _host_tag, atomic_write_text
from cooperation.cli import main
from cooperation.errors import InputError, SolverError
from cooperation.sweeps import ProcessExecutor, write_table

CELLS = textwrap.dedent('''
    import os

    def f(q, fine, seed, marker=""):
        if marker:
            open(marker, "a").write("ran\\n")
        return {"y": q * fine}
''')

H = 'function = "robust_cells:f"\n'
G = '[grid]\nq = [0.1]\nfine = [1.0]\n'
LHS = '[design]\nsampler = "latin_hypercube"\n'

#: 28 malformed specs: each must end with exit status 2 and one line naming the problem
MALFORMED = {
    "binary": (b"\x00\xff\xfe\x80binary", "binary file"),
    "not_utf8": (b"name = \"\xff\xfe\"\n", "not UTF-8"),
    "empty": ("   \n", "empty"),
    "not_toml": ("function = \n", "not valid TOML"),
    "string_start": (H + '[grid]\nq = {start = "a", stop = 1, num = 3}\nfine = [1]\n',
                     "grid.q.start = 'a': must be a number"),
    "seed_string": ('seed = "x"\n' + H + G, "seed = 'x': must be an integer"),
    "seed_bool": ("seed = true\n" + H + G, "seed = True: must be an integer"),
    "num_true": (H + "[grid]\nq = {start = 0, stop = 1, num = true}\nfine = [1]\n",
                 "grid.q.num = True: must be an integer"),
    "num_float": (H + "[grid]\nq = {start = 0, stop = 1, num = 3.0}\nfine = [1]\n",
                  "grid.q.num = 3.0: must be an integer"),
    "num_huge": (H + "[grid]\nq = {start = 0, stop = 1, num = 10000000000}\nfine = [1]\n",
                 "grid.q.num = 10000000000: must lie in"),
    "log_string": (H + '[grid]\nq = {start = 0, stop = 1, num = 3, log = "yes"}\nfine = [1]\n',
                   "grid.q.log = 'yes': must be true or false"),
    "start_nan": (H + "[grid]\nq = {start = nan, stop = 1, num = 3}\nfine = [1]\n",
                  "grid.q.start = nan"),
    "log_overflow": (H + "[grid]\nq = {start = 0, stop = 400, num = 3, log = true}\n"
                     "fine = [1]\n", "overflows"),
    "bad_range_string": (H + '[grid]\nq = "0:1:x"\nfine = [1]\n', "whole number n"),
    "function_int": ("function = 3\n" + G, "function = 3"),
    "grid_int": (H + "grid = 3\n", "grid = 3: must be a table"),
    "fixed_int": (H + "fixed = 3\n" + G, "fixed = 3: must be a table"),
    "chunksize_bool": ("chunksize = true\n" + H + G, "chunksize = True: must be an integer"),
    "workers_string": ('workers = "2"\n' + H + G, "workers = '2': must be an integer"),
    "checkpoint_int": ("checkpoint = 3\n" + H + G, "checkpoint = 3"),
    "name_int": ("name = 3\n" + H + G, "name = 3"),
    "nested_list": (H + "[grid]\nq = [[1, 2]]\nfine = [1]\n", "each value must be"),
    "value_table": (H + "[grid]\nq = [{a = 1}]\nfine = [1]\n", "each value must be"),
    "design_n_true": (H + LHS + "n = true\nbounds = {q = [0, 1], fine = [0, 1]}\n",
                      "design.n = True: must be an integer"),
    "design_seed_string": (H + LHS + 'n = 3\nseed = "x"\nbounds = {q = [0, 1], fine = [0, 1]}\n',
                           "design.seed = 'x'"),
    "design_bounds_string": (H + LHS + 'n = 3\nbounds = {q = ["a", 1], fine = [0, 1]}\n',
                             "design.bounds.q = 'a': must be a number"),
    "design_file_int": (H + "[design]\nfile = 3\n", "design.file = 3"),
    "design_file_binary": (H + '[design]\nfile = "bin.csv"\n', "not a readable CSV"),
    "design_unknown_key": (H + LHS + "n = 3\nbounds = {q = [0, 1], fine = [0, 1]}\ncolour = 1\n",
                           "design.colour = 1: unknown key"),
    "both_forms": (H + 'scenario = "s.toml"\n' + G, "exactly one of function"),
    "top_typo": (H + "sed = 1\n" + G, "did you mean 'seed'"),
}


@pytest.fixture()
def cells_dir(tmp_path):
    (tmp_path / "robust_cells.py").write_text(CELLS)
    (tmp_path / "bin.csv").write_bytes(b"\x00\xff\xfe")
    yield tmp_path
    sys.modules.pop("robust_cells", None)
    if str(tmp_path) in sys.path:
        sys.path.remove(str(tmp_path))


def _one_line_exit_2(capsys, argv) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith("cooperation sweep: error: ") and "\n" not in err, err
    assert "Traceback" not in captured.err
    return err


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_spec_exits_2_with_one_line(cells_dir, capsys, name):
    body, match = MALFORMED[name]
    spec = cells_dir / f"{name}.toml"
    spec.write_bytes(body if isinstance(body, bytes) else body.encode())
    out = cells_dir / "out.csv"
    err = _one_line_exit_2(capsys, ["sweep", str(spec), "--out", str(out), "--serial",
                                    "--progress", "none"])
    assert match in err
    assert not out.exists()


@pytest.mark.parametrize("path, match", [("/dev/zero", "not a regular file"),
                                         (".", "is a folder")])
def test_devices_and_folders_are_not_read(cells_dir, capsys, path, match):
    if path == "/dev/zero" and not Path(path).exists():
        pytest.skip("no /dev/zero here")
    err = _one_line_exit_2(capsys, ["sweep", str(cells_dir if path == "." else path),
                                    "--out", str(cells_dir / "o.csv")])
    assert match in err


# ------------------------------------------------------------------ outputs checked first
@pytest.mark.parametrize("flag", ["--out", "--plot", "--checkpoint"])
def test_unwritable_outputs_are_refused_before_any_cell(cells_dir, capsys, flag):
    (cells_dir / "s.toml").write_text(H + G + f'[fixed]\nmarker = "{cells_dir / "ran"}"\n')
    blocker = cells_dir / "a_file"
    blocker.write_text("")
    paths = {"--out": str(cells_dir / "o.csv"), "--plot": None, "--checkpoint": None}
    suffix = {"--out": "o.csv", "--plot": "p.png", "--checkpoint": "c.ckpt"}[flag]
    paths[flag] = str(blocker / suffix)                # a file where a folder should be
    argv = ["sweep", str(cells_dir / "s.toml"), "--serial", "--progress", "none"]
    argv += [x for k, v in paths.items() if v is not None for x in (k, v)]
    err = _one_line_exit_2(capsys, argv)
    assert flag in err and "is a file, not a folder" in err
    assert not (cells_dir / "ran").exists()           # no cell ran


def test_integer_beyond_64_bits_fails_at_its_cell(tmp_path):
    def big(x, seed):
        return {"y": 2**70 if x == 2 else x}

    ck = tmp_path / "c.ckpt"
    with pytest.raises(InputError, match=r"sweep cell 2 \{'x': 2\}: .*fit in 64 bits"):
        co.sweep(big, {"x": [0, 1, 2, 3]}, executor="serial", progress=False, checkpoint=ck)
    assert len(ck.read_text().splitlines()) == 3           # header + cells 0 and 1 kept
    df = co.sweep(lambda x, seed: {"y": np.uint64(2**63 - 1)}, {"x": [0]},
                  executor="serial", progress=False)
    assert df["y"].tolist() == [2**63 - 1]                  # the largest int64 is fine


def test_a_table_parquet_cannot_hold_is_rescued_as_csv(tmp_path):
    pytest.importorskip("pyarrow")
    df = pd.DataFrame({"q": [0.1, 0.2], "seed": [1, 2], "label": ["a", 3.5]})
    target = tmp_path / "t.parquet"
    with pytest.raises(InputError, match="saved to .*t.csv instead") as info:
        write_table(df, target)
    assert "\n" not in str(info.value)
    assert not target.exists()
    back = pd.read_csv(tmp_path / "t.csv")
    assert back["q"].tolist() == [0.1, 0.2] and back["label"].tolist() == ["a", "3.5"]
    assert not list(tmp_path.glob(".*.tmp"))


# ------------------------------------------------------------------ checkpoints
def cell(i, q, seed):
    return {"share": float(np.random.default_rng(seed).random()) * q, "tag": f"c{i}"}


GRID = {"i": [0, 1, 2], "q": [0.5, 1.0]}


def _forge(lines: list[str], how: str) -> list[str]:
    rec = json.loads(lines[2])
    other = json.loads(lines[3])
    if how == "cell_out_of_range":
        rec["cell"] = 99
    elif how == "cell_bool":
        rec["cell"] = True
    elif how == "wrong_seed":
        rec["seed"] += 1
    elif how == "wrong_params":
        rec["params"]["q"] = 0.75
    elif how == "nested_outcome":
        rec["outcome"]["share"] = [1, 2]
    elif how == "huge_outcome":
        rec["outcome"]["share"] = 2**80
    elif how == "clashing_outcome":
        rec["outcome"]["q"] = 1.0
    elif how == "missing_key":
        del rec["seed"]
    elif how == "not_a_record":
        return [*lines[:2], "[1, 2, 3]\n", *lines[3:]]
    elif how == "junk_line":
        return [*lines[:2], "}{\n", *lines[3:]]
    elif how == "duplicate_other_outcome":
        other = dict(rec, outcome={"share": 0.123, "tag": "x"})
        return [*lines, json.dumps(other) + "\n"]
    return [*lines[:2], json.dumps(rec) + "\n", *lines[3:]]


FORGERIES = ["cell_out_of_range", "cell_bool", "wrong_seed", "wrong_params", "nested_outcome",
             "huge_outcome", "clashing_outcome", "missing_key", "not_a_record", "junk_line",
             "duplicate_other_outcome"]


@pytest.fixture(scope="module")
def finished_checkpoint(tmp_path_factory):
    ck = tmp_path_factory.mktemp("ck") / "full.ckpt"
    table = co.sweep(cell, GRID, seed=5, executor="serial", progress=False, checkpoint=ck)
    return ck.read_text().splitlines(keepends=True), table


@pytest.mark.parametrize("how", FORGERIES)
def test_forged_or_malformed_records_are_named_corrupt(tmp_path, finished_checkpoint, how):
    lines, _ = finished_checkpoint
    ck = tmp_path / "c.ckpt"
    forged = _forge(list(lines), how)
    ck.write_text("".join(forged))
    with pytest.raises(InputError, match=r"checkpoint is corrupt: line \d+") as info:
        co.sweep(cell, GRID, seed=5, executor="serial", progress=False, checkpoint=ck)
    assert info.value.field == "checkpoint" and "\n" not in str(info.value)
    assert ck.read_text() == "".join(forged)               # refused without touching it


def test_valid_checkpoint_with_a_repeated_record_resumes_identically(tmp_path,
                                                                      finished_checkpoint):
    lines, table = finished_checkpoint
    ck = tmp_path / "c.ckpt"
    ck.write_text("".join([*lines[:4], lines[2]]))         # cells 0, 1 and cell 0 again
    resumed = co.sweep(cell, GRID, seed=5, executor="serial", progress=False, checkpoint=ck)
    pd.testing.assert_frame_equal(resumed, table, check_exact=True)


# ------------------------------------------------------------------ no strays
_KILL_SCRIPT = textwrap.dedent("""
    import os, sys, time
    import cooperation as co
    from cooperation.sweeps import ProcessExecutor

    def slow(x, seed, pids=""):
        with open(pids, "a") as fh:
            fh.write(f"{{os.getpid()}}\\n")
        time.sleep(60)
        return {{"y": x}}

    if __name__ == "__main__":
        co.sweep(slow, {{"x": [0, 1, 2, 3]}}, progress=False, fixed={{"pids": {pids!r}}},
                 executor=ProcessExecutor(workers=2, chunksize=1, start_method={method!r}))
""")


def _gone(pid: int) -> bool:
    """Dead or a zombie (a container's PID 1 may never reap an orphan)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and fork: Linux")
@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_kill_9_of_a_pool_sweep_leaves_no_worker(tmp_path, method):
    pids = tmp_path / "pids"
    script = tmp_path / "run.py"
    script.write_text(_KILL_SCRIPT.format(pids=str(pids), method=method))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=str(tmp_path))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if pids.exists() and len(pids.read_text().split()) >= 2:
            break
        time.sleep(0.05)
    workers = [int(p) for p in pids.read_text().split()]
    assert len(workers) >= 2 and proc.pid not in workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=15)          # returns only once no worker holds the pipes
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not all(_gone(p) for p in workers):
        time.sleep(0.05)
    assert all(_gone(p) for p in workers)


def test_stale_temporary_files_of_dead_writers_are_removed(tmp_path):
    """A kill -9 mid-write leaves .NAME.PID-HOST.XXXX.tmp; the next write to the same
    target removes it, and leaves a live writer's and another host's alone."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    host = _host_tag()
    stale = tmp_path / f".results.csv.{dead_pid}-{host}.k3j2.tmp"
    live = tmp_path / f".results.csv.{os.getppid()}-{host}.a1b2.tmp"
    remote = tmp_path / f".results.csv.{dead_pid}-00000000.c3d4.tmp"
    other = tmp_path / f".other.csv.{dead_pid}-{host}.e5f6.tmp"
    for p in (stale, live, remote, other):
        p.write_text("half a table")
    write_table(pd.DataFrame({"q": [0.1], "seed": [1]}), tmp_path / "results.csv")
    assert not stale.exists()
    assert live.exists() and remote.exists() and other.exists()
    atomic_write_text(tmp_path / "other.csv", "x\n")
    assert not other.exists()


# ------------------------------------------------------------------ Dask loses its workers
def crash_once(x, seed, marker=""):
    if x == 1 and marker and os.path.exists(marker):
        os.unlink(marker)
        os._exit(1)                       # takes the worker (and the scattered function) down
    return {"y": 10 * x, "draw": float(np.random.default_rng(seed).random())}


def crash_always(x, seed):
    if x == 0:
        os._exit(1)
    return {"y": x}


def test_dask_resubmits_after_losing_its_workers_and_names_a_crashing_cell(tmp_path):
    distributed = pytest.importorskip("distributed")
    from cooperation.sweeps import DaskExecutor

    marker = tmp_path / "crash"
    marker.write_text("")
    grid = {"x": [0, 1, 2, 3]}
    expected = co.sweep(crash_once, grid, seed=3, executor="serial", progress=False,
                        fixed={"marker": ""})
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        got = co.sweep(crash_once, grid, seed=3, progress=False, fixed={"marker": str(marker)},
                       executor=DaskExecutor(client, chunksize=1))
        assert not marker.exists()                          # the worker did crash once
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        with pytest.raises(SolverError, match="cell 0 crashed the Dask worker") as info:
            co.sweep(crash_always, {"x": [0]}, progress=False,
                     executor=DaskExecutor(client, chunksize=1, retries=0))
        assert "parameters {'x': 0}" in str(info.value) and "\n" not in str(info.value)


def test_pool_worker_checks_are_in_place():
    """The watchdog's contract in a live pool: workers know their parent."""
    with ProcessExecutor(workers=1) as ex:
        df = co.sweep(parent_cell, {"x": [0]}, executor=ex, progress=False)
    assert df["ppid"].tolist() == [os.getpid()] or ex.method_used == "forkserver"
    assert df["watchdog"].tolist() == [True]


def parent_cell(x, seed):
    import threading

    return {"ppid": os.getppid(),
            "watchdog": any(t.name == "sweep-parent-watchdog" for t in threading.enumerate())}
