"""Response processes: who must act, in what order, how long each takes (协同度算法).

A response process is a DAG of tasks (warning, assessment, decision, dispatch,
...). Task ``j`` is owned by one or more units (departments or jurisdictions)
``U(j)`` and waits for the tasks ``after(j)``. It starts when all of them are
done and is done when its owners have acted::

    S_j = max_{p in after(j)} F_p            (0 for a start task)
    A_{j,u} = S_j + X_{j,u} * c_{j,u}        (u in U(j): owner u acts)
    F_j = max_u A_{j,u}   for join = "all"   (joint sign-off: the slowest decides,
                                              a weakest link)
    F_j = min_u A_{j,u}   for join = "any"   (the first responder)
    T   = max_j F_j                          (the response is complete)

``X_{j,u}`` is owner ``u``'s delay on task ``j`` in hours, drawn from its
distribution (fixed, exponential, lognormal, triangular or empirical samples).
The delay depends on the unit's coordination degree ``g_u`` in [0, 1] (the
``coordination`` of its action level in a scenario) through the spec's
``speedup`` ``s_{j,u}`` in [0, 1]: ``c_{j,u} = 1 - s_{j,u} * g_u``. A spec
without ``speedup`` does not depend on coordination.

A damage curve ``f(T)`` turns the completion time into damage (money, or a
share of the hazard's damage inside a scenario): piecewise linear between the
points of a table, flat before the first and after the last point, or any
vectorised callable.

This module holds the data type, its validation and loaders, and the
vectorised evaluation of completion times (numpy arrays of shape ``(runs,)``,
one pass over the tasks in topological order). It imports nothing above
:mod:`cooperation.scenario`, so that the scenario's payoff model can use it;
the Monte Carlo analysis lives in :mod:`cooperation.response.simulate`.

References
----------
Van Slyke, R. M. (1963). Monte Carlo methods and the PERT problem.
*Operations Research* 11, 839-860.
Hirshleifer, J. (1983). From weakest-link to best-shot: the voluntary
provision of public goods. *Public Choice* 41, 371-386.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ScenarioError
from ..errors import preview_names as _preview
from .delays import DISTRIBUTIONS, DamageCurve, DelaySpec, as_damage
from .files import TASK_KEYS, read_process_toml, read_task_table

__all__ = ["DelaySpec", "Task", "DamageCurve", "ResponseProcess", "JOINS", "DISTRIBUTIONS"]

JOINS = ("all", "any")
TIE_RTOL = 1e-9       # times within 1e-9 x the run's completion time are tied


# ---------------------------------------------------------------------- tasks
@dataclass(frozen=True)
class Task:
    """One task: its owners, what it waits for, how it joins, each owner's delay."""

    name: str
    owners: tuple[str, ...]
    after: tuple[str, ...]
    join: str
    delays: tuple[DelaySpec, ...]     # one per owner, in owner order


def _names(value, field, source, *, allow_empty: bool) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        value = []
    if isinstance(value, str):
        value = [x for x in (p.strip() for p in value.split(";")) if x]
    if not isinstance(value, (Sequence, np.ndarray)):
        raise ScenarioError("must be a list of names", field=field, value=value, source=source)
    out = []
    for v in value:
        if not isinstance(v, str) or not v.strip():
            raise ScenarioError("names must be non-empty strings", field=field, value=v,
                                source=source)
        out.append(v.strip())
    if not out and not allow_empty:
        raise ScenarioError("needs at least one", field=field, value=list(value),
                            source=source)
    if len(set(out)) != len(out):
        raise ScenarioError("names must not repeat", field=field, value=out, source=source)
    return tuple(out)


class ResponseProcess:
    """A joint response as a DAG of tasks owned by units, with random delays.

    Parameters
    ----------
    tasks : pandas.DataFrame or sequence of mappings
        One row per task with keys ``task`` (name), ``owners`` (list of unit
        names, or a ``;``-separated string), ``after`` (list of task names it
        waits for; empty for a start task), ``join`` (``"all"``, the default:
        done when every owner has acted, a joint sign-off; ``"any"``: done when
        the first owner has acted) and ``delay`` (one spec for every owner, or
        a mapping owner -> spec). A spec is ``{"dist": "fixed", "hours": h}``,
        ``{"dist": "exponential", "mean": m}``, ``{"dist": "lognormal",
        "median": m, "sigma": s}``, ``{"dist": "triangular", "low": a,
        "mode": b, "high": c}`` or ``{"dist": "empirical", "samples": [...]}``,
        each with an optional ``speedup`` in [0, 1] (share of the delay removed
        at full coordination); in CSV, a text such as ``exponential(mean=4)``
        or ``Transport: fixed(hours=2); Publicity: exponential(mean=1)``.
    damage : DamageCurve, table or callable, optional
        Damage against completion hours: ``{"hours": [...], "damage": [...]}``
        or ``[[hours, damage], ...]`` (piecewise linear, flat beyond the ends),
        or a vectorised callable of an hours array.
    name : str
    source : str, optional
        Where it came from; named in error messages.

    Examples
    --------
    >>> import cooperation as co
    >>> proc = co.ResponseProcess([
    ...     {"task": "warning", "owners": ["Meteorology"], "delay": {"dist": "fixed", "hours": 2}},
    ...     {"task": "metro stop", "owners": ["Transport", "Emergency", "Publicity"],
    ...      "after": ["warning"], "join": "all",
    ...      "delay": {"dist": "exponential", "mean": 3}}])
    >>> proc.units
    ('Meteorology', 'Transport', 'Emergency', 'Publicity')
    >>> proc.longest_path()          # every delay at its mean: 2 + 3 hours
    5.0
    """

    def __init__(self, tasks, damage=None, *, name: str = "", source: str | None = None):
        src = source
        self._source = src
        self.name = str(name or "")
        rows = _rows(tasks, src)
        if not rows:
            raise ScenarioError("a response process needs at least one task", field="tasks",
                                value=[], source=src)
        parsed: list[Task] = []
        seen: dict[str, int] = {}
        for k, row in enumerate(rows):
            where = f"tasks[{k}]"
            if not isinstance(row, Mapping):
                raise ScenarioError("must be a table", field=where, value=row, source=src)
            unknown = set(row) - set(TASK_KEYS) - {"_line"}
            if unknown:
                raise ScenarioError(f"unknown keys; allowed: {list(TASK_KEYS)}", field=where,
                                    value=sorted(unknown), source=src)
            if "_line" in row:
                where = f"line {row['_line']}"
            if "task" not in row:
                raise ScenarioError("is missing", field=f"{where}.task", source=src,
                                    show_value=False)
            tn = row["task"]
            if not isinstance(tn, str) or not tn.strip():
                raise ScenarioError("must be a non-empty string", field=f"{where}.task",
                                    value=tn, source=src)
            tn = tn.strip()
            if tn in seen:
                raise ScenarioError("task names must be unique", field=f"{where}.task",
                                    value=tn, source=src)
            seen[tn] = k
            where = f"tasks[{tn}]"
            if "owners" not in row:
                raise ScenarioError("is missing", field=f"{where}.owners", source=src,
                                    show_value=False)
            owners = _names(row["owners"], f"{where}.owners", src, allow_empty=False)
            after = _names(row.get("after"), f"{where}.after", src, allow_empty=True)
            join = row.get("join")
            if join is None or (isinstance(join, str) and not join.strip()):
                join = "all"
            if not isinstance(join, str) or join.strip().lower() not in JOINS:
                raise ScenarioError('must be "all" (joint sign-off: wait for every owner) or '
                                    '"any" (the first owner to act)', field=f"{where}.join",
                                    value=join, source=src)
            join = join.strip().lower()
            if "delay" not in row:
                raise ScenarioError("is missing", field=f"{where}.delay", source=src,
                                    show_value=False)
            delays = _owner_delays(row["delay"], owners, f"{where}.delay", src)
            parsed.append(Task(tn, owners, after, join, delays))
        for t in parsed:
            for a in t.after:
                if a not in seen:
                    raise ScenarioError(f"unknown task; tasks are {_preview(list(seen))}",
                                        field=f"tasks[{t.name}].after", value=a, source=src)
                if a == t.name:
                    raise ScenarioError("a task cannot wait for itself",
                                        field=f"tasks[{t.name}].after", value=a, source=src)
        self._tasks = tuple(parsed)
        self._order = _topological_order(parsed, src)
        self._damage = as_damage(damage, "damage", src)
        self._build_arrays()

    # ------------------------------------------------------------------ construction
    def _build_arrays(self) -> None:
        tasks = self._tasks
        index = {t.name: j for j, t in enumerate(tasks)}
        units: list[str] = []
        for t in tasks:
            for u in t.owners:
                if u not in units:
                    units.append(u)
        uidx = {u: k for k, u in enumerate(units)}
        a_task, a_unit, specs, ptr = [], [], [], [0]
        for j, t in enumerate(tasks):
            for u, d in zip(t.owners, t.delays, strict=True):
                a_task.append(j)
                a_unit.append(uidx[u])
                specs.append(d)
            ptr.append(len(specs))
        self._units = tuple(units)
        self._task_index = index
        self._preds = tuple(tuple(index[a] for a in t.after) for t in tasks)
        succ: list[list[int]] = [[] for _ in tasks]
        for j, ps in enumerate(self._preds):
            for p in ps:
                succ[p].append(j)
        self._succs = tuple(tuple(s) for s in succ)
        self._sinks = tuple(j for j in range(len(tasks)) if not succ[j])
        self._a_task = np.array(a_task, dtype=np.intp)
        self._a_unit = np.array(a_unit, dtype=np.intp)
        self._specs = tuple(specs)
        self._ptr = tuple(ptr)
        self._speedup = np.array([s.speedup for s in specs])
        self._means = np.array([s.mean for s in specs])
        self._is_any = tuple(t.join == "any" for t in tasks)
        # last task (in topological order) that reads each task's finish time
        pos = {j: k for k, j in enumerate(self._order)}
        self._last_use = tuple(max((pos[s] for s in succ[j]), default=-1)
                               for j in range(len(tasks)))

    @classmethod
    def from_csv(cls, path: str | os.PathLike, damage=None, *, name: str = "") -> ResponseProcess:
        """Read a task table: columns ``task, owners, after, join, delay`` (UTF-8,
        header row; lists separated by ``;``; ``after`` and ``join`` may be blank)."""
        recs, stem, src = read_task_table(path)
        return cls(recs, damage, name=name or stem, source=src)

    @classmethod
    def from_toml(cls, path: str | os.PathLike, damage=None, *, name: str = "") -> ResponseProcess:
        """Read ``[[tasks]]`` tables (keys as in the constructor) and an optional
        ``[damage]`` table ``{hours = [...], damage = [...]}`` (a ``damage``
        argument replaces it); ``tasks = "file.csv"`` points to a CSV table."""
        data, p, src = read_process_toml(path)
        unknown = set(data) - {"name", "tasks", "damage"}
        if unknown:
            raise ScenarioError("unknown top-level keys; allowed: ['damage', 'name', 'tasks']",
                                field="(top level)", value=sorted(unknown), source=src)
        if "tasks" not in data:
            raise ScenarioError("is missing", field="tasks", source=src, show_value=False)
        dmg = damage if damage is not None else data.get("damage")
        nm = name or data.get("name", p.stem)
        if isinstance(data["tasks"], str):
            return cls.from_csv(p.parent / data["tasks"], dmg, name=nm)
        return cls(data["tasks"], dmg, name=nm, source=src)

    @classmethod
    def from_file(cls, path: str | os.PathLike, damage=None, *, name: str = "") -> ResponseProcess:
        """:meth:`from_csv` for ``.csv``, :meth:`from_toml` otherwise."""
        if Path(path).suffix.lower() == ".csv":
            return cls.from_csv(path, damage, name=name)
        return cls.from_toml(path, damage, name=name)

    def with_damage(self, damage) -> ResponseProcess:
        """The same process with another damage curve."""
        new = object.__new__(ResponseProcess)
        new.__dict__.update(self.__dict__)
        new._damage = as_damage(damage, "damage", self._source)
        return new

    # ------------------------------------------------------------------ accessors
    @property
    def tasks(self) -> tuple[Task, ...]:
        return self._tasks

    @property
    def task_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self._tasks)

    @property
    def units(self) -> tuple[str, ...]:
        """Unit names in order of first appearance."""
        return self._units

    @property
    def damage(self):
        return self._damage

    @property
    def source(self) -> str | None:
        return self._source

    @property
    def order(self) -> tuple[int, ...]:
        """Task indices in topological order (input order among ready tasks)."""
        return self._order

    @property
    def n_actions(self) -> int:
        return len(self._specs)

    def unit_mean_delay(self, coordination=None) -> np.ndarray:
        """Each unit's mean delay: the sum over its actions of the expected delay,
        at the given coordination (hours)."""
        f = self.factors(coordination)
        return np.bincount(self._a_unit, weights=self._means * f, minlength=len(self._units))

    def to_frame(self):
        """The task table (one row per task)."""
        import pandas as pd

        rows = []
        for t in self._tasks:
            if len(set(map(str, t.delays))) == 1:
                delay = str(t.delays[0])
            else:
                delay = "; ".join(f"{u}: {d}" for u, d in zip(t.owners, t.delays, strict=True))
            rows.append({"task": t.name, "owners": "; ".join(t.owners),
                         "after": "; ".join(t.after), "join": t.join, "delay": delay})
        return pd.DataFrame(rows).set_index("task")

    def __repr__(self) -> str:
        nm = f"{self.name!r}, " if self.name else ""
        return (f"ResponseProcess({nm}{len(self._tasks)} tasks, {len(self._units)} units, "
                f"damage curve: {'yes' if self._damage is not None else 'no'})")

    def _repr_html_(self) -> str:
        return f"<p>{self!r}</p>" + self.to_frame()._repr_html_()

    def __eq__(self, other) -> bool:
        if not isinstance(other, ResponseProcess):
            return NotImplemented
        return self._tasks == other._tasks and self._damage == other._damage

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ evaluation
    def factors(self, coordination=None) -> np.ndarray:
        """Delay multipliers ``1 - speedup * g_u`` per action, ``(n_actions,)``, or
        ``(m, n_actions)`` for an ``(m, n_units)`` array of coordination degrees.

        ``coordination``: None (0 for every unit), a number for every unit, a
        mapping unit -> degree (missing units at 0), or an array over units.
        """
        g = self.coordination_vector(coordination)
        return 1.0 - self._speedup * g[..., self._a_unit]

    def coordination_vector(self, coordination=None) -> np.ndarray:
        U = len(self._units)
        if coordination is None:
            return np.zeros(U)
        if isinstance(coordination, Mapping):
            unknown = set(coordination) - set(self._units)
            if unknown:
                raise ScenarioError(f"unknown unit; units are {_preview(list(self._units))}",
                                    field="coordination", value=sorted(unknown)[0])
            g = np.array([float(coordination.get(u, 0.0)) for u in self._units])
        else:
            g = np.asarray(coordination, dtype=float)
            if g.ndim == 0:
                g = np.full(U, float(g))
            if g.shape[-1] != U:
                raise ScenarioError(f"needs one degree per unit ({U})", field="coordination",
                                    value=f"shape {g.shape}")
        if not np.all(np.isfinite(g)) or g.min(initial=0.0) < 0 or g.max(initial=0.0) > 1:
            raise ScenarioError("coordination degrees must lie in [0, 1]",
                                field="coordination", value=g.tolist())
        return g

    def draw(self, rng, runs: int) -> np.ndarray:
        """Delays at coordination 0 for ``runs`` runs: ``(n_actions, runs)``.

        ``rng``: a Generator (actions drawn one after another, owner order
        within a task, task order), or a SeedSequence, which gives every action
        its own child stream, so that the first ``k`` runs do not depend on
        ``runs``.
        """
        out = np.empty((len(self._specs), runs))
        if isinstance(rng, np.random.SeedSequence):
            for a, s in enumerate(self._specs):
                child = np.random.SeedSequence(rng.entropy,
                                               spawn_key=tuple(rng.spawn_key) + (a,))
                out[a] = s.sample(np.random.default_rng(child), runs)
            return out
        for a, s in enumerate(self._specs):
            out[a] = s.sample(rng, runs)
        return out

    def completion_times(self, draws: np.ndarray, factors=None) -> np.ndarray:
        """Completion time ``T`` for every run and every row of ``factors``.

        Parameters
        ----------
        draws : (n_actions, R) array
            Delays at coordination 0 (from :meth:`draw`, or any non-negative values).
        factors : (n_actions,) or (B, n_actions) array, optional
            Multipliers of each action's delay (see :meth:`factors`); default 1.

        Returns
        -------
        (R,) or (B, R) array of hours.
        """
        F, _, _, T = self._forward(draws, factors, keep=False)
        return T

    def _forward(self, draws, factors, keep: bool):
        draws = np.asarray(draws, dtype=float)
        if factors is None:
            fac = None
            lead = ()
        else:
            fac = np.asarray(factors, dtype=float)
            lead = fac.shape[:-1]
            fac = fac.reshape(-1, fac.shape[-1])[:, :, None] if lead else fac[:, None]
        R = draws.shape[1]
        shape = (lead and (int(np.prod(lead)),)) + (R,)
        F: dict[int, np.ndarray] = {}
        S_all = {} if keep else None
        acts = np.empty((len(self._specs),) + shape) if keep else None
        T = np.zeros(shape)
        for k, j in enumerate(self._order):
            ps = self._preds[j]
            if ps:
                S = F[ps[0]].copy() if len(ps) > 1 else F[ps[0]]
                for p in ps[1:]:
                    np.maximum(S, F[p], out=S)
            else:
                S = np.zeros(shape)
            red = np.minimum if self._is_any[j] else np.maximum
            Fj = None
            for a in range(self._ptr[j], self._ptr[j + 1]):
                if fac is None:
                    d = draws[a]
                elif lead:
                    d = draws[a] * fac[:, a, :]        # (B, R)
                else:
                    d = draws[a] * fac[a]              # (R,)
                t = S + d
                if keep:
                    acts[a] = t
                Fj = t if Fj is None else red(Fj, t, out=Fj)
            F[j] = Fj
            if keep:
                S_all[j] = S
            if self._last_use[j] < 0:
                np.maximum(T, Fj, out=T)
            if not keep:
                for p in ps:
                    if self._last_use[p] == k:
                        del F[p]
        if lead:
            T = T.reshape(lead + (R,))
        return F, S_all, acts, T

    def trace(self, draws: np.ndarray, factors=None):
        """Completion times and who is critical in each run.

        A task is *critical* in a run when it lies on at least one longest path
        of that run: every tied path counts, so with fixed or empirical delays
        (where ties have positive probability) parallel tasks can both be
        critical. A unit is critical when one of its actions decides a critical
        task: for an ``all`` join the owners who act last, for an ``any`` join
        the owners who act first (tied owners all count). Times closer than
        ``TIE_RTOL`` times the run's completion time count as tied.

        Returns
        -------
        T : (R,) completion times
        task_critical : (n_tasks, R) bool
        unit_critical : (n_units, R) bool
        start, finish : (n_tasks, R) start and finish time of every task
        """
        if factors is not None and np.ndim(factors) != 1:
            raise ScenarioError("trace takes one row of factors", field="factors",
                                value=f"shape {np.shape(factors)}")
        F, S, acts, T = self._forward(draws, factors, keep=True)
        # F_p <= S_j <= F_j <= T always, so "tied" is a one-sided test
        tol = TIE_RTOL * T
        n = len(self._tasks)
        crit = np.empty((n, T.shape[0]), dtype=bool)
        low = T - tol
        for j in range(n):
            np.greater_equal(F[j], low, out=crit[j])
        buf = np.empty_like(T)
        for j in reversed(self._order):
            if not self._preds[j] or not crit[j].any():
                continue
            np.subtract(S[j], tol, out=buf)
            for p in self._preds[j]:
                crit[p] |= crit[j] & (F[p] >= buf)
        unit_crit = np.zeros((len(self._units), T.shape[0]), dtype=bool)
        for j in range(n):
            if self._is_any[j]:
                np.add(F[j], tol, out=buf)
            else:
                np.subtract(F[j], tol, out=buf)
            for a in range(self._ptr[j], self._ptr[j + 1]):
                if self._ptr[j + 1] - self._ptr[j] == 1:
                    decides = crit[j]
                elif self._is_any[j]:
                    decides = crit[j] & (acts[a] <= buf)
                else:
                    decides = crit[j] & (acts[a] >= buf)
                unit_crit[self._a_unit[a]] |= decides
        start = np.stack([S[j] for j in range(n)])
        finish = np.stack([F[j] for j in range(n)])
        return T, crit, unit_crit, start, finish

    def damages_at(self, draws: np.ndarray, factors: np.ndarray, damage=None,
                   budget: int = 1 << 18) -> np.ndarray:
        """``f(T)`` for every row of ``factors`` ``(B, n_actions)`` and every run of
        ``draws``: ``(B, R)``, evaluated in blocks of at most ``budget`` run-rows so
        that memory stays small. ``damage`` defaults to the process's curve; with
        neither, ``f(T) = T`` (hours)."""
        f = self._damage if damage is None else as_damage(damage)
        fac = np.atleast_2d(np.asarray(factors, dtype=float))
        R = draws.shape[1]
        out = np.empty((fac.shape[0], R))
        rstep = max(1, min(R, budget))
        bstep = max(1, budget // rstep)
        for r0 in range(0, R, rstep):
            d = draws[:, r0:r0 + rstep]
            for b0 in range(0, fac.shape[0], bstep):
                T = self.completion_times(d, fac[b0:b0 + bstep])
                out[b0:b0 + bstep, r0:r0 + rstep] = T if f is None else \
                    np.asarray(f(T), dtype=float)
        return out

    def longest_path(self, coordination=None) -> float:
        """Completion time when every delay equals its mean (deterministic PERT)."""
        return float(self.completion_times(self._means[:, None], self.factors(coordination))[0])

    def expected_damage(self, coordination, runs: int = 10_000, seed=0) -> np.ndarray:
        """Mean damage ``E[f(T)]`` at each row of coordination degrees.

        ``coordination``: ``(m, n_units)`` array (or one row). The same draws
        (common random numbers, ``runs`` of them from ``seed``) serve every
        row, so differences between rows are not blurred by sampling noise and
        the answer is a deterministic function of the degrees.
        """
        if self._damage is None:
            raise ScenarioError("the process has no damage curve", field="damage", value=None,
                                fix="give damage={hours: [...], damage: [...]} or a callable")
        g = np.atleast_2d(self.coordination_vector(np.asarray(coordination, dtype=float)))
        draws = self._cached_draws(runs, seed)
        uniq, inv = np.unique(g, axis=0, return_inverse=True)
        out = self.damages_at(draws, self.factors(uniq)).mean(axis=1)
        return out[np.ravel(inv)]

    def _cached_draws(self, runs: int, seed) -> np.ndarray:
        cache = self.__dict__.setdefault("_draw_cache", {})
        key = (int(runs), seed if isinstance(seed, int) else id(seed))
        if key not in cache:
            cache[key] = self.draw(np.random.default_rng(seed), int(runs))
        return cache[key]


def _rows(tasks, src) -> list:
    try:
        import pandas as pd

        if isinstance(tasks, pd.DataFrame):
            df = tasks.reset_index() if "task" not in tasks.columns else tasks
            return [{k: v for k, v in r.items() if k in TASK_KEYS and not _blank(v)}
                    for r in df.to_dict(orient="records")]
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if isinstance(tasks, (str, bytes)) or not isinstance(tasks, Sequence):
        raise ScenarioError("must be a DataFrame or a list of task tables", field="tasks",
                            value=tasks, source=src)
    return list(tasks)


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _owner_delays(spec, owners, field, src) -> tuple[DelaySpec, ...]:
    if isinstance(spec, Mapping) and "dist" not in spec:
        unknown = set(spec) - set(owners)
        if unknown:
            raise ScenarioError(f"delay given for a unit that does not own this task; owners "
                                f"are {list(owners)}", field=field, value=sorted(unknown)[0],
                                source=src)
        missing = [o for o in owners if o not in spec]
        if missing:
            raise ScenarioError("every owner needs a delay (or give one spec for all)",
                                field=f"{field}.{missing[0]}", source=src, show_value=False)
        return tuple(DelaySpec.parse(spec[o], f"{field}.{o}", src) for o in owners)
    if isinstance(spec, str) and not spec.strip():
        raise ScenarioError("is missing", field=field, source=src, show_value=False)
    d = DelaySpec.parse(spec, field, src)
    return tuple(d for _ in owners)


def _topological_order(tasks: Sequence[Task], src) -> tuple[int, ...]:
    index = {t.name: j for j, t in enumerate(tasks)}
    indeg = [len(t.after) for t in tasks]
    succ: list[list[int]] = [[] for _ in tasks]
    for j, t in enumerate(tasks):
        for a in t.after:
            succ[index[a]].append(j)
    ready = [j for j in range(len(tasks)) if indeg[j] == 0]
    order: list[int] = []
    while ready:
        ready.sort()
        j = ready.pop(0)
        order.append(j)
        for s in succ[j]:
            indeg[s] -= 1
            if indeg[s] == 0:
                ready.append(s)
    if len(order) < len(tasks):
        left = {j for j in range(len(tasks)) if j not in set(order)}
        cycle = _find_cycle(tasks, left, index)
        raise ScenarioError("precedence must be a DAG; it has the cycle "
                            + " -> ".join(cycle), field="tasks.after",
                            value=cycle[0], source=src)
    return tuple(order)


def _find_cycle(tasks, left, index) -> list[str]:
    start = min(left)
    path, seen = [start], {start: 0}
    j = start
    while True:
        nxt = next(index[a] for a in tasks[j].after if index[a] in left)
        if nxt in seen:
            cyc = path[seen[nxt]:] + [nxt]
            return [tasks[k].name for k in reversed(cyc)]
        seen[nxt] = len(path)
        path.append(nxt)
        j = nxt
