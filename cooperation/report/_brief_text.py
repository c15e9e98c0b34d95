"""Pieces the brief's modules share: the section type, number formats, which parameters
are illustrative, sentences that list jurisdictions (:mod:`cooperation.report.brief`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .i18n import action_label, place, tr, unit_label

__all__ = ["HOLD_LEVEL", "HOLD_COLLAPSE", "Section", "illustrative_note", "actions_text",
           "by_name"]

#: cooperation "holds" when at least this share of jurisdiction-years cooperate ...
HOLD_LEVEL = 0.9
#: ... and at most this share of runs collapse
HOLD_COLLAPSE = 0.1


@dataclass(frozen=True)
class Section:
    """One section of a brief: heading, sentences, what they rest on, a table, a figure."""

    key: str
    heading: str
    sentences: tuple[str, ...]
    rests_on: str = ""
    table: pd.DataFrame | None = None
    figure: bytes | None = None        # PNG
    figure_alt: str = ""


# ---------------------------------------------------------------- formatting
def _num(x: float) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    x = x + 0.0            # no "-0"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def _pct(x: float) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{x:.0%}"


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _head(col: str, unit: str, lang: str) -> str:
    """A column header with its unit: ``"transfer [CNY 100M/yr]"``."""
    return f"{tr(col, lang)} [{unit_label(unit, lang)}]" if unit else tr(col, lang)


def illustrative_note(scenario) -> str | None:
    """Which parameters the scenario marks illustrative: ``sources["illustrative"]``, or
    the first paragraph under an "Illustrative" heading of the ``SOURCES.md`` beside the
    scenario file; None when neither says.

    Examples
    --------
    >>> import cooperation as co
    >>> illustrative_note(co.load_scenario("data/chishui/scenario.toml"))[:28]
    'every probability, damage, c'
    """
    text = scenario.sources.get("illustrative")
    if isinstance(text, str) and text.strip():
        return text.strip().rstrip(".")
    if scenario.source:
        md = Path(scenario.source).with_name("SOURCES.md")
        if md.is_file():
            lines = md.read_text(encoding="utf-8").splitlines()
            for k, line in enumerate(lines):
                if line.startswith("#") and "illustrative" in line.lower():
                    para = []
                    for nxt in lines[k + 1:]:
                        if nxt.startswith("#") or (not nxt.strip() and para):
                            break
                        if nxt.strip():
                            para.append(nxt.strip())
                    if para:
                        text = " ".join(para).replace("**", "").replace("`", "")
                        if text.endswith(":") and ". " in text:   # "... In particular:"
                            text = text[:text.rindex(". ") + 1]
                        return text.rstrip(".")
    return None


def _png(fig, dpi: int = 150) -> bytes:
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.03,
                metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def actions_text(players, labels, lang: str) -> str:
    """``"Anhui: self only; Zhejiang: cooperate"`` (names and actions in ``lang``)."""
    colon = "：" if lang == "zh" else ": "
    return _sep(lang).join(f"{place(p, lang)}{colon}{action_label(a, lang)}"
                           for p, a in zip(players, labels, strict=True))


def by_name(series: pd.Series, lang: str, unit: str = "", signed: bool = False) -> str:
    """``"Anhui 0.85, Zhejiang 0.09 CNY 100M/yr"``."""
    sep = "，" if lang == "zh" else ", "
    fmt = (lambda v: ("+" if v > 0 else "") + _num(v)) if signed else _num
    body = sep.join(f"{place(str(k), lang)} {fmt(float(v))}" for k, v in series.items())
    u = unit_label(unit, lang)
    return f"{body} {u}".strip() if u else body
