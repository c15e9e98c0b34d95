"""Figures of repeated play: cooperation over time, and the two governance modes.

These functions only draw what :func:`cooperation.repeated.simulate` and
:func:`cooperation.repeated.compare_modes` returned; they return ``(fig, ax)``
in the shared style of :mod:`cooperation.report.style`. Importing this module
registers them as ``SimulationResult.plot`` and ``ModeComparison.plot``: the
results never import the report layer.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..repeated._plotting import register_plotter
from .style import PALETTE, style, subplots

__all__ = ["plot_cooperation", "plot_modes"]


def _shock_span(ax, shock):
    if shock is not None:
        ax.axvspan(shock.round - 0.5, shock.round + shock.length - 0.5, color="0.85",
                   zorder=0, label="shock")


def plot_cooperation(result, ax=None, *, by: str = "mean", title: str | None = None):
    """Cooperation rate by round of a simulation.

    Parameters
    ----------
    result : SimulationResult
    ax : matplotlib Axes, optional
    by : {"mean", "jurisdiction"}
        One line for the mean over jurisdictions, or one per jurisdiction
        (at most 8 drawn).
    title : str, optional

    Returns
    -------
    (Figure, Axes)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cooperation import repeated as rp
    >>> from cooperation.report.repeated import plot_cooperation
    >>> res = rp.simulate(None, rp.TitForTat(), rounds=20, runs=50, noise=0.05)
    >>> fig, ax = plot_cooperation(res)
    >>> ax.get_ylabel()
    'cooperation rate'
    """
    if not hasattr(result, "cooperation_by_round"):
        raise InputError("must be a SimulationResult", field="result",
                         value=type(result).__name__)
    if by not in ("mean", "jurisdiction"):
        raise InputError("must be 'mean' or 'jurisdiction'", field="by", value=by)
    rate = result.cooperation_by_round
    rounds = np.arange(rate.shape[0])
    with style():
        if ax is None:
            fig, ax = subplots()
        else:
            fig = ax.figure
        _shock_span(ax, result.settings.get("shock"))
        if by == "mean":
            ax.plot(rounds, np.nanmean(rate, axis=1), color=PALETTE[0], label="all")
        else:
            for j, p in enumerate(result.players[:8]):
                ax.plot(rounds, rate[:, j], color=PALETTE[j % len(PALETTE)], label=p)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("round")
        ax.set_ylabel("cooperation rate")
        if title:
            ax.set_title(title)
        ax.legend(loc="best")
    return fig, ax


def plot_modes(comparison, ax=None, *, title: str | None = None):
    """Cooperation by round under hierarchy-led and peer-led governance.

    Parameters
    ----------
    comparison : ModeComparison
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    (Figure, Axes)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cooperation import repeated as rp
    >>> from cooperation.report.repeated import plot_modes
    >>> cmp = rp.compare_modes(rp.public_goods_game(3, 2.0), rounds=20, runs=100)
    >>> fig, ax = plot_modes(cmp)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['shock', 'hierarchy-led', 'peer-led']
    """
    if not hasattr(comparison, "results"):
        raise InputError("must be a ModeComparison", field="comparison",
                         value=type(comparison).__name__)
    labels = {"hierarchy": "hierarchy-led", "peer": "peer-led"}
    with style():
        if ax is None:
            fig, ax = subplots()
        else:
            fig = ax.figure
        _shock_span(ax, comparison.settings.get("shock"))
        for j, (mode, res) in enumerate(comparison.results.items()):
            rate = np.nanmean(res.cooperation_by_round, axis=1)
            ax.plot(np.arange(rate.size), rate, color=PALETTE[j], label=labels.get(mode, mode))
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("round")
        ax.set_ylabel("cooperation rate")
        ax.set_title(title or "hierarchy-led vs peer-led governance")
        ax.legend(loc="best")
    return fig, ax


register_plotter("simulation", plot_cooperation)
register_plotter("modes", plot_modes)
