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
from ._common import add_allow_outside, check_out, given, number, print_table, write_result

__all__ = ["register", "run", "load_game"]


def register(sub) -> None:
    p = sub.add_parser("evolve", help="evolutionary game: rest points, stability, ESS conditions")
    p.add_argument("scenario", help="scenario TOML file, or an evolutionary-game TOML file "
                                    "(players, actions, [[payoffs]], [values])")
    p.add_argument("--set", action="append", default=argparse.SUPPRESS, metavar="NAME=VALUE",
                   help="change a parameter of a payoff table (repeatable), e.g. --set S=2")
    p.add_argument("--method", choices=["auto", "exact", "numeric"], default=argparse.SUPPRESS,
                   help="how rest points are solved (library default: auto)")
    p.add_argument("--tol", default=argparse.SUPPRESS,
                   help="relative eigenvalue tolerance (library default 1e-7)")
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
            raise InputError("only a payoff table with named parameters has parameters",
                             field="--set", value=list(settings))
        eg = eg.with_values(**vals)
    return eg


def run(args, out) -> int:
    from ..evolutionary import evolutionary_stability

    ext = check_out(args.out)
    if args.latex is not None and not args.latex.lower().endswith(".tex"):
        raise InputError("must end in .tex", field="--latex", value=args.latex)
    eg = load_game(args.scenario, getattr(args, "set", ()), **given(args, "allow_outside"))
    kw = {}
    if hasattr(args, "method"):
        kw["method"] = args.method
    if hasattr(args, "tol"):
        kw["tol"] = number(args.tol, "--tol", lo=0.0, hi=0.5)
    st = evolutionary_stability(eg, **kw)
    unit = eg.unit or "payoff units"
    print(f"Evolutionary game: {eg.name or args.scenario}  (money in {unit})", file=out)
    for p, acts in zip(eg.players, eg.actions, strict=True):
        print(f"  population {p}: {', '.join(acts)}", file=out)
    if eg.is_symbolic:
        print("  values: " + ", ".join(f"{k}={v:g}" for k, v in eg.values.items()), file=out)
    print("", file=out)
    print(f"Rest points ({len(st.rest_points)}; complete={st.complete}; method {st.method}); "
          "label = share of each population's first action ("
          + ", ".join(f"{p}[{a[0]}]" for p, a in zip(eg.players, eg.actions, strict=True))
          + "):", file=out)
    print_table(st.to_frame()[["kind", "eigenvalues", "stability", "strict_nash"]], out)
    stable = st.stable["label"].tolist()
    print(f"\nAsymptotically stable (evolutionarily stable strategies): "
          f"{', '.join(stable) if stable else 'none'}", file=out)
    for note in st.notes:
        print(f"note: {note}", file=out)
    if st.conditions is not None:
        print("\nStability conditions of the corners (every eigenvalue < 0):", file=out)
        print_table(st.conditions[["profile", "condition", "holds"]], out)
    if args.latex:
        st.to_latex(args.latex)
        print(f"\nwrote {args.latex}", file=out)
    if ext:
        frame = st.to_frame()
        data = {"game": eg.name, "source": str(args.scenario), "unit": eg.unit,
                "players": list(eg.players), "actions": [list(a) for a in eg.actions],
                "values": eg.values, "complete": st.complete, "method": st.method,
                "tolerance": st.tolerance, "notes": list(st.notes),
                "rest_points": [
                    {"label": r["label"], "point": [list(p) for p in r["point"]],
                     "kind": r["kind"], "stability": r["stability"],
                     "eigenvalues": [[z.real, z.imag] for z in r["eigenvalues"]],
                     "strict_nash": bool(r["strict_nash"]), "description": r["description"]}
                    for _, r in st.rest_points.iterrows()]}
        if st.conditions is not None:
            data["conditions"] = [
                {"point": lab, "profile": list(r["profile"]),
                 "eigenvalues": list(r["eigenvalues_text"]), "condition": r["condition"],
                 "holds": bool(r["holds"])} for lab, r in st.conditions.iterrows()]
        write_result(args.out, ext, data, frame, out)
    return 0
