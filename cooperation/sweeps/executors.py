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
import math
import multiprocessing as mp
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from concurrent.futures import ProcessPoolExecutor as _Pool
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from .._checks import check_int, check_number
from ..errors import InputError, SolverError
from . import _worker

__all__ = ["SerialExecutor", "ProcessExecutor", "DaskExecutor", "resolve_executor",
           "default_workers"]


def default_workers() -> int:
    """CPU cores this process may use (affinity-aware on Linux)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _split(cells: Sequence, size: int) -> list[list]:
    return [list(cells[i:i + size]) for i in range(0, len(cells), size)]


class _Base:
    """Shared parts: chunk sizing and the context-manager protocol."""

    name = "base"
    workers = 1

    def __init__(self, chunksize: int | None = None):
        if chunksize is not None and (not isinstance(chunksize, int) or chunksize < 1):
            raise InputError("chunksize must be a positive integer", field="chunksize",
                             value=chunksize)
        self.chunksize = chunksize

    def chunk_size(self, n_cells: int) -> int:
        if self.chunksize is not None:
            return self.chunksize
        return max(1, math.ceil(n_cells / (4 * self.workers)))

    def prepare(self, func: Callable, fixed: Mapping[str, Any]) -> None:
        self._func = func

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass


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


class DaskExecutor(_Base):
    """Run chunks of cells on a ``dask.distributed`` cluster.

    Parameters
    ----------
    client : distributed.Client or str
        A connected client, or a scheduler address (``"tcp://host:8786"``),
        for which a client is opened (and closed after the sweep).
    chunksize : int, optional
        Cells per task; default about ``cells / (4 * worker threads)``.
    timeout : float
        Seconds to wait for the scheduler to answer and for at least one
        worker to join, before the sweep gives up with a clear error.
    retries : int
        When every worker holding the scattered function dies, Dask restarts
        workers but cannot recompute scattered data, and the waiting tasks are
        cancelled: the function is scattered again and the unfinished chunks
        resubmitted, first the lowest alone (a probe), then, once it
        finishes, all the others together. A chunk whose worker dies while it
        runs alone ``retries + 1`` times (a segfault, running out of memory,
        ``os._exit``) ends the sweep with a
        :class:`~cooperation.errors.SolverError` naming its cells, as does a
        task Dask gave up on (``KilledWorker``). Cells already finished are
        kept (and checkpointed).

    Notes
    -----
    Workers must be able to import ``cooperation`` (install it there too);
    ``func`` travels pickled (by value when it was defined in a notebook or
    script). See docs/howto-dask.md.
    """

    name = "dask"

    def __init__(self, client: Any, chunksize: int | None = None, timeout: float = 10.0,
                 retries: int = 2):
        super().__init__(chunksize)
        self._client_arg = client
        self.timeout = check_number(timeout, "timeout", lo=0.0, lo_open=True)
        self.retries = check_int(retries, "retries", lo=0)
        self._client = None
        self._own = False

    def prepare(self, func, fixed) -> None:
        super().prepare(func, fixed)
        try:
            import distributed
        except ImportError as exc:
            raise InputError("a Dask executor needs dask.distributed", field="executor",
                             value=self._client_arg,
                             fix="pip install 'cooperation[distributed]'") from exc
        self._distributed = distributed
        client = self._client_arg
        address = client if isinstance(client, str) else getattr(client, "scheduler", None)
        if isinstance(client, str):
            try:
                client = distributed.Client(client, timeout=f"{self.timeout}s",
                                            set_as_default=False)
            except Exception as exc:  # OSError, TimeoutError, ValueError for bad syntax
                raise InputError(f"no Dask scheduler answers at this address within "
                                 f"{self.timeout:g} s ({type(exc).__name__})",
                                 field="scheduler", value=self._client_arg,
                                 fix="start one with `dask scheduler` and `dask worker "
                                     "ADDRESS`, or check the address and port") from exc
            self._own = True
        elif getattr(client, "status", None) not in ("running", "connecting"):
            raise InputError("the Dask client is not connected", field="executor",
                             value=address, fix="create a new distributed.Client")
        self._client = client
        try:
            info = client.scheduler_info()
            if not info.get("workers"):
                client.wait_for_workers(1, timeout=self.timeout)
                info = client.scheduler_info()
        except Exception as exc:
            self.close()
            raise InputError(f"the Dask scheduler has no workers after {self.timeout:g} s",
                             field="scheduler", value=str(getattr(client, "scheduler", "")),
                             fix="start workers with `dask worker SCHEDULER_ADDRESS`") from exc
        self.workers = max(1, sum(int(w.get("nthreads", 1))
                                  for w in info.get("workers", {}).values()))
        self._payload = _worker.dump_func(func, fixed)

    def run(self, cells, fixed, reserved) -> Iterator[tuple[list, Any]]:
        chunks = _split(cells, self.chunk_size(len(cells)))
        pending = dict(enumerate(chunks))
        client = self._client
        futures: dict = {}
        payload = None
        probe, losses = None, 0          # after a loss: one chunk alone, to find a culprit
        try:
            while pending:
                if payload is not None:     # a new round after the cluster lost workers
                    client.cancel([payload])
                    self._wait_for_workers()
                [payload] = client.scatter([self._payload], broadcast=True, hash=False)
                batch = [probe] if probe is not None else list(pending)
                futures = {client.submit(_worker.run_payload, payload, pending[j],
                                         tuple(reserved), pure=False): j for j in batch}
                lost = False
                for fut in self._distributed.as_completed(list(futures), loop=client.loop):
                    j = futures[fut]
                    try:
                        res = fut.result()
                    except CancelledError:      # its input (or its result) died with the
                        lost = True             # workers holding it
                        continue
                    except Exception as exc:
                        if type(exc).__name__ == "KilledWorker":
                            raise _crash_error(pending[j], "it took down every worker "
                                               "that ran it (KilledWorker)") from exc
                        raise
                    del pending[j]
                    yield res
                futures = {}
                if not lost:
                    probe, losses = None, 0
                elif probe is None:
                    probe, losses = min(pending), 0
                else:
                    losses += 1
                    if losses > self.retries:
                        raise _crash_error(pending[probe], "the worker running it alone "
                                           f"died {losses} time{'s' if losses > 1 else ''}")
        finally:
            rest = [f for f in futures if f.status not in ("finished", "error")]
            if rest:
                client.cancel(rest)
            if payload is not None:
                client.cancel([payload])
            if self._own:
                self.close()

    def _wait_for_workers(self) -> None:
        try:
            self._client.wait_for_workers(1, timeout=self.timeout)
        except Exception as exc:
            raise SolverError(f"the Dask cluster lost its workers and none came back within "
                              f"{self.timeout:g} s", fix="restart the workers (dask worker "
                              "SCHEDULER_ADDRESS) and rerun; a checkpoint keeps the finished "
                              "cells") from exc

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None and self._own:
            client.close()


def _crash_error(chunk: list, why: str) -> SolverError:
    ks = [k for k, _, _ in chunk]
    k0, params, seed = chunk[0]
    cells = f"cell {k0}" if len(ks) == 1 else f"one of the cells {ks[:6]}" + \
        ("..." if len(ks) > 6 else "")
    which = "it has" if len(ks) == 1 else "the first has"
    return SolverError(f"{cells} crashed the Dask worker running it: {why}; {which} "
                       f"parameters {params} and seed {seed}",
                       fix="run it with executor='serial' to see the error; a cell that ends "
                           "its process (os._exit, a segfault in an extension, out of "
                           "memory) takes the worker with it")


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
