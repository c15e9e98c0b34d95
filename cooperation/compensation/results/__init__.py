"""Every result type of the compensation layer, in one place."""

from .agreement import TwoWayAgreement
from .fund import FundResult
from .plan import PaymentPlan
from .transfers import CompensationResult, Diagnosis

__all__ = ["CompensationResult", "Diagnosis", "FundResult", "PaymentPlan",
           "TwoWayAgreement"]
