"""Helpers shared by the equilibrium modules."""

from __future__ import annotations

from ..errors import GameError
from ..games.normal_form import NormalFormGame


def as_game(game) -> NormalFormGame:
    """Accept a NormalFormGame or anything with ``to_game()`` (a Scenario)."""
    if isinstance(game, NormalFormGame):
        return game
    to_game = getattr(game, "to_game", None)
    if callable(to_game):
        return to_game()
    raise GameError("must be a NormalFormGame or a Scenario", field="game",
                    value=type(game).__name__)
