"""Analyses across the layers below: one-at-a-time sensitivity of the headline answers
(:func:`sensitivity`: least subsidy, cost of going alone, cooperation rate under audits)."""

from .sensitivity import OUTCOMES, parameters, sensitivity

__all__ = ["OUTCOMES", "parameters", "sensitivity"]
