"""Reading a response process from files: a CSV task table or a TOML file.

The table format (docs/response.md): a header row ``task, owners, after,
join, delay`` (UTF-8, BOM allowed); lists separated by ``;``; ``after`` and
``join`` may be blank; a delay cell holds one spec for every owner or
``Owner: spec; Owner: spec``. The TOML file holds ``[[tasks]]`` tables, or
``tasks = "file.csv"``, and an optional ``[damage]`` table.
"""

from __future__ import annotations

import csv
import os
import tomllib
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from .delays import _parse_spec_text

__all__ = ["TASK_KEYS", "read_task_table", "read_process_toml"]

TASK_KEYS = ("task", "owners", "after", "join", "delay")


def read_task_table(path: str | os.PathLike) -> tuple[list[dict], str, str]:
    """``(records, file stem, source)`` of a CSV task table, one dict per task row."""
    p = Path(path)
    src = str(p)
    if not p.exists():
        raise ScenarioError("table file not found", field="path", value=src)
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            rows = [r for r in csv.reader(fh) if any(c.strip() for c in r)]
    except UnicodeDecodeError:
        raise ScenarioError("is not UTF-8 text", source=src) from None
    except csv.Error as exc:
        raise ScenarioError(f"is not a valid CSV table: {exc}", source=src) from None
    if not rows:
        raise ScenarioError("the table is empty; it needs a header row and task rows",
                            source=src)
    header = [c.strip() for c in rows[0]]
    missing = {"task", "owners", "delay"} - set(header)
    if missing:
        raise ScenarioError(f"missing columns {sorted(missing)}; header is {header}",
                            field="header", source=src, show_value=False)
    extra = set(header) - set(TASK_KEYS)
    if extra:
        raise ScenarioError(f"unknown columns; allowed: {list(TASK_KEYS)}", field="header",
                            value=sorted(extra), source=src)
    recs = []
    for lineno, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise ScenarioError(f"has {len(r)} cells but the header has {len(header)} "
                                "columns", field=f"line {lineno}", value=r, source=src)
        rec: dict[str, Any] = {k: v.strip() for k, v in zip(header, r, strict=True)}
        rec["delay"] = _delay_cell(rec["delay"], f"line {lineno}.delay", src)
        rec["_line"] = lineno
        recs.append(rec)
    return recs, p.stem, src


def read_process_toml(path: str | os.PathLike) -> tuple[dict, Path, str]:
    """``(parsed TOML, path, source)`` of a process file."""
    p = Path(path)
    src = str(p)
    if not p.exists():
        raise ScenarioError("no such file", field="path", value=src)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"is not valid TOML: {exc}", source=src) from None
    except UnicodeDecodeError:
        raise ScenarioError("is not UTF-8 text", source=src) from None
    return data, p, src


def _delay_cell(text: str, field: str, src) -> Any:
    """A CSV delay cell: one spec, or ``owner: spec; owner: spec``."""
    t = text.strip()
    if not t:
        return t
    if t.startswith("{"):
        return _parse_spec_text(t, field, src)
    parts = [p.strip() for p in t.split(";") if p.strip()]
    if len(parts) == 1 and ":" not in parts[0].split("(", 1)[0]:
        return parts[0]
    out = {}
    for p in parts:
        head = p.split("(", 1)[0]
        if ":" not in head:
            raise ScenarioError("per-owner delays read 'Owner: spec; Owner: spec'",
                                field=field, value=text, source=src)
        owner, spec = p.split(":", 1)
        out[owner.strip()] = spec.strip()
    return out
