"""``cooperation fund``: crisis-fund contributions and payout shares (CVaR LP)."""

from __future__ import annotations

import argparse

from ..errors import InputError
from ._common import check_out, integer, number, print_table, write_result

__all__ = ["register", "add_arguments", "run"]


def register(sub) -> None:
    p = sub.add_parser("fund", help="crisis-fund contributions and payout shares (CVaR LP)")
    add_arguments(p)
    p.set_defaults(func=run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--confidence", default="0.95", help="CVaR level beta (default 0.95)")
    p.add_argument("--years", default="10000", help="simulated years (default 10000)")
    p.add_argument("--seed", default="0", help="random seed (default 0)")
    p.add_argument("--key", default="benefit",
                   help="benefit, ability, equal, population, or shares like "
                        "'Yunnan=1,Guizhou=5,Sichuan=4'")
    p.add_argument("--cofunding", default=None,
                   help="the higher level's yearly co-funding (default: the least that works)")
    p.add_argument("--coverage", default="0.5", help="least payout share of damage (0.5)")
    p.add_argument("--reserve", default="0", help="money the fund holds at the start of a year")
    p.add_argument("--capacity-share", default="1", help="share of capacity a member may pay")
    p.add_argument("--backend", default="pulp", choices=["pulp", "scipy"])
    p.add_argument("--out", help="write results: .json (everything) or .csv (table)")


def run(args, out) -> int:
    from ..compensation.fund import KEYS, design_fund
    from ..scenario import load_scenario

    ext = check_out(args.out)
    scenario = load_scenario(args.scenario)
    key = args.key
    if key not in KEYS:
        shares = {}
        for part in key.split(","):
            if "=" not in part:
                raise InputError(f"must be one of {list(KEYS)} or name=share pairs",
                                 field="--key", value=key)
            name, val = part.split("=", 1)
            shares[name.strip()] = number(val, f"--key {name.strip()}")
        key = shares
    cof = None if args.cofunding is None else number(args.cofunding, "--cofunding")
    res = design_fund(scenario, confidence=number(args.confidence, "--confidence"),
                      years=integer(args.years, "--years"), seed=integer(args.seed, "--seed"),
                      key=key, cofunding=cof, coverage=number(args.coverage, "--coverage"),
                      reserve=number(args.reserve, "--reserve"),
                      capacity_share=number(args.capacity_share, "--capacity-share"),
                      backend=args.backend)
    unit = scenario.unit
    print(f"Scenario: {scenario.name or args.scenario}  (money in {unit})", file=out)
    print(f"Crisis fund over {res.years} simulated years ({res.scenarios} distinct), members "
          f"acting {', '.join(sorted(set(res.profile)))}; solvency: CVaR{res.confidence:g} of "
          "payouts <= resources", file=out)
    for note in res.notes:
        print(f"Note: {note}", file=out)
    print("", file=out)
    print(("Result: " if res.success else "NO FEASIBLE FUND: ") + res.message, file=out)
    frame = res.to_frame()
    if res.success:
        print(f"  members pay {res.total_contributions:.6g}, the higher level co-funds "
              f"{res.cofunding:.6g}, reserve {res.reserve:.6g} {unit}", file=out)
        oos = res.out_of_sample
        print(f"  out of sample ({oos['years']} years, another seed): shortfall probability "
              f"{oos['shortfall_probability']:.4g}, expected shortfall "
              f"{oos['expected_shortfall']:.4g} {unit}, CVaR of the shortfall "
              f"{oos['cvar_shortfall']:.4g}", file=out)
        print("", file=out)
        print(f"Per member (key: {res.key_name}):", file=out)
        print_table(frame.head(50), out)
    if args.out:
        write_result(args.out, ext, {"scenario": scenario.name, "source": str(args.scenario),
                               **res.to_dict()}, frame, out)
    return 0 if res.success else 1
