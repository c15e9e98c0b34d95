"""Evolutionary games of governments: multi-population replicator dynamics,
the stability of every rest point, and conditions in the model's own symbols.

``EvolutionaryGame`` (game.py) holds the populations and payoffs;
``evolutionary_stability`` (stability.py) finds and classifies every rest
point; ``evolve`` (trajectory.py) integrates paths, deterministic or with
white noise; symbolic.py parses payoff tables with named parameters and
derives the corner conditions; plot.py draws phase portraits and time paths
from these results. Layer: imports ``games``, ``scenario``, ``equilibria``
only.
"""

from .game import EvolutionaryGame
from .stability import EvolutionaryStability, evolutionary_stability
from .trajectory import EvolutionPath, evolve

__all__ = ["EvolutionaryGame", "EvolutionaryStability", "EvolutionPath",
           "evolutionary_stability", "evolve"]
