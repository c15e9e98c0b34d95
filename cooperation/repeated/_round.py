"""The steps of one round of the engine, for every run of a chunk at once.

1. :func:`decide`: every strategy's intended action (finite-state strategies
   by one table lookup for all of them; array strategies by one call each);
2. :func:`execute`: execution noise flips intended actions; a shock forces
   the shocked players to defect;
3. :func:`stage_payoffs`: payoffs of the C/D profile (a table lookup for n <= 16);
4. :func:`audit`: one uniform per jurisdiction decides audit, detection
   (``w < q a`` for a defector, ``w < q false_alarm`` for a cooperator) and
   reward (``w < q`` and not flagged);
5. :func:`observe`: peers observe each other (with error ``eps``); what they
   see feeds the strategies of the next round, peer fines and peer verification;
6. :func:`verify`: which transfers are paid this round;
7. :func:`transition`: the finite-state strategies move to their next state.

The ledger books steps 3-6 (``_ledger``). A :class:`Chunk` holds the state
that carries over from one round to the next.
"""

from __future__ import annotations

import numpy as np

from . import _rng
from ._engine_config import EngineSpec
from ._ledger import Recovery
from .stage import profile_index
from .strategies import Observation, SlotContext

__all__ = ["Chunk", "decide", "execute", "stage_payoffs", "audit", "observe", "verify",
           "transition"]


def _lt(w: np.ndarray, thr: int) -> np.ndarray:
    """``w < thr`` for a 32-bit threshold that may be 2**32 (always true)."""
    if thr >= 1 << 32:
        return np.ones(w.shape, dtype=bool)
    if thr <= 0:
        return np.zeros(w.shape, dtype=bool)
    return w < np.uint32(thr)


class _Blocks:
    """The random words of one chunk of runs, one round at a time."""

    def __init__(self, streams, r0, r1):
        self.streams, self.r0, self.r1 = streams, r0, r1

    def get(self, t: int, s: int, width: int) -> np.ndarray:
        return self.streams.words(t, s, self.r0, self.r1, width)


class _Group:
    """An array strategy and the slots it plays: some seats of every run (``seats``),
    or, when strategies are assigned per run, flat indices into ``runs x n`` (``flat``)."""

    def __init__(self, strategy, n: int, seats=None, flat=None):
        self.strategy = strategy
        self.seats = seats
        self.flat = flat
        self.full = flat is None and seats.size == n
        self.state = None

    def take(self, a):
        if a is None:
            return None
        if self.flat is not None:
            m, n = a.shape[:2]
            return a.reshape((m * n,) + a.shape[2:])[self.flat]
        if self.full:
            return a
        return a[:, self.seats]

    def put(self, out, val):
        if self.flat is not None:
            out.reshape(-1)[self.flat] = val
        elif self.full:
            out[...] = val
        else:
            out[:, self.seats] = val


class Chunk:
    """Runs ``r0..r1-1`` in play: machine states, array-strategy groups, and what the
    players saw last round."""

    def __init__(self, spec: EngineSpec, streams, r0: int, r1: int):
        n, mach = spec.n, spec.machines
        self.r0, self.r1, self.m = r0, r1, r1 - r0
        self.L = spec.lengths[r0:r1]
        self.rand = _Blocks(streams, r0, r1)
        ar = np.arange(n)
        if spec.per_run:
            cid = mach.lut[spec.assign[r0:r1], ar]
            self.state = mach.start[cid]
        else:
            cid = mach.lut[spec.assign, ar]
            self.state = np.broadcast_to(mach.start[cid], (self.m, n)).copy()
        self.kk = mach.k[cid]
        self.groups = self._groups(spec)
        self.prev_actual = self.count = self.partners = self.prev_idx = None
        self.idx_hist = np.empty((spec.rounds, self.m), dtype=np.int32) if spec.lean else None
        self.recovery = Recovery(spec.shock, self.m, n) if spec.shock is not None else None

    def horizon(self, spec: EngineSpec) -> int:
        """Rounds to play: the longest run of the chunk, or the fixed horizon."""
        return int(self.L.max()) if spec.continuation is not None else spec.rounds

    def _groups(self, spec: EngineSpec) -> list:
        n, m = spec.n, self.m
        groups = []
        for k in spec.custom:
            s = spec.strategies[k]
            if spec.per_run:
                flat = np.flatnonzero(spec.assign[self.r0:self.r1].ravel() == k)
                if flat.size == 0:
                    continue
                g = _Group(s, n, flat=flat)
                shape, seat = (flat.size,), flat % n
            else:
                seats = np.flatnonzero(spec.assign == k)
                g = _Group(s, n, seats=seats)
                shape, seat = (m, seats.size), seats[None, :]
            g.state = s.initial_state(SlotContext(shape, seat, n, spec.stage.players,
                                                  spec.stage, spec.incentive))
            groups.append(g)
        return groups


# ---------------------------------------------------------------------- the steps
def decide(spec: EngineSpec, ch: Chunk, t: int) -> np.ndarray:
    """Step 1: the intended actions (True = cooperate)."""
    mach = spec.machines
    u = ch.rand.get(t, _rng.S_STRATEGY, spec.n) * _rng.INV32 if spec.need_u else None
    if mach.stochastic:
        intended = u < mach.out[ch.state]
    else:
        intended = mach.outb[ch.state]
    if ch.groups:
        _decide_groups(spec, ch, t, u, intended)
    return intended


def _decide_groups(spec: EngineSpec, ch: Chunk, t: int, u, intended) -> None:
    """The array strategies' actions, written into ``intended``."""
    pidx = None
    if spec.need_gain and spec.gtab is not None:
        pidx = ch.prev_idx if ch.prev_idx is not None else \
            np.full(ch.m, spec.allc_index, dtype=np.intp)
    for g in ch.groups:
        s = g.strategy
        gain = _gain(spec, ch, g, pidx) if s.needs_gain else None
        obs = Observation(t, g.take(ch.prev_actual), g.take(ch.count),
                          g.take(ch.partners) if s.partnerwise else None,
                          g.take(u) if s.stochastic else None, gain)
        g.put(intended, np.asarray(s.act(g.state, obs), dtype=bool))


def _gain(spec: EngineSpec, ch: Chunk, g: _Group, pidx):
    """One-shot gain from defecting at last round's profile, for the group's slots only."""
    n = spec.n
    if spec.gtab is None:
        return g.take(np.broadcast_to(spec.temptation, (ch.m, n)))
    if g.flat is not None:
        return spec.gtab[pidx[g.flat // n], g.flat % n]
    return spec.gtab[pidx[:, None], g.seats[None, :]]


def execute(spec: EngineSpec, ch: Chunk, t: int, intended: np.ndarray) -> np.ndarray:
    """Step 2: the actual actions after execution noise and shocks."""
    actual = intended
    thr_c, thr_d = spec.thr_c, spec.thr_d
    if thr_c or thr_d:
        w = ch.rand.get(t, _rng.S_NOISE, spec.n)
        if thr_c == thr_d:
            flip = _lt(w, thr_c)
        else:
            flip = np.where(intended, _lt(w, thr_c), _lt(w, thr_d))
        actual = intended ^ flip
    if spec.shock is not None:
        s_round, s_len, s_mask = spec.shock
        if s_round <= t < s_round + s_len:
            actual = actual & ~s_mask
    return actual


def stage_payoffs(spec: EngineSpec, actual: np.ndarray):
    """Step 3: ``(profile index or None, payoffs (m, n), cooperators (m,))``."""
    if spec.table is not None:
        idx = profile_index(actual)
        return idx, spec.table[idx], spec.popcnt[idx]
    return None, spec.stage.payoffs(actual), actual.sum(1)


def audit(spec: EngineSpec, ch: Chunk, t: int, actual: np.ndarray):
    """Step 4: ``(flagged, rewarded)`` by vertical monitoring (None without it)."""
    if not spec.vertical:
        return None, None
    w = ch.rand.get(t, _rng.S_AUDIT, spec.n)
    if spec.thr_qfa:
        flag = np.where(actual, _lt(w, spec.thr_qfa), _lt(w, spec.thr_qa))
    else:
        flag = _lt(w, spec.thr_qa) & ~actual
    rewarded = _lt(w, spec.thr_q) & ~flag if spec.rewards else None
    return flag, rewarded


def observe(spec: EngineSpec, ch: Chunk, t: int, actual: np.ndarray, total):
    """Step 5: ``(count, partners, reports)``: others seen cooperating by each player,
    who saw whom (partnerwise strategies) and peers' reports on each player."""
    n = spec.n
    if spec.eps == 0:
        count = actual[:, ::-1] if spec.count_is_ok else total[:, None] - actual
        partners = np.broadcast_to(actual[:, None, :], (ch.m, n, n)) \
            if spec.need_partners else None
        reports = (n - 1) * actual.astype(np.int32) if spec.need_reports else None
        return count, partners, reports
    if spec.matrix_mode:
        ar = np.arange(n)
        w = ch.rand.get(t, _rng.S_OBSERVE, n * n).reshape(ch.m, n, n)
        seen = actual[:, None, :] ^ _lt(w, spec.thr_eps)
        seen[:, ar, ar] = actual
        count = seen.sum(2, dtype=np.int32) - actual
        reports = seen.sum(1, dtype=np.int32) - actual if spec.need_reports else None
        return count, seen if spec.need_partners else None, reports
    count, reports = _binomial_observation(ch.rand, t, actual, total, spec.eps,
                                           spec.need_reports)
    return count, None, reports


def _binomial_observation(rand, t, actual, total, eps, need_reports):
    """Large n: counts of others seen cooperating, and peers' reports, by binomial inversion."""
    from scipy.stats import binom

    n = actual.shape[1]
    u = (rand.get(t, _rng.S_OBSERVE, 2 * n).astype(float) + 0.5) * _rng.INV32
    others_c = total[:, None] - actual
    seen_c = binom.ppf(u[:, :n], others_c, 1.0 - eps)
    seen_d = binom.ppf(u[:, n:], (n - 1) - others_c, eps)
    count = (seen_c + seen_d).astype(np.int32)
    reports = None
    if need_reports:
        v = (rand.get(t, _rng.S_PEER, n).astype(float) + 0.5) * _rng.INV32
        reports = np.where(actual, binom.ppf(v, n - 1, 1.0 - eps),
                           binom.ppf(v, n - 1, eps)).astype(np.int32)
    return count, reports


def verify(spec: EngineSpec, actual, flag, reports):
    """Step 6: who is paid its transfer this round (None: nobody here, or counted at the
    end from the audit flags)."""
    if not spec.has_transfers:
        return None
    if spec.verify == "audit":
        return None if flag is not None else np.ones_like(actual)
    if spec.verify == "peers":
        return 2 * reports >= (spec.n - 1)
    return actual


def transition(spec: EngineSpec, ch: Chunk, actual, count, partners, idx) -> None:
    """Step 7: next machine states, and what the players remember for the next round."""
    ok = count if spec.count_is_ok else count >= ch.kk
    inp = actual.view(np.uint8) << 1
    inp |= ok.view(np.uint8)
    st4 = ch.state << 2
    st4 |= inp
    ch.state = spec.machines.nxt[st4]
    ch.prev_actual, ch.count, ch.partners = actual, count, partners
    if spec.need_gain:
        ch.prev_idx = idx
