"""Equilibria: pure n-player NE, two-player mixed NE via nashpy, optimum, PoA, dynamics."""

from .dynamics import Trajectory, best_response_dynamics, fictitious_play, replicator_dynamics
from .mixed import MixedEquilibria, mixed_equilibria
from .pure import PureEquilibria, best_response_mask, pure_equilibria
from .scale import ScaleAnalysis, analyze, analyze_scale
from .status_quo import StatusQuo, security_levels, status_quo
from .welfare import Analysis, SocialOptimum, price_ratio, social_optimum

__all__ = ["Analysis", "MixedEquilibria", "PureEquilibria", "ScaleAnalysis", "SocialOptimum",
           "Trajectory", "analyze", "analyze_scale", "best_response_dynamics", "best_response_mask", "fictitious_play",
           "mixed_equilibria", "price_ratio", "pure_equilibria", "replicator_dynamics",
           "social_optimum", "StatusQuo", "security_levels", "status_quo"]
