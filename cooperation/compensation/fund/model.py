"""The crisis-fund LP, built on :mod:`cooperation.lp` (formulas in the package notes)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ...lp import LinearProgram, Objective

__all__ = ["FundLP", "build"]


@dataclass(frozen=True)
class FundLP:
    """The data of one fund LP: members, the weighted distinct years, the key."""

    players: tuple
    Lu: sp.csr_matrix          # (S, n) distinct yearly losses
    w: np.ndarray              # (S,) how many simulated years each stands for
    mu: np.ndarray             # (n,) mean yearly loss
    caps: np.ndarray           # (n,) contribution caps (inf: none)
    kap: np.ndarray            # (n,) key shares, summing to 1
    coverage: float
    max_coverage: float
    reserve: float
    beta: float
    years: int

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def scenarios(self) -> int:
        return self.Lu.shape[0]


def build(spec: FundLP, c_fixed, with_key=True):
    """The fund LP (see the package notes): ``(lp, objectives, column indices)``.
    ``c_fixed``: the co-funding held at this amount (None: a variable, minimised
    first); ``with_key``: include the key-deviation rows and stage."""
    P, n, S, Lu, w, mu, caps, kap = (spec.players, spec.n, spec.scenarios, spec.Lu, spec.w,
                                     spec.mu, spec.caps, spec.kap)
    coverage, max_coverage, reserve, beta, years = (spec.coverage, spec.max_coverage,
                                                    spec.reserve, spec.beta, spec.years)
    lp = LinearProgram()
    f = lp.add_vars([f"contribution[{x}]" for x in P])
    al = lp.add_vars([f"payout_share[{x}]" for x in P], lb=coverage, ub=max_coverage)
    lb_c = 0.0 if c_fixed is None else c_fixed
    ub_c = math.inf if c_fixed is None else c_fixed
    cc = int(lp.add_vars(["cofunding"], lb=lb_c, ub=ub_c)[0])
    Ft = int(lp.add_vars(["total_contributions"])[0])
    eta = int(lp.add_vars(["eta"], lb=-math.inf)[0])
    z = lp.add_vars([f"tail[{k}]" for k in range(S)])
    d = lp.add_vars([f"key_deviation[{x}]" for x in P]) if with_key else None
    ar = np.arange(n)
    lp.add_rows(np.zeros(n + 1), np.concatenate([f, [Ft]]),
                np.concatenate([np.ones(n), [-1.0]]), 0.0, 0.0, ["total"], "total")
    # tail rows: z_k - sum_i alpha_i L_ki + F + c + eta >= -R
    Lc = Lu.tocoo()
    rr = np.concatenate([np.arange(S), Lc.row, np.arange(S), np.arange(S), np.arange(S)])
    cc_ = np.concatenate([z, al[Lc.col], np.full(S, Ft), np.full(S, cc), np.full(S, eta)])
    vv = np.concatenate([np.ones(S), -Lc.data, np.ones(S), np.ones(S), np.ones(S)])
    lp.add_rows(rr, cc_, vv, -float(reserve), math.inf, [f"tail[{k}]" for k in range(S)],
                "tail")
    # CVaR row
    lp.add_rows(np.zeros(S + 1), np.concatenate([[eta], z]),
                np.concatenate([[1.0], w / ((1.0 - beta) * float(years))]), -math.inf, 0.0,
                ["solvency"], "solvency")
    # sustainability: F + c - sum_i mu_i alpha_i >= 0 (the fund does not run down
    # in expectation, so a reserve is a buffer, not a budget)
    lp.add_rows(np.zeros(n + 2), np.concatenate([[Ft, cc], al]),
                np.concatenate([[1.0, 1.0], -mu]), 0.0, math.inf, ["sustainability"],
                "sustainability")
    # net benefit: mu_i alpha_i - f_i >= 0
    lp.add_rows(np.concatenate([ar, ar]), np.concatenate([al, f]),
                np.concatenate([mu, -np.ones(n)]), 0.0, math.inf,
                [f"net_benefit[{x}]" for x in P], "net_benefit", P)
    has = np.flatnonzero(np.isfinite(caps))
    if len(has):
        lp.add_rows(np.arange(len(has)), f[has], np.ones(len(has)), -math.inf, caps[has],
                    [f"capacity[{P[i]}]" for i in has], "capacity", [P[i] for i in has])
    if with_key:
        # d_i - f_i + kappa_i F >= 0 ; d_i + f_i - kappa_i F >= 0
        r3 = np.concatenate([ar, ar, ar])
        lp.add_rows(r3, np.concatenate([d, f, np.full(n, Ft)]),
                    np.concatenate([np.ones(n), -np.ones(n), kap]), 0.0, math.inf,
                    [f"key_lo[{x}]" for x in P], "objective", P)
        lp.add_rows(r3, np.concatenate([d, f, np.full(n, Ft)]),
                    np.concatenate([np.ones(n), np.ones(n), -kap]), 0.0, math.inf,
                    [f"key_hi[{x}]" for x in P], "objective", P)
    objs = []
    nc = lp.n_cols
    if c_fixed is None:
        c0 = np.zeros(nc)
        c0[cc] = 1.0
        objs.append(Objective(c0, 1, "cofunding"))
    if with_key:
        c1 = np.zeros(nc)
        c1[d] = 1.0
        objs.append(Objective(c1, 1, "key_deviation"))
    c2 = np.zeros(nc)
    c2[Ft] = 1.0
    objs.append(Objective(c2, 1, "total_contributions"))
    c3 = np.zeros(nc)
    c3[al] = mu
    objs.append(Objective(c3, -1, "expected_payout"))
    return lp, objs, dict(f=f, al=al, c=cc, F=Ft, eta=eta, z=z, d=d)
