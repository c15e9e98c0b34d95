"""The data types of a scenario (action levels, jurisdictions, hazards) and the checks
of single values they share: numbers in range and non-empty names, with one-line
errors that name the field, the value and the rule."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ScenarioError

__all__ = ["ActionLevel", "Jurisdiction", "Hazard", "SHARE_TOL", "AGGREGATIONS"]

SHARE_TOL = 1e-6
AGGREGATIONS = ("mean", "weakest_link", "best_shot", "weighted")


def _num(value: Any, field_name: str, source: str | None, *, lo: float | None = None,
         hi: float | None = None, rule: str | None = None, allow_nan: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ScenarioError("must be a number", field=field_name, value=value, source=source)
    x = float(value)
    if math.isnan(x):
        if allow_nan:
            return x
        raise ScenarioError("must be a number, not NaN", field=field_name, value=value,
                            source=source)
    if math.isinf(x):
        raise ScenarioError("must be finite", field=field_name, value=value, source=source)
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
        raise ScenarioError("must be a non-empty string", field=field_name, value=value,
                            source=source)
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
    effort: float = 0.0
    coordination: float = 0.0

    def validated(self, where: str, source: str | None = None) -> ActionLevel:
        return ActionLevel(
            _name(self.name, f"{where}.name", source),
            _num(self.effort, f"{where}.effort", source, lo=0.0, hi=1.0),
            _num(self.coordination, f"{where}.coordination", source, lo=0.0, hi=1.0),
        )


@dataclass(frozen=True)
class Jurisdiction:
    """A jurisdiction (locality, county, city, province).

    Parameters
    ----------
    name : str
    costs : mapping level name -> cost, or sequence in level order
        Yearly cost ``c_i(k)`` of each action level, in the scenario's unit.
    capacity : float, optional
        Fiscal capacity (budget or GDP) in the scenario's unit; used by
        ability-to-pay rules and payment caps. NaN when unknown.
    population : float, optional
    """

    name: str
    costs: Mapping[str, float] | Sequence[float] = field(default_factory=dict)
    capacity: float = math.nan
    population: float = math.nan


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
    origins: Sequence[str] = ()
    prevention: float | Mapping[str, float] = 0.0
    response: float = 0.0
    aggregation: str = "mean"
    weights: Mapping[str, float] | None = None
    process: Any = None
    process_runs: int = 10_000
    process_seed: int = 0
