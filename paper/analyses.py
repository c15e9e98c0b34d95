"""The paper's analyses: each function reads the shipped cases and returns tidy tables.

Every number comes from a library call (``import cooperation as co``); this
module only chooses the calls, their settings and the layout of the tables.
Sizes (simulated years, runs, grid cells) come from a :class:`Sizes` object,
so the quick build runs the same pipeline, smaller.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import cooperation as co
from cooperation import repeated as rp

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

#: The real cases the paper reports, in the order of the text.
CASES = ("xinan", "chishui", "jingjinji", "baiyangdian", "riskpool")
#: Cases with a two-way / horizontal transfer scheme to analyse as a game.
GAME_CASES = ("xinan", "chishui", "jingjinji", "baiyangdian")
#: How coalitions' outsiders behave in every characteristic function of the paper
#: (the same as ``cooperation analyze`` prints).
OUTSIDERS = "nash"
SEED = 20240601


@dataclass(frozen=True)
class Sizes:
    """Sizes of the stochastic and gridded parts of the build."""

    fund_years: int
    mode_rounds: int
    mode_runs: int
    sweep_audit: tuple
    sweep_fine: tuple
    sweep_rounds: int
    sweep_runs: int
    stake_points: int


FULL = Sizes(fund_years=20_000, mode_rounds=60, mode_runs=2000,
             sweep_audit=tuple(np.round(np.linspace(0.1, 1.0, 10), 2)),
             sweep_fine=tuple(np.round(np.linspace(0.25, 4.0, 16), 2)),
             sweep_rounds=40, sweep_runs=400, stake_points=241)
QUICK = Sizes(fund_years=2000, mode_rounds=20, mode_runs=100,
              sweep_audit=(0.2, 0.5, 0.8, 1.0), sweep_fine=(0.5, 1.5, 2.5, 3.5),
              sweep_rounds=10, sweep_runs=40, stake_points=21)


def load(case: str) -> co.Scenario:
    return co.load_scenario(DATA / case / "scenario.toml")


def short_name(s: co.Scenario) -> str:
    return s.name.split(" (")[0]


def _profile_text(s: co.Scenario, profile) -> str:
    coop = [p for p, a in zip(s.players, profile, strict=True)
            if a == s.action_names[s.cooperative_level] or a == s.cooperative_level]
    if len(coop) == s.n_players:
        return "all cooperate"
    if not coop:
        return "nobody cooperates"
    if len(coop) == 1:
        return f"only {coop[0]} cooperates"
    return "only " + ", ".join(coop[:-1]) + " and " + coop[-1] + " cooperate"


# ====================================================================== tables
def going_alone() -> pd.DataFrame:
    """Equilibrium vs optimum for every case: the price of going alone (属地管理)."""
    rows = []
    for case in CASES:
        s = load(case)
        a = co.analyze(s.to_game())
        ne = a.equilibria.profiles
        worst = int(np.argmin(a.equilibrium_welfare))
        rows.append({
            "case": case, "name": short_name(s), "unit": s.unit, "players": s.n_players,
            "equilibria": len(ne),
            "equilibrium": _profile_text(s, ne[worst]),
            "optimum": _profile_text(s, a.optimum.profile),
            "welfare_equilibrium": float(np.min(a.equilibrium_welfare)),
            "welfare_optimum": float(a.optimum.welfare),
            "cooperation_surplus": float(a.cooperation_surplus),
            "price_of_anarchy": float(a.price_of_anarchy),
        })
    return pd.DataFrame(rows)


def _real_keys(case: str, s: co.Scenario, u_target: np.ndarray, prog_cost: float,
               own_cost: np.ndarray) -> list[tuple[str, np.ndarray, str]]:
    """Allocations of the real schemes, as payoffs at the target profile."""
    src = s.sources
    out = []
    if case == "chishui":
        ratio = np.asarray(src["contribution_ratio"], float)
        alloc = np.asarray(src["allocation_ratio"], float)
        kappa = ratio / ratio.sum()
        # reading 1: the 1:5:4 key splits the programme bill (each pays kappa_i * C
        # net of its own cost, i.e. transfer t_i = own_i - kappa_i C)
        out.append(("real key 1:5:4 as bill shares", u_target + own_cost - kappa * prog_cost,
                     "each province bears 1:5:4 of the programme bill"))
        # reading 2: the real fund: 2亿 paid in 1:5:4 and paid out 3:4:3
        fund = float(src["fund_total"])
        t = fund * (alloc / alloc.sum() - kappa)
        out.append(("real fund 1:5:4 in, 3:4:3 out", u_target + t,
                     f"fund {fund:g} paid in 1:5:4, paid out 3:4:3"))
    if case == "jingjinji":
        path = DATA / case / src["payments_table"]
        t = np.zeros(s.n_players)
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                t[s.index_of(r["payer"])] -= float(r["amount"])
                t[s.index_of(r["payee"])] += float(r["amount"])
        out.append(("real 2015 pairing", u_target + t, "Beijing and Tianjin pay 8.6 as paired"))
    return out


def fair_shares() -> pd.DataFrame:
    """Shapley value, nucleolus and the real keys as payoffs; in the core or not.

    One row per (case, allocation, jurisdiction): the payoff at the social
    optimum after the transfer, the transfer, the gain over going alone, and
    for the allocation as a whole: in the core, the largest coalition excess
    and the L1 distance to the Shapley value.
    """
    from cooperation.coalitions.rules import programme

    rows = []
    for case in GAME_CASES:
        s = load(case)
        prog = programme(s)
        v = co.characteristic_function(prog["game"], outsiders=OUTSIDERS)
        u1, u0 = prog["u1"], prog["u0"]
        sh = co.shapley(v).to_numpy()
        nu = co.nucleolus(v).allocation.to_numpy()
        allocs = [("Shapley value", sh, ""), ("nucleolus", nu, "")]
        allocs += _real_keys(case, s, u1, prog["cost"], prog["own_cost"])
        for label, x, note in allocs:
            ex = co.excesses(v, x)
            max_excess = float(np.max(ex.to_numpy() if hasattr(ex, "to_numpy") else ex))
            inside = bool(co.in_core(v, x))
            dist = float(np.abs(x - sh).sum())
            for j, p in enumerate(s.players):
                rows.append({"case": case, "allocation": label, "jurisdiction": p,
                             "unit": s.unit, "payoff": float(x[j]),
                             "transfer": float(x[j] - u1[j]), "gain": float(x[j] - u0[j]),
                             "in_core": inside, "max_excess": max_excess,
                             "distance_to_shapley": dist, "note": note})
    return pd.DataFrame(rows)


def compensation() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The smallest subsidy that makes the optimum self-enforcing, per case.

    Two designs: with every constraint (participation, self-enforcement with a
    deviator forfeiting its transfer, capacity, core), and with participation
    and the core only (a contract enforced from outside). Returns a summary
    and the transfers by jurisdiction.
    """
    summary, per = [], []
    designs = {"self-enforcing": ("participation", "self_enforcement", "capacity", "core"),
               "participation and core": ("participation", "core")}
    for case in GAME_CASES:
        s = load(case)
        for label, cons in designs.items():
            r = co.design_compensation(s, constraints=cons)
            summary.append({"case": case, "design": label, "unit": s.unit,
                            "success": bool(r.success), "subsidy": float(r.subsidy),
                            "money_moved": float(r.money_moved), "unique": bool(r.unique),
                            "binding": "; ".join(r.binding)})
            for p, t in r.transfers.items():
                per.append({"case": case, "design": label, "jurisdiction": p, "unit": s.unit,
                            "transfer": float(t)})
    return pd.DataFrame(summary), pd.DataFrame(per)


def compensation_payments() -> pd.DataFrame:
    """Jing-Jin-Ji: who pays whom, bilaterally, under the least-subsidy self-enforcing
    design (``co.payment_plan``: the beneficiary pays the hazard's source, the higher
    level's subsidy as its own source) and under the real 2015 pairing (cited)."""
    s = load("jingjinji")
    r = co.design_compensation(s)
    plan = co.payment_plan(r, scenario=s)
    rows = [{"plan": "least subsidy, self-enforcing", "payer": e.payer, "payee": e.payee,
             "amount": float(e.amount), "unit": s.unit} for e in plan.edges.itertuples()]
    path = DATA / "jingjinji" / s.sources["payments_table"]
    with path.open(encoding="utf-8", newline="") as fh:
        for e in csv.DictReader(fh):
            rows.append({"plan": "real 2015 pairing", "payer": e["payer"], "payee": e["payee"],
                         "amount": float(e["amount"]), "unit": s.unit})
    return pd.DataFrame(rows)


def xinan_bargaining(sizes: Sizes) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The Xin'an bargaining range of the two-way stake against the real 1亿 / 2亿.

    Returns (stakes table, range table, gains on a grid of stakes for the figure).
    """
    s = load("xinan")
    central = float(s.sources["central_funding_round1"])
    stakes, ranges = [], []
    for label, sub in (("no central funding", 0.0),
                       (f"central funding {central:g} to Anhui", central)):
        agr = co.two_way_agreement(s, subsidy=sub)
        ranges.append({"setting": label, "lower": float(agr.lower), "upper": float(agr.upper),
                       "unit": s.unit})
        st = agr.stakes.reset_index()
        st.insert(0, "setting", label)
        stakes.append(st)
    grid = np.linspace(0.0, 6.0, sizes.stake_points)
    agr = co.two_way_agreement(s, list(grid))
    g = agr.stakes.reset_index(drop=True)
    g = g[["stake", "in_range", "p_standard_met", "expected_transfer",
           "gain[Anhui]", "gain[Zhejiang]"]]
    st = pd.concat(stakes, ignore_index=True)
    st["equilibria"] = st["equilibria"].astype(str)
    return st, pd.DataFrame(ranges), g


def riskpool_fund(sizes: Sizes) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The crisis fund of the risk pool under the benefit and the ability-to-pay keys."""
    s = load("riskpool")
    summ, per = [], []
    for key in ("benefit", "ability"):
        f = co.design_fund(s, confidence=0.95, years=sizes.fund_years, seed=SEED, key=key)
        oos = f.out_of_sample
        summ.append({"key": key, "unit": s.unit, "success": bool(f.success),
                     "members_pay": f.total_contributions, "cofunding": f.cofunding,
                     "resources": f.resources, "cvar95_payouts": f.cvar,
                     "expected_payout": float(f.expected_payout.sum()),
                     "shortfall_probability_out_of_sample": oos["shortfall_probability"],
                     "expected_shortfall_out_of_sample": oos["expected_shortfall"],
                     "years": f.years})
        df = f.to_frame().reset_index()
        df.insert(0, "key", key)
        per.append(df)
    return pd.DataFrame(summ), pd.concat(per, ignore_index=True)


def monitoring(sizes: Sizes) -> tuple[pd.DataFrame, dict]:
    """Hierarchy-led vs peer-led governance in repeated play, per game case.

    ``rp.compare_modes`` with its defaults (audits q = 0.3, accuracy 0.9, the
    smallest deterring fine; peers observe with error 0.05 and play a trust
    threshold) and the peer-led mode paying the self-enforcing transfers of
    :func:`compensation` to verified compliers.
    """
    rows, comparisons = [], {}
    for k, case in enumerate(GAME_CASES):
        s = load(case)
        tr = co.design_compensation(s)
        cmp = rp.compare_modes(s, rounds=sizes.mode_rounds, runs=sizes.mode_runs,
                               transfers=tr, seed=SEED + k)
        comparisons[case] = cmp
        t = cmp.table.reset_index()
        for _, r in t.iterrows():
            rows.append({"case": case, "mode": r["mode"], "unit": s.unit,
                         "cooperation_rate": r["cooperation_rate"],
                         "collapse_share": r["collapse_share"],
                         "recovered_share": r["recovered_share"],
                         "welfare_share": r["welfare_share"],
                         "fines_per_run": r["fines_per_run"],
                         "transfers_per_run": r["transfers_net_per_run"],
                         "rounds": sizes.mode_rounds, "runs": sizes.mode_runs})
    return pd.DataFrame(rows), comparisons


def _audit_cell(audit_prob, fine, seed, rounds, runs, case="chishui", accuracy=0.9):
    s = load(case)
    mon = rp.Monitoring(audit_prob=float(audit_prob), accuracy=accuracy, fine=float(fine))
    res = rp.simulate(s, [rp.Opportunist()] * s.n_players, rounds=rounds, runs=runs,
                      noise=0.02, monitoring=mon, seed=seed)
    return {"cooperation_rate": float(res.cooperation_rate)}


def audit_sweep(sizes: Sizes) -> tuple[pd.DataFrame, dict]:
    """Phase diagram: audit probability x fine on Chishui with self-interested
    (opportunist) provinces; theory: everyone complies when ``q a F >= max gain``."""
    s = load("chishui")
    df = co.sweep(_audit_cell, {"audit_prob": list(sizes.sweep_audit),
                                "fine": list(sizes.sweep_fine)},
                  seed=SEED, executor="serial", progress=False,
                  fixed={"rounds": sizes.sweep_rounds, "runs": sizes.sweep_runs})
    a = co.analyze(s.to_game())
    gain = float(a.withdrawal["own_gain"].max())
    return df, {"max_gain": gain, "accuracy": 0.9, "unit": s.unit}
