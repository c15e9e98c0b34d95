"""``design_fund``: the public function of the crisis fund, in small steps."""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from ..._checks import check_int, check_number
from ..._progress import progress_bar
from ..._random import seed_sequence
from ...errors import InputError
from ...games.model import PayoffModel
from ..plans.network import power_of_two
from ..results.fund import FundResult
from .losses import simulate_losses
from .model import FundLP
from .outcome import Context, failure, success
from .solve import check_backend, solve_fund

__all__ = ["design_fund", "KEYS", "MAX_YEARS", "money_scale"]

KEYS = ("benefit", "ability", "equal", "population")
#: the most simulated years (in or out of sample): a thousand times the default, enough
#: for a tail of 1e-5 to hold a hundred years; the loss matrix of more would not fit
MAX_YEARS = 10_000_000
_EPS = float(np.finfo(float).eps)
_TINY = float(np.finfo(float).tiny)
_HUGE = float(np.finfo(float).max)


def design_fund(
    scenario,
    confidence: float = 0.95,
    years: int = 10_000,
    seed=0,
    key="benefit",
    cofunding: float | None = None,
    *,
    coverage: float = 0.5,
    max_coverage: float = 1.0,
    reserve: float = 0.0,
    capacity=None,
    capacity_share: float = 1.0,
    profile=None,
    validation_years: int | None = None,
    validation_seed=None,
    horizon: int | None = None,
    time_limit: float | None = None,
    backend: str = "highs",
    progress: bool | None = None,
) -> FundResult:
    """Contributions and payout shares of a joint crisis fund, by LP over simulated years.

    See the module notes of :mod:`cooperation.compensation.fund` and ``docs/fund.md``
    for the LP, its formulas and sources.

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
        When a constraint keeps them away from it, ``key_decided_by`` names it.
    cofunding : float >= 0, optional
        The higher level's yearly co-funding; None: the least that works is
        found (first LP stage); a number: fixed at that amount.
    coverage, max_coverage : float in [0, 1]
        Bounds on each payout share ``alpha_i``.
    reserve : float >= 0
        Money the fund holds at the start (of every year in standby mode; once, at
        the start of the horizon, in reserve mode).
    capacity : Series, mapping or array, optional
        Caps on ``f_i`` (``inf``: none). Default: ``capacity_share *`` the
        scenario's capacity where known.
    profile : profile, optional
        Members' action levels during the fund's life; default everyone at the
        cooperative level (the fund backs a cooperation agreement).
    validation_years, validation_seed
        Out-of-sample check (default: ``years`` and a second child of ``seed``).
    horizon : int >= 1, optional
        None (standby mode): the fund is one year's standby money, ``F + c + R``
        judged against a single year's payouts. An integer ``H`` (reserve mode):
        the balance carries over; contributions come in every year, payouts are
        drawn from the balance, and the in-sample ruin probability over ``H``
        years (paths of ``H`` consecutive simulated years) is at most ``1 - beta``.
    time_limit : float > 0, optional
        Seconds for the whole LP (every stage); None: no limit. Running out gives
        ``status = 1`` and ``success = False``, never a fund reported as optimal.
    backend : {"highs", "pulp", "scipy"}
        "highs": the master LP with solvency cuts through highspy (linear in
        members x years); "pulp", "scipy": the extensive Rockafellar-Uryasev LP
        (one row per distinct year and year of a path), for cross-checks.
    progress : bool, optional
        A progress bar for the simulations and the LP rounds; None: only on a
        terminal, never in tests or notebooks.

    Returns
    -------
    FundResult
        ``contributions``, ``payout_shares``, ``cofunding``, ``cvar``, ``covers``
        (what the money is for), ``key_decided_by``, ``out_of_sample`` adequacy,
        ``.to_frame()``.

    References
    ----------
    Rockafellar and Uryasev (2000), *Journal of Risk* 2(3), 21-41; (2002),
    *Journal of Banking & Finance* 26, 1443-1471. Kunzi-Bay and Mayer (2006),
    *Computational Management Science* 3, 3-27 (cuts). Asmussen and Albrecher
    (2010), *Ruin Probabilities* (reserve mode).

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
    >>> fund.contributions.round(5).to_dict(), round(fund.cofunding, 4), round(fund.cvar, 4)
    ({'A': 0.25875, 'B': 0.35975}, 4.4715, 5.09)

    Members pay their expected payouts; the higher level carries the tail. With
    the balance carried over ten years and a starting reserve of 10:

    >>> r = co.design_fund(s, confidence=0.9, years=2000, seed=0, horizon=10, reserve=10.0)
    >>> r.mode, r.horizon, r.success, r.cofunding < fund.cofunding
    ('reserve', 10, True, True)
    """
    _check_arguments(
        scenario,
        confidence,
        coverage,
        max_coverage,
        reserve,
        capacity_share,
        cofunding,
        years,
        validation_years,
        horizon,
        time_limit,
    )
    backend = check_backend(backend)
    model = PayoffModel(scenario, tensor_max_profiles=0)
    n, P = model.n, model.players
    a = (
        np.full(n, scenario.cooperative_level, dtype=np.intp)
        if profile is None
        else model.check_profile(profile, "profile")
    )
    if isinstance(key, str) and key not in KEYS:
        raise InputError(f"must be one of {list(KEYS)} or shares by member", field="key", value=key)
    key_name = key if isinstance(key, str) else "given"
    if capacity is not None:
        caps = model.check_vector(capacity, "capacity", allow_inf=True, nonneg=True)
    else:
        sc = np.asarray(scenario.capacity, float)
        caps = np.where(np.isfinite(sc), capacity_share * sc, np.inf)
    years, H = int(years), (None if horizon is None else int(horizon))
    vy = int(validation_years or years)
    child_in, child_out = seed_sequence(seed).spawn(2)
    if validation_seed is not None:
        child_out = seed_sequence(validation_seed, "validation_seed")
    with progress_bar(years + vy, "fund: simulating years", progress, unit="year") as bar:
        L = simulate_losses(scenario, a, years, child_in, progress=bar)
        Lo = simulate_losses(scenario, a, vy, child_out, progress=bar)
    mu = np.asarray(L.mean(axis=0)).ravel()
    kap = _key_shares(scenario, model, key, key_name, mu)
    s = money_scale(L, years, reserve, cofunding)
    if H is None:
        Lu, w, inv = _merge_years(L)
        Lp = Lu
    else:
        K = years // H
        Lp, w, inv = L[: K * H], np.ones(K), None
    spec = FundLP(
        tuple(P),
        sp.csr_matrix(Lp / s),
        w,
        mu / s,
        caps / s,
        kap,
        float(coverage),
        float(max_coverage),
        float(reserve) / s,
        float(confidence),
        1 if H is None else H,
        s,
    )
    c_fixed = None if cofunding is None else float(cofunding) / s
    with progress_bar(None, "fund: LP rounds", progress, unit="round") as bar:
        solved = solve_fund(spec, c_fixed, backend, time_limit=time_limit, bar=bar)
    ctx = Context(
        spec=spec,
        solved=solved,
        scenario=scenario,
        model=model,
        profile=a,
        L=L,
        Lo=Lo,
        inv=inv,
        years=years,
        validation_years=vy,
        caps=caps,
        key_name=key_name,
        mode="standby" if H is None else "reserve",
        child_out=child_out,
        validation_seed=validation_seed,
        backend=backend,
        time_limit=time_limit,
    )
    if solved.sol.status != 0:
        return failure(ctx)
    return success(ctx)


def money_scale(L: sp.csr_matrix, years: int, reserve: float, cofunding) -> float:
    """The power of two the LP divides money by: just below the largest yearly loss
    (so the loss data are of order one whatever the unit), or below the reserve or
    co-funding when nothing is ever lost.

    Double precision bounds what can be solved: the largest yearly loss ``M``
    must be a normal number with room for relative differences of ``eps``
    (``M >= tiny / eps``) and ``years`` of it must add up without overflow
    (``years M <= max``); the reserve and a fixed co-funding must not exceed
    ``M / eps``, beyond which the losses vanish in their round-off.
    """
    M = float(np.asarray(L.sum(axis=1)).max(initial=0.0)) if L.nnz else 0.0
    rule = (
        f"the largest yearly loss must lie in [{_TINY / _EPS:.3g}, {_HUGE / years:.3g}] "
        f"money units for {years} years to be summed in double precision"
    )
    if not math.isfinite(M) or M * years > _HUGE or 0.0 < M < _TINY / _EPS:
        raise InputError(
            rule,
            field="hazards.damage",
            value=M,
            fix="express the money in another unit (e.g. million instead of yuan)",
        )
    others = [("reserve", float(reserve))] + (
        [("cofunding", float(cofunding))] if cofunding is not None else []
    )
    if M > 0:
        for name, v in others:
            if v > M / _EPS:
                raise InputError(
                    f"more than 1/eps = {1 / _EPS:.3g} times the largest yearly "
                    f"loss ({M:.6g}): in double precision the losses would vanish "
                    "in its round-off",
                    field=name,
                    value=v,
                )
        return power_of_two(M)
    return power_of_two(max((v for _, v in others), default=1.0))


def _check_arguments(
    scenario,
    confidence,
    coverage,
    max_coverage,
    reserve,
    capacity_share,
    cofunding,
    years,
    validation_years,
    horizon,
    time_limit,
) -> None:
    from ...scenario.model import Scenario

    if not isinstance(scenario, Scenario):
        raise InputError(
            "design_fund needs a Scenario (hazards, damages, spillovers)",
            field="scenario",
            value=type(scenario).__name__,
        )
    check_number(confidence, "confidence", lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    check_number(coverage, "coverage", lo=0.0, hi=1.0)
    check_number(max_coverage, "max_coverage", lo=0.0, hi=1.0)
    if coverage > max_coverage:
        raise InputError("must not exceed max_coverage", field="coverage", value=coverage)
    check_number(reserve, "reserve", lo=0.0)
    check_number(capacity_share, "capacity_share", lo=0.0)
    check_number(
        cofunding,
        "cofunding",
        lo=0.0,
        none_ok=True,
        fix="None finds the least co-funding that works",
    )
    check_number(time_limit, "time_limit", lo=0.0, lo_open=True, none_ok=True, fix="None: no limit")
    for nm, val in (("years", years), ("validation_years", validation_years)):
        if val is None and nm == "validation_years":
            continue
        if isinstance(val, bool) or not isinstance(val, int | np.integer) or val < 1:
            raise InputError("must be an integer >= 1", field=nm, value=val)
        if val > MAX_YEARS:
            raise InputError(f"must be at most {MAX_YEARS:,} simulated years", field=nm, value=val)
    if horizon is not None:
        check_int(horizon, "horizon", lo=1)
        for nm, val in (("years", years), ("validation_years", validation_years)):
            if val is not None and val < horizon:
                raise InputError(
                    f"reserve mode needs at least one path of horizon = {horizon} years",
                    field=nm,
                    value=val,
                )


def _key_shares(scenario, model, key, key_name, mu) -> np.ndarray:
    """The key ``kappa`` (shares summing to 1) that contributions are kept close to."""
    P, n = model.players, model.n
    if key_name == "benefit":
        kap = mu.copy()
    elif key_name == "ability":
        cap_raw = np.asarray(scenario.capacity, float)
        bad = np.flatnonzero(~np.isfinite(cap_raw))
        if len(bad):
            raise InputError(
                "key='ability' needs every member's fiscal capacity",
                field=f"jurisdictions[{P[bad[0]]}].capacity",
                value=math.nan,
                fix="give capacity in the scenario, or pass key shares",
            )
        kap = cap_raw.copy()
    elif key_name == "equal":
        kap = np.ones(n)
    elif key_name == "population":
        pop = np.asarray(scenario.population, float)
        bad = np.flatnonzero(~np.isfinite(pop))
        if len(bad):
            raise InputError(
                "key='population' needs every member's population",
                field=f"jurisdictions[{P[bad[0]]}].population",
                value=math.nan,
            )
        kap = pop.copy()
    else:
        kap = model.check_vector(key, "key", nonneg=True)
    if kap.sum() <= 0:
        raise InputError(
            "key shares must not all be zero",
            field="key",
            value=kap.tolist(),
            fix="with key='benefit' this means no member expects any damage",
        )
    return kap / kap.sum()


def _merge_years(L: sp.csr_matrix):
    """Identical years merged into weighted scenarios, in order of first appearance:
    ``(Lu, weights, inverse)``. Rows are compared exactly (their sparse pattern and
    values as bytes), in time and memory linear in the non-zeros."""
    L = sp.csr_matrix(L, copy=True)
    L.sum_duplicates()
    L.eliminate_zeros()
    L.sort_indices()
    ind, dat, ptr = L.indices, L.data, L.indptr
    first: dict = {}
    inv = np.empty(L.shape[0], dtype=np.intp)
    for y in range(L.shape[0]):
        a, b = ptr[y], ptr[y + 1]
        k = ind[a:b].tobytes() + dat[a:b].tobytes()
        inv[y] = first.setdefault(k, len(first))
    reps = np.full(len(first), -1, dtype=np.intp)
    reps[inv[::-1]] = np.arange(L.shape[0])[::-1]
    counts = np.bincount(inv, minlength=len(first)).astype(float)
    return L[reps], counts, inv
