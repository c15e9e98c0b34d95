"""Row and column generation for the master fund LP (see :mod:`.model`)."""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from ..._numeric import RTOL
from ...lp import LinearProgram
from ...lp.lazy import Generated
from .losses import path_need, tail_weights
from .model import FundLP, _columns, _member_rows, _objectives, _selection, tail_rows

__all__ = ["Generator", "build_master"]


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
