"""Paths of the multi-population replicator dynamics, deterministic or with white noise.

Deterministic: ``dx_ia/dt = x_ia (f_ia(x) - sum_b x_ib f_ib(x))`` integrated by
``scipy.integrate.solve_ivp`` (RK45, ``rtol=1e-8``, ``atol=1e-10`` by default)
and reported at the times ``t``. A batch of starts is integrated as one
vectorised system (every right-hand side evaluated for all starts at once).

Stochastic ("stochastic evolutionary game", e.g. the Gaussian white-noise
form of the eco-compensation literature): every action's payoff is perturbed
by white noise of intensity ``noise / sqrt(2)``, giving the Ito equation::

    dx_ia = x_ia (f_ia - phi_i) dt + (sigma / sqrt 2) x_ia (dW_ia - sum_b x_ib dW_ib)

For a binary population this is the familiar
``dx = x (1 - x) [(f_i0 - f_i1) dt + sigma dW]``. It is integrated by
Euler-Maruyama with at most ``dt`` per step (shares clipped at 0 and
renormalised), seeded: the same ``seed`` gives the same paths bit for bit.

Time is measured in the inverse of the payoff unit: rescaling money by ``c``
runs the same paths ``c`` times faster (``t -> t / c``).

References
----------
Taylor, P. D. (1979). Evolutionarily stable strategies with two types of
player. *J. Appl. Probab.* 16(1), 76-83.
Foster, D. and Young, P. (1990). Stochastic evolutionary game dynamics.
*Theor. Popul. Biol.* 38(2), 219-232.
Kloeden, P. E. and Platen, E. (1992). *Numerical Solution of Stochastic
Differential Equations*. Springer (Euler-Maruyama).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._numeric import DUST
from .._result import ResultMixin
from ..errors import InputError

__all__ = ["EvolutionPath", "evolve"]

#: solve_ivp tolerances of the deterministic path (shares are in [0, 1], so absolute
#: and relative tolerances are both unit-free)
IVP_RTOL = 1e-8
IVP_ATOL = 1e-10


@dataclass(frozen=True, repr=False)
class EvolutionPath(ResultMixin):
    """Trajectories of the replicator dynamics.

    Attributes
    ----------
    t : ndarray, shape (T,)
    states : ndarray
        ``(T, sum k_i)`` for one start, ``(m, T, sum k_i)`` for a batch of ``m``
        starts; columns in the order of ``labels`` (``player[action]``).
    labels : tuple of str
    players, actions : tuple
    noise : float
    success : bool
    message : str
    """

    t: np.ndarray
    states: np.ndarray
    labels: tuple
    players: tuple
    actions: tuple
    noise: float = 0.0
    success: bool = True
    message: str = ""

    @property
    def batch(self) -> bool:
        return self.states.ndim == 3

    @property
    def final(self) -> np.ndarray:
        """The last state (or one per start)."""
        return self.states[..., -1, :]

    def share(self, player, action=None) -> np.ndarray:
        """Share of ``action`` (default: the player's first action) over time,
        ``(T,)`` or ``(m, T)``."""
        if isinstance(player, (int, np.integer)):
            i = int(player)
        elif player in self.players:
            i = self.players.index(player)
        else:
            raise InputError(f"unknown population; populations are {list(self.players)}",
                             field="player", value=player)
        acts = self.actions[i]
        a = 0 if action is None else (acts.index(action) if action in acts else -1)
        if a < 0:
            raise InputError(f"unknown action of {self.players[i]}; actions are {list(acts)}",
                             field="action", value=action)
        col = sum(len(x) for x in self.actions[:i]) + a
        return self.states[..., col]

    def _summary(self):
        m = self.states.shape[0] if self.batch else 1
        fin = self.final if not self.batch else self.final.mean(axis=0)
        return [("starts", m), ("times", f"{self.t[0]:g} .. {self.t[-1]:g} ({len(self.t)} points)"),
                ("noise", self.noise), ("final" + (" (mean)" if self.batch else ""),
                                        dict(zip(self.labels, np.round(fin, 4).tolist(),
                                                 strict=True))),
                ("message", self.message)]

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: ``t`` (and ``run`` for a batch), one column per ``player[action]``."""
        if not self.batch:
            df = pd.DataFrame(self.states, columns=list(self.labels))
            df.insert(0, "t", self.t)
            return df
        m, T, K = self.states.shape
        df = pd.DataFrame(self.states.reshape(m * T, K), columns=list(self.labels))
        df.insert(0, "t", np.tile(self.t, m))
        df.insert(0, "run", np.repeat(np.arange(m), T))
        return df


def _times(t) -> np.ndarray:
    try:
        tt = np.asarray(t, dtype=float)
    except (TypeError, ValueError):
        raise InputError("must be an increasing sequence of times", field="t", value=t) from None
    if tt.ndim == 0:
        if not math.isfinite(float(tt)) or float(tt) <= 0:
            raise InputError("a single time must be a finite number > 0 (the horizon)",
                             field="t", value=float(tt))
        tt = np.linspace(0.0, float(tt), 201)
    if tt.ndim != 1 or tt.size < 2 or not np.all(np.isfinite(tt)) or np.any(np.diff(tt) <= 0):
        raise InputError("must be an increasing sequence of at least two finite times",
                         field="t", value=np.asarray(tt).ravel()[:5].tolist())
    return tt


def evolve(eg, x0, t, noise: float = 0.0, seed=0, *, rtol: float = IVP_RTOL, atol: float = IVP_ATOL,
           dt: float | None = None, method: str = "RK45") -> EvolutionPath:
    """Integrate the replicator dynamics of an evolutionary game.

    Parameters
    ----------
    eg : EvolutionaryGame
    x0 : state or batch of states
        Tuple of per-population share vectors, a flat vector of length
        ``sum k_i``, or (every population binary) one share per population
        (the share playing its first action, e.g. ``[0.5, 0.5, 0.5]`` for
        ``x, y, z``); a 2-D array is a batch of starts, one per row.
    t : sequence of float, or a horizon
        Times at which the state is reported (increasing); a single number
        ``T`` means 201 points on ``[0, T]``.
    noise : float >= 0
        White-noise intensity ``sigma`` (payoff units per square-root time);
        0 gives the deterministic dynamics.
    seed : int, SeedSequence or Generator
        Seeds the noise (unused when ``noise == 0``).
    rtol, atol, method
        Passed to ``scipy.integrate.solve_ivp`` (deterministic case).
    dt : float, optional
        Largest Euler-Maruyama step (stochastic case); default a hundredth of
        the smallest reporting interval.

    Returns
    -------
    EvolutionPath

    Examples
    --------
    >>> import cooperation as co
    >>> pd_ = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> path = co.EvolutionaryGame(pd_).evolve([0.9, 0.9], [0, 5, 20])
    >>> path.share(0).round(3).tolist()[0], bool(path.share(0)[-1] < 0.01)
    (0.9, True)
    """
    from scipy.integrate import solve_ivp

    # an EvolutionaryGame, recognised by what it offers (game.py imports this module)
    if not (callable(getattr(eg, "state", None)) and callable(getattr(eg, "velocity", None))):
        raise InputError("must be an EvolutionaryGame", field="eg", value=type(eg).__name__)
    tt = _times(t)
    X0 = eg.state(x0)
    single = X0.ndim == 1
    X = np.atleast_2d(X0)
    if X.ndim != 2:
        raise InputError("a batch of starts is a 2-D array (one start per row)", field="x0",
                         value=f"shape {X0.shape}")
    m, K = X.shape
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not math.isfinite(noise) \
            or noise < 0:
        raise InputError("must be a finite number >= 0", field="noise", value=noise)
    if noise == 0:
        def rhs(_t, y):
            return eg.velocity(y.reshape(m, K)).ravel()

        sol = solve_ivp(rhs, (tt[0], tt[-1]), X.ravel(), t_eval=tt, method=method, rtol=rtol,
                        atol=atol)
        if sol.y.shape[1] != tt.size:
            states = np.full((m, tt.size, K), np.nan)
            states[:, :sol.y.shape[1]] = sol.y.T.reshape(-1, m, K).transpose(1, 0, 2)
        else:
            states = sol.y.T.reshape(tt.size, m, K).transpose(1, 0, 2)
        success, message = bool(sol.success), str(sol.message)
    else:
        try:
            rng = np.random.default_rng(seed)
        except (TypeError, ValueError):
            raise InputError("must be an int, a SeedSequence or a Generator", field="seed",
                             value=seed) from None
        if dt is None:
            dt = float(np.diff(tt).min()) / 100.0
        if isinstance(dt, bool) or not isinstance(dt, (int, float)) or not dt > 0:
            raise InputError("must be a number > 0", field="dt", value=dt)
        states = np.empty((m, tt.size, K))
        states[:, 0] = X
        cur = X.copy()
        scale = float(noise) / math.sqrt(2.0)
        for s in range(1, tt.size):
            span = tt[s] - tt[s - 1]
            steps = max(1, int(math.ceil(span / dt - DUST)))
            h = span / steps
            for _ in range(steps):
                drift = eg.velocity(cur)
                dW = rng.standard_normal((m, K)) * math.sqrt(h)
                parts = []
                for xi, wi in zip(eg.split(cur), eg.split(dW), strict=True):
                    parts.append(xi * (wi - (xi * wi).sum(-1, keepdims=True)))
                cur = cur + drift * h + scale * np.concatenate(parts, axis=-1)
                cur = np.clip(cur, 0.0, 1.0)
                cur = np.concatenate([p / p.sum(-1, keepdims=True) for p in eg.split(cur)],
                                     axis=-1)
            states[:, s] = cur
        success, message = True, f"Euler-Maruyama, step <= {dt:.3g}"
    if single:
        states = states[0]
    return EvolutionPath(tt, states, tuple(eg.labels), eg.players, eg.actions, float(noise),
                         success, message)
