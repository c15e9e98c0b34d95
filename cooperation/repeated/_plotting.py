"""Where repeated-play results find their figures.

Plotting depends on results, never the reverse: nothing in
:mod:`cooperation.repeated` imports the report layer. Instead
:mod:`cooperation.report.repeated` registers its functions here when it is
imported (``import cooperation.report``), and ``SimulationResult.plot`` and
``ModeComparison.plot`` look them up by kind.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import CooperationError

__all__ = ["register_plotter", "plot"]

_PLOTTERS: dict[str, Callable] = {}


def register_plotter(kind: str, fn: Callable) -> None:
    """Make ``fn(result, ax=None, **kwargs) -> (fig, ax)`` the figure of results of ``kind``."""
    _PLOTTERS[kind] = fn


def plot(kind: str, result, **kwargs):
    """Draw ``result`` with the function registered for ``kind``."""
    fn = _PLOTTERS.get(kind)
    if fn is None:
        raise CooperationError("plotting lives in the report layer, which is not loaded",
                               field="plot", value=kind, fix="import cooperation.report")
    return fn(result, **kwargs)
