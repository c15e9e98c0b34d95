"""The data types of a scenario (action levels, jurisdictions, hazards) and the checks
of single values they share: numbers in range and non-empty names, with one-line
errors that name the field, the value and the rule."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ScenarioError
from .schema import ACTION, AGGREGATIONS, HAZARD, JURISDICTION, MAX_MAGNITUDE, MAX_PROCESS_RUNS

__all__ = [
    "ActionLevel",
    "Jurisdiction",
    "Hazard",
    "SHARE_TOL",
    "AGGREGATIONS",
    "MAX_MAGNITUDE",
    "MAX_PROCESS_RUNS",
    "label",
]

SHARE_TOL = 1e-6
_TOO_LARGE = (
    f"magnitude must be at most {MAX_MAGNITUDE:g} (larger amounts overflow when "
    "multiplied; state the money in a larger unit)"
)


def label(name: Any) -> str:
    """A name as it appears inside a field (``hazards[<name>]``): as written when it is
    one line of visible text, otherwise quoted and escaped like ``repr`` (a newline in a
    name never splits a one-line message)."""
    text = str(name)
    return text if _is_one_line(text) and text == text.strip() else repr(text)


def _is_one_line(text: str) -> bool:
    """No control, format or separator characters (newlines, tabs, NUL, U+2028...)."""
    if text.isprintable():  # the fast path: printable excludes all of those
        return True
    return all(
        unicodedata.category(c)[0] != "C" and unicodedata.category(c) not in ("Zl", "Zp")
        for c in text
    )


def _num(
    value: Any,
    field_name: str,
    source: str | None,
    *,
    lo: float | None = None,
    hi: float | None = None,
    rule: str | None = None,
    allow_nan: bool = False,
) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ScenarioError("must be a number", field=field_name, value=value, source=source)
    try:
        x = float(value)
    except OverflowError:  # an integer beyond the float range
        raise ScenarioError(_TOO_LARGE, field=field_name, value=value, source=source) from None
    if math.isnan(x):
        if allow_nan:
            return x
        raise ScenarioError(
            "must be a number, not NaN", field=field_name, value=value, source=source
        )
    if math.isinf(x):
        raise ScenarioError("must be finite", field=field_name, value=value, source=source)
    if abs(x) > MAX_MAGNITUDE:
        raise ScenarioError(_TOO_LARGE, field=field_name, value=value, source=source)
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        if rule is None:
            if lo is not None and hi is not None:
                rule = f"must lie in [{lo:g}, {hi:g}]"
            elif lo is not None:
                rule = f"must be >= {lo:g}"
            else:
                rule = f"must be <= {hi:g}"
        raise ScenarioError(rule, field=field_name, value=value, source=source)
    return x


def _name(value: Any, field_name: str, source: str | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(
            "must be a non-empty string", field=field_name, value=value, source=source
        )
    if not _is_one_line(value.strip()):
        raise ScenarioError(
            "must be one line of visible text (no newline, tab or control character)",
            field=field_name,
            value=value,
            source=source,
        )
    return value.strip()


@dataclass(frozen=True)
class ActionLevel:
    """One rung of the ordered action ladder shared by all jurisdictions.

    Parameters
    ----------
    name : str
        Label, e.g. ``"self"`` (属地, go it alone) or ``"cooperate"`` (协同).
    effort : float in [0, 1]
        Prevention effort ``e(k)``: multiplies each origin's risk reduction.
    coordination : float in [0, 1]
        Degree ``g(k)`` to which the level shares information and joins the
        common response; cuts damage through ``d_h``.
    """

    name: str
    effort: float = ACTION["effort"].default
    coordination: float = ACTION["coordination"].default

    def validated(self, where: str, source: str | None = None) -> ActionLevel:
        return ActionLevel(
            _name(self.name, f"{where}.name", source),
            _num(self.effort, f"{where}.effort", source, **ACTION["effort"].bounds()),
            _num(
                self.coordination,
                f"{where}.coordination",
                source,
                **ACTION["coordination"].bounds(),
            ),
        )


@dataclass(frozen=True)
class Jurisdiction:
    """A jurisdiction (locality, county, city, province).

    Parameters
    ----------
    name : str
    costs : mapping level name -> cost, or sequence in level order
        Yearly cost ``c_i(k)`` of each action level, in the scenario's unit. A
        mapping must name every level (a level left out is an error, not a free
        level); a sequence is read in the order of the action ladder. Omitted
        altogether: every level costs 0 (the files of the scenario format always
        state costs).
    capacity : float, optional
        Fiscal capacity (budget or GDP) in the scenario's unit; used by
        ability-to-pay rules and payment caps. NaN when unknown.
    population : float, optional
    """

    name: str
    costs: Mapping[str, float] | Sequence[float] = field(default_factory=dict)
    capacity: float = JURISDICTION["capacity"].default
    population: float = JURISDICTION["population"].default


@dataclass(frozen=True)
class Hazard:
    """A hazard: where it starts, how likely, how costly, who bears it.

    Parameters
    ----------
    name : str
    probability : float in [0, 1]
        Baseline yearly probability ``p_h`` (no prevention).
    damage : float >= 0
        Damage ``D_h`` if it strikes with no coordinated response.
    spillover : mapping jurisdiction -> share
        ``s[h, i]``: shares of the damage, non-negative, summing to 1.
    origins : sequence of jurisdiction names
        ``P(h)``: where the hazard starts; their effort cuts ``p_h``.
    prevention : float or mapping origin -> float in [0, 1]
        ``r[h, i]``: the share of ``p_h`` that origin ``i`` removes at full
        effort (one number applies to every origin).
    response : float in [0, 1]
        ``d_h``: share of damage avoided when every involved jurisdiction
        coordinates the response.
    aggregation : {"mean", "weakest_link", "best_shot", "weighted"}
        How the involved jurisdictions' coordination degrees combine into
        ``kappa_h`` (default ``mean``: today's behaviour).
    weights : mapping jurisdiction -> weight >= 0, optional
        For ``weighted`` only; default: the damage shares ``s[h, i]``.
    process : ResponseProcess, optional
        The response channel from a process instead of ``response``: units are
        jurisdictions, and its damage curve gives shares of ``damage``
        against completion hours.
    process_runs, process_seed : int
        Runs and seed of the fixed sample on which ``E[f_h(T(a))]`` is estimated.
    """

    name: str
    probability: float
    damage: float
    spillover: Mapping[str, float]
    origins: Sequence[str] = HAZARD["origins"].default
    prevention: float | Mapping[str, float] = HAZARD["prevention"].default
    response: float = HAZARD["response"].default
    aggregation: str = HAZARD["aggregation"].default
    weights: Mapping[str, float] | None = HAZARD["weights"].default
    process: Any = HAZARD["process"].default
    process_runs: int = HAZARD["process_runs"].default
    process_seed: int = HAZARD["process_seed"].default
