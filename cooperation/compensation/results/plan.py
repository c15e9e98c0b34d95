"""Result type of a payment plan: :class:`PaymentPlan` (who pays whom, along which links)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from ..._result import SolverResultMixin
from ...errors import InputError
from ...lp import STATUS_TEXT

__all__ = ["HIGHER_LEVEL", "PaymentPlan", "empty_groups"]

#: Default name of the node through which the higher level's subsidy enters.
HIGHER_LEVEL = "higher level"

#: status codes of a plan: the solver's, and -1 for a plan given as data
_STATUS = {**STATUS_TEXT, -1: "given as data"}


@dataclass(frozen=True, repr=False)
class PaymentPlan(SolverResultMixin):
    """Result of :func:`~cooperation.payment_plan` (scipy.optimize vocabulary plus labelled fields).

    Attributes
    ----------
    success : bool
        True when every balance is met.
    status : int
        0 optimal, 1 iteration/time limit, 2 infeasible (the links cannot carry
        the transfers; the returned plan moves as much as possible), 3/4 solver
        trouble; ``-1`` for a plan given as data (:func:`~cooperation.compensation.fixed_plan`).
    message : str
        The outcome in plain words; when infeasible, who is cut off and by how much.
    edges : DataFrame
        One row per link that carries money: ``payer``, ``payee``, ``amount``,
        ``unit`` (the higher level appears as a payer under its node name).
    totals : DataFrame
        Per node (jurisdictions, then the higher level): ``transfer`` (the net
        transfer asked for; ``-g`` for the higher level), ``received``,
        ``paid``, ``net = received - paid``, ``shortfall`` (what the plan
        misses: money not received by a receiver, not paid by a payer).
    links : DataFrame
        Every allowed link: ``payer``, ``payee``, ``cost``, ``cap``, ``flow``,
        ``at_cap``.
    transfers : Series
        The net transfers ``t_i`` the plan implements.
    subsidy : float
        ``g``, paid by the higher level.
    cost : float
        ``sum c_ij f_ij`` of the plan.
    money_routed : float
        ``sum f_ij``: money on all links (relays counted on each link).
    n_links : int
        Links that carry money.
    binding : tuple of str
        Links at their cap, as ``"payer->payee"``.
    unique : bool or None
        Whether the cheapest plan is unique (None: not checked).
    forest : bool
        Links carrying money below their caps form a forest (no cycle).
    max_imbalance : float
        ``max_i |net_i - t_i|`` over the nodes with no shortfall (the certificate).
    deficit : float
        Money the links cannot carry (0 when ``success``).
    cut_off : Series
        Receivers (and the higher level, if its subsidy cannot reach anyone)
        that the plan leaves short, with the amount short; empty when ``success``.
    unpaid : Series
        Payers that cannot pay all they owe, with the amount left unpaid.
    groups : DataFrame
        The canonical part of the diagnosis: per group of short receivers that
        share no link (the receiving side of the minimum cut), its members,
        ``need``, ``can_receive`` (what its own payers and the links into it can
        bring) and ``short = need - can_receive``.
    rule : str
        How the links were chosen (``"table"``, a scenario rule, or ``"given"``).
    higher_level : str
        The higher level's node name.
    notes : tuple of str
    solver, unit, build_time, solve_time
    """

    success: bool
    status: int
    message: str
    edges: pd.DataFrame
    totals: pd.DataFrame
    links: pd.DataFrame
    transfers: pd.Series
    subsidy: float
    cost: float
    money_routed: float
    n_links: int
    binding: tuple
    unique: bool | None
    forest: bool
    max_imbalance: float
    deficit: float
    cut_off: pd.Series
    unpaid: pd.Series
    groups: pd.DataFrame
    rule: str
    higher_level: str = HIGHER_LEVEL
    notes: tuple = ()
    solver: str = ""
    unit: str = ""
    build_time: float = 0.0
    solve_time: float = 0.0
    extra: dict = field(default_factory=dict, repr=False)

    #: the figure of :meth:`plot`, registered by :mod:`cooperation.report.payment_plan`
    #: (plotting depends on results, never the reverse)
    _plotter: ClassVar = None

    @property
    def fun(self) -> float:
        """The plan's cost (scipy's name for the objective value)."""
        return self.cost

    @property
    def status_text(self) -> str:
        """The status in words (``"given as data"`` for :func:`fixed_plan`'s -1)."""
        return _STATUS.get(self.status, "unknown")

    def _summary(self):
        u = self.unit
        rows = [("success", self.success),
                ("status", f"{self.status} ({_STATUS.get(self.status, '?')})"),
                ("message", self.message), ("links used", f"{self.n_links} of {len(self.links)}"),
                ("subsidy", _fmt(self.subsidy, u)), ("money routed", _fmt(self.money_routed, u)),
                ("cost", f"{self.cost:.6g}"), ("unique", self.unique)]
        if self.binding:
            rows.append(("at cap", ", ".join(self.binding[:8])
                         + (" ..." if len(self.binding) > 8 else "")))
        if not self.success and len(self.cut_off):
            rows.append(("cut off", ", ".join(f"{k} ({_fmt(v, u)})"
                                              for k, v in self.cut_off.head(8).items())))
        rows.append(("solver", self.solver))
        return rows

    def to_frame(self) -> pd.DataFrame:
        """The edge table (payer, payee, amount, unit), one row per payment."""
        return self.edges.copy()

    def compare(self, other: PaymentPlan, names=("self", "other")) -> pd.DataFrame:
        """Side by side with another plan: one row per (payer, payee) used by either,
        each plan's amount (0 when unused) and the difference ``self - other``."""
        if not isinstance(other, PaymentPlan):
            raise InputError("must be a PaymentPlan", field="other", value=type(other).__name__)
        a, b = names
        left = self.edges.set_index(["payer", "payee"])["amount"].rename(a)
        right = other.edges.set_index(["payer", "payee"])["amount"].rename(b)
        df = pd.concat([left, right], axis=1).fillna(0.0)
        df["difference"] = df[a] - df[b]
        return df.reset_index()

    def to_dict(self) -> dict:
        """Plain data for JSON output."""
        return {"success": self.success, "status": self.status, "message": self.message,
                "unit": self.unit, "subsidy": self.subsidy, "cost": self.cost,
                "money_routed": self.money_routed, "n_links": self.n_links,
                "binding": list(self.binding), "unique": self.unique, "forest": self.forest,
                "max_imbalance": self.max_imbalance, "deficit": self.deficit,
                "cut_off": self.cut_off, "unpaid": self.unpaid, "groups": self.groups,
                "edges": self.edges, "totals": self.totals.reset_index(),
                "rule": self.rule, "higher_level": self.higher_level,
                "notes": list(self.notes), "solver": self.solver}

    def plot(self, ax=None, **kwargs):
        """Flow diagram of the plan; returns ``(fig, ax)``.

        The same as ``cooperation.report.plot_payment_plan(plan, ax, ...)``, which
        draws it; that module registers itself here when it is imported
        (``import cooperation`` does), so this result type never imports the
        plotting layer.
        """
        if PaymentPlan._plotter is None:
            raise InputError("the figure needs the report layer", field="plot", value=None,
                             show_value=False, fix="import cooperation.report")
        return PaymentPlan._plotter(self, ax=ax, **kwargs)


def _fmt(x: float, unit: str = "") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x + 0.0:.6g} {unit}".strip()          # + 0.0: no "-0" for a zero sum


def empty_groups() -> pd.DataFrame:
    """The ``groups`` table of a plan with nobody cut off."""
    return pd.DataFrame({"members": pd.Series(dtype=object), "need": pd.Series(dtype=float),
                         "can_receive": pd.Series(dtype=float),
                         "short": pd.Series(dtype=float)})
