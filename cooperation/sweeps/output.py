"""Sweep outputs: checked before any cell runs, written atomically, never lost.

A sweep can run for hours; its table must not be lost to a typo in ``--out``
or to a column Parquet cannot hold. So:

- :func:`check_table_path` runs before the first cell: the suffix is
  ``.parquet`` or ``.csv`` and the path can be written
  (:func:`cooperation._io.check_writable`: not a folder, its nearest existing
  folder a writable folder);
- :func:`write_table` writes atomically (temporary file, then rename) and,
  when the table cannot be written where asked (a Parquet type clash, a full
  disk, a folder that vanished), writes it as CSV beside the target or in the
  system's temporary folder and then raises one line saying where it went.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from .._io import atomic_write, atomic_write_csv, check_writable
from ..errors import InputError

__all__ = ["check_writable", "check_table_path", "write_table", "TABLE_SUFFIXES"]

TABLE_SUFFIXES = (".parquet", ".csv")


def check_table_path(path: str | os.PathLike, field: str = "--out") -> None:
    """Refuse, before any work, an output the sweep could not write."""
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError("the output must end in .parquet or .csv", field=field,
                         value=str(path))
    if suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise InputError("writing Parquet needs pyarrow", field=field, value=str(path),
                             fix="pip install pyarrow, or write .csv") from exc
    check_writable(path, field)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


def _rescue(df: pd.DataFrame, target: Path) -> Path | None:
    """Write the table as CSV somewhere it can go; the path, or None if nowhere."""
    stem = target.stem or "sweep"
    places = [target.with_suffix(".csv")] if target.suffix.lower() != ".csv" else []
    places.append(Path(tempfile.gettempdir()) / f"{stem}-rescued-{os.getpid()}.csv")
    for place in places:
        if place.exists():
            continue
        try:
            atomic_write_csv(place, df, index=False, exact=True)
            return place
        except Exception:  # noqa: BLE001 - try the next place
            continue
    return None


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a sweep table atomically as ``.parquet`` (needs pyarrow) or ``.csv``.

    Parquet keeps dtypes and ``df.attrs`` (the sweep metadata); CSV is plain
    text readable everywhere. If the write fails the table is rescued as CSV
    (see the module docstring) and an :class:`~cooperation.errors.InputError`
    names both paths.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> from cooperation.sweeps import write_table
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_table(pd.DataFrame({"q": [0.1], "seed": [7], "rate": [0.5]}), path)
    >>> path.read_text().splitlines()
    ['q,seed,rate', '0.1,7,0.5']
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError("the output must end in .parquet or .csv", field="--out",
                         value=str(path))
    try:
        if suffix == ".parquet":
            return atomic_write(target, lambda tmp: df.to_parquet(tmp, index=False))
        # the package's one CSV writer (text cells neutralised); floats exact, as parquet
        return atomic_write_csv(target, df, index=False, exact=True)
    except Exception as exc:  # noqa: BLE001 - pyarrow type clashes, OSError, ...
        saved = _rescue(df, target)
        where = (f"the table was saved to {saved} instead" if saved is not None
                 else "and it could not be saved anywhere else")
        raise InputError(f"the table could not be written ({_one_line(exc)}); {where}",
                         field="--out", value=str(path),
                         fix="Parquet needs one type per column (numbers, or strings)"
                         if suffix == ".parquet" else None) from exc
