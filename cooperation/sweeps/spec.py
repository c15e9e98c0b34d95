"""Sweep specification files (TOML) for batch runs and the ``cooperation sweep`` command.

A spec says what each cell runs and over which grid. It takes one of two
forms. A **declarative** spec needs no Python: it names a scenario, the
settings to vary (dotted paths) and what to measure in the simulation result
(``data/chishui/sweep.toml`` ships with the project)::

    name = "Chishui: audits and fines"
    scenario = "scenario.toml"           # relative to this file
    measure = ["cooperation_rate", "fines_per_run"]
    seed = 0

    [grid]                               # full factorial over dotted paths
    monitoring.audit_prob = "0:1:11"     # a:b:n = numpy.linspace(a, b, n)
    monitoring.fine = [0.5, 1.0, 2.0]    # or a list of values

    [fixed]                              # the same in every cell
    monitoring.accuracy = 0.9
    simulation.runs = 200
    simulation.rounds = 40
    simulation.noise = 0.02
    simulation.strategy = "opportunist"

Paths start with ``monitoring.`` (a field of ``Monitoring``), ``simulation.``
(an argument of ``simulate``, or ``strategy``), ``transfers.JURISDICTION`` or
``scenario.`` (any value of the scenario file, ``[[hazards]]`` and
``[[jurisdictions]]`` by name or 0-based index); measures are the keys of
``SimulationResult.summary()`` and its scalar attributes
(:mod:`cooperation.sweeps.scenario_sweep` lists both).

A **function** spec names a cell function ``func(**params, seed=...) -> dict``;
the spec's folder is searched first for its module::

    function = "cells:deterrence"        # module:function, or "cells.py:deterrence"
    seed = 0
    checkpoint = "deterrence.ckpt"       # optional: resume after an interruption
    chunksize = 10                       # optional

    [grid]                               # full factorial
    q = [0.1, 0.2, 0.3]                  # a list of values ...
    fine = { start = 0, stop = 40, num = 41 }               # ... numpy.linspace
    noise = { start = -3, stop = -1, num = 3, log = true }  # ... numpy.logspace

    [fixed]                              # passed to every cell, not swept
    runs = 2000

Instead of ``[grid]`` a function spec may give a ``[design]``, a list of
designs: ``file = "designs.csv"`` (one column per parameter) or a Latin
hypercube sample from ``scipy.stats.qmc``::

    [design]
    sampler = "latin_hypercube"
    n = 200
    seed = 1
    bounds = { q = [0.0, 1.0], fine = [0.0, 50.0] }

Top-level keys:

| key | type | meaning |
|---|---|---|
| ``name`` | string | a title for messages and the figure |
| ``description`` | string | free text |
| ``function`` | string | ``module:function`` or ``file.py:function`` (function spec) |
| ``scenario`` | string | scenario TOML, relative to the spec (declarative spec) |
| ``measure`` | string or list | declarative only: outcomes; default ``cooperation_rate`` |
| ``seed`` | integer >= 0 | root of the cell seeds; default 0 |
| ``checkpoint`` | string | resume file, relative to the spec |
| ``chunksize`` | integer >= 1 | cells per task; default about cells / (4 workers) |
| ``workers`` | integer >= 1 | local worker processes; default all cores |
| ``grid`` | table | parameter (or dotted path) -> values |
| ``design`` | table | function only: a list of designs instead of ``grid`` |
| ``fixed`` | table | the same in every cell: keyword arguments (or dotted paths) |

Exactly one of ``function`` and ``scenario``, and of ``grid`` and ``design``.
A value of ``[grid]`` is a list of numbers, booleans or strings; a string
``"a:b:n"`` (``numpy.linspace``) or ``"a:b:n:log"`` (``numpy.logspace``); or a
range table:

| key | type | meaning |
|---|---|---|
| ``start`` | number | first point (first exponent with ``log``) |
| ``stop`` | number | last point (last exponent with ``log``) |
| ``num`` | integer >= 1 | number of points |
| ``log`` | boolean | ``numpy.logspace`` instead of ``numpy.linspace``; default false |

``[design]`` keys:

| key | type | meaning |
|---|---|---|
| ``file`` | string | CSV of designs, one column per parameter |
| ``sampler`` | string | ``latin_hypercube`` (instead of ``file``) |
| ``n`` | integer >= 1 | sample size |
| ``seed`` | integer >= 0 | seed of the sample; default 0 |
| ``bounds`` | table | parameter -> ``[low, high]`` with low < high |

On the command line, ``cooperation sweep SPEC`` runs a spec, and
``cooperation sweep SCENARIO --vary PATH=a:b:n --measure NAME`` a declarative
sweep straight from a scenario file; ``--vary``, ``--set`` and ``--measure``
add to (or replace) the spec's ``[grid]``, ``[fixed]`` and ``measure``.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ._toml import (
    read_toml,
    want_int,
    want_str,
    want_table,
)
from .output import check_table_path, check_writable, write_table
from .spec_tables import (
    DESIGN_KEYS,
    RANGE_KEYS,
    design_table,
    did_you_mean,
    err,
    flatten,
    grid_table,
)

__all__ = ["SweepSpec", "load_spec", "run_spec", "write_table", "check_table_path", "KEYS",
           "RANGE_KEYS", "DESIGN_KEYS"]

KEYS = ("name", "description", "function", "scenario", "measure", "seed", "checkpoint",
        "chunksize", "workers", "grid", "design", "fixed")
_SCENARIO_KEYS = ("unit", "jurisdictions", "hazards")


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
    name: str | None = None
    job: Any = None                # ScenarioJob of a declarative spec


def load_spec(path: str | os.PathLike, *, vary: dict | None = None, fixed: dict | None = None,
              measure: Any = None, seed: int | None = None) -> SweepSpec:
    """Read and validate a sweep spec (see the module docstring for the format).

    ``path`` may also be a scenario file: then ``vary`` (dotted path -> values)
    makes it a declarative sweep. ``vary``, ``fixed`` and ``measure`` add to or
    replace the spec's ``[grid]``, ``[fixed]`` and ``measure``; ``seed``
    replaces its seed.

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
    data, p = read_toml(path)
    src = str(p)
    if "function" not in data and "scenario" not in data and \
            any(k in data for k in _SCENARIO_KEYS):
        data = {"scenario": p.name}                     # a scenario file itself
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise err(src, unknown[0], data[unknown[0]],
                   f"unknown key; {did_you_mean(unknown[0], KEYS)}known: {list(KEYS)}")
    for key in ("name", "description"):
        if key in data:
            want_str(data[key], key, src)
    if ("function" in data) == ("scenario" in data):
        raise err(src, "function", data.get("function"),
                   "give exactly one of function = 'module:function' (a cell function) or "
                   "scenario = 'scenario.toml' (a declarative sweep)")
    base = p.resolve().parent
    seed_ = want_int(data.get("seed", 0), "seed", src, lo=0) if seed is None else \
        want_int(seed, "--seed", lo=0)
    ckpt = data.get("checkpoint")
    if ckpt is not None:
        ckpt = want_str(ckpt, "checkpoint", src)
        ckpt = str(base / ckpt) if not Path(ckpt).is_absolute() else ckpt
    opts = {k: want_int(data[k], k, src, lo=1) for k in ("chunksize", "workers") if k in data}
    common = dict(seed=seed_, checkpoint=ckpt, source=src, name=data.get("name"), **opts)
    if "scenario" in data:
        return _declarative(data, base, src, vary or {}, fixed or {}, measure, common)
    if measure is not None or "measure" in data:
        raise err(src, "measure" if measure is None else "--measure",
                   measure if measure is not None else data["measure"],
                   "measures belong to declarative sweeps (scenario = ...); a function "
                   "spec's outcomes are what the function returns")
    func, module, local = _import_function(data["function"], base, src)
    if "grid" in data and "design" in data:
        raise err(src, "grid", None, "give exactly one of [grid] (full factorial) or "
                   "[design] (a list of designs), not both")
    if "design" in data:
        if vary:
            raise err(src, "--vary", sorted(vary), "a [design] spec takes no --vary")
        grid: Any = design_table(data["design"], base, src)
    elif "grid" in data or vary:
        grid = {**grid_table(data.get("grid", {}), src, nested=False), **dict(vary or {})}
    else:
        raise err(src, "grid", None, "missing: give exactly one of [grid] (full factorial) "
                   "or [design] (a list of designs)")
    fixed_ = dict(want_table(data.get("fixed", {}), "fixed", src))
    fixed_.update(fixed or {})
    return SweepSpec(func=func, grid=grid, fixed=fixed_, module=module, local_module=local,
                     **common)


def _declarative(data: dict, base: Path, src: str, vary: dict, fixed: dict, measure: Any,
                 common: dict) -> SweepSpec:
    from .scenario_sweep import DEFAULT_MEASURES, JOB_ARG, build_job, simulate_cell

    scen = want_str(data["scenario"], "scenario", src)
    scen_path = base / scen if not Path(scen).is_absolute() else Path(scen)
    if "design" in data:
        raise err(src, "design", data["design"], "a declarative sweep takes [grid] "
                   "(dotted paths), not [design]")
    grid = grid_table(data.get("grid", {}), src, nested=True) if "grid" in data else {}
    where = {p: f"grid.{p}" for p in grid}
    grid.update(vary)
    where.update({p: f"--vary {p}" for p in vary})
    fixed_ = flatten(want_table(data.get("fixed", {}), "fixed", src), "fixed", src)
    fixed_.update(fixed)
    if measure is not None:
        meas, mfield = measure, "--measure"
    else:
        meas, mfield = data.get("measure", DEFAULT_MEASURES), "measure"
    job, cells = build_job(scen_path, grid, fixed=fixed_, measure=meas, where=where,
                           measure_field=mfield, source=src)
    return SweepSpec(func=simulate_cell, grid=cells, fixed={JOB_ARG: job}, job=job, **common)


def _import_function(ref: Any, base: Path, src: str):
    if not isinstance(ref, str) or ref.count(":") != 1 or not all(ref.split(":")):
        raise err(src, "function", ref, "must be 'module:function' or 'file.py:function'")
    mod_ref, name = ref.split(":")
    local = False
    try:
        if mod_ref.endswith(".py"):
            file = (base / mod_ref).resolve()
            if not file.is_file():
                raise err(src, "function", ref, f"module file {file} not found")
            mod_name = f"_cooperation_sweep_{file.stem}"
            spec = importlib.util.spec_from_file_location(mod_name, file)
            if spec is None or spec.loader is None:
                raise err(src, "function", ref, f"{file} cannot be imported as a module")
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
        raise err(src, "function", ref, f"cannot import the module ({type(exc).__name__}: "
                   f"{str(exc).splitlines()[0] if str(exc) else ''})",
                   fix="check the module name; it is searched in the spec's "
                   "folder first, then on sys.path") from exc
    func = getattr(module, name, None)
    if func is None or not callable(func):
        raise err(src, "function", ref, f"module {mod_ref!r} has no function {name!r}")
    return func, module, local


def run_spec(spec: SweepSpec, out: str | os.PathLike, *, scheduler: str | None = None,
             serial: bool = False, workers: int | None = None,
             checkpoint: str | None = None, progress: str = "log"):
    """Run a spec and write its table; returns ``(table, seconds)``.

    The output (and the checkpoint) paths are checked before the first cell,
    and the table is written as soon as the last cell is done. With a Dask
    ``scheduler``, a cell module found in the spec's folder is sent to the
    workers by value (cloudpickle), so the cluster needs only ``cooperation``
    installed, not the spec's folder.
    """
    from .executors import DaskExecutor, ProcessExecutor, SerialExecutor
    from .sweep import sweep

    check_table_path(out)
    ckpt = checkpoint or spec.checkpoint
    if ckpt is not None:
        check_writable(ckpt, "--checkpoint" if checkpoint else "checkpoint")
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
                        progress=progress, checkpoint=ckpt, fixed=spec.fixed)
    if spec.job is not None:
        from .scenario_sweep import annotate

        annotate(df, spec.job, spec.grid)
    write_table(df, out)
    return df, seconds


def timed(fn, *args, **kwargs):
    """``(result, seconds)`` of a call (for the command's summary line)."""
    t0 = time.perf_counter()
    res = fn(*args, **kwargs)
    return res, time.perf_counter() - t0
