"""``cooperation sweep``: a parameter sweep (phase diagram) from a spec or a scenario.

Two ways in::

    cooperation sweep data/chishui/sweep.toml --out results.csv
    cooperation sweep data/chishui/scenario.toml --vary monitoring.audit_prob=0:1:11 \\
        --vary monitoring.fine=0.5,1,2 --measure cooperation_rate --out table.csv \\
        --plot phase.png

``--vary PATH=VALUES`` takes ``a:b:n`` (``numpy.linspace(a, b, n)``),
``a:b:n:log`` or a comma list; ``--set PATH=VALUE`` fixes a setting for every
cell. The output and figure paths are checked before the first cell, and the
table is written before the figure is drawn. Only the flags typed are passed
on; every default lives in :mod:`cooperation.sweeps`.
"""

from __future__ import annotations

import sys

from ..errors import CooperationError, InputError
from ._common import check_out, integer, number, print_table, save_figure

__all__ = ["register", "run"]


def register(sub) -> None:
    sw = sub.add_parser("sweep", help="run a parameter sweep (phase diagram) from a TOML spec "
                        "or straight from a scenario with --vary")
    sw.add_argument("spec", help="sweep spec TOML (function = 'module:function' or scenario = "
                    "'scenario.toml', with [grid]), or a scenario TOML with --vary")
    sw.add_argument("--out", required=True, help="results table: .parquet or .csv")
    sw.add_argument("--vary", action="append", metavar="PATH=VALUES",
                    help="vary a setting: a:b:n (n points from a to b), a:b:n:log or x,y,z; "
                         "paths monitoring.KEY, simulation.KEY, transfers.JURISDICTION, "
                         "scenario.KEY... (repeatable; a function spec: a parameter name)")
    sw.add_argument("--set", action="append", metavar="PATH=VALUE",
                    help="fix a setting for every cell, e.g. simulation.runs=200 (repeatable)")
    sw.add_argument("--measure", action="append", metavar="NAME",
                    help="what to measure in each cell's simulation result, e.g. "
                         "cooperation_rate, collapse_share, fines_per_run (repeatable or "
                         "comma list; default cooperation_rate)")
    sw.add_argument("--seed", help="root seed of the cells (overrides the spec's)")
    sw.add_argument("--plot", metavar="FIGURE", help="save the phase diagram (.png, .pdf, .svg)")
    sw.add_argument("--level", help="with --plot: draw where the measure reaches this level")
    sw.add_argument("--scheduler", metavar="ADDRESS",
                    help="run on this Dask scheduler (e.g. tcp://10.0.0.5:8786)")
    sw.add_argument("--serial", action="store_true", help="run in this process only")
    sw.add_argument("--workers", help="local worker processes (default: all cores)")
    sw.add_argument("--checkpoint", help="resume file (overrides the spec's checkpoint)")
    sw.add_argument("--progress", choices=["bar", "log", "none"],
                    help="progress display (default: bar on a terminal, else log lines)")
    sw.set_defaults(func=run)


def _assignments(items: list[str] | None, flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        path, sep, value = item.partition("=")
        if not sep or not path.strip():
            raise InputError("must be PATH=VALUE, e.g. monitoring.fine=0.5,1,2", field=flag,
                             value=item)
        out[path.strip()] = value
    return out


def run(args, out) -> int:
    from .._io import check_writable
    from ..sweeps._toml import parse_value, parse_values
    from ..sweeps.grid import MAX_CELLS
    from ..sweeps.output import check_table_path
    from ..sweeps.spec import load_spec, run_spec

    check_table_path(args.out, "--out")
    pext = check_out(args.plot, "--plot", (".png", ".pdf", ".svg"))
    if args.plot:
        check_writable(args.plot, "--plot")
    if args.level is not None and not args.plot:
        raise InputError("--level draws on the figure: give --plot too", field="--level",
                         value=args.level)
    level = None if args.level is None else number(args.level, "--level")
    vary = {p: parse_values(v, f"--vary {p}", max_num=MAX_CELLS)
            for p, v in _assignments(args.vary, "--vary").items()}
    fixed = {p: parse_value(v) for p, v in _assignments(args.set, "--set").items()}
    measure = None
    if args.measure:
        measure = [m.strip() for item in args.measure for m in item.split(",") if m.strip()]
    overrides = {"vary": vary, "fixed": fixed}
    if measure is not None:
        overrides["measure"] = measure
    if args.seed is not None:
        overrides["seed"] = integer(args.seed, "--seed", lo=0)
    workers = None if args.workers is None else integer(args.workers, "--workers", lo=1)
    spec = load_spec(args.spec, **overrides)
    progress = args.progress or ("bar" if sys.stderr.isatty() else "log")
    df, seconds = run_spec(spec, args.out, scheduler=args.scheduler, serial=args.serial,
                           workers=workers, checkpoint=args.checkpoint, progress=progress)
    # the table is written; the figure next; printing (which a closed pipe can end) last
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        from ..report.sweep_figure import sweep_figure

        kwargs = {} if level is None else {"level": level}
        try:
            fig, _ = sweep_figure(df, **kwargs)
            save_figure(fig, args.plot, pext)
        except CooperationError as exc:
            raise InputError(f"{exc.rule}; the table was written to {args.out}",
                             field="--plot", value=args.plot, fix=exc.fix) from exc
    meta = df.attrs.get("sweep", {})
    print(f"Sweep {spec.name or meta.get('func')}: {len(df)} cells, parameters "
          f"{', '.join(meta.get('parameters', []))}; outcomes "
          f"{', '.join(meta.get('outcomes', []))} ({seconds:.1f} s)", file=out)
    head = df.head(10)
    print_table(head.astype({"seed": str}) if "seed" in head else head, out)
    if len(df) > 10:
        print(f"... {len(df) - 10} more rows", file=out)
    print(f"\nwrote {args.out}", file=out)
    if args.plot:
        print(f"wrote {args.plot}", file=out)
    return 0
