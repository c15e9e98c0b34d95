"""Exact values of coalitions of a large scenario with Nash outsiders (the evaluators of
:mod:`cooperation.coalitions.sampled`).

``v(P) = max_{a_P} sum_{j in P} u_j(a_P, a0_{-P})``, everyone outside ``P`` at the
status quo ``a0``, from the hazard loss tables of
:mod:`cooperation.equilibria.hazard_table`:

* :class:`_ClusterValue`: one connected cluster at a time, by enumeration (up to
  :data:`ENUMERATE_PLAYERS` members), max-sum variable elimination in min-degree order
  (Dechter 1999) while its tables stay below :data:`ELIMINATION_CELLS`, else by MILP
  (:func:`cooperation.equilibria.milp.optimise`);
* :class:`_GroupPlan`: many coalitions of one group at once: non-members pinned to
  ``a0`` by unary factors, so the elimination order and every table's scope are the
  same for every coalition and one symbolic plan runs on a batch axis.

References
----------
Dechter, R. (1999). Bucket elimination: a unifying framework for reasoning.
*Artificial Intelligence* 113, 41-85.
"""

from __future__ import annotations

import heapq

import numpy as np

from ..equilibria.milp import optimise, restrict
from ..errors import InputError

__all__ = ["ENUMERATE_PLAYERS", "ELIMINATION_CELLS"]

#: clusters up to this size are valued by enumerating their K**size profiles
ENUMERATE_PLAYERS = 12
#: largest table (cells) variable elimination builds before handing a cluster to the MILP
ELIMINATION_CELLS = 1 << 16


def _hazards_of(T):
    """``(n, H)`` CSR: the hazards each jurisdiction bears (``s[h, i] > 0``)."""
    return T.shares.T.tocsr()


class _ClusterValue:
    """``max_{a_K} sum_{j in K} u_j(a_K, a0_{-K})`` for clusters ``K`` (module notes): by
    enumeration up to ENUMERATE_PLAYERS members, else by variable elimination (max-sum
    over the hazard factors, min-degree order) while its tables stay below
    ELIMINATION_CELLS, else by MILP."""

    def __init__(self, T, a0, time_limit=None):
        self.T, self.a0, self.time_limit = T, np.asarray(a0, dtype=np.intp), time_limit
        S = T.shares.tocoo()
        self.bears: list[list] = [[] for _ in range(T.n)]  # j -> [(h, s[h, j])]
        for h, j, v in zip(S.row.tolist(), S.col.tolist(), S.data.tolist(), strict=True):
            self.bears[j].append((h, v))
        self.hmem = [tuple(T.members[h, : T.size[h]].tolist()) for h in range(len(T.size))]
        self.neg_cost = [-T.costs[j] for j in range(T.n)]
        self.pos = np.full(T.n, -1, dtype=np.intp)
        self.cache: dict = {}
        self.counts = {"enumerated": 0, "eliminated": 0, "milp": 0, "bounded": 0}

    def __call__(self, K: np.ndarray) -> float:
        w: dict[int, float] = {}
        for j in K.tolist():
            for h, v in self.bears[j]:
                w[h] = w.get(h, 0.0) + v
        if len(K) <= ENUMERATE_PLAYERS:
            self.counts["enumerated"] += 1
            hs = np.fromiter(w, dtype=np.intp, count=len(w))
            return self._enumerate(K, hs, np.fromiter(w.values(), float, count=len(w)))
        value = self._eliminate(K, w)
        if value is not None:
            self.counts["eliminated"] += 1
            return value
        return self._milp(K, np.fromiter(w, dtype=np.intp, count=len(w)))

    def _enumerate(self, K, hs, w) -> float:
        T, q = self.T, len(K)
        A = (np.arange(T.K**q)[:, None] // T.K ** np.arange(q)[None, :]) % T.K
        self.pos[K] = np.arange(q)
        M = T.members[hs]
        pk = np.where(M >= 0, self.pos[np.maximum(M, 0)], -1)
        fixed = np.where(M >= 0, self.a0[np.maximum(M, 0)], 0)
        lev = np.where(pk[None] >= 0, A[:, np.maximum(pk, 0)], fixed[None])
        conf = (lev * (T.K ** np.arange(M.shape[1]))[None, None, :]).sum(axis=2)
        self.pos[K] = -1
        loss = T.loss[T.start[hs][None, :] + conf]
        obj = -T.costs[K[None, :], A].sum(axis=1) - loss @ w
        return float(obj.max())

    def _factor(self, h: int, free: tuple):
        """``L_h`` over the levels of its free members (the others at ``a0``), axes in the
        members' order; cached by (hazard, which members are free)."""
        key = (h, free)
        tab = self.cache.get(key)
        if tab is None:
            T = self.T
            K = T.K
            q = sum(free)
            grids = np.indices((K,) * q).reshape(q, -1)
            conf = np.zeros(grids.shape[1], dtype=np.intp)
            g = 0
            for t, j in enumerate(self.hmem[h]):
                conf = conf + (grids[g] if free[t] else self.a0[j]) * K**t
                g += free[t]
            tab = T.loss[T.start[h] + conf].reshape((K,) * q)
            self.cache[key] = tab
        return tab

    def _eliminate(self, K, w: dict) -> float | None:
        """Max-sum variable elimination (min-degree order); None when a table would
        exceed ELIMINATION_CELLS."""
        kk = self.T.K
        inK = set(K.tolist())
        scopes: dict[int, tuple] = {}
        tables: dict[int, np.ndarray] = {}
        for j in inK:
            scopes[j], tables[j] = (j,), self.neg_cost[j]
        nid = max(inK) + 1 if inK else 0
        const = 0.0
        for h, wh in w.items():
            mem = self.hmem[h]
            free = tuple(int(j in inK) for j in mem)
            tab = self._factor(h, free)
            sc = tuple(j for j, f in zip(mem, free, strict=True) if f)
            if not sc:
                const -= wh * float(tab)
                continue
            if len(sc) == 1:  # fold into the unary factor of that member
                tables[sc[0]] = tables[sc[0]] - wh * tab
                continue
            scopes[nid], tables[nid] = sc, -wh * tab
            nid += 1
        of: dict[int, set] = {j: set() for j in inK}  # variable -> factors holding it
        nbr: dict[int, set] = {j: set() for j in inK}  # variable -> its neighbours
        for f, sc in scopes.items():
            for v in sc:
                of[v].add(f)
                nbr[v].update(sc)
        for v in nbr:
            nbr[v].discard(v)
        heap = [(len(nb), v) for v, nb in nbr.items()]
        heapq.heapify(heap)
        limit = ELIMINATION_CELLS
        while heap:
            d, v = heapq.heappop(heap)
            if v not in of or d != len(nbr[v]):
                continue  # stale entry (eliminated, or its degree changed)
            fs = of.pop(v)
            nb = nbr.pop(v)
            scope = tuple(sorted(nb | {v}))
            if kk ** len(scope) > limit:
                return None
            total = None
            for f in fs:
                sc = scopes.pop(f)
                tab = tables.pop(f)
                if sc != scope:
                    tab = tab.reshape([kk if u in sc else 1 for u in scope])
                total = tab if total is None else total + tab
                for u in sc:
                    if u != v:
                        of[u].discard(f)
            ax = scope.index(v)
            if total.ndim < len(scope) or total.shape != (kk,) * len(scope):
                total = np.broadcast_to(total, (kk,) * len(scope))
            reduced = total.max(axis=ax)
            if len(scope) > 1:
                new_scope = scope[:ax] + scope[ax + 1 :]
                scopes[nid], tables[nid] = new_scope, reduced
                for u in new_scope:
                    of[u].add(nid)
                    nb_u = nbr[u]
                    nb_u.discard(v)
                    nb_u.update(new_scope)
                    nb_u.discard(u)
                    heapq.heappush(heap, (len(nb_u), u))
                nid += 1
            else:
                const += float(reduced)
        return const

    def _milp(self, K, hs) -> float:
        T = self.T
        mem = T.members[hs]
        J = np.unique(np.concatenate([K, mem[mem >= 0]]))
        sub = restrict(T, hs, J)
        inside = np.isin(J, K)
        fixed = np.where(inside, -1, self.a0[J])
        _, value, bound, sol = optimise(sub, inside.astype(float), fixed, self.time_limit)
        self.counts["milp"] += 1
        if not sol.success:
            self.counts["bounded"] += 1
            if not np.isfinite(value):
                raise InputError(
                    f"a coalition's MILP found no profile ({sol.message})",
                    field="time_limit",
                    value=self.time_limit,
                )
        return float(value)


class _GroupPlan:
    """Exact ``v(P)`` of many coalitions ``P`` of one group at once (Nash outsiders).

    Every member is a variable; a non-member of ``P`` is pinned to ``a0`` by a unary
    factor (0 at ``a0``, ``-inf`` elsewhere), a member pays its cost, and hazard
    ``h`` weighs ``-w_h(P) L_h`` with ``w_h(P) = sum_{j in P} s[h, j]``. Then
    ``v(P)`` is the max-sum of the factors, and the elimination order (min-degree
    on the whole group) and every table's scope do not depend on ``P``: one
    symbolic plan per group, executed on a batch axis of coalitions (all the
    prefixes of an order in one pass). ``None`` from :meth:`build` when a table
    of the plan would exceed ELIMINATION_CELLS.
    """

    def __init__(self, members, hazards, scopes, tables, steps, T, a0):
        self.members, self.hazards = members, hazards
        self.scopes, self.tables, self.steps = scopes, tables, steps
        self.T, self.a0 = T, a0
        self.local = {int(j): t for t, j in enumerate(members)}
        S = T.shares[hazards][:, members].tocsr()
        self.S = S  # (hazards, members) shares

    @classmethod
    def build(cls, T, members, a0):
        members = np.asarray(members, dtype=np.intp)
        inv_cols = set(members.tolist())
        borne = T.shares[:, members].tocsc()
        hs = np.unique(borne.nonzero()[0])
        kk = T.K
        scopes, tables = [], []
        for h in hs.tolist():
            mem = tuple(T.members[h, : T.size[h]].tolist())
            if not set(mem) <= inv_cols:
                return None
            q = len(mem)
            tab = T.loss[T.start[h] : T.start[h + 1]].reshape((kk,) * q)
            scopes.append(mem)
            tables.append(tab.transpose(tuple(range(q - 1, -1, -1))))  # axes in member order
        steps = cls._plan(members, scopes, kk)
        if steps is None:
            return None
        return cls(members, hs, scopes, tables, steps, T, np.asarray(a0, dtype=np.intp))

    @staticmethod
    def _plan(members, scopes, kk):
        """Min-degree elimination: per step ``(variable, factor ids, union scope,
        new factor id)``; factor ids: hazards ``0..H-1``, unaries ``H + t``, new ones
        after. None when a union scope exceeds ELIMINATION_CELLS."""
        H = len(scopes)
        fs = {f: sc for f, sc in enumerate(scopes)}
        for t, j in enumerate(members.tolist()):
            fs[H + t] = (j,)
        of: dict[int, set] = {int(j): set() for j in members.tolist()}
        nbr: dict[int, set] = {int(j): set() for j in members.tolist()}
        for f, sc in fs.items():
            for v in sc:
                of[v].add(f)
                nbr[v].update(sc)
        for v in nbr:
            nbr[v].discard(v)
        heap = [(len(nb), v) for v, nb in nbr.items()]
        heapq.heapify(heap)
        nid = len(fs)
        steps = []
        while heap:
            d, v = heapq.heappop(heap)
            if v not in of or d != len(nbr[v]):
                continue
            ids = of.pop(v)
            scope = tuple(sorted(nbr.pop(v) | {v}))
            if kk ** len(scope) > ELIMINATION_CELLS:
                return None
            for f in ids:
                for u in fs.pop(f):
                    if u != v:
                        of[u].discard(f)
            new_scope = tuple(u for u in scope if u != v)
            steps.append(
                (
                    v,
                    tuple(sorted(ids, key=lambda f: (f >= H, f))),
                    scope,
                    nid if new_scope else None,
                )
            )
            if new_scope:
                fs[nid] = new_scope
                for u in new_scope:
                    of[u].add(nid)
                    nbr[u].discard(v)
                    nbr[u].update(x for x in new_scope if x != u)
                    heapq.heappush(heap, (len(nbr[u]), u))
                nid += 1
        return steps

    def values(self, member: np.ndarray) -> np.ndarray:
        """``v(P_b)`` for the coalitions given as rows of a bool ``(B, members)`` matrix.

        Tables carry the batch on their last axis (contiguous), so every operation
        of the plan is one numpy loop over the coalitions."""
        T, kk = self.T, self.T.K
        B = member.shape[0]
        H = len(self.scopes)
        w = np.asarray(self.S @ member.T.astype(float)) if H else np.zeros((0, B))  # (H, B)
        scope_of = {f: sc for f, sc in enumerate(self.scopes)}
        table_of = {}
        pin = np.full((len(self.members), kk), -np.inf)
        pin[np.arange(len(self.members)), self.a0[self.members]] = 0.0
        neg_cost = -T.costs[self.members]
        for t, j in enumerate(self.members.tolist()):
            scope_of[H + t] = (j,)
            table_of[H + t] = np.where(member[:, t][None, :], neg_cost[t][:, None], pin[t][:, None])
        const = np.zeros(B)
        for v, ids, scope, nid in self.steps:
            total = None
            for f in ids:
                sc = scope_of.pop(f)
                if f < H:
                    tab = self.tables[f][..., None] * -w[f]
                else:
                    tab = table_of.pop(f)
                if sc != scope:
                    tab = tab.reshape(tuple(kk if u in sc else 1 for u in scope) + (B,))
                total = tab if total is None else total + tab
            total = np.broadcast_to(total, (kk,) * len(scope) + (B,))
            ax = scope.index(v)  # max over v's axis, as K elementwise maxima
            reduced = total.take(0, axis=ax)
            for k in range(1, kk):
                reduced = np.maximum(reduced, total.take(k, axis=ax))
            if nid is None:
                const += reduced
            else:
                scope_of[nid] = tuple(u for u in scope if u != v)
                table_of[nid] = reduced
        return const
