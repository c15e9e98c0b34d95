"""The vectorised engine: many independent runs of a repeated game as arrays.

One Python loop runs over rounds; runs and players are array axes. Runs are
processed in chunks to bound memory; each chunk reads its random numbers by
address from counter-based streams (see ``_rng``), so results are identical
bit for bit whatever the chunk size.

The engine is three pieces:

* the configuration (``_engine_config``): :func:`run_engine` turns its
  options once into a frozen ``EngineSpec`` (compiled machines, thresholds of
  the random events, what the strategies declared they need);
* the steps of one round (``_round``): decide, execute, stage payoffs,
  audit, observe, verify, transition;
* the ledger (``_ledger``): each round booked once, under a mask of the runs
  still going when runs have random lengths.
"""

from __future__ import annotations

import numpy as np

from . import _rng
from . import _round as rnd
from ._engine_config import (  # noqa: F401  (re-exported for tests and callers)
    MATRIX_MAX_PLAYERS,
    PROFILE_COUNT_MAX,
    TARGET_CHUNK_ELEMENTS,
    EngineSpec,
    _compile,
    build_spec,
    default_chunk,
)
from ._ledger import EngineResult, Ledger, RoundFacts
from ._round import _lt
from .mechanisms import Monitoring, Noise
from .stage import BinaryStage, profile_index
from .strategies import Strategy

__all__ = ["EngineResult", "run_engine", "default_chunk", "match_path"]


def run_engine(stage: BinaryStage, strategies: list[Strategy], assign: np.ndarray, *,
               runs: int, rounds: int, noise: Noise, monitoring: Monitoring | None,
               transfers: np.ndarray | None, continuation: float | None, seed,
               incentive: np.ndarray, shock=None, chunk: int | None = None,
               keep_history: bool = False, window: int | None = None,
               progress=False, stats: bool = True) -> EngineResult:
    """Run ``runs`` independent repeated games (see the module docstring).

    ``assign``: ``(n,)`` strategy index per player, or ``(runs, n)`` per run.
    ``shock``: ``(round, length, mask (n,) bool)`` or None.
    ``stats=False`` skips the per-round aggregates and the collapse window
    (tournaments need only totals).
    """
    streams = _rng.Streams(seed)
    spec = build_spec(stage, strategies, assign, streams, runs=runs, rounds=rounds,
                      noise=noise, monitoring=monitoring, transfers=transfers,
                      continuation=continuation, incentive=incentive, shock=shock,
                      chunk=chunk, keep_history=keep_history, window=window, stats=stats)
    ledger = Ledger(spec)
    bar = _progress_bar(progress, spec.runs)
    for r0 in range(0, spec.runs, spec.chunk):
        r1 = min(spec.runs, r0 + spec.chunk)
        _play_chunk(spec, ledger, rnd.Chunk(spec, streams, r0, r1))
        if bar is not None:
            bar.update(r1 - r0)
    if bar is not None and not hasattr(progress, "update"):
        bar.close()
    return ledger.result()


def _progress_bar(progress, total: int):
    """None, the caller's bar (anything with ``update``), or a new tqdm bar."""
    if not progress:
        return None
    if hasattr(progress, "update"):
        return progress
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="run", desc="simulate", leave=False)


def _play_chunk(spec: EngineSpec, ledger: Ledger, ch: rnd.Chunk) -> None:
    """Every round of one chunk of runs: the steps of ``_round``, booked once each."""
    for t in range(ch.horizon(spec)):
        alive = (ch.L > t) if spec.continuation is not None else None
        intended = rnd.decide(spec, ch, t)
        actual = rnd.execute(spec, ch, t, intended)
        if spec.lean:
            ch.idx_hist[t] = profile_index(actual)
            idx = pay = total = None
        else:
            idx, pay, total = rnd.stage_payoffs(spec, actual)
        flag, rewarded = rnd.audit(spec, ch, t, actual)
        count, partners, reports = rnd.observe(spec, ch, t, actual, total)
        if not spec.lean:
            verified = rnd.verify(spec, actual, flag, reports)
            ledger.book(t, ch.r0, ch.r1, RoundFacts(actual, idx, pay, total, flag, rewarded,
                                                    reports, verified), alive, ch.L)
        if ch.recovery is not None:
            ch.recovery.observe(t, total, alive)
        rnd.transition(spec, ch, actual, count, partners, idx)
    if spec.lean:   # totals from the recorded profiles, once per chunk
        ledger.book_profiles(ch.r0, ch.r1, ch.idx_hist)
    if ch.recovery is not None:
        ledger.recovery[ch.r0:ch.r1] = ch.recovery.finish(ch.L)


def match_path(stage: BinaryStage, strategies: list[Strategy], assign: np.ndarray, turns: int,
               noise: Noise, seed, max_cells: int = 50_000_000):
    """One run of two finite-state strategies, vectorised over rounds.

    Gives exactly the actions of :func:`run_engine` for run 0 (the same
    addressed random numbers and rules) but draws all rounds' numbers at once
    (:meth:`Streams.words_over_rounds`) and tabulates, for every round and every
    joint machine state, the next joint state; only the walk through that table
    is a Python loop. Returns the ``(turns, 2)`` actual actions, or None when the
    strategies are not finite-state or the table would be too large.
    """
    if stage.n != 2 or not all(s.is_finite_state for s in strategies):
        return None
    zero = np.zeros(2)
    out_g, nxt_g, start_g, k_g, lut, spans = _compile(strategies, assign, stage, zero)
    cid = lut[assign, np.arange(2)]
    (o1, n1), (o2, n2) = spans[cid[0]], spans[cid[1]]
    Z = n1 * n2
    if Z * turns > max_cells:
        return None
    nxt = nxt_g.reshape(-1, 2, 2)
    s1 = np.arange(Z) // n2 + o1          # global states of each joint state
    s2 = np.arange(Z) % n2 + o2
    streams = _rng.Streams(seed)
    T = np.arange(turns)
    if np.any((out_g > 0) & (out_g < 1)):
        u = streams.words_over_rounds(T, _rng.S_STRATEGY, 0, 2) * _rng.INV32
        i1, i2 = u[:, :1] < out_g[s1], u[:, 1:] < out_g[s2]
    else:
        i1 = np.broadcast_to(out_g[s1] >= 0.5, (turns, Z))
        i2 = np.broadcast_to(out_g[s2] >= 0.5, (turns, Z))
    pc, pd = noise.flip_probabilities()
    tc, td = _rng.bernoulli_threshold(pc), _rng.bernoulli_threshold(pd)
    a1, a2 = i1, i2
    if tc or td:
        w = streams.words_over_rounds(T, _rng.S_NOISE, 0, 2)
        if tc == td:
            f1, f2 = _lt(w[:, :1], tc), _lt(w[:, 1:], tc)
        else:
            f1 = np.where(i1, _lt(w[:, :1], tc), _lt(w[:, :1], td))
            f2 = np.where(i2, _lt(w[:, 1:], tc), _lt(w[:, 1:], td))
        a1, a2 = i1 ^ f1, i2 ^ f2
    seen1, seen2 = a2, a1                  # what player 1 (2) sees of the other
    if noise.observation > 0:
        w = streams.words_over_rounds(T, _rng.S_OBSERVE, 0, 4)
        thr = _rng.bernoulli_threshold(noise.observation)
        seen1, seen2 = a2 ^ _lt(w[:, 1:2], thr), a1 ^ _lt(w[:, 2:3], thr)
    k1, k2 = k_g[cid]
    ok1 = seen1 if k1 == 1 else np.broadcast_to(k1 <= seen1.astype(int), seen1.shape)
    ok2 = seen2 if k2 == 1 else np.broadcast_to(k2 <= seen2.astype(int), seen2.shape)
    ns1 = nxt[s1, a1.astype(np.intp), ok1.astype(np.intp)] - o1
    ns2 = nxt[s2, a2.astype(np.intp), ok2.astype(np.intp)] - o2
    table = (ns1 * n2 + ns2).ravel().tolist()
    code = (a1.astype(np.int8) + 2 * a2.astype(np.int8)).ravel()
    z = int((start_g[cid[0]] - o1) * n2 + (start_g[cid[1]] - o2))
    path = [0] * turns
    base = 0
    for t in range(turns):              # the walk through the tabulated transitions
        path[t] = base + z
        z = table[base + z]
        base += Z
    c = code[np.asarray(path)]
    return np.column_stack([(c & 1).astype(bool), (c & 2).astype(bool)])
