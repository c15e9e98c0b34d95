"""Rebuild every table and figure of the paper from data/ with fixed seeds.

``build(out, quick)`` writes ``out/tables/<name>.csv`` and ``<name>.md`` (the
Markdown rendering), ``out/figures/<name>.png``, and ``out/tables/results.md``: the
results section, generated from the tables. When ``out`` is the ``paper/``
folder itself, the results section of ``paper.md`` (between the
``<!-- results:begin -->`` and ``<!-- results:end -->`` markers) is replaced by
it, so the text always quotes the numbers of the tables. Every file is written
atomically (``cooperation._io``).
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cooperation._io import atomic_write, atomic_write_text

from . import analyses as A
from . import figures as F
from .results import render_results

PAPER = Path(__file__).resolve().parent
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"
DECIMALS = 6


def tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Round floats to ``DECIMALS`` places (solver round-off of 1e-16 becomes 0)."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            v = out[c].to_numpy().round(DECIMALS)
            out[c] = np.where(v == 0.0, 0.0, v)
    return out


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (numbers as in the CSV)."""
    def cell(v) -> str:
        if isinstance(v, float | np.floating):
            return f"{v:.6g}"
        return str(v).replace("|", "\\|")

    head = "| " + " | ".join(map(str, df.columns)) + " |"
    sep = "|" + "|".join("---" for _ in df.columns) + "|"
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, sep, *body]) + "\n"


def write_table(df: pd.DataFrame, folder: Path, name: str) -> list[Path]:
    df = tidy(df)
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return [atomic_write_text(folder / f"{name}.csv", buf.getvalue()),
            atomic_write_text(folder / f"{name}.md", markdown_table(df))]


def write_figure(fig, folder: Path, name: str) -> Path:
    import matplotlib.pyplot as plt

    path = atomic_write(folder / f"{name}.png",
                        lambda tmp: fig.savefig(tmp, format="png", dpi=200,
                                                metadata={"Software": None}))
    plt.close(fig)
    return path


def compute(quick: bool = False) -> tuple[dict[str, pd.DataFrame], dict]:
    """All tables (name -> DataFrame) and the objects the figures need."""
    sizes = A.QUICK if quick else A.FULL
    tables: dict[str, pd.DataFrame] = {}
    extra: dict = {}
    tables["going_alone"] = A.going_alone()
    tables["fair_shares"] = A.fair_shares()
    tables["compensation_summary"], tables["compensation_transfers"] = A.compensation()
    tables["compensation_payments"] = A.compensation_payments()
    (tables["xinan_stakes"], tables["xinan_range"],
     tables["xinan_stake_grid"]) = A.xinan_bargaining(sizes)
    tables["riskpool_fund_summary"], tables["riskpool_fund_members"] = A.riskpool_fund(sizes)
    tables["monitoring"], extra["comparisons"] = A.monitoring(sizes)
    tables["audit_sweep"], extra["sweep_meta"] = A.audit_sweep(sizes)
    return tables, extra


def build(out: str | Path = PAPER, quick: bool = False, log=print) -> dict[str, list[Path]]:
    """Compute every table, draw every figure, write them under ``out``."""
    import matplotlib

    matplotlib.use("Agg")
    out = Path(out)
    t0 = time.perf_counter()
    tables, extra = compute(quick)
    log(f"computed {len(tables)} tables in {time.perf_counter() - t0:.1f} s "
        f"({'quick' if quick else 'full'} sizes)")
    written: dict[str, list[Path]] = {"tables": [], "figures": [], "text": []}
    for name, df in tables.items():
        written["tables"] += write_table(df, out / "tables", name)
    # the figures read the tidied tables, as a reader of the CSVs would
    T = {k: tidy(v) for k, v in tables.items()}
    figs = {
        "going_alone": F.going_alone(T["going_alone"]),
        "fair_shares": F.fair_shares(T["fair_shares"]),
        "compensation_jingjinji": F.compensation(T["compensation_payments"],
                                                 T["compensation_summary"]),
        "xinan_bargaining": F.xinan_bargaining(T["xinan_stake_grid"], T["xinan_range"],
                                               T["xinan_stakes"]),
        "riskpool_fund": F.riskpool_fund(T["riskpool_fund_members"],
                                         T["riskpool_fund_summary"]),
        "monitoring": F.monitoring(extra["comparisons"]),
        "phase_diagram": F.phase(T["audit_sweep"], extra["sweep_meta"]),
    }
    for name, fig in figs.items():
        written["figures"].append(write_figure(fig, out / "figures", name))
    text = render_results(T)
    written["text"].append(atomic_write_text(out / "tables" / "results.md", text))
    if out.resolve() == PAPER:
        paper = PAPER / "paper.md"
        doc = paper.read_text(encoding="utf-8")
        if BEGIN in doc and END in doc:
            head, rest = doc.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            written["text"].append(atomic_write_text(paper, head + BEGIN + "\n" + text + END
                                                     + tail))
    log(f"wrote {len(written['tables'])} table files, {len(written['figures'])} figures "
        f"under {out} in {time.perf_counter() - t0:.1f} s")
    return written
