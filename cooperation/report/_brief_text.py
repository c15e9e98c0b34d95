"""Pieces the brief's modules share: the section type, number formats, which parameters
are illustrative, sentences that list jurisdictions (:mod:`cooperation.report.brief`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .i18n import action_label, place, tr, unit_label

__all__ = [
    "HOLD_LEVEL",
    "HOLD_COLLAPSE",
    "FIG_WIDTH",
    "FIG_FONT",
    "Section",
    "illustrative_note",
    "actions_text",
    "by_name",
    "figure",
    "finish",
    "two_lines",
]

#: cooperation "holds" when at least this share of jurisdiction-years cooperate ...
HOLD_LEVEL = 0.9
#: ... and at most this share of runs collapse
HOLD_COLLAPSE = 0.1

#: a figure's width on the printed page, inches: one of the page's two columns,
#: (210 mm - 2 x 12 mm margins - 5 mm gap) / 2 = 90.5 mm = 3.56 in (brief_html.CSS)
FIG_WIDTH = 3.5
#: the largest type in a figure, points: figures print at their own size, so this is the
#: size on paper (the body text is 8 pt)
FIG_FONT = 6.5
#: a figure title's line length, characters (a Chinese character counts as two)
FIG_TITLE_CHARS = 68


@dataclass(frozen=True)
class Section:
    """One section of a brief: heading, sentences, what they rest on, a table, a figure."""

    key: str
    heading: str
    sentences: tuple[str, ...]
    rests_on: str = ""
    table: pd.DataFrame | None = None  # the section's detail table, printed in the annex
    figure: bytes | None = None  # PNG, FIG_WIDTH inches wide
    figure_alt: str = ""


# ---------------------------------------------------------------- formatting
def _num(x: float) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    x = x + 0.0  # no "-0"
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
                    for nxt in lines[k + 1 :]:
                        if nxt.startswith("#") or (not nxt.strip() and para):
                            break
                        if nxt.strip():
                            para.append(nxt.strip())
                    if para:
                        text = " ".join(para).replace("**", "").replace("`", "")
                        if text.endswith(":") and ". " in text:  # "... In particular:"
                            text = text[: text.rindex(". ") + 1]
                        return text.rstrip(".")
    return None


def figure(lang: str, height: float):
    """``(fig, ax)`` in the shared style, one column of the printed page wide and
    ``height`` inches tall (:data:`FIG_WIDTH`)."""
    from .style import style, subplots

    with style(lang):
        return subplots(figsize=(FIG_WIDTH, height), lang=lang)


def finish(fig, lang: str, legend_above: bool = False) -> bytes:
    """A brief's figure as PNG: no type larger than :data:`FIG_FONT` points (the title one
    point larger, re-wrapped to the column and centred on the figure), so the page prints
    all figures alike. ``legend_above``: the legend in one row between the title and the
    axes, where it covers no bar of a short figure. Drawn in the shared style of ``lang``
    (its fonts)."""
    from .style import style

    with style(lang):
        _finish(fig, legend_above)
        return _png(fig, dpi=200)


def _finish(fig, legend_above: bool) -> None:
    from matplotlib.text import Text

    titles = []
    for ax in fig.axes:
        ax.tick_params(labelsize=FIG_FONT)
        legend = ax.get_legend()
        if legend_above and legend is not None:
            handles, labels = legend.legend_handles, [x.get_text() for x in legend.get_texts()]
            legend.remove()
            ax.legend(
                handles,
                labels,
                loc="lower left",
                bbox_to_anchor=(0.0, 1.0),
                ncol=len(labels),
                fontsize=FIG_FONT,
                borderaxespad=0.3,
                handlelength=1.2,
                columnspacing=1.0,
            )
        if ax.get_title():
            titles.append(_unwrap(ax.get_title()))
            ax.set_title("")
    for text in fig.findobj(Text):
        if text.get_fontsize() > FIG_FONT:
            text.set_fontsize(FIG_FONT)
    if titles:  # centred on the figure, not on the axes: a title beside long labels
        fig.suptitle(_wrap(" ".join(titles), FIG_TITLE_CHARS), fontsize=FIG_FONT + 0.5)


def two_lines(label: str, width: int = 30) -> str:
    """A long ``"place: what"`` label on two lines, broken after its colon.

    Examples
    --------
    >>> two_lines("water-quality failure at Jiekou: prevention effect")
    'water-quality failure at Jiekou:\\nprevention effect'
    >>> two_lines("Anhui: cost to cooperate")
    'Anhui: cost to cooperate'
    """
    wide = sum(1 for ch in label if ord(ch) > 0x2E80)
    if len(label) + wide <= width:
        return label
    for colon in ("：", ": "):
        if colon in label:
            head, tail = label.split(colon, 1)
            return f"{head}{colon.strip()}\n{tail}"
    return label


def _wrap(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters (a Chinese character counts as two),
    broken between words and between Chinese characters, never inside a Latin word.

    Examples
    --------
    >>> print(_wrap("最小上级补助对Danube-style flood：预防效果最敏感", 24))
    最小上级补助对
    Danube-style flood：预防
    效果最敏感
    """
    import re

    lines, line, size = [], "", 0
    for token in re.findall(r"[\u2e80-\U0010ffff]|[^\s\u2e80-\U0010ffff]+|\s+", text):
        wide = 2 if ord(token[0]) > 0x2E80 else 1
        n = len(token) * wide
        if token.isspace():
            if line:
                line, size = line + " ", size + 1
            continue
        if size + n > width and line.strip():
            lines.append(line.rstrip())
            line, size = "", 0
        line, size = line + token, size + n
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def _unwrap(text: str) -> str:
    """Lines joined back into one: with a space between words, with none where a line
    was cut inside Chinese text."""
    lines = [x.strip() for x in text.split("\n") if x.strip()]
    out = lines[0] if lines else ""
    for line in lines[1:]:
        wide = ord(out[-1]) > 0x2E80 or ord(line[0]) > 0x2E80
        out += ("" if wide else " ") + line
    return out


def _png(fig, dpi: int = 150) -> bytes:
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(
        buf,
        format="png",
        dpi=dpi,
        bbox_inches="tight",
        pad_inches=0.03,
        metadata={"Software": None},
    )
    plt.close(fig)
    return buf.getvalue()


def actions_text(players, labels, lang: str) -> str:
    """``"Anhui: self only; Zhejiang: cooperate"`` (names and actions in ``lang``)."""
    colon = "：" if lang == "zh" else ": "
    return _sep(lang).join(
        f"{place(p, lang)}{colon}{action_label(a, lang)}"
        for p, a in zip(players, labels, strict=True)
    )


def by_name(series: pd.Series, lang: str, unit: str = "", signed: bool = False) -> str:
    """``"Anhui 0.85, Zhejiang 0.09 CNY 100M/yr"``."""
    sep = "，" if lang == "zh" else ", "
    fmt = (lambda v: ("+" if v > 0 else "") + _num(v)) if signed else _num
    body = sep.join(f"{place(str(k), lang)} {fmt(float(v))}" for k, v in series.items())
    u = unit_label(unit, lang)
    return f"{body} {u}".strip() if u else body
