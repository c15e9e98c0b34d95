"""Why a reserve plan is infeasible: which demand cannot be met in time, from where.

When unmet demand is not allowed and the LP is infeasible, the cause is always
in the second stage: with every depot stocked to capacity (the most a first
stage can do), some scenario's demand cannot be carried to where it is needed
within its deadline. The diagnosis solves the elastic problem

    min  sum_r u_r   s.t. the reserve constraints with unmet demand u_r >= 0 allowed,
                          stock and dispatch costs set to zero

whose optimum is the least total shortfall (a phase-one LP), and reports each
demand row with ``u_r > 0``: the demand, the shortfall, the depots holding
that item that are within the deadline (with their hours and capacity, shared
with whoever else they serve in that scenario), the nearest depots that hold
the item but arrive too late, and the deadline at which the next depot would
come within reach.

References
----------
Chinneck, J. W. (2008). *Feasibility and Infeasibility in Optimization*,
ch. 2 (elastic programming, phase one). Springer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._numeric import SOLVER_RTOL
from .._result import ResultMixin
from ..lp import STATUS_OPTIMAL
from .model import ReserveModel, build_model, solve_model

__all__ = ["ReserveDiagnosis", "diagnose"]


@dataclass(frozen=True, repr=False)
class ReserveDiagnosis(ResultMixin):
    """Why the reserve LP is infeasible.

    Attributes
    ----------
    message : str
        One line: how many demands cannot be met in time, and the first in words.
    shortfall : DataFrame
        One row per demand that cannot be met: ``scenario, jurisdiction, item, demand,
        shortfall, depots_in_time`` (``"depot (hours h, capacity K)"``, ``;``-separated),
        ``capacity_in_time``, ``nearest_late`` (depots holding the item beyond the
        deadline, nearest first), ``deadline_needed`` (hours at which the nearest
        late depot comes within reach; nan if none holds the item).
    total_shortfall : float
        The least total shortfall over all scenarios (phase-one optimum).
    status : int
        Status of the phase-one LP.
    """

    message: str
    shortfall: pd.DataFrame
    total_shortfall: float
    status: int

    def _summary(self):
        return [("message", self.message), ("total shortfall", f"{self.total_shortfall:.6g}")]

    def to_frame(self) -> pd.DataFrame:
        return self.shortfall.copy()

    def to_dict(self) -> dict:
        return {"message": self.message, "total_shortfall": self.total_shortfall,
                "shortfall": self.shortfall}


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def diagnose(model: ReserveModel, backend: str = "pulp", late: int = 3) -> ReserveDiagnosis:
    """Phase-one diagnosis of an infeasible reserve model (see module docstring)."""
    d = model.data
    ela = build_model(d, "expected", 0.0, unit_cost=np.zeros_like(d.unit_cost),
                      arc_cost=np.zeros_like(d.arc_cost), penalty=np.ones(d.quantity.size),
                      probability=np.ones(len(d.scenarios)))
    sol = solve_model(ela, backend)
    if sol.status != STATUS_OPTIMAL:
        return ReserveDiagnosis(f"the phase-one LP also failed ({sol.message}); the data "
                                "may be numerically extreme", pd.DataFrame(), math.nan,
                                sol.status)
    u = sol.x[ela.cols["unmet"]] * ela.Q
    tol = SOLVER_RTOL * ela.Q
    short = np.flatnonzero(u > tol)
    recs = []
    for r in short:
        s, j, k = d.dem_scen[r], d.dem_jur[r], d.dem_item[r]
        arcs = np.flatnonzero(d.arc_row == r)
        within = []
        cap_in = 0.0
        for a in arcs[np.argsort(d.arc_hours[arcs], kind="stable")]:
            m = d.arc_stock[a]
            within.append(f"{d.depots[d.stock_depot[m]]} ({_fmt(d.arc_hours[a])} h, capacity "
                          f"{_fmt(d.capacity[m])})")
            cap_in += d.capacity[m]
        stocks = np.flatnonzero((d.stock_item == k) & (d.capacity > 0))
        reach = d.hours[d.stock_depot[stocks], j]
        lateidx = stocks[reach > d.deadline[r]]
        hrs = d.hours[d.stock_depot[lateidx], j]
        order = np.argsort(hrs, kind="stable")
        late_txt = [f"{d.depots[d.stock_depot[m]]} ({_fmt(h)} h)" if np.isfinite(h) else
                    f"{d.depots[d.stock_depot[m]]} (no road)"
                    for m, h in zip(lateidx[order][:late], hrs[order][:late], strict=True)]
        fin = hrs[np.isfinite(hrs)]
        recs.append({"scenario": d.scenarios[s], "jurisdiction": d.players[j],
                     "item": d.items[k], "demand": d.quantity[r], "shortfall": float(u[r]),
                     "depots_in_time": "; ".join(within),
                     "capacity_in_time": cap_in, "nearest_late": "; ".join(late_txt),
                     "deadline_needed": float(fin.min()) if fin.size else math.nan})
    df = pd.DataFrame(recs, columns=["scenario", "jurisdiction", "item", "demand", "shortfall",
                                     "depots_in_time", "capacity_in_time", "nearest_late",
                                     "deadline_needed"])
    total = float(u.sum())
    if df.empty:
        msg = ("infeasible, but every demand can be met in time with depots at capacity; "
               "the solver's verdict may be numerical")
    else:
        f = df.iloc[0]
        where = (f"in time only from {f['depots_in_time']}" if f["depots_in_time"]
                 else f"no depot holding {f['item']} is within {d.deadline[short[0]]:g} h")
        later = f"; nearest too late: {f['nearest_late']}" if f["nearest_late"] else \
            f"; no depot holds {f['item']}" if not f["depots_in_time"] else ""
        msg = (f"{len(df)} demand(s) cannot be met within the deadline (least total shortfall "
               f"{total:.6g} units); first: {f['jurisdiction']} needs {f['demand']:.6g} "
               f"{f['item']} in scenario {f['scenario']!r}, short by {f['shortfall']:.6g}: "
               f"{where}{later}")
    return ReserveDiagnosis(msg, df, total, sol.status)
