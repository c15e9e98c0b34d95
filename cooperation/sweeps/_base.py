"""The part every sweep executor shares: chunk sizing and the context-manager protocol."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..errors import InputError

__all__ = ["default_workers"]


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
