"""``design_reserves``: the public function of the joint-reserve plan (model, solve,
diagnosis when infeasible, result)."""

from __future__ import annotations

import math
import time

import numpy as np

from .._numeric import LP_DUST
from ..errors import InputError
from ..lp import STATUS_INFEASIBLE, Objective, solve_lp
from .diagnosis import diagnose
from .inputs import demand_from_scenario
from .model import RISKS, ReserveModel, build_model
from .result import make_plan
from .tables import validate

__all__ = ["design_reserves"]


def _prepare(demand, depots, links, deadline_hours, risk, confidence, penalty, items,
             profile, directed) -> ReserveModel:
    if risk not in RISKS:
        raise InputError(f"must be one of {list(RISKS)}", field="risk", value=risk)
    try:
        beta = float(confidence)
    except (TypeError, ValueError):
        beta = math.nan
    if not 0.0 <= beta < 1.0:
        raise InputError("must lie in [0, 1)", field="confidence", value=confidence)
    if hasattr(demand, "hazards") and hasattr(demand, "spillover_matrix"):
        if items is None:
            raise InputError("demand from a Scenario needs items= (item -> units per unit "
                             "of damage)", field="items", value=None)
        demand = demand_from_scenario(demand, items, profile)
    elif items is not None:
        raise InputError("items= applies only when demand is a Scenario", field="items",
                         value=items)
    data = validate(demand, depots, links, deadline_hours, penalty, directed)
    if risk == "cvar" and not data.soft:
        raise InputError("risk='cvar' measures unmet demand, which needs a penalty per unit "
                         "(unmet demand is otherwise not allowed)", field="penalty",
                         value=None, fix="pass penalty= or a demand column 'penalty'")
    _check_penalty_scale(data)
    return build_model(data, risk, beta)


#: a penalty at most this many times the largest holding or dispatch cost: beyond, the
#: LP (money scaled by its largest coefficient) sees those costs below its dust, as zero
PENALTY_RATIO_MAX = 1.0 / LP_DUST


def _check_penalty_scale(data) -> None:
    costs = [abs(float(a.max(initial=0.0))) for a in (data.unit_cost, data.arc_cost)
             if a.size]
    top = max(costs, default=0.0)
    pen = data.penalty[np.isfinite(data.penalty)] if data.penalty.size else data.penalty
    if top > 0 and pen.size and float(pen.max()) > PENALTY_RATIO_MAX * top:
        raise InputError(f"is more than {PENALTY_RATIO_MAX:.0e} times the largest holding or "
                         f"dispatch cost ({top:.3g}): those costs would fall below the LP's "
                         "tolerance and be ignored", field="penalty", value=float(pen.max()),
                         fix="give the penalty in the same money unit as the costs")


def design_reserves(demand, depots, links, deadline_hours: float = 48.0,
                    risk: str = "expected", *, confidence: float = 0.9, penalty=None,
                    items=None, profile=None, directed: bool = False,
                    backend: str = "pulp", time_limit: float | None = None):
    """Joint emergency reserves: stock per depot, dispatch within the deadline.

    Solves the two-stage LP of :mod:`cooperation.reserves.model` (PuLP + HiGHS;
    ``backend="scipy"`` solves the same matrix with ``scipy.optimize.linprog``).

    Parameters
    ----------
    demand : DataFrame or Scenario
        Columns ``scenario, jurisdiction, item, quantity, probability`` (optional
        ``deadline_hours``, ``penalty``), see :mod:`cooperation.reserves.inputs`;
        or a :class:`~cooperation.Scenario`, whose hazards become the reserve
        scenarios (with ``items=``, see :func:`demand_from_scenario`).
    depots : DataFrame
        ``depot, jurisdiction, item, capacity, holding_cost`` (optional
        ``procurement_cost``). An empty jurisdiction: a depot of the higher level.
    links : DataFrame or None
        ``from, to, hours, cost``; two-way unless ``directed=True``.
    deadline_hours : float
        Demand must arrive within this many hours (per row: ``deadline_hours`` column).
    risk : {"expected", "cvar"}
        Expected penalised unmet demand, or its CVaR at ``confidence``.
    confidence : float in [0, 1)
        ``beta`` of the CVaR.
    penalty : float, mapping item -> float, or None
        Money per unit of demand left unmet. None (and no ``penalty`` column):
        all demand must be met, and an unreachable demand makes the LP
        infeasible, with a diagnosis.
    backend : {"pulp", "scipy"}
    time_limit : float, optional
        Seconds for the solver.

    Returns
    -------
    ReservePlan
        ``.status, .cost, .stock, .dispatch, .unmet, .duals, .binding,
        .diagnosis``; ``.pooling_game()``, ``.allocation(rule)``, ``.core_check()``.

    References
    ----------
    Birge and Louveaux (2011), ch. 1-2; Rawls and Turnquist (2010);
    Rockafellar and Uryasev (2000); Owen, G. (1975). On the core of linear
    production games. *Mathematical Programming* 9, 358-370.

    Examples
    --------
    >>> import pandas as pd
    >>> import cooperation as co
    >>> demand = pd.DataFrame({"scenario": ["flood"] * 2, "jurisdiction": ["A", "B"],
    ...                        "item": ["tents"] * 2, "quantity": [10.0, 6.0],
    ...                        "probability": [0.5, 0.5]})
    >>> depots = pd.DataFrame({"depot": ["dA", "dB"], "jurisdiction": ["A", "B"],
    ...                        "item": ["tents"] * 2, "capacity": [100.0, 100.0],
    ...                        "holding_cost": [1.0, 3.0]})
    >>> links = pd.DataFrame({"from": ["A"], "to": ["B"], "hours": [10.0], "cost": [0.5]})
    >>> plan = co.design_reserves(demand, depots, links)
    >>> plan.message, round(plan.cost, 6)             # stock 16 in A, ship 6 to B
    ('optimal', 17.5)
    >>> plan.stock.set_index("depot")["stock"].round(6).to_dict()
    {'dA': 16.0, 'dB': 0.0}
    """
    t0 = time.perf_counter()
    model = _prepare(demand, depots, links, deadline_hours, risk, confidence, penalty, items,
                     profile, directed)
    build = time.perf_counter() - t0
    sol = solve_lp(model.lp, [Objective(model.c, 1, "cost")], backend=backend,
                   time_limit=time_limit)
    diagnosis = None
    if sol.status == STATUS_INFEASIBLE:
        diagnosis = diagnose(model, backend=backend)
    return make_plan(model, sol, diagnosis, backend, build)
