"""Tornado chart of a one-at-a-time sensitivity table (:func:`cooperation.sensitivity`).

For one answer (least subsidy, cost of going alone, cooperation rate) each
bar spans the answer at ``base * (1 - spread)`` and at ``base * (1 + spread)``
of one parameter, the longest bar on top; the vertical line is the answer at
the base case. The title names the parameter the answer hinges on most and
its range; the axis carries the unit.

References
----------
Saltelli, A. et al. (2008). *Global Sensitivity Analysis: The Primer*, ch. 1.
Wiley.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import InputError
from .i18n import action_label, place, tr, unit_label
from .style import PALETTE, style, subplots, wrap

__all__ = ["plot_tornado", "parameter_label"]

_FIELDS = {"probability", "damage", "prevention", "response", "capacity"}


def parameter_label(row, lang: str = "en") -> str:
    """A parameter's name for a reader: ``"Anhui: cost of cooperate"``, ``"安徽：协同成本"``."""
    target = place(row["target"], lang)
    field = row["field"]
    if field.startswith("cost["):
        return tr("param.cost_of", lang, target=target, level=action_label(field[5:-1], lang))
    name = tr(f"param.{field}", lang) if field in _FIELDS else field
    return tr("param.named", lang, target=target, name=name)


def _fmt(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:.3g}"


def plot_tornado(table: pd.DataFrame, outcome: str = "least_subsidy", ax=None, *,
                 top: int = 8, lang: str = "en", title: str | None = None):
    """Tornado chart of ``outcome`` from a :func:`cooperation.sensitivity` table.

    Parameters
    ----------
    table : DataFrame
        The tidy table of :func:`cooperation.sensitivity`.
    outcome : {"least_subsidy", "cost_alone", "cooperation_rate"}
    ax : matplotlib Axes, optional
    top : int
        Draw the ``top`` parameters with the largest swing.
    lang : {"en", "zh"}
    title : str, optional
        Default: the finding (which parameter moves the answer most, and how far).

    Returns
    -------
    (Figure, Axes)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import cooperation as co
    >>> from cooperation.report import plot_tornado
    >>> s = co.load_scenario("data/xinan/scenario.toml")
    >>> fig, ax = plot_tornado(co.sensitivity(s, runs=20, rounds=10), top=3)
    >>> len(ax.get_yticklabels())
    3
    """
    from ..analysis import OUTCOMES

    if not isinstance(table, pd.DataFrame) or "outcome" not in table.columns:
        raise InputError("must be the table of cooperation.sensitivity", field="table",
                         value=type(table).__name__)
    if outcome not in OUTCOMES:
        raise InputError(f"must be one of {', '.join(OUTCOMES)}", field="outcome", value=outcome)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InputError("must be an integer >= 1", field="top", value=top)
    t = table[table["outcome"] == outcome].copy()
    t["_key"] = t["swing"].fillna(np.inf)
    t = t.sort_values("_key", ascending=False, kind="stable").head(top).iloc[::-1]
    spread = table.attrs.get("spread", 0.2)
    unit = table.attrs.get("unit", "")
    is_rate = outcome == "cooperation_rate"
    axis_unit = "" if is_rate else f" ({unit_label(unit, lang)})"
    base = float(t["base"].iloc[0]) if len(t) else math.nan
    with style(lang):
        if ax is None:
            fig, ax = subplots(figsize=(4.8, 0.9 + 0.28 * max(len(t), 1)), lang=lang)
        else:
            fig = ax.figure
        y = np.arange(len(t))
        for k, r in enumerate(t.itertuples()):
            for val, colour in ((r.low, PALETTE[0]), (r.high, PALETTE[1])):
                if math.isfinite(val):
                    ax.barh(k, val - base, left=base, height=0.6, color=colour, alpha=0.85)
                else:
                    ax.text(base, k, " " + tr("infeasible", lang), va="center", fontsize=7,
                            color=PALETTE[1])
        ax.axvline(base, color="0.2", lw=0.8)
        ax.set_yticks(y, [parameter_label(r, lang) for _, r in t.iterrows()])
        ax.tick_params(axis="y", labelsize=7)
        ax.set_xlabel(tr(f"out.{outcome}", lang) + axis_unit)
        from matplotlib.patches import Patch

        pct = f"{spread:.0%}"
        ax.legend(handles=[Patch(color=PALETTE[0], label=f"{tr('low', lang)} −{pct}"),
                           Patch(color=PALETTE[1], label=f"{tr('high', lang)} +{pct}")],
                  loc="best", fontsize=7)
        if title is None and len(t):
            r = t.iloc[-1]
            lo, hi = sorted([r["low"], r["high"]], key=lambda v: (not math.isfinite(v), v))
            name = parameter_label(r, lang)
            what = tr(f"out.{outcome}", lang)
            u = "" if is_rate else f" {unit_label(unit, lang)}"
            title = tr("t.tornado", lang, what=what, name=name, pct=pct, lo=_fmt(lo),
                       hi=_fmt(hi), unit=u)
        if title:
            ax.set_title(wrap(title, 64), fontsize=9)
    return fig, ax
