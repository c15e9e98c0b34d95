"""Words of the report layer in English and Chinese: one translation table.

Every label of a figure, a heading or a sentence of the brief
(:func:`cooperation.report.brief`) and a column of its workbook is looked up
here by key, so that ``lang="zh"`` gives the field's own terms as the Chinese
literature on cross-regional governance writes them: 属地管理 (territorial
responsibility), 发生地为主、波及地为辅 (the origin leads, the affected assist),
生态补偿 (eco-compensation), 应急基金 (emergency fund), 纳什均衡, 社会最优,
沙普利值, 核仁, 核心, 转移支付.

``TERMS[key] = (english, chinese)``; sentences are ``str.format`` templates
whose fields are filled with numbers already formatted with their units.
``PLACES`` gives the Chinese names of the shipped cases' jurisdictions and
``UNITS`` the Chinese money units; names not in the tables are shown as
written in the scenario.

References
----------
Terms as in the Chinese literature on eco-compensation and cross-regional
emergency governance, e.g. 《国务院办公厅关于健全生态保护补偿机制的意见》
(国办发〔2016〕31号) for 生态保护补偿 and 横向补偿, and the game-theory vocabulary of
谢识予《经济博弈论》 (纳什均衡, 沙普利值, 核仁, 核心).
"""

from __future__ import annotations

from ..errors import InputError

__all__ = ["LANGS", "TERMS", "PLACES", "UNITS", "check_lang", "tr", "place", "unit_label",
           "action_label"]

LANGS = ("en", "zh")

#: key -> (English, Chinese)
TERMS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------- field terms
    "territorial": ("territorial responsibility", "属地管理"),
    "nash": ("Nash equilibrium", "纳什均衡"),
    "optimum": ("social optimum", "社会最优"),
    "surplus": ("cooperation surplus", "合作剩余"),
    "poa": ("price of anarchy", "无政府代价"),
    "shapley": ("Shapley value", "沙普利值"),
    "nucleolus": ("nucleolus", "核仁"),
    "core": ("core", "核心"),
    "transfer": ("transfer", "转移支付"),
    "subsidy": ("subsidy from the higher level", "上级补助"),
    "eco_compensation": ("eco-compensation", "生态补偿"),
    "fund": ("emergency fund", "应急基金"),
    "cofunding": ("higher level's co-funding", "上级配套资金"),
    "contributions": ("members' contributions", "成员缴款"),
    "higher_level": ("higher level", "上级政府"),
    "hierarchy": ("hierarchy-led (audits and fines)", "科层主导（督查与罚款）"),
    "peer": ("peer-led (trust)", "横向互信（信任）"),
    "cooperation_rate": ("cooperation rate", "合作率"),
    "round": ("round (year)", "轮次（年）"),
    "illustrative": ("illustrative", "示意性"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "n/a": ("n/a", "不适用"),
    # ------------------------------------------------------------- rules
    "rule.origin": ("origin leads, affected assist", "发生地为主、波及地为辅"),
    "rule.beneficiary": ("beneficiary pays", "受益者付费"),
    "rule.ability": ("ability to pay", "量能负担"),
    "rule.equal": ("equal shares", "平均分担"),
    "rule.shapley": ("Shapley value", "沙普利值"),
    "rule.nucleolus": ("nucleolus", "核仁"),
    # ------------------------------------------------------------- actions
    "action.self": ("self only", "属地（各自为政）"),
    "action.cooperate": ("cooperate", "协同"),
    # ------------------------------------------------------------- brief headings
    "brief": ("Policy brief", "决策简报"),
    "h.alone": ("1. Going it alone (territorial responsibility)", "一、各自为政：属地管理的代价"),
    "h.shares": ("2. Fair shares and responsibility rules", "二、公平分担与责任规则"),
    "h.compensation": ("3. Compensation: the least subsidy and who pays whom",
                       "三、生态补偿：最小补助与转移支付"),
    "h.fund": ("4. The emergency fund", "四、应急基金"),
    "h.holding": ("5. Does cooperation hold under noise?", "五、合作能否在扰动下维持"),
    "h.sensitivity": ("6. What the answers depend on", "六、敏感性分析"),
    "h.assumptions": ("Assumptions and sources", "假设与数据来源"),
    "h.annex": ("Annex: detail tables (not part of the one-page brief)",
                "附件：明细表（不属于一页简报正文）"),
    # ------------------------------------------------------------- table columns
    "col.jurisdiction": ("jurisdiction", "地区"),
    "col.alone_action": ("action alone", "单独行动"),
    "col.alone_payoff": ("payoff alone", "单独收益"),
    "col.opt_payoff": ("payoff at the optimum", "社会最优收益"),
    "col.rule": ("rule", "规则"),
    "col.in_core": ("in the core", "属于核心"),
    "col.gain": ("gain over going alone", "较单独行动的收益"),
    "col.pays": ("pays of the programme", "分担的项目成本"),
    "col.transfer": ("transfer received (+) / paid (-)", "转移支付：收入（+）/支出（-）"),
    "col.payer": ("payer", "支付方"),
    "col.payee": ("payee", "收款方"),
    "col.amount": ("amount", "金额"),
    "col.member": ("member", "成员"),
    "col.contribution": ("contribution", "缴款"),
    "col.expected_damage": ("expected damage", "预期损失"),
    "col.payout_share": ("payout share of damage", "赔付比例"),
    "col.mode": ("governance", "治理模式"),
    "col.collapse": ("runs that collapse", "合作崩溃的比例"),
    "col.recovered": ("runs that recover after a shock", "冲击后恢复的比例"),
    "col.parameter": ("parameter", "参数"),
    "col.side": ("side", "方向"),
    "col.value": ("value", "取值"),
    "col.outcome": ("outcome", "结果指标"),
    "col.result": ("result", "结果"),
    "col.base": ("baseline", "基准值"),
    "col.quantity": ("quantity", "指标"),
    "col.unit": ("unit", "单位"),
    "col.assumption": ("rests on", "依据"),
    # ------------------------------------------------------------- sensitivity outcomes
    "out.least_subsidy": ("least subsidy", "最小上级补助"),
    "out.cost_alone": ("cost of going alone", "各自为政的代价"),
    "out.cooperation_rate": ("cooperation rate under audits", "督查下的合作率"),
    "param.probability": ("probability", "发生概率"),
    "param.damage": ("damage", "损失"),
    "param.prevention": ("prevention effect", "预防效果"),
    "param.response": ("response effect", "联合响应效果"),
    "param.capacity": ("fiscal capacity", "财政能力"),
    "low": ("low", "下调"),
    "high": ("high", "上调"),
    "infeasible": ("infeasible", "不可行"),
    "members_total": ("members' total", "成员合计"),
    "money_per_year": ("money per year", "每年金额"),
    "shock": ("shock", "冲击"),
    "all": ("all", "全部"),
    "mode.hierarchy": ("hierarchy-led", "科层主导"),
    "mode.peer": ("peer-led", "横向互信"),
    # ------------------------------------------------------------- simulation settings
    "p.runs": ("{runs} runs x {rounds} rounds", "{runs} 次模拟 × {rounds} 轮"),
    "p.noise": ("noise {noise}", "执行误差 {noise}"),
    "p.no_monitoring": ("no monitoring", "无监督"),
    "p.audits": ("audits q={q}, accuracy {a}, fine {fine}", "督查概率 {q}、准确率 {a}、罚款 {fine}"),
    "p.peers": ("peer error {e}, peer fine {fine}", "同级观察误差 {e}、同级惩罚 {fine}"),
    "p.peer_error": ("peer error {e}", "同级观察误差 {e}"),
    "p.transfers": ("with transfers", "含转移支付"),
    "p.continuation": ("continuation {delta}", "延续概率 {delta}"),
    "p.seed": ("seed {seed}", "随机种子 {seed}"),
    "subsidy_short": ("subsidy", "补助"),
    "short": ("short", "缺口"),
    # ------------------------------------------------------------- brief sentences
    "s.unit": ("All money in {unit}, yearly expected values.", "金额单位：{unit}；均为年度期望值。"),
    "s.illustrative": ("Illustrative parameters (not estimates): {what}.",
                       "示意性参数（非估计值）：{what}。"),
    "s.no_illustrative": ("The scenario does not say which of its parameters are illustrative.",
                          "情景未说明哪些参数为示意性参数。"),
    "s.alone": ("Alone (the worst Nash equilibrium), {actions}.",
                "各自为政（最差的纳什均衡）时：{actions}。"),
    "s.alone_mixed": ("There is no pure Nash equilibrium; going alone means each "
                      "jurisdiction's security level.",
                      "不存在纯策略纳什均衡；各自为政时各地取其安全水平。"),
    "s.optimum": ("In the social optimum {actions}; going alone costs the region {surplus} "
                  "(expected cost {poa} times the optimum's).",
                  "社会最优下：{actions}；各自为政使全区域损失 {surplus}（期望成本为社会最优的 "
                  "{poa} 倍）。"),
    "s.shares": ("Fair shares of the gain from cooperating: Shapley value {shapley}; "
                 "nucleolus {nucleolus}.",
                 "合作收益的公平分配：沙普利值 {shapley}；核仁 {nucleolus}。"),
    "s.in_core": ("In the core (no group of jurisdictions would do better on its own): {rules}.",
                  "属于核心（任何地区联盟都无法单干得更好）：{rules}。"),
    "s.not_core": ("Outside the core: {rules}.", "不属于核心：{rules}。"),
    "s.unavailable": ("Not available: {rules}.", "无法计算：{rules}。"),
    "s.none": ("none", "无"),
    "s.subsidy": ("The least subsidy that makes cooperation worthwhile for every jurisdiction "
                  "and self-enforcing (no one gains by defecting and forfeiting its transfer) "
                  "is {subsidy}.",
                  "使每个地区都愿意合作且合作可自我执行（任何一方背离都得不偿失，并失去转移支付）"
                  "的最小上级补助为 {subsidy}。"),
    "s.transfers": ("Transfers received (+) or paid (-): {transfers}.",
                    "转移支付（收入为正、支出为负）：{transfers}。"),
    "s.payments": ("Who pays whom: {payments}.", "谁向谁支付：{payments}。"),
    "s.no_payments": ("No payment is needed.", "无需支付。"),
    "s.infeasible": ("No transfers make cooperation worthwhile and self-enforcing: {message}",
                     "没有任何转移支付能使合作既有利又可自我执行：{message}"),
    "s.fund": ("An emergency fund solvent at {conf} CVaR: the members pay {members} a year "
               "({key} key), the higher level co-funds {cofunding} ({ratio} times the members). "
               "Over {years} further simulated years it falls short in {short} of years.",
               "在 {conf} CVaR 下保持偿付能力的应急基金：成员每年缴款 {members}（按{key}分摊），"
               "上级配套 {cofunding}（为成员缴款的 {ratio} 倍）。在另外 {years} 个模拟年份中，"
               "资金不足的年份占 {short}。"),
    "s.fund_off": ("Not assessed: left out on request (--no-fund, co.brief(..., fund=False)).",
                   "未评估：按要求略去（--no-fund，co.brief(..., fund=False)）。"),
    "s.fund_infeasible": ("No fund meets the solvency rule: {message}",
                          "没有满足偿付要求的基金方案：{message}"),
    "s.no_fund": ("Not assessed: a fund is assessed only when every member states its fiscal "
                  "capacity, the data its contributions are checked against, and the scenario "
                  "gives none for {missing}. To assess it, give each member's capacity in the "
                  "scenario, or pass --fund (co.brief(..., fund=True)) for uncapped "
                  "contributions.",
                  "未评估：只有每个成员都给出财政能力（核对基金缴款的依据）时才评估应急基金，"
                  "而情景未给出{missing}的财政能力。如需评估，请在情景中给出各成员的 capacity，"
                  "或使用 --fund（co.brief(..., fund=True)），缴款不设上限。"),
    "s.modes": ("Under noise ({noise} of actions flipped) and a crisis year at round {shock}: "
                "with audits and fines (q = {q}, accuracy {a}, fine {fine}, the least that "
                "deters) {h} of jurisdiction-years cooperate and {hc} of runs collapse; with "
                "trust (peer-led, peers err {e}{tr}) {p} cooperate and {pc} collapse.",
                "在扰动（{noise} 的行动被随机改变）和第 {shock} 轮的危机年份下：督查与罚款（督查"
                "概率 {q}、准确率 {a}、罚款 {fine}，即足以威慑的最低罚款）时合作率 {h}，"
                "{hc} 的模拟中合作崩溃；信任机制（横向互信，同级观察误差 {e}{tr}）时合作率 {p}，"
                "{pc} 崩溃。"),
    "s.modes_tr": (", transfers of section 3", "，含第三节的转移支付"),
    "s.holds": ("Cooperation holds (at least {level} cooperate, at most {cl} of runs collapse) "
                "under: {modes}.", "合作可以维持（合作率不低于 {level}、崩溃比例不超过 {cl}）的"
                "机制：{modes}。"),
    "s.sens": ("At ±{pct} of each parameter: {items}.", "各参数变动 ±{pct} 时：{items}。"),
    "s.sens_item": ("the {what} hinges most on {name} ({lo} to {hi}{unit})",
                    "{what}对{name}最敏感（{lo} 至 {hi}{unit}）"),
    "s.rests": ("Rests on", "依据"),
    "s.sizes": ("Every simulated number uses seed {seed}: {years} fund years, {runs} runs x "
                "{rounds} rounds of repeated play, {sruns} runs x {srounds} rounds per "
                "sensitivity point. The annex holds the detail tables, the workbook (.xlsx) every "
                "table.",
                "所有模拟结果的随机种子为 {seed}：基金模拟 {years} 年；重复博弈 {runs} 次 × {rounds} "
                "轮；敏感性分析每点 {sruns} 次 × {srounds} 轮。明细表见附件，全部表格见工作簿（.xlsx）。"),
    "s.file": ("Scenario file: {path}", "情景文件：{path}"),
    "illustrative_params": ("illustrative parameters", "示意性参数"),
    "r.alone": ("the scenario's probabilities, damages and costs; pure Nash equilibria and the "
                "social optimum of the game", "情景中的概率、损失与成本；博弈的纯策略纳什均衡与社会最优"),
    "r.shares": ("the characteristic function with Nash outsiders; the programme bill from "
                 "going alone to the optimum", "以纳什均衡刻画联盟外成员的特征函数；从各自为政到社会最优的项目成本"),
    "r.compensation": ("the transfer LP (participation, self-enforcement, capacity, core), "
                       "solved by HiGHS; payments along the hazards' links (beneficiary pays "
                       "the source)", "转移支付线性规划（参与、自我执行、支付能力、核心约束，HiGHS "
                       "求解）；沿风险传导链路支付（受益方向来源地支付）"),
    "r.fund": ("{years} simulated years (seed {seed}), CVaR LP of Rockafellar and Uryasev; "
               "everyone cooperating", "{years} 个模拟年份（随机种子 {seed}），Rockafellar–"
               "Uryasev CVaR 线性规划；各方均合作"),
    "r.modes": ("{runs} runs x {rounds} rounds (seed {seed}); self-interested jurisdictions "
                "under audits, trust-threshold jurisdictions under peers",
                "{runs} 次模拟 × {rounds} 轮（随机种子 {seed}）；督查下为自利型地区，横向互信下为"
                "信任阈值型地区"),
    "r.sens": ("one parameter at a time, the others at their base values; cooperation rate "
               "under the base case's audit regime ({runs} runs x {rounds} rounds, seed {seed})",
               "每次只变动一个参数、其余取基准值；合作率按基准情形的督查机制计算（{runs} 次模拟 × "
               "{rounds} 轮，随机种子 {seed}）"),
    "key.benefit": ("benefit", "受益"), "key.ability": ("ability-to-pay", "量能"),
    "key.equal": ("equal", "平均"), "key.population": ("population", "人口"),
    "key.given": ("given", "给定"),
    "t.alone": ("Going alone costs the region {surplus}", "各自为政使全区域损失 {surplus}"),
    "t.alone_plain": ("Expected yearly cost by jurisdiction", "各地区的年度期望成本"),
    "ax.cost": ("expected yearly cost", "年度期望成本"),
    "bar.alone": ("alone (Nash equilibrium)", "各自为政（纳什均衡）"),
    "bar.coop": ("cooperating, after transfers", "合作并经转移支付后"),
    "sheet.going_alone": ("going alone", "各自为政"), "sheet.fair_shares": ("fair shares", "公平分担"),
    "sheet.compensation": ("compensation", "生态补偿"), "sheet.payments": ("payments", "支付方案"),
    "sheet.fund": ("fund", "应急基金"), "sheet.governance": ("governance", "治理模式"),
    "sheet.sensitivity": ("sensitivity", "敏感性"), "sheet.assumptions": ("assumptions", "假设"),
    "col.share": ("share of the bill", "成本分担比例"),
    "col.payoff_after": ("payoff after transfers", "转移支付后收益"),
    "col.binding": ("binding constraints", "紧约束"),
    "col.fines": ("fines per run", "每次模拟罚款"),
    "col.low_value": ("low value", "下调值"), "col.high_value": ("high value", "上调值"),
    "col.base_value": ("base value", "基准参数值"), "col.low": ("answer at low", "下调时结果"),
    "col.high": ("answer at high", "上调时结果"), "col.swing": ("swing", "变动幅度"),
    "share_unit": ("share", "比例"),
    "q.surplus": ("cost of going alone", "各自为政的代价"),
    "q.subsidy": ("least subsidy", "最小上级补助"),
    "q.fund_members": ("members pay into the fund", "成员缴入基金"),
    "q.fund_cofunding": ("higher level's co-funding", "上级配套资金"),
    "q.coop_h": ("cooperation rate, audits and fines", "合作率（督查与罚款）"),
    "q.coop_p": ("cooperation rate, trust", "合作率（信任机制）"),
    "q.seed": ("seed", "随机种子"),
    # ------------------------------------------------------------- figure titles (findings)
    "t.plan": ("Who pays whom: {n} payment{s}, {total} in all; largest {payer} → {payee} "
               "{amount}", "谁向谁支付：{n} 笔，共 {total}；最大一笔 {payer} → {payee} {amount}"),
    "t.plan_none": ("Who pays whom: no payment is needed", "谁向谁支付：无需支付"),
    "t.plan_partial": (" (infeasible: partial plan)", "（不可行：部分方案）"),
    "t.plan_shown": ("{k} largest of {n} payments shown", "仅显示最大的 {k} 笔（共 {n} 笔）"),
    "t.cooperation": ("Cooperation rate {rate} over all rounds",
                      "全部轮次的合作率为 {rate}"),
    "t.modes": ("Audits and fines hold {h} cooperation, trust {p}",
                "督查与罚款下合作率 {h}，信任机制下 {p}"),
    "t.fund_ratio": ("The higher level co-funds {ratio} times what the members pay",
                     "上级配套资金是成员缴款的 {ratio} 倍"),
    "t.fund_plain": ("Members' contributions and the higher level's co-funding",
                     "成员缴款与上级配套资金"),
    "t.tornado": ("The {what} hinges most on {name}\n(±{pct}: {lo} to {hi}{unit})",
                  "{what}对{name}最敏感\n（±{pct}：{lo} 至 {hi}{unit}）"),
    "param.cost_of": ("{target}: cost to {level}", "{target}：{level}成本"),
    "param.named": ("{target}: {name}", "{target}：{name}"),
}

#: Chinese names of the jurisdictions of the shipped cases (data/)
PLACES: dict[str, str] = {
    "Anhui": "安徽", "Zhejiang": "浙江", "Yunnan": "云南", "Guizhou": "贵州",
    "Sichuan": "四川", "Beijing": "北京", "Tianjin": "天津", "Hebei": "河北",
    "Langfang": "廊坊", "Baoding": "保定", "Tangshan": "唐山", "Cangzhou": "沧州",
    "Zhenxiong": "镇雄", "Weixin": "威信", "Qixingguan": "七星关", "Jinsha": "金沙",
    "Renhuai": "仁怀", "Xishui": "习水", "Chishui": "赤水", "Gulin": "古蔺",
    "Xuyong": "叙永", "Hejiang": "合江", "Meteorology": "气象部门", "Emergency": "应急管理部门",
    "Transport": "交通部门", "Publicity": "宣传部门", "higher level": "上级政府",
}

#: the scenario's money unit -> its Chinese form
UNITS: dict[str, str] = {
    "CNY 100M/yr": "亿元/年", "CNY 100M": "亿元", "CNY 10k": "万元", "CNY 10k/yr": "万元/年",
    "CNY 1M": "百万元", "CNY 1M/yr": "百万元/年", "CNY": "元", "EUR M": "百万欧元",
    "EUR M/yr": "百万欧元/年", "USD M": "百万美元",
}


def check_lang(lang) -> str:
    """``lang`` if it is one of :data:`LANGS`, else an :class:`InputError`.

    Examples
    --------
    >>> check_lang("zh")
    'zh'
    """
    if lang not in LANGS:
        raise InputError(f"must be one of {', '.join(LANGS)}", field="lang", value=lang)
    return lang


def tr(key: str, lang: str = "en", /, **fields) -> str:
    """The term ``key`` in ``lang``, formatted with ``fields`` when given.

    Examples
    --------
    >>> tr("rule.origin", "zh")
    '发生地为主、波及地为辅'
    >>> tr("shapley", "en")
    'Shapley value'
    """
    en, zh = TERMS[key]
    text = zh if check_lang(lang) == "zh" else en
    return text.format(**fields) if fields else text


def place(name: str, lang: str = "en") -> str:
    """A jurisdiction's name in ``lang`` (Chinese when the table knows it).

    Examples
    --------
    >>> place("Anhui", "zh"), place("Anhui", "en"), place("Atlantis", "zh")
    ('安徽', 'Anhui', 'Atlantis')
    """
    return PLACES.get(name, name) if check_lang(lang) == "zh" else name


def unit_label(unit: str, lang: str = "en") -> str:
    """The money unit in ``lang``: ``"CNY 100M/yr"`` is ``"亿元/年"`` in Chinese.

    Examples
    --------
    >>> unit_label("CNY 100M/yr", "zh"), unit_label("CNY 100M/yr", "en")
    ('亿元/年', 'CNY 100M/yr')
    """
    return UNITS.get(unit, unit) if check_lang(lang) == "zh" else unit


def action_label(action: str, lang: str = "en") -> str:
    """An action level's name: ``self`` and ``cooperate`` in words, others as written.

    Examples
    --------
    >>> action_label("self", "zh"), action_label("cooperate", "en")
    ('属地（各自为政）', 'cooperate')
    """
    key = f"action.{action}"
    return tr(key, lang) if key in TERMS else action
