"""The engine's configuration: everything a simulation fixes before its first round.

:func:`build_spec` turns the caller's options (stage, strategies, noise,
monitoring, transfers, continuation, shock, ...) into one frozen
:class:`EngineSpec`: the compiled finite-state tables, the 32-bit thresholds
of every random event, which optional observations the strategies need
(read from their declared metadata), the run lengths and the chunk size.
The round loop (``_round``) and the ledger (``_ledger``) only read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from . import _rng
from .mechanisms import Monitoring, Noise
from .stage import BinaryStage
from .strategies import FSM, SlotContext, Strategy

__all__ = ["EngineSpec", "Machines", "build_spec", "default_chunk"]

MATRIX_MAX_PLAYERS = 64          # pairwise observation matrices up to this n
PROFILE_COUNT_MAX = 10           # per-round profile histograms up to this n
TARGET_CHUNK_ELEMENTS = 1 << 16  # slots (runs x players [x players]) per chunk
LEAN_MAX_CELLS = 1 << 24         # recorded profile indices (rounds x runs) per chunk


def default_chunk(n: int, pairwise: bool) -> int:
    per_run = n * (n if pairwise else 1)
    return max(16, TARGET_CHUNK_ELEMENTS // per_run)


def _compile(strategies, assign, stage: BinaryStage, incentive):
    """Global finite-state tables and a lookup (strategy, seat) -> machine id.

    One machine per finite-state strategy; a strategy that declares
    ``seat_dependent`` (Generous TFT with the default generosity, which reads
    the seat's R, S, T, P) gets one machine per seat that plays it.
    Returns ``(out, nxt, starts, ks, lut, spans)``.
    """
    n = stage.n
    used = np.zeros((len(strategies), n), dtype=bool)
    used[assign, np.arange(n)] = True              # assign: (n,) or (runs, n)
    outs = [np.array([0.0])]                       # machine 0: placeholder for array strategies
    nxts = [np.zeros((1, 2, 2), np.int32)]
    starts, ks, spans = [0], [0], [(0, 1)]
    lut = np.zeros((len(strategies), n), dtype=np.int32)
    offset = 1
    for k, s in enumerate(strategies):
        if not s.is_finite_state or not used[k].any():
            continue
        seats = np.flatnonzero(used[k]) if s.seat_dependent else \
            [int(np.flatnonzero(used[k])[0])]
        for j in seats:
            ctx = SlotContext((1,), np.array([j]), n, stage.players, stage, incentive)
            fsm: FSM = s.fsm(ctx)
            outs.append(np.asarray(fsm.out, float))
            nxts.append(np.asarray(fsm.nxt, np.int32) + offset)
            starts.append(offset + fsm.start)
            ks.append(fsm.k)
            spans.append((offset, len(fsm.out)))
            if s.seat_dependent:
                lut[k, j] = len(starts) - 1
            else:
                lut[k, :] = len(starts) - 1
            offset += len(fsm.out)
    out = np.concatenate(outs)
    nxt = np.concatenate(nxts).reshape(-1)         # index: state * 4 + own * 2 + ok
    return out, nxt, np.array(starts, np.int32), np.array(ks, np.int32), lut, spans


@dataclass(frozen=True)
class Machines:
    """All finite-state strategies of a simulation as one table (see :func:`_compile`)."""

    out: np.ndarray          # P(cooperate) of each global state
    outb: np.ndarray         # out >= 0.5 (deterministic machines)
    nxt: np.ndarray          # next state at index state * 4 + own * 2 + ok
    start: np.ndarray        # start state of each machine
    k: np.ndarray            # threshold of ok of each machine
    lut: np.ndarray          # (strategy, seat) -> machine
    stochastic: bool         # some state cooperates with a probability in (0, 1)

    @classmethod
    def compile(cls, strategies, assign, stage, incentive) -> Machines:
        out, nxt, start, k, lut, _ = _compile(strategies, assign, stage, incentive)
        return cls(out, out >= 0.5, nxt, start, k, lut, bool(np.any((out > 0) & (out < 1))))


@dataclass(frozen=True)
class EngineSpec:
    """What one call of the engine plays, fixed before the first round."""

    stage: BinaryStage
    strategies: tuple
    assign: np.ndarray       # (n,) or (runs, n) strategy index per seat
    per_run: bool
    n: int
    runs: int
    rounds: int
    incentive: np.ndarray
    machines: Machines
    custom: tuple            # indices of the array strategies that are played
    need_partners: bool      # some array strategy keeps per-partner scores
    need_gain: bool          # some array strategy reads the one-shot gain
    need_u: bool             # uniforms of the strategy stream are drawn
    # observation and execution noise
    eps: float
    thr_eps: int
    matrix_mode: bool        # pairwise observation matrices (else binomial counts)
    thr_c: int
    thr_d: int
    count_is_ok: bool        # two players, exact observation, k = 1: ok is the other's action
    # monitoring and money
    vertical: bool
    thr_qa: int
    thr_qfa: int
    thr_q: int
    fine: float
    reward: float
    rewards: bool            # rewards are paid (vertical and reward > 0)
    peer_fine: float
    verify: str
    tvec: np.ndarray | None  # per-round transfers, None when there are none
    need_reports: bool
    audit_paid: bool         # transfers paid unless flagged by an audit
    # stage payoffs
    table: np.ndarray | None
    use_counts: bool         # per-round profile histograms instead of per-round sums
    bits: np.ndarray | None
    popcnt: np.ndarray | None
    allc_index: int
    gtab: np.ndarray | None
    temptation: np.ndarray | None
    # horizon and output
    continuation: float | None
    lengths: np.ndarray
    window: int
    shock: tuple | None      # (round, length, mask (n,) bool)
    chunk: int
    lean: bool               # tournaments: only totals, from recorded profile indices
    keep_history: bool
    stats: bool
    notes: tuple

    @property
    def has_transfers(self) -> bool:
        return self.tvec is not None


def _strategy_needs(strategies, assign, machines):
    custom = tuple(k for k, s in enumerate(strategies) if not s.is_finite_state
                   and (np.any(assign == k)))
    arrays = [strategies[k] for k in custom]
    return dict(custom=custom, need_partners=any(s.partnerwise for s in arrays),
                need_gain=any(s.needs_gain for s in arrays),
                need_u=machines.stochastic or any(s.stochastic for s in arrays))


def _noise_fields(n, noise: Noise, monitoring, need_partners, notes):
    eps = noise.observation
    if monitoring is not None and monitoring.peer_error is not None:
        if eps and eps != monitoring.peer_error:
            raise InputError("observation error is given twice with different values "
                             f"(Noise.observation = {eps})", field="Monitoring.peer_error",
                             value=monitoring.peer_error, fix="give it in one place")
        eps = monitoring.peer_error
    matrix_mode = eps > 0 and (n <= MATRIX_MAX_PLAYERS or need_partners)
    if eps > 0 and not matrix_mode:
        notes.append(f"n = {n} > {MATRIX_MAX_PLAYERS}: observation errors drawn as binomial "
                     "counts per observer and per observed player (exact margins)")
    pc, pd = noise.flip_probabilities()
    return dict(eps=eps, thr_eps=_rng.bernoulli_threshold(eps), matrix_mode=matrix_mode,
                thr_c=_rng.bernoulli_threshold(pc), thr_d=_rng.bernoulli_threshold(pd))


def _money_fields(n, mon: Monitoring | None, transfers):
    vertical = mon is not None and mon.audit_prob > 0
    thr = dict(thr_qa=0, thr_qfa=0, thr_q=0, fine=0.0, reward=0.0)
    if vertical:
        q, a, fa = mon.audit_prob, mon.accuracy, mon.false_alarm
        thr = dict(thr_qa=_rng.bernoulli_threshold(q * a),
                   thr_qfa=_rng.bernoulli_threshold(q * fa),
                   thr_q=_rng.bernoulli_threshold(q), fine=mon.fine, reward=mon.reward)
    peer_fine = mon.peer_fine if mon is not None else 0.0
    verify = mon.verification if mon is not None else "exact"
    has_transfers = transfers is not None and np.any(transfers != 0)
    return dict(vertical=vertical, rewards=vertical and thr["reward"] > 0, peer_fine=peer_fine,
                verify=verify, tvec=np.asarray(transfers, float) if has_transfers else None,
                need_reports=n > 1 and (peer_fine > 0 or (has_transfers and verify == "peers")),
                audit_paid=has_transfers and verify == "audit" and vertical, **thr)


def _stage_fields(stage: BinaryStage, need_gain, notes):
    n, table = stage.n, stage.table
    out = dict(table=table, use_counts=table is not None and n <= PROFILE_COUNT_MAX,
               bits=None, popcnt=None, allc_index=2 ** n - 1, gtab=None, temptation=None)
    if table is not None:
        bits = ((np.arange(2 ** n)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
        out.update(bits=bits, popcnt=bits.sum(1).astype(np.int32))
    if need_gain:
        out["gtab"] = stage.gain_table()
        if out["gtab"] is None:
            out["temptation"] = stage.temptation()
            notes.append(f"n = {n} > 16: the opportunist's gain is taken at all-cooperate")
    return out


def _lengths(streams, R, T, continuation, notes) -> np.ndarray:
    """Rounds of each run: ``P(L > t) = delta**t`` capped at the horizon, or the horizon."""
    if continuation is None:
        return np.full(R, T, dtype=np.int64)
    u = (streams.once(_rng.S_LENGTH, 0, R, 1)[:, 0] + 0.5) * _rng.INV32
    if continuation <= 0:
        lengths = np.ones(R, dtype=np.int64)
    else:
        lengths = 1 + np.floor(np.log(u) / np.log(continuation)).astype(np.int64)
    truncated = int(np.count_nonzero(lengths > T))
    if truncated:
        notes.append(f"{truncated} of {R} runs reached the horizon of {T} rounds and were "
                     "truncated there")
    return np.minimum(lengths, T)


def build_spec(stage: BinaryStage, strategies: list[Strategy], assign: np.ndarray, streams, *,
               runs: int, rounds: int, noise: Noise, monitoring: Monitoring | None,
               transfers, continuation, incentive, shock, chunk, keep_history, window,
               stats) -> EngineSpec:
    """The :class:`EngineSpec` of one call of :func:`~cooperation.repeated.engine.run_engine`."""
    n = stage.n
    R, T = int(runs), int(rounds)
    notes: list[str] = []
    machines = Machines.compile(strategies, assign, stage, incentive)
    needs = _strategy_needs(strategies, assign, machines)
    noise_f = _noise_fields(n, noise, monitoring, needs["need_partners"], notes)
    money = _money_fields(n, monitoring, transfers)
    stage_f = _stage_fields(stage, needs["need_gain"], notes)
    lengths = _lengths(streams, R, T, continuation, notes)
    W = int(window) if window is not None else max(1, T // 10)
    W = max(1, min(W, T))
    chunk = default_chunk(n, noise_f["matrix_mode"]) if chunk is None else chunk
    chunk = max(1, int(chunk))
    count_is_ok = (n == 2 and noise_f["eps"] == 0 and not needs["custom"]
                   and bool(np.all(machines.k[1:] == 1)))
    lean = (not stats and count_is_ok and stage_f["table"] is not None and monitoring is None
            and continuation is None and shock is None and not keep_history
            and chunk * T <= LEAN_MAX_CELLS)
    return EngineSpec(
        stage=stage, strategies=tuple(strategies), assign=assign, per_run=assign.ndim == 2,
        n=n, runs=R, rounds=T, incentive=incentive, machines=machines, **needs, **noise_f,
        count_is_ok=count_is_ok, **money, **stage_f, continuation=continuation,
        lengths=lengths, window=W, shock=shock, chunk=chunk, lean=lean,
        keep_history=keep_history, stats=stats, notes=tuple(notes))
