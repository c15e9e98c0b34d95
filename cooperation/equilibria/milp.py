"""Exact optima and extreme pure equilibria of large scenarios, by MILP on their structure.

A scenario's payoffs (docs/model.md, section 2) are::

    u_i(a) = - c_i(a_i) - sum_h s[h, i] L_h(a),     L_h(a) = p_h(a) D_h(a)

and the expected loss ``L_h`` of hazard ``h`` depends only on the levels of the
jurisdictions it involves, ``I(h)`` (its origins, those who bear it, the
weights and process units of its response channel). In a county network each
hazard involves a handful of counties, so ``L_h`` is a table over
``K**|I(h)|`` local configurations, and every question about pure profiles
becomes a mixed-integer linear program of size ``sum_h K**|I(h)|``, linear in
the number of jurisdictions for bounded ``|I(h)|`` (the local-configuration
formulation of MAP inference and of graphical games):

* ``y[i, k]`` in {0, 1}, ``sum_k y[i, k] = 1``: jurisdiction ``i`` plays level ``k``;
* ``z[h, c]`` in [0, 1] for each configuration ``c`` of ``I(h)``, with the marginal
  rows ``sum_{c : c_t = k} z[h, c] = y[I(h)_t, k]`` for every member ``t`` and level
  ``k``. With ``y`` integral every marginal of ``z`` is 0 or 1, so ``z`` is the
  indicator of the configuration played (a distribution with deterministic
  marginals is a point mass) and the linearisation is exact;
* welfare ``W = - sum_{i, k} c_ik y_ik - sum_{h, c} L_h(c) z_hc`` (shares sum to 1);
* Nash rows, one per jurisdiction ``i`` and level ``k'``::

      u_i(a) - u_i(k', a_-i) = c_ik' - sum_k c_ik y_ik
                               + sum_{h : s[h,i] > 0} s[h, i] sum_c (L_h(c[t_i -> k']) - L_h(c)) z_hc
                             >= - tol_i

  where ``c[t_i -> k']`` is ``c`` with ``i``'s level replaced.

``max W`` is the social optimum; ``min W`` / ``max W`` subject to the Nash rows are
the worst and best pure Nash equilibria, and an infeasible Nash MILP certifies
that there is none. HiGHS proves each answer optimal (``kind = "exact"``), or
stops at the time limit with its best profile and bound (``"bounded"``, with
the gap). The table ``L_h(c)`` is evaluated by the scenario itself
(``Scenario.hazard_state``, the one payoff model): hazards with disjoint
``I(h)`` share the same batch of profiles, so the cost is
``O(colours x K**max|I(h)| x (n + nnz))``.

A hazard with more than :data:`MAX_HAZARD_CONFIGS` configurations is not
linearised: its loss enters at a lower bound (every involved jurisdiction at the
largest effort and coordination of the ladder), so the MILP's optimum is an upper
bound on welfare, the profile it returns is improved by coordinate ascent and
evaluated exactly, and the answer is ``"bounded"`` with the gap between the two.

Tolerance of the Nash rows: ``tol_i = RTOL * range_i + ROUNDOFF * scale_i``, with
``range_i`` the bound ``max_k c_ik - min_k c_ik + sum_h s[h, i] (max_c L_h - min_c L_h)``
on the spread of ``i``'s payoffs over all profiles (the tensor path of
:mod:`.pure` uses the exact spread), so the answer does not depend on the money
unit; money is divided by its scale before HiGHS sees it (docs/numerics.md).

References
----------
Sherali, H. D. and Adams, W. P. (1990). A hierarchy of relaxations between the
continuous and convex hull representations for zero-one programming problems.
*SIAM J. Discrete Math.* 3, 411-430.
Wainwright, M. J. and Jordan, M. I. (2008). Graphical models, exponential families,
and variational inference. *Foundations and Trends in ML* 1, sec. 8.4 (the local
polytope; exact for integral points).
Kearns, M., Littman, M. L. and Singh, S. (2001). Graphical models for game theory. UAI.
Sandholm, T., Gilpin, A. and Conitzer, V. (2005). Mixed-integer programming methods
for finding Nash equilibria. AAAI, 495-501.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._numeric import ROUNDOFF, RTOL, TINY
from ..errors import InputError
from ..lp.milp import solve_milp
from ..lp.model import STATUS_INFEASIBLE, STATUS_OPTIMAL, LinearProgram, Objective
from .hazard_table import MAX_HAZARD_CONFIGS, HazardTable, hazard_table, restrict

__all__ = [
    "optimise",
    "restrict",
    "MAX_HAZARD_CONFIGS",
    "MILP_TIME_LIMIT",
    "HazardTable",
    "ProfileSolution",
    "hazard_table",
    "optimum_milp",
    "equilibrium_milp",
]

#: default time limit (seconds) of one MILP; on the limit the answer is bounded, with its gap
MILP_TIME_LIMIT = 120.0


def optimise(T: HazardTable, weights=None, fixed=None, time_limit=None, backend="highs"):
    """``(profile, value, bound, MILPSolution)`` of ``max sum_i w_i u_i`` on the table
    alone (no scenario evaluation; exact when the solution's status is optimal)."""
    sc = _scale(T)
    lp, y, z = _model(T, fixed)
    cy, cz, const = _welfare_coefs(T, weights)
    sol = _solve(lp, np.concatenate([cy, cz]) / sc, y, -1, time_limit, backend)
    if not sol.has_solution:
        return None, np.nan, np.nan, sol
    return _profile(sol.x, y, T.n, T.K), sol.objective * sc + const, sol.bound * sc + const, sol


@dataclass(frozen=True)
class ProfileSolution:
    """A pure profile from a MILP: ``kind`` is ``"exact"`` (proved optimal), ``"bounded"``
    (``value`` within ``gap`` of the optimum ``bound``; ``profile`` None and ``gap`` inf
    when the time limit came before any profile) or ``"none"`` (infeasible: no such
    profile, e.g. no pure equilibrium; proved)."""

    profile: np.ndarray | None
    value: float
    bound: float
    gap: float
    kind: str
    message: str
    solve_time: float
    size: tuple


def _model(T: HazardTable, fixed=None):
    """The LP of the local-configuration formulation: ``y`` (binary), ``z`` and rows."""
    n, K = T.n, T.K
    lp = LinearProgram()
    lb = np.zeros(n * K)
    ub = np.ones(n * K)
    if fixed is not None:
        f = np.flatnonzero(np.asarray(fixed) >= 0)
        ub[(f[:, None] * K + np.arange(K)[None, :]).ravel()] = 0.0
        lb[f * K + np.asarray(fixed)[f]] = ub[f * K + np.asarray(fixed)[f]] = 1.0
    y = lp.add_vars((f"y{i}_{k}" for i in range(n) for k in range(K)), lb, ub)
    z = lp.add_vars((f"z{j}" for j in range(T.n_configs)), 0.0, 1.0)
    r = np.repeat(np.arange(n), K)
    lp.add_rows(r, y, np.ones(n * K), 1.0, 1.0, [f"one_level[{i}]" for i in range(n)], "one_level")
    # marginal rows: (hazard, member t, level k), numbered by hazard then t then k
    ex = T.exact
    base = np.concatenate([[0], np.cumsum(np.where(ex, T.size * K, 0))])
    rr, cc, vv = [], [], []
    for t in range(T.members.shape[1]):
        has = T.size[T.hz] > t
        cols = np.flatnonzero(has)
        rr.append(base[T.hz[cols]] + t * K + T.digit(t)[cols])
        cc.append(z[cols])
        vv.append(np.ones(cols.size))
        hs = np.flatnonzero(ex & (T.size > t))
        rows = (base[hs][:, None] + t * K + np.arange(K)[None, :]).ravel()
        rr.append(rows)
        cc.append((T.members[hs, t][:, None] * K + np.arange(K)[None, :]).ravel())
        vv.append(-np.ones(rows.size))
    m = int(base[-1])
    lp.add_rows(
        np.concatenate(rr),
        np.concatenate(cc),
        np.concatenate(vv),
        0.0,
        0.0,
        [f"marginal[{j}]" for j in range(m)],
        "marginal",
    )
    return lp, y, z


def _scale(T: HazardTable) -> float:
    s = max(
        float(np.abs(T.costs).max(initial=0.0)),
        float(np.abs(T.loss).max(initial=0.0)),
        float(T.loss_floor.max(initial=0.0)),
    )
    return s if s > TINY else 1.0


def _welfare_coefs(T: HazardTable, weights=None):
    """Objective ``sum_i w_i u_i`` (welfare when ``w = 1``) as (y coefs, z coefs, constant)."""
    n = T.n
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    wh = np.asarray(T.shares @ w).ravel()  # sum_i w_i s[h, i]
    cy = -(T.costs * w[:, None]).ravel()
    cz = -wh[T.hz] * T.loss
    const = -float((wh * np.where(T.exact, 0.0, T.loss_floor)).sum())
    return cy, cz, const


def _profile(x, y, n, K) -> np.ndarray:
    return np.argmax(x[y].reshape(n, K), axis=1).astype(np.intp)


def _solve(lp, c, integer, sense, time_limit, backend):
    return solve_milp(
        lp,
        Objective(c, sense=sense),
        integer,
        backend=backend,
        time_limit=MILP_TIME_LIMIT if time_limit is None else time_limit,
    )


def optimum_milp(
    scenario,
    *,
    table: HazardTable | None = None,
    weights=None,
    fixed=None,
    time_limit: float | None = None,
    backend: str = "highs",
) -> ProfileSolution:
    """``max_a sum_i w_i u_i(a)`` over pure profiles (``w = 1``: the social optimum).

    ``fixed``: a level per jurisdiction, ``-1`` where free (a coalition's value with
    the outsiders held at their levels). The answer is ``"exact"`` when HiGHS proves
    it optimal and every hazard is tabulated; otherwise ``"bounded"``: ``value`` is
    the exact objective of ``profile`` and ``bound - value`` the gap.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.load_scenario("data/chishui/scenario.toml")
    >>> sol = optimum_milp(s)
    >>> sol.kind, s.action_names[sol.profile[0]] == co.social_optimum(s).game.actions[0][
    ...     co.social_optimum(s).profile[0]]
    ('exact', True)
    """
    T = hazard_table(scenario) if table is None else table
    n, K = T.n, T.K
    sc = _scale(T)
    lp, y, z = _model(T, fixed)
    cy, cz, const = _welfare_coefs(T, weights)
    c = np.concatenate([cy, cz]) / sc
    sol = _solve(lp, c, y, -1, time_limit, backend)
    size = (lp.n_cols, lp.n_rows, int(lp.A.nnz))
    if not sol.has_solution:  # the time limit came before any profile: the bound only
        return ProfileSolution(
            None,
            np.nan,
            sol.bound * sc + const,
            np.inf,
            "bounded",
            f"no profile found ({sol.message})",
            sol.solve_time,
            size,
        )
    a = _profile(sol.x, y, n, K)
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    value = float(w @ scenario.payoffs(a[None, :])[0])
    bound = sol.bound * sc + const
    exact = sol.success and bool(T.exact.all())
    gap = 0.0 if exact else max(0.0, bound - value)
    kind = "exact" if exact else "bounded"
    msg = (
        "proved optimal by HiGHS branch and bound"
        if exact
        else f"within {gap:.6g} of the optimum ({sol.message}"
        + ("; hazards beyond MAX_HAZARD_CONFIGS at their loss floor" if not T.exact.all() else "")
        + ")"
    )
    return ProfileSolution(
        a, value, max(bound, value) if not exact else value, gap, kind, msg, sol.solve_time, size
    )


def _nash_rows(lp, T: HazardTable, y, z, sc: float) -> np.ndarray:
    """``u_i(a) - u_i(k', a_-i) >= -tol_i`` for every ``i`` and ``k'`` (module notes);
    returns ``tol`` in money (the certificate's tolerance)."""
    n, K = T.n, T.K
    S = T.shares.tocoo()
    pos = np.full(S.nnz, -1)
    for t in range(T.members.shape[1]):  # i's position in I(h)
        pos = np.where(T.members[S.row, t] == S.col, t, pos)
    spread = np.abs(T.costs.max(axis=1) - T.costs.min(axis=1)) + np.bincount(
        S.col, weights=S.data * T.loss_range()[S.row], minlength=n
    )
    mag = np.abs(T.costs).max(axis=1) + np.bincount(
        S.col, weights=S.data * np.abs(T.loss)[T.start[S.row]], minlength=n
    )
    tol = (RTOL * spread + ROUNDOFF * mag) / sc
    # every z column of every (h, i) pair with s[h, i] > 0
    cnt = T.start[S.row + 1] - T.start[S.row]
    pair = np.repeat(np.arange(S.nnz), cnt)
    zc = T.start[S.row][pair] + (np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt))
    t_of = pos[pair]
    cur = (T.conf[zc] // K**t_of) % K
    rows_all, cols_all, vals_all = [], [], []
    for k2 in range(K):
        alt = zc + (k2 - cur) * K**t_of  # c with i's level replaced by k'
        coef = S.data[pair] * (T.loss[alt] - T.loss[zc]) / sc
        i = S.col[pair]
        rows_all += [i * K + k2, np.repeat(np.arange(n) * K + k2, K)]
        cols_all += [z[zc], y[np.arange(n * K)]]
        vals_all += [coef, -T.costs.ravel() / sc]
    lo = (-tol[:, None] - T.costs / sc).ravel()  # c_ik' moves to the right-hand side
    keep = np.concatenate(vals_all) != 0
    lp.add_rows(
        np.concatenate(rows_all)[keep],
        np.concatenate(cols_all)[keep],
        np.concatenate(vals_all)[keep],
        lo,
        np.inf,
        [f"nash[{i},{k}]" for i in range(n) for k in range(K)],
        "nash",
        members=[str(i) for i in range(n) for _ in range(K)],
    )
    return tol * sc


def equilibrium_milp(
    scenario,
    *,
    worst: bool = True,
    table: HazardTable | None = None,
    time_limit: float | None = None,
    backend: str = "highs",
) -> ProfileSolution:
    """The worst (``worst=True``) or best pure Nash equilibrium by welfare.

    ``kind = "none"`` when the Nash MILP is infeasible: the scenario has no pure
    equilibrium (a proof, not a failed search). Needs every hazard tabulated.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.load_scenario("data/chishui/scenario.toml")
    >>> sol = equilibrium_milp(s)
    >>> sol.kind, tuple(sol.profile) in co.pure_equilibria(s).profiles
    ('exact', True)
    """
    T = hazard_table(scenario) if table is None else table
    if not T.exact.all():
        h = int(np.flatnonzero(~T.exact)[0])
        raise InputError(
            f"involves {int(T.size[h])} jurisdictions: {T.K}**{int(T.size[h])} "
            f"configurations, more than MAX_HAZARD_CONFIGS = {MAX_HAZARD_CONFIGS}",
            field=f"hazards[{scenario.hazards[h].name}]",
            value=int(T.size[h]),
            fix="equilibria of such a scenario come from best-response "
            "dynamics (cooperation.equilibria.large)",
        )
    n, K = T.n, T.K
    sc = _scale(T)
    lp, y, z = _model(T)
    nash_tol = _nash_rows(lp, T, y, z, sc)
    cy, cz, _ = _welfare_coefs(T)
    sol = _solve(lp, np.concatenate([cy, cz]) / sc, y, 1 if worst else -1, time_limit, backend)
    size = (lp.n_cols, lp.n_rows, int(lp.A.nnz))
    if sol.status == STATUS_INFEASIBLE:
        return ProfileSolution(
            None,
            np.nan,
            np.nan,
            0.0,
            "none",
            "no pure Nash equilibrium (the Nash MILP is infeasible)",
            sol.solve_time,
            size,
        )
    if not sol.has_solution:  # the time limit came before any equilibrium
        return ProfileSolution(
            None,
            np.nan,
            sol.bound * sc,
            np.inf,
            "bounded",
            f"no equilibrium found yet ({sol.message})",
            sol.solve_time,
            size,
        )
    a = _profile(sol.x, y, n, K)
    value = float(scenario.payoffs(a[None, :])[0].sum())
    bound = sol.bound * sc
    exact = sol.status == STATUS_OPTIMAL
    gap = 0.0 if exact else abs(bound - value)
    which = "worst" if worst else "best"
    # the certificate, on the scenario's own payoffs: the largest gain from a unilateral move
    dev = scenario.deviation_payoffs(a)
    gains = dev.max(axis=1) - dev[np.arange(n), a]
    regret = float(gains.max())
    certified = not np.any(gains > nash_tol)  # within the Nash rows' own tolerance
    msg = (
        f"{which}-welfare pure Nash equilibrium, proved by HiGHS branch and bound"
        if exact and certified
        else f"a pure Nash equilibrium within {gap:.6g} of the {which} ({sol.message})"
        if certified
        else "NOT certified: a unilateral move gains more than the tolerance"
    ) + f"; largest gain from a unilateral move {regret:.2g}"
    if not certified:
        exact, gap = False, np.inf
    return ProfileSolution(
        a,
        value,
        bound if not exact else value,
        gap,
        "exact" if exact else "bounded",
        msg,
        sol.solve_time,
        size,
    )
