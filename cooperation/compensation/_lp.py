"""Moved to :mod:`cooperation.lp` (kept only while in-flight work switches over)."""

from ..lp import *  # noqa: F403
from ..lp import STATUS_TEXT, LinearProgram, Objective, solve_lp  # noqa: F401
