"""Compensation design: the transfer LP with named constraint
families and infeasibility diagnosis, the crisis-fund LP with a CVaR solvency
constraint, and two-way conditional agreements of the Xin'an type; payment plans (who pays whom,
along which links: a min-cost flow LP).

LPs are built with PuLP and solved by HiGHS (highspy; CBC as fallback); every
model can also be solved by ``scipy.optimize.linprog(method="highs")``
(``backend="scipy"``), the independent cross-check.
"""

from .agreement import TwoWayAgreement, two_way_agreement
from .fund import FundResult, design_fund, empirical_cvar
from .plans import (
           HIGHER_LEVEL,
           LINK_RULES,
           RULES,
           PaymentPlan,
           fixed_plan,
           payment_plan,
           scenario_links,
)
from .transfers import FAMILIES, OBJECTIVES, CompensationResult, Diagnosis, design_compensation

__all__ = ["CompensationResult", "Diagnosis", "FAMILIES", "FundResult", "HIGHER_LEVEL",
           "LINK_RULES", "OBJECTIVES", "PaymentPlan", "RULES", "TwoWayAgreement", "design_compensation",
           "design_fund", "empirical_cvar", "fixed_plan", "payment_plan", "scenario_links",
           "two_way_agreement"]
