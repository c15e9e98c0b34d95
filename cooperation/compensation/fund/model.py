"""The crisis-fund LP, built on :mod:`cooperation.lp` (formulas in the package notes).

Money here is already scaled to order one (:class:`FundLP` holds the scaled
numbers and the divisor). The LP is the Rockafellar-Uryasev form: one
auxiliary ``z_k`` per path (a distinct year in standby mode), one tail row per
path and year, the members' contributions, payout shares and key deviations as
columns. It is built sparsely (COO blocks) in two forms:

* :func:`build`, the **extensive** form: every tail row and every payout share
  (the PuLP and scipy backends, and the cross-checks);
* :func:`build_master`, the **master** of the default backend: payout shares
  written ``alpha_i = coverage + delta_i``, so that a member whose share stays
  at the coverage enters the tail rows only through the year's total loss (an
  aggregate); :class:`Generator` adds the tail rows of the paths that come
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

from ..._numeric import RTOL, SOLVER_RTOL
from ...lp import LinearProgram, Objective
from ...lp.lazy import Generated
from .losses import path_need, tail_weights

__all__ = ["BINDING_RTOL", "FundLP", "Generator", "build", "build_master", "tail_rows"]

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


def build_master(spec: FundLP, c_fixed, with_key=True):
    """The master LP of the default backend (see the module notes): ``(lp, objectives,
    column indices, generator)``; no payout-share column yet, the tail rows of
    :meth:`Generator.initial`."""
    lp = LinearProgram()
    k0, t0 = Generator.initial(spec)
    ix = _columns(lp, spec, c_fixed, False, shares=False, paths=np.unique(k0))
    gen = Generator(spec, ix, lp.n_cols, (k0, t0))
    _member_rows(lp, spec, ix, False, gen.pairs())
    gen.solvency = lp.row_names.index("solvency")
    gen.lp_rows = lp.n_rows
    gen.tail_lp = np.flatnonzero(np.asarray(lp.row_family) == "tail")
    gen.sus = lp.row_names.index("sustainability")
    gen.nb = np.flatnonzero(np.asarray(lp.row_family) == "net_benefit")
    objs = _objectives(lp.n_cols, ix, spec.mu, c_fixed, with_key)
    gen.names = [o.name for o in objs]
    gen.key_pending = with_key
    return lp, objs, ix, gen


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


class Generator:
    """The rows and columns of the master LP that the optimum needs, found as it goes.

    *Rows.* ``need_k = max_t (C_(k,t) alpha - t (F + c))`` is the reserve path ``k``
    needs (in standby mode, ``horizon = 1``: the year's payout minus ``F + c``); the
    LP asks ``CVaR_beta(need) <= R`` through ``z_k >= need_k - R - eta``, one row per
    path and year. The master starts with the paths that are worst at the least
    payout shares (:meth:`initial`: ``2 (1 - beta)`` of the mass, which keeps
    ``eta`` bounded); at each candidate point it gets the row of every path whose
    ``z_k`` is too small, at that path's worst year, most violated first, at most one
    tail's worth a round.

    A path gets its ``z_k`` column with its first row (without a row ``z_k = 0``, its
    reduced cost is never negative).

    *Columns.* A member's share above the coverage, ``delta_i``, gets a column when
    its reduced cost ``d_i = c_i - y' A_i`` is negative (at 0, its lower bound, a
    larger share would improve the stage); ``A_i`` is read off the rows' duals with
    one sparse product (the tail rows' duals spread over their years, times the
    loss matrix).

    A row left out only relaxes the LP and a column left out sits at its bound,
    so when neither is found the point is optimal for the extensive LP: primal
    feasible for every row, dual feasible for every column (Rockafellar and
    Uryasev 2000; row generation for CVaR as in Kunzi-Bay and Mayer 2006; column
    generation: Dantzig and Wolfe 1960, Lubbecke and Desrosiers 2005).
    """

    def __init__(self, spec: FundLP, ix: dict, n_cols: int, initial):
        self.spec, self.ix, self.n_cols0 = spec, ix, n_cols
        k0, t0 = initial
        self.k, self.t = list(k0.tolist()), list(t0.tolist())  # every tail row, in order
        self.added = set(zip(self.k, self.t, strict=True))
        self.members: list[int] = []  # the members with a delta column, in order
        self.delta_col: list[int] = []  # ... and that column
        self.ncol = n_cols  # columns in the model so far
        self.repeated = 0
        self.batch = max(64, int(math.ceil((1.0 - spec.beta) * spec.paths)))
        # the violation that counts: round-off of the need, relative to the money scale
        self.tol = RTOL * max(1.0, abs(spec.reserve))
        self.width = spec.max_coverage - spec.coverage
        self.lp_rows, self.solvency, self.sus = 0, 0, 0
        self.tail_lp = np.zeros(0, np.int64)
        self.nb, self.names = np.zeros(0, np.int64), []
        self.n_gen = 0  # rows generated so far (tail and key)
        self.gen_tail: list[int] = []  # ... the positions of the tail rows among them
        self.key_pending = False

    def pairs(self):
        return np.asarray(self.k, np.int64), np.asarray(self.t, np.int64)

    @staticmethod
    def initial(spec: FundLP):
        """``(paths, years)``: the worst paths with every payout share at ``coverage``
        and the fund's inflow at their mean payout, ``2 (1 - beta)`` of the mass."""
        payout = spec.totals * max(spec.coverage, RTOL)
        inflow = float(
            payout.reshape(-1, spec.horizon).sum(axis=1) @ spec.w / (spec.weight * spec.horizon)
        )
        need, t = path_need(payout, inflow, spec.horizon)
        order = np.argsort(-need, kind="stable")
        mass = np.cumsum(spec.w[order]) / spec.weight
        m = int(np.searchsorted(mass, min(1.0, 2.0 * (1.0 - spec.beta)))) + 1
        k = np.sort(order[:m])
        return k, t[k]

    @property
    def rows(self) -> int:
        return len(self.k)

    def alpha(self, x: np.ndarray) -> np.ndarray:
        a = np.full(self.spec.n, self.spec.coverage)
        have = [j for j, c in enumerate(self.delta_col) if c < x.size]
        if have:
            a[np.asarray(self.members)[have]] += x[np.asarray(self.delta_col)[have]]
        return np.clip(a, self.spec.coverage, self.spec.max_coverage)

    def z(self, x: np.ndarray) -> np.ndarray:
        zc = self.ix["zcol"]
        out = np.zeros(self.spec.paths)
        on = (zc >= 0) & (zc < x.size)
        out[on] = x[zc[on]]
        return out

    def need(self, x: np.ndarray):
        """``(need, worst year t_k)`` of every path at ``x``."""
        s, ix = self.spec, self.ix
        return path_need(s.L @ self.alpha(x), float(x[ix["F"]] + x[ix["c"]]), s.horizon)

    def cvar(self, x: np.ndarray) -> float:
        need, _ = self.need(x)
        return float(tail_weights(need, self.spec.beta, self.spec.w) @ need)

    def reduced_costs(self, duals, stage: int) -> np.ndarray:
        """``d_i`` of every member's ``delta_i`` at ``duals`` (as minimised at ``stage``)."""
        s = self.spec
        pos = [g for g in self.gen_tail if g < duals.generated.size]
        y_tail = np.concatenate([duals.lp[self.tail_lp], duals.generated[pos]])
        k, t = self.pairs()
        m = y_tail.size  # the rows that existed with these duals
        u = _selection(s, k[:m], t[:m]).T @ y_tail
        ya = -(s.L.T @ u)  # tail rows: -C_(k,t),i
        ya = ya - duals.lp[self.sus] * s.mu  # sustainability: -mu_i
        ya = ya + duals.lp[self.nb] * s.mu  # net benefit: +mu_i
        cost = self._costs()
        sense = [1] * len(self.names)
        if "expected_payout" in self.names:
            sense[self.names.index("expected_payout")] = -1
        for j in range(len(duals.fixes)):  # c_j x <= z_j of earlier stages
            ya = ya + duals.fixes[j] * sense[j] * cost[j]
        return sense[stage] * cost[stage] - ya

    def _costs(self) -> np.ndarray:
        """Each objective's cost of ``delta_i`` (natural sense): only the expected payout
        ``sum_i mu_i alpha_i`` has one."""
        c = np.zeros((len(self.names), self.spec.n))
        if "expected_payout" in self.names:
            c[self.names.index("expected_payout")] = self.spec.mu
        return c

    def offsets(self) -> list[float]:
        """What each objective's value misses in the master: ``coverage sum_i mu_i`` of
        the expected payout."""
        return [
            self.spec.coverage * float(self.spec.mu.sum()) if nm == "expected_payout" else 0.0
            for nm in self.names
        ]

    def __call__(self, x: np.ndarray, stage: int, duals):
        if self.key_pending and self.names[stage] == "key_deviation":
            return self._key_block()
        cols = self._new_columns(duals, stage)
        if cols is not None:
            return Generated(cols=cols)
        return self._new_rows(x)

    def _key_block(self) -> Generated:
        """The key's columns and rows, ``f_i - kappa_i F = p_i - m_i`` with ``p, m >= 0``
        (so ``|f_i - kappa_i F| <= p_i + m_i``, the key deviation), added when the key
        stage starts: the basis then stays dual feasible (the new columns at 0 cost 1,
        everything else 0), and the dual simplex starts from the rows the key violates
        instead of a phase 1 over the whole model."""
        s, ix = self.spec, self.ix
        n = s.n
        self.key_pending = False
        pm = np.arange(self.ncol, self.ncol + 2 * n)
        self.ncol += 2 * n
        ix["d"] = pm
        costs = np.zeros((len(self.names), 2 * n))
        costs[self.names.index("key_deviation")] = 1.0
        cols = (
            np.zeros(2 * n),
            np.full(2 * n, math.inf),
            costs,
            sp.csc_matrix((self.lp_rows, 2 * n)),
            sp.csc_matrix((self.n_gen, 2 * n)),
        )
        ar = np.arange(n)
        rr = np.concatenate([ar, ar, ar, ar])
        cc = np.concatenate([ix["f"], np.full(n, ix["F"]), pm[:n], pm[n:]])
        vv = np.concatenate([np.ones(n), -s.kap, -np.ones(n), np.ones(n)])
        A = sp.csr_matrix((vv, (rr, cc)), shape=(n, self.ncol))
        self.n_gen += n
        return Generated(rows=(A, np.zeros(n), np.zeros(n)), cols=cols)

    def _new_columns(self, duals, stage: int):
        if self.width <= 0:
            return None
        d = self.reduced_costs(duals, stage)
        d[self.members] = 0.0
        new = np.flatnonzero(d < -RTOL)
        if new.size == 0:
            return None
        new = new[np.argsort(d[new], kind="stable")]
        s = self.spec
        p = new.size
        self.members.extend(new.tolist())
        self.delta_col.extend(range(self.ncol, self.ncol + p))
        self.ncol += p
        k, t = self.pairs()
        Cc = (_selection(s, k, t) @ s.L[:, new]).tocoo()  # (tail rows, p)
        n_lp = self.tail_lp.size
        in_lp = Cc.row < n_lp
        gpos = np.asarray(self.gen_tail, np.int64)
        rows_lp = np.concatenate([self.tail_lp[Cc.row[in_lp]], np.full(p, self.sus), self.nb[new]])
        cols_lp = np.concatenate([Cc.col[in_lp], np.arange(p), np.arange(p)])
        vals_lp = np.concatenate([-Cc.data[in_lp], -s.mu[new], s.mu[new]])
        A_lp = sp.csc_matrix((vals_lp, (rows_lp, cols_lp)), shape=(self.lp_rows, p))
        A_gen = sp.csc_matrix(
            (-Cc.data[~in_lp], (gpos[Cc.row[~in_lp] - n_lp], Cc.col[~in_lp])), shape=(self.n_gen, p)
        )
        return (np.zeros(p), np.full(p, self.width), self._costs()[:, new], A_lp, A_gen)

    def _new_rows(self, x: np.ndarray):
        s, ix = self.spec, self.ix
        need, t = self.need(x)
        viol = need - s.reserve - x[ix["eta"]] - self.z(x)
        bad = np.flatnonzero(viol > self.tol)
        if bad.size == 0:
            return None
        fresh = np.array(
            [
                (k, tk) not in self.added
                for k, tk in zip(bad.tolist(), t[bad].tolist(), strict=True)
            ],
            dtype=bool,
        )
        self.repeated += int((~fresh).sum())
        bad = bad[fresh]
        if bad.size == 0:  # HiGHS holds these rows already: round-off, not a cut
            return None
        bad = bad[np.argsort(-viol[bad], kind="stable")[: self.batch]]
        self.added.update(zip(bad.tolist(), t[bad].tolist(), strict=True))
        self.k.extend(bad.tolist())
        self.t.extend(t[bad].tolist())
        cols = None
        nz = bad[ix["zcol"][bad] < 0]  # paths without z_k yet
        if nz.size:
            q = nz.size
            ix["zcol"][nz] = np.arange(self.ncol, self.ncol + q)
            self.ncol += q
            coef = s.w[nz] / ((1.0 - s.beta) * s.weight)
            A_lp = sp.csc_matrix(
                (coef, (np.full(q, self.solvency), np.arange(q))), shape=(self.lp_rows, q)
            )
            A_gen = sp.csc_matrix((self.n_gen, q))
            cols = (np.zeros(q), np.full(q, math.inf), np.zeros((len(self.names), q)), A_lp, A_gen)
        rows = tail_rows(
            s,
            ix,
            self.ncol,
            bad,
            t[bad],
            np.asarray(self.members, np.int64),
            np.asarray(self.delta_col, np.int64),
        )
        self.gen_tail.extend(range(self.n_gen, self.n_gen + bad.size))
        self.n_gen += bad.size
        return Generated(rows=rows, cols=cols)
