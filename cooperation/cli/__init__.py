"""The ``cooperation`` command: one module per subcommand.

Each module in :data:`COMMANDS` exposes ``register(subparsers)``, which adds
its parser and sets ``func=run`` with ``run(args, out) -> int`` (the exit
status; ``out`` is where it prints). To add a command, write
``cooperation/cli/<name>.py`` with ``register`` and add its name here.

What every command does the same way (``docs/cli.md``):

* **One default per option.** A flag the user did not type is not passed on
  (:func:`cooperation.cli._common.given`), so the library's default applies;
  the command line never carries a default of its own.
* **Exit status.** 0 success; 1 the computation ran but found no feasible
  answer; 2 bad input: one line on stderr naming the file, the field, the
  value and the rule, never a traceback (for a mistyped command or flag,
  the subcommand's usage and a "did you mean" suggestion); 130 interrupted
  (Ctrl-C, quietly); 141 the reader of the output went away (a closed pipe,
  ``... | head``), quietly.
* **Output files** are checked before any work (a folder, an unwritable
  place: exit 2) and written atomically; text on the terminal has control
  characters in names escaped.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import re
import sys
from collections.abc import Sequence

from ..errors import CooperationError

__all__ = ["main", "build_parser", "COMMANDS", "EXIT_INPUT", "EXIT_INTERRUPTED", "EXIT_BROKEN_PIPE"]

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
    "validate",
    "new",
    "report",
    "sensitivity",
)

#: bad input (argparse's own status for usage errors)
EXIT_INPUT = 2
#: interrupted by Ctrl-C: 128 + SIGINT, what a shell reports for a killed command
EXIT_INTERRUPTED = 130
#: the output pipe was closed by its reader: 128 + SIGPIPE
EXIT_BROKEN_PIPE = 141

_CHOICE = re.compile(r"invalid choice: '(?P<value>.*?)' \(choose from (?P<choices>.*)\)")


def _suggestion(word: str, candidates) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    cands = [c for c in candidates if c]
    best = difflib.get_close_matches(word, cands, n=1, cutoff=0.6)
    if not best:
        folded = {c.lower(): c for c in cands}
        best = [folded[word.lower()]] if word.lower() in folded else []
    return f" (did you mean {best[0]!r}?)" if best else ""


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose errors suggest the closest valid choice."""

    def error(self, message: str):
        m = _CHOICE.search(message)
        if m:
            choices = re.findall(r"'((?:[^'\\]|\\.)*)'", m.group("choices"))
            message += _suggestion(m.group("value"), choices)
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")

    def option_strings(self) -> list[str]:
        return [s for a in self._actions for s in a.option_strings]


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("cooperation")
    except (ImportError, PackageNotFoundError):  # pragma: no cover - not installed
        from .. import __version__

        return __version__


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="cooperation",
        description="Game-theoretic analysis of cross-regional crisis governance.",
        epilog="Exit status: 0 done, 1 no feasible answer, 2 bad input, 130 interrupted.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    p.subcommands = sub.choices  # name -> subparser (usage and flags for errors)
    return p


def _unrecognised(parser, args, extras: list[str]) -> None:
    """Report arguments no parser took, with the subcommand's usage and a suggestion."""
    sub = parser.subcommands[args.command]
    flags = sub.option_strings()
    parts = []
    for x in extras:
        hint = _suggestion(x.split("=", 1)[0], flags) if x.startswith("-") else ""
        parts.append(x + hint)
    sub.error("unrecognized arguments: " + " ".join(parts))


def _run(argv) -> int:
    from ._common import TerminalText, escape

    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        _unrecognised(parser, args, extras)
    out = TerminalText(sys.stdout)
    try:
        code = int(args.func(args, out) or 0)
    except CooperationError as exc:
        _flush(sys.stdout)
        print(
            escape(f"cooperation {args.command}: error: {_as_typed(parser, args, exc)}"),
            file=sys.stderr,
        )
        return EXIT_INPUT
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) or exc.filename is None:
            raise
        _flush(sys.stdout)
        why = exc.strerror or type(exc).__name__
        print(escape(f"cooperation {args.command}: error: {exc.filename}: {why}"), file=sys.stderr)
        return EXIT_INPUT
    _flush(sys.stdout)  # a closed pipe shows up here, inside the handlers of main
    return code


def _as_typed(parser, args, exc: CooperationError) -> str:
    """The error's message, naming the flag the user typed (``--max-subsidy``) when the
    library named its parameter (``max_subsidy``)."""
    from ..errors import format_problem

    field = getattr(exc, "field", None)
    sub = parser.subcommands.get(args.command)
    if not field or sub is None or getattr(exc, "source", None):
        return str(exc)
    for action in sub._actions:
        if (
            action.dest == field
            and action.option_strings
            and getattr(args, field, None) is not None
        ):
            flag = action.option_strings[-1]
            return format_problem(flag, getattr(args, field), exc.rule, None, exc.fix)
    return str(exc)


def _flush(stream) -> None:
    flush = getattr(stream, "flush", None)
    if flush is not None:
        flush()


def _silence_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's final flush of a closed
    pipe raises nothing (the recipe of the Python docs, "Note on SIGPIPE")."""
    try:
        fd = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cooperation`` command; return its exit status (module notes).

    A usage error (unknown command or flag, a value outside a flag's choices)
    raises ``SystemExit(2)`` after printing the usage, as argparse does;
    ``--help`` and ``--version`` raise ``SystemExit(0)``.
    """
    try:
        return _run(argv)
    except KeyboardInterrupt:
        try:
            print("cooperation: interrupted", file=sys.stderr)
        except (OSError, ValueError, KeyboardInterrupt):
            pass
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
