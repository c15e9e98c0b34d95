"""``sweep``: run a function over a grid of policy parameters, one row per cell.

A cell is one point of the grid (say audit rate ``q = 0.3`` and fine ``F = 20``)
with its own child seed; inside a cell ``func`` typically simulates many runs
and returns summary outcomes (cooperation rate, fines collected, welfare).
The sweep returns one tidy DataFrame: parameter columns, the ``seed`` column
and the outcome columns, one row per cell in design order. The same seed gives
the same DataFrame on the serial, process-pool and Dask executors.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import signal
import threading
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from ..errors import InputError
from .checkpoint import Checkpoint
from .executors import resolve_executor
from .grid import cell_seeds, check_func, func_name, make_design, root_seed_sequence
from .progress import Progress, progress_mode

__all__ = ["sweep"]


def sweep(func: Callable[..., Mapping[str, Any]], grid: Mapping[str, Any] | pd.DataFrame,
          seed: Any = 0, executor: Any = None, progress: bool | str = True,
          checkpoint: str | None = None, *, fixed: Mapping[str, Any] | None = None,
          workers: int | None = None, chunksize: int | None = None) -> pd.DataFrame:
    """Run ``func`` on every cell of a parameter grid; return one tidy DataFrame.

    For cell ``k`` with parameters ``params_k``::

        outcome_k = func(**params_k, **fixed, seed=seed_k)
        seed_k    = SeedSequence(seed).spawn(cells)[k]  ->  plain int < 2**63

    and the result is the table ``[params_k, seed_k, outcome_k]`` for
    ``k = 0..cells-1``. Each cell's randomness comes only from its own seed, so
    the table does not depend on the executor, the number of workers, chunking
    or the order in which cells finish.

    Parameters
    ----------
    func : callable
        ``func(**params, seed=child_seed) -> dict`` (or pandas Series) of
        named scalar outcomes. Must accept every grid parameter and ``seed``.
        Runs inside a cell (e.g. ``runs=1000`` simulations) are func's business.
        For process and Dask executors it must be picklable: a module-level
        function, or (with cloudpickle installed) a lambda or notebook function.
    grid : dict of str -> sequence, or DataFrame
        A dict is expanded to the full factorial design (first key varies
        slowest); a DataFrame is taken as a list of designs (one row per cell),
        e.g. a Latin hypercube sample from ``scipy.stats.qmc``.
    seed : int, SeedSequence, Generator or None
        Root of the cell seeds; ``0`` is a seed. ``None`` draws fresh entropy
        (not allowed with ``checkpoint``).
    executor : None, "serial", "processes", Client, address or executor object
        ``None`` (default) and ``"processes"``: local worker processes on all
        available cores; ``"serial"``: this process; a ``dask.distributed``
        Client or a scheduler address ``"tcp://host:8786"``: that cluster.
        Objects from :mod:`cooperation.sweeps.executors` are used as given.
    progress : bool or {"bar", "log", "none"}
        A tqdm bar (``True``), periodic log lines for batch jobs (``"log"``) or
        nothing (``False``).
    checkpoint : str or PathLike, optional
        File of finished cells. A rerun with the same arguments skips the cells
        it lists and returns the same DataFrame as an uninterrupted run; a file
        written by a different sweep is refused. Ctrl-C and SIGTERM flush it
        before stopping. Format: :mod:`cooperation.sweeps.checkpoint`.
    fixed : dict, optional
        Keyword arguments passed unchanged to every cell (not swept, not
        columns; kept in ``DataFrame.attrs['sweep']['fixed']``).
    workers : int, optional
        Processes for the local executor (default: available cores).
    chunksize : int, optional
        Cells per task for the process and Dask executors (default about
        ``cells / (4 * workers)``).

    Returns
    -------
    DataFrame
        One row per cell, in design order: the parameter columns, ``seed``
        (int64), then the outcome columns in the order func first returned
        them; a cell lacking an outcome gets NaN/None there.
        ``attrs['sweep']`` records the function, the root seed entropy, the
        cell count and the fixed arguments.

    Raises
    ------
    InputError
        Before any cell runs: an empty grid, a parameter func does not accept
        (or a required one the grid lacks), a func that cannot be pickled for
        worker processes, an unreachable Dask scheduler or one without workers,
        a checkpoint from a different sweep. While running: an outcome that is
        not a scalar or clashes with a parameter name.
    Exception
        Whatever func raised in a cell, with a note naming the cell, its
        parameters and seed (finished cells are checkpointed first).

    See Also
    --------
    cooperation.sweeps.phase_boundary : the boundary of a cooperation region.
    cooperation.sweeps.experiments_outcomes : the (experiments, outcomes) pair
        for scenario-discovery tools (EMA Workbench PRIM, CART).
    cooperation.report.phase_diagram : heatmap of an outcome over two parameters.

    References
    ----------
    Kwakkel, J. H. (2017). The Exploratory Modeling Workbench: an open source
    toolkit for exploratory modeling, scenario discovery, and (multi-objective)
    robust decision making. *Environmental Modelling & Software* 96, 239-250
    (experiments/outcomes tables, evaluators with a sequential default).

    Examples
    --------
    >>> import numpy as np
    >>> import cooperation as co
    >>> def deterrence(q, fine, seed, gain=1.0, runs=2000):
    ...     rng = np.random.default_rng(seed)
    ...     caught = rng.random(runs) < q
    ...     return {"net_gain": gain - fine * caught.mean()}
    >>> df = co.sweep(deterrence, {"q": [0.1, 0.5], "fine": [1.0, 5.0]},
    ...               executor="serial", progress=False)
    >>> list(df.columns), len(df)
    (['q', 'fine', 'seed', 'net_gain'], 4)
    >>> bool((df.query("q == 0.5 and fine == 5.0")["net_gain"] < 0).all())
    True
    """
    mode = progress_mode(progress)
    design = make_design(grid)
    names = list(design.columns)
    fixed = dict(fixed or {})
    for key in fixed:
        if not isinstance(key, str) or not key.isidentifier() or key == "seed":
            raise InputError("fixed argument names must be identifiers other than 'seed'",
                             field="fixed", value=key)
    check_func(func, names, fixed)
    if seed is None and checkpoint is not None:
        raise InputError("a checkpointed sweep needs a reproducible seed", field="seed",
                         value=None, fix="pass seed=0 (or any int) to resume later")
    root = root_seed_sequence(seed)
    m = len(design)
    seeds = cell_seeds(root, m)
    columns = {n: design[n].tolist() for n in names}
    params = [{n: columns[n][k] for n in names} for k in range(m)]
    reserved = (*names, "seed")
    meta = {"func": func_name(func), "parameters": names, "cells": m,
            "seed_entropy": str(root.entropy), "spawn_key": list(root.spawn_key),
            "fixed": {k: repr(v) for k, v in fixed.items()}}

    ex = resolve_executor(executor, workers=workers, chunksize=chunksize)
    ex.prepare(func, fixed)           # pickling, scheduler and worker checks: may raise
    results: dict[int, dict] = {}
    ckpt = None
    try:
        if checkpoint is not None:
            ckpt = Checkpoint(checkpoint, {"fingerprint": _fingerprint(design, meta, fixed),
                                           **meta})
            results.update(ckpt.load(seeds, params, reserved))
        todo = [(k, params[k], seeds[k]) for k in range(m) if k not in results]
        bar = Progress(mode, m, initial=len(results), desc=f"sweep {meta['func']}")
        try:
            with _sigterm_as_interrupt():
                _drive(ex, todo, fixed, reserved, results, ckpt, bar, seeds, params)
        finally:
            if ckpt is not None:
                ckpt.flush()
            bar.close()
    finally:
        if executor is None or isinstance(executor, str):
            ex.close()
    return _assemble(design, seeds, results, meta, fixed)


def _drive(ex, todo, fixed, reserved, results, ckpt, bar, seeds, params) -> None:
    if not todo:
        return
    gen = ex.run(todo, fixed, reserved)
    try:
        for finished, failure in gen:
            for k, out in finished:
                results[k] = out
            if ckpt is not None and finished:
                ckpt.add(finished, seeds, params)
            bar.update(len(finished))
            if failure is not None:
                k, exc = failure
                if isinstance(exc, InputError):       # one line that names the cell
                    raise InputError(exc.rule, field=exc.field, value=exc.value,
                                     source=f"sweep cell {k} {params[k]}",
                                     fix=exc.fix) from exc
                if isinstance(exc, Exception):
                    exc.add_note(f"in sweep cell {k}: parameters {params[k]}, "
                                 f"seed={seeds[k]}")
                raise exc
    finally:
        gen.close()


class _sigterm_as_interrupt:
    """Turn SIGTERM (batch schedulers, ``kill``) into KeyboardInterrupt while a sweep runs,
    so the checkpoint is flushed; only in the main thread, only if SIGTERM is default."""

    def __enter__(self):
        self._old = None
        if threading.current_thread() is threading.main_thread():
            try:
                if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
                    self._old = signal.signal(signal.SIGTERM, self._handler)
            except (ValueError, AttributeError, OSError):  # pragma: no cover
                self._old = None
        return self

    @staticmethod
    def _handler(signum, frame):
        raise KeyboardInterrupt("SIGTERM")

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGTERM, self._old)
        return False


def _fingerprint(design: pd.DataFrame, meta: dict, fixed: dict) -> str:
    # the function enters by its name only, not its module path: the same cells file
    # may be imported as `cells` by a script and as `pkg.cells` by a notebook
    key = {k: meta[k] for k in sorted(meta)}
    key["func"] = meta["func"].rpartition(":")[2]
    h = hashlib.sha256()
    h.update(json.dumps(key, sort_keys=True, default=repr).encode())
    h.update(json.dumps([str(t) for t in design.dtypes]).encode())
    h.update(pd.util.hash_pandas_object(design, index=True).to_numpy().tobytes())
    # repr() abbreviates large arrays; their bytes do not. A value may name what identifies
    # it (a declarative sweep's job: the scenario's content, not the folder it lies in)
    keyed = {k: (v.fingerprint_data() if callable(getattr(v, "fingerprint_data", None))
                 else v) for k, v in fixed.items()}
    try:
        h.update(pickle.dumps(keyed, protocol=4))
    except Exception:
        pass
    return h.hexdigest()


def _assemble(design: pd.DataFrame, seeds: list[int], results: dict[int, dict],
              meta: dict, fixed: dict) -> pd.DataFrame:
    m = len(design)
    outcomes = pd.DataFrame.from_records([results[k] for k in range(m)], nrows=m)
    if outcomes.shape[1] == 0:
        outcomes = pd.DataFrame(index=range(m))
    df = design.copy()
    # Python ints (object column): a row read with df.iloc[k] would upcast an int64
    # seed near 2**63 to float, silently giving another seed
    df["seed"] = pd.Series([int(x) for x in seeds], index=df.index, dtype=object)
    df = pd.concat([df, outcomes.set_axis(df.index)], axis=1)
    df.attrs["sweep"] = {k: meta[k] for k in ("func", "parameters", "cells", "seed_entropy",
                                              "spawn_key")}
    df.attrs["sweep"]["fixed"] = dict(meta["fixed"])
    df.attrs["sweep"]["outcomes"] = [c for c in outcomes.columns]
    return df
