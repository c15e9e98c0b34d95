"""Named tolerances and the scale helpers that make them unit-free.

Money in a scenario can be in yuan (payoffs around 1e10), 万元 or 亿元
(around 1). Every decision that compares payoffs (is this a best response?
do two profiles tie? does a coalition gain?) must give the same answer in
every unit, so tolerances here are *relative*: a gap counts when it exceeds
``RTOL`` times the range of the payoffs being compared (a player's payoff
range for best responses, the welfare range for optima, the money scale of
an LP for its constraints). Under a positive affine map ``u -> a u + b`` of a
player's payoffs the gaps and the range scale by ``a`` together, so every
decision is invariant.

Absolute tolerances remain only where the quantity has no unit (a
probability, a share).
"""

from __future__ import annotations

import numpy as np

__all__ = ["RTOL", "PROB_TOL", "DEDUPE_TOL", "ROUNDOFF", "DUST", "LP_DUST", "SOLVER_RTOL",
           "ACCEPT_RTOL", "RANK_RTOL", "TINY", "gap_tol", "span", "player_spans", "unit_interval", "clean_zero"]

#: relative tolerance of every payoff comparison (gap <= RTOL * range ties)
RTOL = 1e-9
#: absolute tolerance on probabilities and shares (unit-free)
PROB_TOL = 1e-9
#: two mixed strategies closer than this (max-norm) are the same strategy
DEDUPE_TOL = 1e-7
#: floating-point round-off of a sum of payoffs, relative to their magnitude: the
#: floor below which a gap between two computed payoffs cannot be told from noise
ROUNDOFF = 64 * float(np.finfo(float).eps)
#: rounding dust: a computed value below DUST times its scale is zero (display and
#: sign tests; about 4500 ulps, far below any modelled amount)
DUST = 1e-12
#: LP dust: a solver value below LP_DUST times the LP's scale is zero (the HiGHS
#: feasibility tolerances are set to this value in cooperation.lp.highs)
LP_DUST = 1e-10
#: HiGHS's default primal/dual feasibility tolerance: the relative slack within
#: which a row of an LP answer counts as binding or a certificate as satisfied
SOLVER_RTOL = 1e-7
#: acceptance of an iterative or numerical answer (a Lemke-Howson end point, a
#: least-squares root, a transfer range): looser than RTOL, still relative
ACCEPT_RTOL = 1e-6
#: numerical rank: a singular value below RANK_RTOL times the largest is zero
RANK_RTOL = 1e-10
#: the smallest positive scale used as a floor when dividing by a range (avoids 0/0)
TINY = 1e-300


def gap_tol(spread, magnitude, rtol: float = RTOL):
    """Tolerance on a payoff gap: ``rtol * spread + ROUNDOFF * |magnitude|``.

    ``spread`` is the range the gap is measured against (a player's payoff
    range); the second term is the round-off of payoffs of that magnitude, so
    a gap of a few ulps at a large offset is not mistaken for a real one.
    """
    return rtol * np.asarray(spread, dtype=float) + ROUNDOFF * np.abs(magnitude)


def span(x) -> float:
    """The range ``max - min`` of the finite entries of ``x`` (0.0 when empty or constant)."""
    a = np.asarray(x, dtype=float)
    a = a[np.isfinite(a)]
    if a.size == 0:
        return 0.0
    return float(a.max() - a.min())


def player_spans(payoffs: np.ndarray) -> np.ndarray:
    """Each player's payoff range over all profiles: ``U[i].max() - U[i].min()``."""
    U = np.asarray(payoffs, dtype=float)
    flat = U.reshape(U.shape[0], -1)
    return flat.max(axis=1) - flat.min(axis=1)


def unit_interval(M: np.ndarray) -> np.ndarray:
    """``(M - min M) / range M``: the positive affine map of ``M`` onto [0, 1].

    Equilibria, best responses and security strategies are invariant under it.
    A constant matrix maps to zeros.
    """
    M = np.asarray(M, dtype=float)
    lo = float(M.min())
    r = float(M.max()) - lo
    if r <= 0.0:
        return np.zeros_like(M)
    return (M - lo) / r


def clean_zero(x, scale: float = 1.0, rtol: float = DUST):
    """Replace -0.0 and rounding dust (``|x| <= rtol * scale``) by 0.0, for display.

    Works on floats, numpy arrays and pandas objects; full precision elsewhere
    is untouched (callers use this only on what they show or round-trip).
    """
    thr = rtol * max(abs(float(scale)), TINY)
    if np.isscalar(x):
        v = float(x)
        return 0.0 if abs(v) <= thr else v
    if hasattr(x, "mask") and hasattr(x, "index"):   # pandas Series/DataFrame
        return x.mask(x.abs() <= thr, 0.0) + 0.0        # + 0.0 turns -0.0 into 0.0
    arr = np.asarray(x, dtype=float)
    return np.where(np.abs(arr) <= thr, 0.0, arr) + 0.0
