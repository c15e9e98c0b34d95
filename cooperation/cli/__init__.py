"""The ``cooperation`` command: one module per subcommand.

Each module in :data:`COMMANDS` exposes ``register(subparsers)``, which adds
its parser and sets ``func=run`` with ``run(args, out) -> int`` (the exit
status; ``out`` is where it prints). To add a command, write
``cooperation/cli/<name>.py`` with ``register`` and add its name here.

Bad input ends with exit status 2 and one line on stderr naming the file,
the field, the value and the rule; never a traceback. Output files are
written atomically.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ..errors import CooperationError

__all__ = ["main", "build_parser", "COMMANDS"]

# the order of ``cooperation --help``
COMMANDS = (
    "analyze",
    "compensate",
    "fund",
    "simulate",
    "sweep",
    "reserves",
    "evolve",
    "response",
    "report",
    "sensitivity",
)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cooperation",
        description="Game-theoretic analysis of cross-regional crisis governance.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args, sys.stdout) or 0)
    except CooperationError as exc:
        print(f"cooperation {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"cooperation {args.command}: interrupted", file=sys.stderr)
        return 130
