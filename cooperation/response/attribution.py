"""Coordination delay cost (协同延迟成本): a fair split of the delay damage among units.

The delay-reduction game. The expected damage with every unit acting at its
own pace is ``E[f(T)]``; with every unit instant it is ``f(0)``. The value of
a coalition ``S`` of units is the expected damage it removes by acting at
once (its delays set to 0) while the others keep theirs::

    v(S) = E[f(T(X))] - E[f(T(X with the delays of S set to 0))],   v(N) = E[f(T)] - f(0)

A unit's coordination delay cost is its Shapley value ``phi_u(v)``: its
average marginal contribution to removing the delay damage, over all orders
in which units could have become instant (Shapley 1953). The costs sum to
``v(N)``, the total delay cost, whatever the joins: with a joint sign-off
(``all``) no unit alone removes the wait, and the value of acting together is
split symmetrically among the signatories.

``v`` is estimated on ``R`` simulated runs with common random numbers (the
same delays in every coalition). The runs are split into ``K`` equal batches;
each batch gives a game ``v_b`` and its Shapley value ``phi_b``; the reported
cost is their mean (equal to the Shapley value of the mean game, by
linearity) and its standard error is ``sd_b(phi_b) / sqrt(K)``, which covers
the sampling of runs and, in the sampled method, of orderings as well.

* ``exact``: every coalition (``2**U`` of them) is evaluated and
  :func:`cooperation.shapley` is exact for the estimated game;
* ``sampled``: :func:`cooperation.shapley_sample` draws random orderings
  (Castro, Gomez and Tejada 2009), ``permutations / K`` per batch.

References
----------
Shapley, L. S. (1953). A value for n-person games. *Contributions to the
Theory of Games II*, 307-317.
Castro, J., Gomez, D. and Tejada, J. (2009). Polynomial calculation of the
Shapley value based on sampling. *Computers & OR* 36, 1726-1730.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._random import seed_sequence
from .._result import ResultMixin
from ..coalitions import TUGame, shapley, shapley_sample
from ..coalitions._bits import member_matrix
from ..errors import InputError

__all__ = ["DelayAttribution", "ExactDelayGame", "attribute_delay_cost", "sampled_delay_cost",
           "EXACT_MAX_UNITS", "AUTO_EXACT_UNITS", "BATCHES"]

EXACT_MAX_UNITS = 20        # 2**20 coalitions: the most that exact enumeration takes
AUTO_EXACT_UNITS = 12       # method="auto" enumerates up to here, samples beyond
EXACT_BUDGET = 1 << 21      # coalition-runs evaluated by default by the exact method
SAMPLED_BUDGET = 1 << 21    # ordering-coalition-runs by default by the sampled method
BATCHES = 16


@dataclass(frozen=True, repr=False)
class DelayAttribution(ResultMixin):
    """Shapley attribution of the delay cost to units.

    Attributes
    ----------
    values : Series
        Coordination delay cost of each unit (money, or hours without a
        damage curve); sums to ``total``.
    standard_error : Series
        Standard error of each value (batch means over runs, and orderings for
        the sampled method); NaN with fewer than two batches.
    total : float
        ``v(N) = E[f(T)] - f(0)`` on the same runs.
    method : {"exact", "sampled"}
    runs : int
        Runs the game was estimated on.
    batches : int
    permutations : int or None
        Orderings drawn in all (sampled method).
    """

    values: pd.Series
    standard_error: pd.Series
    total: float
    method: str
    runs: int
    batches: int
    permutations: int | None

    def _summary(self):
        return [("method", self.method), ("runs", self.runs),
                ("total delay cost", f"{self.total:.6g}"),
                ("largest", f"{self.values.idxmax()} ({self.values.max():.6g})")]

    def to_frame(self) -> pd.DataFrame:
        share = self.values / self.total if self.total != 0 else self.values * np.nan
        return pd.DataFrame({"delay_cost": self.values, "standard_error": self.standard_error,
                             "share": share})


def _batches(runs: int, batches: int) -> tuple[int, int]:
    """``(K, R)``: batch count and runs used (a multiple of K)."""
    K = max(1, min(int(batches), int(runs)))
    return K, (int(runs) // K) * K


def choose_method(n_units: int, method: str) -> str:
    if method not in ("auto", "exact", "sampled"):
        raise InputError('must be "auto", "exact" or "sampled"', field="attribution",
                         value=method)
    if method == "auto":
        return "exact" if n_units <= AUTO_EXACT_UNITS else "sampled"
    if method == "exact" and n_units > EXACT_MAX_UNITS:
        raise InputError(f"exact attribution enumerates 2**{n_units} coalitions; at most "
                         f"{EXACT_MAX_UNITS} units", field="attribution", value=method,
                         fix='use attribution="sampled"')
    return method


def default_runs(n_units: int, method: str, runs: int, permutations: int) -> int:
    if method == "exact":
        want = EXACT_BUDGET >> n_units
    else:
        want = SAMPLED_BUDGET * BATCHES // max(1, permutations * (n_units + 1))
    return int(min(runs, max(BATCHES * 4, want)))


class ExactDelayGame:
    """Accumulates the batch games ``v_b(S)`` over chunks of runs (exact method)."""

    def __init__(self, process, factor: np.ndarray, damage, runs: int,
                 batches: int = BATCHES):
        self.process = process
        self.damage = damage
        self.U = len(process.units)
        self.K, self.R = _batches(runs, batches)
        self.size = self.R // self.K
        masks = np.arange(1 << self.U)
        member = member_matrix(masks, self.U)                       # (2**U, U)
        keep = 1.0 - member[:, process._a_unit]                     # (2**U, A)
        self.factors = keep * factor[None, :]
        self.table = np.zeros((1 << self.U, self.K))                # sum over runs of savings
        self.base = np.zeros(self.K)                                # sum of f(T)
        self.seen = 0

    def add(self, draws: np.ndarray, base_damage: np.ndarray) -> None:
        """Add the runs of one chunk (only those still below ``R`` are used)."""
        take = min(draws.shape[1], self.R - self.seen)
        if take <= 0:
            return
        d = draws[:, :take]
        base = base_damage[:take]
        D = self.process.damages_at(d, self.factors, self.damage)        # (2**U, take)
        saving = base[None, :] - D
        batch = (self.seen + np.arange(take)) // self.size
        starts = np.flatnonzero(np.r_[True, batch[1:] != batch[:-1]])
        ids = batch[starts]
        self.table[:, ids] += np.add.reduceat(saving, starts, axis=1)
        self.base[ids] += np.add.reduceat(base, starts)
        self.seen += take

    def result(self) -> DelayAttribution:
        units = self.process.units
        phis = []
        vals = self.table / self.size
        for b in range(self.K):
            v = vals[:, b].copy()
            v[0] = 0.0
            phis.append(shapley(TUGame(v, players=units)).to_numpy())
        return _combine(np.array(phis), units, float(vals[-1].mean()), "exact", self.R, self.K,
                        None)


def sampled_delay_cost(process, draws: np.ndarray, factor: np.ndarray, base_damage: np.ndarray,
                       damage, permutations: int, seed, batches: int = BATCHES
                       ) -> DelayAttribution:
    """Sampled-orderings attribution on the runs of ``draws`` (all in memory)."""
    units = process.units
    U = len(units)
    K, R = _batches(draws.shape[1], batches)
    size = R // K
    per = max(2, int(permutations) // K)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    phis, totals = [], []
    for b in range(K):
        d = draws[:, b * size:(b + 1) * size]
        base = float(base_damage[b * size:(b + 1) * size].mean())

        def v(M, d=d, base=base):
            keep = 1.0 - np.asarray(M, dtype=float)[:, process._a_unit]
            D = process.damages_at(d, keep * factor[None, :], damage).mean(axis=1)
            out = base - D
            out[~np.asarray(M).any(axis=1)] = 0.0
            return out

        est = shapley_sample(v, per, seed=np.random.SeedSequence(ss.entropy,
                                                                 spawn_key=ss.spawn_key + (b,)),
                             players=units)
        phis.append(est.values.to_numpy())
        full = np.ones((1, U), dtype=bool)
        totals.append(float(v(full)[0]))
    return _combine(np.array(phis), units, float(np.mean(totals)), "sampled", R, K, per * K)


def _combine(phis: np.ndarray, units, total: float, method: str, runs: int, K: int,
             perms) -> DelayAttribution:
    idx = pd.Index(units, name="unit")
    mean = phis.mean(axis=0)
    se = phis.std(axis=0, ddof=1) / np.sqrt(K) if K >= 2 else np.full(len(units), np.nan)
    return DelayAttribution(pd.Series(mean, index=idx, name="delay_cost"),
                            pd.Series(se, index=idx, name="standard_error"), total, method,
                            runs, K, perms)


def attribute_delay_cost(process, runs: int = 10_000, seed=0, damage=None, *,
                         coordination=None, method: str = "auto",
                         permutations: int = 2048) -> DelayAttribution:
    """The coordination delay cost of each unit on its own (without the rest of
    :func:`simulate_response`).

    Parameters
    ----------
    process : ResponseProcess
    runs : int
        Runs the delay-reduction game is estimated on.
    seed : int, SeedSequence or Generator
    damage : curve or callable, optional
        Default: the process's curve; with neither, the cost is in hours
        (``f(T) = T``).
    coordination : optional
        Coordination degrees of the units (see ``ResponseProcess.factors``).
    method : {"auto", "exact", "sampled"}
        ``auto``: exact up to 12 units, sampled beyond.
    permutations : int
        Orderings in all (sampled method).

    Examples
    --------
    >>> import cooperation as co
    >>> from cooperation.response import attribute_delay_cost
    >>> proc = co.ResponseProcess([
    ...     {"task": "sign-off", "owners": ["A", "B"], "join": "all",
    ...      "delay": {"A": {"dist": "fixed", "hours": 1}, "B": {"dist": "fixed", "hours": 3}}}])
    >>> attribute_delay_cost(proc, runs=16).values.tolist()     # hours; v(A)=0, v(B)=2, v(AB)=3
    [0.5, 2.5]
    """
    if int(runs) != runs or runs < 1:
        raise InputError("needs an integer >= 1", field="runs", value=runs)
    meth = choose_method(len(process.units), method)
    ss = seed_sequence(seed)
    rng = np.random.default_rng(ss)
    draws = process.draw(rng, int(runs))
    factor = process.factors(coordination)
    base = process.damages_at(draws, factor[None, :], damage)[0]
    if meth == "exact":
        game = ExactDelayGame(process, factor, damage, int(runs))
        game.add(draws, base)
        return game.result()
    return sampled_delay_cost(process, draws, factor, base, damage, permutations,
                              np.random.SeedSequence(ss.entropy, spawn_key=ss.spawn_key + (1,)))
