"""``cooperation simulate``: repeated play of a scenario from the command line.

Registered in :func:`cooperation.cli.build_parser` through :func:`register`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ._common import check_out, integer, number, print_table, save_figure

__all__ = ["register", "add_arguments", "run"]

PROGRESS_WORK = 2_000_000        # runs x rounds x players above which a bar is shown


def register(sub) -> None:
    p = sub.add_parser("simulate", help="repeated play: trust, monitoring and transfers over "
                       "many simulated runs (or --compare-modes)")
    add_arguments(p)
    p.set_defaults(func=run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--rounds", default="100", help="horizon in rounds (default 100)")
    p.add_argument("--runs", default="1000", help="independent runs (default 1000)")
    p.add_argument("--continuation", help="probability delta that play goes on after a round")
    p.add_argument("--strategy", default="tft",
                   help="strategy for every jurisdiction, or a comma list, one per "
                        "jurisdiction: allc, alld, tft, stft, tf2t, 2tft, grim, wsls, gtft, "
                        "alternator, trust, alliance, opportunist, threshold:K, random:P "
                        "(default tft)")
    p.add_argument("--noise", help="execution noise: probability that an intended action is "
                   "flipped (default 0; 0.02 with --compare-modes)")
    p.add_argument("--monitoring", default="auto",
                   choices=["auto", "none", "vertical", "horizontal", "both"],
                   help="which monitoring to apply (auto: vertical when --audit-prob > 0, "
                        "horizontal when --peer-error is given)")
    p.add_argument("--audit-prob", help="vertical monitoring: audit probability q (default 0; "
                   "0.3 with --compare-modes)")
    p.add_argument("--accuracy", default="1", help="probability that an audit detects a "
                   "defection (default 1)")
    p.add_argument("--fine", default="0", help="fine of a detected defection")
    p.add_argument("--reward", default="0", help="reward of an audited complier")
    p.add_argument("--false-alarm", default="0", help="probability an audit flags a complier")
    p.add_argument("--fund-share", default="0", help="share of fines that feeds the crisis fund")
    p.add_argument("--peer-error", help="horizontal monitoring: error of peers' observations")
    p.add_argument("--peer-fine", default="0", help="peer sanction of an observed defection")
    p.add_argument("--transfers", metavar="FILE",
                   help="per-round transfers: JSON {jurisdiction: t} or the JSON written by "
                        "'cooperation compensate --out'")
    p.add_argument("--shock", metavar="ROUND", help="force every jurisdiction (or "
                   "--shock-players) to defect in this round, then measure recovery")
    p.add_argument("--shock-players", help="comma list of jurisdictions hit by the shock")
    p.add_argument("--shock-length", default="1", help="rounds the shock lasts (default 1)")
    p.add_argument("--compare-modes", action="store_true",
                   help="compare hierarchy-led and peer-led governance instead (uses "
                        "--audit-prob, --accuracy, --fine, --peer-error, --peer-fine, "
                        "--transfers, --noise)")
    p.add_argument("--seed", default="0", help="random seed (default 0)")
    p.add_argument("--chunk", help="runs per chunk (memory bound; results do not change)")
    p.add_argument("--out", help="write results: .json (everything) or .csv (per jurisdiction)")
    p.add_argument("--plot", metavar="FIGURE", help="save the cooperation-by-round figure "
                   "(.png, .pdf or .svg)")
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="show a progress bar (default: on long runs)")
    bar.add_argument("--no-progress", dest="progress", action="store_false")


def _load_transfers(path: str, players) -> pd.Series:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", field="--transfers", value=path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg}, line {exc.lineno})", field="--transfers",
                         value=path) from None
    if isinstance(data, dict) and "per_jurisdiction" in data:
        rows = data["per_jurisdiction"]
        try:
            return pd.Series({r["jurisdiction"]: float(r["transfer"]) for r in rows})
        except (KeyError, TypeError, ValueError):
            raise InputError("per_jurisdiction records need 'jurisdiction' and 'transfer'",
                             field="--transfers", value=path) from None
    if isinstance(data, dict) and "transfers" in data and isinstance(data["transfers"], dict):
        data = data["transfers"]
    if not isinstance(data, dict):
        raise InputError("must hold a JSON object {jurisdiction: transfer}",
                         field="--transfers", value=path)
    try:
        return pd.Series({str(k): float(v) for k, v in data.items()})
    except (TypeError, ValueError):
        raise InputError("transfers must be numbers", field="--transfers", value=path) from None


def run(args, out) -> int:
    from ..repeated import (
        Monitoring,
        Shock,
        compare_modes,
        simulate,
        strategy_from_name,
    )
    from ..scenario import load_scenario

    ext = check_out(args.out, "--out", (".json", ".csv"))
    pext = check_out(args.plot, "--plot", (".png", ".pdf", ".svg"))
    scenario = load_scenario(args.scenario)
    players = scenario.players
    n = scenario.n_players
    rounds = integer(args.rounds, "--rounds", lo=1)
    runs = integer(args.runs, "--runs", lo=1)
    seed = integer(args.seed, "--seed", lo=0)
    noise = number(args.noise if args.noise is not None else
                 ("0.02" if args.compare_modes else "0"), "--noise", 0, 1)
    cont = None if args.continuation is None else number(args.continuation, "--continuation", 0, 1)
    chunk = None if args.chunk is None else integer(args.chunk, "--chunk", lo=1)
    q_text = args.audit_prob if args.audit_prob is not None else \
        ("0.3" if args.compare_modes else "0")
    q = number(q_text, "--audit-prob", 0, 1)
    acc = number(args.accuracy, "--accuracy", 0, 1)
    fine = number(args.fine, "--fine", 0)
    reward = number(args.reward, "--reward", 0)
    fa = number(args.false_alarm, "--false-alarm", 0, 1)
    fund = number(args.fund_share, "--fund-share", 0, 1)
    peer_err = None if args.peer_error is None else number(args.peer_error, "--peer-error", 0, 1)
    peer_fine = number(args.peer_fine, "--peer-fine", 0)
    transfers = None if args.transfers is None else _load_transfers(args.transfers, players)
    shock = None
    if args.shock is not None:
        sp = None
        if args.shock_players:
            sp = tuple(x.strip() for x in args.shock_players.split(",") if x.strip())
        shock = Shock(integer(args.shock, "--shock", lo=1), sp,
                      integer(args.shock_length, "--shock-length", lo=1))
    progress = args.progress
    if progress is None:
        progress = runs * rounds * n >= PROGRESS_WORK
    unit = scenario.unit
    print(f"Scenario: {scenario.name or args.scenario}  (money in {unit})", file=out)

    if args.compare_modes:
        cmp = compare_modes(scenario, rounds=rounds, runs=runs, noise=noise, audit_prob=q,
                            accuracy=acc, fine=fine if fine > 0 else None,
                            peer_error=0.05 if peer_err is None else peer_err,
                            peer_fine=peer_fine, transfers=transfers,
                            shock=shock if shock is not None else "auto", seed=seed,
                            continuation=cont, progress=progress)
        st = cmp.settings
        print(f"Hierarchy-led: {st['hierarchy_strategy']}, audits q={q:g}, accuracy {acc:g}, "
              f"fine {st['fine']:.6g}; peer-led: {st['peer_strategy']}, peer error "
              f"{st['peer_error']:g}, peer fine {peer_fine:g}; {runs} runs x {rounds} rounds, "
              f"seed {seed}", file=out)
        print("", file=out)
        print_table(cmp.table.T, out)
        print("", file=out)
        print("Per jurisdiction:", file=out)
        print_table(cmp.by_jurisdiction()[["strategy", "score_mean", "cooperation", "fines_paid",
                                      "transfers", "incentive", "temptation"]], out)
        data = {"scenario": scenario.name, "source": str(args.scenario), "unit": unit,
                "compare_modes": cmp.table.reset_index(),
                "per_jurisdiction": cmp.by_jurisdiction().reset_index(),
                "settings": {k: (v if isinstance(v, (int, float, str, list, type(None)))
                                 else repr(v)) for k, v in st.items()}}
        frame = cmp.by_jurisdiction()
        fig_fn = cmp.plot
    else:
        names = [x.strip() for x in args.strategy.split(",") if x.strip()]
        if len(names) == 1:
            strategies = strategy_from_name(names[0])
        elif len(names) == n:
            strategies = [strategy_from_name(x) for x in names]
        else:
            raise InputError(f"needs one strategy, or one per jurisdiction ({n})",
                             field="--strategy", value=args.strategy)
        mode = args.monitoring
        vertical = mode in ("vertical", "both") or (mode == "auto" and q > 0)
        horizontal = mode in ("horizontal", "both") or (mode == "auto" and
                                                        (peer_err is not None or peer_fine > 0))
        if mode in ("vertical", "both") and q <= 0:
            raise InputError("vertical monitoring needs an audit probability > 0",
                             field="--audit-prob", value=args.audit_prob)
        if mode in ("horizontal", "both") and peer_err is None:
            raise InputError("horizontal monitoring needs --peer-error", field="--peer-error",
                             value=None)
        monitoring = None
        if vertical or horizontal:
            monitoring = Monitoring(
                audit_prob=q if vertical else 0.0, accuracy=acc, fine=fine if vertical else 0.0,
                reward=reward if vertical else 0.0, false_alarm=fa, fund_share=fund,
                peer_error=peer_err if horizontal else None,
                peer_fine=peer_fine if horizontal else 0.0)
        res = simulate(scenario, strategies, rounds=rounds, runs=runs, noise=noise,
                       monitoring=monitoring, transfers=transfers, continuation=cont,
                       seed=seed, shock=shock, chunk=chunk, history=False, progress=progress)
        acts = res.settings
        print(f"Jurisdictions: {', '.join(players[:12])}{' ...' if n > 12 else ''}", file=out)
        print(f"Cooperate = {acts['cooperative_actions'][0]!r}; defect = best unilateral "
              f"deviation from all-cooperate ({', '.join(sorted(set(acts['defect_actions'])))})",
              file=out)
        print(f"Strategies: {', '.join(sorted(set(res.strategies)))}; {runs} runs x {rounds} "
              f"rounds{'' if cont is None else f', continuation {cont:g}'}, noise {noise:g}, "
              f"seed {seed}", file=out)
        print(f"Monitoring: {monitoring!r}" if monitoring else "Monitoring: none", file=out)
        if transfers is not None:
            print(f"Transfers per round (received if > 0): "
                  f"{', '.join(f'{k}={v:.6g}' for k, v in transfers.items())}", file=out)
        for note in res.notes:
            print(f"Note: {note}", file=out)
        print("", file=out)
        summary = res.summary()
        print_table(summary.to_frame(), out)
        print("", file=out)
        print("Per jurisdiction (money per run; deterred: incentive to comply >= temptation):",
              file=out)
        frame = res.by_jurisdiction()
        print_table(frame.head(50), out)
        if len(frame) > 50:
            print(f"... {len(frame) - 50} more rows", file=out)
        data = {"scenario": scenario.name, "source": str(args.scenario), "unit": unit,
                "summary": summary.to_dict(), "per_jurisdiction": frame.reset_index(),
                "by_round": res.by_round().reset_index(), "notes": list(res.notes),
                "settings": {"rounds": rounds, "runs": runs, "seed": seed, "noise": noise,
                             "continuation": cont, "strategies": list(res.strategies),
                             "monitoring": None if monitoring is None else repr(monitoring),
                             "transfers": None if transfers is None else transfers.to_dict(),
                             "shock": None if shock is None else repr(shock)}}
        fig_fn = res.plot
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        from .. import report  # noqa: F401  (registers the figures behind .plot())

        fig, _ = fig_fn()
        save_figure(fig, args.plot, pext)
        print(f"\nwrote {args.plot}", file=out)
    if args.out:
        from .._io import atomic_write, atomic_write_json

        if ext == ".json":
            atomic_write_json(args.out, data)
        else:
            atomic_write(args.out, lambda tmp: frame.to_csv(tmp, encoding="utf-8"))
        print(f"\nwrote {args.out}", file=out)
    return 0
