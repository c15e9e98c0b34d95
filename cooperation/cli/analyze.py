"""``cooperation analyze``: equilibria, social optimum, cooperation surplus, values, rules.

The screen explains itself: signs, blanks and flags that were not established
are said in words beside the numbers, money is rounded (4 significant
digits) and every table fits in 100 columns. ``--out x.json`` keeps every
number at full precision, with the notes; ``--out x.csv`` writes the
per-jurisdiction table (the analysis and the cooperative values side by side).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..coalitions.characteristic import OUTSIDERS
from ._common import (
    WIDTH,
    add_allow_outside,
    check_out,
    default_of,
    escape,
    given,
    load_scenario_arg,
    num,
    print_table,
    write_result,
)

__all__ = ["register", "run", "TABLE_MAX_LEVELS", "MIXED_MAX_LEVELS", "EQUILIBRIA_SHOWN"]

#: the payoff table of a two-player game is printed up to this many levels per player
TABLE_MAX_LEVELS = 8
#: mixed equilibria (vertex enumeration, exponential in the levels) are computed up to this
#: many levels per player; beyond, the screen says so and how to get one equilibrium
MIXED_MAX_LEVELS = 20
#: pure equilibria listed on the screen (all of them in --out)
EQUILIBRIA_SHOWN = 20


def register(sub) -> None:
    from ..coalitions.summary import cooperative_values

    p = sub.add_parser("analyze", help="equilibria, social optimum, cooperation surplus, "
                       "cooperative values and responsibility rules")
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--outsiders", choices=list(OUTSIDERS), default=None,
                   help="what outsiders do in the characteristic function (default: "
                        f"{default_of(cooperative_values, 'outsiders')})")
    from ..coalitions.sampled import DEFAULT_PERMUTATIONS, sampled_values

    p.add_argument("--permutations", default=None, metavar="N",
                   help="scenarios beyond 2**16 profiles: random orders per large group for "
                        f"the sampled Shapley values (default: {DEFAULT_PERMUTATIONS})")
    p.add_argument("--seed", default=None, help="seed of the sampled Shapley values "
                   f"(default: {default_of(sampled_values, 'seed')})")
    p.add_argument("--out", help="write results: .json (everything, full precision) or .csv "
                   "(the per-jurisdiction table)")
    add_allow_outside(p)
    p.set_defaults(func=run)


def say(text: str, out) -> None:
    from .._result import paragraph

    print(paragraph(text, WIDTH), file=out)


def _names(names, limit: int = 12) -> str:
    names = [escape(x) for x in names]
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f", ... ({len(names)} in all)"


def _labels(profile) -> str:
    return escape("(" + ", ".join(profile) + ")")


def _payoff_table(game, out) -> None:
    A, B = game.bimatrix()
    cells = [[f"{num(A[r, c])}, {num(B[r, c])}" for c in range(A.shape[1])]
             for r in range(A.shape[0])]
    tab = pd.DataFrame(cells, index=pd.Index(game.actions[0], name=game.players[0]),
                       columns=pd.Index(game.actions[1], name=game.players[1]))
    say(f"Payoff table (rows: {escape(game.players[0])}, columns: {escape(game.players[1])}; "
        f"each cell: payoff of {escape(game.players[0])}, payoff of "
        f"{escape(game.players[1])}):", out)
    print_table(tab, out)
    print("", file=out)


def _equilibria(game, res, out):
    from .. import mixed_equilibria

    eq = res.equilibria
    say(f"Pure Nash equilibria: {len(eq)} (largest regret {num(eq.max_regret, 2)}; "
        "0 means no jurisdiction gains by changing its level alone)", out)
    shown = list(zip(eq.labels, eq.payoffs, strict=True))
    for p, pay in shown[:EQUILIBRIA_SHOWN]:
        pays = ", ".join(f"{escape(n)} {num(x)}" for n, x in zip(game.players, pay, strict=True))
        say(f"  {_labels(p)}: payoffs {pays}; welfare {num(pay.sum())}", out)
    if len(shown) > EQUILIBRIA_SHOWN:
        say(f"  ... {len(shown) - EQUILIBRIA_SHOWN} more (all of them in --out x.json)", out)
    if game.n_players != 2:
        return None
    if max(game.shape) > MIXED_MAX_LEVELS:
        say(f"Mixed equilibria: not computed ({game.shape[0]} x {game.shape[1]} levels; "
            f"vertex enumeration grows exponentially with the levels and runs here up to "
            f"{MIXED_MAX_LEVELS}; co.mixed_equilibria(game, method='lemke_howson') finds one)",
            out)
        return None
    mixed = mixed_equilibria(game)

    def flag(x, yes, no):
        return "not established" if x is None else yes if x else no

    say(f"Mixed equilibria (extreme points): {len(mixed)}; "
        f"{flag(mixed.complete, 'the list is complete (certified)', 'the list may be partial')}"
        f"; {flag(mixed.degenerate, 'degenerate game', 'non-degenerate game')}; "
        f"{flag(mixed.finite, 'finitely many', 'continua of equilibria')}", out)
    for note in getattr(mixed, "notes", ()) or ():
        say(f"  note: {note}", out)
    return mixed


def _headline(scenario, game, res, out) -> None:
    opt = res.optimum
    unit = scenario.unit
    print("", file=out)
    say(f"Social optimum (largest total payoff): {_labels(game.profile_labels(opt.profile))}; "
        f"welfare {num(opt.welfare)} {unit}", out)
    surplus = res.cooperation_surplus
    say(f"Cooperation surplus W(opt) - W(worst equilibrium): {num(surplus)} {unit}"
        + (" (undefined: no equilibrium to compare with)" if np.isnan(surplus) else
           " (what the region loses by going it alone)"), out)
    if np.isnan(res.price_of_anarchy):
        say(f"Price of anarchy and of stability: undefined ({res.poa_note})", out)
    else:
        say(f"Price of anarchy {num(res.price_of_anarchy)}, price of stability "
            f"{num(res.price_of_stability)} (1 = no loss): {res.poa_note}", out)


def _per_jurisdiction(res, out) -> pd.DataFrame:
    frame = res.to_frame()
    view = frame.rename(columns={
        "payoff_opt": "at optimum", "payoff_worst_ne": "worst NE", "payoff_best_ne": "best NE",
        "leaves_to": "leaves to", "welfare_loss": "welfare lost", "own_gain": "own gain"})
    print("", file=out)
    say("Per jurisdiction: payoff at the optimum and at the worst and best equilibrium; if it "
        "alone leaves the optimum ('leaves to': its most profitable other level), the welfare "
        "the region loses and its own gain (> 0: it is tempted to leave).", out)
    if view["leaves to"].isna().any():
        say("  'n/a' under 'leaves to': the jurisdiction has a single level.", out)
    print_table(view, out, digits=4)
    return frame


def run(args, out) -> int:
    from .. import analyze
    from ..coalitions.summary import analyze_section

    ext = check_out(args.out)
    scenario = load_scenario_arg(args)
    from ..coalitions.scale import is_large

    if is_large(scenario):          # beyond the tensor limit: the structured methods
        from ._scale import run_analyze

        return run_analyze(args, scenario, ext, out)
    game = scenario.to_game()
    res = analyze(game)
    unit = scenario.unit
    say(f"Scenario: {escape(scenario.name or args.scenario)}", out)
    say(f"Money: {unit} (shown at 4 significant digits; --out x.json keeps every digit)", out)
    say(f"Jurisdictions: {_names(game.players)}", out)
    say(f"Action levels: {_names(scenario.action_names)}", out)
    if float(np.max(game.payoffs)) <= 0:
        say("Payoffs are negative: a payoff is minus the jurisdiction's expected yearly cost "
            "(its action cost plus the expected damage it bears), so closer to 0 is better.",
            out)
    print("", file=out)
    if game.n_players == 2 and max(game.shape) <= TABLE_MAX_LEVELS:
        _payoff_table(game, out)
    elif game.n_players == 2:
        say(f"Payoff table: {game.shape[0]} x {game.shape[1]} levels, too large for a screen "
            f"(shown up to {TABLE_MAX_LEVELS} levels each).", out)
        print("", file=out)
    mixed = _equilibria(game, res, out)
    _headline(scenario, game, res, out)
    frame = _per_jurisdiction(res, out)
    extra = analyze_section(scenario, game, out, **given(args, "outsiders"))
    if args.out:
        eq, opt = res.equilibria, res.optimum
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
            "per_jurisdiction": frame,
        }
        if mixed is not None:
            data["mixed_equilibria"] = {
                "equilibria": [[x, y] for x, y in mixed.equilibria],
                "degenerate": mixed.degenerate, "complete": mixed.complete,
                "finite": mixed.finite, "max_regret": mixed.max_regret}
        data.update(extra)
        table = frame
        coop = extra.get("cooperative")
        if coop is not None:
            table = frame.assign(shapley=pd.Series(coop["shapley"]),
                                 nucleolus=pd.Series(coop["nucleolus"]))
        write_result(args.out, ext, data, table, out)
    return 0
