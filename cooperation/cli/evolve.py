"""``cooperation evolve``: rest points of the replicator dynamics and their stability.

``SCENARIO`` is either a scenario file (each jurisdiction a population) or an
evolutionary-game file with a payoff table in named parameters (see
``data/xinan/evolutionary.toml``); for the latter the stability conditions
are printed in the parameters' own names. Only flags the user typed reach the
library: every default lives in :func:`cooperation.evolutionary_stability`.
"""

from __future__ import annotations

import argparse

from ..errors import InputError
from ._common import (
    add_allow_outside,
    check_out,
    default_of,
    given,
    number,
    print_table,
    write_result,
)
from ._wrap import renamed, say

__all__ = ["register", "run", "load_game"]


def register(sub) -> None:
    p = sub.add_parser("evolve", help="evolutionary game: rest points, stability, ESS conditions")
    p.add_argument(
        "scenario",
        help="scenario TOML file, or an evolutionary-game TOML file "
        "(players, actions, [[payoffs]], [values])",
    )
    p.add_argument(
        "--set",
        action="append",
        default=argparse.SUPPRESS,
        metavar="NAME=VALUE",
        help="change a parameter of a payoff table (repeatable), e.g. --set S=2",
    )
    from ..evolutionary import evolutionary_stability as es

    p.add_argument(
        "--method",
        choices=["auto", "exact", "numeric"],
        default=argparse.SUPPRESS,
        help=f"how rest points are solved (default {default_of(es, 'method')})",
    )
    p.add_argument(
        "--tol",
        default=argparse.SUPPRESS,
        help="eigenvalue tolerance relative to the payoff range, in [0, 0.5] "
        f"(default {default_of(es, 'tol')})",
    )
    p.add_argument("--latex", default=None, help="write the stability table as LaTeX (.tex)")
    p.add_argument("--out", help="write results: .json (everything) or .csv (rest points)")
    add_allow_outside(p)
    p.set_defaults(func=run)


def load_game(path: str, settings=(), allow_outside: bool | None = None):
    """The EvolutionaryGame of a file (scenario or payoff table) with ``--set`` applied."""
    from ..evolutionary import EvolutionaryGame
    from ..evolutionary.io import is_evolutionary_file, load_evolutionary
    from ..scenario import load_scenario

    if is_evolutionary_file(path):
        eg = load_evolutionary(path)
    else:
        kw = {"allow_outside": True} if allow_outside else {}
        eg = EvolutionaryGame.from_scenario(load_scenario(path, **kw))
    if settings:
        vals = {}
        for s in settings:
            if "=" not in s:
                raise InputError("must be NAME=VALUE", field="--set", value=s)
            k, v = s.split("=", 1)
            vals[k.strip()] = number(v, f"--set {k.strip()}")
        if not eg.is_symbolic:
            raise InputError(
                "only a payoff table with named parameters has parameters",
                field="--set",
                value=list(settings),
            )
        with renamed({f"values[{k!r}]": f"--set {k}" for k in vals}):
            eg = eg.with_values(**vals)
        _check_spread(eg.values, vals)
    return eg


#: parameter values at most this many times apart (double precision keeps ~16 digits)
SPREAD_MAX = 1e12


def _check_spread(values: dict, typed: dict) -> None:
    """A typed value more than SPREAD_MAX times the largest other parameter would make
    them vanish in the round-off of the payoffs: refused, naming it."""
    mags = {k: abs(float(v)) for k, v in values.items() if v}
    if len(mags) < 2:
        return
    for k in typed:
        x = mags.get(k)
        rest = [m for j, m in mags.items() if j != k]
        if x and x > SPREAD_MAX * max(rest):
            raise InputError(
                f"is more than {SPREAD_MAX:.0e} times the other parameters (at most "
                f"{max(rest):.3g}): the payoffs would lose them in the round-off",
                field=f"--set {k}",
                value=typed[k],
                fix="give every parameter in the same money unit",
            )


# what the stability classes and flags mean (printed under the table)
LEGEND = (
    "asymptotically stable: every "
    "eigenvalue's real part < 0 (an ESS of the replicator dynamics); saddle: some < 0, "
    "some > 0; unstable: all > 0; non-hyperbolic: a real part within tol x the payoff "
    "range of 0, so the linearisation cannot decide; strict_nash: every population's "
    "action is its unique best reply"
)
COMPLETE = {
    True: "every rest point found and certified (exact solve)",
    False: "some support systems could not be solved: rest points may be missing",
    None: "not established (a numerical search certifies nothing)",
}


def _show(out, eg, st, source: str) -> None:
    unit = eg.unit or "payoff units"
    say(out, f"Evolutionary game: {eg.name or source}  (money in {unit})")
    for p, acts in zip(eg.players, eg.actions, strict=True):
        say(out, f"population {p}: {', '.join(acts)}", indent="  ")
    if eg.is_symbolic:
        say(out, "values: " + ", ".join(f"{k}={v:g}" for k, v in eg.values.items()), indent="  ")
    firsts = ", ".join(f"{p}[{a[0]}]" for p, a in zip(eg.players, eg.actions, strict=True))
    say(
        out,
        f"\nRest points ({len(st.rest_points)}; method {st.method}; complete={st.complete}: "
        f"{COMPLETE[st.complete]}); label = share of the first action ({firsts}):",
    )
    print_table(st.to_frame()[["kind", "eigenvalues", "stability", "strict_nash"]], out)
    say(out, LEGEND)
    stable = st.stable["label"].tolist()
    say(
        out,
        "\nAsymptotically stable (evolutionarily stable strategies): "
        f"{', '.join(stable) if stable else 'none'}",
    )
    for note in st.notes:
        say(out, f"note: {note}")
    if st.conditions is not None:
        say(
            out,
            "\nStability conditions of the corners (every eigenvalue < 0), and whether "
            "each holds at the values:",
        )
        for lab, r in st.conditions.iterrows():
            held = "holds" if r["holds"] else "fails"
            say(out, f"[{held}] {lab} {', '.join(r['profile'])}: {r['condition']}", indent="  ")


def _data(eg, st, source: str) -> dict:
    data = {
        "game": eg.name,
        "source": source,
        "unit": eg.unit,
        "players": list(eg.players),
        "actions": [list(a) for a in eg.actions],
        "values": eg.values,
        "complete": st.complete,
        "method": st.method,
        "tolerance": st.tolerance,
        "notes": list(st.notes),
        "rest_points": [
            {
                "label": r["label"],
                "point": [list(p) for p in r["point"]],
                "kind": r["kind"],
                "stability": r["stability"],
                "eigenvalues": [[z.real, z.imag] for z in r["eigenvalues"]],
                "strict_nash": bool(r["strict_nash"]),
                "description": r["description"],
            }
            for _, r in st.rest_points.iterrows()
        ],
    }
    if st.conditions is not None:
        data["conditions"] = [
            {
                "point": lab,
                "profile": list(r["profile"]),
                "eigenvalues": list(r["eigenvalues_text"]),
                "condition": r["condition"],
                "holds": bool(r["holds"]),
            }
            for lab, r in st.conditions.iterrows()
        ]
    return data


def run(args, out) -> int:
    from ..evolutionary import evolutionary_stability

    ext = check_out(args.out)
    check_out(args.latex, "--latex", (".tex",))
    kw = {}
    if hasattr(args, "method"):
        kw["method"] = args.method
    if hasattr(args, "tol"):
        kw["tol"] = number(args.tol, "--tol", lo=0.0, hi=0.5)
    eg = load_game(args.scenario, getattr(args, "set", ()), **given(args, "allow_outside"))
    with renamed({"method": "--method", "tol": "--tol"}):
        st = evolutionary_stability(eg, **kw)
    _show(out, eg, st, args.scenario)
    if args.latex:
        st.to_latex(args.latex)
        print(f"\nwrote {args.latex}", file=out)
    if ext:
        write_result(args.out, ext, _data(eg, st, str(args.scenario)), st.to_frame(), out)
    return 0
