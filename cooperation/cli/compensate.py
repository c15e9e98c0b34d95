"""``cooperation compensate``: transfers and subsidy that make cooperation worthwhile.

Readable tables within 100 columns on the terminal, every sign and blank
explained beside it; ``--out`` writes JSON (everything, full precision) or CSV
(the per-jurisdiction table with every column: ranges, caps, shadow prices;
with ``--plan`` the payment plan's edge table: payer, payee, amount, unit)
atomically. Only the flags the user typed reach the library, so every
default is the library's. Bad input raises :class:`InputError`, which the
command line turns into exit status 2 and one line on stderr; an infeasible
design (or payment plan) exits with status 1.
"""

from __future__ import annotations

import argparse

from .._result import paragraph
from ..coalitions.characteristic import OUTSIDERS
from ..compensation.plans import LINK_RULES
from ..compensation.transfers import FAMILIES, OBJECTIVES
from ..errors import InputError
from ._common import (
    WIDTH,
    add_allow_outside,
    check_out,
    default_of,
    escape,
    given,
    load_scenario_arg,
    num,
    number,
    print_table,
    write_result,
)

__all__ = ["register", "add_arguments", "run"]

#: short names of the constraint families in the per-jurisdiction table
SHORT = {"participation": "part", "self_enforcement": "self-enf", "capacity": "cap"}
#: the flags whose text is a number, and the library parameter each one sets
NUMBERS = {
    "fine": "--fine",
    "detection": "--detection",
    "max_subsidy": "--max-subsidy",
    "capacity_share": "--capacity-share",
}


def register(sub) -> None:
    p = sub.add_parser(
        "compensate",
        help="transfers and subsidy that make cooperation "
        "worthwhile for every jurisdiction (exit 1 if infeasible)",
    )
    add_arguments(p)
    add_allow_outside(p)
    p.set_defaults(func=run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ..compensation.plans import payment_plan
    from ..compensation.transfers import design_compensation as dc

    def d(name):
        return default_of(dc, name)

    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument(
        "--objective",
        choices=list(OBJECTIVES),
        help=f"what to optimise (default: {d('objective')}, then money moved)",
    )
    p.add_argument(
        "--constraints",
        metavar="LIST",
        help=f"comma-separated families from {','.join(FAMILIES)} (default: all)",
    )
    p.add_argument(
        "--target",
        help="profile to sustain: one action level for everyone "
        "(e.g. cooperate) or a comma-separated level per jurisdiction (default: "
        "the social optimum)",
    )
    p.add_argument(
        "--outside-option", help=f"nash, maximin or status_quo (default: {d('outside_option')})"
    )
    p.add_argument(
        "--outsiders",
        choices=list(OUTSIDERS),
        help="what outsiders do in the characteristic function of the core "
        f"(default: {d('outsiders')})",
    )
    p.add_argument("--fine", help=f"fine paid by a detected deviator (default {d('fine')})")
    p.add_argument(
        "--detection",
        help=f"probability a deviation is detected, in (0, 1] (default {d('detection')})",
    )
    p.add_argument(
        "--max-subsidy",
        help="cap on the higher level's subsidy (0: peer-led, no subsidy; default: no cap)",
    )
    p.add_argument(
        "--capacity-share",
        help=f"share of fiscal capacity a jurisdiction may pay (default {d('capacity_share')})",
    )
    p.add_argument(
        "--reference", help="shapley, nucleolus or prenucleolus (for --objective closest)"
    )
    p.add_argument(
        "--backend", choices=["pulp", "scipy"], help=f"LP solver (default: {d('backend')})"
    )
    p.add_argument(
        "--plan",
        action="store_true",
        help="also find the payment plan: who pays whom along allowed links "
        "(min-cost flow); with --out x.csv the CSV is its edge table",
    )
    p.add_argument(
        "--links",
        metavar="CSV",
        help="allowed links for --plan: CSV with payer, payee[, cost, cap] "
        "(default: read from the scenario's hazards by --rule)",
    )
    p.add_argument(
        "--rule",
        choices=list(LINK_RULES),
        help="default links for --plan: beneficiary pays the source, origin pays "
        "the exposed, both, or complete (default: "
        f"{default_of(payment_plan, 'rule')})",
    )
    p.add_argument("--max-per-link", help="cap on every link between jurisdictions for --plan")
    p.add_argument("--out", help="write results: .json (everything) or .csv (table)")


def say(text: str, out) -> None:
    print(paragraph(text, WIDTH), file=out)


def design_options(args) -> dict:
    """The keyword arguments of :func:`design_compensation` the user typed."""
    kw = given(args, "objective", "outside_option", "outsiders", "reference", "backend", *NUMBERS)
    for name, flag in NUMBERS.items():
        if name in kw:
            kw[name] = number(kw[name], flag)
    if args.constraints is not None:
        kw["constraints"] = [c.strip() for c in args.constraints.split(",") if c.strip()]
    if args.target:
        parts = [t.strip() for t in args.target.split(",")]
        kw["target"] = parts[0] if len(parts) == 1 else parts
    return kw


def _header(args, scenario, res, out) -> None:
    n = scenario.n_players
    prof = ", ".join(
        f"{escape(p)}={escape(a)}"
        for p, a in zip(scenario.players[:12], res.target[:12], strict=True)
    )
    if n > 12:
        prof += f", ... ({n} jurisdictions; all of them in --out)"
    say(f"Scenario: {escape(scenario.name or args.scenario)}", out)
    say(
        f"Money: {scenario.unit} (shown at 4 significant digits; --out x.json keeps every digit)",
        out,
    )
    how = (
        f"as given by --target {escape(args.target)}"
        if res.target_note == "given"
        else res.target_note
    )
    say(f"Target (the profile to sustain): {how}: {prof}", out)
    say(f"Outside option (no agreement): {res.outside_note}", out)
    say(f"Constraints: {', '.join(res.constraints) or 'none'}; objective: {res.objective}", out)
    for note in res.notes:
        say(f"Note: {note}", out)
    print("", file=out)


def _money_lines(res, unit, out) -> None:
    say(
        f"Result: {res.status_text}"
        + (
            ""
            if res.unique is None
            else "; the transfers are unique"
            if res.unique
            else "; the transfers are NOT unique (other optimal transfers exist: see the range "
            "columns)"
        ),
        out,
    )
    say(f"  subsidy from the higher level: {num(res.subsidy)} {unit}", out)
    if res.paid == 0:
        say(
            f"  paid from jurisdiction to jurisdiction: 0 {unit} (every transfer received is "
            "subsidy)",
            out,
        )
    else:
        say(
            f"  paid from jurisdiction to jurisdiction: {num(res.paid)} {unit}; received in "
            f"all: {num(res.received)} {unit} (= paid + subsidy)",
            out,
        )
    say(
        f"  largest constraint violation (certificate, recomputed from the payoffs): "
        f"{num(res.max_violation, 2)} {unit}",
        out,
    )


def _per_jurisdiction(res, unit, out) -> None:
    from ..compensation.transfers import design_compensation

    frame = res.to_frame()
    view = frame[
        ["action", "outside_option", "payoff_target", "transfer", "payoff_after", "gain"]
    ].rename(
        columns={
            "action": "level",
            "outside_option": "outside",
            "payoff_target": "at target",
            "payoff_after": "after",
        }
    )
    if res.unique is False and "transfer_min" in frame:
        view["t min"], view["t max"] = frame["transfer_min"], frame["transfer_max"]
    caps = frame["cap"]
    if caps.notna().any() and (caps < float("inf")).any():
        view["cap"] = [num(c, inf="no cap") for c in caps]

    def short(text, priced):
        fams = [f.strip() for f in text.split(",") if f.strip()]
        pr = {f.strip() for f in priced.split(",")}
        return ", ".join(SHORT.get(f, f) + ("*" if f in pr else "") for f in fams) or "-"

    view["binding"] = [short(b, p) for b, p in zip(frame["binding"], frame["priced"], strict=True)]
    print("", file=out)
    say(
        f"Per jurisdiction ({unit}; payoffs < 0 are expected yearly costs): outside = payoff "
        "with no agreement; transfer > 0 received, < 0 paid; after = at target + transfer; "
        "gain = after - outside (>= 0 for everyone when participation is on).",
        out,
    )
    tol = default_of(design_compensation, "tol")
    say(
        f"  binding: the constraints that hold with equality (slack within {tol} of the LP's "
        "money scale): part = participation, self-enf = self-enforcement, cap = capacity; "
        "* = it carries a shadow price (below); without *: binding at shadow price 0 "
        "(relaxing it alone would not change the objective: other binding rows, or "
        "subsidy >= 0, already hold it).",
        out,
    )
    print_table(view, out, digits=4, max_rows=50)


def _shadow_prices(res, out) -> None:
    bt = res.binding_table()
    if not len(bt):
        return
    print("", file=out)
    stage = res.objective.replace("_", " ")
    say(
        f"Binding constraints and their shadow prices (change in the {stage} per unit rise of "
        "the constraint's right-hand side, money per money; 0: see above):",
        out,
    )
    view = bt.set_index("constraint")[["shadow_price"]].rename(
        columns={"shadow_price": "shadow price"}
    )
    view = view.iloc[(-view["shadow price"].abs()).argsort(kind="stable")]
    print_table(view, out, digits=4, max_rows=20)


def _infeasible(res, out) -> None:
    dg = res.diagnosis
    if dg is not None and len(dg.shortfalls):
        print("", file=out)
        say(
            "Diagnosis (what must give, relaxing one family at a time; shortfall in the "
            "scenario's money):",
            out,
        )
        print_table(dg.shortfalls.set_index("family"), out, digits=4, na="-")


def _two_way(args, scenario, data, unit, out) -> None:
    from ..compensation.agreement import two_way_agreement

    print("", file=out)
    try:
        # the same no-agreement point as the design, when the user chose one
        agr = two_way_agreement(scenario, **given(args, "outside_option"))
    except InputError as exc:
        say(f"Two-way conditional agreement: not applicable ({exc})", out)
        return
    up, down = escape(agr.upstream), escape(agr.downstream)
    say(
        f"Two-way conditional agreement (Xin'an type: {down} pays {up} the stake s if the "
        f"standard is met, else {up} pays {down} s):",
        out,
    )
    say(
        f"  bargaining range of the stake s: {agr.range_text()} {unit} (every stake in it "
        "gives both sides at least their no-agreement payoff)",
        out,
    )
    if len(agr.stakes):
        cols = ["stake", "in_range", "equilibria", "p_standard_met"] + [
            c for c in agr.stakes.columns if c.startswith("gain[")
        ]
        view = agr.stakes[cols].rename(columns={"in_range": "in range", "p_standard_met": "P(met)"})
        view["in range"] = ["yes" if x else "no" for x in view["in range"]]
        say(
            "  Stakes of the real agreement: the equilibrium each one induces, the "
            "probability the standard is met there, and each side's gain over no agreement "
            "(0: the stake does not change what they do).",
            out,
        )
        print_table(view, out, digits=4)
    data["two_way_agreement"] = {
        "upstream": agr.upstream,
        "downstream": agr.downstream,
        "intervals": agr.intervals,
        "stakes": agr.stakes.reset_index(),
        "note": agr.note,
    }


def _plan_section(args, scenario, res, data: dict, out):
    """The payment plan of ``--plan``: printed, added to the JSON; returns the plan."""
    from ..compensation.plans import payment_plan

    print("", file=out)
    if not res.success:
        say("Payment plan: none (the design found no transfers)", out)
        return None
    kw = given(args, "links", "rule", "backend")
    if args.max_per_link is not None:
        kw["max_per_link"] = number(args.max_per_link, "--max-per-link")
    plan = payment_plan(res, scenario=scenario, **kw)
    say(f"Payment plan: {plan.message}", out)
    say(
        f"  links: {'table ' + escape(args.links) if args.links else 'rule ' + plan.rule}; "
        f"the subsidy enters from the node {escape(plan.higher_level)!r}",
        out,
    )
    for note in plan.notes:
        say(f"Note: {note}", out)
    if len(plan.edges):
        say("Payments (payer -> payee):", out)
        print_table(plan.edges, out, digits=4, max_rows=50)
    if not plan.success and len(plan.groups):
        say("Cut off (need more than the allowed links can bring):", out)
        print_table(plan.groups, out, digits=4)
    data["payment_plan"] = plan.to_dict()
    return plan


def run(args, out) -> int:
    from .._io import atomic_write_csv
    from ..compensation.transfers import design_compensation

    ext = check_out(args.out)
    kw = design_options(args)
    scenario = load_scenario_arg(args)
    if args.plan and args.links is None:     # a quadratic link rule is refused before any work
        from ..compensation.plans.links import check_rule_size

        check_rule_size(args.rule or "", scenario.n_players, "--rule")
    res = design_compensation(scenario, **kw)
    unit = scenario.unit
    _header(args, scenario, res, out)
    if res.success:
        _money_lines(res, unit, out)
        _per_jurisdiction(res, unit, out)
        _shadow_prices(res, out)
    else:
        say("NO FEASIBLE DESIGN: " + res.message, out)
        _infeasible(res, out)
    data = {"scenario": scenario.name, "source": str(args.scenario), **res.to_dict()}
    if scenario.n_players == 2:
        _two_way(args, scenario, data, unit, out)
    plan = _plan_section(args, scenario, res, data, out) if args.plan else None
    if args.out:
        if plan is not None and ext == ".csv":
            atomic_write_csv(args.out, plan.edges, index=False)
            print(f"\nwrote {args.out}", file=out)
        else:
            write_result(args.out, ext, data, res.to_frame(), out)
    return 0 if res.success and (plan is None or plan.success) else 1
