"""Helpers shared by the command modules: the options the user typed, numbers from
flags, output paths checked before any work, terminal text and tables, results
written atomically.

Parsing errors raise :class:`~cooperation.errors.InputError` naming the flag,
the value and the rule; :func:`cooperation.cli.main` turns them into one line
on stderr and exit status 2.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pandas as pd

from .._checks import check_number
from .._io import CSV_FLOAT, atomic_write, atomic_write_csv, atomic_write_json, check_writable
from .._result import display_number, escape_controls, text_table
from ..errors import InputError

__all__ = [
    "CSV_FLOAT",
    "WIDTH",
    "fmt",
    "num",
    "escape",
    "TerminalText",
    "print_table",
    "check_out",
    "write_result",
    "number",
    "integer",
    "save_figure",
    "given",
    "default_of",
    "add_allow_outside",
    "load_scenario_arg",
]

#: terminal tables and lines fit in this many columns; wider detail goes to --out files
WIDTH = 100

# ---------------------------------------------------------------- the options typed


def given(args, *names: str) -> dict:
    """``{name: value}`` for the options among ``names`` that the user typed.

    Options are declared with ``default=None`` (or ``argparse.SUPPRESS``), so
    an option left out is absent here and the library's own default applies:
    every default lives once, in the library.

    Examples
    --------
    >>> import argparse
    >>> given(argparse.Namespace(fine="2", detection=None), "fine", "detection", "seed")
    {'fine': '2'}
    """
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def default_of(func, name: str) -> str:
    """The library default of ``func``'s parameter ``name``, as help text shows it."""
    d = inspect.signature(func).parameters[name].default
    return "none" if d is None else str(d)


def number(text, flag: str, lo: float | None = None, hi: float | None = None) -> float:
    """``float(text)``, finite and in ``[lo, hi]`` when given."""
    try:
        x = float(text)
    except (TypeError, ValueError):
        raise InputError("must be a number", field=flag, value=text) from None
    return check_number(x, flag, lo=lo, hi=hi, shown=text)


def integer(text, flag: str, lo: int | None = None) -> int:
    """``int(text)``, at least ``lo`` when given."""
    try:
        x = int(text)
    except (TypeError, ValueError):
        raise InputError("must be an integer", field=flag, value=text) from None
    if lo is not None and x < lo:
        raise InputError(f"must be an integer >= {lo}", field=flag, value=text)
    return x


# ------------------------------------------------------------------------ scenarios
def add_allow_outside(p) -> None:
    """The ``--allow-outside`` flag of every command that loads a scenario file."""
    p.add_argument(
        "--allow-outside",
        action="store_true",
        default=None,
        help="read the tables a scenario names outside its folder (absolute paths, "
        "..); refused by default",
    )


def load_scenario_arg(args, path=None):
    """:func:`cooperation.load_scenario` of ``path`` (default ``args.scenario``), passing
    ``allow_outside`` only when the user typed ``--allow-outside``."""
    from ..scenario import load_scenario

    return load_scenario(args.scenario if path is None else path, **given(args, "allow_outside"))


# --------------------------------------------------------------------- terminal text
def escape(text, keep: str = "") -> str:
    """``str(text)`` with control characters escaped (:func:`cooperation._result.escape_controls`).

    Examples
    --------
    >>> print(escape("Anhui\\x1b[31m\\nred"), escape("新安江"))
    Anhui\\x1b[31m\\nred 新安江
    """
    return escape_controls(text, keep)


class TerminalText:
    """A text stream that escapes control characters other than newline and tab.

    :func:`cooperation.cli.main` hands one to every command as ``out``, so no
    name in a scenario can send terminal escapes; line structure stays the
    command's own (names in tables are escaped by :func:`print_table`).
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, s: str) -> int:
        return self._stream.write(escape_controls(s, keep="\n\t"))

    def __getattr__(self, name):
        return getattr(self._stream, name)


# ---------------------------------------------------------------------- numbers, tables
def fmt(x: float) -> str:
    """A number at 6 significant digits (``-0`` shown as ``0``)."""
    return f"{x + 0.0:.6g}"


def num(x, digits: int = 4, na: str = "n/a", inf: str = "inf") -> str:
    """A number for the screen (:func:`cooperation._result.display_number`).

    Examples
    --------
    >>> num(0.8999999999999999), num(-2.61532), num(float("nan"))
    ('0.9', '-2.615', 'n/a')
    """
    return display_number(x, digits, na, inf)


def print_table(
    df: pd.DataFrame,
    out,
    *,
    width: int = WIDTH,
    digits: int = 6,
    na: str = "n/a",
    max_rows: int = 60,
) -> None:
    """Print ``df`` within ``width`` columns: numbers at ``digits`` significant digits,
    ``na`` for a missing value, names escaped, at most ``max_rows`` rows
    (:func:`cooperation._result.text_table`)."""
    print(text_table(df.head(max_rows), width=width, digits=digits, na=na), file=out)
    if len(df) > max_rows:
        print(f"... {len(df) - max_rows} more rows (all of them in --out)", file=out)


# ------------------------------------------------------------------------- output files
def check_out(
    path: str | None, flag: str = "--out", allowed: tuple[str, ...] = (".json", ".csv")
) -> str | None:
    """The lower-case suffix of ``path`` (None when no path), checked against
    ``allowed``, and the place checked writable (before any work is done)."""
    if path is None:
        return None
    ext = Path(path).suffix.lower()
    if Path(path).is_dir():
        check_writable(path, flag)  # the message says it is a folder
    if ext not in allowed:
        if allowed == (".json", ".csv"):
            rule = "output must end in .json (everything) or .csv (the table)"
        else:
            rule = f"must end in one of {', '.join(allowed)}"
        raise InputError(rule, field=flag, value=path)
    check_writable(path, flag)
    return ext


def write_result(path: str, ext: str, data: dict, frame: pd.DataFrame, out) -> None:
    """Write ``data`` as JSON or ``frame`` as CSV to ``path`` atomically
    (:mod:`cooperation._io`: non-finite numbers spelled out in JSON, CSV cells
    neutralised and floats at 12 significant digits)."""
    if ext == ".json":
        atomic_write_json(path, data)
    else:
        atomic_write_csv(path, frame)
    print(f"\nwrote {path}", file=out)


def save_figure(fig, path: str, ext: str) -> None:
    atomic_write(path, lambda tmp: fig.savefig(tmp, format=ext.lstrip(".")))
