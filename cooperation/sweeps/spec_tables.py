"""The tables of a sweep spec: ``[grid]`` values and ranges, ``[design]``, nested paths.

Parsing only; :mod:`cooperation.sweeps.spec` documents the format and reads the
file. Every value is type-checked (:mod:`cooperation.sweeps._toml`), so a
malformed table ends in one line naming the spec, the key and the rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ._toml import (
    join_path,
    linspace_values,
    parse_values,
    want_bool,
    want_int,
    want_number,
    want_str,
    want_table,
)
from .grid import MAX_CELLS

__all__ = ["RANGE_KEYS", "DESIGN_KEYS", "grid_table", "design_table", "flatten", "err",
           "did_you_mean"]

RANGE_KEYS = ("start", "stop", "num", "log")
DESIGN_KEYS = ("file", "sampler", "n", "seed", "bounds")


def err(source: str, field_: str, value: Any, rule: str, fix: str | None = None):
    return InputError(rule, field=field_, value=value, source=source, fix=fix)


def did_you_mean(word: str, options) -> str:
    import difflib

    near = difflib.get_close_matches(word, list(options), n=1)
    return f"did you mean {near[0]!r}? " if near else ""


def _is_range(v: Any) -> bool:
    return isinstance(v, dict) and bool(v) and set(v) <= set(RANGE_KEYS)


def flatten(table: dict, where: str, src: str) -> dict:
    """``{monitoring: {fine: [..]}}`` -> ``{"monitoring.fine": [..]}`` (ranges stay whole)."""
    out: dict = {}

    def walk(node: dict, prefix: list[str]) -> None:
        for key, v in node.items():
            if isinstance(v, dict) and not _is_range(v):
                if not v:
                    raise err(src, f"{where}.{join_path([*prefix, key])}", v, "an empty table")
                walk(v, [*prefix, key])
            else:
                out[join_path([*prefix, key])] = v
    walk(table, [])
    return out


def _values(name: str, v: Any, src: str) -> list:
    where = f"grid.{name}"
    if isinstance(v, str):
        return parse_values(v, where, max_num=MAX_CELLS)
    if isinstance(v, list):
        if not v:
            raise err(src, where, v, "a grid parameter has no values")
        for x in v:
            if isinstance(x, (list, dict)):
                raise err(src, where, v, "each value must be a number, boolean, string or "
                           "date (one value per cell, not a list or a table)")
            if isinstance(x, float) and not np.isfinite(x):
                raise err(src, where, v, "values must be finite numbers")
        return v
    if isinstance(v, dict):
        extra = [k for k in v if k not in RANGE_KEYS]
        if extra or not {"start", "stop", "num"} <= set(v):
            raise err(src, where, v, "a range needs start, stop, num (and optionally "
                       "log = true)")
        start = want_number(v["start"], f"{where}.start", src)
        stop = want_number(v["stop"], f"{where}.stop", src)
        num = want_int(v["num"], f"{where}.num", src, lo=1, hi=MAX_CELLS)
        log = want_bool(v.get("log", False), f"{where}.log", src)
        return linspace_values(start, stop, num, log, where, value=v, max_num=MAX_CELLS,
                               src=src)
    raise err(src, where, v, "must be a list of values, a string 'a:b:n' or "
               "{start, stop, num}")


def grid_table(g: Any, src: str, *, nested: bool) -> dict:
    g = want_table(g, "grid", src)
    if not g:
        raise err(src, "grid", g, "the grid is empty: give at least one parameter")
    flat = flatten(g, "grid", src) if nested else g
    return {name: _values(name, v, src) for name, v in flat.items()}


def design_table(d: Any, base: Path, src: str) -> pd.DataFrame:
    d = want_table(d, "design", src)
    extra = [k for k in d if k not in DESIGN_KEYS]
    if extra:
        raise err(src, f"design.{extra[0]}", d[extra[0]],
                   f"unknown key; {did_you_mean(extra[0], DESIGN_KEYS)}known: "
                   f"{list(DESIGN_KEYS)}")
    if "file" in d:
        return _design_file(want_str(d["file"], "design.file", src), base, src)
    if d.get("sampler") != "latin_hypercube":
        raise err(src, "design.sampler", d.get("sampler"), "give file = 'designs.csv' or "
                   "sampler = 'latin_hypercube' with n and bounds")
    from scipy.stats import qmc

    bounds = want_table(d.get("bounds"), "design.bounds", src)
    if not bounds:
        raise err(src, "design.bounds", bounds, "a table name = [low, high] is needed")
    n = want_int(d.get("n"), "design.n", src, lo=1, hi=MAX_CELLS)
    seed = want_int(d.get("seed", 0), "design.seed", src, lo=0)
    lo, hi = [], []
    for name, b in bounds.items():
        where = f"design.bounds.{name}"
        if not (isinstance(b, list) and len(b) == 2):
            raise err(src, where, b, "must be [low, high] with low < high")
        low, high = (want_number(x, where, src) for x in b)
        if not low < high:
            raise err(src, where, b, "must be [low, high] with low < high")
        lo.append(low)
        hi.append(high)
    sample = qmc.LatinHypercube(d=len(lo), rng=np.random.default_rng(seed)).random(n)
    return pd.DataFrame(qmc.scale(sample, lo, hi), columns=list(bounds))


def _design_file(name: str, base: Path, src: str) -> pd.DataFrame:
    f = base / name
    if not f.is_file():
        raise err(src, "design.file", str(f), "file not found (a CSV of designs)"
                   if not f.exists() else "is not a regular file (a CSV of designs)")
    try:
        df = pd.read_csv(f)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError,
            OSError, ValueError) as exc:
        raise err(src, "design.file", str(f), f"not a readable CSV of designs "
                   f"({type(exc).__name__})") from None
    if df.empty:
        raise err(src, "design.file", str(f), "has no design rows")
    return df
