"""What the compensation LP needs from a game or a scenario, evaluated only where needed.

The LP of :func:`design_compensation` needs, for each jurisdiction ``i``:

* ``u_i(a*)``: its payoff at the target profile ``a*``;
* ``o_i``: its outside option (payoff without an agreement);
* ``dev_i = max_{a_i' != a*_i} u_i(a_i', a*_{-i})``: its best unilateral deviation.

For a :class:`~cooperation.NormalFormGame` (or a small scenario, whose payoff
tensor has at most ``tensor_max_profiles`` cells) these come from the tensor,
with exact answers: the social optimum, the worst-welfare pure Nash
equilibrium. For a large scenario no tensor can exist, so everything is
evaluated with ``scenario.payoffs(profiles)`` on a handful of profiles and
``scenario.deviation_payoffs(profile)`` (``O(nnz)`` per call), and the two
searches are heuristics that say so:

* default target: the best of the welfare 1-opt local maxima reached by
  coordinate ascent from everyone-cooperates and from everyone-self (no
  single jurisdiction can raise total welfare by changing its level), not
  certified globally optimal;
* ``"nash"`` outside option: a pure Nash equilibrium reached by asynchronous
  best-response dynamics from everyone-self (the status quo 属地 start), not
  certified to be the worst-welfare equilibrium.

Both searches move several jurisdictions per round, but only jurisdictions
whose hazards are pairwise disjoint (they share no hazard), so the moves do
not interact and each round equals a sequence of one-at-a-time moves. For
coordinate ascent this makes every round a strict welfare improvement; for
best-response dynamics it is the asynchronous (one player at a time) process.

References
----------
Monderer, D. and Shapley, L. S. (1996). Potential games. *Games and Economic
Behavior* 14, 124-143 (convergence of one-at-a-time best responses).
Papadimitriou, C. H. and Steiglitz, K. (1982). *Combinatorial Optimization*,
ch. 19 (local search, 1-opt neighbourhoods).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .._numeric import RTOL, gap_tol, span
from ..errors import GameError, InputError
from ..games.normal_form import NormalFormGame

TENSOR_MAX_PROFILES = 2 ** 16


class PayoffModel:
    """Uniform, lazy access to the payoffs of a game or a scenario."""

    def __init__(self, obj, tensor_max_profiles: int = TENSOR_MAX_PROFILES):
        from ..scenario.model import Scenario

        self.scenario = None
        self.game = None
        if isinstance(obj, Scenario):
            self.scenario = obj
            self.players = tuple(obj.players)
            self.shape = (obj.n_levels,) * obj.n_players
            self.actions = tuple(tuple(obj.action_names) for _ in self.players)
            self.unit = obj.unit
            self.name = obj.name
            if obj.n_levels ** obj.n_players <= tensor_max_profiles:
                self.game = obj.to_game(max_profiles=tensor_max_profiles)
        elif isinstance(obj, NormalFormGame):
            self.game = obj
        elif isinstance(obj, np.ndarray | list | tuple):
            self.game = NormalFormGame.from_arrays(np.asarray(obj, dtype=float))
        else:
            raise InputError("must be a NormalFormGame, a Scenario or a payoff array",
                             field="game", value=type(obj).__name__)
        if self.scenario is None:
            g = self.game
            self.players = g.players
            self.shape = g.shape
            self.actions = g.actions
            self.unit = g.unit
            self.name = g.name
        self.n = len(self.players)

    @property
    def small(self) -> bool:
        return self.game is not None

    def payoffs(self, profiles) -> np.ndarray:
        P = np.atleast_2d(np.asarray(profiles, dtype=np.intp))
        if self.game is not None:
            return np.asarray(self.game.payoffs[(slice(None),) + tuple(P.T)].T, dtype=float)
        return self.scenario.payoffs(P)

    def deviations(self, profile) -> np.ndarray:
        """``out[i, k] = u_i(k, a_{-i})``, ``-inf`` where player ``i`` has fewer actions."""
        a = np.asarray(profile, dtype=np.intp)
        if self.game is None:
            return self.scenario.deviation_payoffs(a)
        U = self.game.payoffs
        kmax = max(self.shape)
        out = np.full((self.n, kmax), -np.inf)
        for i in range(self.n):
            idx = list(a)
            idx[i] = slice(None)
            out[i, :self.shape[i]] = U[(i,) + tuple(idx)]
        return out

    def label(self, profile) -> tuple[str, ...]:
        return tuple(self.actions[i][int(k)] for i, k in enumerate(profile))

    # ------------------------------------------------------------------ input checking
    def check_profile(self, profile, field: str) -> np.ndarray:
        """A profile given as indices, labels, a mapping player -> action, or a single
        action label applied to everyone."""
        if isinstance(profile, str):
            hits = [i for i in range(self.n) if profile not in self.actions[i]]
            if hits:
                raise GameError(f"unknown action for {self.players[hits[0]]}; actions are "
                                f"{list(self.actions[hits[0]])}", field=field, value=profile)
            return np.array([self.actions[i].index(profile) for i in range(self.n)],
                            dtype=np.intp)
        if isinstance(profile, Mapping):
            unknown = [p for p in profile if p not in self.players]
            if unknown:
                raise InputError(f"unknown jurisdiction; known: {_preview(self.players)}",
                                 field=field, value=unknown[0])
            missing = [p for p in self.players if p not in profile]
            if missing:
                raise InputError("needs an action for every jurisdiction", field=field,
                                 value=f"missing {missing[:5]}")
            profile = [profile[p] for p in self.players]
        if isinstance(profile, pd.Series):
            profile = profile.reindex(self.players).tolist()
        prof = list(np.asarray(profile, dtype=object).ravel()) if not isinstance(
            profile, Sequence) else list(profile)
        if len(prof) != self.n:
            raise GameError(f"needs one action per jurisdiction ({self.n})", field=field,
                            value=f"length {len(prof)}")
        out = np.empty(self.n, dtype=np.intp)
        for i, x in enumerate(prof):
            if isinstance(x, str):
                if x not in self.actions[i]:
                    raise GameError(f"unknown action of {self.players[i]}; actions are "
                                    f"{list(self.actions[i])}", field=f"{field}[{i}]", value=x)
                out[i] = self.actions[i].index(x)
            else:
                try:
                    k = int(x)
                    ok = k == x
                except (TypeError, ValueError):
                    ok = False
                if not ok or not 0 <= k < self.shape[i]:
                    raise GameError(f"action of {self.players[i]} must be an integer in "
                                    f"0..{self.shape[i] - 1} or an action label",
                                    field=f"{field}[{i}]", value=x)
                out[i] = k
        return out

    def check_vector(self, value, field: str, *, allow_inf: bool = False,
                     nonneg: bool = False) -> np.ndarray:
        """A per-jurisdiction number given as Series/mapping (by name) or array (by order)."""
        if isinstance(value, pd.Series | Mapping):
            d = dict(value.items())
            unknown = [k for k in d if k not in self.players]
            if unknown:
                raise InputError(f"unknown jurisdiction; known: {_preview(self.players)}",
                                 field=field, value=unknown[0])
            missing = [p for p in self.players if p not in d]
            if missing:
                raise InputError("needs a value for every jurisdiction", field=field,
                                 value=f"missing {missing[:5]}",
                                 fix="give every jurisdiction (use inf for 'no cap')"
                                 if allow_inf else None)
            arr = np.array([d[p] for p in self.players], dtype=float)
        else:
            try:
                arr = np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                raise InputError("must be numbers, one per jurisdiction", field=field,
                                 value=value) from None
            if arr.ndim == 0:
                arr = np.full(self.n, float(arr))
            if arr.shape != (self.n,):
                raise InputError(f"needs one value per jurisdiction ({self.n})", field=field,
                                 value=f"shape {arr.shape}")
        bad = np.flatnonzero(np.isnan(arr) | (np.isinf(arr) & (not allow_inf or arr < 0)))
        if len(bad):
            i = int(bad[0])
            raise InputError("must be a finite number" + (" or inf" if allow_inf else ""),
                             field=f"{field}[{self.players[i]}]", value=float(arr[i]))
        if nonneg:
            neg = np.flatnonzero(arr < 0)
            if len(neg):
                i = int(neg[0])
                raise InputError("must be >= 0", field=f"{field}[{self.players[i]}]",
                                 value=float(arr[i]))
        return arr

    # ------------------------------------------------------------------ searches
    def default_target(self) -> tuple[np.ndarray, bool, str]:
        if self.small:
            from ..equilibria import social_optimum

            opt = social_optimum(self.game)
            note = "social optimum (exhaustive over the payoff tensor)"
            if len(opt.ties) > 1:
                note += f"; {len(opt.ties)} profiles tie, the lexicographically first is used"
            return np.array(opt.profile, dtype=np.intp), True, note
        a, w, rounds = welfare_local_optimum(self.scenario)
        return a, False, (f"welfare 1-opt local maximum by coordinate ascent ({rounds} rounds; "
                          "no single jurisdiction can raise welfare by changing its level); "
                          "NOT certified globally optimal: the tensor is too large")

    def nash_outside(self) -> tuple[np.ndarray, str, np.ndarray | None]:
        """``(payoffs, note, profile)``: the worst-welfare pure NE, or maximin payoffs."""
        if self.small:
            from ..equilibria.pure import pure_equilibria
            from ..equilibria.status_quo import status_quo

            sq = status_quo(self.game)
            if sq.pure:
                regret = pure_equilibria(self.game).max_regret
                note = (f"worst-welfare pure Nash equilibrium ({sq.n_equilibria} pure "
                        f"equilibria; certified by exhaustive check, max regret "
                        f"{regret:.2g})")
                return sq.values, note, np.array(sq.profile, dtype=np.intp)
            return sq.values, ("no pure Nash equilibrium: each jurisdiction's maximin value "
                               "(mixed security level) is used"), None
        a, ok, rounds = best_response_dynamics_sparse(self.scenario)
        if ok:
            note = (f"pure Nash equilibrium reached by asynchronous best-response dynamics from "
                    f"everyone-self in {rounds} rounds (verified: no profitable deviation); "
                    "NOT certified to be the worst-welfare equilibrium: the tensor is too large")
            return self.payoffs(a)[0], note, a
        a0 = np.zeros(self.n, dtype=np.intp)
        note = (f"best-response dynamics did not settle in {rounds} rounds; the outside option "
                "is everyone-self (status quo), which is NOT an equilibrium here")
        return self.payoffs(a0)[0], note, a0


def maximin_values(game: NormalFormGame) -> np.ndarray:
    """Mixed security level of each player (``cooperation.equilibria.security_levels``)."""
    from ..equilibria.status_quo import security_levels

    return security_levels(game)


# ---------------------------------------------------------------------- sparse structure
class _Incidence:
    """Involvement incidence of a scenario: pairs (hazard h, jurisdiction i) with
    ``i in I(h)`` (origins and sharers), with ``r[h, i]`` and ``1/|I(h)|``."""

    def __init__(self, scenario):
        players = tuple(scenario.players)
        index = {p: k for k, p in enumerate(players)}
        hh, ii, rr, ww = [], [], [], []
        for h, hz in enumerate(scenario.hazards):
            inv = sorted({index[o] for o in hz.origins}
                         | {index[j] for j, v in hz.spillover.items() if v > 0})
            prev = hz.prevention if isinstance(hz.prevention, Mapping) else {
                o: hz.prevention for o in hz.origins}
            for i in inv:
                hh.append(h)
                ii.append(i)
                rr.append(float(prev.get(players[i], 0.0)))
                ww.append(1.0 / len(inv))
        self.h = np.array(hh, dtype=np.intp)
        self.i = np.array(ii, dtype=np.intp)
        self.r = np.array(rr)
        self.w = np.array(ww)
        self.H = len(scenario.hazards)
        self.n = scenario.n_players
        order = np.argsort(self.i, kind="stable")
        self.by_player = order
        self.player_ptr = np.searchsorted(self.i[order], np.arange(self.n + 1))


def welfare_deviations(scenario, a: np.ndarray, inc: _Incidence | None = None) -> np.ndarray:
    """``out[i, k] = W(k, a_{-i}) - W(a)``: the change in total welfare when
    jurisdiction ``i`` alone moves to level ``k``, in ``O(nnz * K)``.

    ``W(a) = -sum_i c_i(a_i) - sum_h p_h(a) D_h(a)`` (shares sum to 1), and a
    move of ``i`` changes only the hazards ``h`` with ``i in I(h)``.
    """
    inc = inc or _Incidence(scenario)
    K = scenario.n_levels
    eff = np.array([x.effort for x in scenario.actions])
    crd = np.array([x.coordination for x in scenario.actions])
    p, D = scenario.hazard_state(a[None, :])
    p, D = p[0], D[0]
    base = p * D                                               # (H,)
    h, i = inc.h, inc.i
    fac = 1.0 - inc.r * eff[a[i]]                              # own prevention factor now
    # probability without i's own factor: exact also when fac == 0
    with np.errstate(divide="ignore"):
        logf = np.log(fac)
    zero = ~np.isfinite(logf)
    logf = np.where(zero, 0.0, logf)
    logsum = np.bincount(h, weights=logf, minlength=inc.H)
    nzero = np.bincount(h, weights=zero.astype(float), minlength=inc.H)
    probs = scenario.probabilities
    p_wo = probs[h] * np.exp(logsum[h] - logf) * ((nzero[h] - zero) == 0)
    resp = np.array([hz.response for hz in scenario.hazards])
    dmg = scenario.damages
    kap = np.bincount(h, weights=inc.w * crd[a[i]], minlength=inc.H)
    out = np.empty((scenario.n_players, K))
    cost = scenario.costs
    for k in range(K):
        pk = p_wo * (1.0 - inc.r * eff[k])
        dk = dmg[h] * (1.0 - resp[h] * (kap[h] + inc.w * (crd[k] - crd[a[i]])))
        delta = pk * dk - base[h]
        out[:, k] = -np.bincount(i, weights=delta, minlength=scenario.n_players)
        out[:, k] -= cost[:, k] - cost[np.arange(scenario.n_players), a]
    return out


def _disjoint_moves(candidates: np.ndarray, gains: np.ndarray, inc: _Incidence) -> np.ndarray:
    """Greedy (largest gain first) set of candidate jurisdictions whose hazard sets are
    pairwise disjoint; their moves do not interact."""
    used = np.zeros(inc.H, dtype=bool)
    chosen = []
    for j in candidates[np.argsort(-gains, kind="stable")]:
        hs = inc.h[inc.by_player[inc.player_ptr[j]:inc.player_ptr[j + 1]]]
        if not used[hs].any():
            used[hs] = True
            chosen.append(j)
    return np.array(chosen, dtype=np.intp)


def welfare_local_optimum(scenario, max_rounds: int = 10_000,
                          tol: float = RTOL) -> tuple[np.ndarray, float, int]:
    """Best welfare 1-opt local maximum from everyone-cooperates and everyone-self."""
    inc = _Incidence(scenario)
    n = scenario.n_players
    best = None
    total_rounds = 0
    for start in (scenario.cooperative_level, 0):
        a = np.full(n, start, dtype=np.intp)
        for _ in range(max_rounds):
            total_rounds += 1
            dW = welfare_deviations(scenario, a, inc)
            k = np.argmax(dW, axis=1)
            gain = dW[np.arange(n), k]
            u = scenario.payoffs(a[None, :])[0]
            # a gain counts above tol x the deviations' welfare range (unit-free) and
            # above the round-off of the welfare itself
            movers = np.flatnonzero(gain > gap_tol(span(dW), np.abs(u).sum(), tol))
            if not len(movers):
                break
            chosen = _disjoint_moves(movers, gain[movers], inc)
            a = a.copy()
            a[chosen] = k[chosen]
        w = float(scenario.payoffs(a[None, :]).sum())
        if best is None or w > best[1] + gap_tol(0.0, w):
            best = (a, w)
    return best[0], best[1], total_rounds


def best_response_dynamics_sparse(scenario, max_rounds: int = 10_000,
                                  tol: float = RTOL) -> tuple[np.ndarray, bool, int]:
    """Asynchronous best-response dynamics from everyone-self, using
    ``scenario.deviation_payoffs``; returns ``(profile, converged, rounds)``."""
    inc = _Incidence(scenario)
    n = scenario.n_players
    a = np.zeros(n, dtype=np.intp)
    seen = set()
    for r in range(1, max_rounds + 1):
        dev = scenario.deviation_payoffs(a)
        cur = dev[np.arange(n), a]
        k = np.argmax(dev, axis=1)
        regret = dev[np.arange(n), k] - cur
        # regret counts above tol x the player's range over its own levels here
        spread = dev.max(axis=1) - dev.min(axis=1)
        movers = np.flatnonzero(regret > gap_tol(spread, cur, tol))
        if not len(movers):
            return a, True, r
        key = a.tobytes()
        if key in seen:   # a cycle of the asynchronous process
            return a, False, r
        seen.add(key)
        chosen = _disjoint_moves(movers, regret[movers], inc)
        a = a.copy()
        a[chosen] = k[chosen]
    return a, False, max_rounds


def _preview(names, limit: int = 8) -> str:
    names = list(names)
    if len(names) <= limit:
        return str(names)
    return str(names[:limit])[:-1] + f", ... ({len(names)} in all)]"
