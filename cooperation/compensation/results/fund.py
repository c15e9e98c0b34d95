"""Result type of the crisis fund: :class:`FundResult`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..._result import SolverResultMixin
from ...lp import STATUS_TEXT

__all__ = ["FundResult"]


@dataclass(frozen=True, repr=False)
class FundResult(SolverResultMixin):
    """Result of :func:`design_fund`.

    Attributes
    ----------
    success, status, message
        scipy vocabulary (0 optimal, 2 infeasible ...).
    contributions : Series
        ``f_i``, paid in every year, by member.
    payout_shares : Series
        ``alpha_i``: share of its damage the fund pays a member.
    cofunding : float
        ``c``: the higher level's yearly contribution.
    reserve : float
    resources : float
        ``F + c + R``: money available in a year (in reserve mode: in the first year).
    cvar : float
        Standby mode: in-sample CVaR_beta of the yearly payouts (the LP keeps it <=
        resources). Reserve mode: in-sample CVaR_beta of the reserve an ``H``-year
        path needs, ``max_t (P_1 + ... + P_t - t (F + c))`` (the LP keeps it <= R).
    var : float
        The in-sample VaR_beta (lower quantile) of the same quantity.
    key : Series
        The key shares ``kappa_i`` the contributions were kept close to.
    key_deviation : float
        ``sum_i |f_i - kappa_i F|``.
    key_followed : bool or None
        Whether the contributions follow the key (deviation 0); None when members
        pay nothing (no shares to follow).
    key_decided_by : tuple of str or None
        When the key is not followed: the constraints with non-zero shadow prices in
        the key stage, which decide the contributions instead (for example the least
        co-funding, ``net_benefit[...]``, ``coverage[...]``); None where the backend
        does not report them (``"pulp"``, ``"scipy"``).
    mode, horizon, covers : str, int, str
        ``"standby"`` (``horizon = 1``: one year's standby money) or ``"reserve"``
        (the balance carried over ``horizon`` years), and a sentence saying so.
    expected_damage, expected_payout, net_benefit : Series
        Per member, in sample: ``mean L_i``, ``alpha_i mean L_i``, and the latter
        minus ``f_i`` (>= 0 by construction).
    in_sample : dict
        ``shortfall_probability``, ``expected_shortfall``, ``cvar_shortfall`` (in
        reserve mode per path of ``horizon`` years: ``ruin_probability`` (the same as
        ``shortfall_probability``), ``cvar_need``, ``mean_final_balance``, ``paths``).
    out_of_sample : dict
        The same from an independent simulation (``years``, ``seed`` recorded).
    solver_status : str
        The solver's own status words (HiGHS's model status with the default backend).
    years, scenarios : int
        Simulated years in sample; distinct years (standby mode) or whole paths of
        ``horizon`` years (reserve mode) the LP was written over.
    binding : tuple of str
        The constraints that hold with equality: ``solvency``, ``sustainability``,
        ``net_benefit[member]``, ``capacity[member]``.
    duals : Series
        Shadow prices of the first stage (co-funding per unit of each constraint's
        bound), for the model's own rows (the generated tail rows are left out).
    diagnosis : str or None
        When infeasible: the smallest co-funding that restores feasibility.
    min_cofunding : float
        The least co-funding that makes the fund feasible (computed when infeasible).
    """

    success: bool
    status: int
    message: str
    contributions: pd.Series
    payout_shares: pd.Series
    cofunding: float
    reserve: float
    resources: float
    cvar: float
    var: float
    key: pd.Series
    key_name: str
    key_deviation: float
    expected_damage: pd.Series
    expected_payout: pd.Series
    net_benefit: pd.Series
    caps: pd.Series
    confidence: float
    years: int
    scenarios: int
    in_sample: dict
    out_of_sample: dict
    binding: tuple
    duals: pd.Series
    diagnosis: str | None
    min_cofunding: float
    profile: tuple
    objective_values: tuple
    unit: str = ""
    solver: str = ""
    build_time: float = 0.0
    solve_time: float = 0.0
    notes: tuple = ()
    mode: str = "standby"
    horizon: int = 1
    covers: str = ""
    solver_status: str = ""
    key_followed: bool | None = None
    key_decided_by: tuple | None = None
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def total_contributions(self) -> float:
        return float(self.contributions.sum())

    def _summary(self):
        u = self.unit
        rows = [
            ("success", self.success),
            ("status", f"{self.status} ({STATUS_TEXT.get(self.status, '?')})"),
            ("message", self.message),
            ("covers", self.covers),
        ]
        if self.success:
            oos = self.out_of_sample
            rows += [
                ("members pay a year", f"{self.total_contributions:.6g} {u}"),
                ("co-funding a year", f"{self.cofunding:.6g} {u}"),
            ]
            if self.mode == "standby":
                rows += [
                    ("reserve", f"{self.reserve:.6g} {u}"),
                    ("resources for one year (F + c + R)", f"{self.resources:.6g} {u}"),
                    (
                        f"CVaR{self.confidence:g} of one year's payouts (in sample)",
                        f"{self.cvar:.6g} {u}",
                    ),
                    (
                        "shortfall probability a year (out of sample)",
                        f"{oos.get('shortfall_probability', math.nan):.4g}",
                    ),
                    (
                        "expected shortfall a year (out of sample)",
                        f"{oos.get('expected_shortfall', math.nan):.4g} {u}",
                    ),
                ]
            else:
                H = self.horizon
                rows += [
                    ("starting reserve", f"{self.reserve:.6g} {u}"),
                    (
                        f"CVaR{self.confidence:g} of the reserve {H} years need (in sample)",
                        f"{self.cvar:.6g} {u}",
                    ),
                    (
                        f"ruin probability over {H} years (out of sample)",
                        f"{oos.get('ruin_probability', math.nan):.4g}",
                    ),
                    (
                        f"mean balance after {H} years (out of sample)",
                        f"{oos.get('mean_final_balance', math.nan):.6g} {u}",
                    ),
                ]
            rows += [
                (
                    "key",
                    self.key_name
                    + ("" if self.key_followed is not False else " (not followed: see notes)"),
                )
            ]
        rows += [("note", note) for note in self.notes]
        return rows

    def to_frame(self) -> pd.DataFrame:
        """One row per member: key share, contribution and its share, payout share,
        expected damage and payout, expected net benefit, payment cap.

        ``attrs`` carries ``covers`` (what the money is for), ``mode``, ``horizon``
        and the ``notes`` (among them why ``contribution_share`` is NaN when members
        pay nothing, and what decides the contributions when the key does not)."""
        F = self.contributions.sum()
        df = pd.DataFrame(
            {
                "key_share": self.key.to_numpy(),
                "contribution": self.contributions.to_numpy(),
                "contribution_share": (self.contributions / F).to_numpy()
                if F > 0
                else np.full(len(self.key), np.nan),
                "payout_share": self.payout_shares.to_numpy(),
                "expected_damage": self.expected_damage.to_numpy(),
                "expected_payout": self.expected_payout.to_numpy(),
                "net_benefit": self.net_benefit.to_numpy(),
                "cap": self.caps.to_numpy(),
            },
            index=self.contributions.index,
        )
        df.index.name = "member"
        df.attrs.update(
            covers=self.covers, mode=self.mode, horizon=self.horizon, notes=list(self.notes)
        )
        return df

    def to_dict(self) -> dict:
        return {
            "success": self.success,
            "status": self.status,
            "message": self.message,
            "unit": self.unit,
            "confidence": self.confidence,
            "years": self.years,
            "cofunding": self.cofunding,
            "reserve": self.reserve,
            "resources": self.resources,
            "total_contributions": self.total_contributions,
            "cvar": self.cvar,
            "var": self.var,
            "key": self.key_name,
            "key_deviation": self.key_deviation,
            "in_sample": self.in_sample,
            "out_of_sample": self.out_of_sample,
            "binding": list(self.binding),
            "diagnosis": self.diagnosis,
            "min_cofunding": self.min_cofunding,
            "notes": list(self.notes),
            "solver": self.solver,
            "solver_status": self.solver_status,
            "mode": self.mode,
            "horizon": self.horizon,
            "covers": self.covers,
            "key_followed": self.key_followed,
            "key_decided_by": None if self.key_decided_by is None else list(self.key_decided_by),
            "per_member": self.to_frame(),
        }
