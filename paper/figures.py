"""The paper's figures, drawn from the tables of :mod:`paper.analyses` in the shared
style of :mod:`cooperation.report`. Each function returns a matplotlib Figure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cooperation import report
from cooperation.report import PALETTE

CASE_LABELS = {"xinan": "Xin'an River", "chishui": "Chishui River",
               "jingjinji": "Jing-Jin-Ji air", "baiyangdian": "Baiyangdian",
               "riskpool": "Risk pool"}


def _unit_label(unit: str) -> str:
    return unit.replace("CNY 100M", "100M yuan").replace("CNY 1M", "M yuan")


def going_alone(table: pd.DataFrame):
    """Price of anarchy per case, annotated with the cooperation surplus."""
    t = table.iloc[::-1].reset_index(drop=True)
    with report.style():
        fig, ax = report.subplots(figsize=(5.6, 2.9))
        y = np.arange(len(t))
        ax.barh(y, t["price_of_anarchy"] - 1.0, left=1.0, color=PALETTE[0], height=0.6)
        ax.set_yticks(y, [CASE_LABELS.get(c, c) for c in t["case"]])
        ax.axvline(1.0, color="0.3", lw=0.8)
        top = float(t["price_of_anarchy"].max())
        for k, r in t.iterrows():
            ax.text(r["price_of_anarchy"] + 0.01, k,
                    f"surplus {r['cooperation_surplus']:.3g} {_unit_label(r['unit'])}",
                    va="center", fontsize=7.5)
        ax.set_xlim(1.0, 1.0 + (top - 1.0) * 1.6)
        ax.set_xlabel("price of going alone: expected cost at equilibrium / at optimum "
                      "(ratio)")
        worst = t.loc[t["price_of_anarchy"].idxmax()]
        ax.set_title(report.wrap(
            f"Going alone costs every region; most in {CASE_LABELS.get(worst['case'])}: "
            f"{worst['price_of_anarchy']:.2f} times the optimum's expected cost", 70),
            fontsize=10)
    return fig


def _grouped(ax, frame: pd.DataFrame, groups: list[str], members: list[str], value: str,
             labels: dict[str, str]):
    width = 0.8 / len(groups)
    x = np.arange(len(members))
    for k, g in enumerate(groups):
        vals = frame[frame["allocation" if "allocation" in frame else "design"] == g] \
            .set_index("jurisdiction").loc[members, value].to_numpy()
        ax.bar(x + (k - (len(groups) - 1) / 2) * width, vals, width, color=PALETTE[k],
               label=labels.get(g, g))
    ax.axhline(0.0, color="0.3", lw=0.8)
    ax.set_xticks(x, members)


def fair_shares(table: pd.DataFrame):
    """Gain over going alone under Shapley, nucleolus and the real keys (Chishui,
    Jing-Jin-Ji); allocations outside the core are flagged in the legend."""
    with report.style():
        fig, axes = report.subplots(1, 2, figsize=(9.0, 3.6), width_ratios=[1, 1.7])
        for ax, case in zip(axes, ("chishui", "jingjinji"), strict=True):
            t = table[table["case"] == case]
            groups = list(dict.fromkeys(t["allocation"]))
            members = list(dict.fromkeys(t["jurisdiction"]))
            core = t.groupby("allocation", sort=False)["in_core"].first()
            labels = {g: g + ("" if core[g] else " (not in core)") for g in groups}
            _grouped(ax, t, groups, members, "gain", labels)
            outside = [g for g in groups if not core[g]]
            verdict = ("every allocation shown is in the core" if not outside else
                       "not in the core: " + ", ".join(outside))
            ax.set_title(report.wrap(f"{CASE_LABELS[case]}: {verdict}", 48), fontsize=9)
            ax.set_ylabel(f"gain over going alone ({_unit_label(t['unit'].iloc[0])})")
            ax.legend(loc="upper left", fontsize=7)
            lo, hi = ax.get_ylim()
            ax.set_ylim(lo, hi + 0.45 * (hi - lo))
        axes[1].tick_params(axis="x", labelsize=7.5)
    return fig


def compensation(payments: pd.DataFrame, summary: pd.DataFrame):
    """Jing-Jin-Ji: who pays whom, as flow diagrams of the bilateral payments, under the
    least-subsidy self-enforcing design and under the real 2015 pairing."""
    from cooperation.compensation import fixed_plan

    plans = list(dict.fromkeys(payments["plan"]))
    se = summary[(summary["case"] == "jingjinji") &
                 (summary["design"] == "self-enforcing")].iloc[0]
    with report.style():
        fig, axes = report.subplots(1, len(plans), figsize=(9.6, 3.6))
        for ax, name in zip(np.atleast_1d(axes), plans, strict=True):
            e = payments[payments["plan"] == name][["payer", "payee", "amount"]]
            plan = fixed_plan(e, unit=_unit_label(str(payments["unit"].iloc[0])))
            total = float(e["amount"].sum())
            head = (f"least subsidy, self-enforcing: {len(e)} payments, {total:.3g} moved, "
                    f"subsidy {se['subsidy']:.3g}" if name.startswith("least") else
                    f"real 2015 pairing (cited): {len(e)} payments, {total:.3g} moved")
            report.plot_payment_plan(plan, ax=ax, show_links=False,
                                     title=report.wrap(head, 52))
        fig.suptitle("Jing-Jin-Ji: who pays whom (arrows: bilateral payments, "
                     f"{_unit_label(str(payments['unit'].iloc[0]))})", fontsize=10)
    return fig


def xinan_bargaining(grid: pd.DataFrame, ranges: pd.DataFrame, stakes: pd.DataFrame):
    """Gains of Anhui and Zhejiang against the stake, the bargaining range shaded and
    the real stakes marked."""
    r0 = ranges.iloc[0]
    with report.style():
        fig, ax = report.subplots(figsize=(5.6, 3.5))
        ax.axvspan(r0["lower"], r0["upper"], color=PALETTE[2], alpha=0.15, lw=0,
                   label=f"bargaining range [{r0['lower']:.3g}, {r0['upper']:.3g}]")
        g = grid.copy()
        for k, p in enumerate(("Anhui", "Zhejiang")):
            ax.plot(g["stake"], g[f"gain[{p}]"].astype(float), color=PALETTE[k],
                    label=f"{p} ({'upstream' if k == 0 else 'downstream'})")
        ax.axhline(0.0, color="0.3", lw=0.8)
        lo, hi = ax.get_ylim()
        seen = {}
        for _, r in stakes[stakes["setting"] == stakes["setting"].iloc[0]].iterrows():
            seen.setdefault(float(r["stake"]), []).append(r["stake_label"])
        for s, labs in seen.items():
            rounds = ", ".join(lab.split("_")[1].replace("round", "") for lab in labs)
            ax.axvline(s, color="0.2", ls="--", lw=0.8)
            ax.text(s + 0.05, hi - 0.04 * (hi - lo), f"real stake,\nround {rounds}: {s:g}",
                    va="top", fontsize=7)
        ax.set_xlabel("stake s of the two-way rule (100M yuan/yr)")
        ax.set_ylabel("gain over no agreement (100M yuan/yr)")
        inside = sorted(v for v in seen if r0["lower"] <= v <= r0["upper"])
        where = ("inside it" if len(inside) == len(seen) else "outside it" if not inside
                 else f"inside it: {', '.join(f'{v:g}' for v in inside)}")
        ax.set_title(report.wrap(f"Xin'an River: both provinces gain for stakes "
                                 f"{r0['lower']:.3g} to {r0['upper']:.3g}; the real stakes lie "
                                 f"{where}", 66), fontsize=10)
        ax.legend(loc="lower left", fontsize=7)
    return fig


def riskpool_fund(per: pd.DataFrame, summary: pd.DataFrame):
    """The risk pool's money: each member's contribution (benefit key), the members'
    total and the higher level's co-funding drawn beside it; the title states the ratio."""
    t = per[per["key"] == "benefit"].set_index("member")
    s = summary[summary["key"] == "benefit"].iloc[0]
    with report.style():
        fig, ax = report.plot_fund_sources(t["contribution"], float(s["cofunding"]), s["unit"],
                                           expected_damage=t["expected_damage"])
        fig.set_size_inches(5.6, 3.4)
        ratio = float(s["cofunding"]) / float(s["members_pay"])
        ax.set_title(report.wrap(
            f"Risk pool (fictional members): the higher level co-funds {ratio:.3g} times what "
            f"the members pay (fund solvent at 95% CVaR; out-of-sample shortfall probability "
            f"{s['shortfall_probability_out_of_sample']:.3f})", 70), fontsize=9)
    return fig


def monitoring(comparisons: dict):
    """Cooperation by round under hierarchy-led and peer-led governance, per case."""
    from cooperation.report import plot_modes

    cases = list(comparisons)
    with report.style():
        fig, axes = report.subplots(2, 2, figsize=(7.6, 5.4), sharex=True, sharey=True)
        for ax, case in zip(axes.ravel(), cases, strict=True):
            plot_modes(comparisons[case], ax=ax, title=CASE_LABELS[case])
            for line in ax.get_lines():
                if line.get_label() == "peer-led":      # visible where the modes coincide
                    line.set_linestyle((0, (4, 2)))
            if ax is axes[0, 0]:
                ax.legend(loc="lower left", fontsize=7)
            if ax is not axes[0, 0] and ax.get_legend() is not None:
                ax.get_legend().remove()
        for ax in axes[0]:
            ax.set_xlabel("")
        for ax in axes[:, 1]:
            ax.set_ylabel("")
        for ax in axes[1]:
            ax.set_xlabel("round (year)")
        rates = {c: comparisons[c].table["cooperation_rate"] for c in cases}
        both = [CASE_LABELS[c] for c in cases if rates[c].min() >= 0.9]
        from cooperation.report.repeated import modes_title

        settings = modes_title(comparisons[cases[0]]).split("\n", 1)[1]
        fig.suptitle(report.wrap(
            "Cooperation under noise and a crisis year: both modes hold at least 90% in "
            + (", ".join(both) if both else "no case"), 90) + "\n" + settings, fontsize=9)
    return fig


def phase(df: pd.DataFrame, meta: dict):
    """Audit probability x fine phase diagram with the deterrence boundary."""
    gain, acc = meta["max_gain"], meta["accuracy"]
    with report.style():
        fig, ax = report.phase_diagram(
            df, "audit_prob", "fine", "cooperation_rate", level=0.9, boundary_along="y",
            theory=lambda q: gain / (np.asarray(q, float) * acc),
            theory_label="theory: q·a·F = largest gain",
            title="Chishui: audits and fines that deter free riding",
            zlabel="cooperation rate (share of province-years)")
        ax.set_xlabel("audit probability q per province and year")
        ax.set_ylabel(f"fine F ({_unit_label(meta['unit'])})")
        ax.set_ylim(float(df["fine"].min()) - 0.15, float(df["fine"].max()) + 0.15)
        handles, labels = ax.get_legend_handles_labels()
        labels = [lab.replace("cooperation_rate", "cooperation rate") for lab in labels]
        ax.legend(handles, labels, loc="upper right", frameon=True, framealpha=0.9,
                  facecolor="white", edgecolor="none", fontsize=7)
    return fig
