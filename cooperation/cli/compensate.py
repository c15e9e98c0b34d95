"""``cooperation compensate``: transfers and subsidy that make cooperation worthwhile.

Readable tables on the terminal; ``--out`` writes JSON (everything) or CSV (the
per-jurisdiction table; with ``--plan`` the payment plan's edge table:
payer, payee, amount, unit) atomically. Bad input raises :class:`InputError`,
which the command line turns into exit status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse

from ..compensation.transfers import FAMILIES, OBJECTIVES
from ..errors import InputError
from ._common import CSV_FLOAT, check_out, number, print_table, write_result

__all__ = ["register", "add_arguments", "run"]


def register(sub) -> None:
    p = sub.add_parser("compensate", help="transfers and subsidy that make cooperation "
                       "worthwhile for every jurisdiction (exit 1 if infeasible)")
    add_arguments(p)
    p.set_defaults(func=run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--objective", default="min_subsidy", choices=list(OBJECTIVES),
                   help="what to optimise (default: min_subsidy, then money moved)")
    p.add_argument("--constraints", default=None, metavar="LIST",
                   help=f"comma-separated families from {','.join(FAMILIES)} (default: all)")
    p.add_argument("--target", default=None,
                   help="profile to sustain: one action for everyone (e.g. cooperate) or a "
                        "comma-separated action per jurisdiction (default: social optimum)")
    p.add_argument("--outside-option", default="nash",
                   help="nash (default), maximin or status_quo")
    p.add_argument("--fine", default="0", help="fine paid by a detected deviator (default 0)")
    p.add_argument("--detection", default="1", help="probability a deviation is detected")
    p.add_argument("--max-subsidy", default=None,
                   help="cap on the higher level's subsidy (0: peer-led, no subsidy)")
    p.add_argument("--capacity-share", default="1",
                   help="share of fiscal capacity a jurisdiction may pay (default 1)")
    p.add_argument("--reference", default=None,
                   help="shapley, nucleolus or prenucleolus (for --objective closest)")
    p.add_argument("--backend", default="pulp", choices=["pulp", "scipy"])
    p.add_argument("--plan", action="store_true",
                   help="also find the payment plan: who pays whom along allowed links "
                        "(min-cost flow); with --out x.csv the CSV is its edge table")
    p.add_argument("--links", default=None, metavar="CSV",
                   help="allowed links for --plan: CSV with payer, payee[, cost, cap] "
                        "(default: read from the scenario's hazards by --rule)")
    p.add_argument("--rule", default="beneficiary",
                   choices=["beneficiary", "origin", "both", "complete"],
                   help="default links for --plan: beneficiary pays the source (default), "
                        "origin pays the exposed, both, or complete")
    p.add_argument("--max-per-link", default=None,
                   help="cap on every link between jurisdictions for --plan")
    p.add_argument("--out", help="write results: .json (everything) or .csv (table)")


def _plan_section(args, scenario, res, data: dict, out):
    """The payment plan of ``--plan``: printed, added to the JSON; returns the plan."""
    from ..compensation.plans import payment_plan

    print("", file=out)
    if not res.success:
        print("Payment plan: none (the design found no transfers)", file=out)
        return None
    cap = None if args.max_per_link is None else number(args.max_per_link, "--max-per-link")
    plan = payment_plan(res, links=args.links, rule=args.rule, max_per_link=cap,
                        scenario=scenario, backend=args.backend)
    print(f"Payment plan: {plan.message}", file=out)
    print(f"  links: {'table ' + str(args.links) if args.links else 'rule ' + plan.rule}; "
          f"the subsidy enters from the node {plan.higher_level!r}", file=out)
    for note in plan.notes:
        print(f"Note: {note}", file=out)
    if len(plan.edges):
        print("Payments (payer -> payee):", file=out)
        print_table(plan.edges.head(50), out)
        if len(plan.edges) > 50:
            print(f"... {len(plan.edges) - 50} more rows", file=out)
    if not plan.success and len(plan.groups):
        print("Cut off (need more than the allowed links can bring):", file=out)
        print_table(plan.groups, out)
    data["payment_plan"] = plan.to_dict()
    return plan


def run(args, out) -> int:
    from ..compensation.agreement import two_way_agreement
    from ..compensation.transfers import design_compensation
    from ..scenario import load_scenario

    ext = check_out(args.out)
    scenario = load_scenario(args.scenario)
    cons = None
    if args.constraints is not None:
        cons = [c.strip() for c in args.constraints.split(",") if c.strip()]
    target = None
    if args.target:
        parts = [t.strip() for t in args.target.split(",")]
        target = parts[0] if len(parts) == 1 else parts
    max_sub = None if args.max_subsidy is None else number(args.max_subsidy, "--max-subsidy")
    res = design_compensation(
        scenario, target=target, constraints=cons, objective=args.objective,
        outside_option=args.outside_option, fine=number(args.fine, "--fine"),
        max_subsidy=max_sub, capacity_share=number(args.capacity_share, "--capacity-share"),
        detection=number(args.detection, "--detection"), reference=args.reference,
        backend=args.backend)
    unit = scenario.unit
    print(f"Scenario: {scenario.name or args.scenario}  (money in {unit})", file=out)
    print(f"Target profile: {', '.join(f'{p}={a}' for p, a in zip(scenario.players, res.target, strict=True)) if scenario.n_players <= 12 else str(res.target[:12]) + ' ...'}", file=out)
    print(f"  ({res.target_note})", file=out)
    print(f"Outside option: {res.outside_note}", file=out)
    print(f"Constraints: {', '.join(res.constraints) or 'none'};  objective: {res.objective}",
          file=out)
    for note in res.notes:
        print(f"Note: {note}", file=out)
    print("", file=out)
    print(("Result: " if res.success else "NO FEASIBLE DESIGN: ") + res.message, file=out)
    if res.success:
        print(f"  subsidy from the higher level: {res.subsidy:.6g} {unit}", file=out)
        print(f"  money moved between jurisdictions: {res.money_moved:.6g} {unit}", file=out)
        print(f"  largest constraint violation (certificate): {res.max_violation:.2g}",
              file=out)
        print("", file=out)
        print("Per jurisdiction (transfer > 0: receives; < 0: pays; gain over no agreement):",
              file=out)
        frame = res.to_frame()
        print_table(frame.head(50), out)
        if len(frame) > 50:
            print(f"... {len(frame) - 50} more rows", file=out)
        nz = res.duals[(res.duals != 0) & ~res.duals.index.isin(["budget"])]
        if len(nz):
            print("", file=out)
            print(f"Shadow prices (change in {res.objective.replace('_', ' ')} per unit "
                  f"change of the constraint):", file=out)
            print_table(nz.head(20).to_frame(), out)
    else:
        frame = res.to_frame()
        if res.diagnosis is not None and len(res.diagnosis.shortfalls):
            print("", file=out)
            print("Diagnosis (what must give, relaxing one family at a time):", file=out)
            print_table(res.diagnosis.shortfalls, out)
    data = {"scenario": scenario.name, "source": str(args.scenario), **res.to_dict()}
    if scenario.n_players == 2:
        print("", file=out)
        try:
            agr = two_way_agreement(scenario)
        except InputError as exc:
            print(f"Two-way conditional agreement: not applicable ({exc})", file=out)
        else:
            rng = "empty" if agr.empty else " U ".join(
                f"{'[' if r.lo_closed else '('}{r.lo:.6g}, {r.hi:.6g}{']' if r.hi_closed else ')'}"
                for r in agr.intervals.itertuples())
            print(f"Two-way conditional agreement (Xin'an type: {agr.downstream} pays "
                  f"{agr.upstream} s if the standard is met, else {agr.upstream} pays "
                  f"{agr.downstream} s):", file=out)
            print(f"  bargaining range of the stake s: {rng} {unit}", file=out)
            if len(agr.stakes):
                print_table(agr.stakes[["stake", "in_range", "equilibria", "p_standard_met"]
                                  + [c for c in agr.stakes.columns if c.startswith("gain[")]],
                       out)
            data["two_way_agreement"] = {
                "upstream": agr.upstream, "downstream": agr.downstream,
                "intervals": agr.intervals, "stakes": agr.stakes.reset_index(),
                "note": agr.note}
    plan = _plan_section(args, scenario, res, data, out) if args.plan else None
    if args.out:
        if plan is not None and ext == ".csv":
            from .._io import atomic_write

            edges = plan.edges
            atomic_write(args.out, lambda tmp: edges.to_csv(
                tmp, index=False, encoding="utf-8", float_format=CSV_FLOAT))
            print(f"\nwrote {args.out}", file=out)
        else:
            write_result(args.out, ext, data, frame, out)
    return 0 if res.success and (plan is None or plan.success) else 1
