"""Declarative sweeps of a scenario's repeated play: phase diagrams without Python.

A declarative sweep varies settings named by dotted paths and measures
attributes of the simulation result in every cell::

    outcome_k = measure(simulate(scenario(params_k), strategy, monitoring(params_k),
                                 seed=seed_k, **simulation(params_k)))

for the cells ``k`` of the full factorial grid of the varied paths (the seed
scheme of :func:`cooperation.sweep`). Paths:

- ``monitoring.<field>``: a field of :class:`cooperation.repeated.Monitoring`
  (``audit_prob``, ``accuracy``, ``fine``, ``reward``, ``false_alarm``,
  ``fund_share``, ``peer_error``, ``peer_fine``, ``verify``); no monitoring
  unless a path sets one;
- ``simulation.<key>``: an argument of :func:`cooperation.repeated.simulate`
  (``rounds``, ``runs``, ``noise``, ``continuation``, ``window``,
  ``collapse_level``, ``defect``) or ``strategy``: a strategy name for every
  jurisdiction (``opportunist`` unless set: it defects exactly when defecting
  pays in the round, so an audit-and-fine sweep shows deterrence) or a comma
  list, one per jurisdiction;
- ``transfers.<jurisdiction>``: its per-round transfer (received if > 0, in
  the scenario's money unit);
- ``scenario.<key>...``: any value of the scenario file; ``[[jurisdictions]]``,
  ``[[hazards]]`` and ``[[actions]]`` entries by ``name`` or 0-based index
  (``scenario.hazards.0.probability``, ``scenario.jurisdictions.Yunnan.costs.cooperate``).

A *measure* is a number of :class:`cooperation.repeated.SimulationResult`:
a key of its ``summary()`` or a scalar attribute (:func:`measure_names`).
Unset simulation arguments keep :func:`~cooperation.repeated.simulate`'s own
defaults. Every varied value is tried on a two-round run before the sweep
starts, so a bad value fails at once, naming its path.

References
----------
Becker, G. S. (1968). Crime and punishment: an economic approach. *Journal of
Political Economy* 76(2), 169-217 (the audit-and-fine deterrence the default
sweep shows: comply when ``q a F >= gain``).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..repeated import Monitoring, as_stage, simulate, strategy_from_name
from ..scenario.io import scenario_from_dict
from ._toml import read_toml, split_path, want_number
from .paths import (
    MONITORING_KEYS,
    NAMESPACES,
    SIMULATION_KEYS,
    check_path,
    closest,
    column_names,
    set_in,
    sim_value,
)

__all__ = ["ScenarioJob", "scenario_sweep", "simulate_cell", "measure_names", "build_job",
           "DEFAULT_STRATEGY", "DEFAULT_MEASURES", "MONITORING_KEYS", "SIMULATION_KEYS",
           "NAMESPACES"]

#: the strategy of every jurisdiction unless ``simulation.strategy`` is set
DEFAULT_STRATEGY = "opportunist"
#: what a declarative sweep measures unless told
DEFAULT_MEASURES = ("cooperation_rate",)
#: the name under which the job reaches the cell function (a fixed argument)
JOB_ARG = "sweep_job"

_TRIAL_ROUNDS = 2


@dataclasses.dataclass(frozen=True, repr=False)
class ScenarioJob:
    """What every cell of a declarative sweep needs (sent once to each worker).

    Attributes
    ----------
    data : dict
        The parsed scenario TOML (paths inside it relative to ``base``).
    source, base : str
        The scenario file (for messages) and its folder.
    fixed : dict
        Dotted path -> value, the same in every cell.
    paths : dict
        Table column -> dotted path of each varied setting.
    measure : tuple of str
        The outcomes of each cell.
    """

    data: dict
    source: str
    base: str
    fixed: dict
    paths: dict
    measure: tuple

    def __repr__(self) -> str:
        return (f"ScenarioJob({self.data.get('name') or Path(self.source).name!r}, "
                f"fixed={self.fixed}, measure={list(self.measure)})")

    def fingerprint_data(self) -> tuple:
        """What identifies the experiment (not where the files lie): for checkpoints."""
        return self.data, self.fixed, self.paths, self.measure

    # ------------------------------------------------------------------ per cell
    def _digest(self) -> str:
        return hashlib.sha256(pickle.dumps((self.data, self.base), protocol=4)).hexdigest()

    def scenario(self, values: Mapping[str, Any]):
        """The scenario with the ``scenario.*`` values of ``values`` applied."""
        own = {p: v for p, v in values.items() if p.startswith("scenario.")}
        if not own:
            key = self._digest()
            hit = _SCENARIOS.get(key)
            if hit is None:
                hit = scenario_from_dict(self.data, source=self.source, base=Path(self.base))
                _SCENARIOS.clear()
                _SCENARIOS[key] = hit
            return hit
        data = copy.deepcopy(self.data)
        for path, v in own.items():
            set_in(data, split_path(path)[1:], v, path)
        return scenario_from_dict(data, source=self.source, base=Path(self.base))

    def stage(self, values: Mapping[str, Any], defect: str | None):
        """The C/D stage game of the cell's scenario (``rp.as_stage``), built once per
        worker when no ``scenario.*`` value varies."""
        kwargs = {} if defect is None else {"defect": defect}
        if any(p.startswith("scenario.") for p in values):
            return as_stage(self.scenario(values), **kwargs)
        key = (self._digest(), defect)
        hit = _STAGES.get(key)
        if hit is None:
            hit = as_stage(self.scenario(values), **kwargs)
            _STAGES.clear()
            _STAGES[key] = hit
        return hit

    def configure(self, values: Mapping[str, Any]):
        """``(stage game, strategies, simulate keyword arguments)`` for one cell."""
        merged = {**self.fixed, **values}
        defect = merged.get("simulation.defect")
        if defect is not None:
            defect = sim_value("defect", defect, "simulation.defect")
        stage = self.stage(merged, defect)
        mon, sim, transfers = {}, {}, {}
        for path, v in merged.items():
            ns, *rest = split_path(path)
            if ns == "monitoring":
                mon[rest[0]] = v
            elif ns == "transfers":
                transfers[rest[0]] = want_number(v, path)
            elif ns == "simulation" and rest[0] != "defect":
                sim[rest[0]] = sim_value(rest[0], v, path)
        strategies = _strategies(sim.pop("strategy", DEFAULT_STRATEGY), stage.players)
        if mon:
            sim["monitoring"] = Monitoring(**mon)
        if transfers:
            sim["transfers"] = transfers
        return stage, strategies, sim

    def run(self, values: Mapping[str, Any], seed: int):
        stage, strategies, kwargs = self.configure(values)
        return simulate(stage, strategies, seed=seed, **kwargs)

    def trial(self, values: Mapping[str, Any]):
        """A two-round, one-run simulation of these values: checks them, lists measures."""
        stage, strategies, kwargs = self.configure(values)
        kwargs["runs"] = 1
        if "rounds" in kwargs or "continuation" not in kwargs:
            kwargs["rounds"] = min(kwargs.get("rounds", _TRIAL_ROUNDS), _TRIAL_ROUNDS)
        kwargs.pop("window", None)
        return simulate(stage, strategies, seed=0, **kwargs)

    def measures(self, result) -> dict:
        """The measures of a result: a ``summary()`` key, else the attribute (the two
        agree where both exist; the summary is built only when needed)."""
        summary = None
        out = {}
        for name in self.measure:
            if summary is None and not _is_attribute(result, name):
                summary = result.summary()
            out[name] = summary[name] if summary is not None and name in summary.index \
                else getattr(result, name)
        return out


_SCENARIOS: dict[str, Any] = {}      # per worker process: the scenario of the current job
_STAGES: dict[tuple, Any] = {}       # ... and its C/D stage game


def _is_attribute(result, name: str) -> bool:
    return hasattr(type(result), name) or name in getattr(result, "__dataclass_fields__", {})


def _strategies(name: str, players) -> list:
    names = [x.strip() for x in str(name).split(",") if x.strip()]
    if len(names) == 1:
        return [strategy_from_name(names[0])] * len(players)
    if len(names) != len(players):
        raise InputError(f"needs one strategy, or one per jurisdiction ({len(players)}: "
                         f"{list(players)[:8]})", field="simulation.strategy", value=name)
    return [strategy_from_name(x) for x in names]


def simulate_cell(seed: int, sweep_job: ScenarioJob, **params) -> dict:
    """The cell function of a declarative sweep: simulate, then read the measures."""
    values = {sweep_job.paths[name]: v for name, v in params.items()}
    return sweep_job.measures(sweep_job.run(values, seed))


def measure_names(result) -> list[str]:
    """The measures a result offers: its ``summary()`` keys, then its other scalar
    attributes (numbers, not arrays), in alphabetical order."""
    names = list(result.summary().index)
    for attr in sorted(dir(result)):
        if attr.startswith("_") or attr in names:
            continue
        try:
            val = getattr(result, attr)
        except Exception:  # pragma: no cover - a property that cannot be computed
            continue
        if callable(val) or isinstance(val, (bool, np.bool_, str)):
            continue
        if isinstance(val, (int, float, np.integer, np.floating)):
            names.append(attr)
    return names


# ---------------------------------------------------------------------------- building
def build_job(scenario: str | os.PathLike, vary: Mapping[str, list], *,
              fixed: Mapping[str, Any] | None = None, measure=DEFAULT_MEASURES,
              where: Mapping[str, str] | None = None, measure_field: str = "measure",
              source: str | None = None) -> tuple[ScenarioJob, dict]:
    """Check a declarative sweep before any cell runs; ``(job, grid)``.

    ``vary`` maps dotted paths to value lists; ``where`` names, per path, the
    field to blame in messages (``--vary monitoring.fine``, ``grid.monitoring.fine``).
    Every distinct value is tried on a two-round run (:meth:`ScenarioJob.trial`).
    """
    where = dict(where or {})
    data, p = read_toml(scenario, what="scenario", field="scenario")
    if not vary:
        raise InputError("a scenario sweep needs at least one varied path", field="vary",
                         value={}, fix="e.g. --vary monitoring.audit_prob=0:1:11",
                         source=source)
    for path in [*vary, *(fixed or {})]:
        check_path(path, where.get(path, path))
    both = set(vary) & set(fixed or {})
    if both:
        raise InputError("a path is both varied and fixed", field="fixed", value=sorted(both),
                         source=source)
    names = [measure] if isinstance(measure, str) else list(measure)
    if not names or not all(isinstance(m, str) and m for m in names):
        raise InputError("must be a measure name or a list of them", field=measure_field,
                         value=measure, source=source)
    columns = column_names(list(vary), reserved=("seed", JOB_ARG))
    job = ScenarioJob(data=data, source=str(p), base=str(p.resolve().parent),
                      fixed=dict(fixed or {}), paths={c: path for path, c in columns.items()},
                      measure=tuple(dict.fromkeys(names)))
    try:
        base = job.trial({})
    except InputError as exc:
        raise InputError(exc.rule, field=exc.field, value=exc.value, source=source or str(p),
                         fix=exc.fix) from None
    known = measure_names(base)
    for m in job.measure:
        if m not in known:
            raise InputError(f"unknown measure; {closest(m, known)}measures: {known}",
                             field=measure_field, value=m, source=source)
    grid = {}
    for path, values in vary.items():
        label = where.get(path, path)
        vals = list(values)
        if not vals:
            raise InputError("no values", field=label, value=values, source=source)
        for v in vals:
            if not isinstance(v, (bool, int, float, str, np.generic)):
                raise InputError("each value must be a number, true/false or a string",
                                 field=label, value=v, source=source)
        for v in _distinct(vals):
            try:
                job.trial({path: v})
            except InputError as exc:
                rule = exc.rule if path.split(".")[0] in ("monitoring", "simulation") \
                    else f"gives an invalid run: {exc}"
                raise InputError(rule, field=label, value=v, source=source,
                                 fix=exc.fix) from None
        grid[columns[path]] = vals
    return job, grid


def _distinct(values: list) -> list:
    """One of each value (by type and repr: 1 and 1.0 differ, NaN is one value)."""
    return list({(type(v).__name__, repr(v)): v for v in values}.values())


def annotate(df, job: ScenarioJob, grid: Mapping[str, list]):
    """Record in ``df.attrs['sweep']['declarative']`` what the figure and readers need."""
    from .units import measure_unit, path_unit

    money = str(job.data.get("unit", ""))
    strategy = job.fixed.get("simulation.strategy", DEFAULT_STRATEGY)
    meta = df.attrs.setdefault("sweep", {})
    meta["declarative"] = {
        "scenario": str(job.data.get("name") or Path(job.source).stem),
        "source": job.source, "money_unit": money,
        "paths": dict(job.paths),
        "units": {c: path_unit(p, money) for c, p in job.paths.items()},
        "measures": list(job.measure),
        "measure_units": {m: measure_unit(m, money) for m in job.measure},
        "fixed": {k: v for k, v in job.fixed.items()},
        "strategy": strategy if "simulation.strategy" not in job.paths.values() else "varied",
    }
    return df


def scenario_sweep(scenario: str | os.PathLike, vary: Mapping[str, Any],
                   measure=DEFAULT_MEASURES, *, fixed: Mapping[str, Any] | None = None,
                   seed: Any = 0, executor: Any = None, progress: bool | str = True,
                   checkpoint: str | None = None, workers: int | None = None,
                   chunksize: int | None = None):
    """Sweep a scenario's repeated play over dotted-path settings; one row per cell.

    Parameters
    ----------
    scenario : str or PathLike
        The scenario TOML file.
    vary : dict of path -> values
        Full factorial over these settings (see the module docstring for the
        paths); values as a list, an array or a string ``"a:b:n"``
        (``numpy.linspace(a, b, n)``).
    measure : str or list of str
        Outcomes of each cell (:func:`measure_names`); default ``cooperation_rate``.
    fixed : dict of path -> value, optional
        Settings shared by every cell (``{"simulation.runs": 200}``).
    seed, executor, progress, checkpoint, workers, chunksize
        As for :func:`cooperation.sweep` (same seed, same table everywhere).

    Returns
    -------
    DataFrame
        One column per varied path (named by its last segment), ``seed``, one
        column per measure; ``attrs['sweep']['declarative']`` holds the paths,
        their units and the scenario's name.

    Examples
    --------
    >>> from cooperation.sweeps import scenario_sweep
    >>> df = scenario_sweep("data/chishui/scenario.toml",
    ...                     {"monitoring.fine": [0.0, 4.0]}, "cooperation_rate",
    ...                     fixed={"monitoring.audit_prob": 1.0, "simulation.runs": 20,
    ...                            "simulation.rounds": 10},
    ...                     executor="serial", progress=False)
    >>> df["cooperation_rate"].round(2).tolist()     # no fine: only some comply
    [0.3, 1.0]
    """
    from ._toml import parse_values
    from .grid import MAX_CELLS
    from .sweep import sweep

    vary = {p: (parse_values(v, p, max_num=MAX_CELLS) if isinstance(v, str) else v)
            for p, v in dict(vary).items()}
    job, grid = build_job(scenario, vary, fixed=fixed, measure=measure)
    df = sweep(simulate_cell, grid, seed=seed, executor=executor, progress=progress,
               checkpoint=checkpoint, fixed={JOB_ARG: job}, workers=workers,
               chunksize=chunksize)
    return annotate(df, job, grid)
