"""Helpers shared by the command modules: parsing numbers from flags, checking
output paths, printing tables, writing results atomically.

Parsing errors raise :class:`~cooperation.errors.InputError` naming the flag,
the value and the rule; :func:`cooperation.cli.main` turns them into one line
on stderr and exit status 2.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._checks import check_number
from ..errors import InputError

__all__ = ["CSV_FLOAT", "fmt", "print_table", "check_out", "write_result", "number",
           "integer", "save_figure"]

# money in CSV tables: 12 significant digits (LP round-off such as 1.3567999999999998
# is not money; JSON output keeps every digit)
CSV_FLOAT = "%.12g"


def fmt(x: float) -> str:
    return f"{x:.6g}"


def print_table(df: pd.DataFrame, out, *, width: int = 140) -> None:
    """Print ``df`` with money at 6 significant digits, at most 60 rows."""
    with pd.option_context("display.width", width, "display.max_columns", 30,
                           "display.max_rows", 60, "display.float_format", fmt):
        print(df.to_string(), file=out)


def check_out(path: str | None, flag: str = "--out",
              allowed: tuple[str, ...] = (".json", ".csv")) -> str | None:
    """The lower-case suffix of ``path`` (None when no path), checked against ``allowed``."""
    if path is None:
        return None
    ext = Path(path).suffix.lower()
    if ext not in allowed:
        if allowed == (".json", ".csv"):
            rule = "output must end in .json (everything) or .csv (the table)"
        else:
            rule = f"must end in one of {', '.join(allowed)}"
        raise InputError(rule, field=flag, value=path)
    return ext


def write_result(path: str, ext: str, data: dict, frame: pd.DataFrame, out) -> None:
    """Write ``data`` as JSON or ``frame`` as CSV to ``path`` atomically."""
    from .._io import atomic_write, atomic_write_json

    if ext == ".json":
        atomic_write_json(path, data)
    else:
        atomic_write(path, lambda tmp: frame.to_csv(tmp, encoding="utf-8",
                                                float_format=CSV_FLOAT))
    print(f"\nwrote {path}", file=out)


def save_figure(fig, path: str, ext: str) -> None:
    from .._io import atomic_write

    atomic_write(path, lambda tmp: fig.savefig(tmp, format=ext.lstrip(".")))


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
