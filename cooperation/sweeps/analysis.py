"""Reading a sweep table: phase boundaries, and the bridge to scenario-discovery tools.

A *phase boundary* is where an outcome crosses a level along one parameter,
for instance the smallest discount factor at which grim trigger sustains
cooperation, or, for each audit rate ``q``, the smallest fine ``F`` that
deters defection. Along a sorted grid ``x_0 < ... < x_J`` with (mean) outcome
``z_j``, the boundary is the first grid value from which the condition
(``z >= level`` or ``z <= level``) holds for every larger ``x``::

    j* = min { j : condition holds at x_j, ..., x_J }
    x_first  = x_{j*}
    x_interp = x_{j*-1} + (level - z_{j*-1}) * (x_{j*} - x_{j*-1}) / (z_{j*} - z_{j*-1})

``x_interp`` is the linear interpolation of the crossing between the last
grid point outside the region and the first inside. The true boundary lies in
``(x_{j*-1}, x_{j*}]`` when the outcome is monotone and the simulation noise
is small against the outcome's slope, i.e. within one grid step of ``x_first``.

References
----------
Bryant, B. P. and Lempert, R. J. (2010). Thinking inside the box: a
participatory, computer-assisted approach to scenario discovery.
*Technological Forecasting and Social Change* 77(1), 34-49 (PRIM on
experiments/outcomes tables).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["phase_boundary", "experiments_outcomes"]


def _need(df: pd.DataFrame, cols: Sequence[str], field: str) -> None:
    for c in cols:
        if c not in df.columns:
            raise InputError(f"no column {c!r} in the sweep table (columns: "
                             f"{list(df.columns)})", field=field, value=c)


def phase_boundary(df: pd.DataFrame, x: str, outcome: str, by: str | Sequence[str] | None = None,
                   level: float = 0.5, region: str = "above") -> pd.DataFrame:
    """Where ``outcome`` crosses ``level`` along parameter ``x`` (per group of ``by``).

    Rows with the same ``x`` (and ``by``) are averaged first, so replicated
    cells or parameters left out of ``by`` are pooled.

    Parameters
    ----------
    df : DataFrame
        A sweep table (:func:`cooperation.sweep`).
    x : str
        The parameter along which the boundary is sought (e.g. ``"delta"``).
    outcome : str
        The outcome column (bool outcomes are read as 0/1 shares).
    by : str or list of str, optional
        One boundary per value of these columns (e.g. ``"q"`` gives the
        boundary curve ``F*(q)`` of a ``(q, F)`` diagram).
    level : float
        The threshold of the outcome (0.5 for a share of runs, 0 for a
        payoff gap).
    region : {"above", "below"}
        The region of interest is ``outcome >= level`` or ``outcome <= level``.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``x_first`` (the first grid value
        from which the region holds to the end of the grid; NaN if it never
        does), ``x_interp`` (interpolated crossing; NaN when the region starts at
        the first grid point or never), ``step`` (grid spacing at the crossing),
        ``monotone`` (the condition switches at most once along ``x``) and
        ``censored`` (``"below_grid"`` if the region covers the whole grid,
        ``"above_grid"`` if it is never reached, else ``""``).

    Examples
    --------
    >>> import pandas as pd
    >>> from cooperation.sweeps import phase_boundary
    >>> df = pd.DataFrame({"delta": [0.2, 0.4, 0.6, 0.8], "gap": [-2.0, -1.0, 1.0, 3.0]})
    >>> phase_boundary(df, "delta", "gap", level=0.0)[["x_first", "x_interp"]]
       x_first  x_interp
    0      0.6       0.5
    """
    if region not in ("above", "below"):
        raise InputError("region must be 'above' or 'below'", field="region", value=region)
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    _need(df, [x, outcome, *by_cols], "phase_boundary")
    work = df[[*by_cols, x, outcome]].copy()
    work[outcome] = work[outcome].astype(float)
    groups = work.groupby(by_cols, sort=True, dropna=False) if by_cols else [((), work)]
    rows = []
    for key, g in groups:
        curve = g.groupby(x, sort=True)[outcome].mean()
        xs = curve.index.to_numpy(dtype=float)
        zs = curve.to_numpy(dtype=float)
        inside = zs >= level if region == "above" else zs <= level
        row = dict(zip(by_cols, key if isinstance(key, tuple) else (key,), strict=True))
        row.update(_crossing(xs, zs, inside, level))
        rows.append(row)
    return pd.DataFrame(rows, columns=[*by_cols, "x_first", "x_interp", "step", "monotone",
                                       "censored"])


def _crossing(xs: np.ndarray, zs: np.ndarray, inside: np.ndarray, level: float) -> dict:
    switches = int(np.count_nonzero(inside[1:] != inside[:-1]))
    monotone = switches <= 1 and (switches == 0 or bool(inside[-1]))
    if not inside[-1]:
        return {"x_first": np.nan, "x_interp": np.nan, "step": np.nan,
                "monotone": monotone, "censored": "above_grid"}
    outside = np.flatnonzero(~inside)
    j = 0 if outside.size == 0 else int(outside[-1]) + 1
    if j == 0:
        step = float(xs[1] - xs[0]) if xs.size > 1 else np.nan
        return {"x_first": float(xs[0]), "x_interp": np.nan, "step": step,
                "monotone": monotone, "censored": "below_grid"}
    x0, x1, z0, z1 = xs[j - 1], xs[j], zs[j - 1], zs[j]
    x_int = x1 if z1 == z0 else x0 + (level - z0) * (x1 - x0) / (z1 - z0)
    return {"x_first": float(x1), "x_interp": float(x_int), "step": float(x1 - x0),
            "monotone": monotone, "censored": ""}


def experiments_outcomes(df: pd.DataFrame, parameters: Sequence[str] | None = None,
                         outcomes: Sequence[str] | None = None
                         ) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Split a sweep table into the ``(experiments, outcomes)`` pair of exploratory modelling.

    This is the shape the EMA Workbench's analysis tools take: ``experiments``
    a DataFrame of the uncertain/policy parameters (one row per cell) and
    ``outcomes`` a dict of name -> 1-D array. For example, scenario discovery
    of the parameter boxes where cooperation fails::

        from ema_workbench.analysis import prim
        x, y = experiments_outcomes(df)
        p = prim.Prim(x, y["cooperation_rate"] < 0.5, threshold=0.8)
        box = p.find_box()

    Parameters
    ----------
    df : DataFrame
        A sweep table.
    parameters, outcomes : list of str, optional
        Default: from ``df.attrs['sweep']`` when present (tables straight from
        :func:`cooperation.sweep` or read back from Parquet), otherwise the
        columns before and after the ``seed`` column.

    Examples
    --------
    >>> import pandas as pd
    >>> from cooperation.sweeps import experiments_outcomes
    >>> df = pd.DataFrame({"q": [0.1, 0.2], "seed": [1, 2], "rate": [0.3, 0.9]})
    >>> x, y = experiments_outcomes(df)
    >>> list(x.columns), y["rate"].tolist()
    (['q'], [0.3, 0.9])
    """
    meta = df.attrs.get("sweep", {}) if isinstance(df.attrs, dict) else {}
    if parameters is None:
        parameters = meta.get("parameters")
    if outcomes is None:
        outcomes = meta.get("outcomes")
    if parameters is None or outcomes is None:
        if "seed" not in df.columns:
            raise InputError("cannot tell parameters from outcomes: no 'seed' column and no "
                             "sweep metadata", field="df", value=list(df.columns),
                             fix="pass parameters= and outcomes=")
        pos = list(df.columns).index("seed")
        parameters = list(df.columns[:pos]) if parameters is None else parameters
        outcomes = list(df.columns[pos + 1:]) if outcomes is None else outcomes
    _need(df, [*parameters, *outcomes], "experiments_outcomes")
    x = df[list(parameters)].reset_index(drop=True)
    y = {name: df[name].to_numpy() for name in outcomes}
    return x, y
