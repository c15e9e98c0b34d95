"""Serial, process-pool and Dask runs of one seeded sweep give identical tables;
bad executors and unpicklable functions fail clearly before any work starts."""

from __future__ import annotations

import multiprocessing
import os
import threading

import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation.errors import InputError
from cooperation.sweeps import DaskExecutor, ProcessExecutor, SerialExecutor


def noisy_pd_cell(delta, noise, seed, runs=300, rounds=30):
    """Tit-for-tat pairs in a noisy repeated PD (execution errors), vectorised over runs."""
    rng = np.random.default_rng(seed)
    last = np.ones((runs, 2), dtype=bool)          # both cooperated "before" round 1
    coop = np.zeros(runs)
    weight = np.zeros(runs)
    alive = np.ones(runs, dtype=bool)
    for _ in range(rounds):
        intended = last[:, ::-1]                    # copy the partner's last move
        flip = rng.random((runs, 2)) < noise
        act = intended ^ flip
        coop += alive * act.mean(axis=1)
        weight += alive
        last = act
        alive &= rng.random(runs) < delta
    return {"cooperation_rate": float((coop / weight).mean()),
            "all_cooperated": bool(np.all(coop == weight)),
            "label": "high" if noise > 0.05 else "low", "rounds": int(rounds)}


GRID = {"delta": [0.5, 0.9], "noise": [0.0, 0.02, 0.1], "run_id": [0, 1, 2]}


def replicated_cell(delta, noise, run_id, seed):
    return noisy_pd_cell(delta, noise, seed)


@pytest.fixture(scope="module")
def serial_table():
    return co.sweep(replicated_cell, GRID, seed=7, executor="serial", progress=False)


def test_serial_table_shape(serial_table):
    df = serial_table
    assert list(df.columns) == ["delta", "noise", "run_id", "seed", "cooperation_rate",
                                "all_cooperated", "label", "rounds"]
    assert len(df) == 18 and df["seed"].is_unique
    # seeds stay Python ints, also when a row is read on its own (no float upcast)
    assert all(type(x) is int for x in df["seed"])
    assert all(type(df.iloc[k]["seed"]) is int and df.iloc[k]["seed"] == df["seed"][k]
               for k in range(len(df)))
    # without noise tit-for-tat pairs always cooperate
    assert df.loc[df["noise"] == 0.0, "cooperation_rate"].eq(1.0).all()
    assert df.loc[df["noise"] == 0.1, "cooperation_rate"].lt(0.9).all()
    # cells of the same parameters but another replicate differ (own seeds)
    rep = df[(df["delta"] == 0.9) & (df["noise"] == 0.1)]["cooperation_rate"]
    assert rep.nunique() == 3


@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
def test_process_pool_matches_serial(serial_table, method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} not available here")
    ex = ProcessExecutor(workers=2, chunksize=4, start_method=method)
    df = co.sweep(replicated_cell, GRID, seed=7, executor=ex, progress=False)
    assert ex.method_used == method
    pd.testing.assert_frame_equal(df, serial_table)
    # the default executor (local processes, default chunking) too
    pd.testing.assert_frame_equal(co.sweep(replicated_cell, GRID, seed=7, progress=False),
                                  serial_table)


def test_dask_local_cluster_matches_serial(serial_table, dask_client):
    df = co.sweep(replicated_cell, GRID, seed=7, executor=dask_client, progress=False)
    pd.testing.assert_frame_equal(df, serial_table)
    df = co.sweep(replicated_cell, GRID, seed=7, progress=False,
                  executor=DaskExecutor(dask_client, chunksize=1))
    pd.testing.assert_frame_equal(df, serial_table)
    # a lambda travels by value (cloudpickle)
    lam = co.sweep(lambda delta, noise, run_id, seed: {"s": seed}, GRID, seed=7,
                   executor=dask_client, progress=False)
    assert lam["s"].tolist() == serial_table["seed"].tolist()


def test_same_seed_any_chunking_and_order():
    """Chunk size and the order cells finish in do not change the table."""
    a = co.sweep(replicated_cell, GRID, seed=3, executor="serial", progress=False)
    with ProcessExecutor(workers=2, chunksize=1) as ex:
        b = co.sweep(replicated_cell, GRID, seed=3, executor=ex, progress=False)
        c = co.sweep(replicated_cell, GRID, seed=3, executor=ex, progress=False)  # pool reused
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_unpicklable_func_fails_before_work(tmp_path):
    lock = threading.Lock()
    marker = tmp_path / "ran"

    def holds_a_lock(x, seed):
        with lock:
            marker.write_text("ran")
        return {"y": x}

    with pytest.raises(InputError, match="cannot be pickled") as info:
        co.sweep(holds_a_lock, {"x": [1, 2]}, executor="processes", progress=False,
                 checkpoint=tmp_path / "ck.jsonl")
    assert info.value.field == "func" and "executor='serial'" in str(info.value)
    assert not marker.exists() and not (tmp_path / "ck.jsonl").exists()
    # the same function is fine serially
    assert co.sweep(holds_a_lock, {"x": [1, 2]}, executor="serial",
                    progress=False)["y"].tolist() == [1, 2]


def test_unreachable_scheduler_fails_before_work(tmp_path):
    pytest.importorskip("distributed")
    ran = tmp_path / "ran"

    def cell(x, seed):  # pragma: no cover - must never run
        ran.write_text("ran")
        return {"y": x}

    with pytest.raises(InputError, match="no Dask scheduler answers") as info:
        co.sweep(cell, {"x": [1]}, executor=DaskExecutor("tcp://127.0.0.1:9", timeout=1),
                 progress=False)
    assert info.value.field == "scheduler" and "dask scheduler" in str(info.value)
    assert not ran.exists()


def test_bad_executor_argument():
    with pytest.raises(InputError, match="executor must be"):
        co.sweep(replicated_cell, GRID, executor=42, progress=False)
    with pytest.raises(InputError, match="workers"):
        ProcessExecutor(workers=0)


def raises_value_error(x, seed):
    if x == 3:
        raise ValueError("boom")
    return {"y": x}


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_cell_error_names_the_cell(executor, tmp_path):
    ck = tmp_path / "ck.jsonl"
    with pytest.raises(ValueError, match="boom") as info:
        co.sweep(raises_value_error, {"x": [1, 2, 3, 4]}, executor=executor,
                 progress=False, checkpoint=ck, chunksize=4 if executor != "serial" else None)
    assert any("in sweep cell 2: parameters {'x': 3}" in n for n in info.value.__notes__)
    lines = ck.read_text().splitlines()
    assert len(lines) >= 3           # header + cells 0 and 1 (run before cell 2)


def bad_outcome(x, seed):
    return {"y": np.arange(3)}


def clashing_outcome(x, seed):
    return {"x": 1.0}


def test_outcome_errors():
    with pytest.raises(InputError, match="one number, bool, string"):
        co.sweep(bad_outcome, {"x": [1]}, executor="serial", progress=False)
    with pytest.raises(InputError, match="name of a parameter"):
        co.sweep(clashing_outcome, {"x": [1]}, executor="serial", progress=False)
    with pytest.raises(InputError, match="must return a dict"):
        co.sweep(lambda x, seed: 3.0, {"x": [1]}, executor="serial", progress=False)


def test_serial_executor_object_and_series_outcome():
    def cell(x, seed):
        return pd.Series({"y": np.float32(x) / 2, "n": np.int64(x)}, dtype=object)

    df = co.sweep(cell, {"x": [1, 2]}, executor=SerialExecutor(), progress=False)
    assert df["y"].tolist() == [0.5, 1.0] and df["n"].dtype == np.int64


def test_worker_processes_use_their_own_pid():
    """Sanity: the process executor really runs cells elsewhere."""
    df = co.sweep(pid_cell, {"x": list(range(8))}, executor=ProcessExecutor(workers=2),
                  progress=False)
    assert os.getpid() not in set(df["pid"])


def pid_cell(x, seed):
    return {"pid": os.getpid()}


def test_script_without_main_guard_and_from_stdin(tmp_path):
    """Workers do not re-run the main script, even with forkserver (or spawn): a script
    without an `if __name__ == '__main__'` guard, or one fed on standard input, sweeps on
    processes once."""
    import subprocess
    import sys

    pytest.importorskip("cloudpickle")      # the job travels by value only with cloudpickle
    body = ("import numpy as np, cooperation as co\n"
            "def f(x, seed):\n"
            "    return {'y': 2 * x}\n"
            "print('main body ran')\n"
            "df = co.sweep(f, {'x': [1, 2, 3, 4]}, progress=False,\n"
            "              executor=co.sweeps.ProcessExecutor(workers=2, chunksize=1,\n"
            "                                                 start_method='forkserver'))\n"
            "print(df['y'].tolist())\n")
    script = tmp_path / "noguard.py"
    script.write_text(body)
    for cmd, stdin in (([sys.executable, str(script)], None), ([sys.executable, "-"], body)):
        proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=120,
                              cwd=str(tmp_path))
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.count("main body ran") == 1 and "[2, 4, 6, 8]" in proc.stdout
