"""Simulated crisis years, the empirical CVaR, and a fund's adequacy on a sample of years."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..._random import seed_sequence

__all__ = ["simulate_losses", "empirical_cvar", "adequacy"]


def simulate_losses(scenario, profile, years: int, seed) -> sp.csr_matrix:
    """Simulated yearly losses ``L[y, i]`` (sparse ``(years, n)``), each hazard striking
    independently with probability ``p_h(a)`` and doing damage ``D_h(a) s[h, i]``.

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
    B = sp.csr_matrix(sp.diags(D) @ scenario.spillover_matrix)      # (H, n) damage per strike
    H = len(p)
    rows, cols = [], []
    chunk = max(1, 2_000_000 // max(H, 1))
    for y0 in range(0, years, chunk):
        m = min(chunk, years - y0)
        r, c = np.nonzero(rng.random((m, H)) < p[None, :])
        rows.append(r + y0)
        cols.append(c)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.intp)
    X = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(years, H))
    return sp.csr_matrix(X @ B)


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
    w = np.full(x.size, 1.0 / x.size) if weights is None else np.asarray(weights, float)
    w = w / w.sum()
    order = np.argsort(-x, kind="stable")
    xs, ws = x[order], w[order]
    tail = 1.0 - beta
    cum = np.cumsum(ws)
    take = np.minimum(ws, np.maximum(tail - (cum - ws), 0.0))
    return float((take * xs).sum() / tail)


def adequacy(payout: np.ndarray, resources: float, beta: float, weights=None) -> dict:
    short = payout - resources
    w = np.full(short.size, 1.0 / short.size) if weights is None else weights / weights.sum()
    tol = 1e-9 * max(1.0, abs(resources))
    return {"shortfall_probability": float(w[short > tol].sum()),
            "expected_shortfall": float((w * np.maximum(short, 0.0)).sum()),
            "cvar_shortfall": empirical_cvar(short, beta, w),
            "cvar_payout": empirical_cvar(payout, beta, w),
            "mean_payout": float((w * payout).sum())}
