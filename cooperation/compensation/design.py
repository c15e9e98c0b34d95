"""The transfer-design LP: side payments and a subsidy that make a target profile stick.

Given a target profile ``a*`` (by default the social optimum), find transfers
``t_i`` (received when positive, paid when negative) and a subsidy ``g >= 0``
from a higher level of government (上级政府 / 第三方激励) with::

    sum_i t_i = g                                            (budget balance)

and, each family switchable and reported by name (MODEL.md section 5):

* participation (IR)      ``u_i(a*) + t_i >= o_i``
  ``o_i``: the outside option, by default the payoff at the worst-welfare pure
  Nash equilibrium (no agreement, everyone goes it alone, 属地管理);
* self-enforcement (IC)   ``q t_i >= max_{a_i' != a*_i} u_i(a_i', a*_{-i}) - u_i(a*) - q F``
  transfers are paid only on verified compliance: a deviation is detected
  with probability ``q`` (``detection``, default 1), and a detected deviator
  neither receives nor pays its transfer and pays the fine ``F >= 0``. With
  ``q = 1``: ``u_i(a*) + t_i >= max_{a_i'} u_i(a_i', a*_{-i}) - F``. For a
  payer this also says what it can be asked to pay: no more than its own loss
  from leaving ``a*`` plus the fine, or it would rather leave and stop paying.
  With ``forfeit="receipts"`` a deviator loses only what it would receive and
  still owes its payments: ``q max(t_i, 0) >= dev_i - u_i(a*) - q F``;
* capacity                ``-t_i <= k_i``   (nobody pays beyond its cap; by
  default ``k_i = capacity_share * capacity_i`` from the scenario);
* core                    ``sum_{i in S} (u_i(a*) + t_i) >= v(S)`` for every
  coalition ``S`` (no group is better off on its own); all ``2**n - 1`` rows
  for ``n <= CORE_FULL_MAX`` (8), otherwise constraint generation with the
  most-violated-coalition oracle of :mod:`cooperation.coalitions`, in batches
  that double each round (exact: it stops only when no coalition is
  violated, and closes within about ``n`` rounds since every round adds
  rows). The cut-over is measured by ``benchmarks/bench_core_generation.py``:
  generation is as fast as the full LP at 6 players and 5 to 50 times faster
  from 10 to 16;
* ``g <= max_subsidy`` when a cap is given.

Objectives, each solved lexicographically (an exact sequence of LPs, each
stage keeping the optimum of the earlier ones):

* ``min_subsidy``: minimise ``g``; then the money moved ``sum_i |t_i|`` at that
  ``g`` (many transfer vectors share the least subsidy);
* ``min_transfers``: minimise ``sum_i |t_i|`` with ``g`` free; then ``g``.
  On its own this puts the whole bill on the higher level: every jurisdiction
  that needs money gets it from ``g`` and nobody pays anybody;
* ``closest``: minimise ``sum_i |u_i(a*) + t_i - r_i|`` (L1 distance to a
  reference allocation ``r``: Shapley value, nucleolus, a responsibility rule);
  then ``g``; then ``sum |t_i|``;
* ``max_min_gain``: maximise ``min_i (u_i(a*) + t_i - o_i)`` (egalitarian split
  of the cooperation surplus); with no ``max_subsidy`` the subsidy is first
  held at its minimum (otherwise the problem is unbounded), with a cap the
  whole cap may be used; then ``g``; then ``sum |t_i|``.

``|t_i|`` is linearised as ``t_i = p_i - q_i``, ``p, q >= 0``; at the last
stage ``p_i q_i = 0``, so ``sum (p_i + q_i) = sum |t_i|``.

Infeasibility (only possible with a subsidy cap: with ``g`` free every
family can be met by paying enough) is diagnosed, not just reported: the
smallest subsidy cap that restores feasibility, the smallest capacity
increases, the smallest uniform fine, and the shortfall of each blocking
constraint, each from one LP.

References
----------
Chander, P. and Tulkens, H. (1997). The core of an economy with multilateral
environmental externalities. *IJGT* 26, 379-401 (transfers that make the
efficient profile core-stable).
Myerson, R. B. (1991). *Game Theory: Analysis of Conflict*, ch. 6 (individual
rationality and incentive constraints).
Chinneck, J. W. (2008). *Feasibility and Infeasibility in Optimization*,
ch. 7 (elastic programming for infeasibility analysis). Springer.
Isermann, H. (1982). Linear lexicographic optimization. *OR Spektrum* 4, 223-228.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._numeric import RTOL
from .._result import ResultMixin
from ..equilibria.large import default_target, nash_outside
from ..errors import InputError, SolverError
from ..games.model import TENSOR_MAX_PROFILES, PayoffModel
from ..lp import STATUS_INFEASIBLE, STATUS_OPTIMAL, STATUS_TEXT, LinearProgram, Objective, solve_lp

__all__ = ["design_compensation", "CompensationResult", "Diagnosis", "FAMILIES", "OBJECTIVES"]

FAMILIES = ("participation", "self_enforcement", "capacity", "core")
OBJECTIVES = ("min_subsidy", "min_transfers", "closest", "max_min_gain")
OUTSIDE = ("nash", "maximin", "status_quo")
CORE_FULL_MAX = 8           # all 2**n - 1 core rows up to this many players (measured:
                            # benchmarks/bench_core_generation.py)
CORE_MAX_ROUNDS = 200


# ====================================================================== results
@dataclass(frozen=True, repr=False)
class Diagnosis(ResultMixin):
    """Why a compensation design is infeasible and the smallest changes that fix it.

    Attributes
    ----------
    blocking : tuple of str
        Constraint families that conflict with the subsidy cap: relaxing any
        one of them alone (elastically) restores feasibility.
    min_subsidy_cap : float
        Smallest ``max_subsidy`` that makes the design feasible with nothing
        else changed (the least subsidy of the uncapped problem).
    capacity_increase : Series or None
        Smallest increases of the payment caps (their sum minimised) that make
        it feasible with the subsidy cap kept; None when raising capacity
        alone cannot (or capacity is not a constraint).
    min_fine : float
        Smallest uniform fine that makes it feasible with the cap kept
        (``nan`` when no fine can, or self-enforcement is off).
    shortfalls : DataFrame
        For each blocking family, the constraints that must give and by how
        much (the family relaxed alone, total relaxation minimised).
    message : str
    """

    blocking: tuple
    min_subsidy_cap: float
    capacity_increase: pd.Series | None
    min_fine: float
    shortfalls: pd.DataFrame
    message: str
    unit: str = ""

    def _summary(self):
        return [("blocking", ", ".join(self.blocking) or "-"),
                ("smallest subsidy cap", _fmt(self.min_subsidy_cap, self.unit)),
                ("smallest fine", _fmt(self.min_fine, self.unit)),
                ("capacity increase", "-" if self.capacity_increase is None else
                 _fmt(float(self.capacity_increase.sum()), self.unit) + " in all")]

    def to_frame(self) -> pd.DataFrame:
        return self.shortfalls.copy()


@dataclass(frozen=True, repr=False)
class CompensationResult(ResultMixin):
    """Result of :func:`design_compensation` (scipy.optimize vocabulary plus labelled fields).

    Attributes
    ----------
    success : bool
    status : int
        0 optimal, 1 iteration/time limit, 2 infeasible, 3 unbounded, 4 numerical.
    message : str
        Plain-language outcome; when infeasible, the diagnosis in decimals.
    transfers : Series
        ``t_i`` by jurisdiction: received if positive, paid if negative.
    subsidy : float
        ``g = sum_i t_i`` from the higher level (exactly, by construction).
    money_moved : float
        ``sum_i |t_i|``.
    payoff_before : Series
        The outside option ``o_i`` (no agreement).
    payoff_target : Series
        ``u_i(a*)`` before transfers.
    payoff_after : Series
        ``u_i(a*) + t_i``.
    gain : Series
        ``payoff_after - payoff_before``.
    binding : tuple of str
        Names of the constraints that hold with equality, e.g.
        ``"participation[Anhui]"``, ``"max_subsidy"``.
    duals : Series
        Shadow prices of the first-stage objective (for ``min_subsidy``: the
        extra subsidy per unit rise of a constraint's right-hand side; the dual
        of ``participation[i]`` is what ``i``'s buy-in is worth at the margin).
        One dual solution; it need not be unique when the LP is degenerate.
    unique : bool or None
        Whether the optimal transfers are unique (None when not checked).
    transfer_range : DataFrame or None
        ``min``/``max`` of each ``t_i`` over the optimal face (when computed).
    diagnosis : Diagnosis or None
        When infeasible.
    target, target_profile, target_certified, target_note
        The profile sustained (labels, indices), whether it is certified
        optimal, and how it was found.
    outside_note : str
    constraints : tuple of str
        The families switched on.
    objective : str
    objective_values : tuple of float
        Optimum of each lexicographic stage.
    max_violation : float
        Largest violation of any switched-on constraint by the returned answer
        (recomputed from the payoffs; the certificate).
    notes : tuple of str
    solver : str
    unit : str
    """

    success: bool
    status: int
    message: str
    transfers: pd.Series
    subsidy: float
    money_moved: float
    payoff_before: pd.Series
    payoff_target: pd.Series
    payoff_after: pd.Series
    gain: pd.Series
    binding: tuple
    duals: pd.Series
    unique: bool | None
    transfer_range: pd.DataFrame | None
    diagnosis: Diagnosis | None
    target: tuple
    target_profile: tuple
    target_certified: bool
    target_note: str
    outside_note: str
    constraints: tuple
    objective: str
    objective_values: tuple
    caps: pd.Series
    deviation_payoff: pd.Series
    max_violation: float
    notes: tuple = ()
    solver: str = ""
    unit: str = ""
    build_time: float = 0.0
    solve_time: float = 0.0
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def x(self) -> np.ndarray:
        """Transfers as a plain array (scipy's name for the solution)."""
        return self.transfers.to_numpy()

    @property
    def fun(self) -> float:
        """Optimum of the first lexicographic stage (scipy's name)."""
        return self.objective_values[0] if self.objective_values else math.nan

    def _summary(self):
        u = self.unit
        rows = [("success", self.success), ("status", f"{self.status} ({STATUS_TEXT.get(self.status, '?')})"),
                ("message", self.message), ("objective", self.objective),
                ("constraints", ", ".join(self.constraints) or "-")]
        if self.success:
            rows += [("subsidy", _fmt(self.subsidy, u)), ("money moved", _fmt(self.money_moved, u)),
                     ("unique", self.unique), ("binding", ", ".join(self.binding[:12])
                                               + (" ..." if len(self.binding) > 12 else ""))]
        rows += [("target", self.target if len(self.target) <= 12 else
                  f"{self.target[:12]} ..."),
                 ("target certified optimal", self.target_certified),
                 ("solver", self.solver)]
        return rows

    def to_frame(self) -> pd.DataFrame:
        """One row per jurisdiction: target action, outside option, payoffs before and
        after transfers, the transfer and its range, the cap, and the shadow prices of
        the jurisdiction's constraints."""
        idx = self.transfers.index
        df = pd.DataFrame({
            "action": list(self.target),
            "outside_option": self.payoff_before.to_numpy(),
            "payoff_target": self.payoff_target.to_numpy(),
            "transfer": self.transfers.to_numpy(),
            "payoff_after": self.payoff_after.to_numpy(),
            "gain": self.gain.to_numpy(),
        }, index=idx)
        if self.transfer_range is not None:
            df["transfer_min"] = self.transfer_range["min"].to_numpy()
            df["transfer_max"] = self.transfer_range["max"].to_numpy()
        df["cap"] = self.caps.to_numpy()
        for fam in ("participation", "self_enforcement", "capacity"):
            if fam in self.constraints:
                names = [f"{fam}[{p}]" for p in idx]
                df[f"dual_{fam}"] = self.duals.reindex(names).fillna(0.0).to_numpy()
        binding = set(self.binding)
        df["binding"] = [", ".join(f for f in ("participation", "self_enforcement", "capacity")
                                   if f"{f}[{p}]" in binding) for p in idx]
        df.index.name = "jurisdiction"
        return df

    def to_dict(self) -> dict:
        """Plain data for JSON output."""
        d = {"success": self.success, "status": self.status, "message": self.message,
             "unit": self.unit, "objective": self.objective, "constraints": list(self.constraints),
             "subsidy": self.subsidy, "money_moved": self.money_moved,
             "objective_values": list(self.objective_values),
             "target": list(self.target), "target_certified": self.target_certified,
             "target_note": self.target_note, "outside_note": self.outside_note,
             "unique": self.unique, "binding": list(self.binding),
             "duals": {k: float(v) for k, v in self.duals.items() if v != 0.0},
             "max_violation": self.max_violation, "notes": list(self.notes),
             "solver": self.solver, "per_jurisdiction": self.to_frame()}
        if self.diagnosis is not None:
            dg = self.diagnosis
            d["diagnosis"] = {
                "blocking": list(dg.blocking), "min_subsidy_cap": dg.min_subsidy_cap,
                "min_fine": dg.min_fine,
                "capacity_increase": None if dg.capacity_increase is None
                else dg.capacity_increase, "shortfalls": dg.shortfalls, "message": dg.message}
        return d


def _fmt(x: float, unit: str = "") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.6g} {unit}".strip()


# ====================================================================== problem data
@dataclass
class _Problem:
    players: tuple
    u: np.ndarray            # u_i(a*)
    outside: np.ndarray      # o_i
    dev: np.ndarray          # best deviation payoff, -inf when none
    caps: np.ndarray         # payment caps, inf when none
    core_v: np.ndarray | None
    reference: np.ndarray | None
    families: tuple
    objective: str
    fine: float
    detection: float
    max_subsidy: float | None
    tol: float
    forfeit: str = "transfer"

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def scale(self) -> float:
        vals = [np.abs(self.u).max(), np.abs(self.outside).max(), 1.0]
        fin = self.dev[np.isfinite(self.dev)]
        if fin.size:
            vals.append(np.abs(fin).max())
        return float(max(vals))


@dataclass
class _Built:
    lp: LinearProgram
    objectives: list
    p: np.ndarray
    q: np.ndarray
    g: int
    extra: dict


def _normalise(pb: _Problem) -> tuple[_Problem, float]:
    """The same design with money shifted and scaled to order one: ``(pb', M)``.

    Each jurisdiction's payoffs are shifted by its outside option (which
    cancels in every constraint: participation, self-enforcement, core and
    the reference all compare payoffs of the same jurisdictions) and every
    amount is divided by the money scale ``M`` of the gains at stake. The LP
    is then solved at order one, so solver tolerances mean the same thing in
    yuan (1e10) and 亿元 (1); transfers, subsidy and objective values scale
    back by ``M``, and shadow prices (money per money) are unchanged.
    """
    off = np.where(np.isfinite(pb.outside), pb.outside, 0.0)
    u = pb.u - off
    dev = pb.dev - off
    core = ref = None
    if pb.core_v is not None:
        bits = (np.arange(pb.core_v.size)[:, None] >> np.arange(pb.n)[None, :]) & 1
        core = pb.core_v - bits @ off
    if pb.reference is not None:
        ref = pb.reference - off
    pieces = [np.abs(u), np.abs(dev[np.isfinite(dev)])]
    pieces += [np.abs(a) for a in (core, ref) if a is not None]
    M = max((float(a.max()) for a in pieces if a.size), default=0.0)
    if not M > 0:
        rest = [pb.caps[np.isfinite(pb.caps)], np.array([pb.fine, pb.max_subsidy or 0.0])]
        M = max((float(np.abs(a).max()) for a in rest if a.size), default=0.0) or 1.0
    scaled = dataclasses.replace(
        pb, u=u / M, outside=(pb.outside - off) / M, dev=dev / M, caps=pb.caps / M,
        core_v=None if core is None else core / M, reference=None if ref is None else ref / M,
        fine=pb.fine / M, max_subsidy=None if pb.max_subsidy is None else pb.max_subsidy / M)
    return scaled, M


def _coalition_name(mask: int, players) -> str:
    return "+".join(p for i, p in enumerate(players) if mask >> i & 1)


def _build(pb: _Problem, *, families=None, max_subsidy="same", elastic: str | None = None,
           fine_var: bool = False, core_masks=None, objective: str | None = None) -> _Built:
    """Assemble the LP. ``elastic``: a family whose rows get a slack variable
    (objective: minimise the total slack); ``fine_var``: the fine becomes a
    variable ``F >= fine`` (objective: minimise it)."""
    families = pb.families if families is None else families
    cap_g = pb.max_subsidy if max_subsidy == "same" else max_subsidy
    objective = objective or pb.objective
    n, P = pb.n, pb.players
    lp = LinearProgram()
    p = lp.add_vars([f"pay_in[{x}]" for x in P])       # t = p - q
    q = lp.add_vars([f"pay_out[{x}]" for x in P])
    g = int(lp.add_vars(["subsidy"])[0])
    extra: dict = {}
    ar = np.arange(n)
    # budget: sum p - sum q - g = 0
    lp.add_rows(np.zeros(2 * n + 1), np.concatenate([p, q, [g]]),
                np.concatenate([np.ones(n), -np.ones(n), [-1.0]]), 0.0, 0.0, ["budget"], "budget")
    slack_cols = []

    def rows_lower(name, fam, members, cols_coef, rhs, coef_t=1.0):
        """rows: coef_t * t_i (+ extra) >= rhs_i, one per listed player."""
        m = len(members)
        rr = np.concatenate([np.arange(m), np.arange(m)])
        cc = np.concatenate([p[cols_coef], q[cols_coef]])
        vv = np.concatenate([np.full(m, coef_t), np.full(m, -coef_t)])
        if elastic == fam:
            s = lp.add_vars([f"slack[{name}[{P[i]}]]" for i in cols_coef])
            slack_cols.append(s)
            rr = np.concatenate([rr, np.arange(m)])
            cc = np.concatenate([cc, s])
            vv = np.concatenate([vv, np.ones(m)])
        return rr, cc, vv

    if "participation" in families:
        rhs = pb.outside - pb.u
        rr, cc, vv = rows_lower("participation", "participation", ar, ar, rhs)
        extra["participation"] = lp.add_rows(rr, cc, vv, rhs, math.inf,
                                             [f"participation[{x}]" for x in P],
                                             "participation", P)
    if "self_enforcement" in families:
        has = np.flatnonzero(np.isfinite(pb.dev))
        qd = pb.detection
        if pb.forfeit == "receipts" and not fine_var:
            # q max(t_i, 0) >= dev_i - u_i - q F: a row t_i >= (...)/q only where the
            # temptation net of the expected fine is positive
            has = has[pb.dev[has] - pb.u[has] - qd * pb.fine > 0]
        rhs = pb.dev[has] - pb.u[has]
        rr, cc, vv = rows_lower("self_enforcement", "self_enforcement", has, has, rhs, coef_t=qd)
        if fine_var:
            F = int(lp.add_vars(["fine"], lb=pb.fine)[0])
            extra["fine_col"] = F
            rr = np.concatenate([rr, np.arange(len(has))])
            cc = np.concatenate([cc, np.full(len(has), F)])
            vv = np.concatenate([vv, np.full(len(has), qd)])
        else:
            rhs = rhs - qd * pb.fine
        extra["self_enforcement"] = lp.add_rows(rr, cc, vv, rhs, math.inf,
                                                [f"self_enforcement[{P[i]}]" for i in has],
                                                "self_enforcement", [P[i] for i in has])
    if "capacity" in families:
        has = np.flatnonzero(np.isfinite(pb.caps))
        m = len(has)
        rr = np.concatenate([np.arange(m), np.arange(m)])
        cc = np.concatenate([q[has], p[has]])
        vv = np.concatenate([np.ones(m), -np.ones(m)])
        if elastic == "capacity":
            s = lp.add_vars([f"slack[capacity[{P[i]}]]" for i in has])
            slack_cols.append(s)
            extra["capacity_slack"] = (has, s)
            rr = np.concatenate([rr, np.arange(m)])
            cc = np.concatenate([cc, s])
            vv = np.concatenate([vv, -np.ones(m)])
        extra["capacity"] = lp.add_rows(rr, cc, vv, -math.inf, pb.caps[has],
                                        [f"capacity[{P[i]}]" for i in has], "capacity",
                                        [P[i] for i in has])
    if "core" in families and core_masks is not None and len(core_masks):
        masks = np.asarray(core_masks, dtype=np.int64)
        member = (masks[:, None] >> ar[None, :]) & 1            # (m, n)
        r_idx, c_idx = np.nonzero(member)
        m = len(masks)
        rhs = pb.core_v[masks] - member @ pb.u
        rr = np.concatenate([r_idx, r_idx])
        cc = np.concatenate([p[c_idx], q[c_idx]])
        vv = np.concatenate([np.ones(len(r_idx)), -np.ones(len(r_idx))])
        names = [_coalition_name(int(s), P) for s in masks]
        if elastic == "core":
            s = lp.add_vars([f"slack[core[{x}]]" for x in names])
            slack_cols.append(s)
            rr = np.concatenate([rr, np.arange(m)])
            cc = np.concatenate([cc, s])
            vv = np.concatenate([vv, np.ones(m)])
        extra["core"] = lp.add_rows(rr, cc, vv, rhs, math.inf, [f"core[{x}]" for x in names],
                                    "core", names)
    if cap_g is not None:
        cc, vv = [g], [1.0]
        if elastic == "max_subsidy":
            s = lp.add_vars(["slack[max_subsidy]"])
            slack_cols.append(s)
            cc, vv = [g, int(s[0])], [1.0, -1.0]
        extra["max_subsidy"] = lp.add_rows([0] * len(cc), cc, vv, -math.inf, cap_g,
                                           ["max_subsidy"], "max_subsidy")

    # objectives
    nc = lambda: np.zeros(lp.n_cols)  # noqa: E731  (columns are final only at the end)
    objs_spec = []
    if elastic is not None:
        objs_spec.append(("slack", None))
    elif fine_var:
        objs_spec.append(("fine", None))
    elif objective == "min_subsidy":
        objs_spec += [("g", 1), ("moved", 1)]
    elif objective == "min_transfers":
        objs_spec += [("moved", 1), ("g", 1)]
    elif objective == "closest":
        d = lp.add_vars([f"distance[{x}]" for x in P])
        extra["distance_cols"] = d
        target = pb.reference - pb.u      # |t_i - (r_i - u_i)| <= d_i
        rr = np.concatenate([ar, ar, ar])
        # d_i - t_i >= -(r_i - u_i) ; d_i + t_i >= (r_i - u_i)
        lp.add_rows(rr, np.concatenate([d, p, q]),
                    np.concatenate([np.ones(n), -np.ones(n), np.ones(n)]), -target, math.inf,
                    [f"distance_lo[{x}]" for x in P], "objective", P)
        lp.add_rows(rr, np.concatenate([d, p, q]),
                    np.concatenate([np.ones(n), np.ones(n), -np.ones(n)]), target, math.inf,
                    [f"distance_hi[{x}]" for x in P], "objective", P)
        objs_spec += [("distance", 1), ("g", 1), ("moved", 1)]
    elif objective == "max_min_gain":
        mcol = int(lp.add_vars(["min_gain"], lb=-math.inf)[0])
        extra["m_col"] = mcol
        rr = np.concatenate([ar, ar, ar])
        lp.add_rows(rr, np.concatenate([p, q, np.full(n, mcol)]),
                    np.concatenate([np.ones(n), -np.ones(n), -np.ones(n)]), pb.outside - pb.u,
                    math.inf, [f"gain[{x}]" for x in P], "objective", P)
        if cap_g is None:
            objs_spec += [("g", 1), ("m", -1), ("moved", 1)]
        else:
            objs_spec += [("m", -1), ("g", 1), ("moved", 1)]
    else:  # pragma: no cover - validated earlier
        raise InputError(f"unknown objective; choose one of {list(OBJECTIVES)}",
                         field="objective", value=objective)
    objectives = []
    for kind, sense in objs_spec:
        c = nc()
        if kind == "g":
            c[g] = 1.0
        elif kind == "moved":
            c[p] = 1.0
            c[q] = 1.0
        elif kind == "distance":
            c[extra["distance_cols"]] = 1.0
        elif kind == "m":
            c[extra["m_col"]] = 1.0
        elif kind == "slack":
            for s in slack_cols:
                c[s] = 1.0
            sense = 1
        elif kind == "fine":
            c[extra["fine_col"]] = 1.0
            sense = 1
        objectives.append(Objective(c, sense, kind))
    return _Built(lp, objectives, p, q, g, extra)


# ====================================================================== solving
def _core_oracle(pb: _Problem, t: np.ndarray, k: int):
    """Coalitions violated by ``u + t`` (largest excess first), from
    :func:`cooperation.coalitions.most_violated_coalition`."""
    from ..coalitions import TUGame, most_violated_coalition

    v = TUGame(pb.core_v, pb.players)
    res = most_violated_coalition(v, pb.u + t, k=k, include_grand=True)
    tol = pb.tol * max(1.0, pb.scale)
    keep = res.excess > tol
    return np.asarray(res.masks[keep], dtype=np.int64), float(max(res.max_excess, 0.0))


def _solve(pb: _Problem, backend: str, *, families=None, max_subsidy="same",
           elastic=None, fine_var=False, objective=None, time_limit=None, probes_fn=None):
    """Build and solve (with core constraint generation when needed). ``probes_fn(built)``
    gives cost vectors to minimise over the final optimal face (same model).

    Returns ``(built, solution, core_masks, rounds)``."""
    families = pb.families if families is None else families
    n = pb.n
    use_core = "core" in families and pb.core_v is not None
    if use_core and n <= CORE_FULL_MAX:
        masks = np.arange(1, 1 << n, dtype=np.int64)
    elif use_core:
        masks = np.array(sorted({1 << i for i in range(n)} | {(1 << n) - 1}), dtype=np.int64)
    else:
        masks = None
    rounds = 0
    batch = 2 * n
    while True:
        rounds += 1
        built = _build(pb, families=families, max_subsidy=max_subsidy, elastic=elastic,
                       fine_var=fine_var, core_masks=masks, objective=objective)
        single = not use_core or n <= CORE_FULL_MAX
        probes = probes_fn(built) if probes_fn is not None and single else ()
        sol = solve_lp(built.lp, built.objectives, backend=backend, time_limit=time_limit,
                       probes=probes)
        if single or sol.status != STATUS_OPTIMAL:
            return built, sol, masks, rounds
        t = sol.x[built.p] - sol.x[built.q]
        new, _ = _core_oracle(pb, t, k=batch)
        new = np.setdiff1d(new, masks)
        if not len(new):
            if probes_fn is not None:   # the rows are final: probe the face once more
                sol = solve_lp(built.lp, built.objectives, backend=backend,
                               time_limit=time_limit, probes=probes_fn(built))
            return built, sol, masks, rounds
        # every round adds at least one of the 2**n - 1 rows and the batch doubles, so
        # the loop closes within about n rounds beyond the first (all rows at worst)
        masks = np.union1d(masks, new)
        batch *= 2
        if rounds > CORE_MAX_ROUNDS:   # unreachable while rows are added: a safeguard
            raise SolverError(f"core constraint generation did not close in {rounds} rounds",
                              field="core", value=int(len(masks)))


def _clean(x: np.ndarray, scale: float) -> np.ndarray:
    out = np.array(x, dtype=float)
    out[np.abs(out) <= 1e-10 * scale] = 0.0
    return out


def _violations(pb: _Problem, t: np.ndarray, g: float) -> dict:
    """Largest violation per family, recomputed from the payoffs."""
    out = {"budget": abs(math.fsum(t) - g), "subsidy>=0": max(0.0, -g)}
    x = pb.u + t
    if "participation" in pb.families:
        out["participation"] = float(np.max(pb.outside - x, initial=0.0))
    if "self_enforcement" in pb.families:
        has = np.isfinite(pb.dev)
        lhs = pb.detection * (t[has] if pb.forfeit == "transfer" else np.maximum(t[has], 0.0))
        rhs = pb.dev[has] - pb.u[has] - pb.detection * pb.fine
        out["self_enforcement"] = float(np.max(rhs - lhs, initial=0.0))
    if "capacity" in pb.families:
        has = np.isfinite(pb.caps)
        out["capacity"] = float(np.max(-t[has] - pb.caps[has], initial=0.0))
    if "core" in pb.families and pb.core_v is not None:
        from ..coalitions import TUGame, most_violated_coalition

        res = most_violated_coalition(TUGame(pb.core_v, pb.players), x, include_grand=True)
        out["core"] = float(max(res.max_excess, 0.0))
    if pb.max_subsidy is not None:
        out["max_subsidy"] = max(0.0, g - pb.max_subsidy)
    return out


def _binding(built: _Built, x: np.ndarray, tol: float) -> list[str]:
    lp = built.lp
    ax = lp.A @ x
    lo, hi = lp.lo, lp.hi
    names = []
    for r in range(lp.n_rows):
        fam = lp.row_family[r]
        if fam in ("budget", "objective"):
            continue
        b = lo[r] if np.isfinite(lo[r]) else hi[r]
        if abs(ax[r] - b) <= tol * max(1.0, abs(b)):
            names.append(lp.row_names[r])
    return names


def _want_ranges(n: int, ranges) -> bool:
    return (n <= 20) if ranges == "auto" else bool(ranges)


def _probe_vectors(pb: _Problem, built: _Built, ranges, w: np.ndarray) -> list:
    """Cost vectors whose minima over the optimal face give each t_i's range (min t_i and
    min -t_i), or, for large n, the spread of one random combination w . t."""
    n, ncol = pb.n, built.lp.n_cols
    vecs = []
    if _want_ranges(n, ranges):
        for i in range(n):
            c = np.zeros(ncol)
            c[built.p[i]], c[built.q[i]] = 1.0, -1.0
            vecs += [c, -c]
        return vecs
    c = np.zeros(ncol)
    c[built.p] = w
    c[built.q] = -w
    return [c, -c]


def _direction(n: int, seed) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform(1.0, 2.0, n) * rng.choice([-1.0, 1.0], n)


def _ranges(pb: _Problem, built: _Built, sol, ranges, w: np.ndarray) -> tuple:
    """Uniqueness of the optimal transfers and, when asked, the range of each t_i, from
    the probes solved over the optimal face (every lexicographic stage kept)."""
    n = pb.n
    vals = np.asarray(sol.probe_values, dtype=float)
    if not vals.size or np.isnan(vals).any():
        return None, None
    t_star = sol.x[built.p] - sol.x[built.q]
    scale = max(1.0, float(np.abs(t_star).max(initial=0.0)), pb.scale)
    tol_u = 1e-6 * scale
    if _want_ranges(n, ranges):
        lo_t = np.minimum(vals[0::2], t_star)
        hi_t = np.maximum(-vals[1::2], t_star)
        unique = bool(np.all(hi_t - lo_t <= tol_u))
        frame = pd.DataFrame({"min": _clean(lo_t, scale), "max": _clean(hi_t, scale)},
                             index=pd.Index(pb.players, name="jurisdiction"))
        return unique, frame
    # random direction: a face of positive dimension gives min != max almost surely
    spread = -vals[1] - vals[0]
    return bool(spread <= tol_u * np.abs(w).sum()), None


def _diagnose(pb: _Problem, backend: str, unit: str, money: float = 1.0) -> Diagnosis:
    """Elastic analysis of an infeasible design (see module notes). ``pb`` is the
    normalised problem; amounts are reported times ``money`` (its scale)."""
    P = pb.players
    rows = []
    blocking = []
    # 1. the smallest subsidy cap: the least subsidy of the uncapped problem
    built, sol, _, _ = _solve(pb, backend, max_subsidy=None, objective="min_subsidy")
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
        b, s, _, _ = _solve(pb, backend, elastic=fam)
        if s.status != STATUS_OPTIMAL:
            continue
        blocking.append(fam)
        slack_names = [nm for nm in b.lp.col_names]
        for j, nm in enumerate(slack_names):
            if nm.startswith("slack[") and s.x[j] > 1e-9 * max(1.0, pb.scale):
                inner = nm[len("slack["):-1]
                member = inner[inner.index("[") + 1:-1] if "[" in inner else ""
                rows.append({"family": fam, "constraint": inner, "member": member,
                             "shortfall": float(s.x[j]) * money})
        if fam == "capacity":
            has, cols = b.extra["capacity_slack"]
            inc = np.zeros(pb.n)
            inc[has] = _clean(s.x[cols], pb.scale) * money
            cap_inc = pd.Series(inc, index=pd.Index(P, name="jurisdiction"),
                                name="capacity_increase")
    # 3. the smallest uniform fine
    min_fine = math.nan
    if "self_enforcement" in pb.families and pb.forfeit == "transfer":
        b, s, _, _ = _solve(pb, backend, fine_var=True)
        if s.status == STATUS_OPTIMAL:
            min_fine = float(s.values[0]) * money
    short = pd.DataFrame(rows, columns=["family", "constraint", "member", "shortfall"])
    # message, in decimals
    parts = []
    cap_txt = "no subsidy" if max_sub == 0 else f"max_subsidy = {max_sub:.6g}"
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


# ====================================================================== public function
def design_compensation(game, target=None, constraints=None, objective: str = "min_subsidy",
                        outside_option="nash", fine: float = 0.0, capacity=None, reference=None,
                        max_subsidy: float | None = None, *, capacity_share: float = 1.0,
                        detection: float = 1.0, forfeit: str = "transfer",
                        coalition_values=None,
                        outsiders: str = "gamma", ranges="auto", backend: str = "pulp",
                        seed=0, tensor_max_profiles: int = TENSOR_MAX_PROFILES,
                        core_max_players: int = 16, tol: float = 1e-7,
                        time_limit: float | None = None) -> CompensationResult:
    """Side payments and a subsidy that make a target profile worthwhile for everyone.

    Solves the transfer LP of MODEL.md section 5 (formulas in the module notes of
    :mod:`cooperation.compensation.design`): transfers ``t_i`` (received when
    positive) and a subsidy ``g = sum_i t_i >= 0`` such that, at the target
    profile ``a*``::

        participation     u_i(a*) + t_i >= o_i
        self_enforcement  q t_i >= max_{a_i' != a*_i} u_i(a_i', a*_-i) - u_i(a*) - q F
        capacity          -t_i <= k_i
        core              sum_{i in S} (u_i(a*) + t_i) >= v(S)   for every coalition S
        (always)          sum_i t_i = g >= 0,  g <= max_subsidy

    with a lexicographic objective (min_subsidy: min g, then min sum|t_i|).

    Parameters
    ----------
    game : NormalFormGame, Scenario or payoff array
        A scenario of any size: only the payoffs the LP needs are evaluated
        (the target, the outside option, each unilateral deviation), so
        thousands of jurisdictions are fine; the tensor is used only when it
        has at most ``tensor_max_profiles`` cells.
    target : profile, optional
        Indices, labels, a mapping jurisdiction -> action, or one action label
        for everyone (e.g. ``"cooperate"``). Default: the social optimum
        (small games), or for large scenarios the best welfare 1-opt local
        maximum found by coordinate ascent from everyone-cooperates and
        everyone-self (``target_certified`` is then False).
    constraints : sequence of str, optional
        Families to switch on, from ``participation``, ``self_enforcement``,
        ``capacity``, ``core``. Default: all four, except that ``core`` is left
        out (with a note) when ``n > core_max_players`` and no
        ``coalition_values`` are given, and ``capacity`` has no rows when no
        caps are known.
    objective : {"min_subsidy", "min_transfers", "closest", "max_min_gain"}
    outside_option : "nash", "maximin", "status_quo", or a vector
        ``"nash"``: payoffs at the worst-welfare pure Nash equilibrium (each
        player's mixed maximin value when there is none; large scenarios: a
        pure equilibrium from best-response dynamics, not certified worst);
        ``"maximin"``: mixed security levels (small games); ``"status_quo"``:
        everyone plays its first action (属地, self-only); or one payoff per
        jurisdiction (Series by name, mapping, or array).
    fine : float >= 0
        Paid by a detected deviator (self-enforcement).
    capacity : Series, mapping or array, optional
        Per-jurisdiction payment cap ``k_i >= 0`` (``inf``: no cap). Default:
        ``capacity_share * scenario capacity`` where known; none for a game.
    reference : "shapley", "nucleolus", "prenucleolus", Series, mapping or array
        Payoff allocation for ``objective="closest"``; the strings are computed
        from the characteristic function (``outsiders``).
    max_subsidy : float >= 0, optional
        Cap on ``g``; 0 = no higher-level money (peer-led mode).
    capacity_share : float >= 0
        Share of fiscal capacity a jurisdiction may pay (default caps).
    detection : float in (0, 1]
        Probability that a deviation is detected (self-enforcement).
    forfeit : {"transfer", "receipts"}
        What a detected deviator loses. ``"transfer"`` (API.md): its transfer
        either way, so a payer that deviates also stops paying, and
        self-enforcement caps what a payer can be asked to pay. ``"receipts"``:
        it loses what it would receive but still owes its payments (enforced
        from above), so the row is ``q max(t_i, 0) >= dev_i - u_i(a*) - q F``,
        i.e. ``t_i >= (dev_i - u_i(a*))/q - F`` where that is positive.
    coalition_values : TUGame or array of length 2**n, optional
        ``v(S)`` for the core; default ``characteristic_function(game, outsiders)``.
    outsiders : {"gamma", "nash", "alpha"}
        Outsiders' behaviour when ``v`` is computed here.
    ranges : "auto", bool
        Compute the range of each ``t_i`` over the optimal face (2n extra
        LPs); "auto": when ``n <= 20``. Otherwise uniqueness is tested along
        one random direction (two LPs, ``seed``).
    backend : {"pulp", "scipy"}
        PuLP with HiGHS (CBC fallback), or ``scipy.optimize.linprog``.
    seed : int, SeedSequence or Generator
        For the random uniqueness direction.
    tol : float
        Tolerance for binding constraints and the violation certificate.

    Returns
    -------
    CompensationResult
        ``success``, ``status``, ``message``, ``transfers``, ``subsidy``,
        ``binding``, ``duals``, ``diagnosis`` (when infeasible), ``.to_frame()``.

    Raises
    ------
    InputError, GameError
        Unknown objective or constraint family, unknown jurisdiction in
        ``capacity``/``reference``/``outside_option``, negative capacity or
        fine, NaN numbers, a target out of range.

    References
    ----------
    Chander and Tulkens (1997), *IJGT* 26, 379-401; Myerson (1991), *Game
    Theory*, ch. 6; Chinneck (2008), *Feasibility and Infeasibility in
    Optimization*, ch. 7.

    Examples
    --------
    Upstream (cost 1 to protect) and downstream (expected damage 5 without
    protection, 1 with it):

    >>> import cooperation as co
    >>> s = co.Scenario(
    ...     jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0}),
    ...                    co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.2})],
    ...     hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
    ...                        prevention=0.8, spillover={"Down": 1.0})],
    ...     unit="CNY 100M")
    >>> res = co.design_compensation(s, constraints=["participation"])
    >>> res.transfers.round(6).to_dict(), res.subsidy
    ({'Up': 1.0, 'Down': -1.0}, 0.0)
    """
    # ---------------------------------------------------------------- argument checks
    if objective not in OBJECTIVES:
        raise InputError(f"unknown objective; choose one of {list(OBJECTIVES)}",
                         field="objective", value=objective)
    explicit = constraints is not None
    if constraints is None:
        fams = list(FAMILIES)
    else:
        if isinstance(constraints, str):
            constraints = [constraints]
        fams = []
        for c in constraints:
            if c not in FAMILIES:
                raise InputError(f"unknown constraint family; choose from {list(FAMILIES)}",
                                 field="constraints", value=c)
            if c not in fams:
                fams.append(c)
    for nm, val in (("fine", fine), ("capacity_share", capacity_share), ("tol", tol)):
        if isinstance(val, bool) or not isinstance(val, int | float | np.number) \
                or not math.isfinite(val) or val < 0:
            raise InputError("must be a finite number >= 0", field=nm, value=val)
    if isinstance(detection, bool) or not isinstance(detection, int | float | np.number) \
            or not 0 < detection <= 1:
        raise InputError("a detection probability must lie in (0, 1]", field="detection",
                         value=detection, fix="with detection 0 no transfer can deter")
    if max_subsidy is not None:
        if isinstance(max_subsidy, bool) or not isinstance(max_subsidy, int | float | np.number) \
                or not math.isfinite(max_subsidy) or max_subsidy < 0:
            raise InputError("must be a finite number >= 0 (or None for no cap)",
                             field="max_subsidy", value=max_subsidy)
        max_subsidy = float(max_subsidy)
    if forfeit not in ("transfer", "receipts"):
        raise InputError("must be 'transfer' (a detected deviator neither receives nor pays) "
                         "or 'receipts' (it loses what it would receive, still owes what it "
                         "pays)", field="forfeit", value=forfeit)
    if ranges not in ("auto", True, False):
        raise InputError("must be 'auto', True or False", field="ranges", value=ranges)
    notes: list[str] = []

    model = PayoffModel(game, tensor_max_profiles)
    n, P = model.n, model.players

    # ---------------------------------------------------------------- target
    if target is None:
        a_star, certified, tnote = default_target(model)
    else:
        a_star = model.check_profile(target, "target")
        certified, tnote = True, "given"
        if model.small:
            from ..equilibria import social_optimum

            opt = social_optimum(model.game)
            w = float(model.payoffs(a_star)[0].sum())
            if w < opt.welfare - 1e-9 * max(1.0, abs(opt.welfare)):
                notes.append(f"the target is not the social optimum (welfare {w:.6g} < "
                             f"{opt.welfare:.6g})")
    u = model.payoffs(a_star)[0]
    if not np.all(np.isfinite(u)):
        raise InputError("payoffs at the target must be finite numbers", field="game",
                         value="NaN or inf payoff")

    # ---------------------------------------------------------------- outside option
    if isinstance(outside_option, str):
        if outside_option not in OUTSIDE:
            raise InputError(f"must be one of {list(OUTSIDE)} or one payoff per jurisdiction",
                             field="outside_option", value=outside_option)
        if outside_option == "nash":
            o, onote, _ = nash_outside(model)
        elif outside_option == "maximin":
            if not model.small:
                raise InputError("maximin values need the payoff tensor; this scenario is too "
                                 "large", field="outside_option", value=outside_option,
                                 fix="use 'nash', 'status_quo' or a vector")
            from ..equilibria.status_quo import security_levels as maximin_values

            o, onote = maximin_values(model.game), "mixed maximin value (security level)"
        else:
            o = model.payoffs(np.zeros(n, dtype=np.intp))[0]
            onote = "status quo: everyone plays its first action (self-only)"
    else:
        o = model.check_vector(outside_option, "outside_option")
        onote = "given"

    # ---------------------------------------------------------------- deviations
    dev = np.full(n, -np.inf)
    if "self_enforcement" in fams:
        D = model.deviations(a_star)
        D = D.copy()
        D[np.arange(n), a_star] = -np.inf
        dev = D.max(axis=1)

    # ---------------------------------------------------------------- capacity
    caps = np.full(n, np.inf)
    if capacity is not None:
        caps = model.check_vector(capacity, "capacity", allow_inf=True, nonneg=True)
    elif model.scenario is not None:
        sc = np.asarray(model.scenario.capacity, float)
        caps = np.where(np.isfinite(sc), capacity_share * sc, np.inf)
    if "capacity" in fams and not np.isfinite(caps).any():
        notes.append("capacity: no payment caps known (pass capacity=...), so no capacity rows")

    # ---------------------------------------------------------------- core values
    core_v = None
    need_v = "core" in fams or (objective == "closest" and isinstance(reference, str))
    if need_v:
        if coalition_values is not None:
            vals = getattr(coalition_values, "values", coalition_values)
            vals = np.asarray(vals, dtype=float)
            if vals.shape != (1 << n,):
                raise InputError(f"needs 2**n = {1 << n} values (bitmask order)",
                                 field="coalition_values", value=f"shape {vals.shape}")
            vp = getattr(coalition_values, "players", None)
            if vp is not None and tuple(vp) != tuple(P):
                raise InputError(f"players must be {list(P)} in this order",
                                 field="coalition_values.players", value=list(vp))
            if not np.all(np.isfinite(vals)):
                raise InputError("v(S) must be finite numbers", field="coalition_values",
                                 value="NaN or inf")
            core_v = vals
            tu = coalition_values
        elif n > core_max_players or not model.small:
            if "core" in fams and explicit:
                raise InputError(f"core constraints need v(S) for 2**{n} coalitions; "
                                 f"characteristic_function is limited to "
                                 f"{core_max_players} jurisdictions", field="constraints",
                                 value="core", fix="pass coalition_values=, or drop 'core'")
            if "core" in fams:
                fams.remove("core")
                notes.append(f"core: left out ({n} jurisdictions: 2**{n} coalitions; pass "
                             "coalition_values= to include it)")
            tu = None
        else:
            from ..coalitions import characteristic_function

            tu = characteristic_function(model.game, outsiders=outsiders)
            core_v = np.asarray(tu.values, dtype=float)

    # ---------------------------------------------------------------- reference
    ref = None
    if objective == "closest":
        if reference is None:
            raise InputError("objective 'closest' needs a reference allocation",
                             field="reference", value=None,
                             fix="reference='shapley', 'nucleolus', or one payoff per "
                                 "jurisdiction")
        if isinstance(reference, str):
            if reference not in ("shapley", "nucleolus", "prenucleolus"):
                raise InputError("must be 'shapley', 'nucleolus', 'prenucleolus' or one payoff "
                                 "per jurisdiction", field="reference", value=reference)
            if core_v is None:
                raise InputError(f"needs the characteristic function (2**{n} coalitions)",
                                 field="reference", value=reference,
                                 fix="pass coalition_values= or a numeric reference")
            from ..coalitions import TUGame, nucleolus, prenucleolus, shapley

            v = tu if tu is not None and not isinstance(tu, np.ndarray | list | tuple) \
                else TUGame(core_v, P)
            ser = (shapley(v) if reference == "shapley" else nucleolus(v).allocation
                   if reference == "nucleolus" else prenucleolus(v).allocation)
            ref = np.asarray(pd.Series(ser).reindex(P).to_numpy(), dtype=float)
            notes.append(f"reference: {reference} value of v ({outsiders} outsiders)"
                         if coalition_values is None else f"reference: {reference} of the "
                         "given coalition values")
        else:
            ref = model.check_vector(reference, "reference")
    elif reference is not None:
        ref = model.check_vector(reference, "reference") if not isinstance(reference, str) \
            else None
        notes.append("reference is used only by objective='closest'")

    if "core" not in fams:
        core_v_used = None
    else:
        core_v_used = core_v
    pb = _Problem(tuple(P), u, o, dev, caps, core_v_used, ref, tuple(fams), objective,
                  float(fine), float(detection), max_subsidy, tol, forfeit)
    return _finish(pb, model, a_star, certified, tnote, onote, notes, backend, ranges, seed,
                   time_limit)


def _finish(pb, model, a_star, certified, tnote, onote, notes, backend, ranges, seed,
            time_limit) -> CompensationResult:
    P, n, unit = pb.players, pb.n, model.unit
    w = _direction(n, seed)
    pbs, money = _normalise(pb)   # solved at order one; amounts scale back by `money`
    built, sol, masks, rounds = _solve(
        pbs, backend, time_limit=time_limit,
        probes_fn=lambda b: _probe_vectors(pbs, b, ranges, w))
    index = pd.Index(P, name="jurisdiction")
    ser = lambda a, name: pd.Series(np.asarray(a, float), index=index, name=name)  # noqa: E731
    if pb.core_v is not None and n > CORE_FULL_MAX:
        notes.append(f"core: constraint generation, {len(masks)} of {2 ** n - 1} coalition "
                     f"rows in {rounds} rounds")
    labels = model.label(a_star)
    common = dict(payoff_before=ser(pb.outside, "outside_option"),
                  payoff_target=ser(pb.u, "payoff_target"), target=labels,
                  target_profile=tuple(int(k) for k in a_star), target_certified=certified,
                  target_note=tnote, outside_note=onote, constraints=pb.families,
                  objective=pb.objective, caps=ser(pb.caps, "cap"),
                  deviation_payoff=ser(pb.dev, "best_deviation"), unit=unit)
    if sol.status != STATUS_OPTIMAL:
        nan = ser(np.full(n, np.nan), "transfer")
        diag = None
        msg = f"{STATUS_TEXT.get(sol.status, 'failed')}: {sol.message}"
        if sol.status == STATUS_INFEASIBLE:
            diag = _diagnose(pbs, backend, unit, money)
            msg = diag.message
        return CompensationResult(
            success=False, status=sol.status, message=msg, transfers=nan, subsidy=math.nan,
            money_moved=math.nan, payoff_after=ser(np.full(n, np.nan), "payoff_after"),
            gain=ser(np.full(n, np.nan), "gain"), binding=(),
            duals=pd.Series(dtype=float, name="dual"), unique=None, transfer_range=None,
            diagnosis=diag, objective_values=tuple(v * money for v in sol.values),
            max_violation=math.nan,
            notes=tuple(notes), solver=sol.solver, build_time=sol.build_time,
            solve_time=sol.solve_time, **common)
    x = sol.x
    ts = _clean(x[built.p] - x[built.q], pbs.scale)
    gs = math.fsum(ts)
    if gs < 0:   # solver noise around g = 0: give the rounding to the largest receiver
        j = int(np.argmax(ts))
        ts[j] -= gs
        gs = max(math.fsum(ts), 0.0)
    if abs(gs) <= 1e-10 * pbs.scale:   # rounding dust of a zero subsidy
        gs = 0.0
    viol_s = _violations(pbs, ts, gs)
    max_vs = max(viol_s.values())
    viol = {k: v * money for k, v in viol_s.items()}
    max_v = max_vs * money
    t = ts * money
    g = gs * money
    binding = _binding(built, x, pb.tol)
    duals = pd.Series(sol.duals, index=built.lp.row_names, name="dual")
    duals = duals[[f not in ("objective",) for f in built.lp.row_family]]
    duals = duals.where(np.abs(duals) > 1e-12, 0.0)
    unique, frame = _ranges(pbs, built, sol, ranges, w)
    if frame is not None:
        frame = frame * money
    if unique is False and frame is None:
        notes.append("the optimal transfers are not unique (random-direction test); pass "
                     "ranges=True for the range of each transfer")
    moved = float(np.abs(t).sum())
    msg = (f"optimal ({pb.objective}): subsidy {g:.6g}, money moved {moved:.6g} {unit}".rstrip()
           + ("" if unique is None else "; transfers unique" if unique else
              "; transfers not unique (see transfer_range)" if frame is not None else
              "; transfers not unique"))
    if max_vs > pb.tol * max(1.0, pbs.scale):
        msg += f"; WARNING: constraints violated by up to {max_v:.3g} (solver tolerance)"
    if not certified:
        msg += "; target not certified optimal"
    return CompensationResult(
        success=True, status=STATUS_OPTIMAL, message=msg, transfers=ser(t, "transfer"),
        subsidy=float(g), money_moved=moved, payoff_after=ser(pb.u + t, "payoff_after"),
        gain=ser(pb.u + t - pb.outside, "gain"), binding=tuple(binding), duals=duals,
        unique=unique, transfer_range=frame, diagnosis=None,
        objective_values=tuple(float(v) * money for v in sol.values),
        max_violation=float(max_v),
        notes=tuple(notes), solver=sol.solver, build_time=sol.build_time,
        solve_time=sol.solve_time, extra={"violations": viol, "core_rows": None if masks is None
                                          else len(masks)}, **common)
