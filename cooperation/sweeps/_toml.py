"""Reading sweep spec files safely, and the typed checks of their values.

A spec file is a short TOML text. Anything else (a folder, a device such as
``/dev/zero``, a pipe, a binary file, a file larger than :data:`MAX_SPEC_BYTES`)
is refused with one line naming the file and the rule, before it is read
whole. Every value of a spec is checked for its type here (TOML has ints,
floats, bools, strings, arrays, tables and dates; Python's ``True == 1`` must
not let ``num = true`` through as one point), so that a malformed spec never
ends in a traceback.
"""

from __future__ import annotations

import math
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from .._checks import check_int, check_number
from ..errors import InputError

__all__ = ["MAX_SPEC_BYTES", "read_toml", "want_int", "want_number", "want_str", "want_table",
           "want_bool", "parse_value", "parse_values", "split_path", "join_path"]

#: a sweep spec is a short text; larger files are refused before they are read
MAX_SPEC_BYTES = 1 << 20


def read_toml(path: str | os.PathLike, what: str = "sweep spec",
              field: str = "spec") -> tuple[dict, Path]:
    """Parse a TOML file of at most :data:`MAX_SPEC_BYTES`; ``(data, path)``.

    Raises :class:`~cooperation.errors.InputError` (naming ``field``) for a
    missing file, a folder, a device or pipe, an oversized, empty, binary or
    non-UTF-8 file and invalid TOML.
    """
    p = Path(path)
    src = str(p)

    def bad(rule: str, fix: str | None = None) -> InputError:
        return InputError(rule, field=field, value=src, fix=fix)

    try:
        info = p.stat()
    except FileNotFoundError:
        raise bad("file not found") from None
    except OSError as exc:
        raise bad(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if stat.S_ISDIR(info.st_mode):
        raise bad(f"is a folder, not a {what} file")
    if not stat.S_ISREG(info.st_mode):
        raise bad(f"is not a regular file (a device, pipe or socket), not a {what}")
    if info.st_size > MAX_SPEC_BYTES:
        raise bad(f"is {info.st_size} bytes; a {what} is a short TOML text of at most "
                  f"{MAX_SPEC_BYTES} bytes")
    try:
        with open(p, "rb") as fh:
            raw = fh.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise bad(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(raw) > MAX_SPEC_BYTES:
        raise bad(f"is larger than {MAX_SPEC_BYTES} bytes; a {what} is a short TOML text")
    if not raw.strip():
        raise bad(f"the file is empty; a {what} names at least what to run and a grid")
    if b"\x00" in raw:
        raise bad(f"is a binary file, not a {what} (TOML text)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise bad("is not UTF-8 text (is it a TOML file?)") from None
    try:
        return tomllib.loads(text), p
    except tomllib.TOMLDecodeError as exc:
        raise bad(f"is not valid TOML ({exc})") from None


def _sourced(exc: InputError, src: str | None) -> InputError:
    return InputError(exc.rule, field=exc.field, value=exc.value, source=src, fix=exc.fix)


def want_int(value: Any, field: str, src: str | None = None, *, lo: int | None = None,
             hi: int | None = None) -> int:
    """An integer (a bool is not one) in ``[lo, hi]``."""
    try:
        return check_int(value, field, lo=lo, hi=hi)
    except InputError as exc:
        raise _sourced(exc, src) from None


def want_number(value: Any, field: str, src: str | None = None, **bounds) -> float:
    """A finite real number (a bool or a string is not one), within ``bounds``."""
    try:
        return check_number(value, field, **bounds)
    except InputError as exc:
        raise _sourced(exc, src) from None


def want_str(value: Any, field: str, src: str | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError("must be a non-empty string", field=field, value=value, source=src)
    return value


def want_bool(value: Any, field: str, src: str | None = None) -> bool:
    if not isinstance(value, bool):
        raise InputError("must be true or false", field=field, value=value, source=src)
    return value


def want_table(value: Any, field: str, src: str | None = None) -> dict:
    if not isinstance(value, dict):
        raise InputError("must be a table of name = value", field=field, value=value,
                         source=src)
    return value


# ---------------------------------------------------------------------------- values
def parse_value(text: str) -> Any:
    """One value typed on the command line: int, float, true/false, else the string."""
    t = text.strip()
    low = t.lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        return int(t)
    except ValueError:
        pass
    try:
        x = float(t)
    except ValueError:
        return t
    return x


def parse_values(text: str, field: str, *, max_num: int) -> list:
    """``a:b:n`` (``n`` points from ``a`` to ``b``, numpy.linspace), ``a:b:n:log``
    (numpy.logspace, exponents ``a`` and ``b``) or a comma list ``x,y,z``."""
    t = text.strip()
    if not t:
        raise InputError("no values: give a:b:n (n points from a to b) or a list x,y,z",
                         field=field, value=text)
    parts = t.split(":")
    if len(parts) in (3, 4) and "," not in t:
        log = len(parts) == 4
        if log and parts[3].strip().lower() != "log":
            raise InputError("a range is a:b:n or a:b:n:log", field=field, value=text)
        try:
            a, b = float(parts[0]), float(parts[1])
            n = int(parts[2])
        except ValueError:
            raise InputError("a range a:b:n needs numbers a, b and a whole number n",
                             field=field, value=text) from None
        return linspace_values(a, b, n, log, field, value=text, max_num=max_num)
    return [parse_value(x) for x in t.split(",")]


def linspace_values(a: float, b: float, n: int, log: bool, field: str, *, value: Any,
                    max_num: int, src: str | None = None) -> list[float]:
    """``numpy.linspace(a, b, n)`` (or ``logspace``), every point finite."""
    import numpy as np

    for x in (a, b):
        if not math.isfinite(x):
            raise InputError("range ends must be finite numbers", field=field, value=value,
                             source=src)
    if not 1 <= n <= max_num:
        raise InputError(f"the number of points must lie in [1, {max_num}]", field=field,
                         value=value, source=src)
    with np.errstate(over="ignore"):
        vals = (np.logspace if log else np.linspace)(a, b, n)
    if not np.all(np.isfinite(vals)):
        raise InputError("the range overflows (10**stop is not a finite float)", field=field,
                         value=value, source=src)
    return vals.tolist()


# ---------------------------------------------------------------------------- dotted paths
def split_path(path: str, field: str = "path") -> list[str]:
    """``monitoring.fine`` -> ``["monitoring", "fine"]``; segments may be double-quoted
    (``scenario.hazards."a.b".damage``)."""
    if not isinstance(path, str) or not path.strip():
        raise InputError("must be a dotted path such as monitoring.fine", field=field,
                         value=path)
    out, cur, quoted, i = [], "", False, 0
    while i < len(path):
        ch = path[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "." and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    if quoted:
        raise InputError("unbalanced double quote in the path", field=field, value=path)
    out.append(cur)
    if any(not s.strip() for s in out):
        raise InputError("a dotted path has an empty segment", field=field, value=path)
    return [s.strip() for s in out]


def join_path(parts: list[str]) -> str:
    """The inverse of :func:`split_path` (quotes a segment holding a dot)."""
    return ".".join(f'"{p}"' if "." in p else p for p in parts)
