"""Safe file output: atomic writes, CSV cells that cannot run as formulas, explicit JSON.

Three rules hold for every file the package writes:

* **Atomic.** Everything is written to a temporary file in the target's folder
  and renamed onto the target (:func:`atomic_write`), so a crash or a Ctrl-C
  mid-write never leaves a half-written output file. :func:`check_writable`
  refuses a path that is a folder, or whose folder cannot be created or
  written, *before* any work is done.
* **CSV cells are data, not formulas** (:func:`atomic_write_csv`). A text cell
  (a name, a label, a column or index heading) that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a single quote in front, so a
  spreadsheet shows it as text instead of evaluating it (OWASP, "CSV
  Injection"). Numbers are untouched, and floats are written with 12
  significant digits (``%.12g``): LP round-off such as ``0.8999999999999999``
  is not money, and 12 digits are far beyond any figure a scenario holds. A
  missing value is written ``NaN``; an unbounded one ``inf``. Lines end in CRLF
  (RFC 4180), so a cell holding a newline or a carriage return is quoted.
* **JSON says what a non-finite number means** (:func:`to_jsonable`). JSON
  has no NaN or infinity, so they are written as the strings ``"NaN"``,
  ``"Infinity"`` and ``"-Infinity"`` (the spellings that Python's ``float``
  and JavaScript's ``Number`` read back), never as ``null`` and never as the
  bare non-standard tokens. ``"Infinity"`` means *no limit* (a payment cap that
  is not set, an unbounded range); ``"NaN"`` means *not defined or not known
  here* (a ratio with a zero denominator, a rule that cannot be applied), and
  the reason is in the notes next to it. A JSON object written by
  :func:`atomic_write_json` that holds any of them also gets a key
  ``"non_finite_values"`` spelling these meanings out. ``null`` stays what it
  is in the API: an option that was not given, a flag that was not
  established.

References
----------
OWASP Foundation, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection (prefix a single quote).
RFC 8259, *The JavaScript Object Notation (JSON) Data Interchange Format*, s. 6
(numbers: no NaN or infinity).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError

__all__ = [
    "atomic_write",
    "atomic_write_text",
    "atomic_write_json",
    "atomic_write_csv",
    "to_jsonable",
    "neutralise_cell",
    "check_writable",
    "CSV_FLOAT",
    "NON_FINITE",
    "FORMULA_PREFIXES",
]

#: float format of every CSV the package writes: 12 significant digits
CSV_FLOAT = "%.12g"
#: first characters that make a spreadsheet read a cell as a formula (OWASP)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: what each non-finite number means in a JSON file (see the module notes)
NON_FINITE = {
    "NaN": "not defined or not known here; the reason is in the notes next to it",
    "Infinity": "no limit (for example no payment cap, an unbounded range)",
    "-Infinity": "no lower limit",
}


def _default_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def check_writable(path: str | os.PathLike, field: str = "path") -> Path:
    """``Path(path)`` when a file can be written there; else an :class:`InputError`.

    Refused: an existing folder, an existing file that cannot be written, and
    a path whose nearest existing parent is not a folder or cannot be written
    (missing parent folders are fine: :func:`atomic_write` creates them). Call
    it before the work whose result will be written, so that a bad path costs
    nothing.

    Examples
    --------
    >>> import tempfile
    >>> from cooperation._io import check_writable
    >>> folder = tempfile.mkdtemp()
    >>> check_writable(f"{folder}/new/result.json", "--out").name
    'result.json'
    >>> try:
    ...     check_writable(folder, "--out")
    ... except ValueError as exc:
    ...     print(exc.rule.split(";")[0])
    is a folder
    """
    target = Path(path)
    shown = str(path)
    if str(path) == "" or target.name in ("", ".", ".."):
        raise InputError("must name a file", field=field, value=shown)
    if target.is_dir():
        raise InputError(
            f"is a folder; give a file name (e.g. {target / 'result.json'})",
            field=field,
            value=shown,
        )
    if target.exists():
        if not os.access(target, os.W_OK):
            raise InputError(
                "the file exists and cannot be written (permission denied)",
                field=field,
                value=shown,
            )
        return target
    parent = target.parent if str(target.parent) else Path(".")
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(
            f"cannot be created: {str(parent)!r} is a file, not a folder", field=field, value=shown
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot write in the folder {str(parent)!r} (permission denied)",
            field=field,
            value=shown,
        )
    return target


def _host_tag() -> str:
    import hashlib
    import socket

    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, owned by someone else
        return True
    return True


def _clean_stale_temps(folder: Path, name: str) -> None:
    """Remove ``.NAME.PID-HOST.*.tmp`` files left by writers of this host that died
    (``kill -9``, a power cut) mid-write; a live writer's file is never touched."""
    prefix = f".{name}."
    host = _host_tag()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        rest = entry.name[len(prefix) :] if entry.name.startswith(prefix) else None
        if rest is None or not rest.endswith(".tmp"):
            continue
        tag = rest.split(".", 1)[0]
        pid, _, tag_host = tag.partition("-")
        if tag_host != host or not pid.isdigit() or int(pid) == os.getpid() or _pid_alive(int(pid)):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            pass


def atomic_write(path: str | os.PathLike, writer: Callable[[str], None]) -> Path:
    """Call ``writer(tmp_path)`` then rename ``tmp_path`` onto ``path`` atomically.

    The file ends up with the permissions a plain ``open(path, "w")`` gives
    (those of the file it replaces, if any), not ``mkstemp``'s private 0o600.
    The temporary file ``.NAME.PID-HOST.XXXX.tmp`` names its writer, so that
    the next write to the same target removes those of writers that died
    mid-write (``kill -9``) on this host.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    _clean_stale_temps(folder, target.name)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}-{_host_tag()}.", suffix=".tmp", dir=folder
    )
    os.close(fd)
    try:
        writer(tmp)
        try:
            mode = target.stat().st_mode & 0o7777
        except OSError:
            mode = _default_mode()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return target


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    def w(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())

    return atomic_write(path, w)


# ------------------------------------------------------------------------------ JSON
def _non_finite(x: float) -> str:
    return "NaN" if math.isnan(x) else "Infinity" if x > 0 else "-Infinity"


def to_jsonable(obj: Any, found: set | None = None) -> Any:
    """Convert numpy/pandas objects to plain JSON types.

    Non-finite floats become the strings ``"NaN"``, ``"Infinity"``,
    ``"-Infinity"`` (module notes); ``found``, when given, collects the
    strings used. Tables become lists of records (the index a column).

    Examples
    --------
    >>> from cooperation._io import to_jsonable
    >>> to_jsonable({"cap": float("inf"), "ratio": float("nan"), "given": None})
    {'cap': 'Infinity', 'ratio': 'NaN', 'given': None}
    """
    import pandas as pd

    if isinstance(obj, dict):
        return {str(k): to_jsonable(v, found) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v, found) for v in obj]
    if isinstance(obj, pd.DataFrame):
        return to_jsonable(obj.reset_index().to_dict(orient="records"), found)
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.to_dict(), found)
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist(), found)
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        x = float(obj)
        if math.isfinite(x):
            return x
        word = _non_finite(x)
        if found is not None:
            found.add(word)
        return word
    if obj is pd.NA or obj is pd.NaT:
        return None
    return obj


def atomic_write_json(path: str | os.PathLike, data: Any) -> Path:
    """Write ``data`` as UTF-8 JSON (indented) atomically, non-finite numbers spelled out.

    A top-level object that holds ``"NaN"``/``"Infinity"`` strings gets the
    key ``"non_finite_values"`` with their meanings (module notes).
    """
    found: set = set()
    plain = to_jsonable(data, found)
    if found and isinstance(plain, dict) and "non_finite_values" not in plain:
        plain["non_finite_values"] = {k: NON_FINITE[k] for k in NON_FINITE if k in found}
    return atomic_write_text(
        path, json.dumps(plain, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    )


# ------------------------------------------------------------------------------- CSV
def neutralise_cell(value: Any) -> Any:
    """``value`` with a single quote in front when it is text a spreadsheet would run.

    Examples
    --------
    >>> from cooperation._io import neutralise_cell
    >>> neutralise_cell("=HYPERLINK(1)"), neutralise_cell("Anhui"), neutralise_cell(-1.5)
    ("'=HYPERLINK(1)", 'Anhui', -1.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, tuple):
        return tuple(neutralise_cell(v) for v in value)
    return value


def _neutralise_frame(df):
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        s = out[col]
        if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
            out[col] = s.map(neutralise_cell)
    out.columns = out.columns.map(neutralise_cell)
    out.index = out.index.map(neutralise_cell)
    if isinstance(out.index, pd.MultiIndex):
        out.index.names = [neutralise_cell(n) for n in out.index.names]
    else:
        out.index.name = neutralise_cell(out.index.name)
    return out


def atomic_write_csv(
    path: str | os.PathLike, frame, *, index: bool = True, exact: bool = False, bom: bool = False
) -> Path:
    """Write a DataFrame as UTF-8 CSV atomically: text cells neutralised, floats at
    12 significant digits, missing values ``NaN`` (module notes).

    ``exact``: floats as the shortest text that reads back to the same double
    (Python's ``repr``), for tables that are data to be read back bit for bit
    (a sweep's outcomes) rather than money to be read by people. ``bom``: start
    with a UTF-8 byte-order mark (for spreadsheets that need one to read Chinese).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> from cooperation._io import atomic_write_csv
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> df = pd.DataFrame({"name": ["=1+1", "Anhui"], "x": [0.1 + 0.2, float("nan")]})
    >>> _ = atomic_write_csv(path, df, index=False)
    >>> print(path.read_text(encoding="utf-8"), end="")
    name,x
    '=1+1,0.3
    Anhui,NaN
    """
    safe = _neutralise_frame(frame)
    # CRLF line ends (RFC 4180): a cell holding a carriage return or a newline is quoted,
    # so it cannot split a row
    return atomic_write(
        path,
        lambda tmp: safe.to_csv(
            tmp,
            index=index,
            encoding="utf-8-sig" if bom else "utf-8",
            float_format=None if exact else CSV_FLOAT,
            na_rep="NaN",
            lineterminator="\r\n",
        ),
    )
