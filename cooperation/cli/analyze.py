"""``cooperation analyze``: equilibria, social optimum, cooperation surplus, values, rules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._common import fmt, print_table

__all__ = ["register", "run"]


def register(sub) -> None:
    p = sub.add_parser("analyze", help="equilibria, social optimum, cooperation surplus")
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--out", help="write the results as JSON to this file")
    p.set_defaults(func=run)


def run(args, out) -> int:
    from .. import analyze, load_scenario, mixed_equilibria
    from .._io import atomic_write_json

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
        print_table(tab, out)
        print("", file=out)
    eq = res.equilibria
    print(f"Pure Nash equilibria ({len(eq)}, max regret {eq.max_regret:.2g}):", file=out)
    for p, pay in zip(eq.labels, eq.payoffs, strict=True):
        print(f"  {p}  payoffs {np.round(pay, 6).tolist()}  welfare {fmt(pay.sum())}",
              file=out)
    mixed = None
    if game.n_players == 2:
        mixed = mixed_equilibria(game)
        print(f"Mixed equilibria (extreme): {len(mixed)}; degenerate={mixed.degenerate}, "
              f"complete={mixed.complete}, finite={mixed.finite}", file=out)
    opt = res.optimum
    print("", file=out)
    print(f"Social optimum: {game.profile_labels(opt.profile)}  welfare {fmt(opt.welfare)}",
          file=out)
    print(f"Cooperation surplus W(opt) - W(worst NE): {fmt(res.cooperation_surplus)} {unit}",
          file=out)
    print(f"Price of anarchy: {fmt(res.price_of_anarchy)}   price of stability: "
          f"{fmt(res.price_of_stability)}   ({res.poa_note})", file=out)
    print("", file=out)
    print("Per jurisdiction (withdrawal cost = welfare lost when it alone leaves the optimum;"
          " own_gain > 0: it is tempted to leave):", file=out)
    print_table(res.to_frame(), out)
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
    from ..coalitions.summary import analyze_section

    extra = {}
    extra.update(analyze_section(scenario, game, out))  # Shapley, nucleolus, core, rules
    return extra
