"""``cooperation sensitivity``: a tornado table of the least subsidy, the cost of going
alone and the cooperation rate, each parameter moved one at a time (default ±20%).

Prints the parameters with the largest swing per answer; ``--out`` writes the
tidy table (``.csv``) or everything (``.json``), ``--plot`` the tornado chart
of one answer (``--outcome``). Only the flags typed are passed on: every
default lives in :func:`cooperation.sensitivity`.
"""

from __future__ import annotations

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
    from ..analysis import OUTCOMES

    p = sub.add_parser("sensitivity", help="one-at-a-time sensitivity (tornado) of the least "
                       "subsidy, the cost of going alone and the cooperation rate")
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--spread", default=None, help="relative change of each parameter "
                   "(default 0.2: ±20%%)")
    p.add_argument("--only", default=None, help="comma list of parameters to vary (names as "
                   "printed, e.g. 'Anhui: cost[cooperate]')")
    p.add_argument("--runs", default=None, help="repeated-play runs per point (default 100)")
    p.add_argument("--rounds", default=None, help="rounds per run (default 20)")
    p.add_argument("--seed", default=None, help="random seed (default 0)")
    p.add_argument("--top", default="5", help="rows printed per answer (default 5)")
    p.add_argument("--outcome", choices=list(OUTCOMES), default=None,
                   help="the answer drawn by --plot (default least_subsidy)")
    p.add_argument("--lang", choices=["en", "zh"], default=None,
                   help="language of the figure (default en)")
    p.add_argument("--out", help="write the table: .csv (tidy) or .json")
    p.add_argument("--plot", metavar="FIGURE", help="save the tornado chart (.png, .pdf, .svg)")
    add_allow_outside(p)
    p.set_defaults(func=run)


def run(args, out) -> int:
    from ..analysis import OUTCOMES, sensitivity

    ext = check_out(args.out)
    pext = check_out(args.plot, "--plot", (".png", ".pdf", ".svg"))
    kwargs = {}
    if args.spread is not None:
        kwargs["spread"] = number(args.spread, "--spread", 0, 1)
    for name in ("runs", "rounds", "seed"):
        if getattr(args, name) is not None:
            kwargs[name] = integer(getattr(args, name), f"--{name}", lo=0 if name == "seed"
                                   else 1)
    if args.only is not None:
        kwargs["only"] = [x.strip() for x in args.only.split(",") if x.strip()]
    top = integer(args.top, "--top", lo=1)
    scenario = load_scenario_arg(args)
    table = sensitivity(scenario, **kwargs)
    a = table.attrs
    print(f"Scenario: {scenario.name or args.scenario}  (money in {scenario.unit})", file=out)
    print(f"Each parameter at its base value x (1 - {a['spread']:g}) and x (1 + {a['spread']:g}), "
          f"the others at base; cooperation rate: {a['runs']} runs x {a['rounds']} rounds, "
          f"noise {a['noise']:g}, audits q={a['audit_prob']:g}, accuracy {a['accuracy']:g}, "
          f"fine {a['fine']:.6g} (deters at the base case), seed {a['seed']}", file=out)
    cols = ["parameter", "base_value", "low_value", "high_value", "low", "high", "swing"]
    for o in OUTCOMES:
        t = table[table["outcome"] == o]
        if len(t):
            print(f"\n{o} (base {t['base'].iloc[0]:.6g}):", file=out)
            print_table(t[cols].head(top).set_index("parameter"), out)
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        from ..report import plot_tornado

        kw = {"lang": args.lang} if args.lang is not None else {}
        fig, _ = plot_tornado(table, args.outcome or "least_subsidy", **kw)
        save_figure(fig, args.plot, pext)
        print(f"\nwrote {args.plot}", file=out)
    if args.out:
        write_result(args.out, ext, {"scenario": scenario.name, "source": str(args.scenario),
                                     "settings": dict(a), "table": table}, table, out)
    return 0
