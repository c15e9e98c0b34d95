"""The crisis-fund LP (公共危机治理基金 / 专项基金): who pays in, who is paid out, how safe.

Members ``i`` pay yearly contributions ``f_i >= 0`` into a joint fund; a
higher level may co-fund ``c >= 0`` a year and the fund may hold a reserve
``R``. When a hazard strikes, the fund pays member ``i`` a share ``alpha_i`` of
the damage ``L_i`` it bears. The contributions and the payout shares are
decided by one linear program over ``Y`` simulated crisis years (seeded): in
year ``y`` hazard ``h`` strikes with its probability ``p_h(a)`` at the
members' action profile ``a`` and does damage ``D_h(a)``, split by the
spillover shares, so ``L[y, i] = sum_h X[y, h] D_h(a) s[h, i]``.

The LP (MODEL.md section 5)::

    payout_y = sum_i alpha_i L[y, i]            resources = F + c + R,  F = sum_i f_i
    solvency (CVaR, Rockafellar-Uryasev):
        eta + 1/((1 - beta) Y) sum_y z_y <= 0,  z_y >= payout_y - resources - eta,  z_y >= 0
    sustainability:      F + c >= sum_i alpha_i mean_y L[y, i]   (no running down on average)
    capacity:            f_i <= k_i
    net benefit:         alpha_i * mean_y L[y, i] - f_i >= 0     (nobody loses in expectation)
    coverage:            coverage <= alpha_i <= 1
    key:                 |f_i - kappa_i F| <= d_i                 (kappa: the chosen key)

solved lexicographically: (1) the least co-funding ``c`` (skipped when
``cofunding`` fixes it); (2) contributions closest to the key, ``min sum_i d_i``;
(3) the least total contribution ``F``; (4) the largest expected payout
``sum_i alpha_i mean L_i`` that the resources still cover.

The solvency constraint says: in the worst ``1 - beta`` share of years, the
fund's shortfall is on average zero or less (CVaR_beta(payout - resources) <= 0,
which implies the shortfall probability is at most ``1 - beta``).

Two remarks the LP makes plain. Covering the tail of the payouts costs more
than their mean, while every member breaking even in expectation caps the
members' total at the mean payout: without a reserve the higher level's
co-funding carries the tail (the risk loading). And with the fund sustained
(inflow >= mean payout) and nobody losing in expectation, members without
co-funding pay exactly their expected payouts (actuarially fair), so the
key is met by adjusting the payout shares. A fixed co-funding above the least
lowers what members must pay in; once it covers the fund on its own, stages
(2) and (3) set every contribution to zero, whatever the key (zero is
"closest to the key" too). Years with identical losses (e.g. all the quiet
years) are merged into one weighted scenario, which keeps the LP small.

The fund's adequacy is then checked out of sample: a second simulation with a
different seed (by default a child of ``seed``) estimates the shortfall
probability, the expected shortfall and the CVaR of the shortfall.

References
----------
Rockafellar, R. T. and Uryasev, S. (2000). Optimization of conditional
value-at-risk. *Journal of Risk* 2(3), 21-41.
Rockafellar, R. T. and Uryasev, S. (2002). Conditional value-at-risk for
general loss distributions. *Journal of Banking & Finance* 26, 1443-1471.
Ghesquiere, F. and Mahul, O. (2010). *Financial protection of the state
against natural disasters*. World Bank Policy Research WP 5429 (risk pools,
CCRIF).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._result import ResultMixin
from ..errors import InputError
from ..games.model import PayoffModel
from ..lp import STATUS_INFEASIBLE, STATUS_OPTIMAL, STATUS_TEXT, LinearProgram, Objective, solve_lp

__all__ = ["design_fund", "FundResult", "KEYS", "empirical_cvar", "simulate_losses"]

KEYS = ("benefit", "ability", "equal", "population")


# ====================================================================== helpers
def _seed_sequence(seed, field_name: str = "seed") -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, 2 ** 63 - 1)))
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError("must be a non-negative int, a SeedSequence or a Generator",
                         field=field_name, value=seed)
    return np.random.SeedSequence(int(seed))


def simulate_losses(scenario, profile, years: int, seed) -> sp.csr_matrix:
    """Simulated yearly losses ``L[y, i]`` (sparse ``(years, n)``), each hazard striking
    independently with probability ``p_h(a)`` and doing damage ``D_h(a) s[h, i]``.

    Examples
    --------
    >>> import cooperation as co
    >>> from cooperation.compensation.fund import simulate_losses
    >>> s = co.Scenario([co.Jurisdiction("A"), co.Jurisdiction("B")],
    ...                 [co.Hazard("flood", 0.5, 10.0, {"A": 0.5, "B": 0.5})], unit="u")
    >>> L = simulate_losses(s, [0, 0], years=1000, seed=0)
    >>> L.shape, sorted(set(L.toarray().ravel().tolist()))
    ((1000, 2), [0.0, 5.0])
    """
    rng = np.random.default_rng(_seed_sequence(seed))
    p, D = scenario.hazard_state(np.asarray(profile)[None, :])
    p, D = p[0], D[0]
    B = sp.csr_matrix(sp.diags(D) @ scenario.spillover_matrix)      # (H, n) damage per strike
    H = len(p)
    rows, cols = [], []
    chunk = max(1, 2_000_000 // max(H, 1))
    for y0 in range(0, years, chunk):
        m = min(chunk, years - y0)
        r, c = np.nonzero(rng.random((m, H)) < p[None, :])
        rows.append(r + y0)
        cols.append(c)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.intp)
    X = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(years, H))
    return sp.csr_matrix(X @ B)


def empirical_cvar(x, beta: float, weights=None) -> float:
    """CVaR at level ``beta`` of the empirical distribution of ``x`` (the mean of the
    worst ``1 - beta`` probability mass, with a fractional last atom), which equals
    ``min_eta eta + E[(x - eta)+] / (1 - beta)`` (Rockafellar and Uryasev 2002).

    Examples
    --------
    >>> from cooperation.compensation.fund import empirical_cvar
    >>> empirical_cvar([0, 0, 0, 10], 0.5)   # worst half of the mass: {0, 10}
    5.0
    """
    x = np.asarray(x, float).ravel()
    w = np.full(x.size, 1.0 / x.size) if weights is None else np.asarray(weights, float)
    w = w / w.sum()
    order = np.argsort(-x, kind="stable")
    xs, ws = x[order], w[order]
    tail = 1.0 - beta
    cum = np.cumsum(ws)
    take = np.minimum(ws, np.maximum(tail - (cum - ws), 0.0))
    return float((take * xs).sum() / tail)


# ====================================================================== result
@dataclass(frozen=True, repr=False)
class FundResult(ResultMixin):
    """Result of :func:`design_fund`.

    Attributes
    ----------
    success, status, message
        scipy vocabulary (0 optimal, 2 infeasible ...).
    contributions : Series
        ``f_i``, yearly, by member.
    payout_shares : Series
        ``alpha_i``: share of its damage the fund pays a member.
    cofunding : float
        ``c``: the higher level's yearly contribution.
    reserve : float
    resources : float
        ``F + c + R``: money available in a year.
    cvar : float
        In-sample CVaR_beta of the yearly payouts (the LP keeps it <= resources).
    var : float
        The LP's ``eta`` + resources: the in-sample VaR of the payouts.
    key : Series
        The key shares ``kappa_i`` the contributions were kept close to.
    key_deviation : float
        ``sum_i |f_i - kappa_i F|``.
    expected_damage, expected_payout, net_benefit : Series
        Per member, in sample: ``mean L_i``, ``alpha_i mean L_i``, and the latter
        minus ``f_i`` (>= 0 by construction).
    in_sample : dict
        ``shortfall_probability``, ``expected_shortfall``, ``cvar_shortfall``.
    out_of_sample : dict
        The same from an independent simulation (``years``, ``seed`` recorded).
    binding : tuple of str
    duals : Series
        Shadow prices of the first stage (co-funding per unit of each constraint).
    diagnosis : str or None
        When infeasible: the smallest co-funding that restores feasibility.
    min_cofunding : float
        The least co-funding that makes the fund feasible (computed when infeasible).
    """

    success: bool
    status: int
    message: str
    contributions: pd.Series
    payout_shares: pd.Series
    cofunding: float
    reserve: float
    resources: float
    cvar: float
    var: float
    key: pd.Series
    key_name: str
    key_deviation: float
    expected_damage: pd.Series
    expected_payout: pd.Series
    net_benefit: pd.Series
    caps: pd.Series
    confidence: float
    years: int
    scenarios: int
    in_sample: dict
    out_of_sample: dict
    binding: tuple
    duals: pd.Series
    diagnosis: str | None
    min_cofunding: float
    profile: tuple
    objective_values: tuple
    unit: str = ""
    solver: str = ""
    build_time: float = 0.0
    solve_time: float = 0.0
    notes: tuple = ()
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def total_contributions(self) -> float:
        return float(self.contributions.sum())

    def _summary(self):
        u = self.unit
        rows = [("success", self.success), ("status", f"{self.status} "
                                                      f"({STATUS_TEXT.get(self.status, '?')})"),
                ("message", self.message)]
        if self.success:
            oos = self.out_of_sample
            rows += [("members pay", f"{self.total_contributions:.6g} {u}"),
                     ("co-funding", f"{self.cofunding:.6g} {u}"),
                     ("reserve", f"{self.reserve:.6g} {u}"),
                     ("resources per year", f"{self.resources:.6g} {u}"),
                     (f"CVaR{self.confidence:g} of payouts (in sample)", f"{self.cvar:.6g} {u}"),
                     ("shortfall probability (out of sample)",
                      f"{oos.get('shortfall_probability', math.nan):.4g}"),
                     ("expected shortfall (out of sample)",
                      f"{oos.get('expected_shortfall', math.nan):.4g} {u}"),
                     ("key", self.key_name)]
        return rows

    def to_frame(self) -> pd.DataFrame:
        """One row per member: key share, contribution and its share, payout share,
        expected damage and payout, expected net benefit, payment cap."""
        F = self.contributions.sum()
        df = pd.DataFrame({
            "key_share": self.key.to_numpy(),
            "contribution": self.contributions.to_numpy(),
            "contribution_share": (self.contributions / F).to_numpy() if F > 0
            else np.full(len(self.key), np.nan),
            "payout_share": self.payout_shares.to_numpy(),
            "expected_damage": self.expected_damage.to_numpy(),
            "expected_payout": self.expected_payout.to_numpy(),
            "net_benefit": self.net_benefit.to_numpy(),
            "cap": self.caps.to_numpy(),
        }, index=self.contributions.index)
        df.index.name = "member"
        return df

    def to_dict(self) -> dict:
        return {"success": self.success, "status": self.status, "message": self.message,
                "unit": self.unit, "confidence": self.confidence, "years": self.years,
                "cofunding": self.cofunding, "reserve": self.reserve,
                "resources": self.resources, "total_contributions": self.total_contributions,
                "cvar": self.cvar, "var": self.var, "key": self.key_name,
                "key_deviation": self.key_deviation, "in_sample": self.in_sample,
                "out_of_sample": self.out_of_sample, "binding": list(self.binding),
                "diagnosis": self.diagnosis, "min_cofunding": self.min_cofunding,
                "notes": list(self.notes), "solver": self.solver,
                "per_member": self.to_frame()}


def _adequacy(payout: np.ndarray, resources: float, beta: float, weights=None) -> dict:
    short = payout - resources
    w = np.full(short.size, 1.0 / short.size) if weights is None else weights / weights.sum()
    tol = 1e-9 * max(1.0, abs(resources))
    return {"shortfall_probability": float(w[short > tol].sum()),
            "expected_shortfall": float((w * np.maximum(short, 0.0)).sum()),
            "cvar_shortfall": empirical_cvar(short, beta, w),
            "cvar_payout": empirical_cvar(payout, beta, w),
            "mean_payout": float((w * payout).sum())}


# ====================================================================== the function
def design_fund(scenario, confidence: float = 0.95, years: int = 10_000, seed=0,
                key="benefit", cofunding: float | None = None, *, coverage: float = 0.5,
                max_coverage: float = 1.0, reserve: float = 0.0, capacity=None,
                capacity_share: float = 1.0, profile=None, validation_years: int | None = None,
                validation_seed=None, backend: str = "pulp") -> FundResult:
    """Contributions and payout shares of a joint crisis fund, by LP over simulated years.

    See the module notes of :mod:`cooperation.compensation.fund` for the LP.

    Parameters
    ----------
    scenario : Scenario
    confidence : float in (0, 1)
        ``beta`` of the CVaR solvency constraint.
    years : int
        Simulated years for the LP (in sample).
    seed : int, SeedSequence or Generator
        The in-sample and the out-of-sample simulations use the two children
        ``SeedSequence(seed).spawn(2)`` (in that order), so the in-sample years
        can be reproduced with ``simulate_losses(scenario, profile, years,
        SeedSequence(seed).spawn(2)[0])``.
    key : "benefit", "ability", "equal", "population", or shares by member
        What contributions are kept close to: expected damage (benefit
        principle, 受益者付费), fiscal capacity (ability to pay), equal, population,
        or any non-negative shares (normalised), e.g. a real agreement's 1:5:4.
    cofunding : float >= 0, optional
        The higher level's yearly co-funding; None: the least that works is
        found (first LP stage); a number: fixed at that amount.
    coverage, max_coverage : float in [0, 1]
        Bounds on each payout share ``alpha_i``.
    reserve : float >= 0
        Money the fund holds at the start of a year.
    capacity : Series, mapping or array, optional
        Caps on ``f_i`` (``inf``: none). Default: ``capacity_share *`` the
        scenario's capacity where known.
    profile : profile, optional
        Members' action levels during the fund's life; default everyone at the
        cooperative level (the fund backs a cooperation agreement).
    validation_years, validation_seed
        Out-of-sample check (default: ``years`` and a second child of ``seed``).
    backend : {"pulp", "scipy"}

    Returns
    -------
    FundResult
        ``contributions``, ``payout_shares``, ``cofunding``, ``cvar``,
        ``out_of_sample`` adequacy, ``.to_frame()``.

    References
    ----------
    Rockafellar and Uryasev (2000), *Journal of Risk* 2(3), 21-41; (2002),
    *Journal of Banking & Finance* 26, 1443-1471.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.Scenario(
    ...     [co.Jurisdiction("A", capacity=10.0), co.Jurisdiction("B", capacity=30.0)],
    ...     [co.Hazard("flood", 0.1, 10.0, {"A": 0.5, "B": 0.5}),
    ...      co.Hazard("spill", 0.05, 4.0, {"B": 1.0})], unit="CNY 100M")
    >>> fund = co.design_fund(s, confidence=0.9, years=2000, seed=0, coverage=0.5)
    >>> fund.success, bool(fund.net_benefit.min() >= -1e-9)
    (True, True)
    >>> fund.contributions.round(4).to_dict(), round(fund.cofunding, 4), round(fund.cvar, 4)
    ({'A': 0.2587, 'B': 0.3597}, 4.4715, 5.09)

    Members pay their expected payouts; the higher level carries the tail.
    """
    from ..scenario.model import Scenario

    if not isinstance(scenario, Scenario):
        raise InputError("design_fund needs a Scenario (hazards, damages, spillovers)",
                         field="scenario", value=type(scenario).__name__)
    for nm, val, lo, hi, open_ in (("confidence", confidence, 0.0, 1.0, True),
                                   ("coverage", coverage, 0.0, 1.0, False),
                                   ("max_coverage", max_coverage, 0.0, 1.0, False)):
        if isinstance(val, bool) or not isinstance(val, int | float | np.number) or \
                not (lo < val < hi if open_ else lo <= val <= hi):
            raise InputError(f"must lie in {'(' if open_ else '['}{lo:g}, {hi:g}"
                             f"{')' if open_ else ']'}", field=nm, value=val)
    if coverage > max_coverage:
        raise InputError("must not exceed max_coverage", field="coverage", value=coverage)
    for nm, val in (("reserve", reserve), ("capacity_share", capacity_share)):
        if isinstance(val, bool) or not isinstance(val, int | float | np.number) \
                or not math.isfinite(val) or val < 0:
            raise InputError("must be a finite number >= 0", field=nm, value=val)
    if cofunding is not None and (isinstance(cofunding, bool) or not isinstance(
            cofunding, int | float | np.number) or not math.isfinite(cofunding) or cofunding < 0):
        raise InputError("must be a finite number >= 0, or None to find the least",
                         field="cofunding", value=cofunding)
    for nm, val in (("years", years), ("validation_years", validation_years)):
        if val is None and nm == "validation_years":
            continue
        if isinstance(val, bool) or not isinstance(val, int | np.integer) or val < 1:
            raise InputError("must be an integer >= 1", field=nm, value=val)
    model = PayoffModel(scenario, tensor_max_profiles=0)
    n, P = model.n, model.players
    a = (np.full(n, scenario.cooperative_level, dtype=np.intp) if profile is None
         else model.check_profile(profile, "profile"))

    # ---------------------------------------------------------------- key
    if isinstance(key, str):
        if key not in KEYS:
            raise InputError(f"must be one of {list(KEYS)} or shares by member", field="key",
                             value=key)
        key_name = key
    else:
        key_name = "given"
    caps = np.full(n, np.inf)
    if capacity is not None:
        caps = model.check_vector(capacity, "capacity", allow_inf=True, nonneg=True)
    else:
        sc = np.asarray(scenario.capacity, float)
        caps = np.where(np.isfinite(sc), capacity_share * sc, np.inf)

    # ---------------------------------------------------------------- simulation
    ss = _seed_sequence(seed)
    child_in, child_out = ss.spawn(2)
    if validation_seed is not None:
        child_out = _seed_sequence(validation_seed, "validation_seed")
    L = simulate_losses(scenario, a, int(years), child_in)
    mu = np.asarray(L.mean(axis=0)).ravel()
    if key_name == "benefit":
        kap = mu.copy()
    elif key_name == "ability":
        cap_raw = np.asarray(scenario.capacity, float)
        bad = np.flatnonzero(~np.isfinite(cap_raw))
        if len(bad):
            raise InputError("key='ability' needs every member's fiscal capacity",
                             field=f"jurisdictions[{P[bad[0]]}].capacity", value=math.nan,
                             fix="give capacity in the scenario, or pass key shares")
        kap = cap_raw.copy()
    elif key_name == "equal":
        kap = np.ones(n)
    elif key_name == "population":
        pop = np.asarray(scenario.population, float)
        bad = np.flatnonzero(~np.isfinite(pop))
        if len(bad):
            raise InputError("key='population' needs every member's population",
                             field=f"jurisdictions[{P[bad[0]]}].population", value=math.nan)
        kap = pop.copy()
    else:
        kap = model.check_vector(key, "key", nonneg=True)
    if kap.sum() <= 0:
        raise InputError("key shares must not all be zero", field="key", value=kap.tolist(),
                         fix="with key='benefit' this means no member expects any damage")
    kap = kap / kap.sum()

    # merge identical years into weighted scenarios
    if n * int(years) <= 50_000_000:
        Ld = L.toarray()
        uniq, inv, counts = np.unique(Ld, axis=0, return_inverse=True, return_counts=True)
        Lu = sp.csr_matrix(uniq)
        w = counts.astype(float)
    else:
        Lu, w, inv = L, np.ones(int(years)), np.arange(int(years))
    S = Lu.shape[0]

    # ---------------------------------------------------------------- the LP
    beta = float(confidence)

    def build(c_fixed, with_key=True):
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

    c_fixed = None if cofunding is None else float(cofunding)
    lp, objs, ix = build(c_fixed)
    sol = solve_lp(lp, objs, backend=backend)
    index = pd.Index(P, name="member")
    ser = lambda v, name: pd.Series(np.asarray(v, float), index=index, name=name)  # noqa: E731
    notes = []
    if np.isfinite(caps).sum() == 0:
        notes.append("no capacity caps known: contributions are limited only by net benefit")
    common = dict(key=ser(kap, "key"), key_name=key_name, expected_damage=ser(mu, "damage"),
                  caps=ser(caps, "cap"), confidence=beta, years=int(years), scenarios=int(S),
                  profile=model.label(a), reserve=float(reserve), unit=scenario.unit,
                  solver=sol.solver, build_time=sol.build_time, solve_time=sol.solve_time)
    if sol.status != STATUS_OPTIMAL:
        min_c = math.nan
        diag = None
        msg = f"{STATUS_TEXT.get(sol.status, 'failed')}: {sol.message}"
        if sol.status == STATUS_INFEASIBLE and c_fixed is not None:
            lp2, objs2, _ = build(None, with_key=False)
            s2 = solve_lp(lp2, objs2[:1], backend=backend)
            if s2.status == STATUS_OPTIMAL:
                min_c = float(s2.values[0])
                diag = (f"infeasible: co-funding {c_fixed:.6g} {scenario.unit} cannot keep the "
                        f"fund solvent at confidence {beta:g} while every member breaks even; "
                        f"the smallest co-funding that restores feasibility is {min_c:.6g} "
                        f"{scenario.unit} (or raise the reserve by {min_c - c_fixed:.6g})")
                msg = diag
        nanS = ser(np.full(n, np.nan), "")
        return FundResult(False, sol.status, msg, nanS, nanS, math.nan, resources=math.nan,
                          cvar=math.nan, var=math.nan, key_deviation=math.nan, expected_payout=nanS,
                          net_benefit=nanS, in_sample={}, out_of_sample={}, binding=(),
                          duals=pd.Series(dtype=float), diagnosis=diag, min_cofunding=min_c,
                          objective_values=tuple(sol.values), notes=tuple(notes), **common)
    x = sol.x
    scale = max(1.0, float(mu.max(initial=0.0)))
    clean = lambda v: np.where(np.abs(v) <= 1e-10 * scale, 0.0, v)  # noqa: E731
    f = clean(x[ix["f"]])
    f = np.maximum(f, 0.0)
    alpha = np.clip(x[ix["al"]], coverage, max_coverage)
    c = max(0.0, float(clean(np.array([x[ix["c"]]]))[0]))
    F = math.fsum(f)
    resources = F + c + float(reserve)
    payout_in = (L @ alpha)
    ins = _adequacy(payout_in, resources, beta)
    # out of sample
    vy = int(validation_years or years)
    Lo = simulate_losses(scenario, a, vy, child_out)
    oos = _adequacy(Lo @ alpha, resources, beta)
    oos.update(years=vy, seed=str(child_out.entropy) if validation_seed is None
               else str(validation_seed))
    ax = lp.A @ x
    binding = []
    for r in range(lp.n_rows):
        fam = lp.row_family[r]
        if fam in ("total", "tail", "objective"):
            continue
        b = lp.lo[r] if np.isfinite(lp.lo[r]) else lp.hi[r]
        if abs(ax[r] - b) <= 1e-7 * max(1.0, abs(b), scale):
            binding.append(lp.row_names[r])
    keep = [fam not in ("tail", "objective") for fam in lp.row_family]
    duals = pd.Series(sol.duals, index=lp.row_names, name="dual")[keep]
    expected_payout = alpha * mu
    kdev = float(np.abs(f - kap * F).sum())
    cvar_pay = ins["cvar_payout"]
    msg = (f"optimal: members pay {F:.6g}, co-funding {c:.6g}, reserve {float(reserve):.6g} "
           f"{scenario.unit}; in-sample CVaR{beta:g} of payouts {cvar_pay:.6g} <= resources "
           f"{resources:.6g}; out-of-sample shortfall probability "
           f"{oos['shortfall_probability']:.4g} ({vy} years)")
    if ins["cvar_shortfall"] > 1e-6 * max(1.0, resources):
        msg += f"; WARNING: in-sample CVaR exceeds resources by {ins['cvar_shortfall']:.3g}"
    return FundResult(
        True, STATUS_OPTIMAL, msg, ser(f, "contribution"), ser(alpha, "payout_share"), c,
        resources=resources, cvar=cvar_pay, var= float(x[ix["eta"]] + resources), key_deviation=kdev,
        expected_payout=ser(expected_payout, "expected_payout"),
        net_benefit=ser(expected_payout - f, "net_benefit"), in_sample=ins, out_of_sample=oos,
        binding=tuple(binding), duals=duals, diagnosis=None, min_cofunding=c if c_fixed is None
        else math.nan, objective_values=tuple(sol.values), notes=tuple(notes),
        extra={"eta": float(x[ix["eta"]]), "weights": w, "inverse": inv}, **common)
