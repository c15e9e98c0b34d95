"""Sweep checkpoints: finished cells survive an interruption; a rerun resumes.

File format (JSON Lines, UTF-8, one JSON object per line)::

    {"cooperation_sweep_checkpoint": 1, "fingerprint": "...", "func": "...", ...}
    {"cell": 0, "seed": 1234..., "params": {...}, "outcome": {...}}
    {"cell": 7, ...}

The first line (the header) is written atomically (temporary file + rename).
Finished cells are appended in batches, each batch one ``write`` of whole lines
followed by ``fsync``; a reader keeps every complete line and drops a torn last
line (a batch cut by a power loss or ``kill -9``), and the next append first
rewrites the file without it (atomically). So the file is always a valid
checkpoint of the cells it lists, and at most the last unflushed batch of
cells is lost on a hard kill; on ``Ctrl-C`` (``KeyboardInterrupt``) or
``SIGTERM`` the sweep flushes before it stops, so nothing is lost.

Outcomes are stored as JSON: plain ints, floats (shortest round-trip repr,
``NaN``/``Infinity`` included), bools, strings and nulls, which read back
bit for bit, so a resumed sweep returns the same DataFrame as an
uninterrupted one.

The header's ``fingerprint`` hashes the design (parameter names, dtypes and
values), the root seed, the fixed arguments and the function's name (not its
module path, which differs between a script and a notebook); resuming
with different arguments is refused instead of mixing two experiments. A
resumed record is checked before it is trusted: its cell must be one of the
sweep's, with that cell's own seed and parameters, and its outcome a row of
scalars (integers within 64 bits); a file with a record that fails is named
*corrupt*, with its line, and the sweep does not start.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._io import atomic_write_text
from ..errors import InputError

__all__ = ["Checkpoint"]

FORMAT_KEY = "cooperation_sweep_checkpoint"
FORMAT_VERSION = 1
RECORD_KEYS = frozenset({"cell", "seed", "params", "outcome"})


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=True, separators=(",", ":"),
                      default=repr)


class Checkpoint:
    """Append-only record of the finished cells of one sweep.

    Parameters
    ----------
    path : str or PathLike
        The checkpoint file (created with its folder when missing).
    header : dict
        Must hold ``fingerprint``; written as the first line.
    flush_every : float
        Seconds between flushes of buffered cells while the sweep runs
        (cells are also flushed when a batch reaches 1000 cells, and always at
        the end or on interruption).
    """

    def __init__(self, path: str | os.PathLike, header: dict, flush_every: float = 0.5):
        self.path = Path(path)
        self.header = {FORMAT_KEY: FORMAT_VERSION, **header}
        self.flush_every = float(flush_every)
        self._buffer: list[str] = []
        self._last = time.monotonic()

    # ------------------------------------------------------------------ reading
    def load(self, seeds: Sequence[int] | None = None, params: Sequence[dict] | None = None,
             reserved: Sequence[str] = ()) -> dict[int, dict]:
        """Read the finished cells (``{cell: outcome}``); create the file if missing.

        With ``seeds`` and ``params`` (those of the sweep being resumed) every
        record is checked before it is trusted: its cell exists, its seed and
        parameters are that cell's, its outcome is a table row's worth of scalars
        (:func:`~cooperation.sweeps._worker.normalize_outcome`, ``reserved``
        names excluded), and a cell listed twice says the same both times.

        Raises
        ------
        InputError
            The file is not a sweep checkpoint, belongs to a different sweep
            (other grid, seed, fixed arguments or function), or is corrupt (a
            record that is not one of this sweep's cells, named by its line).
        """
        if not self.path.exists():
            try:
                atomic_write_text(self.path, _dumps(self.header) + "\n")
            except OSError as exc:
                raise InputError(f"cannot be created ({exc.strerror or exc})",
                                 field="checkpoint", value=str(self.path)) from None
            return {}
        if not self.path.is_file():
            raise InputError("is not a regular file (a folder or a device), not a checkpoint",
                             field="checkpoint", value=str(self.path))
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror or exc})", field="checkpoint",
                             value=str(self.path)) from None
        records, complete, torn = self._parse(raw)
        head = records[0]
        if head.get("fingerprint") != self.header["fingerprint"]:
            raise self._other_sweep(head)
        done = self._cells(records[1:], seeds, params, reserved)
        if torn:  # rewrite without the torn tail so appends continue cleanly
            keep = b"\n".join(complete[:len(records)]) + b"\n"
            atomic_write_text(self.path, keep.decode("utf-8"))
        return done

    def _corrupt(self, line: int, what: str) -> InputError:
        return InputError(f"the checkpoint is corrupt: line {line} {what}", field="checkpoint",
                          value=str(self.path),
                          fix="delete it (or choose a new path) to run the sweep afresh")

    def _parse(self, raw: bytes) -> tuple[list, list, bool]:
        lines = raw.split(b"\n")
        complete, tail = lines[:-1], lines[-1]          # tail: bytes after the last newline
        records: list = []
        torn = bool(tail.strip())
        for j, line in enumerate(complete):
            try:
                records.append(json.loads(line.decode("utf-8")))
            # ValueError: also an integer of more than 4,300 digits (Python's int limit)
            except (UnicodeDecodeError, ValueError, RecursionError):
                if j == len(complete) - 1 and not tail and j > 0:
                    torn = True
                    break
                if j == 0:
                    records = []
                    break
                raise self._corrupt(j + 1, "is not JSON") from None
        if not records or not isinstance(records[0], dict) or FORMAT_KEY not in records[0]:
            raise InputError("this file is not a cooperation sweep checkpoint",
                             field="checkpoint", value=str(self.path),
                             fix="choose a new path for checkpoint=")
        if records[0][FORMAT_KEY] != FORMAT_VERSION:
            raise InputError(f"checkpoint format {records[0][FORMAT_KEY]!r}; this version "
                             f"reads format {FORMAT_VERSION}", field="checkpoint",
                             value=str(self.path), fix="delete it to run the sweep afresh")
        return records, complete, torn

    def _other_sweep(self, head: dict) -> InputError:
        diff = [k for k in ("parameters", "cells", "seed_entropy", "fixed")
                if head.get(k) != _roundtrip(self.header.get(k))]
        if str(head.get("func")).rpartition(":")[2] != \
                str(self.header.get("func")).rpartition(":")[2]:
            diff.insert(0, "func")
        return InputError("the checkpoint belongs to a different sweep"
                          + (f" (it differs in {', '.join(diff)})" if diff else
                             " (different grid values)"),
                          field="checkpoint", value=str(self.path),
                          fix="rerun with the same func, grid, seed and fixed arguments, "
                              "or delete the file / choose a new path to start afresh")

    def _cells(self, records: list, seeds, params, reserved) -> dict[int, dict]:
        from ._worker import normalize_outcome

        done: dict[int, dict] = {}
        for j, rec in enumerate(records, start=2):
            if not isinstance(rec, dict) or set(rec) != RECORD_KEYS:
                raise self._corrupt(j, f"is not a cell record (keys {sorted(RECORD_KEYS)})")
            k = rec["cell"]
            if isinstance(k, bool) or not isinstance(k, int):
                raise self._corrupt(j, f"has cell {k!r}, not a cell number")
            if seeds is not None:
                if not 0 <= k < len(seeds):
                    raise self._corrupt(j, f"has cell {k}; this sweep has cells 0..{len(seeds) - 1}")
                if isinstance(rec["seed"], bool) or rec["seed"] != seeds[k]:
                    raise self._corrupt(j, f"gives cell {k} the seed {rec['seed']!r}, not its "
                                        f"own {seeds[k]}")
                if params is not None and _dumps(rec["params"]) != _dumps(params[k]):
                    raise self._corrupt(j, f"gives cell {k} the parameters "
                                        f"{_dumps(rec['params'])[:80]}, not its own")
            try:
                outcome = normalize_outcome(rec["outcome"], reserved)
            except InputError as exc:
                raise self._corrupt(j, f"has an outcome that is not a table row ({exc.rule})") \
                    from None
            if k in done and _dumps(done[k]) != _dumps(outcome):
                raise self._corrupt(j, f"lists cell {k} a second time with another outcome")
            done[k] = outcome
        return done

    # ------------------------------------------------------------------ writing
    def add(self, finished: list[tuple[int, dict]], seeds: list[int],
            params: list[dict]) -> None:
        """Buffer finished cells; flush when due."""
        for k, outcome in finished:
            self._buffer.append(_dumps({"cell": k, "seed": seeds[k], "params": params[k],
                                        "outcome": outcome}) + "\n")
        if len(self._buffer) >= 1000 or time.monotonic() - self._last >= self.flush_every:
            self.flush()

    def flush(self) -> None:
        """Append the buffered cells in one write, then fsync."""
        self._last = time.monotonic()
        if not self._buffer:
            return
        # take the lines out of the buffer first: a Ctrl-C landing during the write must
        # not make the final flush append them a second time
        data = "".join(self._buffer).encode("utf-8")
        self._buffer = []
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            os.fsync(fd)
        finally:
            os.close(fd)


def _roundtrip(obj: Any) -> Any:
    return json.loads(_dumps(obj))
