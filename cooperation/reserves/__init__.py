"""Joint emergency reserves (应急物资联储): where to stock, what reaches whom in time,
and who pays for the pool.

* :func:`design_reserves`: the two-stage LP (stock, then dispatch within the
  deadline in every hazard scenario), with duals, binding capacities and an
  infeasibility diagnosis;
* :meth:`ReservePlan.pooling_game`: the cost game ``c(S)`` of coalitions
  pooling alone; :meth:`ReservePlan.allocation` (Owen, Shapley, nucleolus);
  :meth:`ReservePlan.core_check` (Owen's conditions, core certificate).

Figures are in :mod:`cooperation.reserves.plot` (imported on demand).
"""

from .core import CoreCheck
from .diagnosis import ReserveDiagnosis
from .inputs import demand_from_scenario
from .planner import design_reserves
from .result import ReservePlan

__all__ = ["design_reserves", "demand_from_scenario", "ReservePlan", "ReserveDiagnosis",
           "CoreCheck"]
