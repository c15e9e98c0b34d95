"""Solving the transfer LP: core constraint generation, uniqueness probes, the certificate.

The problem arrives at order one (:func:`.problem.normalise`); the caller
scales answers back by the money scale before they are reported.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..._numeric import ACCEPT_RTOL, LP_DUST
from ..._random import generator
from ...errors import SolverError
from ...lp import STATUS_OPTIMAL, solve_lp
from .model import Built, build
from .problem import Problem

__all__ = ["CORE_FULL_MAX", "CORE_MAX_ROUNDS", "solve", "clean", "violations", "binding",
           "probe_vectors", "direction", "transfer_ranges"]

CORE_FULL_MAX = 8           # all 2**n - 1 core rows up to this many players (measured:
                            # benchmarks/bench_core_generation.py)
CORE_MAX_ROUNDS = 200


def _core_oracle(pb: Problem, t: np.ndarray, k: int):
    """Coalitions violated by ``u + t`` (largest excess first), from
    :func:`cooperation.coalitions.most_violated_coalition`."""
    from ...coalitions import TUGame, most_violated_coalition

    v = TUGame(pb.core_v, pb.players)
    res = most_violated_coalition(v, pb.u + t, k=k, include_grand=True)
    tol = pb.tol * max(1.0, pb.scale)
    keep = res.excess > tol
    return np.asarray(res.masks[keep], dtype=np.int64), float(max(res.max_excess, 0.0))


def solve(pb: Problem, backend: str, *, families=None, max_subsidy="same",
           elastic=None, fine_var=False, objective=None, time_limit=None, probes_fn=None):
    """Build and solve (with core constraint generation when needed). ``probes_fn(built)``
    gives cost vectors to minimise over the final optimal face (same model).

    Returns ``(built, solution, core_masks, rounds)``."""
    families = pb.families if families is None else families
    n = pb.n
    use_core = "core" in families and pb.core_v is not None
    if use_core and n <= CORE_FULL_MAX:
        masks = np.arange(1, 1 << n, dtype=np.int64)
    elif use_core:
        masks = np.array(sorted({1 << i for i in range(n)} | {(1 << n) - 1}), dtype=np.int64)
    else:
        masks = None
    rounds = 0
    batch = 2 * n
    while True:
        rounds += 1
        built = build(pb, families=families, max_subsidy=max_subsidy, elastic=elastic,
                       fine_var=fine_var, core_masks=masks, objective=objective)
        single = not use_core or n <= CORE_FULL_MAX
        probes = probes_fn(built) if probes_fn is not None and single else ()
        sol = solve_lp(built.lp, built.objectives, backend=backend, time_limit=time_limit,
                       probes=probes)
        if single or sol.status != STATUS_OPTIMAL:
            return built, sol, masks, rounds
        t = sol.x[built.p] - sol.x[built.q]
        new, _ = _core_oracle(pb, t, k=batch)
        new = np.setdiff1d(new, masks)
        if not len(new):
            if probes_fn is not None:   # the rows are final: probe the face once more
                sol = solve_lp(built.lp, built.objectives, backend=backend,
                               time_limit=time_limit, probes=probes_fn(built))
            return built, sol, masks, rounds
        # every round adds at least one of the 2**n - 1 rows and the batch doubles, so
        # the loop closes within about n rounds beyond the first (all rows at worst)
        masks = np.union1d(masks, new)
        batch *= 2
        if rounds > CORE_MAX_ROUNDS:   # unreachable while rows are added: a safeguard
            raise SolverError(f"core constraint generation did not close in {rounds} rounds",
                              field="core", value=int(len(masks)))


def clean(x: np.ndarray, scale: float) -> np.ndarray:
    out = np.array(x, dtype=float)
    out[np.abs(out) <= LP_DUST * scale] = 0.0
    return out


def violations(pb: Problem, t: np.ndarray, g: float) -> dict:
    """Largest violation per family, recomputed from the payoffs."""
    out = {"budget": abs(math.fsum(t) - g), "subsidy>=0": max(0.0, -g)}
    x = pb.u + t
    if "participation" in pb.families:
        out["participation"] = float(np.max(pb.outside - x, initial=0.0))
    if "self_enforcement" in pb.families:
        has = np.isfinite(pb.dev)
        lhs = pb.detection * (t[has] if pb.forfeit == "transfer" else np.maximum(t[has], 0.0))
        rhs = pb.dev[has] - pb.u[has] - pb.detection * pb.fine
        out["self_enforcement"] = float(np.max(rhs - lhs, initial=0.0))
    if "capacity" in pb.families:
        has = np.isfinite(pb.caps)
        out["capacity"] = float(np.max(-t[has] - pb.caps[has], initial=0.0))
    if "core" in pb.families and pb.core_v is not None:
        from ...coalitions import TUGame, most_violated_coalition

        res = most_violated_coalition(TUGame(pb.core_v, pb.players), x, include_grand=True)
        out["core"] = float(max(res.max_excess, 0.0))
    if pb.max_subsidy is not None:
        out["max_subsidy"] = max(0.0, g - pb.max_subsidy)
    return out


def binding(built: Built, x: np.ndarray, tol: float) -> list[str]:
    lp = built.lp
    ax = lp.A @ x
    lo, hi = lp.lo, lp.hi
    names = []
    for r in range(lp.n_rows):
        fam = lp.row_family[r]
        if fam in ("budget", "objective"):
            continue
        b = lo[r] if np.isfinite(lo[r]) else hi[r]
        if abs(ax[r] - b) <= tol * max(1.0, abs(b)):
            names.append(lp.row_names[r])
    return names


def _want_ranges(n: int, ranges) -> bool:
    return (n <= 20) if ranges == "auto" else bool(ranges)


def probe_vectors(pb: Problem, built: Built, ranges, w: np.ndarray) -> list:
    """Cost vectors whose minima over the optimal face give each t_i's range (min t_i and
    min -t_i), or, for large n, the spread of one random combination w . t."""
    n, ncol = pb.n, built.lp.n_cols
    vecs = []
    if _want_ranges(n, ranges):
        for i in range(n):
            c = np.zeros(ncol)
            c[built.p[i]], c[built.q[i]] = 1.0, -1.0
            vecs += [c, -c]
        return vecs
    c = np.zeros(ncol)
    c[built.p] = w
    c[built.q] = -w
    return [c, -c]


def direction(n: int, seed) -> np.ndarray:
    rng = generator(seed)
    return rng.uniform(1.0, 2.0, n) * rng.choice([-1.0, 1.0], n)


def transfer_ranges(pb: Problem, built: Built, sol, ranges, w: np.ndarray) -> tuple:
    """Uniqueness of the optimal transfers and, when asked, the range of each t_i, from
    the probes solved over the optimal face (every lexicographic stage kept)."""
    n = pb.n
    vals = np.asarray(sol.probe_values, dtype=float)
    if not vals.size or np.isnan(vals).any():
        return None, None
    t_star = sol.x[built.p] - sol.x[built.q]
    scale = max(1.0, float(np.abs(t_star).max(initial=0.0)), pb.scale)
    tol_u = ACCEPT_RTOL * scale
    if _want_ranges(n, ranges):
        lo_t = np.minimum(vals[0::2], t_star)
        hi_t = np.maximum(-vals[1::2], t_star)
        unique = bool(np.all(hi_t - lo_t <= tol_u))
        frame = pd.DataFrame({"min": clean(lo_t, scale), "max": clean(hi_t, scale)},
                             index=pd.Index(pb.players, name="jurisdiction"))
        return unique, frame
    # random direction: a face of positive dimension gives min != max almost surely
    spread = -vals[1] - vals[0]
    return bool(spread <= tol_u * np.abs(w).sum()), None
