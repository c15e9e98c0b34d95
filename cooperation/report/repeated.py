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
from .i18n import place, tr
from .style import PALETTE, style, subplots, wrap

__all__ = ["plot_cooperation", "plot_modes", "settings_text"]


def _shock_span(ax, shock, lang: str = "en"):
    if shock is not None:
        ax.axvspan(shock.round - 0.5, shock.round + shock.length - 0.5, color="0.85",
                   zorder=0, label=tr("shock", lang))


def _noise_level(noise) -> float:
    return float(getattr(noise, "execution", noise) or 0.0)


def settings_text(result, lang: str = "en") -> str:
    """The parameters of a simulation in one line: strategies, runs x rounds, noise,
    monitoring, transfers, seed (what a figure of it must name).

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> res = rp.simulate(None, rp.TitForTat(), rounds=20, runs=50, noise=0.05, seed=1)
    >>> settings_text(res)
    'Tit For Tat; 50 runs x 20 rounds; noise 0.05; no monitoring; seed 1'
    """
    st = result.settings
    parts = [", ".join(dict.fromkeys(result.strategies)),
             tr("p.runs", lang, runs=result.runs, rounds=result.rounds),
             tr("p.noise", lang, noise=f"{_noise_level(st.get('noise')):g}")]
    mon = st.get("monitoring")
    if mon is None:
        parts.append(tr("p.no_monitoring", lang))
    else:
        if mon.audit_prob > 0:
            parts.append(tr("p.audits", lang, q=f"{mon.audit_prob:g}", a=f"{mon.accuracy:g}",
                            fine=f"{mon.fine:.3g}"))
        if mon.peer_error is not None:
            parts.append(tr("p.peers", lang, e=f"{mon.peer_error:g}",
                            fine=f"{mon.peer_fine:.3g}"))
    if st.get("transfers") is not None:
        parts.append(tr("p.transfers", lang))
    if st.get("continuation") is not None:
        parts.append(tr("p.continuation", lang, delta=f"{st['continuation']:g}"))
    parts.append(tr("p.seed", lang, seed=st.get("seed")))
    return "; ".join(parts)


def plot_cooperation(result, ax=None, *, by: str = "mean", title: str | None = None,
                     lang: str = "en"):
    """Cooperation rate by round of a simulation.

    The default title states the cooperation rate over all rounds and names
    the simulation's parameters (:func:`settings_text`).

    Parameters
    ----------
    result : SimulationResult
    ax : matplotlib Axes, optional
    by : {"mean", "jurisdiction"}
        One line for the mean over jurisdictions, or one per jurisdiction
        (at most 8 drawn).
    title : str, optional
    lang : {"en", "zh"}

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
    with style(lang):
        if ax is None:
            fig, ax = subplots(lang=lang)
        else:
            fig = ax.figure
        _shock_span(ax, result.settings.get("shock"), lang)
        if by == "mean":
            ax.plot(rounds, np.nanmean(rate, axis=1), color=PALETTE[0], label=tr("all", lang))
        else:
            for j, p in enumerate(result.players[:8]):
                ax.plot(rounds, rate[:, j], color=PALETTE[j % len(PALETTE)],
                        label=place(p, lang))
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(tr("round", lang))
        ax.set_ylabel(tr("cooperation_rate", lang))
        if title is None:
            title = (tr("t.cooperation", lang, rate=f"{result.cooperation_rate:.0%}") + "\n"
                     + settings_text(result, lang))
        if title:
            ax.set_title(wrap(title, 72), fontsize=8)
        ax.legend(loc="best")
    return fig, ax


def plot_modes(comparison, ax=None, *, title: str | None = None, lang: str = "en"):
    """Cooperation by round under hierarchy-led and peer-led governance.

    The default title states both cooperation rates and the noise, audit and
    peer settings they rest on.

    Parameters
    ----------
    comparison : ModeComparison
    ax : matplotlib Axes, optional
    title : str, optional
    lang : {"en", "zh"}

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
    labels = {"hierarchy": tr("mode.hierarchy", lang), "peer": tr("mode.peer", lang)}
    with style(lang):
        if ax is None:
            fig, ax = subplots(lang=lang)
        else:
            fig = ax.figure
        _shock_span(ax, comparison.settings.get("shock"), lang)
        for j, (mode, res) in enumerate(comparison.results.items()):
            rate = np.nanmean(res.cooperation_by_round, axis=1)
            ax.plot(np.arange(rate.size), rate, color=PALETTE[j], label=labels.get(mode, mode))
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel(tr("round", lang))
        ax.set_ylabel(tr("cooperation_rate", lang))
        ax.set_title(wrap(title or modes_title(comparison, lang), 72), fontsize=8)
        ax.legend(loc="best")
    return fig, ax


def modes_title(comparison, lang: str = "en") -> str:
    """The finding of a mode comparison and the settings it rests on, in two lines."""
    t = comparison.table["cooperation_rate"]
    st = comparison.settings
    res = next(iter(comparison.results.values()))
    head = tr("t.modes", lang, h=f"{t.get('hierarchy', np.nan):.0%}",
              p=f"{t.get('peer', np.nan):.0%}")
    tail = "; ".join([tr("p.runs", lang, runs=res.runs, rounds=res.rounds),
                      tr("p.noise", lang, noise=f"{_noise_level(st.get('noise')):g}"),
                      tr("p.audits", lang, q=f"{st['audit_prob']:g}", a=f"{st['accuracy']:g}",
                         fine=f"{st['fine']:.3g}"),
                      tr("p.peer_error", lang, e=f"{st['peer_error']:g}"),
                      tr("p.seed", lang, seed=st.get("seed"))])
    return head + "\n" + tail


register_plotter("simulation", plot_cooperation)
register_plotter("modes", plot_modes)
