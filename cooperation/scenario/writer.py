"""Writing scenarios in the scenario file format: :func:`to_toml` (``Scenario.to_toml``)
and :func:`template` (``cooperation new``).

The writer emits only what the format declares (:mod:`cooperation.scenario.schema`):
every level, jurisdiction and hazard inline (no table files), floats in their
shortest exact form (``repr``), names quoted and escaped, so that loading the text
gives back an equal scenario.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ScenarioError
from .schema import ACTION, HAZARD, JURISDICTION, TOP, Key

__all__ = ["to_toml", "template", "toml_value"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _string(text: str) -> str:
    out = []
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _key(k: Any, where: str) -> str:
    if not isinstance(k, str):
        raise ScenarioError(
            "table keys must be strings to be written to TOML", field=where, value=k
        )
    return k if _BARE.match(k) else _string(k)


def toml_value(v: Any, where: str = "value") -> str:
    """One TOML value: strings, numbers (floats exactly, ``repr``), booleans, dates,
    arrays and inline tables; anything else is a ScenarioError naming ``where``."""
    if hasattr(v, "item") and not isinstance(v, (list, tuple, Mapping)):  # numpy scalars
        v = v.item()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else repr(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):
        return v.isoformat()
    if isinstance(v, Mapping):
        inner = ", ".join(
            f"{_key(k, where)} = {toml_value(x, f'{where}.{k}')}" for k, x in v.items()
        )
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x, f"{where}[{k}]") for k, x in enumerate(v)) + "]"
    raise ScenarioError(
        "cannot be written to TOML (use strings, numbers, booleans, dates, lists and tables)",
        field=where,
        value=type(v).__name__,
    )


def _line(key: str, value: Any, where: str) -> str:
    return f"{key} = {toml_value(value, f'{where}.{key}')}"


def to_toml(scenario, path: str | os.PathLike | None = None) -> str | Path:
    """The scenario as a scenario file: its text, or (with ``path``) the path written.

    The file is written atomically (temporary file, then rename). Every table is inline,
    so the file loads from any folder. A response process must have a piecewise-linear
    damage curve (a :class:`~cooperation.response.DamageCurve`), not a function.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.Scenario([co.Jurisdiction("上游", costs=[0, 1.0]),
    ...                  co.Jurisdiction("下游", costs=[0, 0.2])],
    ...                 [co.Hazard("spill", 0.5, 10.0, {"下游": 1.0}, origins=["上游"],
    ...                            prevention=0.8)], unit="CNY 100M")
    >>> text = s.to_toml()
    >>> print(text.splitlines()[0])
    unit = "CNY 100M"
    >>> from cooperation.scenario.io import parse_toml, scenario_from_dict
    >>> scenario_from_dict(parse_toml(text, None)) == s
    True
    """
    lines = [_line("unit", scenario.unit, "unit")]
    if scenario.name:
        lines.append(_line("name", scenario.name, "name"))
    if scenario.description:
        lines.append(_line("description", scenario.description, "description"))
    for a in scenario.actions:
        lines += [
            "",
            "[[actions]]",
            _line("name", a.name, "actions"),
            _line("effort", float(a.effort), "actions"),
            _line("coordination", float(a.coordination), "actions"),
        ]
    levels = scenario.action_names
    for i, j in enumerate(scenario.jurisdictions):
        where = f"jurisdictions[{i}]"
        costs = {lv: float(c) for lv, c in zip(levels, scenario.costs[i], strict=True)}
        lines += [
            "",
            "[[jurisdictions]]",
            _line("name", j.name, where),
            _line("costs", costs, where),
        ]
        for key, arr in (("capacity", scenario.capacity), ("population", scenario.population)):
            if not math.isnan(arr[i]):
                lines.append(_line(key, float(arr[i]), where))
    for h, hz in enumerate(scenario.hazards):
        lines += [""] + _hazard_lines(hz, f"hazards[{h}]")
    if scenario.sources:
        lines += ["", "[sources]"]
        lines += [
            f"{_key(k, 'sources')} = {toml_value(v, f'sources.{k}')}"
            for k, v in scenario.sources.items()
        ]
    text = "\n".join(lines) + "\n"
    if path is None:
        return text
    from .._io import atomic_write_text

    return atomic_write_text(path, text)


def _hazard_lines(hz, where: str) -> list[str]:
    out = [
        "[[hazards]]",
        _line("name", hz.name, where),
        _line("probability", float(hz.probability), where),
        _line("damage", float(hz.damage), where),
    ]
    if hz.origins:
        out.append(_line("origins", list(hz.origins), where))
        prev = {o: float(v) for o, v in dict(hz.prevention).items()}
        out.append(_line("prevention", prev, where))
    out.append(_line("spillover", {k: float(v) for k, v in hz.spillover.items()}, where))
    if hz.process is None:
        out.append(_line("response", float(hz.response), where))
        out.append(_line("aggregation", hz.aggregation, where))
        if hz.weights is not None:
            out.append(_line("weights", {k: float(v) for k, v in hz.weights.items()}, where))
        return out
    proc = hz.process
    curve = proc.damage
    if not (hasattr(curve, "hours") and hasattr(curve, "values")):
        raise ScenarioError(
            "a damage curve given as a function cannot be written to a file; "
            "give a DamageCurve (hours, shares)",
            field=f"{where}.process",
            value=type(curve).__name__,
        )
    out.append(
        _line(
            "damage_curve",
            {"hours": [float(x) for x in curve.hours], "share": [float(x) for x in curve.values]},
            where,
        )
    )
    out.append(_line("process_runs", int(hz.process_runs), where))
    out.append(_line("process_seed", int(hz.process_seed), where))
    for k, t in enumerate(proc.tasks):
        w = f"{where}.process[{k}]"
        specs = [d.to_dict() for d in t.delays]
        delay = (
            specs[0]
            if all(s == specs[0] for s in specs)
            else dict(zip(t.owners, specs, strict=True))
        )
        out += [
            "",
            "[[hazards.process]]",
            _line("task", t.name, w),
            _line("owners", list(t.owners), w),
            _line("after", list(t.after), w),
            _line("join", t.join, w),
            _line("delay", delay, w),
        ]
    return out


# ---------------------------------------------------------------------- the template
def _comment(key: Key) -> str:
    parts = [key.meaning]
    if key.unit:
        parts.append(f"unit: {key.unit}")
    if key.range_text():
        parts.append(f"range {key.range_text()}")
    parts.append("required" if key.required else f"default {key.default_text()}")
    return "# " + "; ".join(parts)


def _entry(key: Key, value: str) -> list[str]:
    return [_comment(key), f"{key.name} = {value}"]


def template() -> str:
    """A commented scenario file to start from (``cooperation new``): every key with
    its meaning, unit, range and default from the schema, values that load as they are.

    Examples
    --------
    >>> from cooperation.scenario.writer import template
    >>> template().splitlines()[0]
    '# A cooperation scenario. The format: docs/reference/scenario-format.md'
    """
    out = [
        "# A cooperation scenario. The format: docs/reference/scenario-format.md",
        "# Check it with: cooperation validate FILE   (lists every default it fills in)",
        "# Top-level keys come first: in TOML a key after a [[table]] header belongs to it.",
        "",
    ]
    out += _entry(TOP["name"], '"Upstream and downstream (上游与下游)"')
    out += _entry(TOP["unit"], '"CNY 100M/yr"')
    out += _entry(TOP["description"], '"What the jurisdictions face, in a few sentences."')
    out += [f"# {TOP['spillover'].meaning}; optional:", '# spillover = "spillover.csv"']
    for name, effort, coord, what in (
        ("self", "0.0", "0.0", "属地: each on its own"),
        ("cooperate", "1.0", "1.0", "协同: joint work"),
    ):
        out += ["", f"[[actions]]    # {what}"]
        out += _entry(ACTION["name"], f'"{name}"')
        out += _entry(ACTION["effort"], effort)
        out += _entry(ACTION["coordination"], coord)
    for name, cost, cap in (("Upstream", "1.0", "100.0"), ("Downstream", "0.2", "300.0")):
        out += ["", "[[jurisdictions]]"]
        out += _entry(JURISDICTION["name"], f'"{name}"')
        out += _entry(JURISDICTION["costs"], f"{{ self = 0.0, cooperate = {cost} }}")
        out += _entry(JURISDICTION["capacity"], cap)
        out += _entry(JURISDICTION["population"], "500.0")
    out += ["", "[[hazards]]"]
    for key, value in (
        ("name", '"spill"'),
        ("probability", "0.4"),
        ("damage", "10.0"),
        ("origins", '["Upstream"]'),
        ("prevention", "0.7"),
        ("response", "0.2"),
        ("spillover", "{ Upstream = 0.3, Downstream = 0.7 }"),
        ("aggregation", '"mean"'),
    ):
        out += _entry(HAZARD[key], value)
    out += [
        f"# weights: {HAZARD['weights'].meaning}, e.g. weights = {{ Upstream = 1, "
        "Downstream = 2 }",
        f"# process: {HAZARD['process'].meaning}; with it, damage_curve = {{ hours = [0, "
        "72], share = [0.5, 1.0] }",
        "",
        "[sources]      # last: every key below belongs to [sources]",
        _comment(TOP["sources"]),
        'probability = "illustrative"',
        "",
    ]
    return "\n".join(out)
