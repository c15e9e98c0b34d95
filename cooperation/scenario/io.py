"""Reading scenario files: TOML for the structure, CSV for long tables.

File format (every money figure in ``unit``)::

    name = "Xin'an River"
    unit = "CNY 100M"                     # required
    description = "..."

    [[actions]]                           # ordered; default: self, cooperate
    name = "self"
    effort = 0.0                          # prevention effort e(k) in [0, 1]
    coordination = 0.0                    # response coordination g(k) in [0, 1]

    [[jurisdictions]]                     # or: jurisdictions = "jurisdictions.csv"
    name = "Anhui"
    capacity = 45045.0                    # optional: fiscal capacity
    population = 6127.0                   # optional
    costs = { self = 0.0, cooperate = 1.0 }

    [[hazards]]                           # or: hazards = "hazards.csv"
    name = "pollution"
    probability = 0.3                     # p_h in [0, 1]
    damage = 10.0                         # D_h >= 0
    origins = ["Anhui"]                   # P(h)
    prevention = 0.8                      # r[h, i]: a number or { Anhui = 0.8 }
    response = 0.2                        # d_h in [0, 1]
    spillover = { Anhui = 0.2, Zhejiang = 0.8 }   # s[h, i], summing to 1
    aggregation = "mean"                  # or weakest_link, best_shot, weighted
    weights = { Anhui = 1, Zhejiang = 2 } # weighted only; default: the shares
    # or the response channel from a process (instead of response):
    process = "process.csv"               # task table (or a TOML file, or [[hazards.process]])
    damage_curve = { hours = [0, 72], share = [0.5, 1.0] }  # f_h: share of damage vs hours
    process_runs = 10000                  # fixed runs for E[f_h(T(a))] (default 10000)
    process_seed = 0

    spillover = "spillover.csv"           # optional: long table (hazard, jurisdiction, share)

    [sources]                             # free-form provenance notes
    probability = "illustrative"

CSV tables (UTF-8, header row):

* jurisdictions: ``name`` and optional ``capacity``, ``population``, and one
  ``cost_<level>`` column per action level;
* hazards: ``name, probability, damage, origins, prevention, response`` with
  origins separated by ``;``;
* spillover: ``hazard, jurisdiction, share`` (one row per nonzero share).

Paths inside the file are relative to the file's folder.
"""

from __future__ import annotations

import csv
import math
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from .model import Hazard, Jurisdiction, Scenario

__all__ = ["load_scenario"]

TOP_KEYS = {"name", "unit", "description", "actions", "jurisdictions", "hazards", "spillover",
            "sources"}
JUR_KEYS = {"name", "capacity", "population", "costs"}
HAZ_KEYS = {"name", "probability", "damage", "origins", "prevention", "response", "spillover",
            "aggregation", "weights", "process", "damage_curve", "process_runs",
            "process_seed"}


def load_scenario(path: str | os.PathLike) -> Scenario:
    """Load and validate a scenario from a TOML file (which may point to CSV tables).

    Parameters
    ----------
    path : str or Path
        The ``.toml`` file.

    Returns
    -------
    Scenario

    Raises
    ------
    cooperation.errors.ScenarioError
        With a message naming the file, the field, the value and the rule.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.load_scenario("data/xinan/scenario.toml")     # doctest: +SKIP
    """
    p = Path(path)
    src = str(p)
    if not p.exists():
        raise ScenarioError("no such file", field="path", value=src)
    if p.is_dir():
        cand = p / "scenario.toml"
        if cand.exists():
            p, src = cand, str(cand)
        else:
            raise ScenarioError("is a folder without scenario.toml", field="path", value=src)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"cannot be read ({exc.strerror})", field="path", value=src) from None
    if not raw.strip():
        raise ScenarioError("the file is empty; a scenario needs at least unit, jurisdictions "
                            "and hazards", source=src)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError("is not UTF-8 text (is it a TOML file?)", source=src) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"is not valid TOML: {exc}", source=src) from None
    return scenario_from_dict(data, source=src, base=p.parent)


def scenario_from_dict(data: Mapping[str, Any], *, source: str | None = None,
                       base: Path | None = None) -> Scenario:
    """Build a Scenario from the parsed TOML structure (see module docs)."""
    src = source
    base = base or Path(".")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ScenarioError(f"unknown top-level keys; allowed: {sorted(TOP_KEYS)}",
                            field="(top level)", value=sorted(unknown), source=src)
    for key in ("unit", "jurisdictions", "hazards"):
        if key not in data:
            misplaced = _find_misplaced(data, key)
            if misplaced:
                raise ScenarioError(
                    f"is missing at the top level but appears inside {misplaced}",
                    field=key, source=src, show_value=False,
                    fix="in TOML, top-level keys must come before the first [table] or "
                        "[[array of tables]]: move the line up")
            raise ScenarioError("is missing", field=key, source=src, show_value=False,
                                fix="every scenario states unit, jurisdictions and hazards")
    actions = data.get("actions")
    if actions is not None and not isinstance(actions, list):
        raise ScenarioError("must be an array of tables [[actions]]", field="actions",
                            value=actions, source=src)
    level_names = ([a.get("name") if isinstance(a, Mapping) else a for a in actions]
                   if actions else ["self", "cooperate"])

    # jurisdictions
    jdata = data["jurisdictions"]
    if isinstance(jdata, str):
        jdata = _read_jurisdictions_csv(base / jdata, level_names, src)
    elif not isinstance(jdata, list):
        raise ScenarioError("must be an array of tables [[jurisdictions]] or a CSV path",
                            field="jurisdictions", value=jdata, source=src)
    jurs = []
    for i, j in enumerate(jdata):
        where = f"jurisdictions[{i}]"
        if not isinstance(j, Mapping):
            raise ScenarioError("must be a table", field=where, value=j, source=src)
        bad = set(j) - JUR_KEYS
        if bad:
            raise ScenarioError(f"unknown keys; allowed: {sorted(JUR_KEYS)}", field=where,
                                value=sorted(bad), source=src)
        if "name" not in j:
            raise ScenarioError("is missing", field=f"{where}.name", source=src, show_value=False)
        jurs.append(Jurisdiction(j["name"], j.get("costs", {}), j.get("capacity", math.nan),
                                 j.get("population", math.nan)))

    # hazards
    hdata = data["hazards"]
    if isinstance(hdata, str):
        hdata = _read_hazards_csv(base / hdata, src)
    elif not isinstance(hdata, list):
        raise ScenarioError("must be an array of tables [[hazards]] or a CSV path",
                            field="hazards", value=hdata, source=src)
    shares_from_table: dict[str, dict[str, float]] = {}
    if "spillover" in data:
        sdata = data["spillover"]
        if not isinstance(sdata, str):
            raise ScenarioError("must be the path of a CSV table (hazard, jurisdiction, share)",
                                field="spillover", value=sdata, source=src)
        shares_from_table = _read_spillover_csv(base / sdata, src)
    hazards = []
    hnames = set()
    for h, hz in enumerate(hdata):
        where = f"hazards[{h}]"
        if not isinstance(hz, Mapping):
            raise ScenarioError("must be a table", field=where, value=hz, source=src)
        bad = set(hz) - HAZ_KEYS
        if bad:
            raise ScenarioError(f"unknown keys; allowed: {sorted(HAZ_KEYS)}", field=where,
                                value=sorted(bad), source=src)
        for key in ("name", "probability", "damage"):
            if key not in hz:
                raise ScenarioError("is missing", field=f"{where}.{key}", source=src,
                                    show_value=False)
        name = hz["name"]
        hnames.add(name)
        spill = hz.get("spillover")
        if spill is None:
            spill = shares_from_table.get(name)
            if spill is None:
                raise ScenarioError("has no spillover shares (inline or in the spillover "
                                    "table)", field=f"hazards[{name}].spillover", source=src,
                                    show_value=False)
        elif name in shares_from_table:
            raise ScenarioError("shares are given both inline and in the spillover table",
                                field=f"hazards[{name}].spillover", value=name, source=src)
        origins = hz.get("origins", [])
        if isinstance(origins, str):
            origins = [origins]
        if not isinstance(origins, list):
            raise ScenarioError("must be a list of jurisdiction names",
                                field=f"hazards[{name}].origins", value=origins, source=src)
        hazards.append(Hazard(name, hz["probability"], hz["damage"], spill, tuple(origins),
                              hz.get("prevention", 0.0), hz.get("response", 0.0),
                              hz.get("aggregation", "mean"), hz.get("weights"),
                              _read_process(hz, f"hazards[{name}]", base, src),
                              hz.get("process_runs", 10_000), hz.get("process_seed", 0)))
    stray = set(shares_from_table) - hnames
    if stray:
        raise ScenarioError("the spillover table names unknown hazards", field="spillover",
                            value=sorted(stray), source=src)
    sources = data.get("sources", {})
    if not isinstance(sources, Mapping):
        raise ScenarioError("must be a table", field="sources", value=sources, source=src)
    return Scenario(jurs, hazards, actions, unit=data["unit"], name=data.get("name", ""),
                    description=data.get("description", ""), source=src, sources=sources)


def _read_process(hz: Mapping[str, Any], where: str, base: Path, src):
    """A hazard's response process: a CSV/TOML path or inline task tables, with the
    damage curve ``damage_curve = {hours = [...], share = [...]}``."""
    if "process" not in hz:
        if "damage_curve" in hz:
            raise ScenarioError("a damage curve needs a response process", field=f"{where}."
                                "damage_curve", source=src, show_value=False,
                                fix="add process = \"tasks.csv\" or drop damage_curve")
        return None
    from ..response.process import DamageCurve, ResponseProcess

    spec = hz["process"]
    if isinstance(spec, str):
        proc = ResponseProcess.from_file(base / spec, name=str(hz.get("name", "")))
    elif isinstance(spec, list):
        proc = ResponseProcess(spec, name=str(hz.get("name", "")), source=src)
    else:
        raise ScenarioError("must be the path of a task table (CSV or TOML) or an array of "
                            "tables [[hazards.process]]", field=f"{where}.process", value=spec,
                            source=src)
    if proc.damage is not None:
        raise ScenarioError("inside a scenario the damage curve is the hazard's damage_curve "
                            "(shares of its damage); the process file gives one too",
                            field=f"{where}.process", value=spec, source=src)
    if "damage_curve" not in hz:
        raise ScenarioError("is missing: a process needs the damage curve, shares of the "
                            "hazard's damage against completion hours",
                            field=f"{where}.damage_curve", source=src, show_value=False,
                            fix="damage_curve = { hours = [0, 72], share = [0.5, 1.0] }")
    curve = DamageCurve.parse(hz["damage_curve"], f"{where}.damage_curve", src,
                              value_key="share")
    return proc.with_damage(curve)


def _find_misplaced(data: Mapping[str, Any], key: str) -> str | None:
    for top in ("actions", "jurisdictions", "hazards"):
        tables = data.get(top)
        if isinstance(tables, list):
            for k, t in enumerate(tables):
                if isinstance(t, Mapping) and key in t:
                    return f"{top}[{k}]"
    return None


# ---------------------------------------------------------------------- CSV helpers
def _read_csv(path: Path, required: set[str], src: str | None) -> list[dict[str, str]]:
    where = str(path)
    if not path.exists():
        raise ScenarioError("table file not found", field="path", value=where, source=src)
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            rows = [r for r in reader if any(c.strip() for c in r)]
    except UnicodeDecodeError:
        raise ScenarioError("is not UTF-8 text", source=where) from None
    except csv.Error as exc:
        raise ScenarioError(f"is not a valid CSV table: {exc}", source=where) from None
    if not rows:
        raise ScenarioError("the table is empty; it needs a header row and data rows",
                            source=where)
    header = [c.strip() for c in rows[0]]
    missing = required - set(header)
    if missing:
        raise ScenarioError(f"missing columns {sorted(missing)}; header is {header}",
                            field="header", value=header, source=where, show_value=False)
    out = []
    for lineno, r in enumerate(rows[1:], start=2):
        if len(r) != len(header):
            raise ScenarioError(f"has {len(r)} cells but the header has {len(header)} columns",
                                field=f"line {lineno}", value=r, source=where)
        out.append({k: v.strip() for k, v in zip(header, r, strict=True)} | {"_line": lineno})
    return out


def _float(text: str, field: str, where: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ScenarioError("must be a number", field=field, value=text, source=where) from None


def _read_jurisdictions_csv(path: Path, level_names, src) -> list[dict]:
    rows = _read_csv(path, {"name"}, src)
    where = str(path)
    out = []
    for r in rows:
        line = r["_line"]
        costs = {}
        for key, val in r.items():
            if key.startswith("cost_"):
                level = key[len("cost_"):]
                if level not in level_names:
                    raise ScenarioError(f"cost column for an unknown level; levels are "
                                        f"{level_names}", field=key, value=level, source=where)
                costs[level] = _float(val, f"line {line}.{key}", where)
        rec: dict[str, Any] = {"name": r["name"], "costs": costs}
        for key in ("capacity", "population"):
            if r.get(key, "") != "":
                rec[key] = _float(r[key], f"line {line}.{key}", where)
        out.append(rec)
    return out


def _read_hazards_csv(path: Path, src) -> list[dict]:
    rows = _read_csv(path, {"name", "probability", "damage"}, src)
    where = str(path)
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


def _read_spillover_csv(path: Path, src) -> dict[str, dict[str, float]]:
    rows = _read_csv(path, {"hazard", "jurisdiction", "share"}, src)
    where = str(path)
    out: dict[str, dict[str, float]] = {}
    for r in rows:
        line = r["_line"]
        h, j = r["hazard"], r["jurisdiction"]
        table = out.setdefault(h, {})
        if j in table:
            raise ScenarioError(f"repeats the pair ({h}, {j})", field=f"line {line}",
                                value=[h, j], source=where)
        table[j] = _float(r["share"], f"line {line}.share", where)
    return out
