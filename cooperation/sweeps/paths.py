"""Dotted paths of a declarative sweep: which settings they name, and how they are set.

A path starts with a namespace (:data:`NAMESPACES`): ``monitoring.KEY`` (a
field of :class:`cooperation.repeated.Monitoring`), ``simulation.KEY`` (an
argument of :func:`cooperation.repeated.simulate`, or ``strategy``),
``transfers.JURISDICTION`` or ``scenario.KEY...`` (a value of the scenario
file, tables of ``[[...]]`` arrays by ``name`` or 0-based index). Unknown
namespaces and keys get a did-you-mean.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

from ..errors import InputError
from ..repeated import Monitoring
from ._toml import join_path, split_path, want_int, want_number

__all__ = ["MONITORING_KEYS", "SIMULATION_KEYS", "NAMESPACES", "check_path", "set_in",
           "column_names", "sim_value", "closest"]

MONITORING_KEYS = tuple(f.name for f in dataclasses.fields(Monitoring) if f.name != "extra")
_INT, _PROB = "int", "prob"
SIMULATION_KEYS = {"rounds": _INT, "runs": _INT, "window": _INT, "noise": _PROB,
                   "continuation": _PROB, "collapse_level": _PROB, "strategy": "strategy",
                   "defect": "defect"}
NAMESPACES = ("monitoring", "simulation", "transfers", "scenario")


def closest(word: str, options) -> str:
    near = difflib.get_close_matches(word, list(options), n=1)
    return f"did you mean {near[0]!r}? " if near else ""


def check_path(path: str, field: str) -> list[str]:
    """The segments of a valid dotted path; a one-line error with did-you-mean otherwise."""
    parts = split_path(path, field)
    ns = parts[0]
    if ns not in NAMESPACES:
        raise InputError(f"{closest(ns, NAMESPACES)}a path starts with one of "
                         f"{list(NAMESPACES)}", field=field, value=path)
    keys = {"monitoring": MONITORING_KEYS, "simulation": tuple(SIMULATION_KEYS)}.get(ns)
    if keys is not None:
        if len(parts) != 2 or parts[1] not in keys:
            key = parts[1] if len(parts) > 1 else ""
            raise InputError(f"{closest(key, keys)}{ns} paths are {ns}.KEY with KEY one of "
                             f"{list(keys)}", field=field, value=path)
    elif len(parts) < 2 or (ns == "transfers" and len(parts) != 2):
        raise InputError(f"{ns} paths name what they set: " +
                         ("transfers.JURISDICTION" if ns == "transfers" else
                          "scenario.hazards.0.probability, scenario.jurisdictions.NAME.costs.LEVEL"),
                         field=field, value=path)
    return parts


def _as_count(value: Any, field: str) -> int:
    if isinstance(value, float) and value.is_integer():   # 10.0 from a linspace is 10 rounds
        value = int(value)
    return want_int(value, field, lo=1)


def set_in(data: dict, parts: list[str], value: Any, path: str) -> None:
    """Set ``value`` at ``parts`` (below ``scenario``) in the parsed scenario TOML."""
    node: Any = data
    trail = ["scenario"]
    for j, seg in enumerate(parts):
        last = j == len(parts) - 1
        trail.append(seg)
        if isinstance(node, dict):
            if last:
                node[seg] = value
                return
            if seg not in node:
                raise InputError(f"the scenario has no {join_path(trail)!r} (keys here: "
                                 f"{sorted(node)})", field="path", value=path)
            node = node[seg]
        elif isinstance(node, list):
            named = [k for k, item in enumerate(node)
                     if isinstance(item, dict) and item.get("name") == seg]
            if named:
                k = named[0]
            elif seg.isdigit() and int(seg) < len(node):
                k = int(seg)
            else:
                names = [item.get("name") for item in node if isinstance(item, dict)]
                raise InputError(f"no entry {seg!r} in {join_path(trail[:-1])} (by name: "
                                 f"{names}, or index 0..{len(node) - 1})", field="path",
                                 value=path)
            if last:
                node[k] = value
                return
            node = node[k]
        else:
            raise InputError(f"{join_path(trail[:-1])} is a value, not a table (it comes "
                             f"from a CSV file or is a number)", field="path", value=path)


def sim_value(key: str, v: Any, path: str) -> Any:
    kind = SIMULATION_KEYS[key]
    if kind == _INT:
        return _as_count(v, path)
    if kind == _PROB:
        return want_number(v, path, lo=0.0, hi=1.0)
    if kind == "defect":
        if v not in ("best", "lowest"):
            raise InputError("must be 'best' or 'lowest'", field=path, value=v)
        return v
    if not isinstance(v, str) or not v.strip():
        raise InputError("must be a strategy name (e.g. opportunist, tft, grim) or a comma "
                         "list, one per jurisdiction", field=path, value=v)
    return v


def column_names(paths: list[str], reserved: tuple = ("seed",)) -> dict[str, str]:
    """Table column per path: its last segment when that is unique and a keyword,
    otherwise the whole path in underscores (``hazards_0_probability``)."""
    lasts = [split_path(p)[-1] for p in paths]
    out = {}
    for p, last in zip(paths, lasts, strict=True):
        name = last
        if lasts.count(last) > 1 or not last.isidentifier() or last in reserved:
            name = "_".join("".join(c if c.isalnum() else "_" for c in s)
                            for s in split_path(p)[1:])
            if not name.isidentifier():
                name = "p_" + name
        while name in out.values():
            name += "_"
        out[p] = name
    return out
