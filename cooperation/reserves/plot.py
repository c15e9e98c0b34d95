"""Figures of a reserve plan (matplotlib): the depot network, the deadline reach, cost shares.

These functions read :class:`~cooperation.reserves.ReservePlan` objects and
compute nothing of their own beyond layout; the model never imports this
module.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._numeric import TINY

__all__ = ["network", "reach", "cost_shares"]


def _ax(ax, size=(7, 5)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def network(plan, links: pd.DataFrame, coords=None, *, ax=None, item=None):
    """Jurisdictions and depots on the road network; marker area ~ stock held.

    Parameters
    ----------
    plan : ReservePlan
    links : DataFrame
        The ``from, to, hours`` table the plan was built from (roads are drawn and
        labelled with their hours).
    coords : mapping name -> (x, y) or DataFrame with ``name, x, y``; optional
        Positions (e.g. longitude, latitude); default a circle.
    item : str, optional
        Show the stock of one item only (default: all items, in units).
    """
    ax = _ax(ax)
    d = plan._model.data
    names = list(dict.fromkeys(list(d.players) + list(links["from"]) + list(links["to"])))
    if coords is None:
        t = np.linspace(0, 2 * np.pi, len(names), endpoint=False)
        pos = {n: (np.cos(a), np.sin(a)) for n, a in zip(names, t, strict=True)}
    elif isinstance(coords, pd.DataFrame):
        pos = {str(r["name"]): (float(r["x"]), float(r["y"])) for _, r in coords.iterrows()}
    else:
        pos = {str(k): (float(v[0]), float(v[1])) for k, v in coords.items()}
    for _, r in links.iterrows():
        if r["from"] in pos and r["to"] in pos:
            (x0, y0), (x1, y1) = pos[r["from"]], pos[r["to"]]
            ax.plot([x0, x1], [y0, y1], color="0.7", lw=1.2, zorder=1)
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, f"{r['hours']:g} h", fontsize=7,
                    color="0.4", ha="center", va="center")
    st = plan.stock if item is None else plan.stock[plan.stock["item"] == item]
    held = st.groupby("jurisdiction")["stock"].sum() if plan.success else pd.Series(dtype=float)
    top = max(float(held.max()) if len(held) else 0.0, TINY)
    demand = set(d.places)
    for n in names:
        if n not in pos:
            continue
        x, y = pos[n]
        s = float(held.get(n, 0.0))
        ax.scatter([x], [y], s=30 + 600 * s / top, zorder=3,
                   color="tab:blue" if s > 0 else "white",
                   edgecolor="tab:red" if n in demand else "0.3", linewidth=1.5)
        ax.annotate(n if s <= 0 else f"{n}\n{s:.4g}", (x, y), textcoords="offset points",
                    xytext=(6, 6), fontsize=8)
    ax.set_title("Depots (filled, area ~ stock) and roads (hours); red edge: has demand"
                 + ("" if item is None else f"; item {item}"), fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def reach(plan, *, ax=None):
    """Travel hours from each depot to each jurisdiction; cells within the deadline shaded."""
    import matplotlib.colors as mcolors

    ax = _ax(ax, (8, 4))
    d = plan._model.data
    H = d.hours
    T = d.deadline_hours
    within = np.where(np.isfinite(H) & (H <= T), 1.0, 0.0)
    ax.imshow(within, cmap=mcolors.ListedColormap(["#f3e0e0", "#cfe8cf"]), vmin=0, vmax=1,
              aspect="auto")
    for i in range(H.shape[0]):
        for j in range(H.shape[1]):
            ax.text(j, i, "-" if not np.isfinite(H[i, j]) else f"{H[i, j]:.0f}", ha="center",
                    va="center", fontsize=7)
    ax.set_xticks(range(len(d.players)), d.players, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(d.depots)), d.depots, fontsize=8)
    ax.set_title(f"Hours from depot to jurisdiction (green: within {T:g} h)", fontsize=9)
    return ax


def cost_shares(plan, rules=("owen", "shapley", "nucleolus"), *, ax=None):
    """Each jurisdiction's stand-alone cost against its share of the pool under each rule."""
    ax = _ax(ax, (9, 4))
    game = plan.pooling_game()
    cols = {"stand alone": pd.Series(game.singletons, index=list(game.players))}
    for r in rules:
        cols[r] = plan.allocation(r)
    df = pd.DataFrame(cols)
    k = len(df.columns)
    w = 0.8 / k
    x = np.arange(len(df))
    for i, c in enumerate(df.columns):
        ax.bar(x + (i - (k - 1) / 2) * w, df[c].to_numpy(), w, label=c,
               color="0.75" if c == "stand alone" else None)
    ax.set_xticks(x, df.index, rotation=45, ha="right", fontsize=8)
    ax.axhline(0, color="0.3", lw=0.8)
    ax.set_ylabel("yearly cost")
    ax.legend(fontsize=8)
    ax.set_title(f"Stand-alone cost vs share of the pool (pooled {game.grand_value:.4g}, "
                 f"alone {game.singletons.sum():.4g})", fontsize=9)
    return ax
