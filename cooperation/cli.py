"""The ``cooperation`` command.

Subcommands::

    cooperation analyze    SCENARIO [--out result.json]
    cooperation sweep      SPEC.toml --out results.parquet|.csv [--scheduler ADDRESS]

Bad input ends with exit status 2 and one line on stderr naming the file,
the field, the value and the rule; never a traceback. Output files are
written atomically.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import CooperationError

__all__ = ["main", "build_parser"]


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _print_table(df: pd.DataFrame, out) -> None:
    with pd.option_context("display.width", 120, "display.max_columns", 20,
                           "display.float_format", _fmt):
        print(df.to_string(), file=out)


# ----------------------------------------------------------------------------- analyze
def _cmd_analyze(args, out) -> int:
    from . import analyze, load_scenario, mixed_equilibria
    from ._io import atomic_write_json

    scenario = load_scenario(args.scenario)
    game = scenario.to_game()
    res = analyze(game)
    unit = scenario.unit
    print(f"Scenario: {scenario.name or args.scenario}  (money in {unit})", file=out)
    print(f"Jurisdictions: {', '.join(game.players)}", file=out)
    print(f"Action levels: {', '.join(scenario.action_names)}", file=out)
    print("", file=out)
    if game.n_players == 2:
        A, B = game.bimatrix()
        cells = [[f"{A[r, c]:.4g}, {B[r, c]:.4g}" for c in range(A.shape[1])]
                 for r in range(A.shape[0])]
        tab = pd.DataFrame(cells, index=pd.Index(game.actions[0], name=game.players[0]),
                           columns=pd.Index(game.actions[1], name=game.players[1]))
        print(f"Payoff table (row: {game.players[0]}, column: {game.players[1]}; "
              f"payoffs {game.players[0]}, {game.players[1]}):", file=out)
        _print_table(tab, out)
        print("", file=out)
    eq = res.equilibria
    print(f"Pure Nash equilibria ({len(eq)}, max regret {eq.max_regret:.2g}):", file=out)
    for p, pay in zip(eq.labels, eq.payoffs, strict=True):
        print(f"  {p}  payoffs {np.round(pay, 6).tolist()}  welfare {_fmt(pay.sum())}",
              file=out)
    mixed = None
    if game.n_players == 2:
        mixed = mixed_equilibria(game)
        print(f"Mixed equilibria (extreme): {len(mixed)}; degenerate={mixed.degenerate}, "
              f"complete={mixed.complete}, finite={mixed.finite}", file=out)
    opt = res.optimum
    print("", file=out)
    print(f"Social optimum: {game.profile_labels(opt.profile)}  welfare {_fmt(opt.welfare)}",
          file=out)
    print(f"Cooperation surplus W(opt) - W(worst NE): {_fmt(res.cooperation_surplus)} {unit}",
          file=out)
    print(f"Price of anarchy: {_fmt(res.price_of_anarchy)}   price of stability: "
          f"{_fmt(res.price_of_stability)}   ({res.poa_note})", file=out)
    print("", file=out)
    print("Per jurisdiction (withdrawal cost = welfare lost when it alone leaves the optimum;"
          " own_gain > 0: it is tempted to leave):", file=out)
    _print_table(res.to_frame(), out)
    extra = _analyze_extra_sections(scenario, game, out)
    if args.out:
        data = {
            "scenario": scenario.name, "source": str(args.scenario), "unit": unit,
            "players": list(game.players), "actions": [list(a) for a in game.actions],
            "pure_equilibria": [list(p) for p in eq.labels],
            "pure_equilibria_payoffs": eq.payoffs,
            "optimum": {"profile": list(game.profile_labels(opt.profile)),
                        "welfare": opt.welfare, "payoffs": opt.payoffs},
            "cooperation_surplus": res.cooperation_surplus,
            "price_of_anarchy": res.price_of_anarchy,
            "price_of_stability": res.price_of_stability,
            "poa_note": res.poa_note,
            "per_jurisdiction": res.to_frame(),
        }
        if mixed is not None:
            data["mixed_equilibria"] = {
                "equilibria": [[x, y] for x, y in mixed.equilibria],
                "degenerate": mixed.degenerate, "complete": mixed.complete,
                "finite": mixed.finite, "max_regret": mixed.max_regret}
        data.update(extra)
        atomic_write_json(args.out, data)
        print(f"\nwrote {args.out}", file=out)
    return 0


def _analyze_extra_sections(scenario, game, out) -> dict:
    """Sections other analyses add to ``cooperation analyze`` (returns JSON fields)."""
    from .coalitions.summary import analyze_section

    extra = {}
    extra.update(analyze_section(scenario, game, out))  # Shapley, nucleolus, core, rules
    return extra


# ----------------------------------------------------------------------------- sweep
def _cmd_sweep(args, out) -> int:
    from .sweeps.spec import load_spec, run_spec

    spec = load_spec(args.spec)
    progress = args.progress or ("bar" if sys.stderr.isatty() else "log")
    df, seconds = run_spec(spec, args.out, scheduler=args.scheduler, serial=args.serial,
                           workers=args.workers, checkpoint=args.checkpoint,
                           progress=progress)
    meta = df.attrs.get("sweep", {})
    print(f"Sweep {meta.get('func')}: {len(df)} cells, parameters "
          f"{', '.join(meta.get('parameters', []))}; outcomes "
          f"{', '.join(meta.get('outcomes', []))} ({seconds:.1f} s)", file=out)
    _print_table(df.head(10), out)
    if len(df) > 10:
        print(f"... {len(df) - 10} more rows", file=out)
    print(f"\nwrote {args.out}", file=out)
    return 0


# ----------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cooperation",
        description="Game-theoretic analysis of cross-regional crisis governance.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    a = sub.add_parser("analyze", help="equilibria, social optimum, cooperation surplus")
    a.add_argument("scenario", help="scenario TOML file")
    a.add_argument("--out", help="write the results as JSON to this file")
    a.set_defaults(func=_cmd_analyze)

    sw = sub.add_parser("sweep", help="run a parameter sweep (phase diagram) from a TOML spec")
    sw.add_argument("spec", help="sweep spec TOML: function = 'module:function', [grid]")
    sw.add_argument("--out", required=True, help="results table: .parquet or .csv")
    sw.add_argument("--scheduler", metavar="ADDRESS",
                    help="run on this Dask scheduler (e.g. tcp://10.0.0.5:8786)")
    sw.add_argument("--serial", action="store_true", help="run in this process only")
    sw.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    sw.add_argument("--checkpoint", help="resume file (overrides the spec's checkpoint)")
    sw.add_argument("--progress", choices=["bar", "log", "none"],
                    help="progress display (default: bar on a terminal, else log lines)")
    sw.set_defaults(func=_cmd_sweep)

    from .compensation import _cli as comp_cli

    cp = sub.add_parser("compensate", help="transfers and subsidy that make cooperation "
                        "worthwhile for every jurisdiction (exit 1 if infeasible)")
    comp_cli.add_compensate_arguments(cp)
    cp.set_defaults(func=comp_cli.cmd_compensate)

    fd = sub.add_parser("fund", help="crisis-fund contributions and payout shares (CVaR LP)")
    comp_cli.add_fund_arguments(fd)
    fd.set_defaults(func=comp_cli.cmd_fund)

    from .repeated import _cli as rep_cli

    sm = sub.add_parser("simulate", help="repeated play: trust, monitoring and transfers over "
                        "many simulated runs (or --compare-modes)")
    rep_cli.add_simulate_arguments(sm)
    sm.set_defaults(func=rep_cli.cmd_simulate)

    # further subcommands register here
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args, sys.stdout) or 0)
    except CooperationError as exc:
        print(f"cooperation {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"cooperation {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
