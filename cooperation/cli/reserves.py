"""``cooperation reserves``: joint emergency reserves, their 48 h reach, and cost shares."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ._common import (
    add_allow_outside,
    check_out,
    fmt,
    load_scenario_arg,
    number,
    print_table,
    write_result,
)

__all__ = ["register", "run", "load_inputs"]


def register(sub) -> None:
    p = sub.add_parser("reserves", help="joint emergency reserves: where to stock, what "
                                        "reaches whom in time, who pays for the pool")
    p.add_argument("scenario", help="scenario TOML file (its hazards give the demand)")
    p.add_argument("--links", required=True, help="road links CSV: from,to,hours,cost")
    p.add_argument("--depots", help="depots CSV: depot,jurisdiction,item,capacity,holding_cost"
                                    "[,procurement_cost] (default: depots.csv beside SCENARIO)")
    p.add_argument("--items", help="items CSV: item,units_per_damage[,penalty] (default: "
                                   "items.csv beside SCENARIO)")
    p.add_argument("--demand", help="demand CSV (scenario,jurisdiction,item,quantity,"
                                    "probability) used instead of the scenario's hazards")
    sup = argparse.SUPPRESS
    p.add_argument("--deadline-hours", dest="deadline_hours", default=sup,
                   help="hours within which demand must be met (library default: 48)")
    p.add_argument("--risk", choices=["expected", "cvar"], default=sup,
                   help="risk measure of unmet demand (library default: expected)")
    p.add_argument("--confidence", default=sup, help="CVaR level (library default: 0.9)")
    p.add_argument("--penalty", default=sup,
                   help="money per unit of unmet demand, every item (default: the items "
                        "file's penalty column; none: all demand must be met)")
    p.add_argument("--backend", choices=["pulp", "scipy"], default=sup)
    p.add_argument("--no-game", action="store_true",
                   help="skip the pooling game (Shapley, nucleolus, stand-alone costs)")
    p.add_argument("--out", help="write results: .json (everything) or .csv (cost shares)")
    add_allow_outside(p)
    p.set_defaults(func=run)


def _csv(path, flag: str) -> pd.DataFrame:
    p = Path(path)
    if not p.is_file():
        raise InputError("file not found", field=flag, value=str(path))
    try:
        return pd.read_csv(p)
    except (ValueError, OSError) as exc:
        raise InputError(f"cannot read as CSV ({type(exc).__name__})", field=flag,
                         value=str(path)) from None


def load_inputs(args) -> tuple[dict, object]:
    """The keyword arguments of ``design_reserves`` from the command line (only what was
    typed; every default stays in the library) and the scenario."""

    scenario = load_scenario_arg(args)
    here = Path(args.scenario).parent
    depots = _csv(args.depots or here / "depots.csv", "--depots")
    links = _csv(args.links, "--links")
    kw: dict = {}
    items_df = None
    if args.demand:
        demand = _csv(args.demand, "--demand")
    else:
        items_df = _csv(args.items or here / "items.csv", "--items")
        for col in ("item", "units_per_damage"):
            if col not in items_df.columns:
                raise InputError(f"missing column {col!r}", field="--items",
                                 value=list(items_df.columns))
        demand = scenario
        kw["items"] = dict(zip(items_df["item"].astype(str), items_df["units_per_damage"],
                               strict=True))
    if hasattr(args, "penalty"):
        kw["penalty"] = number(args.penalty, "--penalty", lo=0.0)
    elif items_df is not None and "penalty" in items_df.columns:
        kw["penalty"] = dict(zip(items_df["item"].astype(str), items_df["penalty"],
                                 strict=True))
    if hasattr(args, "deadline_hours"):
        kw["deadline_hours"] = number(args.deadline_hours, "--deadline-hours", lo=0.0)
    if hasattr(args, "confidence"):
        kw["confidence"] = number(args.confidence, "--confidence", lo=0.0, hi=1.0)
    for name in ("risk", "backend"):
        if hasattr(args, name):
            kw[name] = getattr(args, name)
    return {"demand": demand, "depots": depots, "links": links, **kw}, scenario


def run(args, out) -> int:
    from ..reserves import design_reserves

    ext = check_out(args.out)
    kw, scenario = load_inputs(args)
    plan = design_reserves(**kw)
    unit = scenario.unit
    print(f"Scenario: {scenario.name or args.scenario}  (money in {unit})", file=out)
    print(f"Jurisdictions: {', '.join(plan.players)}; deadline {plan.deadline_hours:g} h; "
          f"risk: {plan.risk}", file=out)
    print(f"LP: {plan.n_variables} variables, {plan.n_constraints} rows; solver "
          f"{plan.solver}: {plan.solver_status}", file=out)
    print("", file=out)
    data = {"scenario": scenario.name, "source": str(args.scenario), "unit": unit,
            **plan.to_dict()}
    if not plan.success:
        print(f"NO FEASIBLE PLAN ({plan.message}).", file=out)
        if plan.diagnosis is not None:
            print(f"Diagnosis: {plan.diagnosis.message}", file=out)
            print_table(plan.diagnosis.shortfall.head(30), out)
        if args.out:
            write_result(args.out, ext, data, plan.unmet, out)
        return 1
    print(f"Pooled cost: {fmt(plan.cost)} {unit} = stock {fmt(plan.stock_cost)} + expected "
          f"dispatch {fmt(plan.dispatch_cost)} + risk {fmt(plan.risk_cost)}", file=out)
    st = plan.stock[plan.stock["stock"] > 0]
    print(f"\nStock ({len(st)} depot-items held; binding capacities: "
          f"{len(plan.binding)}):", file=out)
    print_table(st[["depot", "jurisdiction", "item", "capacity", "stock", "capacity_dual"]]
                .reset_index(drop=True), out)
    un = plan.unmet[plan.unmet["unmet"] > 0]
    if len(un):
        print(f"\nUnmet demand ({len(un)} rows, penalised):", file=out)
        print_table(un.reset_index(drop=True).head(20), out)
    shares = pd.DataFrame({"owen": plan.allocation("owen")})
    if not args.no_game and len(plan.players) <= 15:
        game = plan.pooling_game()
        shares.insert(0, "stand_alone", game.singletons)
        shares["shapley"] = plan.allocation("shapley")
        shares["nucleolus"] = plan.allocation("nucleolus")
        shares["saving_owen"] = shares["stand_alone"] - shares["owen"]
        print(f"\nStanding alone the jurisdictions would pay {fmt(game.singletons.sum())}; "
              f"pooled {fmt(game.grand_value)} (saving "
              f"{fmt(game.singletons.sum() - game.grand_value)} {unit}).", file=out)
    print("\nCost shares of the pool:", file=out)
    print_table(shares, out)
    chk = plan.core_check("owen")
    print(f"\nOwen's shares: {chk.message}", file=out)
    data["shares"] = shares.reset_index()
    data["core_check"] = {"rule": chk.rule, "in_core": chk.in_core, "method": chk.method,
                          "linear_production": chk.linear_production,
                          "max_excess": chk.max_excess, "message": chk.message}
    if "shapley" in shares:
        for rule in ("shapley", "nucleolus"):
            c = plan.core_check(rule)
            print(f"{rule.capitalize()} shares: "
                  f"{'in the core' if c.in_core else 'NOT in the core' if c.in_core is False else 'not established'}"
                  + (f" ({{{', '.join(c.worst)}}} would save {fmt(c.max_excess)} alone)"
                     if c.in_core is False else ""), file=out)
            data[f"core_check_{rule}"] = {"in_core": c.in_core, "max_excess": c.max_excess,
                                          "worst": list(c.worst)}
    if args.out:
        write_result(args.out, ext, data, shares, out)
    return 0
