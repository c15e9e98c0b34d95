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
    default_of,
    integer,
    load_scenario_arg,
    num,
    number,
    print_table,
    save_figure,
    write_result,
)
from ._wrap import explain, renamed, say

__all__ = ["register", "run"]


def register(sub) -> None:
    from ..response import simulate_response
    from ..response.attribution import AUTO_EXACT_UNITS
    from ..response.simulate import DEADLINE_HOURS

    p = sub.add_parser(
        "response",
        help="response process of a hazard: completion time, "
        "critical tasks, bottleneck units and their coordination delay costs",
    )
    p.add_argument(
        "scenario",
        help="scenario TOML with a hazard that has a process, or a "
        "process table (.csv, or .toml with [[tasks]])",
    )
    p.add_argument("--hazard", help="hazard whose process to simulate (when several have one)")
    p.add_argument(
        "--level",
        help="action level of every unit (scenario only; default: "
        "their delays without coordination)",
    )
    p.add_argument(
        "--runs", help=f"simulated runs (default {default_of(simulate_response, 'runs')})"
    )
    p.add_argument("--seed", help=f"random seed (default {default_of(simulate_response, 'seed')})")
    p.add_argument(
        "--attribution",
        choices=["auto", "exact", "sampled"],
        help=f"delay-cost attribution (default "
        f"{default_of(simulate_response, 'attribution')}; auto: exact up to "
        f"{AUTO_EXACT_UNITS} units, sampled beyond)",
    )
    p.add_argument(
        "--within", help=f"report P(complete within this many hours) (default {DEADLINE_HOURS:g})"
    )
    p.add_argument("--out", help="write results: .json (everything) or .csv (bottlenecks)")
    p.add_argument(
        "--gantt", metavar="FIGURE", help="save the critical-path Gantt chart (.png, .pdf or .svg)"
    )
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
            raise InputError(
                "applies to a scenario, not to a process table",
                field="--hazard" if args.hazard else "--level",
                value=args.hazard or args.level,
            )
        proc = ResponseProcess.from_file(path)
        return proc, None, proc.name or str(path), "damage units of the table"
    s = load_scenario_arg(args, path)
    proc = s.response_process(args.hazard)
    coord = None
    if args.level is not None:
        if args.level not in s.action_names:
            raise InputError(
                f"unknown action level; levels are {list(s.action_names)}",
                field="--level",
                value=args.level,
            )
        g = s.actions[s.action_names.index(args.level)].coordination
        coord = {u: g for u in proc.units}
    return proc, coord, f"{s.name or path} / {proc.name}", s.unit


# the columns of the review table, in one line each (what the numbers mean)
LEGEND = (
    "delay_cost: the unit's Shapley share of the damage above an instant response "
    "(sums to the total; _se its standard error, _share its share); criticality: share "
    "of runs in which the unit is on a critical path; marginal_damage: fall in expected "
    "damage per hour less of the unit's mean delay; damage_if_instant: expected damage "
    "if this unit alone acted at once"
)


def _kwargs(args, coord) -> dict:
    """The keywords of simulate_response for the flags typed (library defaults else)."""
    kw = {}
    if args.runs is not None:
        kw["runs"] = integer(args.runs, "--runs", lo=2)
    if args.seed is not None:
        kw["seed"] = integer(args.seed, "--seed", lo=0)
    if args.attribution is not None:
        kw["attribution"] = args.attribution
    if coord is not None:
        kw["coordination"] = coord
    return kw


def _missing(table) -> dict:
    """Why a value of the review table is n/a (the library's documented cases)."""
    why = {}
    if table["delay_cost_se"].isna().any():
        why["delay_cost_se"] = "needs at least two batches of runs (give more --runs)"
    if table["delay_cost_share"].isna().any():
        why["delay_cost_share"] = "the total delay cost is 0, so there is nothing to share"
    if table["marginal_damage"].isna().any():
        units = table.index[table["marginal_damage"].isna()].tolist()
        why["marginal_damage"] = f"{', '.join(map(str, units))}: no delay to shorten (mean delay 0)"
    return why


def _show(out, res, label, proc, money, within) -> dict:
    """Print the results; return the completion-time numbers."""
    say(
        out,
        f"Response process: {label}  ({len(proc.tasks)} tasks, {len(proc.units)} units; "
        f"damage in {money})",
    )
    say(
        out,
        f"{res.runs} runs, seed {res.seed}; coordination: "
        + ", ".join(f"{u}={g:g}" for u, g in res.coordination.items()),
    )
    for note in res.notes:
        say(out, f"Note: {note}")
    qs = res.quantile([0.5, 0.95])
    p = res.p_within(within)
    print("", file=out)
    say(
        out,
        f"Completion time: mean {num(res.mean_time)} h, median {num(qs[0])} h, 95% "
        f"{num(qs[1])} h; P(within {within:g} h) = {num(p)}",
    )
    if res.mean_damage is not None:
        say(
            out,
            f"Expected damage {num(res.mean_damage, 6)} {money}; delay cost (damage above "
            f"the instant response) {num(res.delay_cost_total, 6)} "
            f"({res.attribution.method} Shapley on {res.attribution.runs} runs)",
        )
    print("", file=out)
    print("Tasks (criticality: share of runs on a critical path):", file=out)
    print_table(res.schedule, out)
    print("", file=out)
    print("Bottlenecks and coordination delay costs (performance-review table):", file=out)
    table = res.review_table()
    print_table(table, out)
    explain(out, _missing(table))
    say(out, LEGEND)
    return {
        "mean": res.mean_time,
        "median": float(qs[0]),
        "q95": float(qs[1]),
        "within_hours": within,
        "p_within": p,
    }


def _figures(args, res, exts, out) -> None:
    import matplotlib

    matplotlib.use("Agg")
    for kind, path, ext in (("gantt", args.gantt, exts[1]), ("tornado", args.tornado, exts[2])):
        if path:
            fig, _ = res.plot(kind)
            save_figure(fig, path, ext)
            print(f"\nwrote {path}", file=out)


def run(args, out) -> int:
    from ..response import simulate_response
    from ..response.simulate import DEADLINE_HOURS

    exts = (
        check_out(args.out, "--out", (".json", ".csv")),
        check_out(args.gantt, "--gantt", (".png", ".pdf", ".svg")),
        check_out(args.tornado, "--tornado", (".png", ".pdf", ".svg")),
    )
    within = DEADLINE_HOURS if args.within is None else number(args.within, "--within", lo=0)
    kw_flags = _kwargs(args, None)  # flag errors before the files are read
    proc, coord, label, unit = _load(args)
    with renamed({"runs": "--runs", "seed": "--seed", "attribution": "--attribution"}):
        res = simulate_response(proc, **{**kw_flags, **_kwargs(args, coord)})
    money = unit if res.damage_unit == "money" else "hours"
    completion = _show(out, res, label, proc, money, within)
    if args.gantt or args.tornado:
        _figures(args, res, exts, out)
    if args.out:
        table = res.review_table()
        data = {
            "process": label,
            "unit": money,
            "runs": res.runs,
            "seed": res.seed,
            "coordination": res.coordination.to_dict(),
            "completion": completion,
            "mean_damage": res.mean_damage,
            "delay_cost_total": res.delay_cost_total,
            "attribution": {"method": res.attribution.method, "runs": res.attribution.runs},
            "tasks": res.schedule.reset_index(),
            "bottlenecks": table.reset_index(),
            "explanations": _missing(table),
            "notes": list(res.notes),
        }
        write_result(args.out, exts[0], data, table, out)
    return 0
