"""Phase diagrams and threshold curves from a sweep table.

A *phase diagram* shows one outcome of a sweep (cooperation rate, payoff gap,
net gain of defecting) over two parameters as a heatmap, with the simulated
boundary of the region ``outcome >= level`` (or ``<= level``) and, when known,
the theoretical boundary on top, e.g. grim trigger's ``delta* = (T-R)/(T-P)``
or the deterrence line ``q * a * F = gain``. A *threshold curve* shows the
outcome against one parameter, one line per value of another, with the level
and the crossings marked.

Cells with the same coordinates (replicates, or parameters not plotted) are
averaged. The functions only read the table; boundaries come from
:func:`cooperation.sweeps.phase_boundary`. Each returns ``(fig, ax)`` and draws
into ``ax`` when one is given.

References
----------
Axelrod, R. (1984). *The Evolution of Cooperation*, ch. 1 (the discount
parameter threshold for cooperation) and Becker, G. S. (1968), Crime and
punishment, *J. Political Economy* 76(2) (expected-fine deterrence): the two
closed forms the examples draw as theory lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..sweeps.analysis import phase_boundary
from .style import DIVERGING, PALETTE, SEQUENTIAL, style, subplots

__all__ = ["phase_grid", "phase_diagram", "threshold_curve"]


def _need(df: pd.DataFrame, cols: Sequence[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError("expected a sweep table (pandas DataFrame)", field="df", value=df)
    for c in cols:
        if c not in df.columns:
            raise InputError(f"no column {c!r} in the sweep table (columns: "
                             f"{list(df.columns)})", field="column", value=c)


def phase_grid(df: pd.DataFrame, x: str, y: str, z: str, agg: str = "mean") -> pd.DataFrame:
    """The outcome ``z`` on the ``(y, x)`` grid: rows are ``y`` values, columns ``x`` values.

    Cells that share ``(x, y)`` are combined with ``agg`` (``"mean"``, ``"median"``,
    ``"min"``, ``"max"``); missing grid points are NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> from cooperation.report import phase_grid
    >>> df = pd.DataFrame({"q": [0.1, 0.1, 0.2, 0.2], "F": [1, 2, 1, 2],
    ...                    "z": [1.0, 0.5, 0.6, -0.2]})
    >>> phase_grid(df, "q", "F", "z").to_numpy().tolist()
    [[1.0, 0.6], [0.5, -0.2]]
    """
    _need(df, [x, y, z])
    if agg not in ("mean", "median", "min", "max"):
        raise InputError("agg must be mean, median, min or max", field="agg", value=agg)
    return df.pivot_table(index=y, columns=x, values=z, aggfunc=agg, dropna=False,
                          observed=True).astype(float)


def _edges(centres: np.ndarray) -> np.ndarray:
    c = np.asarray(centres, dtype=float)
    if c.size == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2.0
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def _norm(values: np.ndarray, level: float | None):
    from matplotlib.colors import Normalize, TwoSlopeNorm

    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return Normalize(), SEQUENTIAL
    lo, hi = float(finite.min()), float(finite.max())
    if level is not None and lo < level < hi:
        return TwoSlopeNorm(vcenter=level, vmin=lo, vmax=hi), DIVERGING
    return Normalize(vmin=lo, vmax=hi if hi > lo else lo + 1.0), SEQUENTIAL


def phase_diagram(df: pd.DataFrame, x: str, y: str, z: str, *, level: float | None = None,
                  region: str = "above", boundary_along: str = "x",
                  theory: Callable[[np.ndarray], np.ndarray] | None = None,
                  theory_label: str = "theory", ax=None, cmap: str | None = None,
                  agg: str = "mean", kind: str = "auto", title: str | None = None,
                  zlabel: str | None = None):
    """Heatmap of outcome ``z`` over parameters ``x`` and ``y``, with its phase boundary.

    The boundary of the region ``z >= level`` (``region="above"``) or
    ``z <= level`` (``"below"``) is found along ``boundary_along`` for each value
    of the other parameter (:func:`cooperation.sweeps.phase_boundary`) and drawn
    as the interpolated crossing (line with dots). ``theory(v)`` gives the
    theoretical boundary coordinate along ``boundary_along`` as a function of
    the other parameter ``v``, drawn dashed on a fine grid.

    Parameters
    ----------
    df : DataFrame
        A sweep table (:func:`cooperation.sweep`).
    x, y, z : str
        Column names: horizontal axis, vertical axis, colour.
    level : float, optional
        Threshold of ``z`` defining the region; with it, a colour map centred
        on the level is used when ``z`` takes values on both sides.
    region : {"above", "below"}
    boundary_along : {"x", "y"}
    theory : callable, optional
        Vectorised ``v -> boundary``; e.g. ``lambda T: (T - 3) / (T - 1)`` for
        grim trigger with ``R=3, P=1`` (x = delta, y = T).
    ax : matplotlib Axes, optional
        Draw here; default: a new figure in the shared style.
    cmap : str, optional
        Colour map; default viridis, or RdBu centred on ``level`` with the region
        of interest in blue.
    agg : str
        How replicated cells are combined (:func:`phase_grid`).
    kind : {"auto", "mesh", "scatter"}
        ``"mesh"`` needs a full grid; ``"scatter"`` suits sampled designs
        (e.g. Latin hypercube); ``"auto"`` picks mesh when the grid is full.

    Returns
    -------
    (Figure, Axes)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np, pandas as pd
    >>> from cooperation import report
    >>> q, F = np.meshgrid([0.2, 0.4, 0.6, 0.8], np.arange(1.0, 9.0), indexing="ij")
    >>> df = pd.DataFrame({"q": q.ravel(), "fine": F.ravel()})
    >>> df["net_gain"] = 1.0 - 0.8 * df["q"] * df["fine"]
    >>> fig, ax = report.phase_diagram(df, "q", "fine", "net_gain", level=0.0,
    ...                                region="below", boundary_along="y",
    ...                                theory=lambda q: 1.0 / (0.8 * q))
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('q', 'fine')
    """
    _need(df, [x, y, z])
    if boundary_along not in ("x", "y"):
        raise InputError("boundary_along must be 'x' or 'y'", field="boundary_along",
                         value=boundary_along)
    if kind not in ("auto", "mesh", "scatter"):
        raise InputError("kind must be auto, mesh or scatter", field="kind", value=kind)
    grid = phase_grid(df, x, y, z, agg=agg)
    full = bool(np.isfinite(grid.to_numpy()).all())
    if kind == "mesh" and not full:
        raise InputError("a mesh needs a value at every (x, y) grid point; this design "
                         "is sampled, not a full grid", field="kind", value=kind,
                         fix="use kind='scatter' (or 'auto')")
    use_mesh = kind == "mesh" or (kind == "auto" and full)
    with style():
        if ax is None:
            fig, ax = subplots()
        else:
            fig = ax.figure
        values = grid.to_numpy() if use_mesh else df[z].to_numpy(dtype=float)
        norm, default_cmap = _norm(values, level)
        if default_cmap == DIVERGING and region == "below":
            default_cmap = DIVERGING + "_r"       # the region of interest is blue either way
        cmap = cmap or default_cmap
        if use_mesh:
            xs = grid.columns.to_numpy(dtype=float)
            ys = grid.index.to_numpy(dtype=float)
            art = ax.pcolormesh(_edges(xs), _edges(ys), grid.to_numpy(), cmap=cmap,
                                norm=norm, shading="flat")
        else:
            art = ax.scatter(df[x], df[y], c=df[z].astype(float), cmap=cmap, norm=norm,
                             s=18, edgecolors="none")
        cbar = fig.colorbar(art, ax=ax)
        # a two-slope norm centres the level in the colour map; its colour bar would
        # squeeze the longer side into half the bar: keep the bar's axis linear
        cbar.ax.set_yscale("linear")
        cbar.set_label(zlabel or z)
        if level is not None and use_mesh and len(grid.index) > 1 and len(grid.columns) > 1:
            along, other = (x, y) if boundary_along == "x" else (y, x)
            b = phase_boundary(df, x=along, outcome=z, by=other, level=level, region=region)
            b = b[np.isfinite(b["x_interp"].to_numpy(dtype=float))]
            if len(b):
                bx, by_ = (b["x_interp"], b[other]) if boundary_along == "x" else \
                    (b[other], b["x_interp"])
                ax.plot(bx, by_, color="black", marker="o", lw=1.2, ms=3,
                        label=f"simulated boundary ({z} = {level:g})")
        if theory is not None:
            other_col = y if boundary_along == "x" else x
            lo, hi = float(df[other_col].min()), float(df[other_col].max())
            v = np.linspace(lo, hi, 200)
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.asarray(theory(v), dtype=float)
            along_col = x if boundary_along == "x" else y
            amin, amax = float(df[along_col].min()), float(df[along_col].max())
            t = np.where((t >= amin) & (t <= amax), t, np.nan)
            px, py = (t, v) if boundary_along == "x" else (v, t)
            ax.plot(px, py, color=PALETTE[4], ls="--", lw=1.8, label=theory_label)
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        if title:
            ax.set_title(title)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="best")
    return fig, ax


def threshold_curve(df: pd.DataFrame, x: str, z: str, *, by: str | None = None,
                    level: float | None = None, region: str = "above",
                    theory: Callable[[object], float] | None = None, ax=None,
                    agg: str = "mean", title: str | None = None):
    """Outcome ``z`` against parameter ``x``, one line per value of ``by``.

    With ``level``, a dotted horizontal line marks it and each line's crossing
    (:func:`cooperation.sweeps.phase_boundary`, interpolated) gets a marker;
    ``theory(group_value)`` (or ``theory(None)`` without ``by``) gives a
    theoretical threshold in ``x``, drawn as a dashed vertical line in the
    group's colour.

    Returns
    -------
    (Figure, Axes)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np, pandas as pd
    >>> from cooperation import report
    >>> d = np.linspace(0.05, 0.95, 19)
    >>> df = pd.DataFrame({"delta": d, "gap": 2 / (1 - d) - 4})
    >>> fig, ax = report.threshold_curve(df, "delta", "gap", level=0.0,
    ...                                  theory=lambda _: 0.5)
    >>> len(ax.lines) >= 3
    True
    """
    cols = [x, z] + ([by] if by else [])
    _need(df, cols)
    if agg not in ("mean", "median", "min", "max"):
        raise InputError("agg must be mean, median, min or max", field="agg", value=agg)
    groups = [(None, df)] if by is None else list(df.groupby(by, sort=True))
    with style():
        if ax is None:
            fig, ax = subplots()
        else:
            fig = ax.figure
        for j, (key, g) in enumerate(groups):
            colour = PALETTE[j % len(PALETTE)]
            curve = g.groupby(x, sort=True)[z].agg(agg).astype(float)
            label = None if by is None else f"{by} = {key}"
            ax.plot(curve.index, curve.to_numpy(), color=colour, marker="o", ms=3,
                    label=label)
            if level is not None:
                b = phase_boundary(g, x=x, outcome=z, level=level, region=region).iloc[0]
                if np.isfinite(b["x_interp"]):
                    ax.plot([b["x_interp"]], [level], marker="D", color=colour, ms=5,
                            mec="black", mew=0.6, ls="none")
            if theory is not None:
                t = theory(key)
                if t is not None and np.isfinite(t):
                    ax.axvline(float(t), color=colour, ls="--", lw=1.0)
        if level is not None:
            ax.axhline(level, color="0.4", ls=":", lw=1.0)
        ax.set_xlabel(x)
        ax.set_ylabel(z)
        if title:
            ax.set_title(title)
        if by is not None:
            ax.legend(loc="best")
    return fig, ax
