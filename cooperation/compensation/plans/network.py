"""The network a payment plan is solved on: jurisdictions, the higher level's node, links.

Nodes are the jurisdictions (in the transfers' order) and then the higher
level (上级政府), the source of the subsidy ``g = sum_i t_i``. Balances are
``b_i = t_i`` and ``b_G = -g``. Edges are the allowed links between
jurisdictions and the higher level's links (by default to every
jurisdiction at ``subsidy_cost`` per unit).

Money is scaled before it is solved: :attr:`Network.scale` is the largest
``|t_i|`` (1 when all are 0), the LP sees balances and caps divided by it
(:meth:`Network.scaled`), and every tolerance on money is a multiple of it,
so a plan in yuan and in 亿元 is the same plan. The LP's divisor is the power of
two just below the scale (:attr:`Network.lp_scale`), so the scaling and its
inverse are exact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..._numeric import DUST, RTOL
from ...errors import InputError

__all__ = ["FlowData", "Network", "build_network", "money_scale", "net_positions", "power_of_two",
           "subsidy_of"]


@dataclass(frozen=True)
class FlowData:
    """The numbers of a flow LP, each of order one: balances ``b`` and caps ``cap`` in
    units of the money scale, costs ``cost`` in units of the largest cost."""

    n_nodes: int
    src: np.ndarray
    dst: np.ndarray
    cost: np.ndarray
    cap: np.ndarray
    b: np.ndarray


@dataclass(frozen=True)
class Network:
    """Nodes, balances and links of a plan, in the plan's own money unit.

    ``table`` holds the links (``payer``, ``payee``, ``cost``, ``cap``) in the
    order of ``src``, ``dst``, ``cost``, ``cap``; ``scale`` is the money scale
    (the largest ``|t_i|``, or 1).
    """

    nodes: list
    players: list
    higher_level: str
    b: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    cost: np.ndarray
    cap: np.ndarray
    table: pd.DataFrame
    scale: float

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def subsidy(self) -> float:
        return float(-self.b[-1])

    @property
    def lp_scale(self) -> float:
        """The power of two nearest below :attr:`scale`: what the LP divides money by
        (exactly, so that flows map back without rounding)."""
        return power_of_two(self.scale)

    def scaled(self) -> FlowData:
        """The LP's data: money divided by :attr:`lp_scale`, costs by the power of two
        nearest below the largest cost (both exact), so every number is of order one."""
        c_max = float(np.abs(self.cost).max(initial=0.0))
        s = self.lp_scale
        return FlowData(self.n_nodes, self.src, self.dst, self.cost / power_of_two(c_max),
                        self.cap / s, self.b / s)

    def from_lp(self, x: np.ndarray) -> np.ndarray:
        """Money found by the LP (flows, balances missed), back in the plan's unit."""
        return x * self.lp_scale


def power_of_two(x: float) -> float:
    """``2**floor(log2 x)`` for ``x > 0`` (1 for 0): dividing by it is exact."""
    if not x > 0 or not np.isfinite(x):
        return 1.0
    return math.ldexp(1.0, math.frexp(x)[1] - 1)


def money_scale(t: np.ndarray) -> float:
    """The money scale of net positions: ``max_i |t_i|``, or 1 when all are 0."""
    top = float(np.abs(t).max(initial=0.0))
    return top if top > 0 else 1.0


def net_positions(obj, scenario) -> tuple[pd.Series, float | None, str]:
    """Net transfers as a float Series by jurisdiction, the subsidy when the input
    states one, and the unit."""
    from ...scenario.model import Scenario
    from ..results.transfers import CompensationResult

    subsidy, unit = None, ""
    if isinstance(obj, CompensationResult):
        if not obj.success:
            raise InputError("the compensation design failed; there are no transfers to plan",
                             field="result", value=obj.message, show_value=False,
                             fix="plan the transfers of a successful design")
        ser, subsidy, unit = obj.transfers, float(obj.subsidy), obj.unit
    elif isinstance(obj, pd.Series | Mapping):
        ser = pd.Series(dict(obj.items()) if isinstance(obj, Mapping) else obj)
    elif isinstance(obj, Scenario):
        raise InputError("needs net transfers (a CompensationResult or a Series), not a "
                         "scenario", field="result_or_transfers", value="Scenario",
                         fix="co.payment_plan(co.design_compensation(scenario), scenario=scenario)")
    else:
        raise InputError("must be a CompensationResult, a pandas Series or a mapping "
                         "jurisdiction -> net transfer", field="result_or_transfers",
                         value=type(obj).__name__)
    vals = _as_numbers(ser)
    if scenario is not None:
        unknown = [k for k in vals.index if k not in scenario.players]
        if unknown:
            raise InputError("unknown jurisdiction (not in the scenario)", field="transfers",
                             value=unknown[0])
        vals = vals.reindex(list(scenario.players)).fillna(0.0)
        unit = unit or scenario.unit
    return vals, subsidy, unit


def _as_numbers(ser: pd.Series) -> pd.Series:
    ser.index = [str(k) for k in ser.index]
    if ser.index.duplicated().any():
        raise InputError("each jurisdiction once", field="transfers",
                         value=ser.index[ser.index.duplicated()][0])
    try:
        vals = ser.astype(float)
    except (TypeError, ValueError):
        raise InputError("must be numbers", field="transfers", value=ser.to_dict()) from None
    bad = ~np.isfinite(vals.to_numpy())
    if bad.any():
        k = int(np.argmax(bad))
        raise InputError("must be a finite number", field=f"transfers[{vals.index[k]}]",
                         value=float(vals.iloc[k]))
    return vals


def subsidy_of(tv: np.ndarray, given: float | None, tol: float, scale: float) -> float:
    """``g = sum_i t_i``, checked against a stated subsidy and for sign, to
    ``max(tol, RTOL) * scale * n`` (money-scale relative); rounding dust is 0."""
    g = math.fsum(tv)
    slack = max(tol, RTOL) * scale * max(1, len(tv))
    if given is not None and abs(g - given) > slack:
        raise InputError(f"the net transfers add up to {g:.10g}, not to the subsidy "
                         f"{given:.10g}; received minus paid must equal what the higher "
                         "level pays", field="transfers", value=f"sum {g:.10g}",
                         show_value=False)
    if g < -slack:
        raise InputError("the net transfers add up to a negative amount: jurisdictions would "
                         "pay more than they receive, and the higher level takes no money",
                         field="transfers", value=f"sum {g:.10g}",
                         fix="balance the transfers (sum t_i = subsidy >= 0)")
    g = max(g, 0.0)
    return 0.0 if g <= DUST * scale else g


def build_network(t: pd.Series, g: float, table: pd.DataFrame, central: pd.DataFrame, *,
                  higher_level: str, subsidy_cost: float, max_per_link: float | None,
                  notes: list) -> Network:
    """Nodes, balances and edges: the links between jurisdictions (capped by
    ``max_per_link``), then the higher level's (by default to everyone)."""
    players = list(t.index)
    if max_per_link is not None:
        table = table.assign(cap=np.minimum(table["cap"].to_numpy(), float(max_per_link)))
    if g > 0 and not len(central):
        central = pd.DataFrame({"payer": higher_level, "payee": players,
                                "cost": float(subsidy_cost), "cap": math.inf})
    elif g == 0 and len(central):
        notes.append("the transfers need no subsidy: the higher level's links are unused")
        central = central.iloc[:0]
    cols = ["payer", "payee", "cost", "cap"]
    full = pd.concat([table[cols], central[cols]], ignore_index=True)
    nodes = players + [higher_level]
    index = {p: k for k, p in enumerate(nodes)}
    tv = t.to_numpy(dtype=float)
    return Network(nodes=nodes, players=players, higher_level=higher_level,
                   b=np.append(tv, -g if g else 0.0),
                   src=full["payer"].map(index).to_numpy(dtype=np.int64),
                   dst=full["payee"].map(index).to_numpy(dtype=np.int64),
                   cost=full["cost"].to_numpy(dtype=float),
                   cap=full["cap"].to_numpy(dtype=float), table=full,
                   scale=money_scale(tv))
