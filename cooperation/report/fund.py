"""Figure of a crisis fund: where its money comes from.

The higher level's co-funding is drawn as its own bar beside the members'
contributions (one bar per member and their total), so that the headline
(how many times the members' money the higher level puts in) is the
figure's title, not corner text. Reads :func:`cooperation.design_fund`'s
result or the same numbers from a table.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import InputError
from .i18n import place, tr, unit_label
from .style import PALETTE, style, subplots, wrap

__all__ = ["plot_fund_sources", "cofunding_ratio"]


def cofunding_ratio(cofunding: float, members_pay: float) -> float:
    """``cofunding / members_pay`` (``inf`` when members pay nothing and the higher level
    does, ``nan`` when neither pays).

    Examples
    --------
    >>> cofunding_ratio(3754.38, 358.72) > 10
    True
    """
    if members_pay > 0:
        return cofunding / members_pay
    return math.inf if cofunding > 0 else math.nan


def plot_fund_sources(contributions, cofunding: float, unit: str = "", ax=None, *,
                      expected_damage=None, lang: str = "en", title: str | None = None):
    """Bars: each member's contribution, the members' total, and the higher level's
    co-funding beside them.

    Parameters
    ----------
    contributions : Series or mapping member -> yearly contribution
    cofunding : float
        The higher level's yearly co-funding.
    unit : str
        The money unit (labels the axis).
    ax : matplotlib Axes, optional
    expected_damage : Series or mapping, optional
        Each member's expected yearly damage, drawn as a marker on its bar.
    lang : {"en", "zh"}
    title : str, optional
        Default: the finding, e.g. "The higher level co-funds 10.5 times what the
        members pay".

    Returns
    -------
    (Figure, Axes)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cooperation.report import plot_fund_sources
    >>> fig, ax = plot_fund_sources({"A": 1.0, "B": 2.0}, 30.0, "EUR M")
    >>> ax.get_title().startswith("The higher level co-funds 10 times")
    True
    """
    c = pd.Series(contributions, dtype=float)
    if c.empty or not np.isfinite(c.to_numpy()).all():
        raise InputError("needs finite contributions by member", field="contributions",
                         value=c.to_dict())
    cof = float(cofunding)
    if not math.isfinite(cof) or cof < 0:
        raise InputError("must be a finite number >= 0", field="cofunding", value=cofunding)
    total = float(c.sum())
    ratio = cofunding_ratio(cof, total)
    u = unit_label(unit, lang)
    with style(lang):
        if ax is None:
            fig, ax = subplots(figsize=(4.8, 2.8), lang=lang)
        else:
            fig = ax.figure
        names = [place(str(m), lang) for m in c.index]
        x = np.arange(len(c))
        ax.bar(x, c.to_numpy(), 0.6, color=PALETTE[0], label=tr("contributions", lang))
        xt = len(c) + 0.4
        xc = xt + 1.2
        ax.bar([xt], [total], 0.8, color=PALETTE[0], hatch="//", edgecolor="white")
        ax.bar([xc], [cof], 0.8, color=PALETTE[2], label=tr("cofunding", lang))
        if expected_damage is not None:
            d = pd.Series(expected_damage, dtype=float).reindex(c.index)
            ax.plot(x, d.to_numpy(), "D", color=PALETTE[1], ms=4,
                    label=tr("col.expected_damage", lang))
        ax.set_xticks([*x, xt, xc], [*names, tr("members_total", lang), tr("higher_level", lang)],
                      rotation=30 if len(c) > 4 else 0, ha="right" if len(c) > 4 else "center")
        for xx, v in ((xt, total), (xc, cof)):
            ax.text(xx, v, f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}", ha="center",
                    va="bottom", fontsize=7)
        ylab = tr("money_per_year", lang)
        ax.set_ylabel(f"{ylab} ({u})" if u else ylab)
        ax.legend(loc="upper left", fontsize=7)
        lo, hi = ax.get_ylim()
        ax.set_ylim(0, hi * 1.12)
        if title is None:
            title = (tr("t.fund_ratio", lang, ratio=f"{ratio:.3g}") if math.isfinite(ratio)
                     else tr("t.fund_plain", lang))
        ax.set_title(wrap(title, 64), fontsize=9)
    return fig, ax
