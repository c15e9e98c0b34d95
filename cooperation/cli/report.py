"""``cooperation report``: a one-page brief of a scenario, as HTML or a workbook.

``cooperation report SCENARIO --out brief.html --lang zh`` writes the page
(:func:`cooperation.brief`): self-contained HTML, figures embedded, printable
to PDF from a browser. ``--format xlsx`` writes the brief's tables as an
Excel workbook (one sheet per table, units in the headers); ``--format csv``
writes them as CSV files in a folder, ``--bom`` with a byte-order mark for
Excel in zh-CN. Only the flags typed are passed on: every default lives in
:func:`cooperation.brief`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ._common import add_allow_outside, integer, load_scenario_arg, number

__all__ = ["register", "run", "FORMATS"]

#: output format -> file suffix
FORMATS = {"html": ".html", "xlsx": ".xlsx", "csv": ".csv"}


def register(sub) -> None:
    p = sub.add_parser("report", help="a one-page brief of a scenario (HTML, or an Excel "
                       "workbook of its tables), in English or Chinese")
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--out", help="output file (default: brief.html, brief.xlsx, or the folder "
                   "brief/ for --format csv)")
    p.add_argument("--format", choices=list(FORMATS), default=None,
                   help="html (default, or from the suffix of --out), xlsx, or csv (a folder "
                        "of tables)")
    p.add_argument("--lang", choices=["en", "zh"], default=None,
                   help="language of the brief (default en)")
    p.add_argument("--bom", action="store_true", help="CSV: UTF-8 with a byte-order mark "
                   "(Excel in a zh-CN locale)")
    p.add_argument("--seed", default=None, help="seed of every simulated number (default 0)")
    p.add_argument("--spread", default=None, help="sensitivity range, a relative change "
                   "(default 0.2: ±20%%)")
    fund = p.add_mutually_exclusive_group()
    fund.add_argument("--fund", dest="fund", action="store_true", default=None,
                      help="assess the emergency fund even without fiscal capacities")
    fund.add_argument("--no-fund", dest="fund", action="store_false")
    p.add_argument("--no-sensitivity", dest="sensitivity", action="store_false", default=None,
                   help="leave out the sensitivity section (faster)")
    add_allow_outside(p)
    p.set_defaults(func=run)


def _target(args) -> tuple[str, str]:
    fmt = args.format
    if args.out is not None:
        ext = Path(args.out).suffix.lower()
        by_ext = {v: k for k, v in FORMATS.items()}
        if fmt is None:
            if ext not in by_ext:
                raise InputError("must end in .html, .xlsx or .csv (or give --format)",
                                 field="--out", value=args.out)
            fmt = by_ext[ext]
        elif fmt != "csv" and ext != FORMATS[fmt]:
            raise InputError(f"--format {fmt} writes a {FORMATS[fmt]} file", field="--out",
                             value=args.out)
        path = args.out
    else:
        fmt = fmt or "html"
        path = "brief" + FORMATS[fmt]
    if args.bom and fmt != "csv":
        raise InputError("a byte-order mark is for CSV output only (--format csv)",
                         field="--bom", value=True)
    if fmt == "csv" and Path(path).suffix.lower() != ".csv":
        path = str(Path(path).with_suffix(".csv"))
    return fmt, path


def run(args, out) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from ..report import brief

    fmt, path = _target(args)
    kwargs = {}
    if args.lang is not None:
        kwargs["lang"] = args.lang
    if args.seed is not None:
        kwargs["seed"] = integer(args.seed, "--seed", lo=0)
    if args.spread is not None:
        kwargs["spread"] = number(args.spread, "--spread", 0, 1)
    if args.fund is not None:
        kwargs["fund"] = args.fund
    if args.sensitivity is not None:
        kwargs["sensitivity"] = args.sensitivity
    scenario = load_scenario_arg(args)
    b = brief(scenario, **kwargs)
    written = b.save(path, bom=args.bom)
    print(f"{b.title}", file=out)
    for s in b.sections:
        print(f"  {s.heading}", file=out)
    print(f"\nwrote {written}{'/' if fmt == 'csv' else ''}", file=out)
    return 0
