"""Figures of a response simulation: a Gantt-style critical path and a tornado of
bottleneck scores. They read a :class:`ResponseResult` and compute nothing."""

from __future__ import annotations

import numpy as np

from .._numeric import RTOL
from ..errors import InputError

__all__ = ["gantt", "tornado"]


def gantt(result, ax=None, *, title: str | None = None):
    """Mean schedule of every task (bar from mean start to mean finish), shaded by
    its criticality index; owners and join written beside each bar.

    Returns ``(fig, ax)``.
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps

    sched = result.schedule
    if ax is None:
        fig, ax = plt.subplots(figsize=(8.5, 0.45 * len(sched) + 1.6))
    else:
        fig = ax.figure
    cmap = colormaps["Reds"]
    y = np.arange(len(sched))[::-1]
    for k, (_task, row) in enumerate(sched.iterrows()):
        c = float(row["criticality"])
        width = max(float(row["mean_finish"] - row["mean_start"]), RTOL)   # a visible bar
        ax.barh(y[k], width, left=row["mean_start"], color=cmap(0.15 + 0.8 * c),
                edgecolor="black" if c >= 0.5 else "grey", linewidth=1.2 if c >= 0.5 else 0.5)
        label = f"{row['owners']}" + (" (joint sign-off)" if row["join"] == "all" and
                                      ";" in row["owners"] else
                                      " (first to act)" if row["join"] == "any" else "")
        ax.text(row["mean_finish"], y[k], f"  {label}  [{c:.0%}]", va="center", fontsize=8)
    ax.set_yticks(y, list(sched.index))
    ax.set_xlabel("hours after the start of the response (mean over runs)")
    xmax = float(sched["mean_finish"].max())
    ax.set_xlim(0, xmax * 1.6 if xmax > 0 else 1)
    ax.set_title(title or "Response schedule; shading and [%]: criticality index")
    fig.tight_layout()
    return fig, ax


def tornado(result, ax=None, *, column: str = "damage_if_instant", title: str | None = None):
    """Bottleneck scores as a tornado: for each unit, the fall in expected damage
    if it alone acted at once (``column="damage_if_instant"``), or its delay cost
    (``"delay_cost"``, with error bars) or marginal damage (``"marginal_damage"``),
    largest at the top. Returns ``(fig, ax)``."""
    import matplotlib.pyplot as plt

    b = result.bottlenecks
    overall = result.mean_damage if result.mean_damage is not None else result.mean_time
    if column == "damage_if_instant":
        vals = overall - b["damage_if_instant"]
        err = b["damage_if_instant_se"]
        xlabel = "fall in expected damage if this unit alone acted at once"
    elif column == "delay_cost":
        vals, err = b["delay_cost"], b["delay_cost_se"]
        xlabel = "coordination delay cost (Shapley share of the delay damage)"
    elif column == "marginal_damage":
        vals, err = b["marginal_damage"], b["marginal_damage_se"]
        xlabel = "fall in expected damage per hour less of the unit's mean delay"
    else:
        raise InputError('must be "damage_if_instant", "delay_cost" or "marginal_damage"',
                         field="column", value=column)
    if result.damage_unit == "hours":
        xlabel += " (hours)"
    order = np.argsort(vals.to_numpy(), kind="stable")
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(b) + 1.5))
    else:
        fig = ax.figure
    y = np.arange(len(order))
    ax.barh(y, vals.to_numpy()[order], xerr=np.nan_to_num(err.to_numpy()[order]),
            color="tab:red", alpha=0.8, capsize=3)
    ax.set_yticks(y, [b.index[i] for i in order])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(xlabel)
    ax.set_title(title or "Bottlenecks")
    fig.tight_layout()
    return fig, ax
