"""Moved to :mod:`cooperation.lp` (kept only while in-flight work switches over)."""

from ..lp import INF, HighsLP  # noqa: F401
