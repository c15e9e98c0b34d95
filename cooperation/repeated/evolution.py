"""Evolution: which strategies spread in a population of jurisdictions.

The input is a strategy payoff matrix ``M[s, r]``: the payoff (per round) of
strategy ``s`` against ``r``, e.g. ``tournament(...).scores``.

* **Replicator dynamics** (infinite population): ``dx_s/dt = x_s ((M x)_s - x.M x)``
  (Taylor and Jonker 1978); integrated by :func:`cooperation.replicator_dynamics`.
* **Moran process** (finite population of ``N``): each step one individual
  reproduces with probability proportional to its fitness
  ``f = 1 - w + w pi`` (``pi``: its mean payoff against the *other* ``N - 1``
  individuals, ``w``: intensity of selection) and its offspring replaces one
  individual chosen uniformly (Moran 1958; Nowak et al. 2004). The fixation
  probability of a single mutant ``A`` among residents ``B`` is::

      rho_AB = 1 / (1 + sum_{j=1}^{N-1} prod_{k=1}^{j} g_k / f_k)

  with ``f_k = 1 - w + w (a (k-1) + b (N-k)) / (N-1)`` and
  ``g_k = 1 - w + w (c k + d (N-k-1)) / (N-1)``, ``a = M[A,A], b = M[A,B],
  c = M[B,A], d = M[B,B]``. Neutral drift gives ``1/N``.
* With rare mutations the population moves between monomorphic states; the
  long-run share of each strategy is the stationary distribution of the
  embedded chain with transitions ``rho_rs / (K - 1)`` (Fudenberg and Imhof 2006).

References
----------
Taylor, P. D. and Jonker, L. B. (1978). Evolutionary stable strategies and
game dynamics. *Mathematical Biosciences* 40, 145-156.
Moran, P. A. P. (1958). Random processes in genetics. *Proc. Cambridge
Philosophical Society* 54, 60-71.
Nowak, M. A., Sasaki, A., Taylor, C. and Fudenberg, D. (2004). Emergence of
cooperation and evolutionary stability in finite populations. *Nature* 428, 646-650.
Fudenberg, D. and Imhof, L. A. (2006). Imitation processes with small
mutations. *Journal of Economic Theory* 131, 251-262.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .._result import ResultMixin
from ..errors import InputError
from ._rng import generator

__all__ = ["replicator", "moran_fixation", "moran_stationary", "moran", "MoranResult",
           "payoff_matrix"]


def payoff_matrix(source) -> tuple[np.ndarray, list[str]]:
    """``(M, labels)`` from a TournamentResult, a square DataFrame or an array."""
    if hasattr(source, "scores") and isinstance(source.scores, pd.DataFrame):
        source = source.scores
    if isinstance(source, pd.DataFrame):
        M = source.to_numpy(dtype=float)
        labels = [str(x) for x in source.index]
    else:
        M = np.asarray(source, dtype=float)
        labels = [f"s{k}" for k in range(M.shape[0])] if M.ndim == 2 else []
    if M.ndim != 2 or M.shape[0] != M.shape[1] or M.shape[0] < 2:
        raise InputError("must be a square strategy payoff matrix with at least 2 strategies",
                         field="payoff matrix", value=f"shape {M.shape}")
    if not np.all(np.isfinite(M)):
        raise InputError("payoffs must be finite", field="payoff matrix", value="NaN or inf")
    return M, labels


def replicator(source, x0=None, steps: int = 1000, dt: float = 0.01):
    """Replicator dynamics over a strategy payoff matrix (labels kept).

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> res = rp.tournament([rp.TitForTat(), rp.AlwaysDefect(), rp.AlwaysCooperate()],
    ...                     turns=50, repetitions=1)
    >>> traj = rp.replicator(res, x0=[0.4, 0.2, 0.4], steps=2000, dt=0.05)
    >>> traj.labels[int(traj.final.argmax())]
    'Tit For Tat'
    """
    from ..equilibria import replicator_dynamics

    M, labels = payoff_matrix(source)
    traj = replicator_dynamics(M, x0=x0, steps=steps, dt=dt)
    return replace(traj, labels=labels)


def _check_w(M, population, intensity):
    if isinstance(population, bool) or not isinstance(population, (int, np.integer)) \
            or population < 2:
        raise InputError("must be an integer >= 2", field="population", value=population)
    w = float(intensity)
    if not 0.0 <= w <= 1.0:
        raise InputError("must lie in [0, 1]", field="intensity", value=intensity)
    low = 1 - w + w * float(M.min())
    if low <= 0:
        raise InputError("fitness 1 - w + w * payoff must stay positive; the smallest payoff "
                         f"{M.min():g} gives {low:g}", field="intensity", value=intensity,
                         fix="lower the intensity of selection or shift the payoffs up")
    return int(population), w


def _rho(a, b, c, d, N, w):
    k = np.arange(1, N)
    f = 1 - w + w * (a * (k - 1) + b * (N - k)) / (N - 1)
    g = 1 - w + w * (c * k + d * (N - k - 1)) / (N - 1)
    logs = np.cumsum(np.log(g) - np.log(f))
    top = max(0.0, float(logs.max()))
    return float(np.exp(-top) / (np.exp(-top) + np.exp(logs - top).sum()))


def moran_fixation(source, population: int = 10, intensity: float = 1.0) -> pd.DataFrame:
    """Fixation probability of one mutant (row) in a population of residents (column).

    Examples
    --------
    Under neutral drift every mutant fixes with probability ``1/N``:

    >>> from cooperation import repeated as rp
    >>> rp.moran_fixation([[1, 1], [1, 1]], population=8).round(4).values.tolist()
    [[nan, 0.125], [0.125, nan]]
    """
    M, labels = payoff_matrix(source)
    N, w = _check_w(M, population, intensity)
    K = M.shape[0]
    rho = np.full((K, K), np.nan)
    for i in range(K):                 # K strategies: a small matrix, not runs or players
        for j in range(K):
            if i != j:
                rho[i, j] = _rho(M[i, i], M[i, j], M[j, i], M[j, j], N, w)
    return pd.DataFrame(rho, index=pd.Index(labels, name="mutant"),
                        columns=pd.Index(labels, name="resident"))


def moran_stationary(source, population: int = 10, intensity: float = 1.0) -> pd.Series:
    """Long-run share of each strategy under rare mutations (Fudenberg and Imhof 2006).

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> M = [[3, 0], [5, 1]]          # the Prisoner's Dilemma: C, D
    >>> rp.moran_stationary(M, population=10, intensity=0.5).round(4).tolist()
    [0.0034, 0.9966]
    """
    M, labels = payoff_matrix(source)
    rho = moran_fixation(M, population, intensity).to_numpy()
    K = M.shape[0]
    P = np.nan_to_num(rho.T) / (K - 1)      # P[r, s]: from resident r to s
    np.fill_diagonal(P, 0.0)
    P[np.arange(K), np.arange(K)] = 1.0 - P.sum(axis=1)
    A = np.vstack([P.T - np.eye(K), np.ones(K)])
    b = np.zeros(K + 1)
    b[-1] = 1.0
    pi = np.linalg.lstsq(A, b, rcond=None)[0]
    pi = np.clip(pi, 0.0, None)
    return pd.Series(pi / pi.sum(), index=pd.Index(labels, name="strategy"), name="share")


@dataclass(frozen=True, repr=False)
class MoranResult(ResultMixin):
    """Simulated Moran processes.

    Attributes
    ----------
    labels : list of str
    fixated : ndarray (runs,)
        Index of the strategy that took over, -1 if none within ``max_steps``.
    steps : ndarray (runs,)
        Steps until fixation.
    shares : ndarray (steps_recorded, K)
        Mean share of each strategy over runs, per step.
    """

    labels: list
    fixated: np.ndarray
    steps: np.ndarray
    shares: np.ndarray
    population: int
    intensity: float

    @property
    def fixation_probability(self) -> pd.Series:
        K = len(self.labels)
        counts = np.bincount(self.fixated[self.fixated >= 0], minlength=K)
        return pd.Series(counts / self.fixated.size, index=self.labels, name="fixation")

    def _summary(self):
        return [("population", self.population), ("intensity", self.intensity),
                ("runs", self.fixated.size),
                ("fixation", self.fixation_probability.round(4).to_dict()),
                ("unfinished", int(np.sum(self.fixated < 0)))]

    def to_frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.shares, columns=self.labels)
        df.index.name = "step"
        return df


def moran(source, initial, population: int | None = None, runs: int = 1000,
          intensity: float = 1.0, seed=0, max_steps: int | None = None) -> MoranResult:
    """Simulate the frequency-dependent Moran process, all runs at once.

    Parameters
    ----------
    source : strategy payoff matrix (see :func:`payoff_matrix`)
    initial : sequence of int
        Initial count of each strategy (sums to the population size).
    runs : int
    intensity : float in [0, 1]
        ``w`` in ``f = 1 - w + w pi``.
    seed : int, SeedSequence or Generator
    max_steps : int, optional
        Default ``50 N**2``.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> res = rp.moran([[1, 1], [1, 1]], initial=[1, 7], runs=4000, seed=0)
    >>> round(float(res.fixation_probability.iloc[0]), 2)
    0.13
    """
    M, labels = payoff_matrix(source)
    K = M.shape[0]
    init = np.asarray(initial)
    if init.shape != (K,) or not np.issubdtype(init.dtype, np.integer) or init.min() < 0:
        raise InputError(f"needs one non-negative integer count per strategy ({K})",
                         field="initial", value=initial)
    N = int(init.sum()) if population is None else population
    if init.sum() != N:
        raise InputError(f"counts must sum to the population ({N})", field="initial",
                         value=init.tolist())
    N, w = _check_w(M, N, intensity)
    if isinstance(runs, bool) or not isinstance(runs, (int, np.integer)) or runs < 1:
        raise InputError("must be an integer >= 1", field="runs", value=runs)
    rng = generator(seed)
    max_steps = 50 * N * N if max_steps is None else int(max_steps)
    counts = np.tile(init.astype(np.int64), (runs, 1))
    fixated = np.full(runs, -1)
    steps = np.zeros(runs, dtype=np.int64)
    diag = np.diag(M)
    shares = [counts.mean(0) / N]
    done = counts.max(axis=1) == N
    fixated[done] = counts[done].argmax(axis=1)
    ar = np.arange(runs)
    for _ in range(max_steps):
        if done.all():
            break
        pi = (counts @ M.T - diag) / (N - 1)
        fit = (1 - w + w * pi) * counts
        u = rng.random((runs, 2))
        birth = (np.cumsum(fit, axis=1) < u[:, :1] * fit.sum(1, keepdims=True)).sum(1)
        death = (np.cumsum(counts, axis=1) < u[:, 1:] * N).sum(1)
        birth = np.minimum(birth, K - 1)
        death = np.minimum(death, K - 1)
        live = ~done
        np.add.at(counts, (ar[live], birth[live]), 1)
        np.add.at(counts, (ar[live], death[live]), -1)
        steps[live] += 1
        now = live & (counts.max(axis=1) == N)
        fixated[now] = counts[now].argmax(axis=1)
        done |= now
        shares.append(counts.mean(0) / N)
    return MoranResult(labels, fixated, steps, np.array(shares), N, w)
