"""Figure of a payment plan: who pays whom, drawn as a flow diagram.

Draws what :func:`cooperation.payment_plan` (or :func:`cooperation.compensation.fixed_plan`)
returned, nothing more: payers (and the higher level, whose subsidy enters as
its own source) on the left, jurisdictions that only relay money in the
middle, receivers on the right, each column in the order of the plan's
jurisdictions (a scenario's order, typically upstream first). Arrows carry the
payments, their width proportional to the amount; allowed links that carry
nothing are thin dashed lines; receivers left short by an infeasible plan
are marked with the amount missing. Returns ``(fig, ax)`` in the shared style
of :mod:`cooperation.report.style`.
"""

from __future__ import annotations

from ..compensation.results.plan import PaymentPlan
from ..errors import InputError
from .i18n import place, tr, unit_label
from .style import PALETTE, style, subplots, wrap

__all__ = ["plot_payment_plan", "plan_layout", "plan_title"]


def _amount(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def plan_title(plan, lang: str = "en") -> str:
    """The finding of a payment plan in one line: how many payments move how much, and
    the largest (payer -> payee, amount, unit).

    Examples
    --------
    >>> import pandas as pd
    >>> import cooperation as co
    >>> links = pd.DataFrame({"payer": ["Down"], "payee": ["Up"]})
    >>> plan = co.payment_plan({"Up": 4.0, "Down": -4.0}, links=links, unit="CNY 100M")
    >>> plan_title(plan)
    'Who pays whom: 1 payment, 4 CNY 100M in all; largest Down → Up 4'
    """
    e = plan.edges.sort_values("amount", ascending=False, kind="stable")
    u = unit_label(plan.unit or "", lang)
    if not len(e):
        return tr("t.plan_none", lang)
    top = e.iloc[0]
    head = tr("t.plan", lang, n=len(e), s="" if len(e) == 1 else "s",
              total=f"{_amount(float(e['amount'].sum()))} {u}".strip(),
              payer=place(top["payer"], lang), payee=place(top["payee"], lang),
              amount=_amount(float(top["amount"])))
    return head if plan.success else head + tr("t.plan_partial", lang)


def plan_layout(plan, names=None) -> dict:
    """Node positions ``name -> (x, y)``: x = 0 payers and the higher level, 0.5 relays,
    1 receivers; y from the top in the plan's order, each column spread over [0, 1].
    ``names``: lay out only these nodes (default: all)."""
    totals = plan.totals
    hl = plan.higher_level
    keep = None if names is None else set(names)
    cols: dict[float, list[str]] = {0.0: [], 0.5: [], 1.0: []}
    for name, row in totals.iterrows():
        if name == hl or (keep is not None and name not in keep):
            continue
        t = row["transfer"]
        cols[0.0 if t < 0 else 1.0 if t > 0 else 0.5].append(name)
    if (plan.subsidy > 0 or (plan.edges["payer"] == hl).any()) and (keep is None or hl in keep):
        cols[0.0].insert(0, hl)
    pos = {}
    for x, names in cols.items():
        k = len(names)
        for r, name in enumerate(names):
            pos[name] = (x, 1.0 - (r + 0.5) / k if k else 0.5)
    return pos


def plot_payment_plan(plan, ax=None, *, max_edges: int = 40, show_links: bool = True,
                      amounts: bool = True, title: str | None = None, lang: str = "en"):
    """Flow diagram of a payment plan.

    Parameters
    ----------
    plan : PaymentPlan
    ax : matplotlib Axes, optional
    max_edges : int
        Draw at most this many payments (the largest); the title says how many
        were left out. A plan of more than 60 nodes shows only the nodes of the
        payments drawn and those cut off.
    show_links : bool
        Draw allowed links that carry nothing as thin dashed lines (when there
        are at most 100 of them).
    amounts : bool
        Write each payment's amount next to its arrow.
    title : str, optional
        Default: the finding (:func:`plan_title`).
    lang : {"en", "zh"}

    Returns
    -------
    (Figure, Axes)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> import cooperation as co
    >>> links = pd.DataFrame({"payer": ["Mid", "Down"], "payee": ["Up", "Up"]})
    >>> plan = co.payment_plan({"Up": 4.0, "Mid": -1.0, "Down": -3.0}, links=links)
    >>> fig, ax = plot_payment_plan(plan)
    >>> len(ax.patches)           # one arrow per payment
    2
    """
    if not isinstance(plan, PaymentPlan):
        raise InputError("must be a PaymentPlan", field="plan", value=type(plan).__name__)
    if isinstance(max_edges, bool) or not isinstance(max_edges, int) or max_edges < 1:
        raise InputError("must be an integer >= 1", field="max_edges", value=max_edges)
    from matplotlib.patches import FancyArrowPatch

    edges = plan.edges.sort_values("amount", ascending=False, kind="stable")
    shown = edges.head(max_edges)
    # a large plan: only the jurisdictions of the payments shown (and those cut off)
    names = None
    if len(plan.totals) > 60:
        names = set(shown["payer"]) | set(shown["payee"]) | set(plan.cut_off.index)
    pos = plan_layout(plan, names)
    big = float(shown["amount"].max()) if len(shown) else 1.0
    with style(lang):
        if ax is None:
            fig, ax = subplots(figsize=(6.4, max(3.0, 0.32 * max(
                (sum(1 for v in pos.values() if v[0] == x) for x in (0.0, 0.5, 1.0)),
                default=1))), lang=lang)
        else:
            fig = ax.figure
        if show_links and len(plan.links) <= 100:
            unused = plan.links[plan.links["flow"].fillna(0.0) <= 0]
            for row in unused.itertuples():
                if row.payer in pos and row.payee in pos:
                    (x0, y0), (x1, y1) = pos[row.payer], pos[row.payee]
                    ax.plot([x0, x1], [y0, y1], ls="--", lw=0.6, color="0.75", zorder=1)
        for k, row in enumerate(shown.itertuples()):
            (x0, y0), (x1, y1) = pos[row.payer], pos[row.payee]
            colour = PALETTE[2] if row.payer == plan.higher_level else PALETTE[0]
            rad = 0.15 if x0 == x1 else 0.0
            arrow = FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=10,
                                    lw=0.6 + 4.4 * row.amount / big, color=colour, alpha=0.8,
                                    shrinkA=6, shrinkB=6, connectionstyle=f"arc3,rad={rad}",
                                    zorder=2)
            ax.add_patch(arrow)
            if amounts and len(shown) <= 30:
                t = 0.35 + 0.3 * (k % 2)          # stagger labels of crossing arrows
                ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), _amount(row.amount),
                        fontsize=7, ha="center", va="center", zorder=4,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                              "alpha": 0.8})
        short = plan.cut_off
        for name, (x, y) in pos.items():
            t = plan.totals.loc[name, "transfer"]
            is_short = name in short.index
            colour = PALETTE[1] if is_short else PALETTE[2] if name == plan.higher_level \
                else "0.2"
            ax.plot([x], [y], "o", ms=6, color=colour, zorder=3)
            shown_name = place(name, lang)
            label = f"{shown_name}\n{t:+.3g}" if name != plan.higher_level else \
                f"{shown_name}\n({tr('subsidy_short', lang)} {_amount(plan.subsidy)})"
            if is_short:
                label += f", {tr('short', lang)} {short[name]:.3g}"
            ha = "right" if x == 0.0 else "left" if x == 1.0 else "center"
            dx = -0.03 if x == 0.0 else 0.03 if x == 1.0 else 0.0
            dy = 0.0 if x != 0.5 else 0.04
            ax.text(x + dx, y + dy, label, ha=ha, va="center", fontsize=7,
                    color=PALETTE[1] if is_short else "black")
        ax.set_xlim(-0.45, 1.45)
        ax.set_ylim(-0.05, 1.05)
        ax.axis("off")
        left_out = len(edges) - len(shown)
        head = title if title is not None else plan_title(plan, lang)
        if left_out:
            head += "\n" + tr("t.plan_shown", lang, k=len(shown), n=len(edges))
        ax.set_title(wrap(head, 70), fontsize=9)
    return fig, ax


#: ``PaymentPlan.plot()`` draws with this module (registered here, so that the result
#: type never imports the plotting layer)
PaymentPlan._plotter = staticmethod(plot_payment_plan)
