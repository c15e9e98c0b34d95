"""Sweeps on a ``dask.distributed`` cluster (see :mod:`cooperation.sweeps.executors`).

Dask is imported only when a Dask executor is prepared. The function and its
fixed arguments are scattered once to every worker; chunks of cells are
submitted as tasks. When every worker holding the scattered function dies,
Dask cannot recompute it and cancels the waiting tasks: the function is
scattered again and the unfinished chunks resubmitted (see
:class:`DaskExecutor`).

References
----------
Rocklin, M. (2015). Dask: parallel computation with blocked algorithms and task
scheduling. *Proceedings of the 14th Python in Science Conference*, 130-136.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import CancelledError
from typing import Any

from .._checks import check_int, check_number
from ..errors import InputError, SolverError
from . import _worker
from ._base import _Base, _split

__all__ = ["DaskExecutor"]


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
                elif len(batch) > 1:
                    probe, losses = min(pending), 0     # next: the lowest chunk alone
                else:                                   # it ran alone: its worker died
                    losses = losses + 1 if probe == batch[0] else 1
                    probe = batch[0]
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
