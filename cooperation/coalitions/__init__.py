"""Cooperative analysis: characteristic functions, Shapley/Banzhaf values, core,
least core, certified nucleolus, bargaining solutions and responsibility rules.

See MODEL.md section 4. Coalitions are bitmasks (bit ``i`` set: player ``i``
is a member); values are labelled by player at the edges.
"""

from .characteristic import characteristic_function, outside_option_profile
from .core import (
    CoalitionExcess,
    LeastCore,
    excesses,
    in_core,
    least_core,
    most_violated_coalition,
)
from .kohlberg import KohlbergCertificate, kohlberg_certificate
from .nucleolus import NucleolusResult, nucleolus, prenucleolus
from .shapley import SampledShapley, banzhaf, shapley, shapley_sample
from .tu_game import TUGame

__all__ = [
    "CoalitionExcess", "KohlbergCertificate", "LeastCore", "NucleolusResult", "SampledShapley",
    "TUGame", "banzhaf", "characteristic_function", "excesses", "in_core", "kohlberg_certificate",
    "least_core", "most_violated_coalition", "nucleolus", "outside_option_profile",
    "prenucleolus", "shapley", "shapley_sample",
]
