"""``cooperation reserves``: joint emergency reserves, their 48 h reach, and cost shares."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from .._numeric import clean_zero
from ..errors import InputError
from ._common import (
    add_allow_outside,
    check_out,
    default_of,
    load_scenario_arg,
    num,
    number,
    print_table,
    write_result,
)
from ._wrap import renamed, say

__all__ = ["register", "run", "load_inputs"]


def register(sub) -> None:
    p = sub.add_parser(
        "reserves",
        help="joint emergency reserves: where to stock, what "
        "reaches whom in time, who pays for the pool",
    )
    p.add_argument("scenario", help="scenario TOML file (its hazards give the demand)")
    p.add_argument("--links", required=True, help="road links CSV: from,to,hours,cost")
    p.add_argument(
        "--depots",
        help="depots CSV: depot,jurisdiction,item,capacity,holding_cost"
        "[,procurement_cost] (default: depots.csv beside SCENARIO)",
    )
    p.add_argument(
        "--items",
        help="items CSV: item,units_per_damage[,penalty] (default: items.csv beside SCENARIO)",
    )
    p.add_argument(
        "--demand",
        help="demand CSV (scenario,jurisdiction,item,quantity,"
        "probability) used instead of the scenario's hazards",
    )
    from ..reserves import design_reserves

    sup = argparse.SUPPRESS
    p.add_argument(
        "--deadline-hours",
        dest="deadline_hours",
        default=sup,
        help="hours within which demand must be met (default "
        f"{default_of(design_reserves, 'deadline_hours')})",
    )
    p.add_argument(
        "--risk",
        choices=["expected", "cvar"],
        default=sup,
        help=f"risk measure of unmet demand (default {default_of(design_reserves, 'risk')})",
    )
    p.add_argument(
        "--confidence",
        default=sup,
        help=f"CVaR level in [0, 1) (default {default_of(design_reserves, 'confidence')})",
    )
    p.add_argument(
        "--penalty",
        default=sup,
        help="money per unit of unmet demand, every item (default: the items "
        "file's penalty column; none: all demand must be met)",
    )
    p.add_argument(
        "--backend",
        choices=["pulp", "scipy"],
        default=sup,
        help=f"LP solver (default {default_of(design_reserves, 'backend')})",
    )
    p.add_argument(
        "--no-game",
        action="store_true",
        help="skip the pooling game (Shapley, nucleolus, stand-alone costs)",
    )
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
        raise InputError(
            f"cannot read as CSV ({type(exc).__name__})", field=flag, value=str(path)
        ) from None


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
                raise InputError(
                    f"missing column {col!r}", field="--items", value=list(items_df.columns)
                )
        demand = scenario
        kw["items"] = dict(
            zip(items_df["item"].astype(str), items_df["units_per_damage"], strict=True)
        )
    if hasattr(args, "penalty"):
        kw["penalty"] = number(args.penalty, "--penalty", lo=0.0)
    elif items_df is not None and "penalty" in items_df.columns:
        kw["penalty"] = dict(zip(items_df["item"].astype(str), items_df["penalty"], strict=True))
    if hasattr(args, "deadline_hours"):
        kw["deadline_hours"] = number(args.deadline_hours, "--deadline-hours", lo=0.0)
    if hasattr(args, "confidence"):
        kw["confidence"] = number(args.confidence, "--confidence", lo=0.0, hi=1.0)
    for name in ("risk", "backend"):
        if hasattr(args, name):
            kw[name] = getattr(args, name)
    return {"demand": demand, "depots": depots, "links": links, **kw}, scenario


# what the dual columns mean (printed under their tables)
STOCK_LEGEND = (
    "capacity_dual: fall in the pooled cost per unit more capacity of that depot "
    "and item (0: the capacity does not bind)"
)
UNMET_LEGEND = (
    "demand_dual: rise in the pooled cost per unit more demand (the shadow price "
    "of meeting it, or its penalty when it goes unmet)"
)


def _money(x, scale: float) -> str:
    """Money for the screen: 6 significant digits, round-off below the plan's scale 0."""
    return num(clean_zero(float(x), scale), 6)


def _show_plan(out, plan, unit: str) -> None:
    m = lambda x: _money(x, abs(plan.cost))  # noqa: E731
    say(
        out,
        f"Pooled cost: {m(plan.cost)} {unit} = stock {m(plan.stock_cost)} + expected "
        f"dispatch {m(plan.dispatch_cost)} + risk {m(plan.risk_cost)}",
    )
    st = plan.stock[plan.stock["stock"] > 0]
    print(
        f"\nStock ({len(st)} depot-items held; binding capacities: {len(plan.binding)}):", file=out
    )
    print_table(
        st[["depot", "jurisdiction", "item", "capacity", "stock", "capacity_dual"]].reset_index(
            drop=True
        ),
        out,
        max_rows=30,
    )
    say(out, STOCK_LEGEND)
    un = plan.unmet[plan.unmet["unmet"] > 0]
    if len(un):
        print(f"\nUnmet demand ({len(un)} rows, penalised):", file=out)
        print_table(un.reset_index(drop=True), out, max_rows=20)
        say(out, UNMET_LEGEND)


def _shares(out, args, plan, unit: str) -> pd.DataFrame:
    shares = pd.DataFrame({"owen": plan.allocation("owen")})
    if args.no_game or len(plan.players) > 15:
        why = "--no-game" if args.no_game else f"{len(plan.players)} jurisdictions (> 15)"
        say(out, f"\nPooling game skipped ({why}): only Owen's shares, from the LP duals.")
        return shares
    game = plan.pooling_game()
    shares.insert(0, "stand_alone", game.singletons)
    shares["shapley"] = plan.allocation("shapley")
    shares["nucleolus"] = plan.allocation("nucleolus")
    shares["saving_owen"] = shares["stand_alone"] - shares["owen"]
    alone = game.singletons.sum()
    m = lambda x: _money(x, abs(alone))  # noqa: E731
    say(
        out,
        f"\nStanding alone the jurisdictions would pay {m(alone)} {unit}; pooled "
        f"{m(game.grand_value)} (saving {m(alone - game.grand_value)} {unit}).",
    )
    return shares


def _core_lines(out, plan, shares, data) -> None:
    chk = plan.core_check("owen")
    say(out, f"\nOwen's shares: {chk.message}")
    data["core_check"] = {
        "rule": chk.rule,
        "in_core": chk.in_core,
        "method": chk.method,
        "linear_production": chk.linear_production,
        "max_excess": chk.max_excess,
        "message": chk.message,
    }
    if "shapley" not in shares:
        return
    for rule in ("shapley", "nucleolus"):
        c = plan.core_check(rule)
        verdict = {True: "in the core", False: "NOT in the core"}.get(
            c.in_core, "not established (the core check stopped early)"
        )
        if c.in_core is False:
            verdict += (
                f" ({{{', '.join(c.worst)}}} would save "
                f"{_money(c.max_excess, abs(plan.cost))} alone)"
            )
        say(out, f"{rule.capitalize()} shares: {verdict}")
        data[f"core_check_{rule}"] = {
            "in_core": c.in_core,
            "max_excess": c.max_excess,
            "worst": list(c.worst),
        }


def _infeasible(out, args, ext, plan, data) -> int:
    say(out, f"NO FEASIBLE PLAN ({plan.message}).")
    if plan.diagnosis is not None:
        say(out, f"Diagnosis: {plan.diagnosis.message}")
        print_table(plan.diagnosis.shortfall, out, max_rows=30)
    if args.out:
        write_result(args.out, ext, data, plan.unmet, out)
    return 1


def run(args, out) -> int:
    from ..reserves import design_reserves

    ext = check_out(args.out)
    kw, scenario = load_inputs(args)
    with renamed(
        {
            k: "--" + k.replace("_", "-")
            for k in ("deadline_hours", "confidence", "penalty", "risk", "backend")
        }
    ):
        plan = design_reserves(**kw)
    unit = scenario.unit
    say(out, f"Scenario: {scenario.name or args.scenario}  (money in {unit})")
    say(
        out,
        f"Jurisdictions: {', '.join(plan.players)}; deadline {plan.deadline_hours:g} h; "
        f"risk: {plan.risk}",
    )
    say(
        out,
        f"LP: {plan.n_variables} variables, {plan.n_constraints} rows; solver "
        f"{plan.solver}: {plan.solver_status}",
    )
    print("", file=out)
    data = {"scenario": scenario.name, "source": str(args.scenario), "unit": unit, **plan.to_dict()}
    if not plan.success:
        return _infeasible(out, args, ext, plan, data)
    _show_plan(out, plan, unit)
    shares = _shares(out, args, plan, unit)
    print("\nCost shares of the pool:", file=out)
    print_table(shares, out)
    _core_lines(out, plan, shares, data)
    data["shares"] = shares.reset_index()
    if args.out:
        write_result(args.out, ext, data, shares, out)
    return 0
