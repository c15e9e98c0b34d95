"""The vectorised engine: many independent runs of a repeated game as arrays.

One Python loop runs over rounds; runs and players are array axes. Runs are
processed in chunks to bound memory; each chunk reads its random numbers by
address from counter-based streams (see ``_rng``), so results are identical
bit for bit whatever the chunk size.

A round, for every run of a chunk at once:

1. every player's strategy chooses an intended action (finite-state
   strategies by one table lookup for all of them; array strategies by one
   call each);
2. execution noise flips intended actions; a shock forces the shocked
   players to defect;
3. stage payoffs of the C/D profile (a table lookup for n <= 16);
4. vertical monitoring: one uniform per jurisdiction decides audit,
   detection (``w < q a`` for a defector, ``w < q false_alarm`` for a
   cooperator) and reward (``w < q`` and not flagged);
5. peers observe each other (with error ``eps``); these observations feed
   the strategies of the next round, peer fines and peer verification;
6. transfers are paid to verified compliers; money is booked per run and
   player, and per-round aggregates are accumulated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from . import _rng
from .mechanisms import Monitoring, Noise
from .stage import BinaryStage, profile_index
from .strategies import FSM, Observation, SlotContext, Strategy

__all__ = ["EngineResult", "run_engine", "default_chunk", "match_path"]

MATRIX_MAX_PLAYERS = 64          # pairwise observation matrices up to this n
PROFILE_COUNT_MAX = 10           # per-round profile histograms up to this n
TARGET_CHUNK_ELEMENTS = 1 << 16  # slots (runs x players [x players]) per chunk


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


def default_chunk(n: int, pairwise: bool) -> int:
    per_run = n * (n if pairwise else 1)
    return max(16, TARGET_CHUNK_ELEMENTS // per_run)


class _Group:
    """An array strategy and the slots it plays."""

    def __init__(self, strategy: Strategy, seats=None):
        self.strategy = strategy
        self.seats = seats
        self.flat = None
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


def _compile(strategies, assign, stage: BinaryStage, incentive):
    """Global finite-state tables and a lookup (strategy, seat) -> machine id.

    One machine per finite-state strategy; a strategy whose machine depends on
    the seat (Generous TFT with the default generosity, which reads the seat's
    R, S, T, P) gets one machine per seat that plays it.
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
        seat_dep = s.seat_dependent
        seats = np.flatnonzero(used[k]) if seat_dep else [int(np.flatnonzero(used[k])[0])]
        for j in seats:
            ctx = SlotContext((1,), np.array([j]), n, stage.players, stage, incentive)
            fsm: FSM = s.fsm(ctx)
            outs.append(np.asarray(fsm.out, float))
            nxts.append(np.asarray(fsm.nxt, np.int32) + offset)
            starts.append(offset + fsm.start)
            ks.append(fsm.k)
            spans.append((offset, len(fsm.out)))
            if seat_dep:
                lut[k, j] = len(starts) - 1
            else:
                lut[k, :] = len(starts) - 1
            offset += len(fsm.out)
    out = np.concatenate(outs)
    nxt = np.concatenate(nxts).reshape(-1)         # index: state * 4 + own * 2 + ok
    return out, nxt, np.array(starts, np.int32), np.array(ks, np.int32), lut, spans


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
    n = stage.n
    R, T = int(runs), int(rounds)
    streams = _rng.Streams(seed)
    per_run = assign.ndim == 2
    notes: list[str] = []

    out_g, nxt_g, start_g, k_g, lut, _ = _compile(strategies, assign, stage, incentive)
    outb_g = out_g >= 0.5
    stoch_fsm = bool(np.any((out_g > 0) & (out_g < 1)))
    custom = [k for k, s in enumerate(strategies) if not s.is_finite_state
              and (np.any(assign == k))]
    groups_proto = [strategies[k] for k in custom]
    need_partners = any(s.partnerwise for s in groups_proto)
    need_gain = any(s.needs_gain for s in groups_proto)
    need_u = stoch_fsm or any(s.stochastic for s in groups_proto)

    # ---- observation error
    eps = noise.observation
    if monitoring is not None and monitoring.peer_error is not None:
        if eps and eps != monitoring.peer_error:
            raise InputError("observation error is given twice with different values "
                             f"(Noise.observation = {eps})", field="Monitoring.peer_error",
                             value=monitoring.peer_error, fix="give it in one place")
        eps = monitoring.peer_error
    thr_eps = _rng.bernoulli_threshold(eps)
    matrix_mode = eps > 0 and (n <= MATRIX_MAX_PLAYERS or need_partners)
    if eps > 0 and not matrix_mode:
        notes.append(f"n = {n} > {MATRIX_MAX_PLAYERS}: observation errors drawn as binomial "
                     "counts per observer and per observed player (exact margins)")
    pc, pd = noise.flip_probabilities()
    thr_c, thr_d = _rng.bernoulli_threshold(pc), _rng.bernoulli_threshold(pd)

    # ---- monitoring
    mon = monitoring
    vertical = mon is not None and mon.audit_prob > 0
    if vertical:
        q, a, fa = mon.audit_prob, mon.accuracy, mon.false_alarm
        thr_qa = _rng.bernoulli_threshold(q * a)
        thr_qfa = _rng.bernoulli_threshold(q * fa)
        thr_q = _rng.bernoulli_threshold(q)
        fine, reward = mon.fine, mon.reward
    peer_fine = mon.peer_fine if mon is not None else 0.0
    verify = mon.verification if mon is not None else "exact"
    has_transfers = transfers is not None and np.any(transfers != 0)
    tvec = np.asarray(transfers, float) if has_transfers else None
    need_reports = n > 1 and (peer_fine > 0 or (has_transfers and verify == "peers"))
    audit_paid = has_transfers and verify == "audit" and vertical

    # ---- stage
    table = stage.table
    use_counts = table is not None and n <= PROFILE_COUNT_MAX
    if table is not None:
        bits = ((np.arange(2 ** n)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
        popcnt = bits.sum(1).astype(np.int32)
        allc_index = 2 ** n - 1
    gtab = stage.gain_table() if need_gain else None
    if need_gain and gtab is None:
        temptation = stage.temptation()
        notes.append(f"n = {n} > 16: the opportunist's gain is taken at all-cooperate")

    # ---- lengths
    if continuation is not None:
        u = (streams.once(_rng.S_LENGTH, 0, R, 1)[:, 0] + 0.5) * _rng.INV32
        if continuation <= 0:
            lengths = np.ones(R, dtype=np.int64)
        else:
            lengths = 1 + np.floor(np.log(u) / np.log(continuation)).astype(np.int64)
        truncated = int(np.count_nonzero(lengths > T))
        lengths = np.minimum(lengths, T)
        if truncated:
            notes.append(f"{truncated} of {R} runs reached the horizon of {T} rounds and were "
                         "truncated there")
    else:
        lengths = np.full(R, T, dtype=np.int64)

    W = int(window) if window is not None else max(1, T // 10)
    W = max(1, min(W, T))

    # ---- outputs
    scores_stage = np.zeros((R, n))
    coop_counts = np.zeros((R, n), dtype=np.int32)
    flag_counts = np.zeros((R, n), dtype=np.int32) if vertical else None
    reward_counts = np.zeros((R, n), dtype=np.int32) if vertical and reward > 0 else None
    paid_counts = np.zeros((R, n), dtype=np.int32) if has_transfers and not audit_paid \
        else None
    peer_money = np.zeros((R, n)) if peer_fine > 0 else None
    prof_counts = np.zeros((T, 2 ** n), dtype=np.int64) if use_counts else None
    coop_by_round = np.zeros((T, n), dtype=np.int64)
    stage_by_round = np.zeros((T, n))
    alive_by_round = np.zeros(T, dtype=np.int64)
    fines_by_round = np.zeros(T)
    rewards_by_round = np.zeros(T)
    transfers_by_round = np.zeros(T)
    win_coop = np.zeros(R, dtype=np.int64)
    history = np.zeros((R, T, n), dtype=bool) if keep_history else None
    if shock is not None:
        s_round, s_len, s_mask = shock
        recovery = np.full(R, np.nan)
    else:
        recovery = None

    if chunk is None:
        chunk = default_chunk(n, matrix_mode)
    chunk = max(1, int(chunk))
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=R, unit="run", desc="simulate", leave=False) \
            if not hasattr(progress, "update") else progress

    ar = np.arange(n)
    # two players, no observation error, k = 1 everywhere: ok is the other's action
    count_is_ok = n == 2 and eps == 0 and not groups_proto and bool(np.all(k_g[1:] == 1))
    # tournaments: only totals are needed; record profile indices, sum them per chunk
    lean = (not stats and count_is_ok and table is not None and mon is None
            and continuation is None and shock is None and not keep_history
            and chunk * T <= 1 << 24)
    for r0 in range(0, R, chunk):
        r1 = min(R, r0 + chunk)
        m = r1 - r0
        L = lengths[r0:r1]
        Tc = int(L.max()) if continuation is not None else T
        # ---- slots
        if per_run:
            cid = lut[assign[r0:r1], ar]
            state = start_g[cid]
            kk = k_g[cid]
        else:
            cid = lut[assign, ar]
            state = np.broadcast_to(start_g[cid], (m, n)).copy()
            kk = k_g[cid]
        groups = []
        for k in custom:
            s = strategies[k]
            if per_run:
                g = _Group(s)
                g.flat = np.flatnonzero(assign[r0:r1].ravel() == k)
                g.full = False
                if g.flat.size == 0:
                    continue
                shape, seat = (g.flat.size,), g.flat % n
            else:
                seats = np.flatnonzero(assign == k)
                g = _Group(s, seats)
                g.full = seats.size == n
                shape, seat = (m, seats.size), seats[None, :]
            g.state = s.initial_state(SlotContext(shape, seat, n, stage.players, stage,
                                                  incentive))
            groups.append(g)
        prev_actual = None
        count = None
        partners = None
        prev_idx = None
        rand = _Blocks(streams, r0, r1)
        if lean:
            idx_hist = np.empty((T, m), dtype=np.int32)
        if shock is not None:
            pre = np.zeros(m)
            done = np.zeros(m, dtype=bool)
            rec = np.full(m, np.nan)
        for t in range(Tc):
            alive = (L > t) if continuation is not None else None
            live = alive[:, None] if alive is not None else True
            # 1. decisions
            u = rand.get(t, _rng.S_STRATEGY, n) * _rng.INV32 if need_u else None
            if stoch_fsm:
                intended = u < out_g[state]
            else:
                intended = outb_g[state]
            if groups:
                if need_gain and gtab is not None:
                    pidx = prev_idx if prev_idx is not None else \
                        np.full(m, allc_index, dtype=np.intp)
                for g in groups:
                    s = g.strategy
                    gain = None
                    if s.needs_gain:     # only the group's own columns of the gain table
                        if gtab is None:
                            gain = g.take(np.broadcast_to(temptation, (m, n)))
                        elif g.flat is not None:
                            gain = gtab[pidx[g.flat // n], g.flat % n]
                        else:
                            gain = gtab[pidx[:, None], g.seats[None, :]]
                    obs = Observation(t, g.take(prev_actual), g.take(count),
                                      g.take(partners) if s.partnerwise else None,
                                      g.take(u) if s.stochastic else None, gain)
                    g.put(intended, np.asarray(s.act(g.state, obs), dtype=bool))
            # 2. execution noise and shocks
            actual = intended
            if thr_c or thr_d:
                w = rand.get(t, _rng.S_NOISE, n)
                if thr_c == thr_d:
                    flip = _lt(w, thr_c)
                else:
                    flip = np.where(intended, _lt(w, thr_c), _lt(w, thr_d))
                actual = intended ^ flip
            if shock is not None and s_round <= t < s_round + s_len:
                actual = actual & ~s_mask
            # 3. stage payoffs
            if lean:
                idx_hist[t] = profile_index(actual)
            elif table is not None:
                idx = profile_index(actual)
                pay = table[idx]
                total = popcnt[idx]
            else:
                idx = None
                pay = stage.payoffs(actual)
                total = actual.sum(1)
            # 4. vertical monitoring
            flag = rewarded = None
            if vertical:
                w = rand.get(t, _rng.S_AUDIT, n)
                if thr_qfa:
                    flag = np.where(actual, _lt(w, thr_qfa), _lt(w, thr_qa))
                else:
                    flag = _lt(w, thr_qa) & ~actual
                if reward_counts is not None:
                    rewarded = _lt(w, thr_q) & ~flag
            # 5. observation
            if eps == 0:
                count = actual[:, ::-1] if count_is_ok else total[:, None] - actual
                if need_partners:
                    partners = np.broadcast_to(actual[:, None, :], (m, n, n))
                reports = (n - 1) * actual.astype(np.int32) if need_reports else None
            elif matrix_mode:
                w = rand.get(t, _rng.S_OBSERVE, n * n).reshape(m, n, n)
                seen = actual[:, None, :] ^ _lt(w, thr_eps)
                seen[:, ar, ar] = actual
                count = seen.sum(2, dtype=np.int32) - actual
                partners = seen if need_partners else None
                reports = seen.sum(1, dtype=np.int32) - actual if need_reports else None
            else:
                count, reports = _binomial_observation(rand, t, actual, total, eps,
                                                       need_reports)
            # 6. money and bookkeeping
            verified = None
            if has_transfers:
                if verify == "audit":
                    # paid unless flagged: counted from the flags at the end
                    verified = None if flag is not None else np.ones_like(actual)
                elif verify == "peers":
                    verified = 2 * reports >= (n - 1)
                else:
                    verified = actual
            if lean:
                pass
            elif alive is None:
                scores_stage[r0:r1] += pay
                if not stats:
                    coop_counts[r0:r1] += actual
                if flag is not None:
                    flag_counts[r0:r1] += flag
                    fsum = flag.sum(0)
                    fines_by_round[t] += fine * float(fsum.sum())
                    if audit_paid:
                        transfers_by_round[t] += float((m - fsum) @ tvec)
                if rewarded is not None:
                    reward_counts[r0:r1] += rewarded
                    rewards_by_round[t] += reward * np.count_nonzero(rewarded)
                if verified is not None:
                    paid_counts[r0:r1] += verified
                    transfers_by_round[t] += float(verified.sum(0) @ tvec)
                if not stats:
                    pass
                elif use_counts:
                    prof_counts[t] += np.bincount(idx, minlength=2 ** n)
                else:
                    coop_by_round[t] += actual.sum(0)
                    stage_by_round[t] += pay.sum(0)
                alive_by_round[t] += m
                if stats and t >= T - W:
                    win_coop[r0:r1] += total
                if history is not None:
                    history[r0:r1, t] = actual
            else:
                np.add(scores_stage[r0:r1], pay, out=scores_stage[r0:r1], where=live)
                act_l = actual & live
                if not stats:
                    coop_counts[r0:r1] += act_l
                if flag is not None:
                    flag &= live
                    flag_counts[r0:r1] += flag
                    fsum = flag.sum(0)
                    fines_by_round[t] += fine * float(fsum.sum())
                    if audit_paid:
                        transfers_by_round[t] += float((int(alive.sum()) - fsum) @ tvec)
                if rewarded is not None:
                    rewarded &= live
                    reward_counts[r0:r1] += rewarded
                    rewards_by_round[t] += reward * np.count_nonzero(rewarded)
                if verified is not None:
                    verified = verified & live
                    paid_counts[r0:r1] += verified
                    transfers_by_round[t] += float(verified.sum(0) @ tvec)
                if use_counts:
                    prof_counts[t] += np.bincount(idx[alive], minlength=2 ** n)
                else:
                    coop_by_round[t] += act_l.sum(0)
                    stage_by_round[t] += np.where(live, pay, 0.0).sum(0)
                alive_by_round[t] += int(alive.sum())
                inwin = alive & (t >= L - W)
                win_coop[r0:r1] += np.where(inwin, total, 0)
                if history is not None:
                    history[r0:r1, t] = act_l
            if peer_money is not None:
                paid = peer_fine * ((n - 1) - reports) / (n - 1)
                pot = paid.sum(1, keepdims=True)
                net = (pot - paid) / (n - 1) - paid
                if alive is not None:
                    net = np.where(live, net, 0.0)
                peer_money[r0:r1] += net
            if shock is not None:
                share = total / n
                if t == s_round - 1:
                    pre = share.astype(float)
                elif t >= s_round + s_len:
                    hit = ~done & (share >= pre - 1e-12)
                    if alive is not None:
                        hit &= alive
                    rec[hit] = t - (s_round + s_len)
                    done |= hit
            # 7. transitions of the finite-state strategies
            ok = count if count_is_ok else count >= kk
            inp = actual.view(np.uint8) << 1
            inp |= ok.view(np.uint8)
            st4 = state << 2
            st4 |= inp
            state = nxt_g[st4]
            prev_actual = actual
            if need_gain:
                prev_idx = idx
        if lean:   # totals from the recorded profiles, once per chunk
            scores_stage[r0:r1] = table[idx_hist].sum(axis=0)
            coop_counts[r0:r1] = bits[idx_hist].sum(axis=0)
        if shock is not None:
            applicable = (L > s_round + s_len) & (pre > 0)
            rec = np.where(applicable & ~done, np.inf, rec)
            rec = np.where(applicable, rec, np.nan)
            recovery[r0:r1] = rec
        if bar is not None:
            bar.update(m)
    if bar is not None and not hasattr(progress, "update"):
        bar.close()

    if use_counts:
        coop_by_round = prof_counts @ bits.astype(np.int64)
        stage_by_round = prof_counts.astype(float) @ table
    played = np.minimum(lengths, T)
    win_len = np.minimum(played, W) * n
    window_share = win_coop / np.maximum(win_len, 1)

    money = scores_stage.copy()
    fines_paid = np.zeros(n)
    rewards_received = np.zeros(n)
    transfers_received = np.zeros(n)
    peer_net = np.zeros(n)
    if flag_counts is not None:
        money -= fine * flag_counts
        fines_paid = fine * flag_counts.sum(0, dtype=np.int64).astype(float)
    if reward_counts is not None:
        money += reward * reward_counts
        rewards_received = reward * reward_counts.sum(0, dtype=np.int64).astype(float)
    if audit_paid:      # paid in every round played except those flagged
        paid = played[:, None] - flag_counts
        money += paid * tvec
        transfers_received = paid.sum(0, dtype=np.int64) * tvec
    elif paid_counts is not None:
        money += paid_counts * tvec
        transfers_received = paid_counts.sum(0, dtype=np.int64) * tvec
    if peer_money is not None:
        money += peer_money
        peer_net = peer_money.sum(0)
    return EngineResult(R, T, n, played, money, scores_stage, coop_counts, coop_by_round,
                        stage_by_round, alive_by_round, fines_by_round, rewards_by_round,
                        transfers_by_round, fines_paid, rewards_received, transfers_received,
                        peer_net, window_share, W, recovery, history, notes)


class _Blocks:
    """The random words of one chunk of runs, one round at a time."""

    def __init__(self, streams, r0, r1):
        self.streams, self.r0, self.r1 = streams, r0, r1

    def get(self, t: int, s: int, width: int) -> np.ndarray:
        return self.streams.words(t, s, self.r0, self.r1, width)


def _lt(w: np.ndarray, thr: int) -> np.ndarray:
    """``w < thr`` for a 32-bit threshold that may be 2**32 (always true)."""
    if thr >= 1 << 32:
        return np.ones(w.shape, dtype=bool)
    if thr <= 0:
        return np.zeros(w.shape, dtype=bool)
    return w < np.uint32(thr)


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
