"""Figures of evolutionary games: phase portraits, time paths, the effect of a parameter.

These functions read :class:`~cooperation.evolutionary.EvolutionaryGame`,
:class:`~cooperation.evolutionary.EvolutionaryStability` and
:class:`~cooperation.evolutionary.EvolutionPath` objects and draw them with
matplotlib; they never compute stability themselves (the results do not
import this module). Axes are the shares playing each population's first
action (``x, y, z`` of the literature), so they need binary populations.
Rest points are marked by class: filled circle asymptotically stable, open
circle unstable, triangle saddle, square non-hyperbolic.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError

__all__ = ["phase_portrait", "time_paths", "parameter_effect", "MARKERS"]

#: marker, face colour of each class
MARKERS = {"asymptotically stable": ("o", "#009E73"), "unstable": ("o", "white"),
           "saddle": ("^", "#E69F00"), "non-hyperbolic": ("s", "#CC79A7")}
_LINES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]


def _binary(eg) -> None:
    if not all(k == 2 for k in eg.shape):
        raise InputError("these plots need binary populations (two actions each)",
                         field="eg", value=list(eg.shape))


def _axis_label(eg, i) -> str:
    return f"{eg.players[i]}: share {eg.actions[i][0]}"


def phase_portrait(eg, stability=None, ax=None, starts: int = 5, horizon: float | None = None,
                   seed=0):
    """Phase portrait of a game with two or three binary populations.

    Two populations: the vector field on the unit square (streamlines) with
    every rest point marked by its class. Three populations: trajectories in
    the unit cube from a seeded grid of starts, with the rest points marked.

    Parameters
    ----------
    eg : EvolutionaryGame
    stability : EvolutionaryStability, optional
        The rest points to mark (from ``co.evolutionary_stability(eg)``).
    ax : matplotlib Axes, optional (a 3-D one for three populations)
    starts : int
        Three populations: starts per axis of the grid (``starts**3`` paths; 3 by default).
    horizon : float, optional
        Length of the paths; default ``20 / payoff range``.
    """
    import matplotlib.pyplot as plt

    _binary(eg)
    n = eg.n_populations
    if n not in (2, 3):
        raise InputError("a phase portrait needs two or three populations", field="eg",
                         value=n)
    R = eg.payoff_range or 1.0
    T = horizon if horizon is not None else 20.0 / R
    if n == 2:
        if ax is None:
            _, ax = plt.subplots()
        g = np.linspace(0.0, 1.0, 25)
        X, Y = np.meshgrid(g, g)
        V = eg.velocity(np.stack([X.ravel(), Y.ravel()], axis=-1))
        U_, V_ = V[:, 0].reshape(X.shape), V[:, 2].reshape(X.shape)
        speed = np.hypot(U_, V_)
        ax.streamplot(X, Y, U_, V_, color=speed, cmap="viridis", density=1.0, linewidth=0.8,
                      arrowsize=0.8)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel(_axis_label(eg, 0))
        ax.set_ylabel(_axis_label(eg, 1))
        ax.set_aspect("equal")
    else:
        if ax is None:
            fig = plt.figure()
            ax = fig.add_subplot(projection="3d")
        k = max(2, int(starts) if starts else 3)
        g = np.linspace(0.1, 0.9, k)
        X0 = np.array([[a, b, c] for a in g for b in g for c in g])
        path = eg.evolve(X0, np.linspace(0.0, T, 150), seed=seed)
        for s in range(path.states.shape[0]):
            xs = path.states[s][:, [0, 2, 4]]
            ax.plot(xs[:, 0], xs[:, 1], xs[:, 2], color="#56B4E9", lw=0.6, alpha=0.8)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_zlim(0, 1)
        ax.set_xlabel(_axis_label(eg, 0))
        ax.set_ylabel(_axis_label(eg, 1))
        ax.set_zlabel(_axis_label(eg, 2))
    if stability is not None:
        seen = set()
        for _, r in stability.rest_points.iterrows():
            coords = [p[0] for p in r["point"]]
            mk, fc = MARKERS[r["stability"]]
            lab = r["stability"] if r["stability"] not in seen else None
            seen.add(r["stability"])
            if r["kind"] == "continuum":
                lab = (lab + " (continuum)") if lab else None
            ax.scatter(*coords, marker=mk, s=46, facecolors=fc, edgecolors="black",
                       linewidths=0.8, zorder=5, label=lab)
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return ax


def time_paths(eg, levels=(0.2, 0.5, 0.8), t=None, ax=None, path=None):
    """Shares over time from several levels of initial willingness.

    Every population starts from the same share ``level`` of its first action;
    one line per (level, population), colour by population, style by level.

    Parameters
    ----------
    eg : EvolutionaryGame
    levels : sequence of float in [0, 1]
    t : times, optional (default ``[0, 20 / payoff range]``)
    path : EvolutionPath, optional
        Paths already computed for the starts ``[[level] * n for level in levels]``.
    """
    import matplotlib.pyplot as plt

    _binary(eg)
    n = eg.n_populations
    lv = np.asarray(levels, float)
    if lv.ndim != 1 or lv.size == 0 or np.any((lv < 0) | (lv > 1)):
        raise InputError("must be shares in [0, 1]", field="levels", value=list(levels))
    if t is None:
        t = np.linspace(0.0, 20.0 / (eg.payoff_range or 1.0), 200)
    if path is None:
        path = eg.evolve(np.repeat(lv[:, None], n, axis=1), t)
    if ax is None:
        _, ax = plt.subplots()
    styles = ["-", "--", ":", "-."]
    states = path.states if path.batch else path.states[None]
    for s, level in enumerate(lv):
        for i in range(n):
            ax.plot(path.t, states[s][:, 2 * i], color=_LINES[i % len(_LINES)],
                    ls=styles[s % len(styles)],
                    label=f"{eg.players[i]} ({eg.actions[i][0]}), start {level:g}")
    ax.set_xlabel("time")
    ax.set_ylabel("share")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return ax


def parameter_effect(eg, parameter: str, values, x0=0.5, t=None, population=None, ax=None):
    """How one parameter of a symbolic game moves the path of one population.

    Parameters
    ----------
    eg : EvolutionaryGame (symbolic)
    parameter : str
    values : sequence of float
    x0 : float or state
        Start (a single number: every population at that share).
    population : str or int, optional
        Whose share to draw (default: every population, one panel each is not
        drawn; the first population).
    """
    import matplotlib.pyplot as plt

    _binary(eg)
    if parameter not in eg.parameters:
        raise InputError(f"unknown parameter; parameters are {list(eg.parameters)}",
                         field="parameter", value=parameter)
    n = eg.n_populations
    start = np.full(n, float(x0)) if np.ndim(x0) == 0 else x0
    i = 0 if population is None else (population if isinstance(population, int)
                                      else list(eg.players).index(population))
    if t is None:
        t = np.linspace(0.0, 20.0 / (eg.payoff_range or 1.0), 200)
    if ax is None:
        _, ax = plt.subplots()
    for k, v in enumerate(values):
        p = eg.with_values(**{parameter: float(v)}).evolve(start, t)
        ax.plot(p.t, p.share(i), color=_LINES[k % len(_LINES)], label=f"{parameter} = {v:g}")
    ax.set_xlabel("time")
    ax.set_ylabel(_axis_label(eg, i))
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="best")
    return ax
