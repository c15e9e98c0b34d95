"""Reading scenario files: TOML for the structure, CSV for long tables.

The format is declared once, in :mod:`cooperation.scenario.schema`, and
described in ``docs/reference/scenario-format.md`` (generated from it). This
module checks a file against those declarations (unknown keys with the closest
allowed one suggested, required keys, value types), fills the declared defaults
and records which ones it filled (``cooperation validate`` lists them), reads
the tables the file names through :mod:`cooperation.scenario.files` (inside the
scenario's folder unless ``allow_outside=True``; regular files under the size
limit), and builds the :class:`~cooperation.scenario.model.Scenario`, whose own
checks (shares, names, ranges) then run.

Every failure is a one-line :class:`~cooperation.errors.ScenarioError` naming
the file, the field, the value and the rule.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from .checks import check_actions
from .files import _shown, read_csv, read_text, resolve_reference, scenario_file
from .model import Hazard, Jurisdiction, Scenario
from .schema import (
    ACTION,
    HAZARD,
    JURISDICTION,
    MAX_DEPTH,
    MAX_MAGNITUDE,
    TASK,
    TOP,
    Table,
    check_keys,
    check_values,
    read_table,
)
from .types import _TOO_LARGE, label

__all__ = ["load_scenario", "scenario_from_dict", "read_scenario", "parse_toml", "LoadNotes"]


@dataclass
class LoadNotes:
    """What loading a file did besides building the scenario: the files it read, and the
    defaults it filled in as ``(table, where, key)``: ``table`` is the schema table
    (:data:`~cooperation.scenario.schema.TOP`, ``ACTION``, ...), ``where`` the field
    (``hazards[flood]``) and ``key`` the absent key."""

    files: list[str] = field(default_factory=list)
    defaults: list[tuple[Table, str, str]] = field(default_factory=list)

    def filled(self, table: Table, where: str, keys) -> None:
        self.defaults += [(table, where, k) for k in keys]


def load_scenario(path: str | os.PathLike, *, allow_outside: bool = False) -> Scenario:
    """Load and validate a scenario from a TOML file (which may name CSV tables).

    The format: ``docs/reference/scenario-format.md``.

    Parameters
    ----------
    path : str or Path
        The ``.toml`` file, or a folder holding ``scenario.toml``.
    allow_outside : bool
        Read tables the file names outside its folder (absolute paths, ``..``). By
        default they are refused: a scenario from elsewhere cannot make the loader
        read, or print, other files.

    Returns
    -------
    Scenario

    Raises
    ------
    cooperation.errors.ScenarioError
        With a one-line message naming the file, the field, the value and the rule.

    Warns
    -----
    cooperation.errors.ScenarioWarning
        When a value is ignored (e.g. prevention of a hazard without origins) or the
        scenario has one jurisdiction.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.load_scenario("data/xinan/scenario.toml")     # doctest: +SKIP
    """
    return read_scenario(path, allow_outside=allow_outside)[0]


def read_scenario(
    path: str | os.PathLike, *, allow_outside: bool = False
) -> tuple[Scenario, LoadNotes]:
    """:func:`load_scenario`, and the :class:`LoadNotes` of what it read and filled in."""
    p = scenario_file(path)
    src = _shown(p)
    text = read_text(p, "text (is it a TOML file?)")
    if not text.strip():
        raise ScenarioError(
            "the file is empty; a scenario needs at least unit, jurisdictions and hazards",
            source=src,
        )
    data = parse_toml(text, src)
    notes = LoadNotes(files=[src])
    scenario = _build(data, src, p.parent, allow_outside, notes)
    return scenario, notes


def parse_toml(text: str, src: str | None) -> dict:
    """``tomllib.loads`` with one-line errors, then the limits every file obeys: nesting at
    most :data:`MAX_DEPTH` deep, numbers of magnitude at most :data:`MAX_MAGNITUDE`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"is not valid TOML: {exc}", source=src) from None
    except RecursionError:
        raise ScenarioError(
            f"is not a scenario: tables or arrays nest deeper than {MAX_DEPTH} levels", source=src
        ) from None
    except ValueError:  # an integer of more than 4300 digits
        raise ScenarioError(
            f"holds an integer too long to read; {_TOO_LARGE}", source=src
        ) from None
    _check_limits(data, src)
    return data


def _check_limits(data: Mapping, src: str | None) -> None:
    """Nesting depth and number magnitudes over the whole parsed file (iteratively: a
    deep file cannot exhaust the stack); a field's name is built only for the message."""
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, (Mapping, list)):
            if len(path) > MAX_DEPTH:
                raise ScenarioError(
                    f"tables or arrays nest deeper than {MAX_DEPTH} levels",
                    field=_path(path),
                    source=src,
                    show_value=False,
                )
            items = value.items() if isinstance(value, Mapping) else enumerate(value)
            stack.extend((v, (*path, k)) for k, v in items)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if abs(value) > MAX_MAGNITUDE and not (isinstance(value, float) and math.isinf(value)):
                raise ScenarioError(_TOO_LARGE, field=_path(path), value=value, source=src)


def _path(parts: tuple) -> str:
    """``hazards[0].damage`` from ``("hazards", 0, "damage")``."""
    out = ""
    for k in parts:
        out += f"[{k}]" if not isinstance(k, str) else (f".{label(k)}" if out else label(k))
    return out


def scenario_from_dict(
    data: Mapping[str, Any],
    *,
    source: str | None = None,
    base: Path | None = None,
    allow_outside: bool = False,
) -> Scenario:
    """Build a Scenario from the parsed TOML structure (tables named in it are read
    from ``base``, the scenario's folder)."""
    if not isinstance(data, Mapping):
        raise ScenarioError(
            "must be a table of the scenario format",
            field="(top level)",
            value=type(data).__name__,
            source=source,
        )
    _check_limits(data, source)
    return _build(data, source, base or Path("."), allow_outside, LoadNotes())


def _build(
    data: Mapping[str, Any], src, base: Path, allow_outside: bool, notes: LoadNotes
) -> Scenario:
    ctx = _Context(src, base, allow_outside, notes)
    for key in TOP.required:
        if key not in data and (where := _find_misplaced(data, key)):
            raise ScenarioError(
                f"is missing at the top level but appears inside {where}",
                field=key,
                source=src,
                show_value=False,
                fix="in TOML, top-level keys must come before the first "
                "[table] or [[array of tables]]: move the line up",
            )
    notes.filled(TOP, TOP.field, read_table(TOP, data, TOP.field, src))
    for key in ("jurisdictions", "hazards"):
        if data[key] == []:
            raise ScenarioError(f"needs at least one {key[:-1]}", field=key, value=[], source=src)
    levels = check_actions(_actions(data.get("actions"), ctx), src)
    level_names = [a.name for a in levels]
    jurs = _jurisdictions(data["jurisdictions"], level_names, ctx)
    shares_from_table: dict[str, dict[str, float]] = {}
    if "spillover" in data:
        path = ctx.resolve(data["spillover"], "spillover")
        shares_from_table = _read_spillover_csv(path)
    hazards = _hazards(data["hazards"], shares_from_table, ctx)
    stray = set(shares_from_table) - {h.name for h in hazards}
    if stray:
        raise ScenarioError(
            "the spillover table names unknown hazards",
            field="spillover",
            value=sorted(stray),
            source=src,
        )
    return Scenario(
        jurs,
        hazards,
        levels,
        unit=data["unit"],
        name=data.get("name", TOP["name"].default),
        description=data.get("description", TOP["description"].default),
        source=src,
        sources=data.get("sources", TOP["sources"].default),
    )


@dataclass
class _Context:
    src: str | None
    base: Path
    allow_outside: bool
    notes: LoadNotes

    def resolve(self, ref, where: str, base: Path | None = None) -> Path:
        path = resolve_reference(
            ref,
            where,
            base or self.base,
            self.src,
            allow_outside=self.allow_outside,
            root=self.base,
        )
        self.notes.files.append(_shown(path))
        return path


def _find_misplaced(data: Mapping[str, Any], key: str) -> str | None:
    for top in ("actions", "jurisdictions", "hazards"):
        tables = data.get(top)
        if isinstance(tables, list):
            for k, t in enumerate(tables):
                if isinstance(t, Mapping) and key in t:
                    return f"{top}[{k}]"
    return None


def _named(table: Mapping, where: str) -> str:
    """``jurisdictions[<name>]`` once the name is a usable string, else the index form."""
    name = table.get("name")
    if isinstance(name, str) and name.strip():
        return f"{where.split('[', 1)[0]}[{label(name.strip())}]"
    return where


# ---------------------------------------------------------------------- actions
def _actions(actions, ctx: _Context):
    if actions is None:
        return None
    for k, a in enumerate(actions):
        where = f"actions[{k}]"
        if isinstance(a, Mapping):
            ctx.notes.filled(ACTION, where, read_table(ACTION, a, where, ctx.src))
        elif isinstance(a, str):
            ctx.notes.filled(ACTION, where, ("effort", "coordination"))
    return actions


# ---------------------------------------------------------------------- jurisdictions
def _jurisdictions(jdata, level_names, ctx: _Context) -> list[Jurisdiction]:
    if isinstance(jdata, str):
        jdata = _read_jurisdictions_csv(ctx.resolve(jdata, "jurisdictions"), level_names, ctx)
    jurs = []
    for i, j in enumerate(jdata):
        where = f"jurisdictions[{i}]"
        if not isinstance(j, Mapping):
            raise ScenarioError("must be a table", field=where, value=j, source=ctx.src)
        check_keys(JURISDICTION, j, where, ctx.src)
        named = _named(j, where)
        filled = check_values(JURISDICTION, j, named, ctx.src)
        ctx.notes.filled(JURISDICTION, named, filled)
        jurs.append(
            Jurisdiction(
                j["name"],
                j["costs"],
                j.get("capacity", JURISDICTION["capacity"].default),
                j.get("population", JURISDICTION["population"].default),
            )
        )
    return jurs


def _read_jurisdictions_csv(path: Path, level_names, ctx: _Context) -> list[dict]:
    where = _shown(path)
    cols = [f"cost_{lv}" for lv in level_names]
    rows = read_csv(
        path,
        ["name"],
        ["name", "capacity", "population", *cols],
        allowed=lambda c: c.startswith("cost_"),
    )
    header = [k for k in rows[0] if k != "_line"] if rows else []
    for key in header:
        if key.startswith("cost_") and key not in cols:
            raise ScenarioError(
                f"cost column for an unknown level; levels are {level_names}",
                field=key,
                value=key[len("cost_") :],
                source=where,
            )
    missing = [c for c in cols if c not in header]
    if rows and missing:
        raise ScenarioError(
            f"no column {missing}: every action level needs a cost (0 if it "
            "costs nothing); a level left out is not free",
            field="header",
            source=where,
            show_value=False,
        )
    out = []
    for r in rows:
        line = r["_line"]
        costs = {}
        for lv, col in zip(level_names, cols, strict=True):
            if r[col] == "":
                raise ScenarioError(
                    "is empty: every level needs a cost (0 if it costs nothing)",
                    field=f"line {line}.{col}",
                    source=where,
                    show_value=False,
                )
            costs[lv] = _float(r[col], f"line {line}.{col}", where)
        rec: dict[str, Any] = {"name": r["name"], "costs": costs}
        for key in ("capacity", "population"):
            if r.get(key, "") != "":
                rec[key] = _float(r[key], f"line {line}.{key}", where)
        out.append(rec)
    return out


# ---------------------------------------------------------------------- hazards
def _hazards(hdata, shares_from_table, ctx: _Context) -> list[Hazard]:
    src = ctx.src
    if isinstance(hdata, str):
        hdata = _read_hazards_csv(ctx.resolve(hdata, "hazards"))
    hazards = []
    for h, hz in enumerate(hdata):
        where = f"hazards[{h}]"
        if not isinstance(hz, Mapping):
            raise ScenarioError("must be a table", field=where, value=hz, source=src)
        check_keys(HAZARD, hz, where, src)
        named = _named(hz, where)
        if isinstance(hz.get("spillover"), str):
            raise ScenarioError(
                "must be a table { jurisdiction = share }; a file name here is "
                "the top-level spillover table written after [[hazards]]",
                field=f"{named}.spillover",
                value=hz["spillover"],
                source=src,
                fix="in TOML, top-level keys must come before the first "
                "[[table]]: move the line up",
            )
        filled = check_values(HAZARD, hz, named, src)
        ctx.notes.filled(HAZARD, named, filled)
        name = hz["name"]
        spill = hz.get("spillover")
        if spill is None:
            spill = shares_from_table.get(name)
            if spill is None:
                raise ScenarioError(
                    "has no spillover shares (inline or in the spillover table)",
                    field=f"{named}.spillover",
                    source=src,
                    show_value=False,
                )
        elif name in shares_from_table:
            raise ScenarioError(
                "shares are given both inline and in the spillover table",
                field=f"{named}.spillover",
                value=name,
                source=src,
            )
        origins = hz.get("origins", HAZARD["origins"].default)
        origins = (origins,) if isinstance(origins, str) else tuple(origins)
        d = {
            k: hz.get(k, HAZARD[k].default)
            for k in (
                "prevention",
                "response",
                "aggregation",
                "weights",
                "process_runs",
                "process_seed",
            )
        }
        hazards.append(
            Hazard(
                name,
                hz["probability"],
                hz["damage"],
                spill,
                origins,
                process=_read_process(hz, named, ctx),
                **d,
            )
        )
    return hazards


def _read_hazards_csv(path: Path) -> list[dict]:
    where = _shown(path)
    known = ["name", "probability", "damage", "origins", "prevention", "response"]
    rows = read_csv(path, ["name", "probability", "damage"], known)
    out = []
    for r in rows:
        line = r["_line"]
        rec: dict[str, Any] = {"name": r["name"]}
        for key in ("probability", "damage", "prevention", "response"):
            if r.get(key, "") != "":
                rec[key] = _float(r[key], f"line {line}.{key}", where)
        if r.get("origins"):
            rec["origins"] = [o.strip() for o in r["origins"].split(";") if o.strip()]
        out.append(rec)
    return out


def _read_process(hz: Mapping[str, Any], where: str, ctx: _Context):
    """A hazard's response process: a CSV/TOML path or inline task tables, with the
    damage curve ``damage_curve = {hours = [...], share = [...]}``."""
    src = ctx.src
    if "process" not in hz:
        if "damage_curve" in hz:
            raise ScenarioError(
                "a damage curve needs a response process",
                field=f"{where}.damage_curve",
                source=src,
                show_value=False,
                fix='add process = "tasks.csv" or drop damage_curve',
            )
        return None
    from ..response.process import DamageCurve, ResponseProcess

    spec, name = hz["process"], str(hz.get("name", ""))
    if isinstance(spec, str):
        path = ctx.resolve(spec, f"{where}.process")
        _precheck_process_file(path, f"{where}.process", ctx)
        proc = ResponseProcess.from_file(path, name=name)
    else:
        for k, t in enumerate(spec):
            if not isinstance(t, Mapping):
                raise ScenarioError(
                    "must be a table", field=f"{where}.process[{k}]", value=t, source=src
                )
        proc = ResponseProcess(spec, name=name, source=src)
    if proc.damage is not None:
        raise ScenarioError(
            "inside a scenario the damage curve is the hazard's damage_curve "
            "(shares of its damage); the process file gives one too",
            field=f"{where}.process",
            value=spec,
            source=src,
        )
    curve = DamageCurve.parse(hz["damage_curve"], f"{where}.damage_curve", src, value_key="share")
    return proc.with_damage(curve)


def _precheck_process_file(path: Path, where: str, ctx: _Context) -> None:
    """The file checks of the scenario's own tables, before cooperation.response reads a
    process file: encoding, columns, and a TOML file's own table reference confined too."""
    if path.suffix.lower() == ".csv":
        read_csv(path, [k.name for k in TASK.keys if k.required], TASK.names)
        return
    data = parse_toml(read_text(path, "text (is it a TOML file?)"), _shown(path))
    tasks = data.get("tasks")
    if isinstance(tasks, str):
        inner = ctx.resolve(tasks, f"{where}.tasks", base=path.parent)
        read_csv(inner, [k.name for k in TASK.keys if k.required], TASK.names)


# ---------------------------------------------------------------------- CSV helpers
def _float(text: str, field_name: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ScenarioError(
            "must be a number", field=field_name, value=text, source=where
        ) from None


def _read_spillover_csv(path: Path) -> dict[str, dict[str, float]]:
    where = _shown(path)
    rows = read_csv(path, ["hazard", "jurisdiction", "share"], ["hazard", "jurisdiction", "share"])
    out: dict[str, dict[str, float]] = {}
    for r in rows:
        line = r["_line"]
        h, j = r["hazard"], r["jurisdiction"]
        table = out.setdefault(h, {})
        if j in table:
            raise ScenarioError(
                f"repeats the pair ({label(h)}, {label(j)})",
                field=f"line {line}",
                source=where,
                show_value=False,
            )
        table[j] = _float(r["share"], f"line {line}.share", where)
    return out
