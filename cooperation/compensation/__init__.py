"""Compensation design (MODEL.md section 5): the transfer LP with named constraint
families and infeasibility diagnosis, the crisis-fund LP with a CVaR solvency
constraint, and two-way conditional agreements of the Xin'an type.

LPs are built with PuLP and solved by HiGHS (highspy; CBC as fallback); every
model can also be solved by ``scipy.optimize.linprog(method="highs")``
(``backend="scipy"``), the independent cross-check.
"""

from .agreement import TwoWayAgreement, two_way_agreement
from .design import FAMILIES, OBJECTIVES, CompensationResult, Diagnosis, design_compensation
from .fund import FundResult, design_fund, empirical_cvar

__all__ = ["CompensationResult", "Diagnosis", "FAMILIES", "FundResult", "OBJECTIVES",
           "TwoWayAgreement", "design_compensation", "design_fund", "empirical_cvar",
           "two_way_agreement"]
