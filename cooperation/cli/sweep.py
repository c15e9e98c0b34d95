"""``cooperation sweep``: a parameter sweep (phase diagram) from a TOML spec."""

from __future__ import annotations

import sys

from ._common import print_table

__all__ = ["register", "run"]


def register(sub) -> None:
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
    sw.set_defaults(func=run)


def run(args, out) -> int:
    from ..sweeps.spec import load_spec, run_spec

    spec = load_spec(args.spec)
    progress = args.progress or ("bar" if sys.stderr.isatty() else "log")
    df, seconds = run_spec(spec, args.out, scheduler=args.scheduler, serial=args.serial,
                           workers=args.workers, checkpoint=args.checkpoint,
                           progress=progress)
    meta = df.attrs.get("sweep", {})
    print(f"Sweep {meta.get('func')}: {len(df)} cells, parameters "
          f"{', '.join(meta.get('parameters', []))}; outcomes "
          f"{', '.join(meta.get('outcomes', []))} ({seconds:.1f} s)", file=out)
    print_table(df.head(10), out)
    if len(df) > 10:
        print(f"... {len(df) - 10} more rows", file=out)
    print(f"\nwrote {args.out}", file=out)
    return 0
