"""What runs on a worker: call the cell function on a chunk of cells.

Kept small and importable on its own (process-pool workers and Dask
workers import it by name). A chunk returns the cells it finished *and* the
first failure, so that cells finished before an error or a Ctrl-C in the
same chunk are still checkpointed.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = ["run_cells", "run_payload", "dump_func", "normalize_outcome", "CellFailure"]

Cell = tuple[int, dict, int]            # (cell index, parameters, child seed)
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
#: seconds between a pool worker's checks that the process that started it is alive
WATCHDOG_INTERVAL = 0.25


class CellFailure(RuntimeError):
    """Stands in for an exception raised in a worker that cannot itself be pickled."""


def normalize_outcome(result: Any, reserved: Sequence[str] = ()) -> dict:
    """Turn what ``func`` returned into a dict of plain Python scalars.

    Numbers become ``int``/``float``/``bool`` (numpy scalars and 0-d arrays
    included), strings stay strings, ``None`` stays ``None``. These survive a
    JSON round trip exactly (floats by their shortest repr, NaN and infinities
    included), which is what makes a resumed sweep identical to an
    uninterrupted one.
    """
    if hasattr(result, "to_dict") and hasattr(result, "index"):   # pandas Series
        result = result.to_dict()
    if not isinstance(result, Mapping):
        raise InputError("func must return a dict (or pandas Series) of named outcomes",
                         field="func return value", value=result,
                         fix="return e.g. {'cooperation_rate': rate}")
    out = {}
    for key, val in result.items():
        if not isinstance(key, str):
            raise InputError("outcome names must be strings", field="func return value",
                             value=key)
        if key in reserved:
            raise InputError("an outcome has the name of a parameter or of the seed column",
                             field=f"func return value[{key!r}]", value=key,
                             fix="rename the outcome")
        out[key] = _scalar(key, val)
    return out


def _scalar(key: str, val: Any) -> Any:
    if val is None or isinstance(val, (bool, str)):
        return val
    if isinstance(val, np.ndarray) and val.ndim == 0:
        val = val.item()
    if isinstance(val, np.generic):
        val = val.item()
    if isinstance(val, bool):
        return val
    if isinstance(val, int):
        if not INT64_MIN <= val <= INT64_MAX:
            raise InputError("an integer outcome must fit in 64 bits (a table column holds "
                             "int64)", field=f"func return value[{key!r}]", value=val,
                             fix="return it as float(x) or str(x)")
        return int(val)
    if isinstance(val, float):
        return float(val)
    if isinstance(val, complex) or not isinstance(val, (int, float)):
        raise InputError("each outcome must be one number, bool, string or None "
                         "(a row per cell)", field=f"func return value[{key!r}]",
                         value=val,
                         fix="summarise it (mean, share, quantile) or return one named "
                             "outcome per element")
    return val


def run_cells(func: Callable, cells: Sequence[Cell], fixed: Mapping[str, Any],
              reserved: Sequence[str]) -> tuple[list[tuple[int, dict]], Any]:
    """Run ``func(**params, **fixed, seed=seed)`` on each cell of a chunk, in order.

    Returns ``(finished, failure)`` where ``finished`` lists ``(cell, outcome)``
    and ``failure`` is ``None`` or ``(cell, exception)`` for the first cell that
    raised (including ``KeyboardInterrupt``); the chunk stops there.
    """
    done: list[tuple[int, dict]] = []
    for k, params, seed in cells:
        try:
            done.append((k, normalize_outcome(func(**params, **fixed, seed=seed), reserved)))
        except BaseException as exc:  # noqa: BLE001 - handed back to the parent
            return done, (k, _picklable(exc))
    return done, None


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return CellFailure(f"{type(exc).__name__}: {exc}")


def init_worker(pdeathsig: bool = False, parent: int | None = None) -> None:
    """Pool initializer: a worker ignores Ctrl-C and dies with the sweeping process.

    Ctrl-C is the parent's business (it flushes the checkpoint and ends the
    workers), so a worker does not die mid-queue with its own traceback; a
    forked worker also drops the parent's SIGTERM handler (the parent ends
    workers with SIGTERM). A worker must never outlive the sweep: after a
    ``kill -9`` of the sweeping process nothing else would end it, and it
    would hold the terminal or the batch job. So a daemon thread waits on the
    sentinel ``multiprocessing`` gives every child (a pipe whose other end
    the process that started it holds; it reads end-of-file when that process
    dies, whatever the start method, fork server included) and checks every
    :data:`WATCHDOG_INTERVAL` seconds that the worker's parent is the one that
    started it (a dead parent's children are re-parented); either ends the
    worker at once. On Linux, with ``pdeathsig`` (set when the parent's thread
    that starts the pool lives as long as its process), the kernel also sends
    ``SIGKILL`` when the parent dies (``prctl(PR_SET_PDEATHSIG)``), which holds
    even while a cell keeps the interpreter busy in C code. ``parent``: the pid
    the worker's parent must have (the sweeping process, for ``fork`` and
    ``spawn``), so that a parent that died while the worker started is noticed.
    """
    import multiprocessing

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    ppid = os.getppid()
    if pdeathsig:
        _set_pdeathsig()
    if os.getppid() != ppid or (parent is not None and ppid != parent):
        os._exit(1)                              # the parent died while we started
    proc = multiprocessing.parent_process()
    sentinel = getattr(proc, "sentinel", None)
    threading.Thread(target=_watch_parent, args=(ppid, sentinel),
                     name="sweep-parent-watchdog", daemon=True).start()


def _watch_parent(ppid: int, sentinel: int | None) -> None:
    from multiprocessing.connection import wait

    while True:
        if sentinel is None:
            time.sleep(WATCHDOG_INTERVAL)
        else:
            try:
                if wait([sentinel], timeout=WATCHDOG_INTERVAL):
                    os._exit(1)
            except OSError:                      # pragma: no cover - sentinel closed
                sentinel = None
        if os.getppid() != ppid:
            os._exit(1)


def _set_pdeathsig() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)      # PR_SET_PDEATHSIG = 1
    except Exception:  # pragma: no cover - no libc: the watchdog thread still runs
        pass


ignore_sigint = init_worker      # the initializer's earlier name


_JOBS: dict[str, tuple] = {}


def run_payload(payload: bytes, cells: Sequence[Cell], reserved: Sequence[str]):
    """Worker entry point: unpickle ``(func, fixed)`` once per worker, then :func:`run_cells`."""
    key = hashlib.sha1(payload).hexdigest()
    job = _JOBS.get(key)
    if job is None:
        job = pickle.loads(payload)
        _JOBS.clear()
        _JOBS[key] = job
    func, fixed = job
    return run_cells(func, cells, fixed, reserved)


def _importable_by_name(module_name: str) -> bool:
    """Whether a fresh interpreter with this ``sys.path`` would find the module's top package."""
    top = module_name.split(".")[0]
    if top in sys.builtin_module_names:
        return True
    try:
        return importlib.machinery.PathFinder.find_spec(top, sys.path) is not None
    except Exception:
        return False


def have_cloudpickle() -> bool:
    try:
        import cloudpickle  # noqa: F401
    except ImportError:  # pragma: no cover - cloudpickle ships with dask
        return False
    return True


def dump_func(func: Callable, fixed: Mapping[str, Any] | None = None) -> bytes:
    """Pickle ``(func, fixed)`` for other processes, or raise a clear :class:`InputError`.

    With ``cloudpickle`` installed (it comes with the ``distributed`` extra)
    lambdas, closures and functions defined in a notebook or a script travel by
    value, so workers never need to import the main module; a function of a
    module that a fresh interpreter could not import (a test module loaded by
    path, a script folder not on ``sys.path``) is also sent by value. Without
    cloudpickle only importable module-level functions can go.
    """
    try:
        import cloudpickle
    except ImportError:  # pragma: no cover - cloudpickle ships with dask
        cloudpickle = None
    fixed = dict(fixed or {})
    target = getattr(func, "func", func)                 # functools.partial
    mod_name = getattr(target, "__module__", None)
    module = sys.modules.get(mod_name) if mod_name else None
    by_value = (cloudpickle is not None and module is not None and mod_name != "__main__"
                and getattr(module, "__file__", None) is not None
                and not _importable_by_name(mod_name))
    dumps = cloudpickle.dumps if cloudpickle is not None else pickle.dumps
    if cloudpickle is None:
        main = sys.modules.get("__main__")
        if mod_name == "__main__" and not getattr(main, "__file__", None):
            raise InputError(
                "a function defined interactively (notebook, REPL) cannot be sent to "
                "worker processes without cloudpickle", field="func", value=func,
                fix="pip install cloudpickle, move func into a module, or use "
                    "executor='serial'")
    if by_value:
        cloudpickle.register_pickle_by_value(module)
    try:
        try:
            dumps(func, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            raise InputError(f"func cannot be sent to worker processes: it cannot be "
                             f"pickled ({type(exc).__name__}: {exc})", field="func",
                             value=func,
                             fix="define it at module level without unpicklable state "
                                 "(locks, open files, connections), or use "
                                 "executor='serial'") from exc
        for name, val in fixed.items():
            try:
                dumps(val, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                raise InputError(f"a fixed argument cannot be pickled "
                                 f"({type(exc).__name__})", field=f"fixed[{name!r}]",
                                 value=val,
                                 fix="pass plain data, or use executor='serial'") from exc
        return dumps((func, fixed), protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        if by_value:
            cloudpickle.unregister_pickle_by_value(module)
