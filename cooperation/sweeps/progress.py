"""Progress of a sweep: a tqdm bar for people, log lines for batch jobs and clusters.

``progress=True`` (or ``"bar"``) shows a ``tqdm.auto`` bar, which is a widget in
Jupyter and a text bar in a terminal. ``progress="log"`` writes a line such as::

    sweep grim_cell: 120/400 cells (30.0%), 12.1 s elapsed, about 28.2 s left

at most every ``log_every`` seconds and at the end, through the
``cooperation.sweeps`` logger (to standard error when logging is not
configured), which suits batch schedulers and cluster logs where a redrawn bar
becomes noise. ``progress=False`` (or ``"none"``) is silent.
"""

from __future__ import annotations

import logging
import sys
import time

from ..errors import InputError

__all__ = ["Progress", "progress_mode"]

logger = logging.getLogger("cooperation.sweeps")


def progress_mode(progress) -> str:
    """Normalise the ``progress=`` argument to ``"bar"``, ``"log"`` or ``"none"``."""
    if progress is True or progress == "bar":
        return "bar"
    if progress is False or progress is None or progress == "none":
        return "none"
    if progress == "log":
        return "log"
    raise InputError("progress must be True/'bar', 'log' or False/'none'",
                     field="progress", value=progress)


class Progress:
    """Counts finished cells and shows them (see the module docstring)."""

    def __init__(self, mode: str, total: int, initial: int = 0, desc: str = "sweep",
                 log_every: float = 10.0):
        self.mode, self.total, self.n, self.desc = mode, total, initial, desc
        self.log_every = float(log_every)
        self._start = time.monotonic()
        self._last = self._start
        self._initial = initial
        self._bar = None
        if mode == "bar":
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, initial=initial, desc=desc, unit="cell",
                             dynamic_ncols=True)
        elif mode == "log" and initial:
            self._emit(f"{desc}: resuming, {initial}/{total} cells already in the checkpoint")

    def _emit(self, line: str) -> None:
        if logger.hasHandlers():
            logger.info(line)
        else:
            print(line, file=sys.stderr, flush=True)

    def update(self, k: int) -> None:
        self.n += k
        if self._bar is not None:
            self._bar.update(k)
        elif self.mode == "log":
            now = time.monotonic()
            if now - self._last >= self.log_every and self.n < self.total:
                self._last = now
                self._emit(self._line(now))

    def _line(self, now: float) -> str:
        elapsed = now - self._start
        ran = self.n - self._initial
        text = (f"{self.desc}: {self.n}/{self.total} cells "
                f"({100.0 * self.n / max(self.total, 1):.1f}%), {elapsed:.1f} s elapsed")
        if 0 < ran and self.n < self.total:
            text += f", about {elapsed / ran * (self.total - self.n):.1f} s left"
        return text

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.mode == "log":
            self._emit(self._line(time.monotonic()))
            self.mode = "none"
