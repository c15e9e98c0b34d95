"""Result types of the transfer design: :class:`CompensationResult` and :class:`Diagnosis`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..._result import ResultMixin, SolverResultMixin
from ...lp import STATUS_TEXT

__all__ = ["CompensationResult", "Diagnosis", "money"]


def money(x: float, unit: str = "") -> str:
    """An amount at 6 significant digits with its unit (``n/a`` for None or NaN)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.6g} {unit}".strip()


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
        return [
            ("blocking", ", ".join(self.blocking) or "-"),
            ("smallest subsidy cap", money(self.min_subsidy_cap, self.unit)),
            ("smallest fine", money(self.min_fine, self.unit)),
            (
                "capacity increase",
                "-"
                if self.capacity_increase is None
                else money(float(self.capacity_increase.sum()), self.unit) + " in all",
            ),
        ]

    def to_frame(self) -> pd.DataFrame:
        return self.shortfalls.copy()


@dataclass(frozen=True, repr=False)
class CompensationResult(SolverResultMixin):
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
        ``sum_i |t_i|``: every transfer paid or received, the subsidy included
        (:attr:`paid` is the part that moves between jurisdictions).
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

    @property
    def paid(self) -> float:
        """What the paying jurisdictions pay in all, ``sum_i max(-t_i, 0)``: the money that
        moves from jurisdiction to jurisdiction (0 when every transfer is subsidy)."""
        return float(np.maximum(-self.transfers.to_numpy(), 0.0).sum())

    @property
    def received(self) -> float:
        """What the receiving jurisdictions get in all, ``sum_i max(t_i, 0) = paid +
        subsidy``."""
        return float(np.maximum(self.transfers.to_numpy(), 0.0).sum())

    def binding_table(self) -> pd.DataFrame:
        """Every binding constraint with its shadow price, one row each.

        ``binding`` lists the rows that hold with equality (slack within ``tol``
        of the LP's money scale, :func:`design_compensation`); a row with a
        non-zero shadow price is binding by complementary slackness, so it is
        listed even if its slack were above ``tol``. ``priced`` is True where the
        shadow price is non-zero; a binding row with price 0 is *degenerate*:
        other binding rows already pin the same transfers, and another dual
        solution may price it instead.

        Columns: ``constraint``, ``family``, ``member``, ``shadow_price``, ``priced``.
        """
        duals = self.duals.drop(labels=["budget"], errors="ignore")
        names = list(dict.fromkeys(list(self.binding) + [k for k, v in duals.items() if v != 0.0]))
        fam = [n.split("[", 1)[0] for n in names]
        member = [n[n.index("[") + 1 : -1] if "[" in n else "" for n in names]
        price = [float(duals.get(n, 0.0)) for n in names]
        return pd.DataFrame(
            {
                "constraint": names,
                "family": fam,
                "member": member,
                "shadow_price": price,
                "priced": [x != 0.0 for x in price],
            }
        )

    def _summary(self):
        u = self.unit
        rows = [
            ("success", self.success),
            ("status", f"{self.status} ({STATUS_TEXT.get(self.status, '?')})"),
            ("message", self.message),
            ("objective", self.objective),
            ("constraints", ", ".join(self.constraints) or "-"),
        ]
        if self.success:
            rows += [
                ("subsidy", money(self.subsidy, u)),
                ("paid between jurisdictions", money(self.paid, u)),
                ("money moved (sum |t_i|)", money(self.money_moved, u)),
                ("unique", self.unique),
                (
                    "binding",
                    ", ".join(self.binding[:12]) + (" ..." if len(self.binding) > 12 else ""),
                ),
            ]
        rows += [
            ("target", self.target if len(self.target) <= 12 else f"{self.target[:12]} ..."),
            ("target certified optimal", self.target_certified),
            ("solver", self.solver),
        ]
        return rows

    def to_frame(self) -> pd.DataFrame:
        """One row per jurisdiction: target action, outside option, payoffs before and
        after transfers, the transfer and its range, the cap (``inf``: no cap), the
        shadow prices of the jurisdiction's constraints, the families that bind
        (``binding``) and those of them with a non-zero shadow price (``priced``),
        consistent with :meth:`binding_table`."""
        idx = self.transfers.index
        df = pd.DataFrame(
            {
                "action": list(self.target),
                "outside_option": self.payoff_before.to_numpy(),
                "payoff_target": self.payoff_target.to_numpy(),
                "transfer": self.transfers.to_numpy(),
                "payoff_after": self.payoff_after.to_numpy(),
                "gain": self.gain.to_numpy(),
            },
            index=idx,
        )
        if self.transfer_range is not None:
            df["transfer_min"] = self.transfer_range["min"].to_numpy()
            df["transfer_max"] = self.transfer_range["max"].to_numpy()
        df["cap"] = self.caps.to_numpy()
        for fam in ("participation", "self_enforcement", "capacity"):
            if fam in self.constraints:
                names = [f"{fam}[{p}]" for p in idx]
                df[f"dual_{fam}"] = self.duals.reindex(names).fillna(0.0).to_numpy()
        bt = self.binding_table() if self.success else None
        binding = set() if bt is None else set(bt["constraint"])
        priced = set() if bt is None else set(bt.loc[bt["priced"], "constraint"])
        fams = ("participation", "self_enforcement", "capacity")
        df["binding"] = [", ".join(f for f in fams if f"{f}[{p}]" in binding) for p in idx]
        df["priced"] = [", ".join(f for f in fams if f"{f}[{p}]" in priced) for p in idx]
        df.index.name = "jurisdiction"
        return df

    def to_dict(self) -> dict:
        """Plain data for JSON output."""
        d = {
            "success": self.success,
            "status": self.status,
            "message": self.message,
            "unit": self.unit,
            "objective": self.objective,
            "constraints": list(self.constraints),
            "subsidy": self.subsidy,
            "money_moved": self.money_moved,
            "paid_by_jurisdictions": self.paid if self.success else math.nan,
            "received_by_jurisdictions": self.received if self.success else math.nan,
            "objective_values": list(self.objective_values),
            "target": list(self.target),
            "target_certified": self.target_certified,
            "target_note": self.target_note,
            "outside_note": self.outside_note,
            "unique": self.unique,
            "binding": list(self.binding),
            "duals": {k: float(v) for k, v in self.duals.items() if v != 0.0},
            "max_violation": self.max_violation,
            "notes": list(self.notes),
            "solver": self.solver,
            "per_jurisdiction": self.to_frame(),
        }
        if self.diagnosis is not None:
            dg = self.diagnosis
            d["diagnosis"] = {
                "blocking": list(dg.blocking),
                "min_subsidy_cap": dg.min_subsidy_cap,
                "min_fine": dg.min_fine,
                "capacity_increase": None if dg.capacity_increase is None else dg.capacity_increase,
                "shortfalls": dg.shortfalls,
                "message": dg.message,
            }
        return d
