"""Learning dynamics, reported as trajectories: for intuition, not for certification.

* Best-response dynamics (Monderer and Shapley 1996): from a start profile,
  players in turn (a seeded random order each sweep) switch to a best
  response; stops at a pure Nash equilibrium or after ``max_iter`` sweeps
  (cycles are reported, not hidden).
* Fictitious play (Brown 1951): every player best-responds to the empirical
  frequencies of the others' past actions (ties broken by a seeded draw).
* Replicator dynamics (Taylor and Jonker 1978) of a symmetric two-player game
  with payoff matrix ``M``: ``dx_k/dt = x_k ((M x)_k - x.M x)``, integrated
  with a fixed-step RK4.

References
----------
Brown, G. W. (1951). Iterative solution of games by fictitious play.
Monderer, D. and Shapley, L. S. (1996). Potential games. *GEB* 14, 124-143.
Taylor, P. D. and Jonker, L. B. (1978). Evolutionary stable strategies and
game dynamics. *Mathematical Biosciences* 40, 145-156.
Fudenberg, D. and Levine, D. K. (1998). *The Theory of Learning in Games*. MIT Press.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._numeric import ACCEPT_RTOL, gap_tol, player_spans
from .._random import generator
from .._result import ResultMixin
from ..errors import GameError
from ..games.model import as_game
from ..games.normal_form import NormalFormGame

__all__ = ["Trajectory", "best_response_dynamics", "fictitious_play", "replicator_dynamics"]

#: fictitious play "converged": final empirical frequencies with regret below this
#: share of the payoff range (its convergence is slow, O(1/sqrt(t)); Brown 1951)
FP_REGRET_RTOL = 1e-2


@dataclass(frozen=True, repr=False)
class Trajectory(ResultMixin):
    """A learning trajectory.

    Attributes
    ----------
    states : ndarray
        Best-response dynamics: ``(steps + 1, n)`` profiles; fictitious play:
        ``(steps, n)`` played actions; replicator: ``(steps + 1, k)`` shares.
    converged : bool
    kind : str
    labels : list of str
        Column labels of ``states``.
    beliefs : list of ndarray or None
        Fictitious play: the final empirical frequencies of each player.
    note : str
    """

    states: np.ndarray
    converged: bool
    kind: str
    labels: list
    beliefs: list | None = None
    note: str = ""

    @property
    def final(self) -> np.ndarray:
        return self.states[-1]

    def _summary(self):
        return [("kind", self.kind), ("steps", len(self.states) - 1),
                ("converged", self.converged), ("final", np.round(self.final, 6).tolist()),
                ("note", self.note)]

    def to_frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.states, columns=self.labels)
        df.index.name = "step"
        return df


def _rng(seed):
    return generator(seed)


def best_response_dynamics(game, start=None, max_iter: int = 1000, seed=0) -> Trajectory:
    """Sequential best-response dynamics from ``start`` (default: every player's first action).

    A player moves only when it can strictly improve; among several best
    responses it picks one with a seeded draw.

    Examples
    --------
    >>> import cooperation as co
    >>> pd_game = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> co.best_response_dynamics(pd_game).final.tolist()
    [1, 1]
    """
    g = as_game(game)
    spans = player_spans(g.payoffs)
    if max_iter < 1:
        raise GameError("must be >= 1", field="max_iter", value=max_iter)
    rng = _rng(seed)
    a = list(g.check_profile(start)) if start is not None else [0] * g.n_players
    path = [tuple(a)]
    converged = False
    for _ in range(max_iter):
        moved = False
        for i in rng.permutation(g.n_players):
            idx = list(a)
            idx[i] = slice(None)
            vals = g.payoffs[(i,) + tuple(idx)]
            best = vals.max()
            tol = gap_tol(spans[i], best)      # relative to i's payoff range
            if vals[a[i]] < best - tol:
                choices = np.flatnonzero(vals >= best - tol)
                a[i] = int(rng.choice(choices))
                path.append(tuple(a))
                moved = True
        if not moved:
            converged = True
            break
    note = "reached a pure Nash equilibrium" if converged else \
        f"no equilibrium after {max_iter} sweeps (the dynamics may cycle)"
    return Trajectory(np.array(path), converged, "best_response", list(g.players), None, note)


def fictitious_play(game, iterations: int = 1000, seed=0) -> Trajectory:
    """Simultaneous fictitious play for an n-player game.

    Each round every player best-responds to the product of the others'
    empirical action frequencies (ties broken by a seeded draw). In
    two-player zero-sum games the frequencies converge to an equilibrium
    (Robinson 1951).
    """
    g = as_game(game)
    spans = player_spans(g.payoffs)
    if iterations < 1:
        raise GameError("must be >= 1", field="iterations", value=iterations)
    rng = _rng(seed)
    counts = [np.zeros(k) for k in g.shape]
    for i in range(g.n_players):
        counts[i][0] = 1.0
    played = []
    for _ in range(iterations):
        freqs = [c / c.sum() for c in counts]
        dev = g.deviation_payoffs(freqs)
        acts = []
        for i in range(g.n_players):
            best = dev[i].max()
            choices = np.flatnonzero(dev[i] >= best - gap_tol(spans[i], best))
            acts.append(int(rng.choice(choices)))
        for i, k in enumerate(acts):
            counts[i][k] += 1.0
        played.append(acts)
    freqs = [c / c.sum() for c in counts]
    regret = g.regret(freqs)
    conv = bool(regret.max() <= FP_REGRET_RTOL * max(1.0, float(np.ptp(g.payoffs))))
    return Trajectory(np.array(played), conv, "fictitious_play", list(g.players), freqs,
                      f"final empirical frequencies have max regret {regret.max():.3g}")


def replicator_dynamics(game_or_matrix, x0=None, steps: int = 1000, dt: float = 0.01
                        ) -> Trajectory:
    """Single-population replicator dynamics of a symmetric two-player game.

    Parameters
    ----------
    game_or_matrix : NormalFormGame (symmetric, two players) or square matrix ``M``
        ``M[k, l]``: payoff of strategy ``k`` against ``l``.
    x0 : array, optional
        Initial shares (default: uniform).
    steps, dt : int, float
        RK4 steps and step size.
    """
    if isinstance(game_or_matrix, NormalFormGame):
        g = game_or_matrix
        A, B = g.bimatrix()
        if A.shape[0] != A.shape[1] or not np.allclose(A, B.T):
            raise GameError("replicator dynamics needs a symmetric game (B = A^T)",
                            field="game", value=g.name or "game")
        M, labels = A, list(g.actions[0])
    else:
        M = np.asarray(game_or_matrix, float)
        if M.ndim != 2 or M.shape[0] != M.shape[1]:
            raise GameError("must be a square payoff matrix", field="matrix",
                            value=f"shape {M.shape}")
        labels = [f"s{k}" for k in range(M.shape[0])]
    k = M.shape[0]
    x = np.full(k, 1.0 / k) if x0 is None else np.asarray(x0, float)
    if x.shape != (k,) or np.any(x < 0) or not np.isclose(x.sum(), 1.0):
        raise GameError("must be a probability vector over the strategies", field="x0",
                        value=x0)

    def f(z):
        fit = M @ z
        return z * (fit - z @ fit)

    out = [x.copy()]
    for _ in range(steps):
        k1 = f(x)
        k2 = f(x + dt / 2 * k1)
        k3 = f(x + dt / 2 * k2)
        k4 = f(x + dt * k3)
        x = np.clip(x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4), 0.0, None)
        x /= x.sum()
        out.append(x.copy())
    states = np.array(out)
    conv = bool(np.abs(f(x)).max() < ACCEPT_RTOL)
    return Trajectory(states, conv, "replicator", labels, None,
                      "rest point reached" if conv else "still moving at the last step")
