"""One-at-a-time sensitivity of a scenario's headline answers (a tornado table).

Every numeric parameter of the scenario is moved, one at a time, to
``base * (1 - spread)`` and ``base * (1 + spread)`` (default ±20%; shares and
probabilities are clipped to [0, 1]) with everything else at its base value,
and three answers are recomputed:

``least_subsidy``
    the smallest subsidy from the higher level that makes the social optimum
    worthwhile and self-enforcing for everyone
    (:func:`cooperation.design_compensation` with its default constraints);
``cost_alone``
    the cost of going alone, ``W(optimum) - W(worst Nash equilibrium)``
    (:func:`cooperation.analyze`, the cooperation surplus);
``cooperation_rate``
    the share of jurisdiction-years that cooperate in repeated play of
    self-interested jurisdictions (:class:`cooperation.repeated.Opportunist`)
    under the baseline's audit regime: audits with probability ``audit_prob``
    and accuracy ``accuracy``, and the fine that just deters every
    jurisdiction *at the base parameters*, ``F = max gain / (q a)``
    (Becker 1968). It asks: if this parameter is off by ±20%, does the audit
    regime designed for the base case still hold? Every run uses the same
    seed (common random numbers), so differences come from the parameter.

The parameters: each hazard's ``probability``, ``damage``, ``response`` and
``prevention`` (all origins scaled together), each jurisdiction's cost of
every action level that costs something, and each finite fiscal
``capacity``. Spillover shares are not varied (they must sum to 1: moving one
share means choosing which others give way). Parameters at 0 stay at 0 and
are listed with ``swing`` 0.

This is local, one-at-a-time analysis (a tornado diagram); it shows which
inputs the answers hinge on near the base case, not interactions. Global
indices (Sobol, Morris) need a sampling design; see :func:`cooperation.sweep`.

References
----------
Saltelli, A. et al. (2008). *Global Sensitivity Analysis: The Primer*, ch. 1
(one-at-a-time designs and their limits). Wiley.
Becker, G. S. (1968). Crime and punishment: an economic approach. *Journal
of Political Economy* 76(2), 169-217 (the deterrence fine).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._checks import check_int, check_number
from ..errors import InputError

__all__ = ["OUTCOMES", "sensitivity", "parameters"]

#: the answers recomputed for each parameter change
OUTCOMES = ("least_subsidy", "cost_alone", "cooperation_rate")


def parameters(scenario) -> pd.DataFrame:
    """The numeric parameters :func:`sensitivity` varies, with their base values.

    Returns
    -------
    DataFrame
        One row per parameter: ``parameter`` (``"hazard: field"`` or
        ``"jurisdiction: cost[level]"``), ``kind`` (``hazard`` or
        ``jurisdiction``), ``target``, ``field``, ``base``, ``bounded``
        (True for shares and probabilities, clipped to [0, 1]).

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.load_scenario("data/xinan/scenario.toml")
    >>> parameters(s)["parameter"].head(3).tolist()
    ['Anhui: cost[cooperate]', 'Zhejiang: cost[cooperate]', 'water-quality failure at Jiekou: probability']
    """
    rows = []
    costs = np.asarray(scenario.costs, float)
    for i, j in enumerate(scenario.jurisdictions):
        for k, level in enumerate(scenario.action_names):
            if costs[i, k] != 0.0:
                rows.append((f"{j.name}: cost[{level}]", "jurisdiction", j.name, f"cost[{level}]",
                             float(costs[i, k]), False))
    for i, j in enumerate(scenario.jurisdictions):
        cap = float(scenario.capacity[i])
        if math.isfinite(cap):
            rows.append((f"{j.name}: capacity", "jurisdiction", j.name, "capacity", cap, False))
    for h in scenario.hazards:
        prev = h.prevention
        prev_base = float(np.mean(list(prev.values()))) if isinstance(prev, dict) else float(prev)
        for field, base, bounded in (("probability", h.probability, True),
                                     ("damage", h.damage, False),
                                     ("prevention", prev_base, True),
                                     ("response", h.response, True)):
            if field == "response" and h.process is not None:
                continue            # the response channel comes from the process
            rows.append((f"{h.name}: {field}", "hazard", h.name, field, float(base), bounded))
    return pd.DataFrame(rows, columns=["parameter", "kind", "target", "field", "base",
                                       "bounded"])


def _scaled(scenario, row, factor: float):
    """The scenario with one parameter multiplied by ``factor`` (clipped when bounded)."""
    from ..scenario import Scenario

    def clip(x: float) -> float:
        return min(1.0, max(0.0, x)) if row.bounded else x

    juris, hazards = list(scenario.jurisdictions), list(scenario.hazards)
    if row.kind == "jurisdiction":
        i = scenario.index_of(row.target)
        j = juris[i]
        if row.field == "capacity":
            juris[i] = dataclasses.replace(j, capacity=j.capacity * factor)
        else:
            level = row.field[len("cost["):-1]
            costs = dict(zip(scenario.action_names, np.asarray(scenario.costs, float)[i].tolist(),
                             strict=True))
            costs[level] *= factor
            juris[i] = dataclasses.replace(j, costs=costs)
    else:
        k = next(k for k, h in enumerate(hazards) if h.name == row.target)
        h = hazards[k]
        if row.field == "prevention" and isinstance(h.prevention, dict):
            new = {o: clip(r * factor) for o, r in h.prevention.items()}
        else:
            new = clip(getattr(h, row.field) * factor)
        hazards[k] = dataclasses.replace(h, **{row.field: new})
    return Scenario(juris, hazards, scenario.actions, unit=scenario.unit, name=scenario.name,
                    description=scenario.description, source=scenario.source,
                    sources=scenario.sources)


def _outcomes(s, spec: dict) -> dict[str, float]:
    from ..compensation import design_compensation
    from ..equilibria import analyze
    from ..repeated import Monitoring, Opportunist, simulate

    comp = design_compensation(s)
    a = analyze(s.to_game())
    mon = Monitoring(audit_prob=spec["audit_prob"], accuracy=spec["accuracy"], fine=spec["fine"])
    res = simulate(s, Opportunist(), rounds=spec["rounds"], runs=spec["runs"],
                   noise=spec["noise"], monitoring=mon, seed=spec["seed"], history=False)
    return {"least_subsidy": float(comp.subsidy) if comp.success else math.nan,
            "cost_alone": float(a.cooperation_surplus),
            "cooperation_rate": float(res.cooperation_rate)}


def sensitivity(scenario, *, spread: float = 0.2, only: Sequence[str] | None = None,
                rounds: int = 20, runs: int = 100, noise: float = 0.02,
                audit_prob: float = 0.3, accuracy: float = 0.9, seed=0) -> pd.DataFrame:
    """Tornado table: each parameter at ``base * (1 ± spread)``, three answers recomputed.

    For parameter ``p`` and answer ``y``: ``swing = |y(p_high) - y(p_low)|``,
    the bar length of a tornado chart (:func:`cooperation.report.plot_tornado`).

    Parameters
    ----------
    scenario : Scenario
        Small enough for a payoff tensor (``scenario.to_game()``).
    spread : float in (0, 1)
        Relative change, default 0.2 (±20%).
    only : sequence of str, optional
        Vary only these (names as in :func:`parameters`); default all.
    rounds, runs, noise, audit_prob, accuracy, seed
        The repeated play behind ``cooperation_rate`` (see the module notes).

    Returns
    -------
    DataFrame
        Tidy: one row per (parameter, outcome) with ``kind``, ``target``,
        ``field``, ``base_value``, ``low_value``, ``high_value``, ``base``,
        ``low``, ``high`` (the answer at each), ``swing``; sorted by outcome
        and falling swing. ``attrs``: ``unit``, ``spread``, ``fine``, ``seed``
        and the simulation settings.

    References
    ----------
    Saltelli et al. (2008), ch. 1.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.load_scenario("data/xinan/scenario.toml")
    >>> t = co.sensitivity(s, runs=20, rounds=10)
    >>> t[t["outcome"] == "least_subsidy"].iloc[0]["parameter"]
    'Anhui: cost[cooperate]'
    """
    from ..repeated import as_stage, deterrence_fine
    from ..scenario import Scenario

    if not isinstance(scenario, Scenario):
        raise InputError("sensitivity needs a Scenario", field="scenario",
                         value=type(scenario).__name__)
    spread = check_number(spread, "spread", lo=0.0, hi=1.0)
    if spread <= 0.0 or spread >= 1.0:
        raise InputError("must be in (0, 1) (a relative change)", field="spread", value=spread)
    spec = {"rounds": check_int(rounds, "rounds", lo=1), "runs": check_int(runs, "runs", lo=1),
            "noise": check_number(noise, "noise", lo=0.0, hi=1.0),
            "audit_prob": check_number(audit_prob, "audit_prob", lo=0.0, hi=1.0),
            "accuracy": check_number(accuracy, "accuracy", lo=0.0, hi=1.0), "seed": seed}
    gain = float(np.max(as_stage(scenario).max_gain()))
    spec["fine"] = deterrence_fine(gain, spec["audit_prob"], spec["accuracy"])
    if not math.isfinite(spec["fine"]):
        raise InputError("no fine can deter with these audits (q a = 0)", field="audit_prob",
                         value=audit_prob, fix="raise audit_prob and accuracy")
    table = parameters(scenario)
    if only is not None:
        unknown = sorted(set(only) - set(table["parameter"]))
        if unknown:
            from ..errors import preview_names

            raise InputError(f"unknown parameters (known: {preview_names(table['parameter'])})",
                             field="only", value=unknown)
        table = table[table["parameter"].isin(list(only))]
    base = _outcomes(scenario, spec)
    rows = []
    for row in table.itertuples(index=False):
        lo_v, hi_v = row.base * (1 - spread), row.base * (1 + spread)
        if row.bounded:
            lo_v, hi_v = max(0.0, lo_v), min(1.0, hi_v)
        if row.base == 0.0:
            low = high = base
        else:
            low = _outcomes(_scaled(scenario, row, 1 - spread), spec)
            high = _outcomes(_scaled(scenario, row, 1 + spread), spec)
        for out in OUTCOMES:
            swing = abs(high[out] - low[out])
            rows.append({"parameter": row.parameter, "kind": row.kind, "target": row.target,
                         "field": row.field, "base_value": row.base, "low_value": lo_v,
                         "high_value": hi_v, "outcome": out, "base": base[out],
                         "low": low[out], "high": high[out],
                         "swing": swing if math.isfinite(swing) else math.nan})
    df = pd.DataFrame(rows)
    if len(df):
        df["outcome"] = pd.Categorical(df["outcome"], OUTCOMES, ordered=True)
        df = df.sort_values(["outcome", "swing"], ascending=[True, False], kind="stable",
                            na_position="first").reset_index(drop=True)
        df["outcome"] = df["outcome"].astype(str)
    df.attrs.update(unit=scenario.unit, spread=spread, **spec)
    return df
