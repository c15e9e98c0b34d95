"""The engine's ledger: money and counts per run and player, aggregates per round.

Each round is booked once (:meth:`Ledger.book`). Under a continuation
probability some runs of a chunk have ended: a mask of the runs still going
(``alive``) restricts every entry; with a fixed horizon there is no mask and
the same entries are booked unmasked. At the end :meth:`Ledger.result`
turns the counts into money (fines, rewards, transfers, peer sanctions) and
the per-round aggregates into an :class:`EngineResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._engine_config import EngineSpec

__all__ = ["EngineResult", "Ledger", "Recovery", "RoundFacts"]


@dataclass
class EngineResult:
    runs: int
    rounds: int
    n: int
    lengths: np.ndarray
    scores: np.ndarray
    stage_totals: np.ndarray
    coop_counts: np.ndarray
    coop_by_round: np.ndarray
    stage_by_round: np.ndarray
    alive_by_round: np.ndarray
    fines_by_round: np.ndarray
    rewards_by_round: np.ndarray
    transfers_by_round: np.ndarray
    fines_paid: np.ndarray          # (n,) total over runs
    rewards_received: np.ndarray    # (n,)
    transfers_received: np.ndarray  # (n,)
    peer_net: np.ndarray            # (n,) total over runs
    window_share: np.ndarray        # (R,) cooperation share in the final window
    window: int
    recovery: np.ndarray | None
    history: np.ndarray | None
    notes: list = field(default_factory=list)


@dataclass
class RoundFacts:
    """What happened in one round of a chunk (the inputs of the ledger)."""

    actual: np.ndarray                 # (m, n) actual actions
    idx: np.ndarray | None             # (m,) profile index (with a payoff table)
    pay: np.ndarray | None             # (m, n) stage payoffs
    total: np.ndarray | None           # (m,) cooperators
    flag: np.ndarray | None = None     # flagged by an audit
    rewarded: np.ndarray | None = None
    reports: np.ndarray | None = None  # peers who saw each player cooperate
    verified: np.ndarray | None = None  # transfer paid this round


class Recovery:
    """Rounds for cooperation to come back to its pre-shock level, per run of a chunk."""

    def __init__(self, shock, m: int, n: int):
        self.round, self.length, _ = shock
        self.n = n
        self.pre = np.zeros(m)
        self.done = np.zeros(m, dtype=bool)
        self.rec = np.full(m, np.nan)

    def observe(self, t: int, total: np.ndarray, alive: np.ndarray | None) -> None:
        share = total / self.n
        end = self.round + self.length
        if t == self.round - 1:
            self.pre = share.astype(float)
        elif t >= end:
            hit = ~self.done & (share >= self.pre - 1e-12)
            if alive is not None:
                hit &= alive
            self.rec[hit] = t - end
            self.done |= hit

    def finish(self, L: np.ndarray) -> np.ndarray:
        """inf: not recovered within the run; NaN: not applicable (the run ended before
        the shock was over, or nobody cooperated before it)."""
        applicable = (L > self.round + self.length) & (self.pre > 0)
        rec = np.where(applicable & ~self.done, np.inf, self.rec)
        return np.where(applicable, rec, np.nan)


class Ledger:
    """Accumulators of one engine call (see the module docstring)."""

    def __init__(self, spec: EngineSpec):
        self.spec = spec
        R, T, n = spec.runs, spec.rounds, spec.n
        counts = lambda on: np.zeros((R, n), dtype=np.int32) if on else None  # noqa: E731
        self.scores_stage = np.zeros((R, n))
        self.coop_counts = np.zeros((R, n), dtype=np.int32)
        self.flag_counts = counts(spec.vertical)
        self.reward_counts = counts(spec.rewards)
        self.paid_counts = counts(spec.has_transfers and not spec.audit_paid)
        self.peer_money = np.zeros((R, n)) if spec.peer_fine > 0 else None
        self.prof_counts = np.zeros((T, 2 ** n), dtype=np.int64) if spec.use_counts else None
        self.coop_by_round = np.zeros((T, n), dtype=np.int64)
        self.stage_by_round = np.zeros((T, n))
        self.alive_by_round = np.zeros(T, dtype=np.int64)
        self.fines_by_round = np.zeros(T)
        self.rewards_by_round = np.zeros(T)
        self.transfers_by_round = np.zeros(T)
        self.win_coop = np.zeros(R, dtype=np.int64)
        self.history = np.zeros((R, T, n), dtype=bool) if spec.keep_history else None
        self.recovery = np.full(R, np.nan) if spec.shock is not None else None

    # ------------------------------------------------------------------ one round
    def book(self, t: int, r0: int, r1: int, f: RoundFacts, alive, L) -> None:
        """Book round ``t`` of runs ``r0..r1-1``; ``alive`` (m,) masks the runs still going
        (None: all of them)."""
        sp, rows = self.spec, slice(r0, r1)
        live = None if alive is None else alive[:, None]
        n_alive = r1 - r0 if alive is None else int(alive.sum())
        actual = f.actual if live is None else f.actual & live
        if live is None:
            self.scores_stage[rows] += f.pay
        else:
            np.add(self.scores_stage[rows], f.pay, out=self.scores_stage[rows], where=live)
        if not sp.stats:
            self.coop_counts[rows] += actual
        self._book_money(t, rows, f, live, n_alive)
        if sp.stats:
            self._book_round_stats(t, rows, f, actual, alive, live, L)
        self.alive_by_round[t] += n_alive
        if self.history is not None:
            self.history[rows, t] = actual
        if self.peer_money is not None:
            self._book_peer_sanctions(rows, f.reports, live)

    def _book_money(self, t, rows, f: RoundFacts, live, n_alive) -> None:
        sp = self.spec
        if f.flag is not None:
            flag = f.flag if live is None else f.flag & live
            self.flag_counts[rows] += flag
            fsum = flag.sum(0)
            self.fines_by_round[t] += sp.fine * float(fsum.sum())
            if sp.audit_paid:
                self.transfers_by_round[t] += float((n_alive - fsum) @ sp.tvec)
        if f.rewarded is not None:
            rewarded = f.rewarded if live is None else f.rewarded & live
            self.reward_counts[rows] += rewarded
            self.rewards_by_round[t] += sp.reward * np.count_nonzero(rewarded)
        if f.verified is not None:
            verified = f.verified if live is None else f.verified & live
            self.paid_counts[rows] += verified
            self.transfers_by_round[t] += float(verified.sum(0) @ sp.tvec)

    def _book_round_stats(self, t, rows, f: RoundFacts, actual, alive, live, L) -> None:
        sp = self.spec
        if sp.use_counts:
            idx = f.idx if alive is None else f.idx[alive]
            self.prof_counts[t] += np.bincount(idx, minlength=2 ** sp.n)
        else:
            self.coop_by_round[t] += actual.sum(0)
            pay = f.pay if live is None else np.where(live, f.pay, 0.0)
            self.stage_by_round[t] += pay.sum(0)
        W = sp.window
        if alive is None:
            if t >= sp.rounds - W:
                self.win_coop[rows] += f.total
        else:
            self.win_coop[rows] += np.where(alive & (t >= L - W), f.total, 0)

    def _book_peer_sanctions(self, rows, reports, live) -> None:
        """Peer fines: each player pays ``peer_fine`` times the share of peers who saw it
        defect; the pot is shared among the others."""
        n, fine = self.spec.n, self.spec.peer_fine
        paid = fine * ((n - 1) - reports) / (n - 1)
        pot = paid.sum(1, keepdims=True)
        net = (pot - paid) / (n - 1) - paid
        if live is not None:
            net = np.where(live, net, 0.0)
        self.peer_money[rows] += net

    # ------------------------------------------------------------------ chunk and end
    def book_profiles(self, r0: int, r1: int, idx_hist: np.ndarray) -> None:
        """Lean mode (tournaments): totals of a chunk from its recorded profile indices."""
        self.scores_stage[r0:r1] = self.spec.table[idx_hist].sum(axis=0)
        self.coop_counts[r0:r1] = self.spec.bits[idx_hist].sum(axis=0)

    def result(self) -> EngineResult:
        sp = self.spec
        n, T = sp.n, sp.rounds
        coop_by_round, stage_by_round = self.coop_by_round, self.stage_by_round
        if sp.use_counts:
            coop_by_round = self.prof_counts @ sp.bits.astype(np.int64)
            stage_by_round = self.prof_counts.astype(float) @ sp.table
        played = np.minimum(sp.lengths, T)
        win_len = np.minimum(played, sp.window) * n
        window_share = self.win_coop / np.maximum(win_len, 1)
        money, flows = self._money(played)
        return EngineResult(sp.runs, T, n, played, money, self.scores_stage, self.coop_counts,
                            coop_by_round, stage_by_round, self.alive_by_round,
                            self.fines_by_round, self.rewards_by_round,
                            self.transfers_by_round, *flows, window_share, sp.window,
                            self.recovery, self.history, list(sp.notes))

    def _money(self, played):
        """Total money per run and player, and the flows by player summed over runs."""
        sp = self.spec
        money = self.scores_stage.copy()
        fines_paid, rewards, transfers, peer_net = (np.zeros(sp.n) for _ in range(4))
        if self.flag_counts is not None:
            money -= sp.fine * self.flag_counts
            fines_paid = sp.fine * self.flag_counts.sum(0, dtype=np.int64).astype(float)
        if self.reward_counts is not None:
            money += sp.reward * self.reward_counts
            rewards = sp.reward * self.reward_counts.sum(0, dtype=np.int64).astype(float)
        if sp.audit_paid:      # paid in every round played except those flagged
            paid = played[:, None] - self.flag_counts
            money += paid * sp.tvec
            transfers = paid.sum(0, dtype=np.int64) * sp.tvec
        elif self.paid_counts is not None:
            money += self.paid_counts * sp.tvec
            transfers = self.paid_counts.sum(0, dtype=np.int64) * sp.tvec
        if self.peer_money is not None:
            money += self.peer_money
            peer_net = self.peer_money.sum(0)
        return money, (fines_paid, rewards, transfers, peer_net)
