"""Sweep specification files (TOML) for batch runs and the ``cooperation sweep`` command.

A spec names the cell function and the grid; paths are relative to the spec
file, and the spec's folder is searched first for the function's module::

    function = "cells:deterrence"      # module:function, or "cells.py:deterrence"
    seed = 0
    checkpoint = "deterrence.ckpt"     # optional: resume after an interruption
    chunksize = 10                     # optional

    [grid]                             # full factorial
    q = [0.1, 0.2, 0.3]                # a list of values ...
    fine = { start = 0, stop = 40, num = 41 }           # ... or numpy.linspace
    noise = { start = -3, stop = -1, num = 3, log = true }  # ... or numpy.logspace

    [fixed]                            # passed to every cell, not swept
    runs = 2000

Instead of ``[grid]`` a ``[design]`` table gives a list of designs: either
``file = "designs.csv"`` (one column per parameter) or a Latin hypercube
sample from ``scipy.stats.qmc``::

    [design]
    sampler = "latin_hypercube"
    n = 200
    seed = 1
    bounds = { q = [0.0, 1.0], fine = [0.0, 50.0] }
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._io import atomic_write
from ..errors import InputError

__all__ = ["SweepSpec", "load_spec", "run_spec", "write_table", "check_table_path"]

_KEYS = {"function", "seed", "checkpoint", "chunksize", "workers", "grid", "design", "fixed",
         "name", "description"}


@dataclass(frozen=True)
class SweepSpec:
    """A parsed sweep spec: everything :func:`cooperation.sweep` needs."""

    func: Any
    grid: Any                      # dict of name -> list, or DataFrame of designs
    seed: int = 0
    fixed: dict = field(default_factory=dict)
    checkpoint: str | None = None
    chunksize: int | None = None
    workers: int | None = None
    module: Any = None             # the module func came from
    local_module: bool = False     # found in the spec's folder (ship it by value to a cluster)
    source: str = ""


def _err(source: str, field_: str, value: Any, rule: str, fix: str | None = None):
    return InputError(rule, field=field_, value=value, source=source, fix=fix)


def load_spec(path: str | os.PathLike) -> SweepSpec:
    """Read and validate a sweep spec (see the module docstring for the format).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from cooperation.sweeps import load_spec
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "cells.py").write_text("def f(x, seed):\\n    return {'y': x}\\n")
    >>> _ = (d / "s.toml").write_text('function = "cells:f"\\n[grid]\\n'
    ...                               'x = {start = 0, stop = 1, num = 3}\\n')
    >>> spec = load_spec(d / "s.toml")
    >>> spec.grid["x"]
    [0.0, 0.5, 1.0]
    """
    p = Path(path)
    src = str(p)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _err(src, "spec", src, "file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise _err(src, "spec", src, f"not valid TOML ({exc})") from exc
    unknown = set(data) - _KEYS
    if unknown:
        raise _err(src, sorted(unknown)[0], data[sorted(unknown)[0]],
                   f"unknown key (known: {sorted(_KEYS)})")
    base = p.resolve().parent
    if "function" not in data:
        raise _err(src, "function", None, "missing: the cell function as 'module:function'",
                   fix='e.g. function = "cells:deterrence"')
    func, module, local = _import_function(data["function"], base, src)
    if ("grid" in data) == ("design" in data):
        raise _err(src, "grid", None, "give exactly one of [grid] (full factorial) or "
                   "[design] (a list of designs)")
    grid = _grid(data["grid"], src) if "grid" in data else _design(data["design"], base, src)
    seed = data.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise _err(src, "seed", seed, "must be a non-negative integer")
    fixed = data.get("fixed", {})
    if not isinstance(fixed, dict):
        raise _err(src, "fixed", fixed, "must be a table of name = value")
    ckpt = data.get("checkpoint")
    if ckpt is not None:
        ckpt = str((base / ckpt) if not Path(ckpt).is_absolute() else Path(ckpt))
    for key in ("chunksize", "workers"):
        v = data.get(key)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
            raise _err(src, key, v, "must be a positive integer")
    return SweepSpec(func=func, grid=grid, seed=seed, fixed=dict(fixed), checkpoint=ckpt,
                     chunksize=data.get("chunksize"), workers=data.get("workers"),
                     module=module, local_module=local, source=src)


def _import_function(ref: Any, base: Path, src: str):
    if not isinstance(ref, str) or ref.count(":") != 1:
        raise _err(src, "function", ref, "must be 'module:function' or 'file.py:function'")
    mod_ref, name = ref.split(":")
    local = False
    try:
        if mod_ref.endswith(".py"):
            file = (base / mod_ref).resolve()
            if not file.exists():
                raise _err(src, "function", ref, f"module file {file} not found")
            mod_name = f"_cooperation_sweep_{file.stem}"
            spec = importlib.util.spec_from_file_location(mod_name, file)
            module = importlib.util.module_from_spec(spec)
            sys.modules[mod_name] = module
            spec.loader.exec_module(module)
            local = True
        else:
            if str(base) not in sys.path:
                sys.path.insert(0, str(base))
            module = importlib.import_module(mod_ref)
            mfile = getattr(module, "__file__", None)
            local = bool(mfile) and Path(mfile).resolve().is_relative_to(base)
    except InputError:
        raise
    except Exception as exc:
        raise _err(src, "function", ref, f"cannot import the module ({type(exc).__name__}: "
                   f"{exc})", fix="check the module name; it is searched in the spec's "
                   "folder first, then on sys.path") from exc
    func = getattr(module, name, None)
    if func is None or not callable(func):
        raise _err(src, "function", ref, f"module {mod_ref!r} has no function {name!r}")
    return func, module, local


def _values(name: str, v: Any, src: str) -> list:
    where = f"grid.{name}"
    if isinstance(v, list):
        if not v:
            raise _err(src, where, v, "a grid parameter has no values")
        return v
    if isinstance(v, dict):
        extra = set(v) - {"start", "stop", "num", "log"}
        if extra or not {"start", "stop", "num"} <= set(v):
            raise _err(src, where, v, "a range needs start, stop, num (and optionally "
                       "log = true)")
        num = v["num"]
        if not isinstance(num, int) or num < 1:
            raise _err(src, f"{where}.num", num, "must be a positive integer")
        fn = np.logspace if v.get("log", False) else np.linspace
        return fn(float(v["start"]), float(v["stop"]), num).tolist()
    raise _err(src, where, v, "must be a list of values or {start, stop, num}")


def _grid(g: Any, src: str) -> dict:
    if not isinstance(g, dict) or not g:
        raise _err(src, "grid", g, "the grid is empty: give at least one parameter")
    return {name: _values(name, v, src) for name, v in g.items()}


def _design(d: Any, base: Path, src: str) -> pd.DataFrame:
    if not isinstance(d, dict):
        raise _err(src, "design", d, "must be a table")
    if "file" in d:
        f = base / d["file"]
        if not f.exists():
            raise _err(src, "design.file", str(f), "file not found")
        return pd.read_csv(f)
    if d.get("sampler") != "latin_hypercube":
        raise _err(src, "design", d, "give file = 'designs.csv' or sampler = "
                   "'latin_hypercube' with n and bounds")
    from scipy.stats import qmc

    bounds = d.get("bounds")
    n = d.get("n")
    if not isinstance(bounds, dict) or not bounds:
        raise _err(src, "design.bounds", bounds, "a table name = [low, high] is needed")
    if not isinstance(n, int) or n < 1:
        raise _err(src, "design.n", n, "must be a positive integer")
    lo, hi = [], []
    for name, b in bounds.items():
        if not (isinstance(b, list) and len(b) == 2 and float(b[0]) < float(b[1])):
            raise _err(src, f"design.bounds.{name}", b, "must be [low, high] with low < high")
        lo.append(float(b[0]))
        hi.append(float(b[1]))
    sample = qmc.LatinHypercube(d=len(lo), rng=np.random.default_rng(d.get("seed", 0))).random(n)
    return pd.DataFrame(qmc.scale(sample, lo, hi), columns=list(bounds))


def check_table_path(path: str | os.PathLike) -> None:
    """Refuse, before any work, an output the sweep could not write."""
    suffix = Path(path).suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise InputError("the output must end in .parquet or .csv", field="--out",
                         value=str(path))
    if suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise InputError("writing Parquet needs pyarrow", field="--out", value=str(path),
                             fix="pip install pyarrow, or write .csv") from exc


def run_spec(spec: SweepSpec, out: str | os.PathLike, *, scheduler: str | None = None,
             serial: bool = False, workers: int | None = None,
             checkpoint: str | None = None, progress: str = "log"):
    """Run a spec and write its table; returns ``(table, seconds)``.

    With a Dask ``scheduler``, a cell module found in the spec's folder is sent
    to the workers by value (cloudpickle), so the cluster needs only
    ``cooperation`` installed, not the spec's folder.
    """
    from .executors import DaskExecutor, ProcessExecutor, SerialExecutor
    from .sweep import sweep

    check_table_path(out)
    if scheduler and serial:
        raise InputError("choose either --scheduler or --serial", field="--serial",
                         value=True)
    if scheduler:
        executor = DaskExecutor(scheduler, chunksize=spec.chunksize)
        if spec.local_module and spec.module is not None:
            try:
                import cloudpickle

                cloudpickle.register_pickle_by_value(spec.module)
            except ImportError:  # pragma: no cover - cloudpickle comes with dask
                pass
    elif serial:
        executor = SerialExecutor()
    else:
        executor = ProcessExecutor(workers=workers or spec.workers, chunksize=spec.chunksize)
    df, seconds = timed(sweep, spec.func, spec.grid, seed=spec.seed, executor=executor,
                        progress=progress, checkpoint=checkpoint or spec.checkpoint,
                        fixed=spec.fixed)
    write_table(df, out)
    return df, seconds


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a sweep table atomically as ``.parquet`` (needs pyarrow) or ``.csv``.

    Parquet keeps dtypes and ``df.attrs`` (the sweep metadata); CSV is plain
    text readable everywhere.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> from cooperation.sweeps import write_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_table(pd.DataFrame({"q": [0.1], "seed": [7], "rate": [0.5]}), path)
    >>> path.read_text().splitlines()
    ['q,seed,rate', '0.1,7,0.5']
    """
    target = Path(path)
    check_table_path(target)
    if target.suffix.lower() == ".parquet":
        return atomic_write(target, lambda tmp: df.to_parquet(tmp, index=False))
    return atomic_write(target, lambda tmp: df.to_csv(tmp, index=False))


def timed(fn, *args, **kwargs):
    """``(result, seconds)`` of a call (for the command's summary line)."""
    t0 = time.perf_counter()
    res = fn(*args, **kwargs)
    return res, time.perf_counter() - t0
