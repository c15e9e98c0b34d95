"""Cooperative analysis: characteristic functions, Shapley/Banzhaf values, core,
least core, certified nucleolus, bargaining solutions and responsibility rules.

See docs/model.md, section 4. Coalitions are bitmasks (bit ``i`` set: player ``i``
is a member); values are labelled by player at the edges.
"""

from .bargaining import BargainingSolution, kalai_smorodinsky, nash_bargaining, pareto_frontier
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
from .rules import RULES, ResponsibilityShares, responsibility_shares
from .sampled import SampledValues, sampled_values
from .scale import compare_rules
from .shapley import SampledShapley, banzhaf, shapley, shapley_sample
from .summary import CooperativeValues, cooperative_values
from .tu_game import TUGame
from .voting import WeightedVotingGame

__all__ = [
    "RULES", "BargainingSolution", "CoalitionExcess", "CooperativeValues",
    "KohlbergCertificate", "LeastCore", "NucleolusResult", "ResponsibilityShares",
    "SampledShapley", "SampledValues", "TUGame", "WeightedVotingGame", "banzhaf", "characteristic_function",
    "compare_rules", "cooperative_values", "excesses", "in_core", "kalai_smorodinsky",
    "kohlberg_certificate", "least_core", "most_violated_coalition", "nash_bargaining",
    "nucleolus", "outside_option_profile", "pareto_frontier", "prenucleolus",
    "responsibility_shares", "sampled_values", "shapley", "shapley_sample",
]
