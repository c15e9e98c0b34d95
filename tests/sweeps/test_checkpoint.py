"""Nothing is lost on interruption: a sweep stopped halfway and resumed from its
checkpoint returns the same DataFrame as an uninterrupted one.

Interruptions are deterministic: the cell function raises KeyboardInterrupt
(or sends SIGINT to the sweeping process) at a chosen cell, once, guarded by a
marker file that it deletes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.errors import InputError
from cooperation.sweeps import ProcessExecutor


def audit_cell(i, q, seed, stop_file="", stop_at=-1, runs=200):
    """A small deterrence simulation; interrupts itself once, at the first cell with
    ``i == stop_at``."""
    if i == stop_at and stop_file and os.path.exists(stop_file):
        os.unlink(stop_file)
        raise KeyboardInterrupt
    rng = np.random.default_rng(seed)
    caught = rng.random(runs) < q
    return {"caught_share": float(caught.mean()), "any": bool(caught.any()),
            "note": f"q={q}", "nan": float("nan") if i % 5 == 0 else 1.0 / 3.0}


GRID = {"i": list(range(12)), "q": [0.1, 0.35, 0.8]}


def _cells_in(path: Path) -> list[int]:
    lines = path.read_text().splitlines()
    assert json.loads(lines[0])["cooperation_sweep_checkpoint"] == 1
    return [json.loads(line)["cell"] for line in lines[1:]]


@pytest.fixture(scope="module")
def reference():
    return co.sweep(audit_cell, GRID, seed=11, executor="serial", progress=False,
                    fixed={"stop_file": "", "stop_at": -1})


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_kill_and_resume_gives_identical_table(executor, tmp_path, reference):
    stop = tmp_path / "stop"
    stop.write_text("")
    ck = tmp_path / "sweep.ckpt"
    fixed = {"stop_file": str(stop), "stop_at": 5}           # cell 15 = (i=5, q=0.1)
    ex = "serial" if executor == "serial" else ProcessExecutor(workers=2, chunksize=3)
    with pytest.raises(KeyboardInterrupt):
        co.sweep(audit_cell, GRID, seed=11, executor=ex, progress=False, checkpoint=ck,
                 fixed=fixed)
    done = _cells_in(ck)
    assert 0 < len(done) < 36 and 15 not in done       # a valid, partial checkpoint
    if executor == "serial":
        assert done == list(range(15))
    ex = "serial" if executor == "serial" else ProcessExecutor(workers=2, chunksize=3)
    resumed = co.sweep(audit_cell, GRID, seed=11, executor=ex, progress=False,
                       checkpoint=ck, fixed=fixed)
    after = _cells_in(ck)
    assert sorted(after) == list(range(36)) and len(after) == 36    # nothing ran twice
    expected = reference.copy()
    expected.attrs = resumed.attrs
    pd.testing.assert_frame_equal(resumed, expected, check_exact=True)
    # a third run reads everything from the checkpoint
    again = co.sweep(audit_cell, GRID, seed=11, executor="serial", progress=False,
                     checkpoint=ck, fixed=fixed)
    pd.testing.assert_frame_equal(again, resumed, check_exact=True)


_SCRIPT = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, {testdir!r})
    import cooperation as co
    from cooperation.sweeps import ProcessExecutor
    from test_checkpoint import GRID, interrupting_cell

    if __name__ == "__main__":
        with open({pidfile!r}, "w") as fh:
            fh.write(str(os.getpid()))
        co.sweep(interrupting_cell, GRID, seed=11, checkpoint={ckpt!r},
                 executor=ProcessExecutor(workers=2, chunksize=2), progress="log",
                 fixed={{"stop_file": {pidfile!r}, "stop_at": 7}})
""")


def interrupting_cell(i, q, seed, stop_file="", stop_at=-1):
    """Sends a real SIGINT (Ctrl-C) to the sweeping process, once, at ``i == stop_at``."""
    if i == stop_at and os.path.exists(stop_file):
        with open(stop_file) as fh:
            pid = int(fh.read())
        os.unlink(stop_file)
        os.kill(pid, signal.SIGINT)
        import time
        time.sleep(2.0)           # the parent stops us before this ends
    return audit_cell(i, q, seed)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def _default_sigint():  # pragma: no cover - runs in the child before exec
    """Restore SIGINT's default in the child: a CI runner or a shell's background job can
    start us with SIGINT ignored, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_with_worker_processes_leaves_a_valid_checkpoint(tmp_path):
    ck = tmp_path / "sweep.ckpt"
    pidfile = tmp_path / "pid"
    script = tmp_path / "run.py"
    script.write_text(_SCRIPT.format(testdir=str(Path(__file__).parent), pidfile=str(pidfile),
                                     ckpt=str(ck)))
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, cwd=str(tmp_path), preexec_fn=_default_sigint)
    assert proc.returncode != 0 and "KeyboardInterrupt" in proc.stderr
    done = _cells_in(ck)
    assert 21 not in done and len(done) < 36 and len(set(done)) == len(done)
    resumed = co.sweep(interrupting_cell, GRID, seed=11, executor="serial", progress=False,
                       checkpoint=ck, fixed={"stop_file": str(pidfile), "stop_at": 7})
    plain = co.sweep(audit_cell, GRID, seed=11, executor="serial", progress=False)
    pd.testing.assert_frame_equal(resumed, plain, check_exact=True)


def test_torn_last_line_is_dropped(tmp_path, reference):
    ck = tmp_path / "sweep.ckpt"
    fixed = {"stop_file": "", "stop_at": -1}
    co.sweep(audit_cell, GRID, seed=11, executor="serial", progress=False, checkpoint=ck,
             fixed=fixed)
    lines = ck.read_text().splitlines(keepends=True)
    # keep the header and 10 cells, then half of the next line (a power cut mid-write)
    ck.write_text("".join(lines[:11]) + lines[11][: len(lines[11]) // 2])
    resumed = co.sweep(audit_cell, GRID, seed=11, executor="serial", progress=False,
                       checkpoint=ck, fixed=fixed)
    pd.testing.assert_frame_equal(resumed, reference, check_exact=True)
    assert sorted(_cells_in(ck)) == list(range(36))


def test_checkpoint_of_another_sweep_is_refused(tmp_path):
    ck = tmp_path / "sweep.ckpt"
    co.sweep(audit_cell, GRID, seed=11, executor="serial", progress=False, checkpoint=ck)
    before = ck.read_text()
    with pytest.raises(InputError, match="different sweep.*seed_entropy") as info:
        co.sweep(audit_cell, GRID, seed=12, executor="serial", progress=False, checkpoint=ck)
    assert info.value.field == "checkpoint"
    with pytest.raises(InputError, match="different sweep"):
        co.sweep(audit_cell, {"i": [0, 1], "q": [0.1]}, seed=11, executor="serial",
                 progress=False, checkpoint=ck)
    assert ck.read_text() == before                   # refused without touching it
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    with pytest.raises(InputError, match="not a cooperation sweep checkpoint"):
        co.sweep(audit_cell, GRID, executor="serial", progress=False, checkpoint=other)
    with pytest.raises(InputError, match="reproducible seed"):
        co.sweep(audit_cell, GRID, seed=None, executor="serial", progress=False,
                 checkpoint=tmp_path / "x.ckpt")


@settings(max_examples=15, deadline=None)
@given(stop_at=st.integers(0, 8), seed=st.integers(0, 1000))
def test_resume_after_any_cell_property(tmp_path_factory, stop_at, seed):
    """Property: interrupting at any cell and resuming reproduces the uninterrupted table."""
    d = tmp_path_factory.mktemp("ck")
    grid = {"i": list(range(3)), "q": [0.2, 0.5, 0.9]}
    stop = d / "stop"
    stop.write_text("")
    fixed = {"stop_file": str(stop), "stop_at": stop_at}
    plain = co.sweep(audit_cell, grid, seed=seed, executor="serial", progress=False,
                     fixed={"stop_file": "", "stop_at": -1})
    ck = d / "c.ckpt"
    hit = stop_at < 3
    if hit:
        with pytest.raises(KeyboardInterrupt):
            co.sweep(audit_cell, grid, seed=seed, executor="serial", progress=False,
                     checkpoint=ck, fixed=fixed)
        assert len(_cells_in(ck)) == 3 * stop_at
    resumed = co.sweep(audit_cell, grid, seed=seed, executor="serial", progress=False,
                       checkpoint=ck, fixed=fixed)
    plain.attrs = resumed.attrs
    pd.testing.assert_frame_equal(resumed, plain, check_exact=True)
