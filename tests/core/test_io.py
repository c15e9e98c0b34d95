"""Atomic writes: nothing half-written, normal permissions, failures leave the old file."""

import os
import stat

import pytest

from cooperation._io import atomic_write, atomic_write_json, atomic_write_text


def test_new_file_gets_umask_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        out = atomic_write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert out.read_text() == "x"


def test_replacing_keeps_the_old_permissions(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text("old")
    p.chmod(0o640)
    atomic_write_text(p, "new")
    assert stat.S_IMODE(p.stat().st_mode) == 0o640
    assert p.read_text() == "new"


def test_failed_writer_leaves_old_file_and_no_temporary(tmp_path):
    p = tmp_path / "c.json"
    atomic_write_json(p, {"a": 1})

    def broken(tmp):
        with open(tmp, "w") as fh:
            fh.write('{"half": ')
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(p, broken)
    assert p.read_text().strip().startswith("{") and '"a": 1' in p.read_text()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["c.json"]


def test_json_nan_and_inf_are_explicit_strings_with_their_meaning(tmp_path):
    """Strict JSON (no bare NaN), and "unknown" (NaN) differs from "no cap" (Infinity)."""
    import json

    import numpy as np

    from cooperation._io import NON_FINITE

    p = atomic_write_json(tmp_path / "d.json", {"x": np.float64("nan"), "y": np.arange(2),
                                                 "cap": float("inf")})
    data = json.loads(p.read_text(), parse_constant=lambda c: pytest.fail(f"bare {c}"))
    assert data["x"] == "NaN" and data["cap"] == "Infinity" and data["y"] == [0, 1]
    assert data["non_finite_values"] == {"NaN": NON_FINITE["NaN"],
                                         "Infinity": NON_FINITE["Infinity"]}
