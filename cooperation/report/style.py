"""One figure style for the notebooks, the CLI and the paper.

``STYLE`` is a matplotlibrc-like dict of rcParams; ``style()`` applies it inside
a ``with`` block (and restores the previous settings after), ``use_style()``
applies it for the session, ``write_mplstyle(path)`` saves it as a
``.mplstyle`` file for ``plt.style.use``. ``subplots()`` returns ``(fig, ax)``
sized for a one-column paper figure.

Colours: a colour-blind-safe qualitative cycle (Okabe & Ito 2008) for lines;
``viridis`` for sequential heatmaps and ``RdBu`` centred on the threshold for
outcomes that change sign (see :func:`cooperation.report.phase_diagram`).

References
----------
Okabe, M. and Ito, K. (2008). Color Universal Design (CUD): how to make figures
and presentations that are friendly to colorblind people. J*Fly.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["STYLE", "PALETTE", "SEQUENTIAL", "DIVERGING", "style", "use_style",
           "write_mplstyle", "subplots", "wrap"]

#: Okabe-Ito colour-blind-safe qualitative palette (black first dropped for lines).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000"]
SEQUENTIAL = "viridis"
DIVERGING = "RdBu"

#: rcParams of the shared style (a one-column figure is 3.4 x 2.6 inches).
STYLE: dict[str, object] = {
    "figure.figsize": (4.8, 3.6),
    "figure.dpi": 110,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.02,
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.labelsize": 9.0,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "legend.fontsize": 8.0,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.linewidth": 0.8,
    "lines.linewidth": 1.5,
    "lines.markersize": 4.0,
    "image.cmap": SEQUENTIAL,
    "pdf.fonttype": 42,            # embed TrueType: editable text in the paper's PDFs
    "ps.fonttype": 42,
    "svg.fonttype": "none",
}


def _rc(lang: str = "en") -> dict:
    from cycler import cycler

    from .fonts import font_rc

    rc = dict(STYLE)
    rc["axes.prop_cycle"] = cycler(color=PALETTE)
    rc.update(font_rc(lang))
    return rc


@contextlib.contextmanager
def style(lang: str = "en") -> Iterator[None]:
    """Apply the shared figure style inside a ``with`` block.

    The font is DejaVu Sans with a Chinese fallback (:mod:`cooperation.report.fonts`);
    ``lang="zh"`` puts the Chinese font first.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cooperation import report
    >>> with report.style():
    ...     fig, ax = report.subplots()
    >>> fig.get_size_inches().tolist()
    [4.8, 3.6]
    """
    import matplotlib as mpl

    with mpl.rc_context(_rc(lang)):
        yield


def use_style(lang: str = "en") -> None:
    """Apply the shared style for the rest of the session (notebooks, scripts)."""
    import matplotlib as mpl

    mpl.rcParams.update(_rc(lang))


def write_mplstyle(path: str | os.PathLike) -> Path:
    """Write the style as a ``.mplstyle`` file (for ``plt.style.use(path)``), atomically."""
    from .._io import atomic_write_text

    lines = ["# cooperation figure style (cooperation.report.STYLE)"]
    for key, val in STYLE.items():
        if isinstance(val, tuple):
            val = ", ".join(str(v) for v in val)
        lines.append(f"{key}: {val}")
    lines.append("axes.prop_cycle: cycler('color', [" +
                 ", ".join(f"'{c.lstrip('#')}'" for c in PALETTE) + "])")
    return atomic_write_text(path, "\n".join(lines) + "\n")


def wrap(text: str, width: int = 64) -> str:
    """``text`` broken into lines of at most ``width`` characters (a Chinese character
    counts as two), existing line breaks kept: titles that state a finding stay inside
    the figure.

    Examples
    --------
    >>> wrap("The least subsidy hinges most on the cost of the upstream province", 40)
    'The least subsidy hinges most on the\\ncost of the upstream province'
    """
    import textwrap

    out = []
    for line in str(text).split("\n"):
        wide = sum(1 for ch in line if ord(ch) > 0x2E80)
        if wide:
            step = max(1, width // 2)
            out += [line[k:k + step] for k in range(0, len(line), step)] if len(line) + wide \
                > width else [line]
        else:
            out += textwrap.wrap(line, width) or [""]
    return "\n".join(out)


def subplots(nrows: int = 1, ncols: int = 1, *, lang: str = "en", **kwargs):
    """``plt.subplots`` in the shared style; returns ``(fig, ax)``.

    The style is applied while the figure is built, so ticks, fonts and sizes
    follow it even when the caller has not called :func:`use_style`.
    """
    import matplotlib.pyplot as plt

    with style(lang):
        kwargs.setdefault("layout", "constrained")
        return plt.subplots(nrows, ncols, **kwargs)
