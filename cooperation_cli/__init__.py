"""Entry point of the ``cooperation`` command, kept outside the ``cooperation`` package.

Importing ``cooperation`` loads numpy, pandas, scipy and the solvers, which
takes a second or two. A Ctrl-C in that time would end in a traceback if the
entry point lived inside the package, because the package is imported before
any of its code can catch the interrupt. This module imports nothing heavy:
it catches the interrupt around the import and around the command, so
Ctrl-C anywhere ends quietly with exit status 130 (the statuses are those of
:func:`cooperation.cli.main`). ``python -m cooperation_cli`` is the same
command.
"""

from __future__ import annotations

import os
import sys

__all__ = ["main"]

EXIT_INTERRUPTED = 130  # 128 + SIGINT (the same as cooperation.cli.EXIT_INTERRUPTED)


def _interrupted(message: bool = True):
    """Leave with 130 at once: after a Ctrl-C nothing is left to finish, and the
    interpreter's shutdown (module finalisers, a half-imported package) must not turn
    the status into a death by SIGINT (-2) or print a traceback."""
    try:
        if message:
            sys.stderr.write("cooperation: interrupted\n")
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, KeyboardInterrupt):
        pass
    os._exit(EXIT_INTERRUPTED)


def main(argv=None) -> int:
    try:
        from cooperation.cli import main as run
    except KeyboardInterrupt:
        _interrupted()
    try:
        code = run(argv)
    except KeyboardInterrupt:  # between the handlers of run and this frame
        _interrupted()
    if code == EXIT_INTERRUPTED:  # run() has already said so
        _interrupted(message=False)
    return code
