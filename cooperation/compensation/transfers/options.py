"""The option groups of :func:`design_compensation`, checked once and passed as one object.

The public function keeps its flat keyword arguments (the names users type,
each with its one default in the signature); inside, related options travel
together so that no helper takes a dozen loose parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._checks import check_number
from ...errors import InputError

__all__ = ["Enforcement", "CoreSpec", "SolveSpec", "Target"]


@dataclass(frozen=True)
class Enforcement:
    """How a deviation from the target is punished (the self-enforcement rows).

    ``fine`` F >= 0 is paid by a detected deviator, ``detection`` q in (0, 1] is
    the probability that a deviation is detected, ``forfeit`` says what a
    detected deviator loses (``"transfer"`` or ``"receipts"``).
    """

    fine: float
    detection: float
    forfeit: str

    @classmethod
    def checked(cls, fine, detection, forfeit) -> Enforcement:
        fine = check_number(fine, "fine", lo=0.0)
        detection = check_number(detection, "detection", lo=0.0, lo_open=True, hi=1.0,
                                 fix="with detection 0 no transfer can deter")
        if forfeit not in ("transfer", "receipts"):
            raise InputError("must be 'transfer' (a detected deviator neither receives nor "
                             "pays) or 'receipts' (it loses what it would receive, still owes "
                             "what it pays)", field="forfeit", value=forfeit)
        return cls(float(fine), float(detection), forfeit)


@dataclass(frozen=True)
class CoreSpec:
    """Where the coalition values ``v(S)`` of the core rows come from.

    Given ``coalition_values`` (a TUGame or 2**n values), or computed with
    ``outsiders`` behaviour for at most ``max_players`` jurisdictions.
    """

    coalition_values: object
    outsiders: str
    max_players: int


@dataclass(frozen=True)
class SolveSpec:
    """How the LP is solved and certified: backend, face ranges, seed, limits, tolerance."""

    backend: str
    ranges: object
    seed: object
    time_limit: float | None
    tol: float

    @classmethod
    def checked(cls, backend, ranges, seed, time_limit, tol) -> SolveSpec:
        if ranges not in ("auto", True, False):
            raise InputError("must be 'auto', True or False", field="ranges", value=ranges)
        tol = check_number(tol, "tol", lo=0.0)
        return cls(backend, ranges, seed, time_limit, float(tol))


@dataclass(frozen=True)
class Target:
    """The target profile ``a*``, whether it is certified optimal, and how it was chosen."""

    profile: np.ndarray
    certified: bool
    note: str
