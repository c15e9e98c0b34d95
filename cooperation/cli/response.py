"""``cooperation response``: who holds up a joint response, and what the delay costs.

Simulates the response process of a scenario's hazard (or a process table given
directly) and prints the completion-time distribution, each task's criticality
and the bottleneck table (coordination delay costs, 协同延迟成本). Only the
options the user typed are passed on: every default lives in
:func:`cooperation.simulate_response`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ._common import (
    add_allow_outside,
    check_out,
    integer,
    load_scenario_arg,
    number,
    print_table,
    save_figure,
    write_result,
)

__all__ = ["register", "run"]


def register(sub) -> None:
    p = sub.add_parser("response", help="response process of a hazard: completion time, "
                       "critical tasks, bottleneck units and their coordination delay costs")
    p.add_argument("scenario", help="scenario TOML with a hazard that has a process, or a "
                   "process table (.csv, or .toml with [[tasks]])")
    p.add_argument("--hazard", help="hazard whose process to simulate (when several have one)")
    p.add_argument("--level", help="action level of every unit (scenario only; default: "
                   "their delays without coordination)")
    p.add_argument("--runs", help="simulated runs (default 100000)")
    p.add_argument("--seed", help="random seed (default 0)")
    p.add_argument("--attribution", choices=["auto", "exact", "sampled"],
                   help="delay-cost attribution (default auto: exact up to 12 units)")
    p.add_argument("--within", help="report P(complete within this many hours) "
                   "(default 48)")
    p.add_argument("--out", help="write results: .json (everything) or .csv (bottlenecks)")
    p.add_argument("--gantt", metavar="FIGURE", help="save the critical-path Gantt chart "
                   "(.png, .pdf or .svg)")
    p.add_argument("--tornado", metavar="FIGURE", help="save the bottleneck tornado")
    add_allow_outside(p)
    p.set_defaults(func=run)


def _load(args):
    """``(process, coordination or None, label, unit)``."""
    from ..response import ResponseProcess

    path = Path(args.scenario)
    is_process = path.suffix.lower() == ".csv"
    if path.suffix.lower() == ".toml" and path.exists():
        head = path.read_text(encoding="utf-8", errors="replace")
        is_process = "[[tasks]]" in head or head.lstrip().startswith("tasks")
    if is_process:
        if args.hazard or args.level:
            raise InputError("applies to a scenario, not to a process table",
                             field="--hazard" if args.hazard else "--level",
                             value=args.hazard or args.level)
        proc = ResponseProcess.from_file(path)
        return proc, None, proc.name or str(path), "damage units of the table"
    s = load_scenario_arg(args, path)
    proc = s.response_process(args.hazard)
    coord = None
    if args.level is not None:
        if args.level not in s.action_names:
            raise InputError(f"unknown action level; levels are {list(s.action_names)}",
                             field="--level", value=args.level)
        g = s.actions[s.action_names.index(args.level)].coordination
        coord = {u: g for u in proc.units}
    return proc, coord, f"{s.name or path} / {proc.name}", s.unit


def run(args, out) -> int:
    from ..response import simulate_response
    from ..response.simulate import DEADLINE_HOURS

    ext = check_out(args.out, "--out", (".json", ".csv"))
    gext = check_out(args.gantt, "--gantt", (".png", ".pdf", ".svg"))
    text = check_out(args.tornado, "--tornado", (".png", ".pdf", ".svg"))
    proc, coord, label, unit = _load(args)
    kw = {}
    if args.runs is not None:
        kw["runs"] = integer(args.runs, "--runs", lo=2)
    if args.seed is not None:
        kw["seed"] = integer(args.seed, "--seed", lo=0)
    if args.attribution is not None:
        kw["attribution"] = args.attribution
    if coord is not None:
        kw["coordination"] = coord
    within = DEADLINE_HOURS if args.within is None else number(args.within, "--within", lo=0)
    res = simulate_response(proc, **kw)
    money = unit if res.damage_unit == "money" else "hours"
    print(f"Response process: {label}  ({len(proc.tasks)} tasks, {len(proc.units)} units; "
          f"damage in {money})", file=out)
    print(f"{res.runs} runs, seed {res.seed}; coordination: "
          + ", ".join(f"{u}={g:g}" for u, g in res.coordination.items()), file=out)
    for note in res.notes:
        print(f"Note: {note}", file=out)
    qs = res.quantile([0.5, 0.95])
    print("", file=out)
    print(f"Completion time: mean {res.mean_time:.4g} h, median {qs[0]:.4g} h, 95% {qs[1]:.4g} h; "
          f"P(within {within:g} h) = {res.p_within(within):.4g}", file=out)
    if res.mean_damage is not None:
        print(f"Expected damage {res.mean_damage:.6g}; delay cost (damage above the "
              f"instant response) {res.delay_cost_total:.6g} ({res.attribution.method} "
              f"Shapley on {res.attribution.runs} runs)", file=out)
    print("", file=out)
    print("Tasks (criticality: share of runs on a critical path):", file=out)
    print_table(res.schedule, out)
    print("", file=out)
    print("Bottlenecks and coordination delay costs (performance-review table):", file=out)
    table = res.review_table()
    print_table(table, out)
    if args.gantt or args.tornado:
        import matplotlib

        matplotlib.use("Agg")
        if args.gantt:
            fig, _ = res.plot("gantt")
            save_figure(fig, args.gantt, gext)
            print(f"\nwrote {args.gantt}", file=out)
        if args.tornado:
            fig, _ = res.plot("tornado")
            save_figure(fig, args.tornado, text)
            print(f"\nwrote {args.tornado}", file=out)
    if args.out:
        data = {"process": label, "unit": money, "runs": res.runs, "seed": res.seed,
                "coordination": res.coordination.to_dict(),
                "completion": {"mean": res.mean_time, "median": float(qs[0]),
                               "q95": float(qs[1]), "within_hours": within,
                               "p_within": res.p_within(within)},
                "mean_damage": res.mean_damage, "delay_cost_total": res.delay_cost_total,
                "attribution": {"method": res.attribution.method,
                                "runs": res.attribution.runs},
                "tasks": res.schedule.reset_index(), "bottlenecks": table.reset_index(),
                "notes": list(res.notes)}
        write_result(args.out, ext, data, table, out)
    return 0
