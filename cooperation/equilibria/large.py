"""The target and the status quo of a game given by a :class:`~cooperation.games.model.PayoffModel`.

What the compensation calculator (and the fund) need before any LP: the
profile to sustain (by default the social optimum) and each jurisdiction's
outside option (by default the status quo of :mod:`.status_quo`).

For a :class:`~cooperation.NormalFormGame` (or a small scenario, whose payoff
tensor has at most ``tensor_max_profiles`` cells) these come from the tensor,
with exact answers: the social optimum, the worst-welfare pure Nash
equilibrium. For a large scenario no tensor can exist, so everything is
evaluated with ``scenario.payoffs(profiles)`` on a handful of profiles,
``scenario.deviation_payoffs(profile)`` and ``scenario.welfare_deviations(profile)``
(``O(nnz)`` per call), and the two searches are heuristics that say so:

* default target: the best of the welfare 1-opt local maxima reached by
  coordinate ascent from everyone-cooperates and from everyone-self (no
  single jurisdiction can raise total welfare by changing its level), not
  certified globally optimal;
* ``"nash"`` outside option: a pure Nash equilibrium reached by asynchronous
  best-response dynamics from everyone-self (the status quo 属地 start), not
  certified to be the worst-welfare equilibrium.

Both searches move several jurisdictions per round, but only jurisdictions
whose hazards are pairwise disjoint (they share no hazard), so the moves do
not interact and each round equals a sequence of one-at-a-time moves. For
coordinate ascent this makes every round a strict welfare improvement; for
best-response dynamics it is the asynchronous (one player at a time) process.

References
----------
Monderer, D. and Shapley, L. S. (1996). Potential games. *Games and Economic
Behavior* 14, 124-143 (convergence of one-at-a-time best responses).
Papadimitriou, C. H. and Steiglitz, K. (1982). *Combinatorial Optimization*,
ch. 19 (local search, 1-opt neighbourhoods).
"""

from __future__ import annotations

import numpy as np

from .._numeric import RTOL, gap_tol, span
from .pure import pure_equilibria
from .status_quo import status_quo
from .welfare import social_optimum

__all__ = ["default_target", "nash_outside", "welfare_local_optimum",
           "best_response_dynamics_sparse"]


def default_target(model) -> tuple[np.ndarray, bool, str]:
    """``(profile, certified, note)``: the social optimum, or a welfare local optimum."""
    if model.small:
        opt = social_optimum(model.game)
        note = "social optimum (exhaustive over the payoff tensor)"
        if len(opt.ties) > 1:
            note += f"; {len(opt.ties)} profiles tie, the lexicographically first is used"
        return np.array(opt.profile, dtype=np.intp), True, note
    a, w, rounds = welfare_local_optimum(model.scenario)
    return a, False, (f"welfare 1-opt local maximum by coordinate ascent ({rounds} rounds; "
                      "no single jurisdiction can raise welfare by changing its level); "
                      "NOT certified globally optimal: the tensor is too large")


def nash_outside(model) -> tuple[np.ndarray, str, np.ndarray | None]:
    """``(payoffs, note, profile)``: the worst-welfare pure NE, or the security levels
    (no pure NE; profile None), or for large scenarios a NE found by best responses."""
    if model.small:
        sq = status_quo(model.game)
        if sq.pure:
            regret = pure_equilibria(model.game).max_regret
            note = (f"worst-welfare pure Nash equilibrium ({sq.n_equilibria} pure "
                    f"equilibria; certified by exhaustive check, max regret "
                    f"{regret:.2g})")
            return sq.values, note, np.array(sq.profile, dtype=np.intp)
        return sq.values, ("no pure Nash equilibrium: each jurisdiction's maximin value "
                           "(mixed security level) is used"), None
    a, ok, rounds = best_response_dynamics_sparse(model.scenario)
    if ok:
        note = (f"pure Nash equilibrium reached by asynchronous best-response dynamics from "
                f"everyone-self in {rounds} rounds (verified: no profitable deviation); "
                "NOT certified to be the worst-welfare equilibrium: the tensor is too large")
        return model.payoffs(a)[0], note, a
    a0 = np.zeros(model.n, dtype=np.intp)
    note = (f"best-response dynamics did not settle in {rounds} rounds; the outside option "
            "is everyone-self (status quo), which is NOT an equilibrium here")
    return model.payoffs(a0)[0], note, a0


def _disjoint_moves(candidates: np.ndarray, gains: np.ndarray, hazards_of) -> np.ndarray:
    """Greedy (largest gain first) set of candidate jurisdictions whose hazard sets are
    pairwise disjoint; their moves do not interact. ``hazards_of``: CSC involvement."""
    used = np.zeros(hazards_of.shape[0], dtype=bool)
    chosen = []
    for j in candidates[np.argsort(-gains, kind="stable")]:
        hs = hazards_of.indices[hazards_of.indptr[j]:hazards_of.indptr[j + 1]]
        if not used[hs].any():
            used[hs] = True
            chosen.append(j)
    return np.array(chosen, dtype=np.intp)


def welfare_local_optimum(scenario, max_rounds: int = 10_000,
                          tol: float = RTOL) -> tuple[np.ndarray, float, int]:
    """Best welfare 1-opt local maximum from everyone-cooperates and everyone-self."""
    inv = scenario.involvement.tocsc()
    n = scenario.n_players
    best = None
    total_rounds = 0
    for start in (scenario.cooperative_level, 0):
        a = np.full(n, start, dtype=np.intp)
        for _ in range(max_rounds):
            total_rounds += 1
            dW = scenario.welfare_deviations(a)
            k = np.argmax(dW, axis=1)
            gain = dW[np.arange(n), k]
            u = scenario.payoffs(a[None, :])[0]
            # a gain counts above tol x the deviations' welfare range (unit-free) and
            # above the round-off of the welfare itself
            movers = np.flatnonzero(gain > gap_tol(span(dW), np.abs(u).sum(), tol))
            if not len(movers):
                break
            chosen = _disjoint_moves(movers, gain[movers], inv)
            a = a.copy()
            a[chosen] = k[chosen]
        w = float(scenario.payoffs(a[None, :]).sum())
        if best is None or w > best[1] + gap_tol(0.0, w):
            best = (a, w)
    return best[0], best[1], total_rounds


def best_response_dynamics_sparse(scenario, max_rounds: int = 10_000,
                                  tol: float = RTOL) -> tuple[np.ndarray, bool, int]:
    """Asynchronous best-response dynamics from everyone-self, using
    ``scenario.deviation_payoffs``; returns ``(profile, converged, rounds)``."""
    inv = scenario.involvement.tocsc()
    n = scenario.n_players
    a = np.zeros(n, dtype=np.intp)
    seen = set()
    for r in range(1, max_rounds + 1):
        dev = scenario.deviation_payoffs(a)
        cur = dev[np.arange(n), a]
        k = np.argmax(dev, axis=1)
        regret = dev[np.arange(n), k] - cur
        # regret counts above tol x the player's range over its own levels here
        spread = dev.max(axis=1) - dev.min(axis=1)
        movers = np.flatnonzero(regret > gap_tol(spread, cur, tol))
        if not len(movers):
            return a, True, r
        key = a.tobytes()
        if key in seen:   # a cycle of the asynchronous process
            return a, False, r
        seen.add(key)
        chosen = _disjoint_moves(movers, regret[movers], inv)
        a = a.copy()
        a[chosen] = k[chosen]
    return a, False, max_rounds
