"""The results section of the paper, written from the tables (never typed by hand).

Every number in the text is formatted from a table cell by :func:`num`, so the
section always quotes the tables of the same build.
"""

from __future__ import annotations

import pandas as pd

CASE_NAMES = {"xinan": "Xin'an River", "chishui": "Chishui River",
              "jingjinji": "Beijing-Tianjin-Hebei", "baiyangdian": "Baiyangdian",
              "riskpool": "risk pool"}


def num(x: float, digits: int = 3) -> str:
    """A table number as the text quotes it: ``digits`` significant figures."""
    x = float(x)
    if x == 0.0:
        return "0"
    if abs(x) >= 10 ** digits:
        return f"{x:.0f}"
    return f"{x:.{digits}g}"


def _unit(u: str) -> str:
    return u


def render_results(T: dict[str, pd.DataFrame]) -> str:
    lines: list[str] = []
    add = lines.append

    # ------------------------------------------------------------ going alone
    g = T["going_alone"]
    add("### 4.1 The price of going alone\n")
    add("Table `going_alone` (figure `going_alone.png`). Under 属地管理 every jurisdiction "
        "weighs only the damage it bears itself; the pure Nash equilibrium of each case "
        "falls short of the social optimum:\n")
    for _, r in g.iterrows():
        add(f"- **{CASE_NAMES[r['case']]}** ({r['players']} players): at the equilibrium "
            f"{r['equilibrium']}; at the optimum {r['optimum']}. Going alone costs the "
            f"region {num(r['cooperation_surplus'])} {_unit(r['unit'])} (expected "
            f"cost ratio {num(r['price_of_anarchy'])}).")
    add("")

    # ------------------------------------------------------------ fair shares
    f = T["fair_shares"]
    add("### 4.2 Fair shares and the real keys\n")
    add("Table `fair_shares` (figure `fair_shares.png`); characteristic function with "
        "outsiders keeping their Nash actions.\n")
    ch = f[f["case"] == "chishui"]
    by = ch.groupby("allocation", sort=False).first()
    sh = ch[ch["allocation"] == "Shapley value"].set_index("jurisdiction")["transfer"]
    add(f"- **Chishui.** The Shapley value has Yunnan receive {num(sh['Yunnan'])}, Guizhou "
        f"receive {num(sh['Guizhou'])} and Sichuan pay {num(-sh['Sichuan'])} "
        f"{ch['unit'].iloc[0]}. Read as shares of the programme bill, the real 1:5:4 key "
        f"{'lies in' if by.loc['real key 1:5:4 as bill shares', 'in_core'] else 'lies outside'}"
        f" the core (largest coalition excess "
        f"{num(by.loc['real key 1:5:4 as bill shares', 'max_excess'])}; L1 distance to "
        f"Shapley {num(by.loc['real key 1:5:4 as bill shares', 'distance_to_shapley'])}). "
        f"The real fund as paid (2亿 in at 1:5:4, out at 3:4:3) "
        f"{'lies in' if by.loc['real fund 1:5:4 in, 3:4:3 out', 'in_core'] else 'lies outside'}"
        f" the core: a coalition gains up to "
        f"{num(by.loc['real fund 1:5:4 in, 3:4:3 out', 'max_excess'])} by leaving (L1 "
        f"distance to Shapley "
        f"{num(by.loc['real fund 1:5:4 in, 3:4:3 out', 'distance_to_shapley'])}).")
    jj = f[f["case"] == "jingjinji"]
    jb = jj.groupby("allocation", sort=False).first()
    add(f"- **Beijing-Tianjin-Hebei.** The real 2015 pairing (Beijing paying Langfang and "
        f"Baoding, Tianjin paying Tangshan and Cangzhou, as cited) "
        f"{'lies in' if jb.loc['real 2015 pairing', 'in_core'] else 'lies outside'} the core "
        f"of the illustrative model (largest excess {num(jb.loc['real 2015 pairing', 'max_excess'])}"
        f"; L1 distance to Shapley {num(jb.loc['real 2015 pairing', 'distance_to_shapley'])}).")
    for case in ("xinan", "baiyangdian"):
        c = f[(f["case"] == case) & (f["allocation"] == "Shapley value")]
        payer = c.loc[c["transfer"].idxmin()]
        payee = c.loc[c["transfer"].idxmax()]
        add(f"- **{CASE_NAMES[case]}.** Shapley value and nucleolus "
            f"{'coincide' if f[(f['case'] == case)].groupby('allocation')['distance_to_shapley'].max().max() < 1e-6 else 'differ'}"
            f": {payer['jurisdiction']} pays {payee['jurisdiction']} {num(payee['transfer'])} "
            f"{payee['unit']}.")
    add("")

    # ------------------------------------------------------------ compensation
    c = T["compensation_summary"]
    add("### 4.3 The smallest subsidy that makes the optimum self-enforcing\n")
    add("Table `compensation_summary`, transfers in `compensation_transfers`, bilateral "
        "payments in `compensation_payments` (figure `compensation_jingjinji.png`: who pays "
        "whom under the least subsidy and under the real 2015 pairing). A detected deviator "
        "forfeits its transfer; no fine.\n")
    for case in c["case"].unique():
        se = c[(c["case"] == case) & (c["design"] == "self-enforcing")].iloc[0]
        pc = c[(c["case"] == case) & (c["design"] == "participation and core")].iloc[0]
        add(f"- **{CASE_NAMES[case]}**: the higher level must add {num(se['subsidy'])} "
            f"{se['unit']} for the optimum to be self-enforcing (money moved "
            f"{num(se['money_moved'])}); with participation and the core only, "
            f"{num(pc['subsidy'])} (money moved {num(pc['money_moved'])}).")
    add("")

    # ------------------------------------------------------------ Xin'an
    rg = T["xinan_range"]
    st = T["xinan_stakes"]
    r0 = rg.iloc[0]
    add("### 4.4 The Xin'an bargaining range\n")
    add("Tables `xinan_range`, `xinan_stakes` (figure `xinan_bargaining.png`).\n")
    s0 = st[st["setting"] == st["setting"].iloc[0]]
    parts = []
    for _, r in s0.iterrows():
        parts.append(f"{r['stake_label'].split('_')[1].replace('round', 'round ')} "
                     f"stake {num(r['stake'])}亿 {'inside' if r['in_range'] else 'outside'}")
    add(f"Both provinces gain, at every equilibrium, for stakes in "
        f"[{num(r0['lower'])}, {num(r0['upper'])}] {r0['unit']}: " + "; ".join(parts) + ". "
        f"With the central government's round-1 payment to Anhui the lower end falls to "
        f"{num(rg.iloc[1]['lower'])}.\n")

    # ------------------------------------------------------------ fund
    fs = T["riskpool_fund_summary"].set_index("key")
    b = fs.loc["benefit"]
    add("### 4.5 A crisis fund for the risk pool\n")
    add("Tables `riskpool_fund_summary`, `riskpool_fund_members` (figure "
        "`riskpool_fund.png`). With the five fictional members at 95% CVaR, members pay "
        f"{num(b['members_pay'])} {b['unit']} a year, their expected payouts, and the higher "
        f"level co-funds {num(b['cofunding'])}: the tail of the payouts. Out of sample the "
        f"fund falls short in {num(b['shortfall_probability_out_of_sample'])} of the years "
        f"(expected shortfall {num(b['expected_shortfall_out_of_sample'])}).\n")

    # ------------------------------------------------------------ monitoring
    m = T["monitoring"]
    add("### 4.6 Monitoring: hierarchy-led vs peer-led\n")
    add("Table `monitoring` (figure `monitoring.png`): noise 0.02, a one-year crisis "
        "shock halfway.\n")
    for case in m["case"].unique():
        h = m[(m["case"] == case) & (m["mode"] == "hierarchy")].iloc[0]
        p = m[(m["case"] == case) & (m["mode"] == "peer")].iloc[0]
        add(f"- **{CASE_NAMES[case]}**: cooperation rate {num(h['cooperation_rate'])} "
            f"hierarchy-led vs {num(p['cooperation_rate'])} peer-led; cooperation collapses "
            f"in {num(h['collapse_share'])} vs {num(p['collapse_share'])} of the runs.")
    add("")

    # ------------------------------------------------------------ sweep
    sw = T["audit_sweep"]
    add("### 4.7 Phase diagram of audits and fines\n")
    hi = sw[sw["cooperation_rate"] >= 0.9]
    add(f"Table `audit_sweep` (figure `phase_diagram.png`), {len(sw)} cells on Chishui with "
        f"self-interested provinces: cooperation reaches 0.9 in {len(hi)} of them, those "
        f"beyond the deterrence line q·a·F = largest gain from defecting.\n")
    return "\n".join(lines)
