"""Monte Carlo of a response process: completion time, damage, bottlenecks.

Each run draws every owner's delay, pushes start and finish times through the
DAG in topological order (numpy arrays of shape ``(runs,)``; see
:mod:`cooperation.response.process` for the recursion) and records:

* the completion time ``T`` and the damage ``f(T)``;
* which tasks lie on a longest (critical) path: a task's *criticality index*
  is the share of runs in which it does (Van Slyke 1963; Dodin and
  Elmaghraby 1985). Every tied longest path counts, so with fixed or
  empirical delays indices of parallel tasks may sum to more than 1;
* which units decide a critical task (the last owner of an ``all`` join, the
  first of an ``any`` join): a unit's criticality.

Bottleneck scores of unit ``u`` (on the first ``detail_runs`` runs, with the
same delays in every variant, so differences are sharp):

* ``marginal_damage``: the fall in expected damage per hour less of the
  unit's mean delay (the sum of its delays over its tasks, ``m_u``),
  ``(E[f(T)] - E[f(T_h)]) / (h m_u)`` where ``T_h`` has every delay of ``u``
  shrunk by the share ``h = 1e-3`` and ``m_u`` is averaged over the same runs:
  a one-sided (falling) derivative, so a unit tied with a parallel one gets 0,
  as shortening it alone saves nothing;
* ``damage_if_instant``: expected damage if ``u`` alone acted at once;
* ``delay_cost``: its coordination delay cost (协同延迟成本), the Shapley
  value of the delay-reduction game (:mod:`cooperation.response.attribution`).

Without a damage curve the damage is the completion time itself (hours).

References
----------
Van Slyke, R. M. (1963). Monte Carlo methods and the PERT problem.
*Operations Research* 11, 839-860.
Dodin, B. M. and Elmaghraby, S. E. (1985). Approximating the criticality
indices of the activities in PERT networks. *Management Science* 31, 207-223.
Shapley, L. S. (1953). A value for n-person games.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._random import seed_sequence
from .._result import ResultMixin
from ..errors import InputError
from .attribution import (
    DelayAttribution,
    ExactDelayGame,
    choose_method,
    default_runs,
    sampled_delay_cost,
)
from .process import ResponseProcess, as_damage

__all__ = ["ResponseResult", "simulate_response", "DEADLINE_HOURS", "CHUNK"]

CHUNK = 1 << 15          # runs per chunk; fixed, so results never depend on memory
STEP = 1e-3              # relative shrink of a unit's delays for marginal_damage
DETAIL_RUNS = 100_000    # default runs for the bottleneck scores
DEADLINE_HOURS = 48.0    # the seed paper's 48-hour cross-province dispatch
MAX_RUNS = 50_000_000    # runs kept in memory (completion times and damages), checked first


def _child(ss: np.random.SeedSequence, *key: int) -> np.random.SeedSequence:
    return np.random.SeedSequence(ss.entropy, spawn_key=tuple(ss.spawn_key) + key)


@dataclass(frozen=True, repr=False)
class ResponseResult(ResultMixin):
    """What :func:`simulate_response` found.

    Attributes
    ----------
    completion_times : (runs,) ndarray
        Hours until the last task is done, per run.
    damages : (runs,) ndarray or None
        ``f(T)`` per run when a damage curve was given (or the process has one).
    criticality : Series
        Task -> share of runs in which it lies on a critical path.
    bottlenecks : DataFrame
        Indexed by unit: ``criticality`` (share of runs in which the unit
        decides a critical task), ``mean_delay`` (hours), ``marginal_damage``
        and its ``marginal_damage_se``, ``damage_if_instant``, ``delay_cost``,
        ``delay_cost_se`` and ``delay_cost_share``.
    schedule : DataFrame
        Per task: owners, join, mean start, mean finish, criticality (for a
        Gantt chart).
    attribution : DelayAttribution
    runs, seed, detail_runs : simulation settings
    coordination : Series
        Coordination degree of each unit in this simulation.
    damage_unit : str
        ``"money"`` or ``"hours"`` (no damage curve: costs are hours of delay).
    notes : tuple of str
    """

    completion_times: np.ndarray
    damages: np.ndarray | None
    criticality: pd.Series
    bottlenecks: pd.DataFrame
    schedule: pd.DataFrame
    attribution: DelayAttribution
    runs: int
    seed: object
    detail_runs: int
    coordination: pd.Series
    damage_unit: str
    process_name: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def mean_time(self) -> float:
        return float(self.completion_times.mean())

    def quantile(self, q):
        """Quantile(s) of the completion time (hours)."""
        out = np.quantile(self.completion_times, q)
        return float(out) if np.ndim(out) == 0 else out

    def p_within(self, hours: float = DEADLINE_HOURS) -> float:
        """Probability that the response is complete within ``hours``."""
        return float(np.mean(self.completion_times <= hours))

    @property
    def mean_damage(self) -> float | None:
        return None if self.damages is None else float(self.damages.mean())

    @property
    def delay_cost_total(self) -> float:
        """Expected damage less the damage with every unit instant (on the runs of
        the attribution); the units' delay costs sum to it."""
        return self.attribution.total

    def time_summary(self) -> pd.Series:
        qs = self.quantile([0.5, 0.9, 0.95])
        return pd.Series({"mean": self.mean_time, "median": qs[0], "q90": qs[1], "q95": qs[2],
                          f"p_within_{DEADLINE_HOURS:g}h": self.p_within()},
                         name="completion time (hours)")

    def review_table(self) -> pd.DataFrame:
        """The performance-review table: units ranked by coordination delay cost,
        with its standard error, share, criticality and marginal damage."""
        df = self.bottlenecks[["delay_cost", "delay_cost_se", "delay_cost_share",
                               "criticality", "marginal_damage", "damage_if_instant"]]
        df = df.sort_values("delay_cost", ascending=False, kind="stable")
        df.insert(0, "rank", np.arange(1, len(df) + 1))
        return df

    def _summary(self):
        s = [("runs", self.runs), ("mean completion (h)", f"{self.mean_time:.4g}"),
             ("q95 completion (h)", f"{self.quantile(0.95):.4g}"),
             (f"P(done within {DEADLINE_HOURS:g} h)", f"{self.p_within():.4g}")]
        if self.damages is not None:
            s.append(("mean damage", f"{self.mean_damage:.6g}"))
        s.append((f"delay cost ({self.damage_unit})", f"{self.delay_cost_total:.6g}"))
        top = self.criticality.idxmax()
        s.append(("most critical task", f"{top} ({self.criticality[top]:.3f})"))
        bt = self.bottlenecks["delay_cost"].idxmax()
        s.append(("largest delay cost", f"{bt}"))
        return s

    def to_frame(self) -> pd.DataFrame:
        """The bottleneck table (one row per unit)."""
        return self.bottlenecks.copy()

    def plot(self, kind: str = "gantt", **kw):
        """``"gantt"``: mean schedule with critical tasks; ``"tornado"``: bottleneck
        scores. Returns ``(fig, ax)`` (see :mod:`cooperation.response.plot`)."""
        from . import plot as _plot

        if kind == "gantt":
            return _plot.gantt(self, **kw)
        if kind == "tornado":
            return _plot.tornado(self, **kw)
        raise InputError('must be "gantt" or "tornado"', field="kind", value=kind)


def simulate_response(process: ResponseProcess, runs: int = 100_000, seed=0, damage=None, *,
                      coordination=None, attribution: str = "auto",
                      attribution_runs: int | None = None, permutations: int = 2048,
                      detail_runs: int | None = None) -> ResponseResult:
    """Vectorised Monte Carlo of a response process.

    Parameters
    ----------
    process : ResponseProcess
    runs : int >= 2
    seed : int, SeedSequence or Generator
        Reproducible bit for bit; ``seed=0`` is a seed. Runs are drawn in
        fixed chunks of 32768, each from its own child seed.
    damage : table, DamageCurve or callable, optional
        Damage against completion hours; default: the process's curve. With
        neither, costs are in hours (``f(T) = T``) and ``damages`` is None.
    coordination : number, mapping unit -> degree or array, optional
        Units' coordination degrees in [0, 1] (default 0): a delay with
        ``speedup`` s is multiplied by ``1 - s * g``.
    attribution : {"auto", "exact", "sampled"}
        Delay-cost attribution: exact Shapley over all ``2**U`` coalitions
        (``auto`` up to 12 units; ``exact`` takes up to 20), or sampled
        orderings beyond.
    attribution_runs : int, optional
        Runs the delay-reduction game is estimated on (the first ones).
        Default: all runs up to a budget of about 8 million process
        evaluations (``2**23 / 2**U`` runs for the exact method).
    permutations : int
        Orderings for the sampled method, in all.
    detail_runs : int, optional
        Runs used for ``marginal_damage`` and ``damage_if_instant`` (default:
        up to 100,000).

    Returns
    -------
    ResponseResult

    Notes
    -----
    Completion ``T = max_j F_j`` with ``F_j`` the max (``all``) or min
    (``any``) over owners of ``S_j + X_{j,u} (1 - s_{j,u} g_u)`` and ``S_j``
    the max of the predecessors' finish times. With deterministic delays ``T``
    is the longest path; two parallel exponential owners with an ``all`` join
    give ``E[T] = 1/l1 + 1/l2 - 1/(l1 + l2)``, with ``any`` ``1/(l1 + l2)``.

    References
    ----------
    Van Slyke (1963); Dodin and Elmaghraby (1985); Shapley (1953).

    Examples
    --------
    >>> import cooperation as co
    >>> proc = co.ResponseProcess([
    ...     {"task": "warning", "owners": ["Meteorology"], "delay": {"dist": "fixed", "hours": 6}},
    ...     {"task": "metro stop", "owners": ["Transport", "Emergency", "Publicity"],
    ...      "after": ["warning"], "join": "all", "delay": {"dist": "exponential", "mean": 4}}],
    ...     damage={"hours": [0, 72], "damage": [0, 72]})
    >>> res = co.simulate_response(proc, runs=20_000, seed=0)
    >>> round(res.mean_time, 1)                          # 6 + 4 (1 + 1/2 + 1/3)
    13.3
    >>> bool(abs(res.bottlenecks["delay_cost"].sum() - res.delay_cost_total) < 1e-9)
    True
    """
    if not isinstance(process, ResponseProcess):
        raise InputError("must be a ResponseProcess", field="process",
                         value=type(process).__name__)
    ss = seed_sequence(seed)
    curve = as_damage(damage) if damage is not None else process.damage
    units, U = process.units, len(process.units)
    g = process.coordination_vector(coordination)
    factor = process.factors(g)
    method = choose_method(U, attribution)
    runs, a_runs, d_runs = _run_counts(U, method, runs, permutations, attribution_runs,
                                       detail_runs)
    acc = _Tally.start(process, factor, curve, runs, d_runs)
    game = ExactDelayGame(process, factor, curve, a_runs) if method == "exact" else None
    kept: list[np.ndarray] = []
    for c, r0 in enumerate(range(0, runs, CHUNK)):
        m = min(CHUNK, runs - r0)
        draws = process.draw(_child(ss, c), m)
        base = acc.add(process, draws, r0)
        if game is not None:
            game.add(draws, base)
        elif r0 < a_runs:
            kept.append(draws[:, :min(m, a_runs - r0)])
    if game is not None:
        attr = game.result()
    else:
        dr = np.concatenate(kept, axis=1)
        base_a = process.damages_at(dr, factor[None, :], curve)[0]
        attr = sampled_delay_cost(process, dr, factor, base_a, curve, int(permutations),
                                  _child(ss, 1 << 31))
    idx_u = pd.Index(units, name="unit")
    crit_s = pd.Series(acc.crit_count / runs, index=pd.Index(process.task_names, name="task"),
                       name="criticality")
    notes = []
    if curve is None:
        notes.append("no damage curve: damages are hours of completion time")
    if a_runs < runs:
        notes.append(f"delay costs estimated on the first {a_runs} runs ({attr.method})")
    if d_runs < runs:
        notes.append(f"marginal damage and damage if instant on the first {d_runs} runs")
    return ResponseResult(
        completion_times=acc.T_all, damages=acc.D_all, criticality=crit_s,
        bottlenecks=acc.bottlenecks(process.unit_mean_delay(g), attr, idx_u),
        schedule=acc.schedule(process, crit_s), attribution=attr, runs=runs, seed=seed,
        detail_runs=d_runs, coordination=pd.Series(g, index=idx_u, name="coordination"),
        damage_unit="money" if curve is not None else "hours", process_name=process.name,
        notes=tuple(notes))


def _run_counts(U, method, runs, permutations, attribution_runs, detail_runs):
    """``(runs, attribution runs, detail runs)`` checked against each other."""
    if isinstance(runs, bool) or int(runs) != runs or runs < 2:
        raise InputError("needs an integer >= 2", field="runs", value=runs)
    runs = int(runs)
    if runs > MAX_RUNS:
        raise InputError(f"at most {MAX_RUNS:,} runs (each run's completion time and damage "
                         f"are kept: 16 bytes a run, {MAX_RUNS * 16 / 1e9:.1f} GB)",
                         field="runs", value=runs,
                         fix="the standard error of P(within) falls as 1/sqrt(runs): 1e6 runs "
                             "give +-0.0005")
    if isinstance(permutations, bool) or int(permutations) != permutations or permutations < 2:
        raise InputError("needs an integer >= 2", field="permutations", value=permutations)
    if attribution_runs is None:
        a_runs = default_runs(U, method, runs, int(permutations))
    else:
        if int(attribution_runs) != attribution_runs or not 1 <= attribution_runs <= runs:
            raise InputError(f"needs an integer in [1, runs = {runs}]", field="attribution_runs",
                             value=attribution_runs)
        a_runs = int(attribution_runs)
    if method == "sampled":
        a_runs = min(a_runs, 1 << 16)          # held in memory
    if detail_runs is None:
        d_runs = min(runs, DETAIL_RUNS)
    else:
        if int(detail_runs) != detail_runs or not 1 <= detail_runs <= runs:
            raise InputError(f"needs an integer in [1, runs = {runs}]", field="detail_runs",
                             value=detail_runs)
        d_runs = int(detail_runs)
    return runs, a_runs, d_runs


@dataclass
class _Tally:
    """Running sums over the chunks of runs: completion times, damages, criticality,
    mean start and finish per task, and the damage differences of the unit variants
    (each unit a little faster, each unit instant) on the first ``d_runs`` runs."""

    factor: np.ndarray
    curve: object
    d_runs: int
    variants: np.ndarray
    T_all: np.ndarray
    D_all: np.ndarray | None
    crit_count: np.ndarray
    unit_count: np.ndarray
    start_sum: np.ndarray
    finish_sum: np.ndarray
    diff_sum: np.ndarray
    diff_sq: np.ndarray
    delay_sum: np.ndarray

    @classmethod
    def start(cls, process, factor, curve, runs: int, d_runs: int) -> _Tally:
        U, n_tasks = len(process.units), len(process.task_names)
        # variants for the bottleneck scores: shrink each unit a little, zero each unit
        unit_of = process._a_unit
        shrink = np.tile(factor, (U, 1))
        zero = np.tile(factor, (U, 1))
        for u in range(U):
            shrink[u, unit_of == u] *= 1.0 - STEP
            zero[u, unit_of == u] = 0.0
        return cls(factor, curve, d_runs, np.vstack([shrink, zero]), np.empty(runs),
                   np.empty(runs) if curve is not None else None, np.zeros(n_tasks),
                   np.zeros(U), np.zeros(n_tasks), np.zeros(n_tasks), np.zeros(2 * U),
                   np.zeros(2 * U), np.zeros(U))

    def add(self, process, draws: np.ndarray, r0: int) -> np.ndarray:
        """Book one chunk of runs starting at run ``r0``; returns its damages."""
        m = draws.shape[1]
        T, crit, ucrit, start, finish = process.trace(draws, self.factor)
        self.T_all[r0:r0 + m] = T
        base = np.asarray(self.curve(T), dtype=float) if self.curve is not None else T
        if self.D_all is not None:
            self.D_all[r0:r0 + m] = base
        self.crit_count += crit.sum(axis=1)
        self.unit_count += ucrit.sum(axis=1)
        self.start_sum += start.sum(axis=1)
        self.finish_sum += finish.sum(axis=1)
        take = min(m, self.d_runs - r0)
        if take > 0:
            Dv = process.damages_at(draws[:, :take], self.variants, self.curve)
            diff = base[None, :take] - Dv
            self.diff_sum += diff.sum(axis=1)
            self.diff_sq += (diff ** 2).sum(axis=1)
            self.delay_sum += np.bincount(
                process._a_unit, weights=(draws[:, :take] * self.factor[:, None]).sum(axis=1),
                minlength=len(self.delay_sum))
        return base

    def bottlenecks(self, mean_delay, attr, idx_u) -> pd.DataFrame:
        """Per unit: criticality, marginal damage, damage if instant, delay cost (with SEs)."""
        U, d, runs = len(idx_u), self.d_runs, len(self.T_all)
        mean_diff = self.diff_sum / d
        var = np.maximum(self.diff_sq / d - mean_diff ** 2, 0.0) * d / max(1, d - 1)
        se_diff = np.sqrt(var / d)
        with np.errstate(divide="ignore", invalid="ignore"):
            denom = STEP * self.delay_sum / d       # the fall of the unit's mean delay
            marginal = np.where(denom > 0, mean_diff[:U] / denom, np.nan)
            marginal_se = np.where(denom > 0, se_diff[:U] / denom, np.nan)
        overall = float((self.D_all if self.D_all is not None else self.T_all).mean())
        total = attr.total
        return pd.DataFrame({
            "criticality": self.unit_count / runs,
            "mean_delay": mean_delay,
            "marginal_damage": marginal,
            "marginal_damage_se": marginal_se,
            "damage_if_instant": overall - mean_diff[U:],
            "damage_if_instant_se": se_diff[U:],
            "delay_cost": attr.values.to_numpy(),
            "delay_cost_se": attr.standard_error.to_numpy(),
            "delay_cost_share": (attr.values.to_numpy() / total) if total != 0
            else np.full(U, np.nan),
        }, index=idx_u)

    def schedule(self, process, crit_s: pd.Series) -> pd.DataFrame:
        """Per task in topological order: owners, join, mean start and finish, criticality."""
        runs = len(self.T_all)
        return pd.DataFrame({
            "owners": ["; ".join(t.owners) for t in process.tasks],
            "join": [t.join for t in process.tasks],
            "mean_start": self.start_sum / runs,
            "mean_finish": self.finish_sum / runs,
            "criticality": crit_s.to_numpy(),
        }, index=crit_s.index).iloc[list(process.order)]
