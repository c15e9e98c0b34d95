"""Normal-form games built from arrays or from a scenario, and the one adapter that
accepts either (:func:`as_game`, :class:`PayoffModel`)."""

from .model import PayoffModel, as_game
from .normal_form import NormalFormGame

__all__ = ["NormalFormGame", "PayoffModel", "as_game"]
