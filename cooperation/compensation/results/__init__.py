"""Every result type of the compensation layer, in one place."""

from .transfers import CompensationResult, Diagnosis

__all__ = ["CompensationResult", "Diagnosis"]
