"""``cooperation fund``: crisis-fund contributions and payout shares (CVaR LP).

Only the flags the user typed reach :func:`cooperation.design_fund`; every
default lives there once.
"""

from __future__ import annotations

import argparse

from ..errors import InputError
from ._common import (
    add_allow_outside,
    check_out,
    integer,
    load_scenario_arg,
    number,
    print_table,
    write_result,
)

__all__ = ["register", "add_arguments", "run", "fund_kwargs"]


def register(sub) -> None:
    p = sub.add_parser("fund", help="crisis-fund contributions and payout shares (CVaR LP)")
    add_arguments(p)
    add_allow_outside(p)
    p.set_defaults(func=run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    sup = argparse.SUPPRESS
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--confidence", default=sup, help="CVaR level beta (library default 0.95)")
    p.add_argument("--years", default=sup, help="simulated years (library default 10000)")
    p.add_argument("--seed", default=sup, help="random seed (library default 0)")
    p.add_argument(
        "--key",
        default=sup,
        help="benefit (library default), ability, equal, population, or shares "
        "like 'Yunnan=1,Guizhou=5,Sichuan=4'",
    )
    p.add_argument(
        "--cofunding",
        default=sup,
        help="the higher level's yearly co-funding (default: the least that works)",
    )
    p.add_argument(
        "--coverage", default=sup, help="least payout share of damage (library default 0.5)"
    )
    p.add_argument(
        "--reserve",
        default=sup,
        help="money the fund holds at the start (of every year; with --horizon, "
        "once, carried over); library default 0",
    )
    p.add_argument(
        "--horizon",
        default=sup,
        help="reserve mode: the balance carries over and solvency is judged as the "
        "ruin probability over this many years (default: standby mode, one "
        "year's money)",
    )
    p.add_argument(
        "--capacity-share",
        dest="capacity_share",
        default=sup,
        help="share of capacity a member may pay (library default 1)",
    )
    p.add_argument(
        "--time-limit",
        dest="time_limit",
        default=sup,
        help="seconds for the LP (library default: none); running out is reported "
        "as such, never as optimal",
    )
    p.add_argument(
        "--backend",
        default=sup,
        choices=["highs", "pulp", "scipy"],
        help="highs (library default: cuts, any scale), pulp or scipy (the "
        "extensive LP, for cross-checks)",
    )
    p.add_argument("--out", help="write results: .json (everything) or .csv (table)")


def _key(text: str):
    from ..compensation.fund import KEYS

    if text in KEYS:
        return text
    shares = {}
    for part in text.split(","):
        if "=" not in part:
            raise InputError(
                f"must be one of {list(KEYS)} or name=share pairs", field="--key", value=text
            )
        name, val = part.split("=", 1)
        shares[name.strip()] = number(val, f"--key {name.strip()}")
    return shares


def fund_kwargs(args) -> dict:
    """The keyword arguments of ``design_fund`` that the user typed."""
    kw: dict = {}
    for name, flag in (
        ("confidence", "--confidence"),
        ("coverage", "--coverage"),
        ("reserve", "--reserve"),
        ("capacity_share", "--capacity-share"),
        ("cofunding", "--cofunding"),
        ("time_limit", "--time-limit"),
    ):
        if hasattr(args, name):
            kw[name] = number(getattr(args, name), flag)
    for name, flag in (("years", "--years"), ("seed", "--seed"), ("horizon", "--horizon")):
        if hasattr(args, name):
            kw[name] = integer(getattr(args, name), flag)
    if hasattr(args, "key"):
        kw["key"] = _key(args.key)
    if hasattr(args, "backend"):
        kw["backend"] = args.backend
    return kw


def run(args, out) -> int:
    from ..compensation.fund import design_fund

    ext = check_out(args.out)
    scenario = load_scenario_arg(args)
    res = design_fund(scenario, **fund_kwargs(args))
    unit = scenario.unit
    print(f"Scenario: {scenario.name or args.scenario}  (money in {unit})", file=out)
    if res.mode == "standby":
        judged = f"CVaR{res.confidence:g} of one year's payouts <= resources"
        sample = f"{res.years} simulated years ({res.scenarios} distinct)"
    else:
        judged = (
            f"CVaR{res.confidence:g} of the reserve a {res.horizon}-year path needs "
            "<= starting reserve"
        )
        sample = f"{res.scenarios} paths of {res.horizon} simulated years"
    print(
        f"Crisis fund over {sample}, members acting "
        f"{', '.join(sorted(set(res.profile)))}; solvency: {judged}",
        file=out,
    )
    print(f"The fund covers {res.covers}", file=out)
    print("", file=out)
    print(("Result: " if res.success else "NO FEASIBLE FUND: ") + res.message, file=out)
    frame = res.to_frame()
    if res.success:
        _print_success(res, frame, unit, out)
    for note in res.notes:
        print(f"Note: {note}", file=out)
    if args.out:
        write_result(
            args.out,
            ext,
            {"scenario": scenario.name, "source": str(args.scenario), **res.to_dict()},
            frame,
            out,
        )
    return 0 if res.success else 1


def _print_success(res, frame, unit, out) -> None:
    oos = res.out_of_sample
    if res.mode == "standby":
        print(
            f"  a year: members pay {res.total_contributions:.6g}, the higher level co-funds "
            f"{res.cofunding:.6g}, reserve {res.reserve:.6g} {unit}: "
            f"{res.resources:.6g} {unit} standing by for one year's payouts",
            file=out,
        )
        print(
            f"  out of sample ({oos['years']} years, another seed): shortfall probability "
            f"{oos['shortfall_probability']:.4g} a year, expected shortfall "
            f"{oos['expected_shortfall']:.4g} {unit}, CVaR of the shortfall "
            f"{oos['cvar_shortfall']:.4g}",
            file=out,
        )
    else:
        print(
            f"  every year: members pay {res.total_contributions:.6g}, the higher level "
            f"co-funds {res.cofunding:.6g} {unit}, into a reserve that starts at "
            f"{res.reserve:.6g} {unit} and carries over",
            file=out,
        )
        print(
            f"  out of sample ({oos['paths']} paths of {res.horizon} years, another seed): "
            f"ruin probability {oos['ruin_probability']:.4g}, expected shortfall "
            f"{oos['expected_shortfall']:.4g} {unit}, mean balance after {res.horizon} "
            f"years {oos['mean_final_balance']:.6g} {unit}",
            file=out,
        )
    print("", file=out)
    print(f"Per member (key: {res.key_name}; contributions a year):", file=out)
    print_table(frame.head(50), out)
