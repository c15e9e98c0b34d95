"""The target and the status quo of a game given by a :class:`~cooperation.games.model.PayoffModel`.

What the compensation calculator (and the fund) need before any LP: the
profile to sustain (by default the social optimum) and each jurisdiction's
outside option (by default the status quo of :mod:`.status_quo`).

For a :class:`~cooperation.NormalFormGame` (or a small scenario, whose payoff
tensor has at most ``tensor_max_profiles`` cells) these come from the tensor,
with exact answers: the social optimum, the worst-welfare pure Nash
equilibrium. For a large scenario no tensor can exist; the same answers come
from the MILPs of :mod:`.milp` on the scenario's structure (each hazard's loss
tabulated over the configurations of the few jurisdictions it involves), proved
optimal by HiGHS:

* default target: the social optimum (``optimum_milp``), exact; on the MILP time
  limit, or with a hazard too large to tabulate, the best profile found, with
  its gap to the bound;
* ``"nash"`` outside option: the worst-welfare pure Nash equilibrium
  (``equilibrium_milp``), exact; "no pure equilibrium" is then a proof too.

Where the MILP cannot run (a hazard beyond ``MAX_HAZARD_CONFIGS``), the two
searches of earlier versions remain, and say that they are heuristics:

* welfare 1-opt local maxima by coordinate ascent from everyone-cooperates and
  from everyone-self (no single jurisdiction can raise total welfare by changing
  its level);
* a pure Nash equilibrium reached by asynchronous best-response dynamics from
  everyone-self (the status quo 属地 start), not certified worst.

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

import weakref

import numpy as np

from .._numeric import RTOL, gap_tol, span
from ..errors import InputError
from .milp import equilibrium_milp, hazard_table, optimum_milp
from .pure import pure_equilibria
from .status_quo import status_quo
from .welfare import social_optimum

__all__ = [
    "default_target",
    "nash_outside",
    "welfare_local_optimum",
    "best_response_dynamics_sparse",
    "scenario_table",
    "scale_optimum",
    "scale_equilibrium",
]

_MEMO: dict = {}


def _memo(scenario) -> dict:
    """Per-scenario store of the hazard table and the MILP answers (a scenario is
    immutable; the entry goes when the scenario does)."""
    key = id(scenario)
    hit = _MEMO.get(key)
    if hit is not None and hit[0]() is scenario:
        return hit[1]
    store: dict = {}
    _MEMO[key] = (weakref.ref(scenario, lambda _r, k=key: _MEMO.pop(k, None)), store)
    return store


def scenario_table(scenario):
    """The scenario's :class:`~.milp.HazardTable`, tabulated once per scenario object."""
    store = _memo(scenario)
    if "table" not in store:
        store["table"] = hazard_table(scenario)
    return store["table"]


def scale_optimum(scenario, time_limit=None):
    """The social optimum of a large scenario: the MILP (exact, or bounded with its gap);
    hazards too large to tabulate get the MILP's profile improved by coordinate ascent.
    Solved once per scenario and time limit."""
    store = _memo(scenario)
    key = ("optimum", time_limit)
    if key in store:
        return store[key]
    sol = optimum_milp(scenario, table=scenario_table(scenario), time_limit=time_limit)
    if sol.kind != "exact":
        starts = (scenario.cooperative_level, 0) if sol.profile is None else (sol.profile,)
        a, w, _ = welfare_local_optimum(scenario, starts=starts)
        if sol.profile is None or w > sol.value:
            from dataclasses import replace

            sol = replace(
                sol,
                profile=a,
                value=w,
                gap=max(0.0, sol.bound - w),
                message=f"within {max(0.0, sol.bound - w):.6g} of the optimum "
                "(MILP profile improved by coordinate ascent)",
            )
    store[key] = sol
    return sol


def scale_equilibrium(scenario, worst: bool = True, time_limit=None):
    """The worst (or best) pure NE of a large scenario by MILP, or None when a hazard is
    too large to tabulate (then only best-response dynamics can find one). Solved once
    per scenario, side and time limit."""
    store = _memo(scenario)
    key = ("equilibrium", worst, time_limit)
    if key in store:
        return store[key]
    try:
        sol = equilibrium_milp(
            scenario, worst=worst, table=scenario_table(scenario), time_limit=time_limit
        )
    except InputError:
        if scenario_table(scenario).exact.all():
            raise
        sol = None
    if sol is not None and sol.profile is None and sol.kind == "bounded":
        a, ok, rounds = best_response_dynamics_sparse(scenario)
        if not ok:
            raise InputError(
                f"the equilibrium MILP stopped at its time limit before finding an "
                f"equilibrium, and best-response dynamics did not settle in "
                f"{rounds} rounds",
                field="time_limit",
                value=time_limit,
                fix="raise the time limit",
            )
        from dataclasses import replace

        value = float(scenario.payoffs(a[None, :])[0].sum())
        sol = replace(
            sol,
            profile=a,
            value=value,
            gap=abs(sol.bound - value),
            message="a pure NE by best-response dynamics (the MILP stopped at its "
            "time limit first); not certified worst or best",
        )
    store[key] = sol
    return sol


def default_target(model) -> tuple[np.ndarray, bool, str]:
    """``(profile, certified, note)``: the social optimum, or a welfare local optimum."""
    if model.small:
        opt = social_optimum(model.game)
        note = "social optimum (exhaustive over the payoff tensor)"
        if len(opt.ties) > 1:
            note += f"; {len(opt.ties)} profiles tie, the lexicographically first is used"
        return np.array(opt.profile, dtype=np.intp), True, note
    sol = scale_optimum(model.scenario)
    if sol.kind == "exact":
        return (
            sol.profile,
            True,
            (
                "social optimum by MILP on the scenario's hazard structure "
                "(proved optimal by HiGHS; no payoff tensor)"
            ),
        )
    return (
        sol.profile,
        False,
        (f"best profile found by MILP, {sol.message}; NOT certified globally optimal"),
    )


def nash_outside(model) -> tuple[np.ndarray, str, np.ndarray | None]:
    """``(payoffs, note, profile)``: the worst-welfare pure NE, or the security levels
    (no pure NE; profile None), or for large scenarios a NE found by best responses."""
    if model.small:
        sq = status_quo(model.game)
        if sq.pure:
            regret = pure_equilibria(model.game).max_regret
            note = (
                f"worst-welfare pure Nash equilibrium ({sq.n_equilibria} pure "
                f"equilibria; certified by exhaustive check, max regret "
                f"{regret:.2g})"
            )
            return sq.values, note, np.array(sq.profile, dtype=np.intp)
        return (
            sq.values,
            (
                "no pure Nash equilibrium: each jurisdiction's maximin value "
                "(mixed security level) is used"
            ),
            None,
        )
    sol = scale_equilibrium(model.scenario)
    if sol is not None and sol.kind != "none":
        exact = sol.kind == "exact"
        note = (
            f"worst-welfare pure Nash equilibrium by MILP on the scenario's hazard "
            f"structure ({'proved by HiGHS' if exact else sol.message}; no payoff tensor)"
        )
        return model.payoffs(sol.profile)[0], note, sol.profile
    if sol is not None:
        a0 = np.zeros(model.n, dtype=np.intp)
        return (
            model.payoffs(a0)[0],
            (
                "no pure Nash equilibrium (proved: the Nash MILP is "
                "infeasible); the outside option is everyone-self "
                "(status quo), which is NOT an equilibrium here"
            ),
            a0,
        )
    a, ok, rounds = best_response_dynamics_sparse(model.scenario)
    if ok:
        note = (
            f"pure Nash equilibrium reached by asynchronous best-response dynamics from "
            f"everyone-self in {rounds} rounds (verified: no profitable deviation); "
            "NOT certified to be the worst-welfare equilibrium: the tensor is too large"
        )
        return model.payoffs(a)[0], note, a
    a0 = np.zeros(model.n, dtype=np.intp)
    note = (
        f"best-response dynamics did not settle in {rounds} rounds; the outside option "
        "is everyone-self (status quo), which is NOT an equilibrium here"
    )
    return model.payoffs(a0)[0], note, a0


def _disjoint_moves(candidates: np.ndarray, gains: np.ndarray, hazards_of) -> np.ndarray:
    """Greedy (largest gain first) set of candidate jurisdictions whose hazard sets are
    pairwise disjoint; their moves do not interact. ``hazards_of``: CSC involvement."""
    used = np.zeros(hazards_of.shape[0], dtype=bool)
    chosen = []
    for j in candidates[np.argsort(-gains, kind="stable")]:
        hs = hazards_of.indices[hazards_of.indptr[j] : hazards_of.indptr[j + 1]]
        if not used[hs].any():
            used[hs] = True
            chosen.append(j)
    return np.array(chosen, dtype=np.intp)


def welfare_local_optimum(
    scenario, max_rounds: int = 10_000, tol: float = RTOL, starts=None
) -> tuple[np.ndarray, float, int]:
    """Best welfare 1-opt local maximum by coordinate ascent from each start (default:
    everyone-cooperates and everyone-self; a start is a level or a profile)."""
    inv = scenario.involvement.tocsc()
    n = scenario.n_players
    best = None
    total_rounds = 0
    if starts is None:
        starts = (scenario.cooperative_level, 0)
    for start in starts:
        a = np.broadcast_to(np.asarray(start, dtype=np.intp), (n,)).copy()
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


def best_response_dynamics_sparse(
    scenario, max_rounds: int = 10_000, tol: float = RTOL
) -> tuple[np.ndarray, bool, int]:
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
        if key in seen:  # a cycle of the asynchronous process
            return a, False, r
        seen.add(key)
        chosen = _disjoint_moves(movers, regret[movers], inv)
        a = a.copy()
        a[chosen] = k[chosen]
    return a, False, max_rounds
