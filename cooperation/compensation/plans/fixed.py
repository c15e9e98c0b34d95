"""Plans given as data: a real agreement's payments as a :class:`PaymentPlan`.

The plan's net positions (``received - paid``) are what it implements, so
``payment_plan(plan.transfers, links=...)`` finds the cheapest plan with the
same net positions and :meth:`PaymentPlan.compare` puts the two side by side.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ...errors import InputError
from ..results.plan import HIGHER_LEVEL, PaymentPlan, empty_groups
from .forest import exact_flows
from .links import numbers, read_table

__all__ = ["fixed_plan"]


def fixed_plan(edges, *, unit: str | None = None, higher_level: str = HIGHER_LEVEL,
               jurisdictions=None) -> PaymentPlan:
    """A plan given as data (a real agreement's payments), as a :class:`PaymentPlan`.

    Parameters
    ----------
    edges : DataFrame or CSV path
        Columns ``payer``, ``payee``, ``amount`` (>= 0), optionally ``unit``
        (one value for all rows). Repeated (payer, payee) rows are added up.
        Payments by the higher level appear with its node name as payer.
    unit : str, optional
        Overrides the table's unit column.
    higher_level : str
    jurisdictions : sequence of str, optional
        The jurisdictions (and their order) of the totals; default: as they
        appear in the table.

    Returns
    -------
    PaymentPlan
        ``status = -1`` (given as data), ``success = True``; ``transfers`` are the
        net positions the plan implies (``received - paid``), so that
        ``payment_plan(plan.transfers, links=...)`` finds the cheapest plan with
        the same net positions, and :meth:`PaymentPlan.compare` puts them side by side.

    Examples
    --------
    >>> import pandas as pd
    >>> p = fixed_plan(pd.DataFrame({"payer": ["A", "B"], "payee": ["B", "C"],
    ...                              "amount": [1.0, 1.0]}), unit="CNY 100M")
    >>> p.transfers.to_dict()
    {'A': -1.0, 'B': 0.0, 'C': 1.0}
    """
    df, source = read_table(edges, "edges")
    if "amount" not in df.columns:
        raise InputError("needs an amount column", field="edges.amount", value=None,
                         source=source, show_value=False)
    amt = numbers(df, "amount", "edges", source, default=math.nan, allow_inf=False)
    if np.isnan(amt).any():
        k = int(np.argmax(np.isnan(amt)))
        raise InputError("every payment needs an amount", field=f"edges[{k}].amount",
                         value=None, source=source)
    if unit is None:
        units = df["unit"].dropna().astype(str).str.strip().unique() if "unit" in df.columns \
            else []
        if len(units) > 1:
            raise InputError("one unit for the whole plan", field="edges.unit",
                             value=list(units), source=source)
        unit = units[0] if len(units) else ""
    if (df["payee"] == higher_level).any():
        raise InputError("the higher level pays the subsidy and receives nothing",
                         field="edges.payee", value=higher_level, source=source)
    df = df.assign(amount=amt).groupby(["payer", "payee"], sort=False, as_index=False)["amount"] \
        .sum()
    names = list(dict.fromkeys([p for p in pd.concat([df["payer"], df["payee"]])
                                if p != higher_level]))
    if jurisdictions is not None:
        order = [str(j) for j in jurisdictions]
        unknown = [p for p in names if p not in order]
        if unknown:
            raise InputError("unknown jurisdiction", field="edges", value=unknown[0],
                             source=source)
        names = order
    nodes = names + [higher_level]
    index = {p: k for k, p in enumerate(nodes)}
    src = df["payer"].map(index).to_numpy(dtype=np.int64)
    dst = df["payee"].map(index).to_numpy(dtype=np.int64)
    f = df["amount"].to_numpy(dtype=float)
    n = len(nodes)
    inflow = np.bincount(dst, weights=f, minlength=n)
    outflow = np.bincount(src, weights=f, minlength=n)
    net = inflow - outflow
    totals = pd.DataFrame({"transfer": net, "received": inflow, "paid": outflow, "net": net,
                           "shortfall": 0.0}, index=pd.Index(nodes, name="jurisdiction"))
    used = f > 0
    edges_out = pd.DataFrame({"payer": df["payer"].to_numpy()[used],
                              "payee": df["payee"].to_numpy()[used], "amount": f[used],
                              "unit": unit})
    links = df.assign(cost=1.0, cap=math.inf, flow=f, at_cap=False)[
        ["payer", "payee", "cost", "cap", "flow", "at_cap"]]
    _, forest = exact_flows(src, dst, f, np.full(len(f), np.inf), net, 0.0)
    return PaymentPlan(
        success=True, status=-1, message=f"given as data: {int(used.sum())} payment(s), "
        f"money routed {f.sum():.6g} {unit}".rstrip(), edges=edges_out, totals=totals,
        links=links, transfers=pd.Series(net[:-1], index=pd.Index(names, name="jurisdiction"),
                                         name="transfer"),
        subsidy=float(outflow[-1]), cost=float(f.sum()), money_routed=float(f.sum()),
        n_links=int(used.sum()), binding=(), unique=None, forest=forest, max_imbalance=0.0,
        deficit=0.0, cut_off=pd.Series(dtype=float, name="short"),
        unpaid=pd.Series(dtype=float, name="unpaid"), groups=empty_groups(), rule="given",
        higher_level=higher_level, notes=(f"from {source}",) if source else (),
        solver="", unit=unit, extra={"src": src, "dst": dst, "nodes": tuple(nodes)})
