"""``python -m paper [--quick] [--out DIR]``: rebuild every table and figure of the paper."""

from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m paper", description=(
        "Rebuild every table (CSV + Markdown) and figure (PNG) of the paper from data/ with "
        "fixed seeds."))
    ap.add_argument("--quick", action="store_true",
                    help="same pipeline with small sizes (for the tests, ~seconds)")
    ap.add_argument("--out", default=None,
                    help="output folder (default: paper/, which also refreshes the results "
                         "section of paper.md)")
    args = ap.parse_args(argv)
    from .build import PAPER, build

    build(args.out or PAPER, quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
