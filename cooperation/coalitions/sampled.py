"""Cooperative values of scenarios too large for ``2**n`` coalitions.

Independent groups. Two jurisdictions interact when some hazard involves both
(``I(h)``, :mod:`cooperation.equilibria.milp`); the connected groups of that
graph share no hazard, so every coalition's value splits over them::

    v(S) = sum_G v_G(S & G)

(the outsiders of other groups cannot touch a group's payoffs). By Shapley's
additivity and null-player axioms each jurisdiction's Shapley value is its value
in its own group's game, the core is the product of the groups' cores, and a
group of at most :data:`EXACT_GROUP_PLAYERS` jurisdictions is solved exactly on
its own scenario (:func:`~cooperation.coalitions.characteristic.characteristic_function`
with any ``outsiders``, :func:`~cooperation.coalitions.shapley.shapley`,
:func:`~cooperation.coalitions.core.most_violated_coalition`).

Sampled values. In a larger group the Shapley value is estimated from
``permutations`` random orders (Castro, Gomez and Tejada 2009), taken in
antithetic pairs (an order and its reverse; Mitchell et al. 2022)::

    phi_i ~ mean over orders of  v(P_i + i) - v(P_i)

with ``P_i`` the members before ``i``, and its standard error ``sd / sqrt(pairs)``
from the pairs' means (independent of each other). Each ``v(P)`` is exact, for
Nash outsiders (``outsiders="nash"``: everyone outside ``P`` keeps the
worst-welfare pure equilibrium ``a0``)::

    v(P) = max_{a_P} sum_{j in P} u_j(a_P, a0_{-P})

a max-sum over the hazards' loss tables. All the prefixes of an order are valued
in batched passes of one variable-elimination plan per group (non-members pinned
to ``a0``, so the plan is the same for every coalition;
:mod:`cooperation.coalitions._values`); a group whose plan would need tables
beyond ``ELIMINATION_CELLS`` is valued cluster by cluster (enumeration, variable
elimination, MILP). Every order's marginals sum to ``v(G)``, so the estimate is
efficient. The gamma function (outsiders best-reply to the coalition) would need
a bilevel problem per coalition: with ``outsiders="gamma"`` only the exact groups
get values.

Core checks at this scale. Every prefix ``P`` of every sampled order is a
coalition whose value is known exactly; an allocation with ``v(P) > x(P)`` for
one of them is certified outside the core (the coalition is named). Finding
none proves nothing: ``in_core`` is then ``None`` (not established) unless every
group was exact. ``max_excess`` combines the groups' largest excesses
``e_G`` as ``sum_G max(0, e_G)`` (or ``max_G e_G`` when none is positive),
exact or a lower bound.

References
----------
Shapley, L. S. (1953). A value for n-person games. In *Contributions to the
Theory of Games II*, Princeton UP, 307-317 (additivity, null players).
Castro, J., Gomez, D. and Tejada, J. (2009). Polynomial calculation of the
Shapley value based on sampling. *Computers & Operations Research* 36, 1726-1730.
Mitchell, R., Cooper, J., Frank, E. and Holmes, G. (2022). Sampling permutations
for Shapley value estimation. *JMLR* 23(43), 1-46.
Maleki, S. et al. (2013). Bounding the estimation error of sampling-based
Shapley value approximation. arXiv:1306.4265.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from .._checks import check_int
from .._numeric import RTOL, TINY
from .._progress import progress_bar
from .._random import generator
from .._result import ResultMixin, display_number
from ..equilibria.large import scale_equilibrium, scenario_table
from ..errors import InputError
from ._values import _ClusterValue, _GroupPlan
from .characteristic import characteristic_function
from .core import most_violated_coalition
from .shapley import shapley

__all__ = [
    "EXACT_GROUP_PLAYERS",
    "DEFAULT_PERMUTATIONS",
    "SampledValues",
    "interaction_groups",
    "group_scenario",
    "sampled_values",
]

#: groups up to this size are solved exactly (2**12 coalitions each)
EXACT_GROUP_PLAYERS = 12
#: coalition-by-cell budget of one batched pass of a group plan (memory bound)
BATCH_CELLS = 1 << 22
#: value all prefixes of an order in batched passes of one plan per group (else cluster by
#: cluster; both exact, the plan is about 100x faster on tree-like networks)
USE_PLAN = True
#: random orders per large group, in antithetic pairs (standard error ~ 1/sqrt(pairs))
DEFAULT_PERMUTATIONS = 16


def interaction_groups(scenario) -> np.ndarray:
    """Group label of each jurisdiction: connected parts of the graph in which two
    jurisdictions are linked when a hazard involves both."""
    inv = scenario.involvement.tocsc()
    adj = (inv.T @ inv).tocsr()
    _, labels = connected_components(adj, directed=False)
    return labels


def group_scenario(scenario, members):
    """The scenario of one group: its jurisdictions and the hazards that involve them
    (exact: no hazard of the group involves anyone outside it)."""
    from ..scenario.model import Scenario

    members = np.sort(np.asarray(members))
    inv = scenario.involvement.tocsc()
    hs = np.unique(inv[:, members].nonzero()[0])
    with warnings.catch_warnings():  # a group of one is expected here, not a mistake
        warnings.simplefilter("ignore")
        return Scenario(
            [scenario.jurisdictions[i] for i in members],
            [scenario.hazards[h] for h in hs],
            scenario.actions,
            unit=scenario.unit,
            name=f"{scenario.name} (group of {len(members)})",
        )


@dataclass(frozen=True, repr=False)
class SampledValues(ResultMixin):
    """Shapley values of a large scenario, exact by group or sampled (module notes).

    Attributes
    ----------
    shapley, std_error : Series
        The value of each jurisdiction and its standard error (0 where exact; NaN
        where not available).
    kind : Series
        ``"exact"``, ``"sampled"`` or ``"not available"`` per jurisdiction.
    group : Series
        The interaction group of each jurisdiction.
    grand_value : float
        ``v(N) = sum_G v_G(G)``.
    complete : bool
        False when some groups have no values (``outsiders`` other than "nash").
    """

    shapley: pd.Series
    std_error: pd.Series
    kind: pd.Series
    group: pd.Series
    grand_value: float
    outsiders: str
    permutations: int
    unit: str = ""
    notes: tuple = ()
    exact_games: tuple = field(default=(), repr=False)
    sampled: tuple = field(default=(), repr=False)
    complete: bool = True

    def core_check(self, x) -> dict:
        """Test the allocation ``x`` (payoffs, one per jurisdiction) against the core.

        Exact groups: the largest excess over all their coalitions. Sampled groups:
        over every prefix of every sampled order (a lower bound). Returns
        ``in_core`` (True only when every group was exact; False with a blocking
        coalition, a proof; None: not established), ``max_excess``, ``excess_kind``
        (``"exact"`` or ``"lower bound"``) and ``blocking``.
        """
        x = np.asarray(x, dtype=float)
        if x.shape != (len(self.shapley),) or not np.all(np.isfinite(x)) or not self.complete:
            return {
                "in_core": None,
                "max_excess": np.nan,
                "excess_kind": "not available",
                "blocking": (),
            }
        parts = [_exact_excess(v, x[g]) for g, v in self.exact_games]
        names = self.shapley.index
        for orders, totals in self.sampled:
            exc = totals - np.cumsum(x[orders], axis=1)
            r, c = np.unravel_index(int(np.argmax(exc)), exc.shape)
            parts.append((float(exc[r, c]), tuple(names[orders[r, : c + 1]])))
        e, who = _combine(parts)
        tol = RTOL * max(float(np.abs(x).max(initial=0.0)), abs(self.grand_value), TINY)
        exact = not self.sampled
        in_core = bool(e <= tol) if exact else (False if e > tol else None)
        return {
            "in_core": in_core,
            "max_excess": e,
            "excess_kind": "exact" if exact else "lower bound",
            "blocking": tuple(who) if e > tol else (),
        }

    @property
    def answer(self) -> str:
        kinds = set(self.kind)
        return (
            "exact"
            if kinds == {"exact"}
            else "sampled"
            if "not available" not in kinds
            else "partial"
        )

    def _summary(self):
        k = self.kind.value_counts().to_dict()
        se = self.std_error[self.kind == "sampled"]
        rows = [
            ("jurisdictions", len(self.shapley)),
            ("answer", self.answer),
            ("outsiders", self.outsiders),
            ("v(N)", display_number(self.grand_value, 8)),
            ("by kind", k),
        ]
        if len(se):
            rows.append(("largest standard error", display_number(float(se.max()))))
        return rows

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "shapley": self.shapley,
                "std_error": self.std_error,
                "kind": self.kind,
                "group": self.group,
            }
        )


def _exact_group(scenario, members, outsiders):
    sub = group_scenario(scenario, members)
    v = characteristic_function(sub.to_game(), outsiders=outsiders)
    return shapley(v).to_numpy(), v


def _exact_excess(v, xs) -> tuple[float, tuple]:
    """Largest excess ``v(S) - x(S)`` of a group's game, the group itself included."""
    res = most_violated_coalition(v, xs, include_grand=True)
    exc, who = res.max_excess, tuple(res.members[0]) if res.members else ()
    grand = v.grand_value - float(np.sum(xs))
    return (grand, tuple(v.players)) if grand > exc else (float(exc), who)


def _sampled_group(members, value, perms, rng, bar, adj, plan=None):
    """Permutation estimate of a group's Shapley values; also every order and the value
    of each of its prefixes (exact coalition values, for core checks). With a plan, all
    the prefixes of an order are valued in batched passes; otherwise cluster by cluster."""
    m = len(members)
    unit_means = []  # one row per antithetic pair (or lone order)
    local = {int(j): t for t, j in enumerate(members)}
    pair = np.zeros(m)  # marginals of the current antithetic pair
    orders, totals = [], []
    order = members
    batch = max(1, BATCH_CELLS // max(m * 16, 1))
    for p in range(perms):
        # antithetic pairs: every other order is the previous one reversed
        order = members[rng.permutation(m)] if p % 2 == 0 else order[::-1]
        if plan is not None:
            pos = np.array([local[int(j)] for j in order])
            running = np.empty(m)
            for b0 in range(0, m, batch):
                b1 = min(m, b0 + batch)
                member = np.zeros((b1 - b0, m), dtype=bool)
                rank = np.empty(m, dtype=np.intp)
                rank[pos] = np.arange(m)
                member[:] = rank[None, :] <= np.arange(b0, b1)[:, None]
                running[b0:b1] = plan.values(member)
            marg = np.diff(np.concatenate([[0.0], running]))
            pair[pos] += marg
            bar.update(m)
        else:
            running = _prefix_values(order, value, adj, bar)
            marg = np.diff(np.concatenate([[0.0], running]))
            pair[[local[int(j)] for j in order]] += marg
        orders.append(order.copy())
        totals.append(running)
        if p % 2 == 1 or p == perms - 1:
            k = 2 if p % 2 == 1 else 1
            unit_means.append(pair / k)
            pair[:] = 0.0
    u = np.array(unit_means)
    mean = u.mean(axis=0)
    # two-pass variance: a marginal that never varies has exactly 0 error in every unit
    se = np.sqrt(u.var(axis=0, ddof=1) / len(u)) if len(u) > 1 else np.full(m, np.nan)
    return mean, se, float(totals[-1][-1]), (np.array(orders), np.array(totals))


def _prefix_values(order, value, adj, bar) -> np.ndarray:
    """``v`` of every prefix of ``order``, cluster by cluster (the fallback of the plan)."""
    cluster = {}  # jurisdiction -> cluster id
    parts: dict[int, list] = {}
    vals: dict[int, float] = {}
    running = np.empty(len(order))
    total = 0.0
    for pos, i in enumerate(order.tolist()):
        nb = adj.indices[adj.indptr[i] : adj.indptr[i + 1]]
        roots = {cluster[j] for j in nb.tolist() if j in cluster}
        K = [i] + [j for r in roots for j in parts[r]]
        val = value(np.array(K, dtype=np.intp))
        total += val - sum(vals[r] for r in roots)
        for r in roots:
            del parts[r], vals[r]
        for j in K:
            cluster[j] = i
        parts[i], vals[i] = K, val
        running[pos] = total
        bar.update(1)
    return running


def _combine(excesses):
    """``(max excess over all coalitions, blocking coalition)`` from each group's largest
    excess (groups are independent: positive parts add up)."""
    pos = [(e, w) for e, w in excesses if e > 0]
    if pos:
        return float(sum(e for e, _ in pos)), tuple(j for _, w in pos for j in w)
    e, w = max(excesses, key=lambda t: t[0])
    return float(e), w


def sampled_values(
    scenario,
    *,
    outsiders: str = "nash",
    permutations: int | None = None,
    seed=0,
    status_quo=None,
    time_limit=None,
    progress=None,
) -> SampledValues:
    """Shapley values of a large scenario: exact by group, sampled in large groups.

    Parameters
    ----------
    scenario : Scenario
    outsiders : {"nash", "gamma", "alpha"}
        Exact groups take any; sampled groups need ``"nash"`` (module notes).
    permutations : int, optional
        Random orders per large group, in antithetic pairs (default
        :data:`DEFAULT_PERMUTATIONS`; at least 4 for a standard error).
    seed : int, SeedSequence or Generator
    status_quo : array (n,), optional
        ``a0``, the outsiders' levels (default: the worst-welfare pure equilibrium).
    time_limit : float, optional
        Seconds per coalition MILP.
    progress : bool or None
        A bar over the sampled steps (None: on a terminal only).

    Returns
    -------
    SampledValues
        ``.shapley``, ``.std_error``, ``.kind``; ``.core_check(x)`` tests an allocation.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.load_scenario("data/chishui/scenario.toml")
    >>> res = sampled_values(s)
    >>> res.answer, bool(np.allclose(res.shapley, co.shapley(
    ...     co.characteristic_function(s, outsiders="nash"))))
    ('exact', True)
    """
    from .characteristic import OUTSIDERS

    if outsiders not in OUTSIDERS:
        raise InputError(f"must be one of {list(OUTSIDERS)}", field="outsiders", value=outsiders)
    perms = (
        DEFAULT_PERMUTATIONS
        if permutations is None
        else check_int(permutations, "permutations", lo=1)
    )
    rng = generator(seed)
    n = scenario.n_players
    labels = interaction_groups(scenario)
    groups = [np.flatnonzero(labels == g) for g in range(labels.max() + 1)]
    big = [g for g in groups if len(g) > EXACT_GROUP_PLAYERS]
    phi, se = np.full(n, np.nan), np.full(n, np.nan)
    kind = np.full(n, "not available", dtype=object)
    grand, notes, exact_games, sampled = 0.0, [], [], []
    for g in (g for g in groups if len(g) <= EXACT_GROUP_PLAYERS):
        p, v = _exact_group(scenario, g, outsiders)
        phi[g], se[g], kind[g] = p, 0.0, "exact"
        grand += v.grand_value
        exact_games.append((g, v))
    if big and outsiders != "nash":
        notes.append(
            f"{sum(map(len, big))} jurisdictions in groups of more than "
            f"{EXACT_GROUP_PLAYERS}: outsiders={outsiders!r} values need every "
            "outsider reaction there; pass outsiders='nash' for sampled values"
        )
        grand = np.nan
    elif big:
        if status_quo is None:
            sol = scale_equilibrium(scenario, worst=True, time_limit=time_limit)
            if sol is None or sol.kind == "none":
                raise InputError(
                    "sampled values with Nash outsiders need a pure Nash "
                    "equilibrium as the status quo; this scenario has none",
                    field="outsiders",
                    value=outsiders,
                )
            status_quo = sol.profile
        value = _ClusterValue(scenario_table(scenario), status_quo, time_limit)
        inv = scenario.involvement.tocsc()
        adj = (inv.T @ inv).tocsr()
        with progress_bar(
            perms * sum(map(len, big)), "sampled Shapley", progress, unit="step"
        ) as bar:
            for g in big:
                plan = _GroupPlan.build(value.T, g, status_quo) if USE_PLAN else None
                mean, err, vg, visited = _sampled_group(g, value, perms, rng, bar, adj, plan)
                phi[g], se[g], kind[g] = mean, err, "sampled"
                grand += vg
                sampled.append(visited)
        if value.counts["bounded"]:
            notes.append(
                f"{value.counts['bounded']} coalition MILPs stopped at the time limit: "
                "their values are the best found"
            )
        if perms < 4:
            notes.append(f"{perms} orders: fewer than two antithetic pairs, no standard error")
    idx = pd.Index(scenario.players, name="jurisdiction")
    return SampledValues(
        pd.Series(phi, idx, name="shapley"),
        pd.Series(se, idx, name="se"),
        pd.Series(kind, idx, name="kind"),
        pd.Series(labels, idx, name="group"),
        float(grand),
        outsiders,
        perms,
        scenario.unit,
        tuple(notes),
        exact_games=tuple(exact_games),
        sampled=tuple(sampled),
        complete=not (big and outsiders != "nash"),
    )
