"""Where the cells of a sweep run: serially, on local processes, or on a Dask cluster.

All three share one small interface, so :func:`~cooperation.sweeps.sweep`
never cares which one it has:

- ``prepare(func, fixed)``: every check that can fail (pickling, a reachable
  scheduler with workers) happens here, before any cell runs;
- ``chunks(n_cells)``: how many cells go into one task;
- ``run(cells, fixed, reserved)``: yields ``(finished, failure)`` per chunk, as
  chunks complete (see :func:`cooperation.sweeps._worker.run_cells`); closing
  the generator cancels what has not started.

Chunking keeps per-task overhead small: by default each worker gets about
four chunks, so the pool stays balanced while pickling and scheduling cost a
few milliseconds per chunk rather than per cell. Results are keyed by cell
number and seeds are fixed per cell, so which executor ran a cell, and in
which order, never changes the numbers.

Start method of the process pool (measured on the 2-core development machine:
a pool of 2 workers ready to run took ~0.05 s with ``fork``, ~1.8 s for the
first ``forkserver`` pool of a session then ~0.07 s, and 3.5-4.7 s with
``spawn`` every time, which re-imports numpy, pandas and ``cooperation`` in each
worker). By default, on Linux, ``fork`` is used while the parent runs no other
Python thread, and ``forkserver`` as soon as it does (a notebook kernel, a Dask
client, a tqdm monitor): forking a multi-threaded process can deadlock a child
on a lock another thread held. The fork server imports this module once and
forks workers from that warm state, so later pools start in milliseconds.
Elsewhere ``spawn``. Dask is imported only when a Dask executor is used.

References
----------
Rocklin, M. (2015). Dask: parallel computation with blocked algorithms and task
scheduling. *Proceedings of the 14th Python in Science Conference*, 130-136.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import ProcessPoolExecutor as _Pool
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import InputError, SolverError
from . import _worker
from ._base import _Base, _split, default_workers
from .dask_executor import DaskExecutor

__all__ = ["SerialExecutor", "ProcessExecutor", "DaskExecutor", "resolve_executor",
           "default_workers"]


class SerialExecutor(_Base):
    """Run every cell in this process, one after another (chunks of one cell).

    Examples
    --------
    >>> from cooperation.sweeps import SerialExecutor, sweep
    >>> def cell(x, seed):
    ...     return {"y": 2 * x}
    >>> sweep(cell, {"x": [1, 2]}, executor=SerialExecutor(), progress=False)["y"].tolist()
    [2, 4]
    """

    name = "serial"

    def __init__(self):
        super().__init__(chunksize=1)

    def run(self, cells, fixed, reserved) -> Iterator[tuple[list, Any]]:
        for cell in cells:
            yield _worker.run_cells(self._func, [cell], fixed, reserved)


class ProcessExecutor(_Base):
    """Run chunks of cells on a pool of local worker processes.

    Parameters
    ----------
    workers : int, optional
        Number of processes; default: the cores this process may use.
    chunksize : int, optional
        Cells per task; default about ``cells / (4 * workers)``.
    start_method : {"fork", "forkserver", "spawn"}, optional
        Default on Linux: ``"fork"`` when this process runs no other Python
        thread when the pool starts, else ``"forkserver"``; elsewhere ``"spawn"``
        (see the module docstring).

    Notes
    -----
    Used as a context manager, one pool serves several sweeps::

        with ProcessExecutor(workers=8) as ex:
            a = sweep(f, grid_a, executor=ex)
            b = sweep(f, grid_b, executor=ex)

    Otherwise each sweep starts and stops its own pool.
    """

    name = "processes"

    def __init__(self, workers: int | None = None, chunksize: int | None = None,
                 start_method: str | None = None):
        super().__init__(chunksize)
        if workers is not None and (not isinstance(workers, int) or workers < 1):
            raise InputError("workers must be a positive integer", field="workers",
                             value=workers)
        self.workers = workers or default_workers()
        if start_method is not None and start_method not in mp.get_all_start_methods():
            raise InputError(f"start method not available here (available: "
                             f"{mp.get_all_start_methods()})", field="start_method",
                             value=start_method)
        self.start_method = start_method
        self._pool: _Pool | None = None
        self._entered = False

    def __enter__(self):
        self._entered = True
        return self

    def __exit__(self, *exc) -> None:
        self._entered = False
        self.close()

    def prepare(self, func, fixed) -> None:
        super().prepare(func, fixed)
        self._payload = _worker.dump_func(func, fixed)
        # with cloudpickle the job travels by value: workers need not re-run the main
        # script (no `if __name__ == "__main__"` guard needed, stdin/REPL scripts work)
        self._hide_main = _worker.have_cloudpickle()

    def _get_pool(self, n_tasks: int) -> _Pool:
        if self._pool is None:
            method = self.start_method or _default_start_method()
            self.method_used = method
            ctx = mp.get_context(method)
            if method == "forkserver":
                ctx.set_forkserver_preload(["cooperation.sweeps._worker"])
            workers = self.workers if self._entered else max(1, min(self.workers, n_tasks))
            # workers die with this process (kill -9 included): see _worker.init_worker.
            # PR_SET_PDEATHSIG fires when the *thread* that forked a worker ends, so it is
            # used only when that is this main thread (a fork server's workers have the
            # server as their parent, and it outlives us while they live)
            direct = method != "forkserver"
            main = threading.current_thread() is threading.main_thread()
            self._pool = _Pool(max_workers=workers, mp_context=ctx,
                               initializer=_worker.init_worker,
                               initargs=(direct and main, os.getpid() if direct else None))
        return self._pool

    def run(self, cells, fixed, reserved) -> Iterator[tuple[list, Any]]:
        chunks = _split(cells, self.chunk_size(len(cells)))
        if not chunks:
            return
        pool = self._get_pool(len(chunks))
        with _main_hidden(self._hide_main):    # workers start during the submissions
            pending: set[Future] = {pool.submit(_worker.run_payload, self._payload, ch,
                                                tuple(reserved)) for ch in chunks}
        clean = False
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    try:
                        res = fut.result()
                    except BrokenProcessPool as exc:
                        raise SolverError(
                            "a sweep worker process died before finishing its cells",
                            fix="in a script, put the sweep call under `if __name__ == "
                                "'__main__':` (worker processes import the main module); "
                                "otherwise a cell crashed the interpreter (out of memory, "
                                "a segfault in an extension): try executor='serial' to "
                                "see it") from exc
                    yield res
            clean = True
        finally:
            for fut in pending:
                fut.cancel()
            if not clean:
                self._abort()
            elif not self._entered:
                self.close()

    def _abort(self) -> None:
        """Stop now: cancel queued chunks and end the workers (Ctrl-C, an error)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        procs = list(getattr(pool, "_processes", {}).values())  # no public API for this
        pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=5)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _default_start_method() -> str:
    if not sys.platform.startswith("linux"):
        return "spawn"
    return "fork" if threading.active_count() == 1 else "forkserver"


@contextlib.contextmanager
def _main_hidden(active: bool):
    """Keep ``multiprocessing`` from re-importing the main script in new workers.

    Workers started by ``spawn``/``forkserver`` normally re-run the main module
    (as ``__mp_main__``) so that functions pickled by reference to ``__main__``
    can be found. Our job is pickled by value, so that is only cost and
    surprise (a script without a ``__main__`` guard would sweep recursively);
    while workers start, ``__main__`` shows neither a ``__file__`` nor a
    ``__spec__``, which is how ``multiprocessing.spawn`` decides to skip it.
    """
    main = sys.modules.get("__main__")
    if not active or main is None:
        yield
        return
    missing = object()
    saved = {k: getattr(main, k, missing) for k in ("__file__", "__spec__")}
    try:
        if saved["__file__"] is not missing:
            del main.__file__
        main.__spec__ = None
        yield
    finally:
        for k, v in saved.items():
            if v is missing:
                if hasattr(main, k) and k == "__file__":
                    delattr(main, k)
            else:
                setattr(main, k, v)


def _is_dask_client(obj: Any) -> bool:
    return type(obj).__module__.startswith("distributed") and hasattr(obj, "submit")


def resolve_executor(executor: Any, workers: int | None = None,
                     chunksize: int | None = None) -> _Base:
    """Map the ``executor=`` argument of :func:`sweep` to an executor object.

    ``None`` or ``"processes"``: a :class:`ProcessExecutor` on this machine's
    cores; ``"serial"``: :class:`SerialExecutor`; a ``distributed.Client`` or a
    scheduler address string ``"tcp://..."``: :class:`DaskExecutor`; an
    executor object from this module is used as it is.
    """
    if isinstance(executor, _Base):
        return executor
    if executor is None or executor == "processes":
        return ProcessExecutor(workers=workers, chunksize=chunksize)
    if executor == "serial":
        return SerialExecutor()
    if isinstance(executor, str) and ":" in executor:
        return DaskExecutor(executor, chunksize=chunksize)
    if _is_dask_client(executor):
        return DaskExecutor(executor, chunksize=chunksize)
    raise InputError("executor must be None (local processes), 'serial', 'processes', a "
                     "dask.distributed Client or a scheduler address 'tcp://host:port'",
                     field="executor", value=executor)
