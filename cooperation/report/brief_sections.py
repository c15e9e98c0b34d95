"""The sections of a brief (:func:`cooperation.report.brief`), one function each.

Each function runs its analysis once, records the headline numbers in
``ctx.facts`` and the tables (headers with units, in the brief's language) in
``ctx.tables``, and returns a :class:`~cooperation.report.brief.Section`
with the sentences, what they rest on, a figure one column of the printed
page wide (:func:`~cooperation.report._brief_text.figure`) and a detail
table for the annex.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._numeric import clean_zero
from ._brief_text import (
    HOLD_COLLAPSE,
    HOLD_LEVEL,
    Section,
    _head,
    _num,
    _pct,
    _sep,
    actions_text,
    by_name,
    figure,
    finish,
    illustrative_note,
    two_lines,
)
from .i18n import place, tr, unit_label
from .style import PALETTE, style

__all__ = [
    "Context",
    "going_alone",
    "fair_shares",
    "compensation",
    "fund",
    "holding",
    "sensitivity",
    "assumptions",
]

_RULES = ("origin", "beneficiary", "ability", "equal", "shapley", "nucleolus")
#: rows of the sensitivity table in the annex: the largest swings of each outcome
ANNEX_SENSITIVITY_ROWS = 3


@dataclass
class Context:
    """What the sections share: the scenario, the language, the seed, the results so far."""

    scenario: object
    lang: str
    seed: int
    sizes: object
    facts: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    results: dict = field(default_factory=dict)

    def money(self, x: float) -> str:
        return f"{_num(x)} {unit_label(self.scenario.unit, self.lang)}"

    def head(self, col: str, money: bool = True) -> str:
        return _head(col, self.scenario.unit if money else "", self.lang)

    def sheet(self, name: str, df: pd.DataFrame) -> None:
        self.tables[tr(f"sheet.{name}", self.lang)] = df


def _rests(ctx, key: str, **fields) -> str:
    text = tr(key, ctx.lang, **fields)
    if illustrative_note(ctx.scenario):
        text += ("；" if ctx.lang == "zh" else "; ") + tr("illustrative_params", ctx.lang)
    return text


def _flag(v) -> bool | None:
    """A yes/no/unknown flag from a table cell (numpy bools, None or NaN)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return bool(v)


# ---------------------------------------------------------------- 1. going alone
def going_alone(ctx: Context) -> Section:
    from ..compensation import design_compensation
    from ..equilibria import analyze

    s, lang = ctx.scenario, ctx.lang
    a = analyze(s.to_game())
    comp = design_compensation(s)
    ctx.results.update(analysis=a, compensation=comp)
    frame = comp.to_frame()
    alone = frame["outside_option"]
    sentences = []
    if a.equilibrium_kind == "pure":
        worst = int(np.argmin(a.equilibrium_welfare))
        labels = [s.action_names[k] for k in a.equilibria.profiles[worst]]
        sentences.append(tr("s.alone", lang, actions=actions_text(s.players, labels, lang)))
    else:
        labels = ["mixed"] * s.n_players
        sentences.append(tr("s.alone_mixed", lang))
    opt = [s.action_names[k] for k in a.optimum.profile]
    surplus = float(a.cooperation_surplus)
    ctx.facts.update(cost_alone=surplus, price_of_anarchy=float(a.price_of_anarchy))
    sentences.append(
        tr(
            "s.optimum",
            lang,
            actions=actions_text(s.players, opt, lang),
            surplus=ctx.money(surplus),
            poa=_num(float(a.price_of_anarchy)),
        )
    )
    after = frame["payoff_after"] if comp.success else frame["payoff_target"]
    table = pd.DataFrame(
        {
            ctx.head("col.jurisdiction", False): [place(p, lang) for p in s.players],
            ctx.head("col.alone_action", False): [
                tr(f"action.{x}", lang) if x in ("self", "cooperate") else x for x in labels
            ],
            ctx.head("col.alone_payoff"): alone.to_numpy(),
            ctx.head("col.opt_payoff"): frame["payoff_target"].to_numpy(),
            ctx.head("col.payoff_after"): after.to_numpy(),
        }
    )
    ctx.sheet("going_alone", table)
    fig, ax = figure(lang, min(0.75 + 0.17 * s.n_players, 2.2))
    with style(lang):
        y = np.arange(s.n_players)
        ax.barh(y + 0.2, -alone.to_numpy(), 0.38, color=PALETTE[1], label=tr("bar.alone", lang))
        ax.barh(y - 0.2, -after.to_numpy(), 0.38, color=PALETTE[0], label=tr("bar.coop", lang))
        ax.set_yticks(y, [place(p, lang) for p in s.players])
        ax.invert_yaxis()
        ax.set_xlabel(f"{tr('ax.cost', lang)} ({unit_label(s.unit, lang)})")
        ax.legend(loc="best")
        ax.set_title(
            tr("t.alone", lang, surplus=ctx.money(surplus))
            if math.isfinite(surplus)
            else tr("t.alone_plain", lang)
        )
    return Section(
        "alone",
        tr("h.alone", lang),
        tuple(sentences),
        _rests(ctx, "r.alone"),
        table,
        finish(fig, lang, legend_above=True),
        tr("t.alone_plain", lang),
    )


# ---------------------------------------------------------------- 2. fair shares
def fair_shares(ctx: Context) -> Section:
    from ..coalitions import compare_rules

    s, lang = ctx.scenario, ctx.lang
    rules = compare_rules(s)
    scale = float(
        np.nanmax(np.abs(rules[["pays", "transfer", "gain"]].to_numpy(float)), initial=1.0)
    )
    for col in ("pays", "transfer", "gain", "share"):
        rules[col] = clean_zero(rules[col], scale if col != "share" else 1.0)
    gains = rules["gain"].unstack("jurisdiction").reindex(columns=list(s.players))
    core = {
        r: _flag(v) for r, v in rules["in_core"].groupby(level="rule", sort=False).first().items()
    }
    names = {r: tr(f"rule.{r}", lang) for r in _RULES}
    inside = [names[r] for r in _RULES if core.get(r) is True]
    outside = [names[r] for r in _RULES if core.get(r) is False]
    notes = rules["note"].groupby(level="rule", sort=False).first()
    missing = [
        f"{names[r]} ({str(notes.get(r, '')).removeprefix('not available: ')})"
        for r in _RULES
        if core.get(r) is None
    ]
    sep = "，" if lang == "zh" else ", "
    sentences = [
        tr(
            "s.shares",
            lang,
            shapley=by_name(gains.loc["shapley"], lang, s.unit),
            nucleolus=by_name(gains.loc["nucleolus"], lang, s.unit),
        ),
        tr("s.in_core", lang, rules=sep.join(inside) or tr("s.none", lang)),
    ]
    if outside:
        sentences.append(tr("s.not_core", lang, rules=sep.join(outside)))
    if missing:
        sentences.append(tr("s.unavailable", lang, rules=sep.join(missing)))
    ctx.facts.update(rules_in_core=tuple(r for r in _RULES if core.get(r) is True))
    t = rules.reset_index()
    sheet = pd.DataFrame(
        {
            ctx.head("col.rule", False): [names.get(r, r) for r in t["rule"]],
            ctx.head("col.jurisdiction", False): [place(p, lang) for p in t["jurisdiction"]],
            ctx.head("col.share", False): t["share"].to_numpy(),
            ctx.head("col.pays"): t["pays"].to_numpy(),
            ctx.head("col.transfer"): t["transfer"].to_numpy(),
            ctx.head("col.gain"): t["gain"].to_numpy(),
            ctx.head("col.in_core", False): [
                tr("n/a", lang) if _flag(v) is None else tr("yes" if v else "no", lang)
                for v in t["in_core"]
            ],
        }
    )
    ctx.sheet("fair_shares", sheet)
    small = gains.iloc[:, :8].copy()
    small.columns = [place(p, lang) for p in small.columns]
    small.index = [names.get(r, r) for r in small.index]
    small.insert(
        len(small.columns),
        tr("col.in_core", lang),
        [
            tr("n/a", lang) if core.get(r) is None else tr("yes" if core.get(r) else "no", lang)
            for r in gains.index
        ],
    )
    small.index.name = f"{tr('col.gain', lang)} [{unit_label(s.unit, lang)}]"
    return Section("shares", tr("h.shares", lang), tuple(sentences), _rests(ctx, "r.shares"), small)


# ---------------------------------------------------------------- 3. compensation
def compensation(ctx: Context) -> Section:
    from ..compensation import payment_plan
    from .payment_plan import plot_payment_plan

    s, lang = ctx.scenario, ctx.lang
    comp = ctx.results["compensation"]
    if not comp.success:
        ctx.facts.update(least_subsidy=math.nan)
        return Section(
            "compensation",
            tr("h.compensation", lang),
            (tr("s.infeasible", lang, message=comp.message),),
            _rests(ctx, "r.compensation"),
        )
    subsidy = float(comp.subsidy)
    transfers = clean_zero(comp.transfers, float(np.abs(comp.transfers).max()))
    ctx.facts.update(least_subsidy=subsidy, transfers=transfers.to_dict())
    plan = payment_plan(comp, scenario=s)
    edges = plan.edges.sort_values("amount", ascending=False, kind="stable")
    arrow = " → "
    pay = ("，" if lang == "zh" else ", ").join(
        f"{place(r.payer, lang)}{arrow}{place(r.payee, lang)} {_num(r.amount)}"
        for r in edges.head(8).itertuples()
    )
    sentences = [
        tr("s.subsidy", lang, subsidy=ctx.money(subsidy)),
        tr("s.transfers", lang, transfers=by_name(transfers, lang, s.unit, True)),
        tr("s.payments", lang, payments=f"{pay} {unit_label(s.unit, lang)}")
        if len(edges)
        else tr("s.no_payments", lang),
    ]
    frame = comp.to_frame()
    detail = pd.DataFrame(
        {
            ctx.head("col.jurisdiction", False): [place(p, lang) for p in frame.index],
            ctx.head("col.transfer"): transfers.reindex(frame.index).to_numpy(),
            ctx.head("col.payoff_after"): frame["payoff_after"].to_numpy(),
            ctx.head("col.gain"): frame["gain"].to_numpy(),
            ctx.head("col.binding", False): frame["binding"].astype(str).to_numpy(),
        }
    )
    ctx.sheet("compensation", detail)
    ctx.sheet(
        "payments",
        pd.DataFrame(
            {
                ctx.head("col.payer", False): [place(p, lang) for p in edges["payer"]],
                ctx.head("col.payee", False): [place(p, lang) for p in edges["payee"]],
                ctx.head("col.amount"): edges["amount"].to_numpy(),
            }
        ),
    )
    column = max(sum(1 for p in plan.totals.index if p != plan.higher_level) // 2, 1)
    fig, ax = figure(lang, min(max(1.4, 0.6 + 0.22 * column), 2.4))
    plot_payment_plan(plan, ax, lang=lang, max_edges=20)
    return Section(
        "compensation",
        tr("h.compensation", lang),
        tuple(sentences),
        _rests(ctx, "r.compensation"),
        detail,
        finish(fig, lang),
        tr("t.plan_none", lang) if not len(edges) else sentences[-1],
    )


# ---------------------------------------------------------------- 4. fund
def fund(ctx: Context, assessed: bool, refused: bool = False) -> Section:
    """The fund, assessed only when every member states its fiscal capacity (the data its
    contributions are checked against) or when asked (``assessed``); otherwise the section
    says why not, names the members without a capacity, and how to assess it anyway.
    ``refused``: left out on request (``fund=False``)."""
    from ..compensation import design_fund
    from .fund import cofunding_ratio, plot_fund_sources

    s, lang = ctx.scenario, ctx.lang
    nan = math.nan
    if not assessed:
        ctx.facts.update(fund_members=nan, fund_cofunding=nan, fund_shortfall=nan)
        if refused:
            return Section("fund", tr("h.fund", lang), (tr("s.fund_off", lang),))
        cap = np.asarray(s.capacity, float)
        missing = [
            place(p, lang) for p, c in zip(s.players, cap, strict=True) if not np.isfinite(c)
        ]
        return Section(
            "fund",
            tr("h.fund", lang),
            (tr("s.no_fund", lang, missing=("、" if lang == "zh" else ", ").join(missing)),),
        )
    years = ctx.sizes.fund_years
    f = design_fund(s, confidence=0.95, years=years, seed=ctx.seed)
    rests = _rests(ctx, "r.fund", years=years, seed=ctx.seed)
    if not f.success:
        ctx.facts.update(fund_members=nan, fund_cofunding=nan, fund_shortfall=nan)
        return Section(
            "fund", tr("h.fund", lang), (tr("s.fund_infeasible", lang, message=f.message),), rests
        )
    oos = f.out_of_sample
    ratio = cofunding_ratio(float(f.cofunding), float(f.total_contributions))
    ctx.facts.update(
        fund_members=float(f.total_contributions),
        fund_cofunding=float(f.cofunding),
        fund_ratio=ratio,
        fund_shortfall=float(oos["shortfall_probability"]),
    )
    sentence = tr(
        "s.fund",
        lang,
        conf=_pct(f.confidence),
        members=ctx.money(f.total_contributions),
        key=tr(f"key.{f.key_name}", lang),
        cofunding=ctx.money(f.cofunding),
        ratio=_num(ratio),
        years=f"{oos['years']:,}",
        short=f"{oos['shortfall_probability']:.1%}",
    )
    df = f.to_frame()
    detail = pd.DataFrame(
        {
            ctx.head("col.member", False): [place(p, lang) for p in df.index],
            ctx.head("col.contribution"): df["contribution"].to_numpy(),
            ctx.head("col.payout_share", False): df["payout_share"].to_numpy(),
            ctx.head("col.expected_damage"): df["expected_damage"].to_numpy(),
        }
    )
    ctx.sheet("fund", detail)
    fig, ax = figure(lang, 1.5)
    plot_fund_sources(df["contribution"], f.cofunding, s.unit, ax, lang=lang)
    return Section(
        "fund",
        tr("h.fund", lang),
        (sentence,),
        rests,
        detail,
        finish(fig, lang),
        tr("t.fund_plain", lang),
    )


# ---------------------------------------------------------------- 5. holding
def holding(ctx: Context) -> Section:
    from ..repeated import compare_modes
    from .repeated import plot_modes

    s, lang = ctx.scenario, ctx.lang
    comp = ctx.results["compensation"]
    sz = ctx.sizes
    cmp = compare_modes(
        s,
        rounds=sz.mode_rounds,
        runs=sz.mode_runs,
        transfers=comp if comp.success else None,
        seed=ctx.seed,
    )
    t, st = cmp.table, cmp.settings
    h, p = float(t.loc["hierarchy", "cooperation_rate"]), float(t.loc["peer", "cooperation_rate"])
    ctx.facts.update(
        cooperation_hierarchy=h,
        cooperation_peer=p,
        collapse_hierarchy=float(t.loc["hierarchy", "collapse_share"]),
        collapse_peer=float(t.loc["peer", "collapse_share"]),
    )
    noise = getattr(st["noise"], "execution", st["noise"])
    sentences = [
        tr(
            "s.modes",
            lang,
            noise=_pct(float(noise)),
            shock=st["shock"].round,
            q=f"{st['audit_prob']:g}",
            a=f"{st['accuracy']:g}",
            fine=ctx.money(st["fine"]),
            h=_pct(h),
            hc=_pct(float(t.loc["hierarchy", "collapse_share"])),
            e=_pct(float(st["peer_error"])),
            tr=tr("s.modes_tr", lang) if comp.success else "",
            p=_pct(p),
            pc=_pct(float(t.loc["peer", "collapse_share"])),
        )
    ]
    holds = [
        tr(f"mode.{m}", lang)
        for m in ("hierarchy", "peer")
        if t.loc[m, "cooperation_rate"] >= HOLD_LEVEL
        and t.loc[m, "collapse_share"] <= HOLD_COLLAPSE
    ]
    sentences.append(
        tr(
            "s.holds",
            lang,
            level=_pct(HOLD_LEVEL),
            cl=_pct(HOLD_COLLAPSE),
            modes=("，" if lang == "zh" else ", ").join(holds) or tr("s.none", lang),
        )
    )
    detail = pd.DataFrame(
        {
            ctx.head("col.mode", False): [tr(f"mode.{m}", lang) for m in t.index],
            ctx.head("cooperation_rate", False): t["cooperation_rate"].to_numpy(),
            ctx.head("col.collapse", False): t["collapse_share"].to_numpy(),
            ctx.head("col.recovered", False): t["recovered_share"].to_numpy(),
            ctx.head("col.fines"): t["fines_per_run"].to_numpy(),
        }
    )
    ctx.sheet("governance", detail)
    fig, ax = figure(lang, 1.45)
    # the settings are in the section's sentence: the title states the finding only
    plot_modes(cmp, ax, lang=lang, title=tr("t.modes", lang, h=_pct(h), p=_pct(p)))
    return Section(
        "holding",
        tr("h.holding", lang),
        tuple(sentences),
        _rests(ctx, "r.modes", runs=sz.mode_runs, rounds=sz.mode_rounds, seed=ctx.seed),
        detail,
        finish(fig, lang),
        sentences[0],
    )


# ---------------------------------------------------------------- 6. sensitivity
def sensitivity(ctx: Context, spread: float) -> Section:
    from ..analysis import OUTCOMES
    from ..analysis import sensitivity as run
    from .sensitivity import parameter_label, plot_tornado

    s, lang, sz = ctx.scenario, ctx.lang, ctx.sizes
    table = run(
        s, spread=spread, rounds=sz.sensitivity_rounds, runs=sz.sensitivity_runs, seed=ctx.seed
    )
    items = []
    for out in OUTCOMES:
        t = table[table["outcome"] == out]
        if not len(t):
            continue
        r = t.iloc[0]
        rate = out == "cooperation_rate"
        lo, hi = sorted([r["low"], r["high"]], key=lambda v: (not math.isfinite(v), v))
        items.append(
            tr(
                "s.sens_item",
                lang,
                what=tr(f"out.{out}", lang),
                name=parameter_label(r, lang),
                lo=_pct(lo) if rate else _num(lo),
                hi=_pct(hi) if rate else _num(hi),
                unit="" if rate else " " + unit_label(s.unit, lang),
            )
        )
    sentences = (tr("s.sens", lang, pct=f"{spread:.0%}", items=_sep(lang).join(items)),)
    u = unit_label(s.unit, lang)
    order = {o: k for k, o in enumerate(OUTCOMES)}
    top = (
        table.assign(_out=table["outcome"].map(order), _key=-table["swing"].fillna(np.inf))
        .sort_values(["_out", "_key"], kind="stable")
        .groupby("outcome", sort=False)
        .head(ANNEX_SENSITIVITY_ROWS)
    )
    detail = pd.DataFrame(
        {
            ctx.head("col.outcome", False): [tr(f"out.{o}", lang) for o in top["outcome"]],
            ctx.head("col.parameter", False): [parameter_label(r, lang) for _, r in top.iterrows()],
            ctx.head("col.base", False): top["base"].to_numpy(),
            ctx.head("col.low", False): top["low"].to_numpy(),
            ctx.head("col.high", False): top["high"].to_numpy(),
            ctx.head("col.unit", False): [
                tr("share_unit", lang) if o == "cooperation_rate" else u for o in top["outcome"]
            ],
        }
    )
    ctx.sheet(
        "sensitivity",
        pd.DataFrame(
            {
                ctx.head("col.parameter", False): [
                    parameter_label(r, lang) for _, r in table.iterrows()
                ],
                ctx.head("col.base_value", False): table["base_value"].to_numpy(),
                ctx.head("col.low_value", False): table["low_value"].to_numpy(),
                ctx.head("col.high_value", False): table["high_value"].to_numpy(),
                ctx.head("col.outcome", False): [tr(f"out.{o}", lang) for o in table["outcome"]],
                ctx.head("col.unit", False): [
                    tr("share_unit", lang) if o == "cooperation_rate" else u
                    for o in table["outcome"]
                ],
                ctx.head("col.base", False): table["base"].to_numpy(),
                ctx.head("col.low", False): table["low"].to_numpy(),
                ctx.head("col.high", False): table["high"].to_numpy(),
                ctx.head("col.swing", False): table["swing"].to_numpy(),
            }
        ),
    )
    shown = 5
    labels = [
        two_lines(x)
        for x in (
            parameter_label(r, lang)
            for _, r in table[table["outcome"] == "least_subsidy"].iterrows()
        )
    ]
    lines = sum(sorted((x.count("\n") + 1 for x in labels), reverse=True)[:shown])
    fig, ax = figure(lang, 0.95 + 0.1 * max(lines, 1))
    plot_tornado(table, "least_subsidy", ax, top=shown, lang=lang)
    ax.set_yticks(ax.get_yticks(), [two_lines(x.get_text()) for x in ax.get_yticklabels()])
    return Section(
        "sensitivity",
        tr("h.sensitivity", lang),
        sentences,
        _rests(
            ctx, "r.sens", runs=sz.sensitivity_runs, rounds=sz.sensitivity_rounds, seed=ctx.seed
        ),
        detail.reset_index(drop=True),
        finish(fig, lang, legend_above=True),
        sentences[0],
    )


# ---------------------------------------------------------------- assumptions
def assumptions(ctx: Context) -> Section:
    s, lang, f = ctx.scenario, ctx.lang, ctx.facts
    u = unit_label(s.unit, lang)
    share = tr("share_unit", lang)
    rows = [
        ("q.surplus", f.get("cost_alone"), u, "r.alone"),
        ("q.subsidy", f.get("least_subsidy"), u, "r.compensation"),
        ("q.fund_members", f.get("fund_members"), u, "r.fund"),
        ("q.fund_cofunding", f.get("fund_cofunding"), u, "r.fund"),
        ("q.coop_h", f.get("cooperation_hierarchy"), share, "r.modes"),
        ("q.coop_p", f.get("cooperation_peer"), share, "r.modes"),
    ]
    sz = ctx.sizes
    fields = {
        "years": sz.fund_years,
        "seed": ctx.seed,
        "runs": sz.mode_runs,
        "rounds": sz.mode_rounds,
    }
    table = pd.DataFrame(
        {
            tr("col.quantity", lang): [tr(k, lang) for k, *_ in rows],
            tr("col.value", lang): [np.nan if v is None else float(v) for _, v, _, _ in rows],
            tr("col.unit", lang): [unit for *_, unit, _ in rows],
            tr("col.assumption", lang): [
                tr(r, lang, **fields) if "{" in tr(r, "en") else tr(r, lang) for *_, r in rows
            ],
        }
    )
    ctx.sheet("assumptions", table)
    table = table.copy()
    table.index = table.pop(tr("col.quantity", lang))
    table.index.name = tr("col.quantity", lang)
    sentences = [
        tr(
            "s.sizes",
            lang,
            seed=ctx.seed,
            years=f"{sz.fund_years:,}",
            runs=sz.mode_runs,
            rounds=sz.mode_rounds,
            sruns=sz.sensitivity_runs,
            srounds=sz.sensitivity_rounds,
        )
    ]
    src = s.source or ""
    if src:
        sentences.append(tr("s.file", lang, path=src))
    return Section("assumptions", tr("h.assumptions", lang), tuple(sentences), table=table)
