"""``cooperation simulate``: repeated play of a scenario from the command line.

Registered in :func:`cooperation.cli.build_parser` through :func:`register`.

Only the flags the user typed reach the library (:func:`cooperation.repeated.simulate`,
:func:`cooperation.repeated.compare_modes`, :class:`cooperation.repeated.Monitoring`),
so every default lives once, there; the help texts read them from the library.
What the jurisdictions try to sustain is the target of ``cooperation compensate``:
the social optimum, or ``--target`` (:func:`cooperation.repeated.sustained_target`).
"""

from __future__ import annotations

import argparse
import inspect

from . import _simulate_flags as fl
from ._common import (
    add_allow_outside,
    check_out,
    integer,
    load_scenario_arg,
    num,
    print_table,
    save_figure,
)
from ._wrap import explain, renamed, say

__all__ = ["register", "add_arguments", "run"]


# --------------------------------------------------------------------------- the parser
def register(sub) -> None:
    p = sub.add_parser(
        "simulate",
        help="repeated play: trust, monitoring and transfers over "
        "many simulated runs (or --compare-modes)",
    )
    add_arguments(p)
    add_allow_outside(p)
    p.set_defaults(func=run)


def _defaults() -> tuple[dict, dict, dict]:
    """The library defaults shown in the help: simulate, compare_modes, Monitoring."""
    from ..repeated import Monitoring, compare_modes, simulate

    sig = {
        f: {k: v.default for k, v in inspect.signature(f).parameters.items()}
        for f in (simulate, compare_modes, Monitoring)
    }
    return sig[simulate], sig[compare_modes], sig[Monitoring]


def add_arguments(p: argparse.ArgumentParser) -> None:
    from ..repeated.strategies.names import DEFAULT_STRATEGY_NAME, STRATEGY_NAMES

    sim, modes, mon = _defaults()
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument(
        "--rounds",
        help=f"horizon in rounds (default {sim['rounds']}; {modes['rounds']} with --compare-modes)",
    )
    p.add_argument(
        "--runs",
        help=f"independent runs (default {sim['runs']}; {modes['runs']} with --compare-modes)",
    )
    p.add_argument(
        "--continuation",
        help="probability delta that play goes on after a round "
        "(runs of random length, capped at --rounds; default: none, fixed horizon)",
    )
    p.add_argument(
        "--target",
        help="profile to sustain, as in 'cooperation compensate': one "
        "action for everyone (e.g. cooperate) or one per jurisdiction, "
        "comma-separated (default: the social optimum)",
    )
    names = ", ".join(sorted(STRATEGY_NAMES)) + ", threshold:K, random:P, gtft:P, cycler:CCD"
    p.add_argument(
        "--strategy",
        help="strategy for every jurisdiction, or a comma list, one "
        f"per jurisdiction: {names} (default {DEFAULT_STRATEGY_NAME})",
    )
    p.add_argument(
        "--noise",
        help="execution noise: probability that an intended action is "
        f"flipped (default {sim['noise']:g}; {modes['noise']:g} with --compare-modes)",
    )
    _add_monitoring_arguments(p, modes, mon)
    _add_output_arguments(p, sim)


def _add_monitoring_arguments(p: argparse.ArgumentParser, modes: dict, mon: dict) -> None:
    p.add_argument(
        "--monitoring",
        choices=["auto", "none", "vertical", "horizontal", "both"],
        help="which monitoring to apply (default auto: audits when --audit-prob is "
        "given, peers when --peer-error or --peer-fine is)",
    )
    p.add_argument(
        "--audit-prob",
        help=f"vertical monitoring: audit probability q (default "
        f"{mon['audit_prob']:g}; {modes['audit_prob']:g} with --compare-modes)",
    )
    p.add_argument(
        "--accuracy",
        help="probability that an audit detects a defection "
        f"(default {mon['accuracy']:g}; {modes['accuracy']:g} with --compare-modes)",
    )
    p.add_argument(
        "--fine",
        help=f"fine of a detected defection (default {mon['fine']:g}; "
        "with --compare-modes the smallest deterring fine)",
    )
    p.add_argument("--reward", help=f"reward of an audited complier (default {mon['reward']:g})")
    p.add_argument(
        "--false-alarm",
        help=f"probability an audit flags a complier (default {mon['false_alarm']:g})",
    )
    p.add_argument(
        "--fund-share",
        help=f"share of fines that feeds the crisis fund (default {mon['fund_share']:g})",
    )
    p.add_argument(
        "--peer-error",
        help="horizontal monitoring: error of peers' observations "
        f"(default: the noise's; {modes['peer_error']:g} with --compare-modes)",
    )
    p.add_argument(
        "--peer-fine", help=f"peer sanction of an observed defection (default {mon['peer_fine']:g})"
    )


def _add_output_arguments(p: argparse.ArgumentParser, sim: dict) -> None:
    from ..repeated import Shock

    p.add_argument(
        "--transfers",
        metavar="FILE",
        help="per-round transfers: JSON {jurisdiction: t} or the JSON written by "
        "'cooperation compensate --out'",
    )
    p.add_argument(
        "--shock",
        metavar="ROUND",
        help="force every jurisdiction (or "
        "--shock-players) to defect from this round, then measure recovery "
        "(default none; mid-horizon with --compare-modes)",
    )
    p.add_argument("--shock-players", help="comma list of jurisdictions hit by the shock")
    length = inspect.signature(Shock).parameters["length"].default
    p.add_argument("--shock-length", help=f"rounds the shock lasts (default {length})")
    p.add_argument(
        "--compare-modes",
        action="store_true",
        help="compare hierarchy-led and peer-led governance instead (uses "
        "--audit-prob, --accuracy, --fine, --peer-error, --peer-fine, "
        "--transfers, --noise, --shock)",
    )
    p.add_argument("--seed", help=f"random seed (default {sim['seed']})")
    p.add_argument("--chunk", help="runs per chunk (memory bound; results do not change)")
    p.add_argument("--out", help="write results: .json (everything) or .csv (per jurisdiction)")
    p.add_argument(
        "--plot", metavar="FIGURE", help="save the cooperation-by-round figure (.png, .pdf or .svg)"
    )
    bar = p.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="show a progress bar (default: on long runs, on a terminal)",
    )
    bar.add_argument("--no-progress", dest="progress", action="store_false")


# ------------------------------------------------------------------------ the screen
def _header(out, scenario, source: str, target) -> None:
    players = scenario.players
    more = f" ... ({len(players)} in all)" if len(players) > 12 else ""
    say(out, f"Scenario: {scenario.name or source}  (money in {scenario.unit})")
    say(out, f"Jurisdictions: {', '.join(players[:12])}{more}")
    how = (
        target.note
        if target.source != "given"
        else "given by --target"
        + (target.note[len("given") :] if target.note.startswith("given") else "")
    )
    say(
        out,
        f"Target (what 'cooperate' means below): {target.describe()}, the {how}"
        if target.source != "given"
        else f"Target (what 'cooperate' means below): {target.describe()}, {how}",
    )


def _show_settings(out, res, monitoring, kw) -> None:
    st = res.settings
    defects = ", ".join(sorted(set(st["defect_actions"])))
    say(out, f"Defect = each jurisdiction's best unilateral deviation from the target ({defects})")
    cont = st["continuation"]
    say(
        out,
        f"Strategies: {', '.join(sorted(set(res.strategies)))}; {res.runs} runs x "
        f"{res.rounds} rounds{'' if cont is None else f', continuation {cont:g}'}, "
        f"noise {st['noise'].execution:g}, seed {st['seed']}",
    )
    say(out, "Monitoring: " + (monitoring.describe(res.unit) if monitoring else "none"))
    if st["shock"] is not None:
        say(out, f"Shock: {st['shock'].describe()}")
    if "transfers" in kw:
        say(
            out,
            "Transfers per round (received if > 0): "
            + ", ".join(f"{k}={num(v, 6)}" for k, v in kw["transfers"].items()),
        )
    for note in res.notes:
        say(out, f"Note: {note}")


def _show_result(out, res) -> None:
    from ..repeated.results import DETERRED_MEANING

    print("", file=out)
    print(
        f"Summary (each name is an attribute of the result; money per run in {res.unit}):", file=out
    )
    print_table(res.summary().to_frame(), out)
    explain(out, res.explanations())
    print("", file=out)
    print("Per jurisdiction (money per run; cooperation over the rounds played):", file=out)
    print_table(res.by_jurisdiction(), out)
    say(out, DETERRED_MEANING)


# ------------------------------------------------------------------------ the two runs
def _run_simulation(args, scenario, target, kw, out):
    from ..repeated import simulate

    n = scenario.n_players
    strategies = fl.strategies(args, n)
    monitoring = fl.monitoring(args)
    if args.chunk is not None:
        kw["chunk"] = integer(args.chunk, "--chunk", lo=1)
    defaults = {k: v.default for k, v in inspect.signature(simulate).parameters.items()}
    with renamed(fl.FLAG_OF):
        res = simulate(
            scenario,
            strategies,
            monitoring=monitoring,
            cooperative=target.indices,
            history=False,
            progress=fl.progress(args, kw, n, defaults),
            **kw,
        )
    _show_settings(out, res, monitoring, kw)
    _show_result(out, res)
    frame = res.by_jurisdiction()
    data = {
        "summary": res.summary().to_dict(),
        "explanations": res.explanations(),
        "per_jurisdiction": frame.reset_index(),
        "by_round": res.by_round().reset_index(),
        "notes": list(res.notes),
        "settings": {
            "rounds": res.rounds,
            "runs": res.runs,
            "seed": res.settings["seed"],
            "noise": res.settings["noise"].execution,
            "continuation": res.settings["continuation"],
            "strategies": list(res.strategies),
            "monitoring": None if monitoring is None else monitoring.describe(),
            "transfers": None if "transfers" not in kw else kw["transfers"].to_dict(),
            "shock": None if "shock" not in kw else kw["shock"].describe(),
        },
    }
    return data, frame, res.plot


def _run_modes(args, scenario, target, kw, out):
    from ..repeated import compare_modes

    defaults = {k: v.default for k, v in inspect.signature(compare_modes).parameters.items()}
    with renamed(fl.FLAG_OF):
        cmp = compare_modes(
            scenario,
            cooperative=target.indices,
            **kw,
            **fl.mode_kwargs(args),
            progress=fl.progress(args, kw, scenario.n_players, defaults),
        )
    st, h = cmp.settings, cmp.results["hierarchy"]
    unit = scenario.unit
    say(
        out,
        f"Hierarchy-led: {st['hierarchy_strategy']}, audits q={st['audit_prob']:g}, "
        f"accuracy {st['accuracy']:g}, fine {num(st['fine'], 6)} {unit}, fines to the "
        f"crisis fund; peer-led: {st['peer_strategy']}, peer error "
        f"{st['peer_error']:g}, peer fine {num(st['peer_fine'], 6)}",
    )
    shock = "none" if st["shock"] is None else st["shock"].describe()
    say(
        out,
        f"Both: {h.runs} runs x {h.rounds} rounds, noise {st['noise'].execution:g}, "
        f"seed {st['seed']}, the same random numbers; shock: {shock}",
    )
    print("", file=out)
    print(f"Modes (rows: columns of ModeComparison.table; money per run in {unit}):", file=out)
    print_table(cmp.table.T, out)
    explain(out, cmp.explanations())
    print("", file=out)
    print("Per mode and jurisdiction:", file=out)
    cols = [
        "strategy",
        "score_mean",
        "cooperation",
        "fines_paid",
        "transfers",
        "incentive",
        "temptation",
        "deterred",
    ]
    frame = cmp.by_jurisdiction()
    print_table(frame[cols], out)
    data = {
        "compare_modes": cmp.table.reset_index(),
        "explanations": cmp.explanations(),
        "per_jurisdiction": frame.reset_index(),
        "settings": {
            k: (
                v.describe()
                if hasattr(v, "describe")
                else v.execution
                if hasattr(v, "execution")
                else v
            )
            for k, v in st.items()
        },
    }
    return data, frame, cmp.plot


# ------------------------------------------------------------------------ the command
def _write(args, exts, data, frame, fig_fn, out) -> None:
    from .._io import atomic_write_csv, atomic_write_json

    ext, pext = exts
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        from .. import report  # noqa: F401  (registers the figures behind .plot())

        fig, _ = fig_fn()
        save_figure(fig, args.plot, pext)
        print(f"\nwrote {args.plot}", file=out)
    if args.out:
        if ext == ".json":
            atomic_write_json(args.out, data)
        else:
            atomic_write_csv(args.out, frame)
        print(f"\nwrote {args.out}", file=out)


def run(args, out) -> int:
    exts = (
        check_out(args.out, "--out", (".json", ".csv")),
        check_out(args.plot, "--plot", (".png", ".pdf", ".svg")),
    )
    fl.refuse_unused(args)
    kw = fl.common_kwargs(args)
    if not args.compare_modes:
        fl.monitoring(args)  # flag errors before any work
    scenario = load_scenario_arg(args)
    fl.check_size(args, kw, scenario.n_players)
    target = fl.target(args, scenario)
    _header(out, scenario, args.scenario, target)
    step = _run_modes if args.compare_modes else _run_simulation
    data, frame, fig_fn = step(args, scenario, target, kw, out)
    data = {
        "scenario": scenario.name,
        "source": str(args.scenario),
        "unit": scenario.unit,
        "target": {
            "profile": dict(zip(target.players, target.labels, strict=True)),
            "source": target.source,
            "certified": target.certified,
            "note": target.note,
        },
        **data,
    }
    _write(args, exts, data, frame, fig_fn, out)
    return 0
