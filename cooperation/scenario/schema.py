"""The scenario file format, declared once.

Every key a scenario file may hold is a :class:`Key` here: its type, unit,
range, default, meaning and the analyses that read it. The loader
(:mod:`cooperation.scenario.io`) checks keys, required keys and types against
these declarations and fills defaults from them; the value checks
(:mod:`cooperation.scenario.checks`, also run on scenarios built in Python)
take their ranges and rules from them; the dataclasses of
:mod:`cooperation.scenario.types` take their defaults from them; and the
format reference, ``docs/reference/scenario-format.md``, is generated from
them by :func:`format_reference`. The documentation and the loader therefore
cannot disagree.

Regenerate the reference with ``python scripts/gen_docs.py`` (a test checks that the
committed page is up to date).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ScenarioError

__all__ = [
    "Key",
    "Table",
    "REQUIRED",
    "TOP",
    "ACTION",
    "JURISDICTION",
    "HAZARD",
    "TASK",
    "CSV_TABLES",
    "TABLES",
    "AGGREGATIONS",
    "MAX_MAGNITUDE",
    "MAX_PROCESS_RUNS",
    "MAX_FILE_BYTES",
    "MAX_NAME_CHARS",
    "MAX_DEPTH",
    "DEFAULT_LEVELS",
    "KINDS",
    "check_kind",
    "check_keys",
    "check_values",
    "read_table",
    "did_you_mean",
    "format_reference",
]

AGGREGATIONS = ("mean", "weakest_link", "best_shot", "weighted")
#: largest magnitude of any number in a scenario (money, capacity, population, hours,
#: weights). Payoffs multiply and add such amounts (p * D * s, sums over hazards and
#: jurisdictions, products of two parties' gains in bargaining); below 1e100 a product
#: of three stays finite (1e300 < 1.8e308), so no analysis turns finite input into inf.
MAX_MAGNITUDE = 1e100
#: most runs of a response process's fixed sample (memory grows with runs x tasks)
MAX_PROCESS_RUNS = 10_000_000
#: largest file the loader reads (the scenario or a table it names)
MAX_FILE_BYTES = 64 * 2**20
#: longest file name (one path component) of a table reference, as on common file systems
MAX_NAME_CHARS = 255
#: deepest nesting of tables and arrays in a scenario file
MAX_DEPTH = 32

#: the action ladder when a file has no [[actions]]
DEFAULT_LEVELS = (
    {"name": "self", "effort": 0.0, "coordination": 0.0},
    {"name": "cooperate", "effort": 1.0, "coordination": 1.0},
)


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()

#: the value types of the format, as the reference and the error messages say them
KINDS = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "choice": "one of the listed words",
    "names": "a jurisdiction name or a list of names",
    "task names": "a task name or a list of task names",
    "shares": "a table jurisdiction -> number",
    "number or shares": "a number, or a table origin -> number",
    "costs": "a table level -> cost naming every level (or a list, in level order)",
    "curve": "a table { hours = [...], share = [...] }",
    "levels": "an array of tables [[actions]] (or a list of level names)",
    "tables or file": "an array of tables, or the path of a CSV table",
    "file": "the path of a CSV table",
    "process": "the path of a task table (CSV or TOML), or an array of tables",
    "table": "a table",
    "delay": "a delay spec table, or a table owner -> spec",
}

_READ_PAYOFFS = "payoffs (every analysis)"


@dataclass(frozen=True)
class Key:
    """One key of the format.

    ``applies_when`` says when the key is used at all (``None``: always); an absent key
    whose default does not apply is not reported as a filled-in default.
    """

    name: str
    kind: str
    meaning: str
    default: Any = REQUIRED
    default_means: str = ""
    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    rule: str | None = None
    read_by: tuple[str, ...] = (_READ_PAYOFFS,)
    choices: tuple[str, ...] = ()
    applies: str = ""
    applies_when: Callable[[Mapping[str, Any]], bool] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def bounds(self) -> dict:
        """Keyword arguments of the range check: ``lo``, ``hi`` and the rule's words."""
        return {"lo": self.lo, "hi": self.hi, "rule": self.rule}

    def range_text(self) -> str:
        if self.choices:
            return ", ".join(f'"{c}"' for c in self.choices)
        if self.lo is not None and self.hi is not None:
            return f"[{_g(self.lo)}, {_g(self.hi)}]"
        if self.lo is not None:
            return f">= {_g(self.lo)}"
        return ""

    def default_text(self) -> str:
        if self.required:
            return "required"
        d = self.default
        if d is None:
            text = "none"
        elif isinstance(d, float) and math.isnan(d):
            text = "unknown"
        elif isinstance(d, str):
            text = f'"{d}"'
        elif isinstance(d, (tuple, list)) and not d:
            text = "[]"
        elif isinstance(d, Mapping) and not d:
            text = "{}"
        elif isinstance(d, (int, float)):
            text = _g(d)
        else:  # a structured default: its words say it
            return self.default_means
        if not self.default_means or self.default_means == text:
            return text
        return f"{text} ({self.default_means})"

    def applies_to(self, table: Mapping[str, Any]) -> bool:
        return self.applies_when is None or bool(self.applies_when(table))


@dataclass(frozen=True)
class Table:
    """A table of the format (the top level, ``[[actions]]``, ...) and its keys."""

    title: str
    field: str
    doc: str
    keys: tuple[Key, ...]

    def __post_init__(self):
        object.__setattr__(self, "_index", {k.name: k for k in self.keys})

    def __getitem__(self, name: str) -> Key:
        return self._index[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._index)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys if k.required)


def _g(x) -> str:
    if isinstance(x, int) and not isinstance(x, bool):
        return str(x)
    return f"{x:g}"


def _has_process(t):
    return "process" in t


# ---------------------------------------------------------------------- the tables
TOP = Table(
    "Top level",
    "(top level)",
    (
        "Keys at the top of the file, before the first `[[table]]` header: in TOML a key "
        'written after a header belongs to that table (a `spillover = "..."` line after '
        "`[[hazards]]` is read as the last hazard's spillover)."
    ),
    (
        Key("name", "string", "title shown in reports", "", "untitled", read_by=("reports",)),
        Key(
            "unit",
            "string",
            "money unit of every cost, damage and capacity, e.g. "
            '"CNY 100M/yr"; answers do not depend on it, but amounts are in it',
            read_by=("reports", "every amount"),
        ),
        Key("description", "string", "free text", "", read_by=("reports",)),
        Key(
            "spillover",
            "file",
            "long table of damage shares (hazard, jurisdiction, share), "
            "instead of inline `spillover` tables",
            None,
            "shares inline in each hazard",
            applies_when=lambda t: False,
        ),
        Key(
            "jurisdictions",
            "tables or file",
            "the jurisdictions: `[[jurisdictions]]` tables or a CSV table",
        ),
        Key(
            "hazards",
            "tables or file",
            "the hazards: `[[hazards]]` tables or a CSV table "
            "(its shares then come from `spillover`)",
        ),
        Key(
            "actions",
            "levels",
            "the ordered action ladder shared by every jurisdiction, at "
            "least two levels; a list of names gives the first level effort 0 and "
            "coordination 0, every later level 1 and 1",
            DEFAULT_LEVELS,
            "self (effort 0, coordination 0), cooperate (1, 1)",
        ),
        Key(
            "sources",
            "table",
            "free-form provenance notes (which figures are real, which "
            "illustrative); numeric entries whose key starts with `stake` are the two-way "
            "stakes co.two_way_agreement checks",
            {},
            read_by=("co.two_way_agreement (stakes)", "reports"),
        ),
    ),
)

ACTION = Table(
    "[[actions]]",
    "actions",
    ("One table per level, in order from going it alone (属地) to full cooperation (协同)."),
    (
        Key("name", "string", "label of the level, e.g. self, cooperate"),
        Key(
            "effort",
            "number",
            "prevention effort e(k): scales each origin's risk reduction r[h, i]",
            0.0,
            "the level cuts no probability",
            "share",
            0.0,
            1.0,
        ),
        Key(
            "coordination",
            "number",
            "coordination degree g(k): how far the level joins the "
            "common response (cuts damage through d_h or a response process)",
            0.0,
            "the level joins no common response",
            "share",
            0.0,
            1.0,
        ),
    ),
)

JURISDICTION = Table(
    "[[jurisdictions]]",
    "jurisdictions",
    ("One table per jurisdiction (locality, county, city, province), or one CSV row."),
    (
        Key("name", "string", "unique name; Chinese names are fine"),
        Key(
            "costs",
            "costs",
            "yearly cost c_i(k) of each action level; every level needs "
            "one (write 0 for a free level)",
            unit="money",
            lo=0.0,
            rule="costs must be >= 0",
        ),
        Key(
            "capacity",
            "number",
            "fiscal capacity (budget or GDP)",
            math.nan,
            "unknown",
            "money",
            0.0,
            read_by=(
                "co.compare_rules / co.responsibility_shares (ability to pay)",
                "co.design_compensation (capacity caps)",
                'co.design_fund (key "ability", caps)',
            ),
        ),
        Key(
            "population",
            "number",
            "population (any unit)",
            math.nan,
            "unknown",
            "persons",
            0.0,
            read_by=('co.design_fund (key "population")',),
        ),
    ),
)

HAZARD = Table(
    "[[hazards]]",
    "hazards",
    (
        "One table per hazard, or one CSV row. p_h(a) = p_h prod_{i in P(h)} (1 - r[h, i] "
        "e(a_i)); D_h(a) = D_h (1 - d_h kappa_h(a)); u_i(a) = -c_i(a_i) - sum_h p_h(a) D_h(a) "
        "s[h, i] (docs/model.md, section 2)."
    ),
    (
        Key("name", "string", "unique name"),
        Key(
            "probability",
            "number",
            "baseline yearly probability p_h (no prevention)",
            unit="probability",
            lo=0.0,
            hi=1.0,
            rule="a probability must lie in [0, 1]",
        ),
        Key(
            "damage",
            "number",
            "damage D_h if it strikes with no coordinated response",
            unit="money",
            lo=0.0,
            rule="damage must be >= 0",
        ),
        Key(
            "origins",
            "names",
            "P(h): where the hazard starts; their effort cuts p_h",
            (),
            "nobody's effort cuts p_h",
        ),
        Key(
            "prevention",
            "number or shares",
            "r[h, i]: share of p_h that origin i removes at "
            "full effort; one number for every origin, or one per origin",
            0.0,
            "prevention cuts nothing",
            "share",
            0.0,
            1.0,
            "a risk reduction must lie in [0, 1]",
            applies="only with origins",
            applies_when=lambda t: bool(t.get("origins")),
        ),
        Key(
            "response",
            "number",
            "d_h: share of the damage avoided when every involved jurisdiction coordinates",
            0.0,
            "no response channel",
            "share",
            0.0,
            1.0,
            "the response reduction d_h is a share in [0, 1]",
            applies="not with process",
            applies_when=lambda t: not _has_process(t),
        ),
        Key(
            "spillover",
            "shares",
            "s[h, i]: who bears the damage, shares >= 0 summing to 1; "
            "or rows of the top-level spillover table",
            None,
            "the rows of the spillover table",
            "share",
            0.0,
            rule="shares must be >= 0",
            applies_when=lambda t: False,
        ),
        Key(
            "aggregation",
            "choice",
            "how the involved jurisdictions' coordination combines "
            "into kappa_h: mean, the least (weakest_link), the most (best_shot) or weighted",
            "mean",
            choices=AGGREGATIONS,
            applies="not with process",
            applies_when=lambda t: not _has_process(t),
        ),
        Key(
            "weights",
            "shares",
            'weights of aggregation = "weighted"',
            None,
            "the damage shares",
            "weight",
            0.0,
            rule="weights must be >= 0",
            applies='only with aggregation = "weighted"',
            applies_when=lambda t: t.get("aggregation") == "weighted",
        ),
        Key(
            "process",
            "process",
            "the response channel from a response process (tasks owned "
            "by jurisdictions) instead of response: D_h(a) = D_h E[f_h(T(a))]",
            None,
            "the coefficient channel, response",
            applies_when=lambda t: False,
        ),
        Key(
            "damage_curve",
            "curve",
            "f_h: share of D_h against the hours the response takes, piecewise linear",
            REQUIRED,
            unit="hours, share",
            applies="required with process",
            applies_when=_has_process,
        ),
        Key(
            "process_runs",
            "integer",
            "runs of the fixed sample on which E[f_h(T(a))] is estimated",
            10_000,
            unit="runs",
            lo=1,
            hi=MAX_PROCESS_RUNS,
            applies="only with process",
            applies_when=_has_process,
        ),
        Key(
            "process_seed",
            "integer",
            "seed of that sample",
            0,
            unit="seed",
            lo=0,
            applies="only with process",
            applies_when=_has_process,
        ),
    ),
)

TASK = Table(
    "[[hazards.process]]",
    "tasks",
    (
        "A response process inline, one table per task (or the same columns in a CSV file, "
        "lists separated by `;`). Read and checked by cooperation.response (docs/response.md)."
    ),
    (
        Key("task", "string", "unique task name", read_by=("co.simulate_response", _READ_PAYOFFS)),
        Key(
            "owners",
            "names",
            "units (jurisdictions) that act on the task",
            read_by=("co.simulate_response", _READ_PAYOFFS),
        ),
        Key(
            "after",
            "task names",
            "tasks it waits for",
            (),
            "a start task",
            read_by=("co.simulate_response", _READ_PAYOFFS),
        ),
        Key(
            "join",
            "choice",
            '"all": done when every owner has acted (a joint sign-off); "any": when the first has',
            "all",
            choices=("all", "any"),
            read_by=("co.simulate_response", _READ_PAYOFFS),
        ),
        Key(
            "delay",
            "delay",
            'each owner\'s delay in hours, e.g. { dist = "exponential", mean '
            "= 4, speedup = 0.5 }; in CSV `exponential(mean=4, speedup=0.5)`",
            unit="hours",
            read_by=("co.simulate_response", _READ_PAYOFFS),
        ),
    ),
)


@dataclass(frozen=True)
class CsvTable:
    """A CSV table a scenario may name: its columns (keys of a TOML table)."""

    title: str
    referenced_by: str
    columns: tuple[tuple[str, Key, str], ...]  # (column, key, how the cell is written)
    doc: str = ""


CSV_TABLES = (
    CsvTable(
        "jurisdictions table",
        'jurisdictions = "file.csv"',
        (
            ("name", JURISDICTION["name"], ""),
            ("capacity", JURISDICTION["capacity"], "blank: unknown"),
            ("population", JURISDICTION["population"], "blank: unknown"),
            ("cost_<level>", JURISDICTION["costs"], "one column per level, every level"),
        ),
    ),
    CsvTable(
        "hazards table",
        'hazards = "file.csv"',
        (
            ("name", HAZARD["name"], ""),
            ("probability", HAZARD["probability"], ""),
            ("damage", HAZARD["damage"], ""),
            ("origins", HAZARD["origins"], "names separated by `;`"),
            ("prevention", HAZARD["prevention"], "one number for every origin"),
            ("response", HAZARD["response"], ""),
        ),
        "Shares come from the top-level spillover table.",
    ),
    CsvTable(
        "spillover table",
        'spillover = "file.csv"',
        (
            ("hazard", HAZARD["name"], "a hazard's name"),
            ("jurisdiction", JURISDICTION["name"], "a jurisdiction's name"),
            ("share", HAZARD["spillover"], "s[h, i]; one row per pair, pairs not repeated"),
        ),
        "A hazard's shares are given inline or here, not both.",
    ),
)

TABLES = (TOP, ACTION, JURISDICTION, HAZARD, TASK)


# ---------------------------------------------------------------------- type checks
def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_names(v) -> bool:
    return isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))


def _is_shares(v) -> bool:
    return isinstance(v, Mapping) and all(_is_number(x) for x in v.values())


def _is_costs(v) -> bool:
    return _is_shares(v) or (isinstance(v, list) and all(_is_number(x) for x in v))


_KIND_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "choice": lambda v: isinstance(v, str),
    "names": _is_names,
    "task names": _is_names,
    "shares": _is_shares,
    "number or shares": lambda v: _is_number(v) or _is_shares(v),
    "costs": _is_costs,
    "curve": lambda v: isinstance(v, Mapping),
    "levels": lambda v: isinstance(v, list),
    "tables or file": lambda v: isinstance(v, (str, list)),
    "file": lambda v: isinstance(v, str),
    "process": lambda v: isinstance(v, (str, list)),
    "table": lambda v: isinstance(v, Mapping),
    "delay": lambda v: isinstance(v, (Mapping, str)),
}


def check_kind(key: Key, value: Any, field_name: str, source: str | None) -> None:
    """Raise a ScenarioError when ``value`` is not of the key's type."""
    if not _KIND_CHECKS[key.kind](value):
        fix = None
        if key.kind in ("file", "tables or file"):
            fix = "a path relative to the scenario's folder"
        raise ScenarioError(
            f"must be {KINDS[key.kind]}", field=field_name, value=value, source=source, fix=fix
        )


def did_you_mean(word, allowed) -> str:
    """``" (did you mean 'x'?)"`` for the closest allowed word (difflib), or ``""``."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, [str(a) for a in allowed], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_keys(table: Table, data: Mapping[str, Any], where: str, source: str | None) -> None:
    """No key outside the table's declaration; the closest allowed key is suggested, and a
    top-level key found inside a table gets the TOML layout hint."""
    allowed = table.names
    unknown = [k for k in data if k not in allowed]
    if not unknown:
        return
    fix = None
    if table is not TOP and unknown[0] in TOP.names:
        fix = (
            "a top-level key written after a [[table]] header belongs to that table: move "
            "the line above the first [[...]]"
        )
    raise ScenarioError(
        f"unknown keys{did_you_mean(unknown[0], allowed)}; allowed: {list(allowed)}",
        field=where,
        value=sorted(map(str, unknown)),
        source=source,
        fix=fix,
    )


def check_values(
    table: Table, data: Mapping[str, Any], where: str, source: str | None
) -> list[str]:
    """Every required key present and every value of its key's type. Returns the names of
    the absent keys whose defaults apply (to report as filled in)."""
    filled = []
    for key in table.keys:
        name = key.name if table is TOP else f"{where}.{key.name}"
        if key.name in data:
            check_kind(key, data[key.name], name, source)
        elif key.applies_to(data):
            if key.required:
                raise ScenarioError(
                    "is missing",
                    field=name,
                    source=source,
                    show_value=False,
                    fix=_missing_fix(table, key),
                )
            filled.append(key.name)
    return filled


def read_table(table: Table, data: Mapping[str, Any], where: str, source: str | None) -> list[str]:
    """:func:`check_keys` then :func:`check_values`."""
    check_keys(table, data, where, source)
    return check_values(table, data, where, source)


def _missing_fix(table: Table, key: Key) -> str | None:
    if key.name == "costs":
        return "e.g. costs = { self = 0.0, cooperate = 1.0 }: every level needs a cost"
    if key.name == "damage_curve":
        return "damage_curve = { hours = [0, 72], share = [0.5, 1.0] }"
    if table is TOP:
        return "every scenario states unit, jurisdictions and hazards"
    return None


# ---------------------------------------------------------------------- the reference
def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _key_rows(table: Table) -> list[str]:
    rows = [
        "| key | type | unit | range | default | meaning | read by |",
        "|---|---|---|---|---|---|---|",
    ]
    for k in table.keys:
        meaning = k.meaning + (f" ({k.applies})" if k.applies else "")
        rows.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f"`{k.name}`",
                    KINDS[k.kind],
                    k.unit or "",
                    k.range_text(),
                    k.default_text(),
                    meaning,
                    "; ".join(k.read_by),
                )
            )
            + " |"
        )
    return rows


def _csv_rows(t: CsvTable) -> list[str]:
    rows = ["| column | type | unit | range | default | cell |", "|---|---|---|---|---|---|"]
    for col, k, how in t.columns:
        rows.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f"`{col}`",
                    KINDS[k.kind] if col != "cost_<level>" else "a number",
                    k.unit,
                    k.range_text(),
                    k.default_text() if col != "share" else "required",
                    how,
                )
            )
            + " |"
        )
    return rows


_EXAMPLE = """\
name = "Upstream and downstream"
unit = "CNY 100M/yr"                     # required: the money unit of every amount
description = "A river shared by two provinces."
# spillover = "spillover.csv"            # top-level keys come before the first [[table]]

[[actions]]
name = "self"
effort = 0.0
coordination = 0.0

[[actions]]
name = "cooperate"
effort = 1.0
coordination = 1.0

[[jurisdictions]]
name = "Up"
costs = { self = 0.0, cooperate = 1.0 }  # every level needs a cost

[[jurisdictions]]
name = "Down"
costs = { self = 0.0, cooperate = 0.2 }

[[hazards]]
name = "spill"
probability = 0.5
damage = 10.0
origins = ["Up"]
prevention = 0.8
response = 0.2
spillover = { Up = 0.2, Down = 0.8 }

[sources]                                # last: every key below belongs to [sources]
probability = "illustrative"
"""


def _rules() -> list[str]:
    return [
        "- A scenario is a UTF-8 TOML file (a byte-order mark is accepted); tables are "
        "UTF-8 CSV files with a header row. A file in GBK/GB18030 (Excel's default on "
        "Chinese Windows) or with `;` separators is refused with a hint how to re-save it.",
        "- Table files (`jurisdictions`, `hazards`, `spillover`, a hazard's `process`) are "
        "named relative to the scenario's folder and must stay inside it: absolute paths "
        "and `..` that leave the folder are refused unless the caller passes "
        "`allow_outside=True` (`--allow-outside` on the command line). Only regular files "
        f"of at most {MAX_FILE_BYTES // 2**20} MB are read, with names of at most "
        f"{MAX_NAME_CHARS} characters; no error message quotes a file's lines.",
        "- Names (jurisdictions, hazards, levels) are unique, non-empty, one line of "
        "visible text; every jurisdiction a hazard names must exist.",
        "- Every jurisdiction states a cost for every action level: a level left out is an "
        "error, not a free level. A costs list is read in the order of the levels.",
        "- Each hazard's shares are >= 0 and sum to 1 (within 1e-6); they are given inline "
        "or in the spillover table, not both.",
        f"- Every number has magnitude at most {MAX_MAGNITUDE:g}, so that products of "
        "amounts never overflow (state money in a larger unit otherwise); NaN and "
        "infinities are refused.",
        f"- Tables and arrays nest at most {MAX_DEPTH} deep.",
        "- A CSV column must not repeat, unknown columns and keys are errors (with the "
        "closest allowed name suggested), and a row has as many cells as the header.",
        "- A value the model would ignore is a warning (`cooperation.errors."
        "ScenarioWarning`): prevention of a hazard without origins, a per-origin prevention "
        "table that leaves an origin out, process_runs/process_seed without a process, "
        "prevention when no level has effort, a response coefficient when no level "
        "coordinates, an action ladder whose levels all have the same effort and "
        "coordination, and a scenario of one jurisdiction.",
    ]


def format_reference() -> str:
    """The Markdown reference of the scenario format, generated from the declarations.

    ``docs/reference/scenario-format.md`` is this text.

    Examples
    --------
    >>> from cooperation.scenario.schema import format_reference
    >>> format_reference().splitlines()[0]
    '# The scenario file format'
    """
    out = [
        "# The scenario file format",
        "",
        "<!-- generated by cooperation.scenario.schema.format_reference(); do not edit: "
        "run python scripts/gen_docs.py -->",
        "",
        "A scenario is a TOML file: the jurisdictions, the hazards and who bears them, "
        "what each action level costs and what it changes. `cooperation new` writes a "
        "commented template, `cooperation validate FILE` checks a file and lists every "
        "default it fills in, `co.load_scenario(path)` loads one and "
        "`scenario.to_toml(path)` writes a scenario built in Python. The model behind "
        "the keys is in [`docs/model.md`](../model.md).",
        "",
        "## Layout",
        "",
        "Top-level keys first, then `[[actions]]`, `[[jurisdictions]]`, `[[hazards]]`, "
        "and `[sources]` last: in TOML every key after a `[table]` header belongs to that "
        "table.",
        "",
        "```toml",
        _EXAMPLE.rstrip("\n"),
        "```",
        "",
    ]
    for t in TABLES:
        out += [f"## {t.title}", "", t.doc, ""] + _key_rows(t) + [""]
    out += ["## CSV tables", ""]
    for t in CSV_TABLES:
        out += [f"### The {t.title} (`{t.referenced_by}`)", ""]
        if t.doc:
            out += [t.doc, ""]
        out += _csv_rows(t) + [""]
    out += ["## Rules", ""] + _rules() + [""]
    return "\n".join(out)
