"""Scenarios: jurisdictions, hazards, spillovers, costs, and what cooperation changes.

The payoff model (docs/model.md, section 2)
-------------------------------------
Jurisdictions ``i = 1..n`` each choose an action level ``a_i`` from an ordered
list shared by all of them (at least two: self-only 属地 and cooperate 协同).
A level ``k`` carries a prevention effort ``e(k)`` in [0, 1] and a coordination
degree ``g(k)`` in [0, 1] (information sharing, joint command); jurisdiction
``i`` pays ``c_i(k)`` for it.

Hazard ``h`` strikes with yearly probability ``p_h`` and does damage ``D_h``,
borne in shares ``s[h, i] >= 0`` with ``sum_i s[h, i] = 1``. Its origins
``P(h)`` cut the probability by prevention (channel 1)::

    p_h(a) = p_h * prod_{i in P(h)} (1 - r[h, i] * e(a_i))

and the jurisdictions involved, ``I(h) = P(h) | {i : s[h, i] > 0}``, cut the
damage that strikes by coordinating the response (channel 2: a shorter
response delay, 协同延迟成本)::

    D_h(a) = D_h * (1 - d_h * kappa_h(a)),   kappa_h(a) = mean_{i in I(h)} g(a_i)

``d_h`` is the share of the damage that a fully coordinated response avoids.
Each hazard chooses how coordination across jurisdictions aggregates into
``kappa_h`` (its *aggregation technology*; Hirshleifer 1983, Sandler 2004):
``mean`` (the default, above), ``weakest_link`` (``min_{i in I(h)} g(a_i)``:
a joint response is as good as its least coordinated member), ``best_shot``
(``max``: one coordinated member suffices) or ``weighted``
(``sum_i w_i g(a_i) / sum_i w_i``, weights by default the damage shares).

Or the response channel comes from a response process (a DAG of tasks owned
by jurisdictions, :class:`cooperation.response.ResponseProcess`): each
owner's delay shrinks with its coordination degree, and::

    D_h(a) = D_h * E[f_h(T(a))]

where ``T(a)`` is the completion time of the joint response under the
coordination degrees of profile ``a`` and ``f_h`` the hazard's damage curve,
as a share of ``D_h`` (estimated on ``process_runs`` fixed runs from
``process_seed``, the same runs for every profile, so payoffs are a
deterministic function of the profile). The jurisdictions involved then
include the process's units.

The payoff of jurisdiction ``i`` before transfers is::

    u_i(a) = - c_i(a_i) - sum_h p_h(a) * D_h(a) * s[h, i]

Everything is computed sparsely (only the pairs ``(h, i)`` with ``r > 0``,
``s > 0`` or ``i in I(h)`` are stored), so batches of profiles and unilateral
deviations are cheap even for thousands of jurisdictions.

The three spillover patterns of the cross-jurisdiction risk literature
(Xu and colleagues' urban cross-domain risk typology, seed paper 004):

1. a shared source: several origins, shares over the same jurisdictions
   (a river basin);
2. one source, many exposed (ash, smog, contagion);
3. source and exposure in different jurisdictions (upstream -> downstream:
   the origin's own share is 0).

References
----------
Sandler, T. (2004). *Global Collective Action*. Cambridge UP (weakest-link and
best-shot public goods of prevention).
Hirshleifer, J. (1983). From weakest-link to best-shot: the voluntary
provision of public goods. *Public Choice* 41, 371-386.
Chander, P. and Tulkens, H. (1997). The core of an economy with multilateral
environmental externalities. *IJGT* 26, 379-401.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._numeric import RTOL, gap_tol
from ..errors import ScenarioError
from ..errors import preview_names as _preview
from .checks import check_actions, check_hazards, check_jurisdictions, check_unused
from .types import SHARE_TOL, ActionLevel, Hazard, Jurisdiction  # noqa: F401  (re-exported)

__all__ = ["ActionLevel", "Jurisdiction", "Hazard", "Scenario"]

class Scenario:
    """A validated, immutable cross-jurisdiction risk scenario.

    Build it in Python or load it with :func:`cooperation.load_scenario`.

    Parameters
    ----------
    jurisdictions : sequence of Jurisdiction
    hazards : sequence of Hazard
    actions : sequence of ActionLevel (or of names, or of dicts)
        The ordered action ladder; at least two levels. Default:
        ``self`` (effort 0, coordination 0) and ``cooperate`` (1, 1).
    unit : str
        The money unit of costs and damages (required), e.g. ``"CNY 100M"``.
    name, description : str
    source : str, optional
        Where the scenario came from (a file path); used in error messages.
    sources : mapping, optional
        Free-form provenance notes (which figures are real, which illustrative).

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.Scenario(
    ...     jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0}),
    ...                    co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.2})],
    ...     hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
    ...                        prevention=0.8, spillover={"Down": 1.0})],
    ...     unit="CNY 100M")
    >>> s.payoffs([[1, 0]]).round(3).tolist()
    [[-1.0, -1.0]]
    """

    def __init__(self, jurisdictions: Sequence[Jurisdiction], hazards: Sequence[Hazard],
                 actions: Sequence[ActionLevel | str | Mapping] | None = None, *,
                 unit: str | None = None, name: str = "", description: str = "",
                 source: str | None = None, sources: Mapping[str, Any] | None = None):
        src = source
        self._source = src
        if unit is None or not isinstance(unit, str) or not unit.strip():
            raise ScenarioError("every scenario states its money unit (e.g. 'CNY 10k')",
                                field="unit", value=unit, source=src)
        self._unit = unit.strip()
        self._name = str(name or "")
        self._description = str(description or "")
        self._sources = dict(sources or {})

        self._actions = check_actions(actions, src)
        names = [a.name for a in self._actions]
        juris, cost, cap, pop = check_jurisdictions(jurisdictions, names, src)
        jnames = [j.name for j in juris]
        index = {nm: i for i, nm in enumerate(jnames)}
        self._juris = tuple(juris)
        self._index = index
        cost.setflags(write=False)
        self._cost = cost
        self._capacity = cap
        self._population = pop
        t = check_hazards(hazards, index, jnames, src)
        hz, prob, dmg, resp = t["hz"], t["prob"], t["dmg"], t["resp"]
        s_vals, s_rows, s_cols = t["S"]
        r_vals, r_rows, r_cols = t["R"]
        i_rows, i_cols = t["I"]
        aggs, k_rows, k_w, procs = t["aggs"], t["k_rows"], t["k_w"], t["procs"]
        self._hazards = tuple(hz)
        check_unused(self._actions, self._hazards, src)
        H, n = len(hz), len(juris)
        for arr in (prob, dmg, resp, cap, pop):
            arr.setflags(write=False)
        self._prob, self._damage, self._response = prob, dmg, resp
        self._S = sp.csr_matrix((s_vals, (s_rows, s_cols)), shape=(H, n))
        self._R = sp.coo_matrix((r_vals, (r_rows, r_cols)), shape=(H, n))
        inv = sp.coo_matrix((np.ones(len(i_rows)), (i_rows, i_cols)), shape=(H, n)).tocsr()
        counts = np.asarray(inv.sum(axis=1)).ravel()
        self._W = sp.csr_matrix(sp.diags(1.0 / np.maximum(counts, 1)) @ inv)  # kappa weights
        # aggregation technologies (docs/model.md, section 2): weighted rows replace the mean
        # weights in kappa only; weakest link / best shot take min / max over I(h)
        self._agg = tuple(aggs)
        self._Wk = self._W
        if k_rows:
            Wk = self._W.tolil()
            for h, wts in zip(k_rows, k_w, strict=True):
                tot = sum(wts.values())
                Wk[h, :] = 0.0
                for jn_, w in wts.items():
                    Wk[h, index[jn_]] = w / tot
            self._Wk = Wk.tocsr()
        self._minmax = tuple((h, inv[h].indices.copy(), a == "weakest_link")
                             for h, a in enumerate(aggs) if a in ("weakest_link", "best_shot"))
        self._procs = procs

    # ------------------------------------------------------------------ accessors
    @property
    def unit(self) -> str:
        return self._unit

    @property
    def name(self) -> str:
        return self._name

    @property
    def description(self) -> str:
        return self._description

    @property
    def source(self) -> str | None:
        return self._source

    @property
    def sources(self) -> dict:
        return dict(self._sources)

    @property
    def jurisdictions(self) -> tuple[Jurisdiction, ...]:
        return self._juris

    @property
    def hazards(self) -> tuple[Hazard, ...]:
        return self._hazards

    @property
    def actions(self) -> tuple[ActionLevel, ...]:
        return self._actions

    @property
    def players(self) -> tuple[str, ...]:
        """Jurisdiction names in index order."""
        return tuple(j.name for j in self._juris)

    @property
    def action_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self._actions)

    @property
    def n_players(self) -> int:
        return len(self._juris)

    @property
    def n_levels(self) -> int:
        return len(self._actions)

    @property
    def costs(self) -> np.ndarray:
        """``(n, K)`` cost of each level for each jurisdiction (read-only)."""
        return self._cost

    @property
    def capacity(self) -> np.ndarray:
        return self._capacity

    @property
    def population(self) -> np.ndarray:
        return self._population

    @property
    def probabilities(self) -> np.ndarray:
        return self._prob

    @property
    def damages(self) -> np.ndarray:
        return self._damage

    @cached_property
    def spillover_matrix(self) -> sp.csr_matrix:
        """Sparse ``(H, n)`` matrix of damage shares ``s[h, i]``."""
        return self._S.copy()

    @property
    def involvement(self) -> sp.csr_matrix:
        """``(H, n)`` 0/1 matrix: ``[h, i] = 1`` when ``i in I(h)`` (an origin of ``h``
        or bearing a share of it): the hazards a move of ``i`` can change."""
        return (self._W > 0).astype(float).tocsr()

    @cached_property
    def cooperative_level(self) -> int:
        """Index of the cooperative level: the one named ``cooperate``/``C`` if any,
        otherwise the level with the most coordination (then effort)."""
        for k, a in enumerate(self._actions):
            if a.name.lower() in ("cooperate", "c", "cooperation"):
                return k
        key = [(a.coordination, a.effort, k) for k, a in enumerate(self._actions)]
        return max(key)[2]

    def response_process(self, hazard: str | None = None):
        """The response process of a hazard, its damage curve in money
        (``D_h * f_h``); ``hazard`` may be omitted when only one has a process."""
        names = [self._hazards[h].name for h in sorted(self._procs)]
        if not names:
            raise ScenarioError("no hazard of this scenario has a response process",
                                field="hazards", source=self._source, show_value=False,
                                fix='give a hazard process = "tasks.csv" and a damage_curve')
        if hazard is None:
            if len(names) != 1:
                raise ScenarioError(f"name the hazard; hazards with a response process: {names}",
                                    field="hazard", value=None, source=self._source)
            hazard = names[0]
        if hazard not in names:
            raise ScenarioError(f"no response process for this hazard; hazards with one: "
                                f"{names}", field="hazard", value=hazard, source=self._source)
        h = [x.name for x in self._hazards].index(hazard)
        proc = self._procs[h][0]
        return proc.with_damage(proc.damage.scaled(float(self._damage[h])))

    def index_of(self, jurisdiction: str) -> int:
        try:
            return self._index[jurisdiction]
        except KeyError:
            raise ScenarioError(f"unknown jurisdiction; known: {_preview(self.players)}",
                                field="jurisdiction", value=jurisdiction) from None

    # ------------------------------------------------------------------ payoffs
    def _check_profiles(self, profiles) -> np.ndarray:
        P = np.asarray(profiles)
        if P.ndim == 1:
            P = P[None, :]
        if P.ndim != 2 or P.shape[1] != self.n_players:
            raise ScenarioError(f"must have shape (m, {self.n_players}): one level index per "
                                "jurisdiction", field="profiles", value=f"shape {P.shape}")
        if P.size and (not np.issubdtype(P.dtype, np.integer)):
            Pi = np.rint(P)
            if not np.array_equal(Pi, P):
                raise ScenarioError("level indices must be integers", field="profiles",
                                    value="non-integer entries")
            P = Pi.astype(np.int64)
        if P.size and (P.min() < 0 or P.max() >= self.n_levels):
            raise ScenarioError(f"level indices must be in 0..{self.n_levels - 1}",
                                field="profiles", value=int(P.min() if P.min() < 0 else P.max()))
        return P.astype(np.intp, copy=False)

    def hazard_state(self, profiles) -> tuple[np.ndarray, np.ndarray]:
        """``(p, D)``: each hazard's probability and damage at each profile, both ``(m, H)``."""
        P = self._check_profiles(profiles)
        return self._hazard_state(P)

    def _hazard_state(self, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        effort = np.array([a.effort for a in self._actions])[P]  # (m, n)
        coord = np.array([a.coordination for a in self._actions])[P]
        R = self._R
        H = len(self._hazards)
        # log of prevention factors, per (profile, origin entry), summed per hazard
        with np.errstate(divide="ignore"):
            logf = np.log1p(-(effort[:, R.col] * R.data))  # (m, nnz); -inf when r*e == 1
        agg = sp.csr_matrix((np.ones(R.nnz), (np.arange(R.nnz), R.row)), shape=(R.nnz, H))
        finite = np.where(np.isfinite(logf), logf, 0.0)
        zero = ~np.isfinite(logf)
        logsum = np.asarray(finite @ agg) if R.nnz else np.zeros((P.shape[0], H))
        nzero = np.asarray(zero.astype(float) @ agg) if R.nnz else np.zeros((P.shape[0], H))
        prob = self._prob * np.exp(logsum) * (nzero == 0)
        kappa = np.asarray((self._Wk @ coord.T).T)  # (m, H)
        for h, idx, weakest in self._minmax:
            kappa[:, h] = coord[:, idx].min(axis=1) if weakest else coord[:, idx].max(axis=1)
        damage = self._damage * (1.0 - self._response * kappa)
        for h, (proc, units, runs, seed) in self._procs.items():
            damage[:, h] = self._damage[h] * proc.expected_damage(coord[:, units], runs, seed)
        return prob, damage

    def payoffs(self, profiles) -> np.ndarray:
        """Payoffs ``u_i(a)`` for a batch of pure profiles, without any tensor.

        Parameters
        ----------
        profiles : int array, shape (m, n) (or (n,) for one profile)
            Level index of each jurisdiction.

        Returns
        -------
        ndarray, shape (m, n)
            ``u_i(a) = - c_i(a_i) - sum_h p_h(a) D_h(a) s[h, i]``.
        """
        P = self._check_profiles(profiles)
        prob, damage = self._hazard_state(P)
        loss = np.asarray((prob * damage) @ self._S)
        return 0.0 - self._cost[np.arange(self.n_players), P] - loss

    def expected_losses(self, profiles) -> np.ndarray:
        """Expected hazard loss of each jurisdiction, ``(m, n)`` (payoff without costs, negated)."""
        P = self._check_profiles(profiles)
        prob, damage = self._hazard_state(P)
        return np.asarray((prob * damage) @ self._S)

    def deviation_payoffs(self, profile) -> np.ndarray:
        """``out[i, k] = u_i(k, a_{-i})``: each jurisdiction's payoff from each level
        while everyone else keeps ``profile``.

        Uses the separable structure: only hazards that jurisdiction ``i`` bears
        enter, so the cost is ``O(nnz(s) * K)``, not ``O(n^2)``.
        """
        P = self._check_profiles(profile)
        if P.shape[0] != 1:
            raise ScenarioError("takes one profile", field="profile", value=f"shape {P.shape}")
        return self._deviation_payoffs_sparse(P[0])

    def _deviation_payoffs_sparse(self, a: np.ndarray) -> np.ndarray:
        S = self._S.tocoo()
        h, i = S.row, S.col
        pk, dk = self._pair_states(a, h, i)
        out = -self._cost.copy()
        for k in range(self.n_levels):
            out[:, k] -= np.bincount(i, weights=pk[:, k] * dk[:, k] * S.data,
                                     minlength=self.n_players)
        return out

    def welfare_deviations(self, profile) -> np.ndarray:
        """``out[i, k] = W(k, a_{-i}) - W(a)``: the change in total welfare when
        jurisdiction ``i`` alone moves to level ``k``.

        ``W(a) = -sum_i c_i(a_i) - sum_h p_h(a) D_h(a)`` (shares sum to 1), and a
        move of ``i`` changes only the hazards that involve it (``i in I(h)``), so
        the cost is ``O(nnz * K)``: the same evaluation as :meth:`deviation_payoffs`,
        over the involvement pairs instead of the exposure pairs.
        """
        a = self._check_profiles(profile)
        if a.shape[0] != 1:
            raise ScenarioError("takes one profile", field="profile", value=f"shape {a.shape}")
        a = a[0]
        W = self._W.tocoo()
        h, i = W.row, W.col
        pk, dk = self._pair_states(a, h, i)
        p, D = self._hazard_state(a[None, :])
        base = (p * D)[0][h]
        n = self.n_players
        out = np.empty((n, self.n_levels))
        for k in range(self.n_levels):
            out[:, k] = -np.bincount(i, weights=pk[:, k] * dk[:, k] - base, minlength=n)
            out[:, k] -= self._cost[:, k] - self._cost[np.arange(n), a]
        return out

    def _pair_states(self, a: np.ndarray, h: np.ndarray, i: np.ndarray):
        """Probability and damage of hazard ``h`` when jurisdiction ``i`` alone moves to
        each level ``k`` from profile ``a``: two ``(len(h), K)`` arrays, one row per pair.

        The one unilateral-deviation evaluation of the payoff model: probabilities
        divide out ``i``'s own prevention factor in log space (exact also when a
        factor is 0), coordination replaces ``i``'s term in ``kappa_h``.
        """
        eff_levels = np.array([x.effort for x in self._actions])
        coord_levels = np.array([x.coordination for x in self._actions])
        R = self._R.tocsr()
        Rcur = R.multiply(eff_levels[a][None, :]).tocsr()
        with np.errstate(divide="ignore"):
            logv = np.log1p(-Rcur.data)
        zero = ~np.isfinite(logv)
        Lz = sp.csr_matrix((np.where(zero, 0.0, logv), Rcur.indices, Rcur.indptr), Rcur.shape)
        Z = sp.csr_matrix((zero.astype(float), Rcur.indices, Rcur.indptr), Rcur.shape)
        logsum = np.asarray(Lz.sum(axis=1)).ravel()
        nzero = np.asarray(Z.sum(axis=1)).ravel()
        kappa = self._Wk @ coord_levels[a]
        fin_hi = np.asarray(Lz[h, i]).ravel()
        zero_hi = np.asarray(Z[h, i]).ravel()
        r_hi = np.asarray(R[h, i]).ravel()
        w_hi = np.asarray(self._Wk[h, i]).ravel()
        p_wo = self._prob[h] * np.exp(logsum[h] - fin_hi) * ((nzero[h] - zero_hi) == 0)
        pk = p_wo[:, None] * (1.0 - r_hi[:, None] * eff_levels[None, :])
        kap = kappa[h][:, None] + w_hi[:, None] * (coord_levels[None, :]
                                                   - coord_levels[a[i]][:, None])
        if self._minmax:
            kap = self._minmax_deviations(kap, a, h, i, coord_levels)
        dk = self._damage[h][:, None] * (1.0 - self._response[h][:, None] * kap)
        for hp, (proc, units, runs, seed) in self._procs.items():
            for r in np.flatnonzero(h == hp):
                rows = np.tile(coord_levels[a[units]], (len(coord_levels), 1))
                rows[:, units == i[r]] = coord_levels[:, None]
                dk[r] = self._damage[hp] * proc.expected_damage(rows, runs, seed)
        return pk, dk

    def _minmax_deviations(self, kap, a, h, i, coord_levels):
        """``kappa_h`` of weakest-link / best-shot hazards when ``i`` alone moves to
        each level: the min / max over ``I(h)`` with ``i``'s degree replaced."""
        g = coord_levels[a]
        for hh, idx, weakest in self._minmax:
            agg = np.min if weakest else np.max
            for r in np.flatnonzero(h == hh):
                others = g[idx[idx != i[r]]]
                if others.size == len(idx):          # i is not involved: nothing changes
                    kap[r] = agg(others)
                elif others.size == 0:
                    kap[r] = coord_levels
                else:
                    kap[r] = (np.minimum if weakest else np.maximum)(agg(others), coord_levels)
        return kap

    def best_responses(self, profile, tol: float = RTOL) -> np.ndarray:
        """Boolean ``(n, K)``: which levels are best responses of each jurisdiction to
        ``profile``, to ``tol`` times the spread of its payoffs over its own levels (plus
        round-off), so the answer does not depend on the money unit."""
        dev = self.deviation_payoffs(profile)
        best = dev.max(axis=1, keepdims=True)
        spread = best - dev.min(axis=1, keepdims=True)
        return best - dev <= gap_tol(spread, best, tol)

    def is_equilibrium(self, profile, tol: float = RTOL) -> bool:
        """Whether a pure profile is a Nash equilibrium (no jurisdiction gains by deviating)."""
        P = self._check_profiles(profile)[0]
        br = self.best_responses(P, tol)
        return bool(br[np.arange(self.n_players), P].all())

    # ------------------------------------------------------------------ the game
    def to_game(self, max_profiles: int | None = None):
        """The normal-form game: :meth:`NormalFormGame.from_scenario` of this scenario.

        Refuses games with more than ``max_profiles`` profiles (default: that of
        ``from_scenario``, ``GAME_MAX_PROFILES``): use :meth:`payoffs` and
        :meth:`deviation_payoffs` there.
        """
        from ..games.normal_form import NormalFormGame

        if max_profiles is None:
            return NormalFormGame.from_scenario(self)
        return NormalFormGame.from_scenario(self, max_profiles=max_profiles)

    # ------------------------------------------------------------------ files
    def to_toml(self, path=None):
        """The scenario in the scenario file format (docs/reference/scenario-format.md).

        Returns the TOML text when ``path`` is None; otherwise writes it atomically
        (temporary file, then rename) and returns the path. Loading the text gives a
        scenario equal to this one (same levels, jurisdictions, costs, capacities,
        hazards, response processes and sources; floats written exactly).
        See :func:`cooperation.scenario.writer.to_toml`.
        """
        from .writer import to_toml

        return to_toml(self, path)

    # ------------------------------------------------------------------ display
    def to_frame(self):
        """Jurisdictions table: capacity, population, cost of each level, expected loss
        when everyone goes it alone and when everyone cooperates."""
        import pandas as pd

        df = pd.DataFrame({"capacity": self._capacity, "population": self._population},
                          index=pd.Index(self.players, name="jurisdiction"))
        for k, a in enumerate(self._actions):
            df[f"cost[{a.name}]"] = self._cost[:, k]
        base = np.zeros((1, self.n_players), dtype=np.intp)
        coop = np.full((1, self.n_players), self.cooperative_level, dtype=np.intp)
        df["loss[all self]"] = self.expected_losses(base)[0]
        df[f"loss[all {self._actions[self.cooperative_level].name}]"] = \
            self.expected_losses(coop)[0]
        return df

    def hazards_frame(self):
        """Hazards table: probability, damage, response reduction, origins and shares."""
        import pandas as pd

        rows = []
        for hz in self._hazards:
            rows.append({"hazard": hz.name, "probability": hz.probability,
                         "damage": hz.damage, "response": hz.response,
                         "origins": ", ".join(hz.origins),
                         "spillover": ", ".join(f"{k}: {v:g}" for k, v in hz.spillover.items())})
        return pd.DataFrame(rows).set_index("hazard")

    def __repr__(self) -> str:
        nm = f"{self._name!r}, " if self._name else ""
        return (f"Scenario({nm}{self.n_players} jurisdictions, {len(self._hazards)} hazards, "
                f"levels {list(self.action_names)}, unit={self._unit!r})")

    def _repr_html_(self) -> str:
        return f"<p>{self!r}</p>" + self.to_frame().head(50)._repr_html_()

    def __eq__(self, other) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return (self.players == other.players and self._actions == other._actions
                and self._hazards == other._hazards and self._unit == other._unit
                and np.array_equal(self._cost, other._cost))

    __hash__ = None  # type: ignore[assignment]
