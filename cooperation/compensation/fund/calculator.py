"""``design_fund``: the public function of the crisis fund, in small steps."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..._checks import check_number
from ..._random import seed_sequence
from ...errors import InputError
from ...games.model import PayoffModel
from ...lp import STATUS_INFEASIBLE, STATUS_OPTIMAL, STATUS_TEXT, solve_lp
from ..results.fund import FundResult
from .losses import adequacy, simulate_losses
from .model import FundLP, build

__all__ = ["design_fund", "KEYS"]

KEYS = ("benefit", "ability", "equal", "population")


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
    _check_arguments(scenario, confidence, coverage, max_coverage, reserve, capacity_share,
                     cofunding, years, validation_years)
    model = PayoffModel(scenario, tensor_max_profiles=0)
    n, P = model.n, model.players
    a = (np.full(n, scenario.cooperative_level, dtype=np.intp) if profile is None
         else model.check_profile(profile, "profile"))
    if isinstance(key, str) and key not in KEYS:
        raise InputError(f"must be one of {list(KEYS)} or shares by member", field="key",
                         value=key)
    key_name = key if isinstance(key, str) else "given"
    if capacity is not None:
        caps = model.check_vector(capacity, "capacity", allow_inf=True, nonneg=True)
    else:
        sc = np.asarray(scenario.capacity, float)
        caps = np.where(np.isfinite(sc), capacity_share * sc, np.inf)
    child_in, child_out = seed_sequence(seed).spawn(2)
    if validation_seed is not None:
        child_out = seed_sequence(validation_seed, "validation_seed")
    L = simulate_losses(scenario, a, int(years), child_in)
    mu = np.asarray(L.mean(axis=0)).ravel()
    kap = _key_shares(scenario, model, key, key_name, mu)
    Lu, w, inv = _merge_years(L, n, int(years))
    beta = float(confidence)
    spec = FundLP(tuple(P), Lu, w, mu, caps, kap, coverage, max_coverage, float(reserve),
                  beta, int(years))
    S = spec.scenarios
    c_fixed = None if cofunding is None else float(cofunding)
    lp, objs, ix = build(spec, c_fixed)
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
        return _failure(spec, sol, c_fixed, scenario.unit, backend, ser, notes, common)
    return _success(spec, sol, lp, ix, L, a, scenario, c_fixed, child_out, validation_years,
                    validation_seed, ser, notes, common, inv)


def _check_arguments(scenario, confidence, coverage, max_coverage, reserve, capacity_share,
                     cofunding, years, validation_years) -> None:
    from ...scenario.model import Scenario

    if not isinstance(scenario, Scenario):
        raise InputError("design_fund needs a Scenario (hazards, damages, spillovers)",
                         field="scenario", value=type(scenario).__name__)
    check_number(confidence, "confidence", lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    check_number(coverage, "coverage", lo=0.0, hi=1.0)
    check_number(max_coverage, "max_coverage", lo=0.0, hi=1.0)
    if coverage > max_coverage:
        raise InputError("must not exceed max_coverage", field="coverage", value=coverage)
    check_number(reserve, "reserve", lo=0.0)
    check_number(capacity_share, "capacity_share", lo=0.0)
    check_number(cofunding, "cofunding", lo=0.0, none_ok=True,
                 fix="None finds the least co-funding that works")
    for nm, val in (("years", years), ("validation_years", validation_years)):
        if val is None and nm == "validation_years":
            continue
        if isinstance(val, bool) or not isinstance(val, int | np.integer) or val < 1:
            raise InputError("must be an integer >= 1", field=nm, value=val)


def _key_shares(scenario, model, key, key_name, mu) -> np.ndarray:
    """The key ``kappa`` (shares summing to 1) that contributions are kept close to."""
    P, n = model.players, model.n
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
    return kap / kap.sum()


def _merge_years(L: sp.csr_matrix, n: int, years: int):
    """Identical years merged into weighted scenarios: ``(Lu, weights, inverse)``."""
    if n * years <= 50_000_000:
        uniq, inv, counts = np.unique(L.toarray(), axis=0, return_inverse=True,
                                      return_counts=True)
        return sp.csr_matrix(uniq), counts.astype(float), inv
    return L, np.ones(years), np.arange(years)


def _failure(spec, sol, c_fixed, unit, backend, ser, notes, common) -> FundResult:
    n, beta = spec.n, spec.beta
    min_c = math.nan
    diag = None
    msg = f"{STATUS_TEXT.get(sol.status, 'failed')}: {sol.message}"
    if sol.status == STATUS_INFEASIBLE and c_fixed is not None:
        lp2, objs2, _ = build(spec, None, with_key=False)
        s2 = solve_lp(lp2, objs2[:1], backend=backend)
        if s2.status == STATUS_OPTIMAL:
            min_c = float(s2.values[0])
            diag = (f"infeasible: co-funding {c_fixed:.6g} {unit} cannot keep the "
                    f"fund solvent at confidence {beta:g} while every member breaks even; "
                    f"the smallest co-funding that restores feasibility is {min_c:.6g} "
                    f"{unit} (or raise the reserve by {min_c - c_fixed:.6g})")
            msg = diag
    nanS = ser(np.full(n, np.nan), "")
    return FundResult(False, sol.status, msg, nanS, nanS, math.nan, resources=math.nan,
                      cvar=math.nan, var=math.nan, key_deviation=math.nan, expected_payout=nanS,
                      net_benefit=nanS, in_sample={}, out_of_sample={}, binding=(),
                      duals=pd.Series(dtype=float), diagnosis=diag, min_cofunding=min_c,
                      objective_values=tuple(sol.values), notes=tuple(notes), **common)


def _success(spec, sol, lp, ix, L, a, scenario, c_fixed, child_out, validation_years,
             validation_seed, ser, notes, common, inv) -> FundResult:
    mu, coverage, max_coverage, reserve, beta = (spec.mu, spec.coverage, spec.max_coverage,
                                                 spec.reserve, spec.beta)
    kap, w, years = spec.kap, spec.w, spec.years
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
    ins = adequacy(payout_in, resources, beta)
    # out of sample
    vy = int(validation_years or years)
    Lo = simulate_losses(scenario, a, vy, child_out)
    oos = adequacy(Lo @ alpha, resources, beta)
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
