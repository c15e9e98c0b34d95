"""Progress bars for steps that take seconds: a tqdm bar when a person is watching.

``progress=None`` (the default of every function that takes it) shows a bar
only when standard error is a terminal and no test is running (pytest sets
``PYTEST_CURRENT_TEST``); a notebook, a pipe, a log file and the test suite
stay quiet. ``True`` forces a bar, ``False`` silences it. The sweeps keep their
own richer reporter (``cooperation.sweeps.progress``: bars or log lines for
clusters); this is the small shared one for the layers below them.
"""

from __future__ import annotations

import os
import sys

from .errors import InputError

__all__ = ["progress_bar", "wants_progress"]


def wants_progress(progress) -> bool:
    """Whether to show a bar: ``True``/``False`` as given; ``None``: a terminal and no
    test running."""
    if progress is None:
        stream = sys.stderr
        tty = bool(getattr(stream, "isatty", None)) and stream.isatty()
        return tty and "PYTEST_CURRENT_TEST" not in os.environ
    if isinstance(progress, bool):
        return progress
    raise InputError(
        "must be True, False or None (a bar on a terminal only)", field="progress", value=progress
    )


class _Quiet:
    """What a bar is when nobody watches: every call does nothing."""

    def update(self, k: int = 1) -> None:
        pass

    def set_description_str(self, text: str) -> None:
        pass

    def set_postfix_str(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def progress_bar(total: int | None, desc: str, progress=None, unit: str = "it"):
    """A tqdm bar on standard error, or a silent stand-in (see :func:`wants_progress`).

    Use as a context manager; ``update(k)`` counts ``k`` more steps.

    Examples
    --------
    >>> from cooperation._progress import progress_bar
    >>> with progress_bar(3, "steps", progress=False) as bar:
    ...     bar.update(3)
    """
    if not wants_progress(progress):
        return _Quiet()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)
