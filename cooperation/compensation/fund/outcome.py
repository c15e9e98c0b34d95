"""From a solved fund LP to a :class:`FundResult`: money back in the scenario's unit,
adequacy in and out of sample, binding rows, shadow prices, and the explanations
(what the fund covers, what decides the contributions when the key does not)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..._numeric import RTOL, clean_zero
from ...lp import STATUS_INFEASIBLE, STATUS_OPTIMAL, STATUS_TEXT
from ...lp.lazy import Duals
from ..results.fund import FundResult
from .losses import adequacy, empirical_var, path_need, reserve_adequacy, tail_weights
from .model import BINDING_RTOL, FundLP
from .solve import Solved, alpha_of, solve_fund

__all__ = ["Context", "covers_text", "failure", "success"]


@dataclass
class Context:
    """Everything :func:`design_fund` hands over to build its result."""

    spec: FundLP
    solved: Solved
    scenario: object
    model: object
    profile: np.ndarray
    L: object
    Lo: object
    inv: object
    years: int
    validation_years: int
    caps: np.ndarray
    key_name: str
    mode: str
    child_out: object
    validation_seed: object
    backend: str
    time_limit: float | None


def covers_text(mode: str, horizon: int) -> str:
    """What the fund's money is for, in one sentence."""
    if mode == "standby":
        return (
            "one year's standby money: contributions + co-funding + reserve are held "
            "against the payouts of a single year, each year judged on its own; nothing "
            "carries over to the next year"
        )
    return (
        f"a reserve carried over {horizon} years: contributions and co-funding are paid in "
        f"every year, payouts are drawn from the balance (which starts at the reserve) and "
        f"what is left carries over; solvency is judged on whole {horizon}-year paths "
        f"(the ruin probability)"
    )


def _ser(ctx: Context, v, name: str) -> pd.Series:
    return pd.Series(
        np.asarray(v, float), index=pd.Index(ctx.spec.players, name="member"), name=name
    )


def _common(ctx: Context) -> dict:
    sp_, sol = ctx.spec, ctx.solved.sol
    mu, s = sp_.mu * sp_.scale, sp_.scale
    notes = []
    if np.isfinite(ctx.caps).sum() == 0:
        notes.append("no capacity caps known: contributions are limited only by net benefit")
    if ctx.mode == "reserve":
        left = ctx.years - sp_.paths * sp_.horizon
        if left:
            notes.append(
                f"{left} simulated years beyond the last whole {sp_.horizon}-year path are not used"
            )
        if sp_.paths * (1.0 - sp_.beta) < 1.0:
            notes.append(
                f"only {sp_.paths} paths: the worst {1 - sp_.beta:.3g} of them is "
                "less than one path; simulate more years"
            )
    return dict(
        key=_ser(ctx, sp_.kap, "key"),
        key_name=ctx.key_name,
        expected_damage=_ser(ctx, mu, "damage"),
        caps=_ser(ctx, ctx.caps, "cap"),
        confidence=sp_.beta,
        years=ctx.years,
        scenarios=int(sp_.paths),
        profile=ctx.model.label(ctx.profile),
        reserve=sp_.reserve * s,
        unit=ctx.scenario.unit,
        solver=sol.solver,
        build_time=sol.build_time,
        solve_time=sol.solve_time,
        mode=ctx.mode,
        horizon=sp_.horizon,
        covers=covers_text(ctx.mode, sp_.horizon),
        solver_status=getattr(sol, "highs_status", "") or sol.message,
    ), notes


def failure(ctx: Context) -> FundResult:
    spec, sol, unit = ctx.spec, ctx.solved.sol, ctx.scenario.unit
    common, notes = _common(ctx)
    c_fixed, s, n = ctx.solved.c_fixed, spec.scale, spec.n
    min_c, diag = math.nan, None
    msg = f"{STATUS_TEXT.get(sol.status, 'failed')}: {sol.message}"
    if sol.status == STATUS_INFEASIBLE and c_fixed is not None:
        s2 = solve_fund(
            spec, None, ctx.backend, with_key=False, first_only=True, time_limit=ctx.time_limit
        ).sol
        if s2.status == STATUS_OPTIMAL:
            min_c = float(s2.values[0]) * s
            c_user = c_fixed * s
            judged = (
                ""
                if ctx.mode == "standby"
                else f" over {spec.horizon}-year paths (ruin probability)"
            )
            fix = (
                f"(or raise the reserve by {min_c - c_user:.6g})"
                if ctx.mode == "standby"
                else "(a larger starting reserve also lowers it)"
            )
            diag = (
                f"infeasible: co-funding {c_user:.6g} {unit} cannot keep the "
                f"fund solvent at confidence {spec.beta:g}{judged} while every member "
                f"breaks even; the smallest co-funding that restores feasibility is "
                f"{min_c:.6g} {unit} {fix}"
            )
            msg = diag
    nanS = _ser(ctx, np.full(n, np.nan), "")
    return FundResult(
        False,
        sol.status,
        msg,
        nanS,
        nanS,
        math.nan,
        resources=math.nan,
        cvar=math.nan,
        var=math.nan,
        key_deviation=math.nan,
        expected_payout=nanS,
        net_benefit=nanS,
        in_sample={},
        out_of_sample={},
        binding=(),
        duals=pd.Series(dtype=float),
        diagnosis=diag,
        min_cofunding=min_c,
        objective_values=tuple(v * s for v in sol.values),
        notes=tuple(notes),
        key_followed=None,
        key_decided_by=None,
        **common,
    )


def _adequacy(ctx: Context, alpha, F, c, R):
    """In-sample and out-of-sample records, and the in-sample VaR."""
    spec = ctx.spec
    beta, H = spec.beta, spec.horizon
    pin = np.asarray(ctx.L @ alpha).ravel()
    pout = np.asarray(ctx.Lo @ alpha).ravel()
    if ctx.mode == "standby":
        ins = adequacy(pin, F + c + R, beta)
        oos = adequacy(pout, F + c + R, beta)
        var = empirical_var(pin, beta)
    else:
        K, Ko = spec.paths, ctx.validation_years // H
        ins = reserve_adequacy(pin[: K * H], F + c, R, beta, H)
        oos = reserve_adequacy(pout[: Ko * H], F + c, R, beta, H)
        var = empirical_var(path_need(pin[: K * H], F + c, H)[0], beta)
    oos.update(
        years=ctx.validation_years,
        seed=str(ctx.child_out.entropy)
        if ctx.validation_seed is None
        else str(ctx.validation_seed),
    )
    return ins, oos, var


def _binding(ctx: Context, f, alpha, F, c) -> tuple:
    """The constraints that hold with equality, read off the answer (scaled money):
    solvency, sustainability, each member's net benefit and capacity."""
    spec = ctx.spec
    mu, caps, R = spec.mu, spec.caps, spec.reserve
    tol = BINDING_RTOL * max(1.0, float(mu.sum()), R)
    out = []
    payout = spec.L @ alpha
    need, _ = path_need(payout, F + c, spec.horizon)
    if float(tail_weights(need, spec.beta, spec.w) @ need) >= R - tol:
        out.append("solvency")
    if F + c - float(mu @ alpha) <= tol:
        out.append("sustainability")
    P = spec.players
    out += [f"net_benefit[{P[i]}]" for i in np.flatnonzero(mu * alpha - f <= tol)]
    out += [f"capacity[{P[i]}]" for i in np.flatnonzero(np.isfinite(caps) & (caps - f <= tol))]
    return tuple(out)


def _duals(ctx: Context) -> pd.Series:
    """The first stage's shadow prices of the model's own rows, by name."""
    lp, sol = ctx.solved.lp, ctx.solved.sol
    keep = [fam not in ("tail", "objective", "total") for fam in lp.row_family]
    return pd.Series(clean_zero(np.asarray(sol.duals, float)), index=lp.row_names, name="dual")[
        keep
    ]


def success(ctx: Context) -> FundResult:
    spec, solved = ctx.spec, ctx.solved
    sol, ix, s = solved.sol, solved.ix, spec.scale
    common, notes = _common(ctx)
    x = sol.x
    fs = np.maximum(clean_zero(x[ix["f"]], 1.0, RTOL), 0.0)
    alpha = np.clip(alpha_of(solved, x), spec.coverage, spec.max_coverage)
    cs = max(0.0, clean_zero(float(x[ix["c"]]), 1.0, RTOL))
    binding = _binding(ctx, fs, alpha, math.fsum(fs), cs)
    duals = _duals(ctx)
    f, c, R = fs * s, cs * s, spec.reserve * s
    F = math.fsum(f)
    resources = F + c + R
    ins, oos, var = _adequacy(ctx, alpha, F, c, R)
    mu, kap = spec.mu * s, spec.kap
    expected_payout = alpha * mu
    kdev = float(np.abs(f - kap * F).sum())
    followed, decided = _key_verdict(ctx, x, kdev, F)
    notes += _key_notes(ctx, followed, decided, kdev, F, c)
    cvar = ins["cvar_payout"] if ctx.mode == "standby" else ins["cvar_need"]
    msg = _message(ctx, F, c, R, resources, cvar, ins, oos)
    extra = {
        "weights": spec.w,
        "inverse": ctx.inv,
        "scale": s,
        "eta": float(x[ix["eta"]]) * s,
        "tail_rows": int(np.sum(np.asarray(solved.lp.row_family) == "tail")),
    }
    if solved.cuts is not None:
        extra.update(
            tail_rows=int(solved.cuts.rows),
            rounds=sol.rounds,
            share_columns=len(solved.cuts.members),
            repeated_rows=solved.cuts.repeated,
        )
    return FundResult(
        True,
        STATUS_OPTIMAL,
        msg,
        _ser(ctx, f, "contribution"),
        _ser(ctx, alpha, "payout_share"),
        c,
        resources=resources,
        cvar=cvar,
        var=var,
        key_deviation=kdev,
        expected_payout=_ser(ctx, expected_payout, "expected_payout"),
        net_benefit=_ser(ctx, clean_zero(expected_payout - f, s, RTOL), "net_benefit"),
        in_sample=ins,
        out_of_sample=oos,
        binding=binding,
        duals=duals,
        diagnosis=None,
        min_cofunding=c if solved.c_fixed is None else math.nan,
        objective_values=tuple(v * s for v in sol.values),
        notes=tuple(notes),
        key_followed=followed,
        key_decided_by=decided,
        extra=extra,
        **common,
    )


def _message(ctx, F, c, R, resources, cvar, ins, oos) -> str:
    spec, unit = ctx.spec, ctx.scenario.unit
    beta, H = spec.beta, spec.horizon
    if ctx.mode == "standby":
        msg = (
            f"optimal: members pay {F:.6g}, co-funding {c:.6g}, reserve {R:.6g} {unit}; "
            f"in-sample CVaR{beta:g} of payouts {cvar:.6g} <= resources {resources:.6g}; "
            f"out-of-sample shortfall probability {oos['shortfall_probability']:.4g} "
            f"({oos['years']} years)"
        )
        gap = ins["cvar_shortfall"]
    else:
        msg = (
            f"optimal: members pay {F:.6g} and the higher level {c:.6g} {unit} a year into "
            f"a reserve starting at {R:.6g}; in-sample CVaR{beta:g} of the reserve a "
            f"{H}-year path needs {cvar:.6g} <= {R:.6g}; out-of-sample ruin probability "
            f"over {H} years {oos['ruin_probability']:.4g} ({oos['paths']} paths)"
        )
        gap = cvar - R
    if gap > BINDING_RTOL * max(abs(resources), abs(cvar)):
        msg += f"; WARNING: the in-sample CVaR exceeds the money by {gap:.3g}"
    return msg


def _key_verdict(ctx: Context, x, kdev: float, F: float):
    """``(followed, decided_by)``: whether the contributions follow the key, and else the
    constraints whose shadow prices in the key stage are not zero (None where the
    backend does not report them)."""
    spec, solved = ctx.spec, ctx.solved
    s = spec.scale
    if F <= RTOL * s * max(1.0, float(spec.mu.sum())):
        return None, ("members pay nothing",)
    if kdev <= BINDING_RTOL * F:
        return True, ()
    if solved.cuts is None:
        return False, None
    sol, ix, lp, gen = solved.sol, solved.ix, solved.lp, solved.cuts
    k = 0 if solved.c_fixed is not None else 1
    tol = BINDING_RTOL
    names = []
    if k == 1 and sol.fix_duals[k].size and abs(sol.fix_duals[k][0]) > tol:
        names.append("least co-funding")
    rd = sol.stage_duals[k]
    for r in np.flatnonzero(np.abs(rd) > tol):
        if lp.row_family[r] not in ("total", "objective", "tail"):
            names.append(lp.row_names[r])
    if "solvency" not in names and sol.cut_duals[k].size and np.abs(sol.cut_duals[k]).max() > tol:
        names.append("solvency")
    rc = gen.reduced_costs(Duals(rd, sol.cut_duals[k], sol.fix_duals[k]), k)
    cd = sol.col_duals[k]
    for i, col in zip(gen.members, gen.delta_col, strict=True):
        if col < cd.size:  # the share columns that existed at the key stage
            rc[i] = cd[col]
    alpha = gen.alpha(x)
    for i, p in enumerate(spec.players):
        if abs(rc[i]) > tol:
            at_lo = abs(alpha[i] - spec.coverage) <= abs(alpha[i] - spec.max_coverage)
            names.append(f"{'coverage' if at_lo else 'max_coverage'}[{p}]")
        if abs(cd[ix["f"][i]]) > tol:
            names.append(f"contribution[{p}] >= 0")
    if solved.c_fixed is not None and abs(cd[ix["c"]]) > tol:
        names.append("fixed co-funding")
    return False, tuple(names)


def _families(names) -> str:
    """``net_benefit[A], net_benefit[B], solvency`` -> ``net_benefit (2 members), solvency``."""
    groups: dict = {}
    for nm in names:
        fam, _, who = nm.partition("[")
        groups.setdefault(fam, []).append(who.rstrip("]"))
    parts = []
    for fam, who in groups.items():
        who = [w for w in who if w]
        parts.append(
            fam
            if not who
            else f"{fam} ({who[0]})"
            if len(who) == 1
            else f"{fam} ({len(who)} members)"
        )
    return ", ".join(parts)


def _key_notes(ctx: Context, followed, decided, kdev: float, F: float, c: float) -> list:
    unit, key = ctx.scenario.unit, ctx.key_name
    if followed is None:
        why = "the fixed co-funding" if ctx.solved.c_fixed is not None else "the co-funding"
        return [
            f"members pay nothing: {why} ({c:.6g} {unit}) and the reserve cover the fund "
            "on their own, so the least total contribution is 0 whatever the key; "
            "contribution_share is undefined (NaN)"
        ]
    if followed:
        return []
    head = (
        f"contributions do not follow the key {key!r} (deviation {kdev:.6g} {unit}, "
        f"{kdev / F:.1%} of what members pay)"
    )
    if decided is None:
        return [
            head + f"; which constraint decides them is named by backend='highs' only "
            f"(backend {ctx.backend!r} does not report the stage rows' shadow prices)"
        ]
    text = (
        head
        + ": what decides them instead (non-zero shadow prices in the key stage) is "
        + _families(decided)
    )
    if "least co-funding" in decided:
        text += (
            "; with the least co-funding every member pays its expected payout, so only "
            "a co-funding above the least leaves room for the key"
        )
    return [text]
