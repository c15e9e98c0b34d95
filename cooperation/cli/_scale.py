"""The screen and files of ``cooperation analyze`` for scenarios too large for a tensor.

A summary that stays a few screens long at any size (counts, the answers with
their kind, the 20 largest withdrawal costs, one line per responsibility rule),
and everything per jurisdiction in ``--out`` (JSON: every number at full
precision; CSV: the per-jurisdiction table with the Shapley values and their
standard errors). Every answer says whether it is exact (proved), bounded (with
its gap) or sampled (with its standard error).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._numeric import RTOL
from .._result import paragraph
from ._common import WIDTH, escape, given, integer, num, print_table, write_result

__all__ = ["run_analyze", "SHOWN_ROWS"]

#: per-jurisdiction rows printed on the screen (the rest in --out)
SHOWN_ROWS = 20


def say(text: str, out) -> None:
    print(paragraph(text, WIDTH), file=out)


def _kind(sol) -> str:
    if sol.kind == "exact":
        return "exact: proved optimal by HiGHS"
    return f"bounded: within {num(sol.gap)} of the optimum"


def _head(args, scenario, res, out) -> None:
    n, K = scenario.n_players, scenario.n_levels
    sizes = np.asarray(scenario.involvement.sum(axis=1)).ravel()
    names = ", ".join(escape(p) for p in scenario.players[:3])
    say(f"Scenario: {escape(scenario.name or args.scenario)}", out)
    say(
        f"Money: {scenario.unit} (shown at 4 significant digits; --out x.json keeps every digit)",
        out,
    )
    say(
        f"Jurisdictions: {n} ({names}, ..., {escape(scenario.players[-1])}); "
        f"{len(scenario.hazards)} hazards, each involving at most {int(sizes.max())}",
        out,
    )
    say(f"Action levels: {', '.join(escape(a) for a in scenario.action_names)}", out)
    say(
        f"Method: {K}^{n} profiles, so no payoff tensor: the optimum and the extreme "
        "equilibria are MILPs on the hazard structure (HiGHS). Answer: "
        f"{res.answer} (each line says whether it was proved, bounded or sampled).",
        out,
    )
    print("", file=out)


def _headline(scenario, res, out) -> None:
    unit = scenario.unit
    opt, w, b = res.optimum, res.worst_equilibrium, res.best_equilibrium
    counts = ", ".join(f"{escape(a)} {c}" for a, c in res.level_counts(opt.profile).items())
    say(
        f"Social optimum (largest total payoff): welfare {num(opt.value)} {unit} "
        f"[{_kind(opt)}]; levels: {counts}",
        out,
    )
    if w.kind == "none":
        say("Pure Nash equilibria: none (proved: the Nash MILP is infeasible)", out)
    else:
        say(
            f"Pure Nash equilibria: not listed (there can be exponentially many); the worst "
            f"has welfare {num(w.value)} [{_kind(w)}], the best {num(b.value)} [{_kind(b)}]",
            out,
        )
    gap = f" (+- {num(res.surplus_gap)})" if res.surplus_gap else ""
    say(
        f"Cooperation surplus W(opt) - W(worst equilibrium): {num(res.cooperation_surplus)} "
        f"{unit}{gap} (what the region loses by going it alone)",
        out,
    )
    if np.isnan(res.price_of_anarchy):
        say(f"Price of anarchy and of stability: undefined ({res.poa_note})", out)
    else:
        say(
            f"Price of anarchy {num(res.price_of_anarchy)}, price of stability "
            f"{num(res.price_of_stability)} (1 = no loss): {res.poa_note}",
            out,
        )
    for note in res.notes:
        say(f"Note: {note}", out)


def _per_jurisdiction(res, out) -> pd.DataFrame:
    frame = res.to_frame()
    top = frame.sort_values("welfare_loss", ascending=False)
    view = top.rename(
        columns={
            "action_opt": "at optimum",
            "payoff_opt": "payoff",
            "action_worst_ne": "worst NE",
            "payoff_worst_ne": "payoff NE",
            "leaves_to": "leaves to",
            "welfare_loss": "welfare lost",
            "own_gain": "own gain",
        }
    ).drop(columns=["payoff_best_ne"], errors="ignore")
    print("", file=out)
    say(
        f"Per jurisdiction: the {min(SHOWN_ROWS, len(frame))} of {len(frame)} whose leaving "
        "the optimum alone costs the region most ('welfare lost'; 'own gain' > 0: it is "
        "tempted to leave). All of them: --out x.csv or x.json.",
        out,
    )
    print_table(view, out, digits=4, max_rows=SHOWN_ROWS)
    return frame


def _cooperative(args, scenario, out, frame) -> dict:
    from ..coalitions.scale import compare_rules_scale

    kw = given(args, "outsiders")
    if getattr(args, "permutations", None) is not None:
        kw["permutations"] = integer(args.permutations, "--permutations", lo=1)
    if getattr(args, "seed", None) is not None:
        kw["seed"] = integer(args.seed, "--seed", lo=0)
    table = compare_rules_scale(scenario, **kw)
    a = table.attrs
    sh = table.loc["shapley"]
    print("", file=out)
    n_ex = int((sh["value_kind"] == "exact").sum())
    n_sa = int((sh["value_kind"] == "sampled").sum())
    n_na = int((sh["value_kind"] == "not available").sum())
    say(
        f"Cooperative values (outsiders = {a['outsiders']}): Shapley value exact for {n_ex} "
        f"jurisdictions (interaction groups of at most 12), sampled for {n_sa} "
        f"({a['permutations']} random orders per group, in antithetic pairs)"
        + (f", not available for {n_na}" if n_na else ""),
        out,
    )
    for note in a.get("notes", ()):
        say(f"  note: {escape(note)}", out)
    if n_sa:
        se = sh["std_error"][sh["value_kind"] == "sampled"]
        say(
            f"  standard errors: median {num(float(se.median()))}, largest "
            f"{num(float(se.max()))} {scenario.unit} (more orders: --permutations)",
            out,
        )
    rows = []
    for rule in dict.fromkeys(table.index.get_level_values("rule")):
        r = table.loc[rule]
        if r["payoff"].isna().all():
            say(f"  {rule}: {escape(r['note'].iloc[0])}", out)
            continue
        verdict = r["in_core"].iloc[0]
        rows.append(
            {
                "rule": rule,
                "money moved": float(np.abs(r["transfer"]).sum() / 2),
                "worse off than alone": int(
                    (r["gain"] < -RTOL * max(1.0, float(np.abs(r["payoff"]).max()))).sum()
                ),
                "in core": "not established"
                if verdict is None or (isinstance(verdict, float) and np.isnan(verdict))
                else "yes"
                if verdict
                else "no",
                "max excess": float(r["max_excess"].iloc[0]),
                "excess is": r["excess_kind"].iloc[0],
            }
        )
    print("", file=out)
    say(
        f"Responsibility rules (programme bill {num(a['programme_cost'])} {scenario.unit}; "
        "in core 'no': a blocking coalition was found, a proof; 'not established': none among "
        "the sampled coalitions, which proves nothing; max excess is exact or a lower bound). "
        "Per jurisdiction: --out x.json.",
        out,
    )
    print_table(pd.DataFrame(rows).set_index("rule"), out, digits=4)
    frame["shapley"] = sh["payoff"].to_numpy()
    frame["shapley_std_error"] = sh["std_error"].to_numpy()
    return {
        "cooperative": {
            "outsiders": a["outsiders"],
            "answer": a["answer"],
            "permutations": a["permutations"],
            "shapley": sh["payoff"],
            "std_error": sh["std_error"],
        },
        "responsibility_rules": table.reset_index().drop(columns=["blocking"]),
    }


def run_analyze(args, scenario, ext, out) -> int:
    """``cooperation analyze`` on a scenario beyond the tensor limit."""
    from ..equilibria.scale import analyze_scale

    res = analyze_scale(scenario)
    _head(args, scenario, res, out)
    _headline(scenario, res, out)
    frame = _per_jurisdiction(res, out)
    extra = _cooperative(args, scenario, out, frame)
    if args.out:
        names = np.asarray(scenario.action_names, dtype=object)

        def sol(x):
            return {
                "profile": None if x.profile is None else list(names[x.profile]),
                "welfare": x.value,
                "kind": x.kind,
                "gap": x.gap,
                "message": x.message,
            }

        data = {
            "scenario": scenario.name,
            "source": str(args.scenario),
            "unit": scenario.unit,
            "players": list(scenario.players),
            "actions": list(scenario.action_names),
            "answer": res.answer,
            "optimum": sol(res.optimum),
            "worst_equilibrium": sol(res.worst_equilibrium),
            "best_equilibrium": sol(res.best_equilibrium),
            "equilibria_complete": res.equilibria_complete,
            "cooperation_surplus": res.cooperation_surplus,
            "surplus_gap": res.surplus_gap,
            "price_of_anarchy": res.price_of_anarchy,
            "price_of_stability": res.price_of_stability,
            "poa_note": res.poa_note,
            "per_jurisdiction": frame,
            **extra,
        }
        write_result(args.out, ext, data, frame, out)
    return 0
