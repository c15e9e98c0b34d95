"""The figure of a declarative sweep: a phase diagram that says what it found.

:func:`sweep_figure` reads a table of :func:`cooperation.sweeps.scenario_sweep`
(or of ``cooperation sweep``): with two varied settings it draws
:func:`cooperation.report.phase_diagram` (a heatmap of the measure, a linear
colour bar labelled with the measure and its unit), with one a
:func:`cooperation.report.threshold_curve`. The axes carry the dotted paths
and their units (``monitoring.fine (CNY 100M/yr per detected defection)``);
the title names the scenario, the measure and the parameters, and its second
line the finding: the measure's range and where it is highest and, with
``level``, in how many cells it reaches the level, whose boundary is drawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..sweeps.analysis import phase_boundary
from .phase import phase_diagram, threshold_curve
from .style import wrap

__all__ = ["sweep_figure"]


def _meta(df: pd.DataFrame) -> tuple[dict, list[str], list[str]]:
    sweep = df.attrs.get("sweep", {}) if isinstance(df.attrs, dict) else {}
    decl = sweep.get("declarative", {}) or {}
    params = list(decl.get("paths") or sweep.get("parameters") or [])
    outcomes = list(decl.get("measures") or sweep.get("outcomes") or [])
    if (not params or not outcomes) and "seed" in df.columns:
        pos = list(df.columns).index("seed")
        params = params or list(df.columns[:pos])
        outcomes = outcomes or list(df.columns[pos + 1:])
    return decl, params, outcomes


def _label(name: str, path: str | None, unit: str | None) -> str:
    text = path or name
    return f"{text} ({unit})" if unit else text


def _fmt(v) -> str:
    return f"{v:.3g}" if isinstance(v, (float, np.floating)) else str(v)


def sweep_figure(df: pd.DataFrame, measure: str | None = None, *, x: str | None = None,
                 y: str | None = None, level: float | None = None, ax=None):
    """Phase diagram (two settings) or threshold curve (one) of a declarative sweep.

    Parameters
    ----------
    df : DataFrame
        A sweep table; ``attrs['sweep']['declarative']`` (paths, units) is used
        when present, otherwise the columns before ``seed`` are the settings.
    measure : str, optional
        The outcome column; default the first measure.
    x, y : str, optional
        Columns on the axes; default the first two settings that vary
        (others are averaged over).
    level : float, optional
        Draw where the measure crosses this level (the smallest ``y`` reaching
        it for each ``x``) and count the cells at or above it.

    Returns
    -------
    (Figure, Axes)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from cooperation.report.sweep_figure import sweep_figure
    >>> df = pd.DataFrame({"q": [0.2, 0.2, 0.8, 0.8], "fine": [1.0, 2.0, 1.0, 2.0],
    ...                    "seed": [1, 2, 3, 4], "rate": [0.1, 0.3, 0.4, 0.9]})
    >>> fig, ax = sweep_figure(df, level=0.5)
    >>> print(ax.get_title())
    Sweep: rate by q and fine
    rate from 0.1 to 0.9, the maximum first at q = 0.8, fine = 2; >=
    0.5 in 1 of 4 cells
    """
    if not isinstance(df, pd.DataFrame) or df.empty:
        raise InputError("expected a non-empty sweep table (pandas DataFrame)", field="df",
                         value=type(df).__name__)
    decl, params, outcomes = _meta(df)
    measure = measure or (outcomes[0] if outcomes else None)
    if measure not in df.columns:
        raise InputError(f"no such outcome in the sweep table (outcomes: {outcomes})",
                         field="measure", value=measure)
    varied = [c for c in params if c in df.columns and df[c].nunique(dropna=False) > 1]
    axes = [c for c in (x, y) if c is not None] or varied[:2]
    if not axes:
        raise InputError("the table has no setting that varies: nothing to plot against",
                         field="df", value=params)
    for c in axes:
        if c not in df.columns or not pd.api.types.is_numeric_dtype(df[c]) \
                or pd.api.types.is_bool_dtype(df[c]):
            raise InputError("an axis needs a numeric setting", field="x/y", value=c)
    paths, units = decl.get("paths", {}), decl.get("units", {})
    zunit = decl.get("measure_units", {}).get(measure, "")
    zlabel = _label(measure, None, zunit)
    labels = [_label(c, paths.get(c), units.get(c)) for c in axes]
    title = wrap(f"{decl.get('scenario', 'Sweep')}: {measure} by {' and '.join(axes)}"
                 + (f", {decl['strategy']} jurisdictions" if decl.get("strategy") else ""))
    title += "\n" + wrap(_finding(df, axes, measure, level))
    if len(axes) == 2:
        fig, ax = phase_diagram(df, axes[0], axes[1], measure, ax=ax, title=title,
                                zlabel=zlabel, cmap="viridis")
        if level is not None:
            _boundary(ax, df, axes, measure, level)
        ax.set_ylabel(labels[1])
    else:
        fig, ax = threshold_curve(df, axes[0], measure, level=level, ax=ax, title=title)
        ax.set_ylabel(zlabel)
    ax.set_xlabel(labels[0])
    return fig, ax


def _finding(df: pd.DataFrame, axes: list[str], measure: str, level: float | None) -> str:
    means = df.groupby(axes, sort=True)[measure].mean().astype(float)
    finite = means[np.isfinite(means.to_numpy())]
    if finite.empty:
        return f"{measure} is not a number in any cell"
    best = finite.idxmax()
    best = best if isinstance(best, tuple) else (best,)
    where = ", ".join(f"{a} = {_fmt(v)}" for a, v in zip(axes, best, strict=True))
    text = f"{measure} from {_fmt(finite.min())} to {_fmt(finite.max())}, the maximum first at {where}"
    if level is not None:
        hits = int((finite >= level).sum())
        text += f"; >= {level:g} in {hits} of {len(finite)} cells"
    return text


def _boundary(ax, df: pd.DataFrame, axes: list[str], measure: str, level: float) -> None:
    x, y = axes
    if df[y].nunique() < 2:
        return
    b = phase_boundary(df, x=y, outcome=measure, by=x, level=level, region="above")
    b = b[np.isfinite(b["x_interp"].to_numpy(dtype=float))]
    if len(b):
        ax.plot(b[x], b["x_interp"], color="white", marker="o", lw=1.4, ms=3,
                label=f"{measure} = {level:g}")
        ax.legend(loc="best")
