"""The files a scenario is read from, opened safely.

A scenario names its tables by path (``jurisdictions = "jurisdictions.csv"``).
Those references resolve inside the scenario's folder: an absolute path, or
``..`` that leads out of the folder (symbolic links followed), is refused
unless the caller passes ``allow_outside=True``. Only regular files are read
(never a folder, a device such as ``/dev/zero`` or ``/dev/stdin``, a FIFO or a
socket), at most :data:`~cooperation.scenario.schema.MAX_FILE_BYTES` of them,
and no error message quotes a file's lines: a wrong table says which columns it
lacks, not what its first line holds.

Text is UTF-8 (a byte-order mark is accepted). A file that decodes as
GBK/GB18030 instead (Excel's and Notepad's default on Chinese Windows) is
refused with the command that converts it; a CSV header that looks separated
by ``;`` or tabs gets the same kind of hint.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import ScenarioError
from .schema import MAX_FILE_BYTES, MAX_NAME_CHARS, did_you_mean
from .types import _is_one_line

__all__ = ["scenario_file", "resolve_reference", "read_text", "read_csv"]

_MB = MAX_FILE_BYTES // 2**20
_GBK_FIX = (
    "it decodes as GBK/GB18030, the default of Excel and Notepad on Chinese Windows: "
    'in Excel save as "CSV UTF-8", or convert it with iconv -f GB18030 -t UTF-8'
)


def _shown(path) -> str:
    """A path as messages show it: escaped when it holds a newline or control character."""
    text = str(path)
    return text if _is_one_line(text) else repr(text)


def scenario_file(path: str | os.PathLike) -> Path:
    """The scenario file a user named (a folder means its ``scenario.toml``)."""
    p = Path(path)
    try:
        if p.is_dir():
            cand = p / "scenario.toml"
            if not cand.exists():
                raise ScenarioError("is a folder without scenario.toml", field="path", value=str(p))
            p = cand
        elif not p.exists():
            raise ScenarioError("no such file", field="path", value=str(p))
    except OSError as exc:  # a name too long, a loop of links
        raise ScenarioError(
            f"cannot be opened ({exc.strerror})", field="path", value=str(p)
        ) from None
    return p


def resolve_reference(
    ref: str,
    field: str,
    base: Path,
    source: str | None,
    *,
    allow_outside: bool = False,
    root: Path | None = None,
) -> Path:
    """The file a table reference names, checked: relative to ``base`` (the folder of the
    file that names it) and inside ``root`` (the scenario's folder; default ``base``)
    unless ``allow_outside``; existing; a regular file; not over the size limit."""
    if not isinstance(ref, str) or not ref.strip():
        raise ScenarioError(
            "must be the path of a table file", field=field, value=ref, source=source
        )
    if not _is_one_line(ref):
        raise ScenarioError(
            "a file name must be one line of visible text", field=field, value=ref, source=source
        )
    parts = Path(ref).parts
    if any(len(part) > MAX_NAME_CHARS for part in parts):
        raise ScenarioError(
            f"a file name is longer than {MAX_NAME_CHARS} characters",
            field=field,
            value=ref,
            source=source,
        )
    if not allow_outside:
        if Path(ref).is_absolute() or ref.startswith("~"):
            raise ScenarioError(
                "must be a path relative to the scenario's folder (absolute paths are refused)",
                field=field,
                value=ref,
                source=source,
                fix="copy the table next to the scenario, or pass "
                "allow_outside=True (--allow-outside)",
            )
    path = base / ref
    try:
        if not allow_outside:
            inside = path.resolve().is_relative_to((root or base).resolve())
            if not inside:
                raise ScenarioError(
                    "leads outside the scenario's folder",
                    field=field,
                    value=ref,
                    source=source,
                    fix="copy the table next to the scenario, or pass "
                    "allow_outside=True (--allow-outside)",
                )
        if not path.exists():
            raise ScenarioError("table file not found", field=field, value=str(path), source=source)
        info = path.stat()
    except OSError as exc:
        raise ScenarioError(
            f"cannot be opened ({exc.strerror})", field=field, value=ref, source=source
        ) from None
    _check_regular(info, field, ref, source)
    return path


def _check_regular(info: os.stat_result, field: str | None, shown, source) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError("is a folder, not a file", field=field, value=shown, source=source)
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(
            "is not a regular file (a device, FIFO or socket is never read)",
            field=field,
            value=shown,
            source=source,
        )
    if info.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            f"is larger than the {_MB} MB limit of a scenario file",
            field=field,
            value=shown,
            source=source,
        )


def read_bytes(path: Path) -> bytes:
    """At most :data:`MAX_FILE_BYTES` of a regular file; refused beyond (also for files
    whose size the system does not report, such as those under ``/proc``)."""
    where = _shown(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ScenarioError(f"cannot be read ({exc.strerror})", source=where) from None
    try:
        _check_regular(os.fstat(fd), None, None, where)  # the file opened, not its name
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise ScenarioError(
                    f"is larger than the {_MB} MB limit of a scenario file", source=where
                )
            chunks.append(chunk)
    except OSError as exc:
        raise ScenarioError(f"cannot be read ({exc.strerror})", source=where) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_text(path: Path, what: str = "text") -> str:
    """A file's UTF-8 text (a byte-order mark dropped), or a one-line error with a fix."""
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("gb18030")
        fix = _GBK_FIX
    except UnicodeDecodeError:
        fix = "save it as UTF-8"
    raise ScenarioError(f"is not UTF-8 {what}", source=_shown(path), fix=fix) from None


def read_csv(
    path: Path,
    required: Sequence[str],
    known: Sequence[str],
    allowed: Callable[[str], bool] | None = None,
) -> list[dict]:
    """The rows of a CSV table as dicts (stripped cells, ``_line``: the line number).

    The header must hold every ``required`` column, only ``known`` columns (or those
    ``allowed`` accepts) and no column twice; every row has as many cells as the header.
    """
    where = _shown(path)
    text = read_text(path, "text (a CSV table)")
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise ScenarioError(f"is not a valid CSV table ({exc})", source=where) from None
    if not rows:
        raise ScenarioError("the table is empty; it needs a header row and data rows", source=where)
    header = [c.strip() for c in rows[0]]
    _check_header(header, required, known, allowed, where)
    out = []
    for lineno, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise ScenarioError(
                f"has {len(r)} cells but the header has {len(header)} columns",
                field=f"line {lineno}",
                source=where,
                show_value=False,
            )
        out.append({k: v.strip() for k, v in zip(header, r, strict=True)} | {"_line": lineno})
    return out


def _check_header(header: list[str], required, known, allowed, where: str) -> None:
    fix = None
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        sep = "';'" if ";" in header[0] else "tabs"
        fix = (
            f"the header looks separated by {sep}, not commas (Excel in some locales): "
            "save it as comma-separated CSV"
        )
    for k, col in enumerate(header, start=1):
        if not col:
            raise ScenarioError(
                f"column {k} has no name", field="header", source=where, show_value=False, fix=fix
            )
        if header.index(col) != k - 1:
            raise ScenarioError(
                f"column {col!r} appears twice (columns {header.index(col) + 1} "
                f"and {k}); which one counts would be a guess",
                field="header",
                source=where,
                show_value=False,
            )
    missing = [c for c in required if c not in header]
    if missing:
        hints = "".join(did_you_mean(c, header) for c in missing[:1])
        raise ScenarioError(
            f"missing columns {missing}{hints}; the header has {len(header)} column(s)",
            field="header",
            source=where,
            show_value=False,
            fix=fix,
        )
    for col in header:
        if col not in known and not (allowed is not None and allowed(col)):
            raise ScenarioError(
                f"unknown column{did_you_mean(col, known)}; allowed: {list(known)}",
                field="header",
                value=col,
                source=where,
                fix=fix,
            )
