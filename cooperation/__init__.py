"""cooperation: game-theoretic analysis of cross-regional crisis governance.

Scenario -> game -> equilibria / coalition values -> compensation ->
repeated play -> report. See README.md and docs/.
"""

from . import errors, repeated, report, sweeps
from .analysis import sensitivity
from .report import brief
from .coalitions import (
    TUGame,
    WeightedVotingGame,
    banzhaf,
    characteristic_function,
    compare_rules,
    cooperative_values,
    excesses,
    in_core,
    kalai_smorodinsky,
    kohlberg_certificate,
    least_core,
    most_violated_coalition,
    nash_bargaining,
    nucleolus,
    prenucleolus,
    responsibility_shares,
    shapley,
    shapley_sample,
)
from .compensation import (
    CompensationResult,
    FundResult,
    PaymentPlan,
    TwoWayAgreement,
    design_compensation,
    design_fund,
    payment_plan,
    two_way_agreement,
)
from .equilibria import (
    analyze,
    best_response_dynamics,
    fictitious_play,
    mixed_equilibria,
    pure_equilibria,
    replicator_dynamics,
    social_optimum,
)
from .evolutionary import EvolutionaryGame, evolutionary_stability
from .games import NormalFormGame
from .reserves import ReservePlan, design_reserves
from .response import ResponseProcess, ResponseResult, simulate_response
from .scenario import ActionLevel, Hazard, Jurisdiction, Scenario, load_scenario
from .sweeps import sweep

__version__ = "0.1.0"

__all__ = [
    "ActionLevel", "Hazard", "Jurisdiction", "NormalFormGame", "Scenario", "analyze",
    "best_response_dynamics", "errors", "fictitious_play", "load_scenario",
    "mixed_equilibria", "pure_equilibria", "replicator_dynamics", "social_optimum",
    "sweep", "sweeps",
    "TUGame", "WeightedVotingGame", "banzhaf", "characteristic_function", "compare_rules",
    "cooperative_values", "excesses", "in_core", "kalai_smorodinsky", "kohlberg_certificate",
    "least_core", "most_violated_coalition", "nash_bargaining", "nucleolus", "prenucleolus",
    "responsibility_shares", "shapley", "shapley_sample",
    "CompensationResult", "FundResult", "TwoWayAgreement", "design_compensation", "design_fund",
    "two_way_agreement", "PaymentPlan", "payment_plan",
    "repeated", "report",
    "ReservePlan", "design_reserves",
    "ResponseProcess", "ResponseResult", "simulate_response",
    "EvolutionaryGame", "evolutionary_stability",
    "brief", "sensitivity",
]
