"""The crisis-fund LP, built on :mod:`cooperation.lp` (formulas in the package notes).

Money here is already scaled to order one (:class:`FundLP` holds the scaled
numbers and the divisor). The LP is the Rockafellar-Uryasev form: one
auxiliary ``z_k`` per path (a distinct year in standby mode), one tail row per
path and year, the members' contributions, payout shares and key deviations as
columns. It is built sparsely (COO blocks) in two forms:

* :func:`build`, the **extensive** form: every tail row and every payout share
  (the PuLP and scipy backends, and the cross-checks);
* :func:`.generator.build_master`, the **master** of the default backend: payout shares
  written ``alpha_i = coverage + delta_i``, so that a member whose share stays
  at the coverage enters the tail rows only through the year's total loss (an
  aggregate); :class:`.generator.Generator` adds the tail rows of the paths that come
  near the tail and the columns ``delta_i`` of the members whose reduced cost
  says a larger share pays (row and column generation,
  :func:`cooperation.lp.lazy.solve_lazy`). At the optimum only a tail's worth of
  paths and the members off the coverage bound are in the LP, so time and
  memory grow linearly in members x years.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from ..._numeric import SOLVER_RTOL
from ...lp import LinearProgram, Objective

__all__ = ["BINDING_RTOL", "FundLP", "build", "tail_rows"]

#: a row within this share of the money scale of its bound counts as binding, and a
#: shadow price below it as zero: HiGHS's default feasibility tolerance, which the PuLP
#: and scipy backends run with
BINDING_RTOL = SOLVER_RTOL


@dataclass(frozen=True)
class FundLP:
    """The data of one fund LP, money divided by ``scale`` (a power of two).

    ``L`` holds the years of the paths, ``horizon`` consecutive rows per path (in
    standby mode, ``horizon = 1`` and each row is a distinct year, weighted by
    ``w``, the number of simulated years it stands for).
    """

    players: tuple
    L: sp.csr_matrix  # (paths * horizon, n) yearly losses, scaled
    w: np.ndarray  # (paths,) weight of each path
    mu: np.ndarray  # (n,) mean yearly loss, scaled
    caps: np.ndarray  # (n,) contribution caps, scaled (inf: none)
    kap: np.ndarray  # (n,) key shares, summing to 1
    coverage: float
    max_coverage: float
    reserve: float  # scaled
    beta: float
    horizon: int = 1
    scale: float = 1.0

    @property
    def n(self) -> int:
        return len(self.players)

    @cached_property
    def totals(self) -> np.ndarray:
        """Each year's loss summed over the members (what a share at the coverage
        bound enters the tail rows through)."""
        return np.asarray(self.L.sum(axis=1)).ravel()

    @property
    def paths(self) -> int:
        return self.L.shape[0] // self.horizon

    @property
    def weight(self) -> float:
        return float(self.w.sum())


def _columns(
    lp: LinearProgram, spec: FundLP, c_fixed, with_key: bool, shares: bool, paths=None
) -> dict:
    """Contributions, payout shares (when ``shares``), co-funding, total, key deviations,
    ``eta`` and ``z_k`` for ``paths`` (default: every path); ``ix["zcol"][k]`` is the
    column of ``z_k`` (-1: none yet)."""
    P = spec.players
    f = lp.add_vars([f"contribution[{x}]" for x in P])
    al = (
        lp.add_vars([f"payout_share[{x}]" for x in P], lb=spec.coverage, ub=spec.max_coverage)
        if shares
        else None
    )
    lb_c = 0.0 if c_fixed is None else c_fixed
    ub_c = math.inf if c_fixed is None else c_fixed
    cc = int(lp.add_vars(["cofunding"], lb=lb_c, ub=ub_c)[0])
    Ft = int(lp.add_vars(["total_contributions"])[0])
    d = lp.add_vars([f"key_deviation[{x}]" for x in P]) if with_key else None
    eta = int(lp.add_vars(["eta"], lb=-math.inf)[0])
    paths = np.arange(spec.paths) if paths is None else np.asarray(paths, np.int64)
    z = lp.add_vars(np.char.add("tail", paths.astype(str)).tolist())
    zcol = np.full(spec.paths, -1, np.int64)
    zcol[paths] = z
    return dict(f=f, al=al, c=cc, F=Ft, d=d, eta=eta, z=z, zcol=zcol, zpaths=paths)


def _member_rows(lp: LinearProgram, spec: FundLP, ix: dict, with_key: bool, pairs) -> None:
    """Every row but the tail rows, which :func:`tail_rows` writes for ``pairs``."""
    P, n, mu, caps, kap = spec.players, spec.n, spec.mu, spec.caps, spec.kap
    f, al, Ft, cc, d = ix["f"], ix["al"], ix["F"], ix["c"], ix["d"]
    cov = 0.0 if al is not None else spec.coverage  # the master's alpha = cov + delta
    ar = np.arange(n)
    lp.add_rows(
        np.zeros(n + 1),
        np.concatenate([f, [Ft]]),
        np.concatenate([np.ones(n), [-1.0]]),
        0.0,
        0.0,
        ["total"],
        "total",
    )
    H = spec.horizon
    A, lo, hi = tail_rows(spec, ix, lp.n_cols, *pairs)
    Ac = A.tocoo()
    lp.add_rows(
        Ac.row,
        Ac.col,
        Ac.data,
        lo,
        hi,
        [f"tail[{k}]" if H == 1 else f"tail[{k},{t}]" for k, t in zip(*pairs, strict=True)],
        "tail",
    )
    # CVaR: eta + 1 / ((1 - beta) W) sum_k w_k z_k <= 0 (Rockafellar and Uryasev 2000)
    zp = ix["zpaths"]
    lp.add_rows(
        np.zeros(zp.size + 1),
        np.concatenate([[ix["eta"]], ix["z"]]),
        np.concatenate([[1.0], spec.w[zp] / ((1.0 - spec.beta) * spec.weight)]),
        -math.inf,
        0.0,
        ["solvency"],
        "solvency",
    )
    # sustainability: F + c - sum_i mu_i alpha_i >= 0 (the fund does not run down in
    # expectation, so a reserve is a buffer, not a budget)
    sus_c = np.concatenate([[Ft, cc], al]) if al is not None else np.array([Ft, cc])
    sus_v = np.concatenate([[1.0, 1.0], -mu]) if al is not None else np.ones(2)
    lp.add_rows(
        np.zeros(sus_c.size),
        sus_c,
        sus_v,
        cov * float(mu.sum()),
        math.inf,
        ["sustainability"],
        "sustainability",
    )
    # net benefit: mu_i alpha_i - f_i >= 0
    if al is not None:
        lp.add_rows(
            np.concatenate([ar, ar]),
            np.concatenate([al, f]),
            np.concatenate([mu, -np.ones(n)]),
            0.0,
            math.inf,
            [f"net_benefit[{x}]" for x in P],
            "net_benefit",
            P,
        )
    else:
        lp.add_rows(
            ar,
            f,
            -np.ones(n),
            -cov * mu,
            math.inf,
            [f"net_benefit[{x}]" for x in P],
            "net_benefit",
            P,
        )
    has = np.flatnonzero(np.isfinite(caps))
    if len(has):
        lp.add_rows(
            np.arange(len(has)),
            f[has],
            np.ones(len(has)),
            -math.inf,
            caps[has],
            [f"capacity[{P[i]}]" for i in has],
            "capacity",
            [P[i] for i in has],
        )
    if with_key:
        # d_i - f_i + kappa_i F >= 0 ; d_i + f_i - kappa_i F >= 0
        r3 = np.concatenate([ar, ar, ar])
        lp.add_rows(
            r3,
            np.concatenate([d, f, np.full(n, Ft)]),
            np.concatenate([np.ones(n), -np.ones(n), kap]),
            0.0,
            math.inf,
            [f"key_lo[{x}]" for x in P],
            "objective",
            P,
        )
        lp.add_rows(
            r3,
            np.concatenate([d, f, np.full(n, Ft)]),
            np.concatenate([np.ones(n), np.ones(n), -kap]),
            0.0,
            math.inf,
            [f"key_hi[{x}]" for x in P],
            "objective",
            P,
        )


def build(spec: FundLP, c_fixed, with_key=True):
    """The extensive LP: ``(lp, objectives, column indices)``. ``c_fixed``: the
    co-funding held at this amount (scaled; None: a variable, minimised first);
    ``with_key``: include the key-deviation rows and stage."""
    lp = LinearProgram()
    ix = _columns(lp, spec, c_fixed, with_key, shares=True)
    K, H = spec.paths, spec.horizon
    pairs = (np.repeat(np.arange(K), H), np.tile(np.arange(1, H + 1), K))
    _member_rows(lp, spec, ix, with_key, pairs)
    return lp, _objectives(lp.n_cols, ix, spec.mu, c_fixed, with_key), ix


def _objectives(nc, ix, mu, c_fixed, with_key) -> list[Objective]:
    """(1) least co-funding, (2) closest to the key, (3) least total contribution,
    (4) largest expected payout."""
    objs = []
    if c_fixed is None:
        c0 = np.zeros(nc)
        c0[ix["c"]] = 1.0
        objs.append(Objective(c0, 1, "cofunding"))
    if with_key:
        c1 = np.zeros(nc)
        if ix["d"] is not None:  # the master's key columns come with the key stage
            c1[ix["d"]] = 1.0
        objs.append(Objective(c1, 1, "key_deviation"))
    c2 = np.zeros(nc)
    c2[ix["F"]] = 1.0
    objs.append(Objective(c2, 1, "total_contributions"))
    c3 = np.zeros(nc)
    if ix["al"] is not None:  # the master's shares are generated columns
        c3[ix["al"]] = mu
    objs.append(Objective(c3, -1, "expected_payout"))
    return objs


def _selection(spec: FundLP, k: np.ndarray, t: np.ndarray) -> sp.csr_matrix:
    """0/1 rows picking the years ``1..t_r`` of path ``k_r``: ``S @ L`` are the rows'
    cumulative losses ``C_(k,t)``."""
    H = spec.horizon
    k, t = np.asarray(k, np.int64), np.asarray(t, np.int64)
    reps = np.repeat(np.arange(k.size), t)
    years = np.repeat(k * H, t) + (np.arange(reps.size) - np.repeat(np.cumsum(t) - t, t))
    return sp.csr_matrix((np.ones(reps.size), (reps, years)), shape=(k.size, spec.L.shape[0]))


def tail_rows(spec: FundLP, ix: dict, n_cols: int, k, t, members=None, delta=None):
    """The tail rows of paths ``k`` at years ``t`` (1-based), as ``(A, lo, hi)``::

        z_k - C_(k,t) alpha + t (F + c) + eta >= -R

    where ``C_(k,t)`` is path ``k``'s loss summed over its years ``1..t``. In the
    master (``ix["al"]`` is None) ``alpha = coverage + delta``: the coverage part moves
    to the bound through the path's total loss, and only the generated ``delta``
    columns (``members``, at columns ``delta``) get entries."""
    k, t = np.asarray(k, np.int64), np.asarray(t, np.int64)
    m = k.size
    S = _selection(spec, k, t)
    rows = np.arange(m)
    lo = np.full(m, -float(spec.reserve))
    if ix["al"] is not None:
        C = (S @ spec.L).tocoo()
        a_rows, a_cols, a_vals = C.row, ix["al"][C.col], -C.data
    else:
        lo = lo + spec.coverage * (S @ spec.totals)
        if members is not None and len(members):
            C = (S @ spec.L[:, members]).tocoo()
            a_rows, a_cols, a_vals = C.row, np.asarray(delta)[C.col], -C.data
        else:
            a_rows = a_cols = np.zeros(0, np.int64)
            a_vals = np.zeros(0)
    tf = t.astype(float)
    rr = np.concatenate([rows, a_rows, rows, rows, rows])
    cols = np.concatenate(
        [ix["zcol"][k], a_cols, np.full(m, ix["F"]), np.full(m, ix["c"]), np.full(m, ix["eta"])]
    )
    vv = np.concatenate([np.ones(m), a_vals, tf, tf, np.ones(m)])
    A = sp.csr_matrix((vv, (rr, cols)), shape=(m, n_cols))
    return A, lo, np.full(m, math.inf)
