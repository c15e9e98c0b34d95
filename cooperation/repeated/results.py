"""The result of :func:`cooperation.repeated.simulate`: headline numbers and their tables.

Every name in :meth:`SimulationResult.summary` is an attribute of the result
(``res.summary()["welfare_per_round"] == res.welfare_per_round``), so what the
command line prints can be read back in Python under the same name.

Rates over runs of random length (a continuation probability ``delta``) are
taken over the rounds each run played: the cooperation rate is

    sum over runs r, rounds t < L_r, players i of [i cooperated]  /  (n * sum_r L_r)

with ``L_r`` the length of run ``r``; a round that no run reached adds
nothing to either sum (it is not a NaN in the total).

A value that cannot be established is NaN (or inf for "never"), and
:meth:`SimulationResult.explanations` says why in one sentence each, so a
NaN is never shown without its reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._numeric import DUST
from .._result import ResultMixin
from . import _plotting

__all__ = ["SimulationResult", "DETERRED_MEANING"]

#: what the ``deterred`` column means (shown beside it by the command line)
DETERRED_MEANING = (
    "deterred = monitoring and transfers alone make one defection "
    "unprofitable (incentive >= temptation); False does not mean defection: "
    "reciprocal strategies (tft, grim, trust...) can sustain cooperation "
    "without it"
)


@dataclass(frozen=True, repr=False)
class SimulationResult(ResultMixin):
    """Outcome of :func:`~cooperation.repeated.simulate` (see the module docstrings).

    Attributes
    ----------
    players, strategies : tuple of str
    cooperated : bool ndarray (runs, rounds, n) or None
        Actual actions; None when not kept (``history=False`` or too large).
    scores : ndarray (runs, n)
        Total payoff per run and jurisdiction, money of the mechanisms included.
    lengths : ndarray (runs,)
        Rounds played in each run.
    cooperation_by_round, payoff_by_round : ndarray (rounds, n)
        Share cooperating and mean stage payoff among the runs still going
        (NaN in a round that no run reached).
    alive_by_round : ndarray (rounds,)
        Runs still going in each round.
    fines_by_round, rewards_by_round, transfers_by_round : ndarray (rounds,)
        Mean per run (all jurisdictions together).
    fines_paid, rewards_received, transfers_received, peer_net : ndarray (n,)
        Mean per run and jurisdiction.
    collapsed : bool ndarray (runs,)
    recovery : ndarray (runs,) or None
        Rounds to recover after the shock (inf: not within the run; NaN: not
        applicable, e.g. no cooperation before the shock).
    welfare : float
        Mean welfare (sum of stage payoffs) per round played; also
        ``welfare_per_round``.
    welfare_share, welfare_ratio : float
        ``(W - W_D) / (W_opt - W_D)`` and ``W / W_opt`` (the latter only when
        ``W_opt > 0``).
    temptation, incentive : ndarray (n,)
        One-shot gain from defecting at all-cooperate, and the expected money
        advantage of complying under the monitoring regime.
    """

    players: tuple
    strategies: tuple
    rounds: int
    runs: int
    unit: str
    cooperated: np.ndarray | None
    scores: np.ndarray
    lengths: np.ndarray
    cooperation_by_round: np.ndarray
    payoff_by_round: np.ndarray
    alive_by_round: np.ndarray
    fines_by_round: np.ndarray
    rewards_by_round: np.ndarray
    transfers_by_round: np.ndarray
    fines_paid: np.ndarray
    rewards_received: np.ndarray
    transfers_received: np.ndarray
    peer_net: np.ndarray
    fund: float
    collapsed: np.ndarray
    collapse_level: float
    window: int
    recovery: np.ndarray | None
    welfare: float
    optimum_welfare: float
    defect_welfare: float
    welfare_share: float
    welfare_ratio: float
    temptation: np.ndarray
    incentive: np.ndarray
    settings: dict = field(default_factory=dict)
    notes: tuple = ()

    # ------------------------------------------------------------------ scalars
    @property
    def n_players(self) -> int:
        return len(self.players)

    def _cooperators_by_round(self) -> np.ndarray:
        """``(rounds, n)`` expected cooperators summed over the runs still going (0 where
        no run reached the round)."""
        alive = self.alive_by_round[:, None]
        return np.where(alive > 0, self.cooperation_by_round * alive, 0.0)

    @property
    def cooperation_rate(self) -> float:
        """Share of cooperative actions over the rounds each run played (module notes)."""
        played = self.alive_by_round.sum() * self.n_players
        return float(self._cooperators_by_round().sum() / max(played, 1))

    @property
    def mean_length(self) -> float:
        """Mean number of rounds played per run."""
        return float(self.lengths.mean())

    @property
    def final_cooperation(self) -> float:
        """Cooperation share in the last round of the horizon, among the runs that reached
        it (NaN when none did: see :meth:`explanations`)."""
        if not self.alive_by_round[-1]:
            return math.nan
        return float(self.cooperation_by_round[-1].mean())

    @property
    def collapse_share(self) -> float:
        """Share of runs in which cooperation collapses."""
        return float(self.collapsed.mean())

    @property
    def fines_collected(self) -> float:
        """Mean fines per run (all jurisdictions); also ``fines_per_run``."""
        return float(self.fines_paid.sum())

    @property
    def fines_per_run(self) -> float:
        """Mean fines per run (all jurisdictions)."""
        return self.fines_collected

    @property
    def fund_per_run(self) -> float:
        """Mean part of the fines per run that feeds the crisis fund."""
        return float(self.fund)

    @property
    def rewards_per_run(self) -> float:
        """Mean rewards per run paid by the higher level (all jurisdictions)."""
        return float(self.rewards_received.sum())

    @property
    def transfers_per_run(self) -> float:
        """Mean net transfers received per run (all jurisdictions; 0 when they balance)."""
        return float(self.transfers_received.sum())

    @property
    def welfare_per_round(self) -> float:
        """Mean welfare per round played (the attribute ``welfare``)."""
        return float(self.welfare)

    @property
    def mean_total_payoff(self) -> float:
        """Mean over runs of the sum over jurisdictions of the total payoff."""
        return float(self.scores.sum(axis=1).mean())

    @property
    def deterred(self) -> np.ndarray:
        """Whether monitoring deters each jurisdiction's one-shot temptation:
        ``incentive >= temptation`` (``q a F >= gain`` with audits only), up to
        rounding dust relative to the larger of the two (unit-free). See
        :data:`DETERRED_MEANING`."""
        tol = DUST * np.maximum(np.abs(self.temptation), np.abs(self.incentive))
        return self.incentive >= self.temptation - tol

    @property
    def mean_scores(self) -> pd.Series:
        return pd.Series(
            self.scores.mean(axis=0), index=pd.Index(self.players, name="jurisdiction")
        )

    # ------------------------------------------------------------------ recovery
    def _shocked(self) -> np.ndarray:
        if self.recovery is None:
            return np.empty(0)
        return self.recovery[~np.isnan(self.recovery)]

    @property
    def shocked_runs(self) -> int:
        """Runs in which recovery is measured (they lasted beyond the shock and had
        cooperation before it)."""
        return int(self._shocked().size)

    @property
    def recovered_share(self) -> float:
        """Share of the shocked runs that recovered within the run (NaN: none shocked)."""
        rec = self._shocked()
        return float(np.isfinite(rec).mean()) if rec.size else math.nan

    @property
    def recovery_median(self) -> float:
        """Median rounds to recover over the shocked runs (inf: more than half never
        recovered; NaN: none shocked)."""
        rec = self._shocked()
        return float(np.median(rec)) if rec.size else math.nan

    def recovery_summary(self) -> dict:
        """Median rounds to recover, share of runs that recovered, runs concerned."""
        return {
            "recovery_median": self.recovery_median,
            "recovered_share": self.recovered_share,
            "shocked_runs": self.shocked_runs,
        }

    # ------------------------------------------------------------------ summary
    #: the names of :meth:`summary`, in order; each is an attribute of the result
    SUMMARY = (
        "runs",
        "rounds",
        "mean_length",
        "cooperation_rate",
        "final_cooperation",
        "collapse_share",
        "fines_per_run",
        "fund_per_run",
        "rewards_per_run",
        "transfers_per_run",
        "welfare_per_round",
        "welfare_share",
        "welfare_ratio",
        "recovery_median",
        "recovered_share",
        "shocked_runs",
    )

    def summary(self) -> pd.Series:
        """The headline numbers as a Series; each name is an attribute of the result."""
        return pd.Series({k: getattr(self, k) for k in self.SUMMARY}, name="value")

    def explanations(self) -> dict:
        """``{name: sentence}`` for every summary value that is NaN or infinite, saying why
        (a value that could be computed needs no sentence)."""
        why = {}
        if math.isnan(self.final_cooperation):
            why["final_cooperation"] = (
                f"no run reached round {self.rounds} (runs end at random; mean length "
                f"{self.mean_length:.4g} rounds)"
            )
        if math.isnan(self.welfare_share):
            why["welfare_share"] = (
                "the optimum and all-defect have the same welfare: there "
                "is no cooperation gain to share"
            )
        if math.isnan(self.welfare_ratio):
            why["welfare_ratio"] = (
                f"defined only when the optimum's welfare is > 0 (here "
                f"{self.optimum_welfare:.4g}"
                + (": payoffs are net costs" if self.optimum_welfare < 0 else "")
                + "); compare welfare_share"
            )
        rec = self.recovery_median
        if self.recovery is None:
            why["recovery_median"] = "no shock was simulated (give a shock to measure it)"
            why["recovered_share"] = why["recovery_median"]
        elif math.isnan(rec):
            why["recovery_median"] = (
                "no run lasted beyond the shock with cooperation before "
                "it, so recovery could not be measured"
            )
            why["recovered_share"] = why["recovery_median"]
        elif math.isinf(rec):
            why["recovery_median"] = (
                f"inf: more than half of the {self.shocked_runs} shocked runs never recovered "
                f"within the run (recovered_share {self.recovered_share:.4g})"
            )
        return why

    def _summary(self):
        s = self.summary()
        return [
            ("players", list(self.players)[:8]),
            ("strategies", list(self.strategies)[:8]),
            ("runs x rounds", f"{self.runs} x {self.rounds}"),
            ("cooperation rate", round(s["cooperation_rate"], 4)),
            ("collapse share", round(s["collapse_share"], 4)),
            ("welfare share", round(s["welfare_share"], 4)),
            ("fines per run", round(s["fines_per_run"], 6)),
            ("recovery (median rounds)", s["recovery_median"]),
            ("notes", "; ".join(self.notes) or "-"),
        ]

    # ------------------------------------------------------------------ tables
    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per (round, jurisdiction): cooperation share, mean stage payoff,
        runs still going."""
        T, n = self.cooperation_by_round.shape
        return pd.DataFrame(
            {
                "round": np.repeat(np.arange(T), n),
                "jurisdiction": np.tile(np.array(self.players, dtype=object), T),
                "strategy": np.tile(np.array(self.strategies, dtype=object), T),
                "cooperation": self.cooperation_by_round.ravel(),
                "payoff": self.payoff_by_round.ravel(),
                "alive_runs": np.repeat(self.alive_by_round, n),
            }
        )

    def by_round(self) -> pd.DataFrame:
        """One row per round: cooperation (all jurisdictions), welfare, money per run."""
        alive = np.maximum(self.alive_by_round, 1)
        return pd.DataFrame(
            {
                "cooperation": self.cooperation_by_round.mean(axis=1),
                "welfare": self.payoff_by_round.sum(axis=1),
                "alive_runs": self.alive_by_round,
                "fines": self.fines_by_round * self.runs / alive,
                "rewards": self.rewards_by_round * self.runs / alive,
                "transfers": self.transfers_by_round * self.runs / alive,
            },
            index=pd.RangeIndex(len(self.alive_by_round), name="round"),
        )

    def by_jurisdiction(self) -> pd.DataFrame:
        """One row per jurisdiction: strategy, mean and sd of the total payoff,
        cooperation rate (over the rounds played), money flows per run, temptation vs
        incentive and whether monitoring alone deters (:data:`DETERRED_MEANING`)."""
        played = self.alive_by_round.sum()
        coop = self._cooperators_by_round().sum(0) / max(played, 1)
        return pd.DataFrame(
            {
                "strategy": list(self.strategies),
                "score_mean": self.scores.mean(axis=0),
                "score_sd": self.scores.std(axis=0),
                "cooperation": coop,
                "fines_paid": self.fines_paid,
                "rewards": self.rewards_received,
                "transfers": self.transfers_received,
                "peer_sanctions_net": self.peer_net,
                "temptation": self.temptation,
                "incentive": self.incentive,
                "deterred": self.deterred,
            },
            index=pd.Index(self.players, name="jurisdiction"),
        )

    def plot(self, ax=None, **kwargs):
        """Cooperation rate by round; returns ``(fig, ax)``.

        Draws with :func:`cooperation.report.repeated.plot_cooperation`, which the
        report layer registers when it is imported (this module never imports it).
        """
        return _plotting.plot("simulation", self, ax=ax, **kwargs)
