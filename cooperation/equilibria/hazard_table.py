"""Each hazard's expected loss tabulated over the configurations of the jurisdictions
it involves: the data of the MILPs of :mod:`.milp` and of the coalition values of
:mod:`cooperation.coalitions.sampled`.

``L_h(a) = p_h(a) D_h(a)`` depends only on the levels of ``I(h)`` (origins, those
who bear ``h``, the weights and process units of its response channel). The
table holds ``L_h(c)`` for every configuration ``c = sum_t a_t K**t`` of ``I(h)``
(ascending jurisdiction order), evaluated by the scenario itself
(``Scenario.hazard_state``, the one payoff model): hazards with pairwise disjoint
``I(h)`` (one colour of a greedy colouring) share each batch of profiles, so the
cost is ``O(colours x K**max|I(h)| x (n + nnz))``. A hazard with more than
:data:`MAX_HAZARD_CONFIGS` configurations is not tabulated; it keeps a lower
bound on its loss (``loss_floor``: every member at the ladder's largest effort
and coordination).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

__all__ = ["MAX_HAZARD_CONFIGS", "PROFILE_BATCH_CELLS", "HazardTable", "hazard_table", "restrict"]

#: most local configurations K**|I(h)| of one hazard that the MILP linearises exactly
MAX_HAZARD_CONFIGS = 4096
#: profile cells (profiles x jurisdictions) evaluated per batch when tabulating L_h
PROFILE_BATCH_CELLS = 1 << 22


@dataclass(frozen=True, eq=False)
class HazardTable:
    """Each hazard's expected loss ``L_h(c)`` over the configurations of ``I(h)``.

    ``members[h, t]``: the ``t``-th jurisdiction of ``I(h)`` (ascending; -1 pads);
    ``start[h]:start[h + 1]`` the hazard's configurations in the flat arrays
    ``hz`` (hazard), ``conf`` (configuration index ``c = sum_t a_t K**t``) and
    ``loss``; ``exact[h]`` False for hazards with more than
    :data:`MAX_HAZARD_CONFIGS` configurations, which have no rows here and enter
    at ``loss_floor[h]``.
    """

    n: int
    K: int
    members: np.ndarray
    size: np.ndarray
    exact: np.ndarray
    start: np.ndarray
    hz: np.ndarray
    conf: np.ndarray
    loss: np.ndarray
    loss_floor: np.ndarray
    shares: sp.csr_matrix  # (H, n) s[h, i]
    costs: np.ndarray  # (n, K)

    @property
    def n_configs(self) -> int:
        return int(self.loss.size)

    def digit(self, t) -> np.ndarray:
        """Level of the ``t``-th member in each configuration (flat, like ``conf``)."""
        return (self.conf // self.K ** np.asarray(t)) % self.K

    def loss_range(self) -> np.ndarray:
        """``max_c L_h - min_c L_h`` per hazard (the floor for hazards not tabulated)."""
        H = len(self.size)
        hi = np.full(H, -np.inf)
        lo = np.full(H, np.inf)
        np.maximum.at(hi, self.hz, self.loss)
        np.minimum.at(lo, self.hz, self.loss)
        out = np.where(self.exact, hi - lo, 0.0)
        return np.where(np.isfinite(out), out, 0.0)


def restrict(T: HazardTable, hazards, juris) -> HazardTable:
    """The table of ``hazards`` over the jurisdictions ``juris`` (which must hold every
    member of those hazards), renumbered ``0..len(juris) - 1``."""
    hazards = np.asarray(hazards, dtype=np.intp)
    juris = np.asarray(juris, dtype=np.intp)
    loc = np.full(T.n, -1, dtype=np.intp)
    loc[juris] = np.arange(juris.size)
    mem = T.members[hazards]
    mem = np.where(mem >= 0, loc[np.maximum(mem, 0)], -1)
    cnt = T.start[hazards + 1] - T.start[hazards]
    start = np.concatenate([[0], np.cumsum(cnt)])
    idx = np.repeat(T.start[hazards] - start[:-1], cnt) + np.arange(start[-1])
    return HazardTable(
        int(juris.size),
        T.K,
        mem,
        T.size[hazards],
        T.exact[hazards],
        start,
        np.repeat(np.arange(hazards.size), cnt),
        T.conf[idx],
        T.loss[idx],
        T.loss_floor[hazards],
        T.shares[hazards][:, juris].tocsr(),
        T.costs[juris],
    )


def _members(scenario) -> tuple[np.ndarray, np.ndarray]:
    inv = scenario.involvement.tocsr()
    inv.sort_indices()
    size = np.diff(inv.indptr)
    H = len(size)
    M = np.full((H, max(int(size.max(initial=0)), 1)), -1, dtype=np.intp)
    rows = np.repeat(np.arange(H), size)
    cols = np.arange(inv.nnz) - np.repeat(inv.indptr[:-1], size)
    M[rows, cols] = inv.indices
    return M, size


def _colours(M: np.ndarray, size: np.ndarray, keep: np.ndarray, n: int) -> np.ndarray:
    """Greedy colouring: hazards of one colour have pairwise disjoint ``I(h)``."""
    colour = np.full(len(size), -1, dtype=np.intp)
    used: list[set] = [set() for _ in range(n)]
    for h in np.flatnonzero(keep):
        mem = M[h, : size[h]]
        taken = set().union(*(used[j] for j in mem)) if len(mem) else set()
        g = 0
        while g in taken:
            g += 1
        colour[h] = g
        for j in mem:
            used[j].add(g)
    return colour


def _tabulate(scenario, M, size, exact, K, progress=None):
    """``(hz, conf, loss)`` of every configuration of the exact hazards, evaluated with
    ``scenario.hazard_state`` on batches of profiles (disjoint hazards share a profile)."""
    n = scenario.n_players
    colour = _colours(M, size, exact, n)
    cnt = np.where(exact, K**size, 0)
    start = np.concatenate([[0], np.cumsum(cnt)])
    hz = np.repeat(np.arange(len(size)), cnt)
    conf = np.arange(start[-1]) - start[hz]
    loss = np.empty(start[-1])
    per_batch = max(1, PROFILE_BATCH_CELLS // max(n, 1))
    pending: list = []  # (profiles, hazards of the colour)

    def flush():
        if not pending:
            return
        P = np.vstack([p for p, _ in pending])
        p, D = scenario.hazard_state(P)
        L = p * D
        r0 = 0
        for prof, hs in pending:
            for h in hs:
                loss[start[h] : start[h + 1]] = L[r0 : r0 + cnt[h], h]
            r0 += prof.shape[0]
        pending.clear()

    rows = 0
    groups = range(int(colour.max(initial=-1)) + 1)
    for g in progress(groups, "hazard tables") if progress else groups:
        hs = np.flatnonzero(colour == g)
        rows_g = int(cnt[hs].max())
        P = np.zeros((rows_g, n), dtype=np.intp)
        c = np.arange(rows_g)[:, None]
        for t in range(int(size[hs].max())):
            sel = hs[size[hs] > t]
            lv = ((c % (K ** size[sel])[None, :]) // K**t) % K
            P[:, M[sel, t]] = lv
        pending.append((P, hs))
        rows += rows_g
        if rows >= per_batch:
            flush()
            rows = 0
    flush()
    return start, hz, conf, loss


def _loss_floor(scenario, h) -> float:
    """A lower bound on ``L_h`` over all profiles: every member at the ladder's largest
    effort and coordination (0 for a hazard whose response comes from a process)."""
    hzd = scenario.hazards[h]
    e = max(a.effort for a in scenario.actions)
    g = max(a.coordination for a in scenario.actions)
    prev = (
        hzd.prevention
        if isinstance(hzd.prevention, dict)
        else {o: float(hzd.prevention) for o in hzd.origins}
    )
    p = hzd.probability * float(np.prod([1.0 - r * e for r in prev.values()]))
    if hzd.process is not None:
        return 0.0
    return p * hzd.damage * (1.0 - hzd.response * g)


def hazard_table(scenario, progress=None) -> HazardTable:
    """Tabulate ``L_h`` over the configurations of ``I(h)`` (module notes)."""
    M, size = _members(scenario)
    K = scenario.n_levels
    with np.errstate(over="ignore"):
        exact = np.asarray(K ** size.astype(float) <= MAX_HAZARD_CONFIGS)
    start, hz, conf, loss = _tabulate(scenario, M, size, exact, K, progress)
    floor = np.array([0.0 if exact[h] else _loss_floor(scenario, h) for h in range(len(size))])
    return HazardTable(
        scenario.n_players,
        K,
        M,
        size,
        exact,
        start,
        hz,
        conf,
        loss,
        floor,
        scenario.spillover_matrix.tocsr(),
        np.asarray(scenario.costs, float),
    )
