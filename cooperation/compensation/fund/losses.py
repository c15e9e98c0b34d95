"""Simulated crisis years, the empirical CVaR, and a fund's adequacy on a sample of years.

A year's losses are ``L[y, i] = sum_h X[y, h] D_h(a) s[h, i]`` (hazard ``h``
strikes in year ``y`` when ``X[y, h] = 1``, independently with probability
``p_h(a)``). A fund paying shares ``alpha`` pays ``P_y = sum_i alpha_i L[y, i]``.

*Standby* adequacy judges each year alone against the year's resources
``F + c + R``. *Reserve* adequacy follows the balance of a fund that carries
over: consecutive simulated years are cut into paths of ``H`` years, and on
each path ``B_t = R + t (F + c) - (P_1 + ... + P_t)``; the path is *ruined*
when some ``B_t < 0`` (a finite-time ruin probability in the discrete-time
model of actuarial risk theory: Dickson 2017; Asmussen and Albrecher 2010). The reserve a path needs is ``need = max_t (P_1 + ... + P_t -
t (F + c))``; ruin is ``need > R``.

References
----------
Asmussen, S. and Albrecher, H. (2010). *Ruin Probabilities*, 2nd ed. World
Scientific (finite-horizon ruin).
Dickson, D. C. M. (2017). *Insurance Risk and Ruin*, 2nd ed. Cambridge
University Press (ruin in discrete time).
Rockafellar, R. T. and Uryasev, S. (2002). Conditional value-at-risk for
general loss distributions. *Journal of Banking & Finance* 26, 1443-1471.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..._numeric import RTOL
from ..._random import seed_sequence

__all__ = [
    "simulate_losses",
    "empirical_cvar",
    "empirical_var",
    "tail_weights",
    "adequacy",
    "path_need",
    "reserve_adequacy",
]


def simulate_losses(scenario, profile, years: int, seed, progress=None) -> sp.csr_matrix:
    """Simulated yearly losses ``L[y, i]`` (sparse ``(years, n)``), each hazard striking
    independently with probability ``p_h(a)`` and doing damage ``D_h(a) s[h, i]``.

    Years are drawn in chunks of about two million hazard-years (the same numbers
    whatever the chunk, since the generator's stream is consumed in year order);
    ``progress``, a bar with ``update(k)``, counts the years drawn.

    Examples
    --------
    >>> import cooperation as co
    >>> from cooperation.compensation.fund import simulate_losses
    >>> s = co.Scenario([co.Jurisdiction("A"), co.Jurisdiction("B")],
    ...                 [co.Hazard("flood", 0.5, 10.0, {"A": 0.5, "B": 0.5})], unit="u")
    >>> L = simulate_losses(s, [0, 0], years=1000, seed=0)
    >>> L.shape, sorted(set(L.toarray().ravel().tolist()))
    ((1000, 2), [0.0, 5.0])
    """
    rng = np.random.default_rng(seed_sequence(seed))
    p, D = scenario.hazard_state(np.asarray(profile)[None, :])
    p, D = p[0], D[0]
    B = sp.csr_matrix(sp.diags(D) @ scenario.spillover_matrix)  # (H, n) damage per strike
    H = len(p)
    rows, cols = [], []
    chunk = max(1, 2_000_000 // max(H, 1))
    for y0 in range(0, years, chunk):
        m = min(chunk, years - y0)
        r, c = np.nonzero(rng.random((m, H)) < p[None, :])
        rows.append(r + y0)
        cols.append(c)
        if progress is not None:
            progress.update(m)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.intp)
    X = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(years, H))
    return sp.csr_matrix(X @ B)


def tail_weights(x, beta: float, weights=None) -> np.ndarray:
    """The weights ``q`` of the worst ``1 - beta`` of the probability mass of ``x``,
    normalised to sum to one (the last atom taken in part): ``CVaR_beta(x) = q @ x``.

    ``q`` is the maximiser in the dual ("risk envelope") form ``CVaR_beta(x) = max
    {q @ x : 0 <= q_k <= w_k / (1 - beta), sum_k q_k = 1}`` (Rockafellar and Uryasev
    2002, with ``w`` the probabilities).

    Examples
    --------
    >>> from cooperation.compensation.fund.losses import tail_weights
    >>> tail_weights([0, 0, 0, 10], 0.5).tolist()
    [0.5, 0.0, 0.0, 0.5]
    """
    x = np.asarray(x, float).ravel()
    w = np.full(x.size, 1.0 / x.size) if weights is None else np.asarray(weights, float)
    w = w / w.sum()
    order = np.argsort(-x, kind="stable")
    ws = w[order]
    tail = 1.0 - beta
    cum = np.cumsum(ws)
    take = np.minimum(ws, np.maximum(tail - (cum - ws), 0.0))
    q = np.zeros(x.size)
    q[order] = take / tail
    return q


def empirical_cvar(x, beta: float, weights=None) -> float:
    """CVaR at level ``beta`` of the empirical distribution of ``x`` (the mean of the
    worst ``1 - beta`` probability mass, with a fractional last atom), which equals
    ``min_eta eta + E[(x - eta)+] / (1 - beta)`` (Rockafellar and Uryasev 2002).

    Examples
    --------
    >>> from cooperation.compensation.fund import empirical_cvar
    >>> empirical_cvar([0, 0, 0, 10], 0.5)   # worst half of the mass: {0, 10}
    5.0
    """
    x = np.asarray(x, float).ravel()
    q = tail_weights(x, beta, weights)
    nz = q > 0
    return float((q[nz] * x[nz]).sum())


def empirical_var(x, beta: float, weights=None) -> float:
    """VaR at level ``beta``: the least ``v`` with ``P(x <= v) >= beta`` (the lower
    ``beta``-quantile; the smallest minimiser ``eta`` of Rockafellar and Uryasev).

    Examples
    --------
    >>> from cooperation.compensation.fund.losses import empirical_var
    >>> empirical_var([0, 0, 0, 10], 0.5), empirical_var([0, 0, 0, 10], 0.8)
    (0.0, 10.0)
    """
    x = np.asarray(x, float).ravel()
    w = np.full(x.size, 1.0 / x.size) if weights is None else np.asarray(weights, float)
    w = w / w.sum()
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    k = int(np.searchsorted(cum, beta - RTOL, side="left"))
    return float(x[order][min(k, x.size - 1)])


def adequacy(payout: np.ndarray, resources: float, beta: float, weights=None) -> dict:
    """A standby fund's record on a sample of years: how often and by how much the
    year's payouts exceed ``resources``, and the CVaR of payouts and shortfall."""
    payout = np.asarray(payout, float).ravel()
    short = payout - resources
    w = np.full(short.size, 1.0 / short.size) if weights is None else weights / weights.sum()
    tol = RTOL * max(abs(resources), float(np.abs(payout).max(initial=0.0)))
    return {
        "shortfall_probability": float(w[short > tol].sum()),
        "expected_shortfall": float((w * np.maximum(short, 0.0)).sum()),
        "cvar_shortfall": empirical_cvar(short, beta, w),
        "cvar_payout": empirical_cvar(payout, beta, w),
        "mean_payout": float((w * payout).sum()),
    }


def path_need(payout: np.ndarray, inflow: float, horizon: int):
    """``(need, step)`` per path of ``horizon`` consecutive years: the largest
    cumulative deficit ``max_t (P_1 + ... + P_t - t inflow)`` and the year ``t``
    (1-based) where it is reached. ``payout`` holds whole paths, in order."""
    P = np.asarray(payout, float).reshape(-1, horizon)
    D = np.cumsum(P, axis=1) - inflow * np.arange(1, horizon + 1)[None, :]
    t = D.argmax(axis=1)
    return D[np.arange(D.shape[0]), t], t + 1


def reserve_adequacy(
    payout: np.ndarray, inflow: float, reserve: float, beta: float, horizon: int
) -> dict:
    """A reserve fund's record on paths of ``horizon`` years (see the module notes):
    ruin probability ``P(need > R)``, expected and CVaR shortfall below zero, CVaR of
    the reserve needed, mean payout a year and mean balance after ``horizon`` years."""
    payout = np.asarray(payout, float).ravel()
    need, _ = path_need(payout, inflow, horizon)
    short = need - reserve
    P = payout.reshape(-1, horizon)
    final = reserve + horizon * inflow - P.sum(axis=1)
    tol = RTOL * max(abs(reserve), abs(inflow), float(np.abs(payout).max(initial=0.0)))
    ruin = float(np.mean(short > tol))
    return {
        "shortfall_probability": ruin,
        "ruin_probability": ruin,
        "expected_shortfall": float(np.maximum(short, 0.0).mean()),
        "cvar_shortfall": empirical_cvar(short, beta),
        "cvar_need": empirical_cvar(need, beta),
        "mean_payout": float(payout.mean()),
        "mean_final_balance": float(final.mean()),
        "paths": int(need.size),
        "horizon": int(horizon),
    }
