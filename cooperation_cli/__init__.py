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

import sys

__all__ = ["main"]

EXIT_INTERRUPTED = 130  # 128 + SIGINT (the same as cooperation.cli.EXIT_INTERRUPTED)


def main(argv=None) -> int:
    try:
        from cooperation.cli import main as run
    except KeyboardInterrupt:
        try:
            sys.stderr.write("cooperation: interrupted\n")
        except (OSError, ValueError, KeyboardInterrupt):
            pass
        return EXIT_INTERRUPTED
    try:
        return run(argv)
    except KeyboardInterrupt:  # between the handlers of run and this frame
        return EXIT_INTERRUPTED
