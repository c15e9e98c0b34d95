"""The transfer LP's rows, one family at a time, and its lexicographic objectives.

Columns: ``pay_in[i]`` and ``pay_out[i]`` (``t_i = pay_in - pay_out``), the
subsidy ``g``; extra columns for elastic slacks (diagnosis), a variable fine,
L1 distances (``closest``) or the smallest gain (``max_min_gain``). Rows are
named ``family[member]`` so that results can report which bind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...errors import InputError
from ...lp import LinearProgram, Objective
from .problem import OBJECTIVES, Problem

__all__ = ["Built", "build", "coalition_name"]


@dataclass
class Built:
    lp: LinearProgram
    objectives: list
    p: np.ndarray
    q: np.ndarray
    g: int
    extra: dict


def coalition_name(mask: int, players) -> str:
    return "+".join(p for i, p in enumerate(players) if mask >> i & 1)


class _Rows:
    """Adds the rows of each constraint family to one LP (in a fixed column order)."""

    def __init__(self, pb: Problem, elastic: str | None):
        self.pb, self.elastic = pb, elastic
        n, P = pb.n, pb.players
        self.lp = lp = LinearProgram()
        self.p = lp.add_vars([f"pay_in[{x}]" for x in P])       # t = p - q
        self.q = lp.add_vars([f"pay_out[{x}]" for x in P])
        self.g = int(lp.add_vars(["subsidy"])[0])
        self.extra: dict = {}
        self.slack_cols: list = []
        # budget: sum p - sum q - g = 0
        lp.add_rows(np.zeros(2 * n + 1), np.concatenate([self.p, self.q, [self.g]]),
                    np.concatenate([np.ones(n), -np.ones(n), [-1.0]]), 0.0, 0.0, ["budget"],
                    "budget")

    def _elastic(self, fam, names, rr, cc, vv, sign=1.0):
        """With ``elastic == fam``: one slack column per row (coefficient ``sign``)."""
        if self.elastic != fam:
            return rr, cc, vv, None
        m = len(names)
        s = self.lp.add_vars([f"slack[{x}]" for x in names])
        self.slack_cols.append(s)
        return (np.concatenate([rr, np.arange(m)]), np.concatenate([cc, s]),
                np.concatenate([vv, np.full(m, sign)]), s)

    def _lower(self, name, members, coef_t=1.0):
        """Coefficients of ``coef_t * t_i (+ slack) >= rhs_i``, one row per member."""
        m = len(members)
        rr = np.concatenate([np.arange(m), np.arange(m)])
        cc = np.concatenate([self.p[members], self.q[members]])
        vv = np.concatenate([np.full(m, coef_t), np.full(m, -coef_t)])
        names = [f"{name}[{self.pb.players[i]}]" for i in members]
        rr, cc, vv, _ = self._elastic(name, names, rr, cc, vv)
        return rr, cc, vv

    def participation(self):
        pb, P = self.pb, self.pb.players
        ar = np.arange(pb.n)
        rhs = pb.outside - pb.u
        rr, cc, vv = self._lower("participation", ar)
        self.extra["participation"] = self.lp.add_rows(
            rr, cc, vv, rhs, math.inf, [f"participation[{x}]" for x in P], "participation", P)

    def self_enforcement(self, fine_var: bool):
        pb, P = self.pb, self.pb.players
        has = np.flatnonzero(np.isfinite(pb.dev))
        qd = pb.detection
        if pb.forfeit == "receipts" and not fine_var:
            # q max(t_i, 0) >= dev_i - u_i - q F: a row t_i >= (...)/q only where the
            # temptation net of the expected fine is positive
            has = has[pb.dev[has] - pb.u[has] - qd * pb.fine > 0]
        # q t_i >= dev_i - u_i - q F written divided by q > 0, t_i >= (dev_i - u_i)/q - F:
        # the same row, and no coefficient q that a solver would drop as too small (HiGHS
        # drops |a| <= 1e-9, which made detection = 1e-9 "infeasible")
        with np.errstate(over="ignore"):
            rhs = (pb.dev[has] - pb.u[has]) / qd
        if not np.isfinite(rhs).all():  # e.g. detection = 1e-320: the row overflows
            raise InputError("is too small: a deviation's gain divided by it exceeds the "
                             "double range", field="detection", value=qd,
                             fix="give a detection probability of a realistic size")
        rr, cc, vv = self._lower("self_enforcement", has)
        if fine_var:
            F = int(self.lp.add_vars(["fine"], lb=pb.fine)[0])
            self.extra["fine_col"] = F
            rr = np.concatenate([rr, np.arange(len(has))])
            cc = np.concatenate([cc, np.full(len(has), F)])
            vv = np.concatenate([vv, np.ones(len(has))])
        else:
            rhs = rhs - pb.fine
        self.extra["self_enforcement"] = self.lp.add_rows(
            rr, cc, vv, rhs, math.inf, [f"self_enforcement[{P[i]}]" for i in has],
            "self_enforcement", [P[i] for i in has])

    def capacity(self):
        pb, P = self.pb, self.pb.players
        has = np.flatnonzero(np.isfinite(pb.caps))
        m = len(has)
        rr = np.concatenate([np.arange(m), np.arange(m)])
        cc = np.concatenate([self.q[has], self.p[has]])
        vv = np.concatenate([np.ones(m), -np.ones(m)])
        rr, cc, vv, s = self._elastic("capacity", [f"capacity[{P[i]}]" for i in has],
                                      rr, cc, vv, sign=-1.0)
        if s is not None:
            self.extra["capacity_slack"] = (has, s)
        self.extra["capacity"] = self.lp.add_rows(
            rr, cc, vv, -math.inf, pb.caps[has], [f"capacity[{P[i]}]" for i in has],
            "capacity", [P[i] for i in has])

    def core(self, core_masks):
        pb = self.pb
        masks = np.asarray(core_masks, dtype=np.int64)
        member = (masks[:, None] >> np.arange(pb.n)[None, :]) & 1            # (m, n)
        r_idx, c_idx = np.nonzero(member)
        rhs = pb.core_v[masks] - member @ pb.u
        rr = np.concatenate([r_idx, r_idx])
        cc = np.concatenate([self.p[c_idx], self.q[c_idx]])
        vv = np.concatenate([np.ones(len(r_idx)), -np.ones(len(r_idx))])
        names = [coalition_name(int(s), pb.players) for s in masks]
        rr, cc, vv, _ = self._elastic("core", [f"core[{x}]" for x in names], rr, cc, vv)
        self.extra["core"] = self.lp.add_rows(rr, cc, vv, rhs, math.inf,
                                              [f"core[{x}]" for x in names], "core", names)

    def subsidy_cap(self, cap_g: float):
        cc, vv = [self.g], [1.0]
        if self.elastic == "max_subsidy":
            s = self.lp.add_vars(["slack[max_subsidy]"])
            self.slack_cols.append(s)
            cc, vv = [self.g, int(s[0])], [1.0, -1.0]
        self.extra["max_subsidy"] = self.lp.add_rows([0] * len(cc), cc, vv, -math.inf, cap_g,
                                                     ["max_subsidy"], "max_subsidy")


def _objective_stages(r: _Rows, objective: str, fine_var: bool, cap_g) -> list:
    """``(kind, sense)`` of each lexicographic stage; adds the objective's own columns."""
    pb, lp, n, P = r.pb, r.lp, r.pb.n, r.pb.players
    ar = np.arange(n)
    if r.elastic is not None:
        return [("slack", None)]
    if fine_var:
        return [("fine", None)]
    if objective == "min_subsidy":
        return [("g", 1), ("moved", 1)]
    if objective == "min_transfers":
        return [("moved", 1), ("g", 1)]
    if objective == "closest":
        d = lp.add_vars([f"distance[{x}]" for x in P])
        r.extra["distance_cols"] = d
        target = pb.reference - pb.u      # |t_i - (r_i - u_i)| <= d_i
        rr = np.concatenate([ar, ar, ar])
        # d_i - t_i >= -(r_i - u_i) ; d_i + t_i >= (r_i - u_i)
        lp.add_rows(rr, np.concatenate([d, r.p, r.q]),
                    np.concatenate([np.ones(n), -np.ones(n), np.ones(n)]), -target, math.inf,
                    [f"distance_lo[{x}]" for x in P], "objective", P)
        lp.add_rows(rr, np.concatenate([d, r.p, r.q]),
                    np.concatenate([np.ones(n), np.ones(n), -np.ones(n)]), target, math.inf,
                    [f"distance_hi[{x}]" for x in P], "objective", P)
        return [("distance", 1), ("g", 1), ("moved", 1)]
    if objective == "max_min_gain":
        mcol = int(lp.add_vars(["min_gain"], lb=-math.inf)[0])
        r.extra["m_col"] = mcol
        rr = np.concatenate([ar, ar, ar])
        lp.add_rows(rr, np.concatenate([r.p, r.q, np.full(n, mcol)]),
                    np.concatenate([np.ones(n), -np.ones(n), -np.ones(n)]), pb.outside - pb.u,
                    math.inf, [f"gain[{x}]" for x in P], "objective", P)
        if cap_g is None:
            return [("g", 1), ("m", -1), ("moved", 1)]
        return [("m", -1), ("g", 1), ("moved", 1)]
    raise InputError(f"unknown objective; choose one of {list(OBJECTIVES)}",  # pragma: no cover
                     field="objective", value=objective)


def _objectives(r: _Rows, stages) -> list:
    objectives = []
    for kind, sense in stages:
        c = np.zeros(r.lp.n_cols)     # the columns are final only now
        if kind == "g":
            c[r.g] = 1.0
        elif kind == "moved":
            c[r.p] = 1.0
            c[r.q] = 1.0
        elif kind == "distance":
            c[r.extra["distance_cols"]] = 1.0
        elif kind == "m":
            c[r.extra["m_col"]] = 1.0
        elif kind == "slack":
            for s in r.slack_cols:
                c[s] = 1.0
            sense = 1
        elif kind == "fine":
            c[r.extra["fine_col"]] = 1.0
            sense = 1
        objectives.append(Objective(c, sense, kind))
    return objectives


def build(pb: Problem, *, families=None, max_subsidy="same", elastic: str | None = None,
          fine_var: bool = False, core_masks=None, objective: str | None = None) -> Built:
    """Assemble the LP. ``elastic``: a family whose rows get a slack variable
    (objective: minimise the total slack); ``fine_var``: the fine becomes a
    variable ``F >= fine`` (objective: minimise it)."""
    families = pb.families if families is None else families
    cap_g = pb.max_subsidy if max_subsidy == "same" else max_subsidy
    r = _Rows(pb, elastic)
    if "participation" in families:
        r.participation()
    if "self_enforcement" in families:
        r.self_enforcement(fine_var)
    if "capacity" in families:
        r.capacity()
    if "core" in families and core_masks is not None and len(core_masks):
        r.core(core_masks)
    if cap_g is not None:
        r.subsidy_cap(cap_g)
    stages = _objective_stages(r, objective or pb.objective, fine_var, cap_g)
    return Built(r.lp, _objectives(r, stages), r.p, r.q, r.g, r.extra)
