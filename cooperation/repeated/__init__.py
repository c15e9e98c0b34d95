"""Repeated play: strategies, trust, monitoring and transfers on a vectorised engine.

docs/model.md, section 6. ``from cooperation import repeated as rp``.
"""

from .evolution import MoranResult, moran, moran_fixation, moran_stationary, replicator
from .mechanisms import Monitoring, Noise, Shock
from .modes import ModeComparison, compare_modes
from .play import MatchResult, TournamentResult, match, tournament
from .simulation import SimulationResult, simulate
from .stage import as_stage, prisoners_dilemma, public_goods_game
from .strategies import (
    Alternator,
    AlwaysCooperate,
    AlwaysDefect,
    Cycler,
    FiniteStateStrategy,
    GenerousTitForTat,
    GrimTrigger,
    MemoryOne,
    Observation,
    Opportunist,
    Random,
    SlotContext,
    Strategy,
    SuspiciousTitForTat,
    ThresholdReciprocity,
    TitForTat,
    TitForTwoTats,
    TrustAlliance,
    TrustThreshold,
    TwoTitsForTat,
    WinStayLoseShift,
    strategy_from_name,
)
from .theory import (
    StationaryPlay,
    compliance_incentive,
    deterrence_fine,
    deters,
    expected_match_payoffs,
    grim_trigger_threshold,
    memory_one_chain,
    min_discount,
    stationary_payoffs,
)

__all__ = [
    "Alternator", "AlwaysCooperate", "AlwaysDefect", "Cycler", "FiniteStateStrategy",
    "GenerousTitForTat", "GrimTrigger", "MatchResult", "MemoryOne", "ModeComparison",
    "Monitoring", "MoranResult", "Noise", "Observation", "Opportunist", "Random", "Shock",
    "SimulationResult", "SlotContext", "StationaryPlay", "Strategy", "SuspiciousTitForTat",
    "ThresholdReciprocity", "TitForTat", "TitForTwoTats", "TournamentResult", "TrustAlliance",
    "TrustThreshold", "TwoTitsForTat", "WinStayLoseShift", "as_stage", "compare_modes",
    "compliance_incentive", "deterrence_fine", "deters", "expected_match_payoffs",
    "grim_trigger_threshold", "match", "memory_one_chain", "min_discount", "moran",
    "moran_fixation", "moran_stationary", "prisoners_dilemma", "public_goods_game",
    "replicator", "simulate", "stationary_payoffs", "strategy_from_name", "tournament",
]
