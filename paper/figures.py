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
        ax.set_xlabel("price of going alone: expected cost at equilibrium / at optimum")
        ax.set_title("What going it alone costs each region", fontsize=10)
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
            ax.set_title(CASE_LABELS[case])
            ax.set_ylabel(f"gain over going alone ({_unit_label(t['unit'].iloc[0])})")
            ax.legend(loc="upper left", fontsize=7)
            lo, hi = ax.get_ylim()
            ax.set_ylim(lo, hi + 0.45 * (hi - lo))
        axes[1].tick_params(axis="x", labelsize=7.5)
    return fig


def compensation(per: pd.DataFrame, shares: pd.DataFrame):
    """Jing-Jin-Ji: the LP's transfers beside the real 2015 pairing."""
    t = per[per["case"] == "jingjinji"].copy()
    real = shares[(shares["case"] == "jingjinji") & (shares["allocation"] == "real 2015 pairing")]
    real = real.assign(design="real 2015 pairing")[["design", "jurisdiction", "transfer"]]
    t = pd.concat([t[["design", "jurisdiction", "transfer"]], real], ignore_index=True)
    groups = ["self-enforcing", "participation and core", "real 2015 pairing"]
    members = list(dict.fromkeys(t["jurisdiction"]))
    labels = {"self-enforcing": "least subsidy, self-enforcing",
              "participation and core": "least subsidy, participation + core",
              "real 2015 pairing": "real 2015 pairing (cited)"}
    with report.style():
        fig, ax = report.subplots(figsize=(6.4, 3.4))
        _grouped(ax, t, groups, members, "transfer", labels)
        ax.set_ylabel("transfer: received (+) / paid (−)\n(100M yuan/yr)")
        ax.set_title("Jing-Jin-Ji: who pays whom")
        ax.legend(loc="lower right", fontsize=7)
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
        ax.set_title("Xin'an River: which stakes both provinces accept")
        ax.legend(loc="lower left", fontsize=7)
    return fig


def riskpool_fund(per: pd.DataFrame, summary: pd.DataFrame):
    """Expected damage, expected payout and contribution per member (benefit key)."""
    t = per[per["key"] == "benefit"].set_index("member")
    s = summary[summary["key"] == "benefit"].iloc[0]
    with report.style():
        fig, ax = report.subplots(figsize=(5.6, 3.4))
        x = np.arange(len(t))
        w = 0.38
        ax.bar(x - w / 2, t["expected_damage"], w, color=PALETTE[1], label="expected damage")
        ax.bar(x + w / 2, t["contribution"], w, color=PALETTE[0],
               label="contribution (= expected payout)")
        ax.set_xticks(x, t.index)
        ax.set_ylabel(f"{s['unit']} per year")
        ax.set_title("Risk pool (fictional members): the fund at 95% CVaR")
        ax.text(0.98, 0.97,
                f"members pay {s['members_pay']:.0f}, higher level co-funds "
                f"{s['cofunding']:.0f} {s['unit']}/yr\n"
                f"out-of-sample shortfall probability "
                f"{s['shortfall_probability_out_of_sample']:.3f}",
                transform=ax.transAxes, ha="right", va="top", fontsize=7)
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.85), fontsize=7)
        lo, hi = ax.get_ylim()
        ax.set_ylim(0, hi * 1.3)
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
