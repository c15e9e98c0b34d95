"""Why a transfer design is infeasible, and the smallest changes that fix it.

Elastic programming (Chinneck 2008, ch. 7): each constraint family in turn
gets one slack per row, and the total slack is minimised with the other
families kept; a family whose relaxation alone restores feasibility blocks.
The smallest subsidy cap, the smallest capacity increases and the smallest
uniform fine each come from one more LP.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..._numeric import RTOL
from ...lp import STATUS_OPTIMAL
from ..results.transfers import Diagnosis
from .problem import Problem
from .solve import clean, solve

__all__ = ["diagnose"]


def diagnose(pb: Problem, backend: str, unit: str, money: float = 1.0) -> Diagnosis:
    """Elastic analysis of an infeasible design (see module notes). ``pb`` is the
    normalised problem; amounts are reported times ``money`` (its scale)."""
    P = pb.players
    rows = []
    blocking = []
    # 1. the smallest subsidy cap: the least subsidy of the uncapped problem
    built, sol, _, _ = solve(pb, backend, max_subsidy=None, objective="min_subsidy")
    min_cap = sol.values[0] * money if sol.status == STATUS_OPTIMAL else math.nan
    max_sub = None if pb.max_subsidy is None else pb.max_subsidy * money
    if max_sub is not None and np.isfinite(min_cap):
        blocking.append("max_subsidy")
        rows.append({"family": "max_subsidy", "constraint": "max_subsidy", "member": "",
                     "shortfall": max(0.0, min_cap - max_sub)})
    # 2. each family relaxed alone
    cap_inc = None
    for fam in ("participation", "self_enforcement", "capacity", "core"):
        if fam not in pb.families or (fam == "core" and pb.core_v is None):
            continue
        b, s, _, _ = solve(pb, backend, elastic=fam)
        if s.status != STATUS_OPTIMAL:
            continue
        blocking.append(fam)
        slack_names = [nm for nm in b.lp.col_names]
        for j, nm in enumerate(slack_names):
            if nm.startswith("slack[") and s.x[j] > RTOL * max(1.0, pb.scale):
                inner = nm[len("slack["):-1]
                member = inner[inner.index("[") + 1:-1] if "[" in inner else ""
                rows.append({"family": fam, "constraint": inner, "member": member,
                             "shortfall": float(s.x[j]) * money})
        if fam == "capacity":
            has, cols = b.extra["capacity_slack"]
            inc = np.zeros(pb.n)
            inc[has] = clean(s.x[cols], pb.scale) * money
            cap_inc = pd.Series(inc, index=pd.Index(P, name="jurisdiction"),
                                name="capacity_increase")
    # 3. the smallest uniform fine
    min_fine = math.nan
    if "self_enforcement" in pb.families and pb.forfeit == "transfer":
        b, s, _, _ = solve(pb, backend, fine_var=True)
        if s.status == STATUS_OPTIMAL:
            min_fine = float(s.values[0]) * money
    short = pd.DataFrame(rows, columns=["family", "constraint", "member", "shortfall"])
    # message, in decimals
    parts = []
    cap_txt = ("no cap on the subsidy" if max_sub is None else "no subsidy" if max_sub == 0
               else f"max_subsidy = {max_sub:.6g}")
    parts.append(f"infeasible: the constraints ({', '.join(pb.families)}) cannot all hold "
                 f"with {cap_txt}.")
    fixes = []
    if np.isfinite(min_cap):
        fixes.append(f"raise max_subsidy to {min_cap:.6g} {unit}".rstrip())
    if np.isfinite(min_fine) and min_fine > pb.fine * money * (1 + RTOL):
        fixes.append(f"raise the fine to {min_fine:.6g} {unit}".rstrip())
    if cap_inc is not None and cap_inc.sum() > 0:
        who = cap_inc[cap_inc > 0]
        fixes.append("raise capacity by " + ", ".join(f"{v:.6g} for {k}" for k, v in
                                                      who.head(5).items())
                     + (" ..." if len(who) > 5 else ""))
    if fixes:
        parts.append("Smallest change that restores feasibility: " + "; or ".join(fixes) + ".")
    if "capacity" in pb.families and np.isfinite(pb.caps).any() and (
            cap_inc is None or cap_inc.sum() <= 0):
        parts.append("Raising capacity alone cannot restore feasibility.")
    for fam in ("participation", "self_enforcement", "core"):
        sub = short[short.family == fam]
        if len(sub):
            parts.append(f"{fam} blocks for " + ", ".join(
                f"{r.member} (short by {r.shortfall:.6g})" for r in sub.head(5).itertuples())
                + (" ..." if len(sub) > 5 else "") + ".")
    msg = " ".join(parts)
    return Diagnosis(tuple(blocking), float(min_cap), cap_inc, float(min_fine), short, msg, unit)
