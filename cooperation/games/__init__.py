"""Normal-form games built from arrays or from a Scenario."""

from .normal_form import NormalFormGame

__all__ = ["NormalFormGame"]
