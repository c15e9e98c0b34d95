"""Compensation design: the transfer LP, the crisis-fund LP, infeasibility diagnosis,
and two-way conditional agreements of the Xin'an type (MODEL.md section 5)."""

from .design import CompensationResult, Diagnosis, design_compensation

__all__ = ["CompensationResult", "Diagnosis", "design_compensation"]
