"""Shapley and Banzhaf values: exact by vectorised subset sums, sampled for large n.

Shapley value (Shapley 1953)::

    phi_i(v) = sum_{S not containing i} |S|! (n - |S| - 1)! / n! * (v(S + i) - v(S))

rewritten as one weighted sum over all coalitions::

    phi_i = sum_{S containing i} (a(|S|) + b(|S|)) v(S) - sum_S b(|S|) v(S),
    a(s) = 1 / (n C(n-1, s-1)),   b(s) = 1 / (n C(n-1, s))   (b(n) = 0)

so that one ``O(2**n)`` pass weights the values and one ``O(2**n)`` fold
(``_bits.bit_sums``) sums them per player: ``O(2**n)`` work in all, no Python
loop over coalitions.

Banzhaf value (Banzhaf 1965; Owen 1975)::

    beta_i(v) = 2**-(n-1) sum_{S not containing i} (v(S + i) - v(S))
              = 2**-(n-1) (2 sum_{S containing i} v(S) - sum_S v(S))

``normalized=True`` rescales to shares summing to 1 (the Banzhaf index of a
simple game).

References
----------
Shapley, L. S. (1953). A value for n-person games. In *Contributions to the
Theory of Games II*, 307-317. Princeton UP.
Banzhaf, J. F. (1965). Weighted voting doesn't work. *Rutgers Law Review* 19.
Castro, J., Gomez, D. and Tejada, J. (2009). Polynomial calculation of the
Shapley value based on sampling. *Computers & OR* 36, 1726-1730.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._numeric import DUST, ROUNDOFF, clean_zero
from .._random import generator
from .._result import ResultMixin
from ..errors import InputError
from ._bits import bit_sums, popcounts
from .tu_game import TUGame, as_tugame

__all__ = ["shapley", "banzhaf", "shapley_sample", "SampledShapley"]


def _shapley_weights(n: int) -> tuple[np.ndarray, np.ndarray]:
    s = np.arange(n + 1)
    a = np.zeros(n + 1)
    b = np.zeros(n + 1)
    for k in range(1, n + 1):
        a[k] = 1.0 / (n * math.comb(n - 1, k - 1))
    for k in range(0, n):
        b[k] = 1.0 / (n * math.comb(n - 1, k))
    return a[s], b[s]


def shapley(v) -> pd.Series:
    """Exact Shapley value of a TU game.

    ``phi_i = sum_{S not containing i} |S|!(n-|S|-1)!/n! (v(S+i) - v(S))``, computed
    in ``O(2**n)`` numpy work (see the module notes); n = 20 takes a few
    hundredths of a second.

    Parameters
    ----------
    v : TUGame (or a WeightedVotingGame, which uses its own exact DP)

    Returns
    -------
    pandas.Series
        One value per player, indexed by player name; sums to ``v(N)``.

    References
    ----------
    Shapley, L. S. (1953). A value for n-person games.

    Examples
    --------
    >>> import cooperation as co
    >>> glove = co.TUGame.glove(1, 2)          # one left glove, two right gloves
    >>> co.shapley(glove).round(4).tolist()
    [0.6667, 0.1667, 0.1667]
    """
    own = getattr(v, "shapley", None)
    if not isinstance(v, TUGame) and callable(own):
        return own()
    g = as_tugame(v)
    n = g.n_players
    a, b = _shapley_weights(n)
    pop = popcounts(n)
    vals = g.values
    with_i = vals * (a + b)[pop]
    total_b = float(vals @ b[pop])
    phi = bit_sums(with_i, n) - total_b
    phi = clean_zero(phi, g.scale, DUST / 10)   # -0.0 and rounding dust display as 0
    return pd.Series(phi, index=pd.Index(g.players, name="player"), name="shapley")


def banzhaf(v, normalized: bool = True) -> pd.Series:
    """Banzhaf value (raw) or Banzhaf index (``normalized=True``: shares summing to 1).

    ``beta_i = 2**-(n-1) sum_{S not containing i} (v(S+i) - v(S))``.

    Parameters
    ----------
    v : TUGame or WeightedVotingGame
    normalized : bool
        Rescale so that the values sum to 1 (needs a non-zero sum).

    References
    ----------
    Banzhaf (1965); Owen, G. (1975). Multilinear extensions and the Banzhaf value.
    *Naval Research Logistics Quarterly* 22, 741-750.

    Examples
    --------
    >>> import cooperation as co
    >>> maj = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1])
    >>> co.banzhaf(maj, normalized=False).tolist()
    [0.5, 0.5, 0.5]
    """
    own = getattr(v, "banzhaf", None)
    if not isinstance(v, TUGame) and callable(own):
        return own(normalized=normalized)
    g = as_tugame(v)
    n = g.n_players
    vals = g.values
    raw = (2.0 * bit_sums(vals, n) - vals.sum()) / 2.0 ** (n - 1)
    out = raw
    if normalized:
        tot = raw.sum()
        if abs(tot) <= ROUNDOFF * max(1.0, float(np.abs(raw).max())):
            raise InputError("the Banzhaf values sum to 0, so they cannot be normalised",
                             field="normalized", value=True, fix="use normalized=False")
        out = raw / tot
    return pd.Series(out, index=pd.Index(g.players, name="player"), name="banzhaf")


@dataclass(frozen=True, repr=False)
class SampledShapley(ResultMixin):
    """Monte Carlo Shapley estimate.

    Attributes
    ----------
    values : Series
        Estimated Shapley value per player.
    standard_error : Series
        Standard error of each estimate (sample std of the marginal
        contributions / sqrt(permutations)).
    permutations : int
    seed : object
        The seed that was passed.
    """

    values: pd.Series
    standard_error: pd.Series
    permutations: int
    seed: object

    def _summary(self):
        return [("permutations", self.permutations),
                ("max standard error", f"{float(self.standard_error.max()):.3g}"),
                ("sum of estimates", f"{float(self.values.sum()):.6g}")]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"shapley": self.values, "standard_error": self.standard_error})


def shapley_sample(v, permutations: int = 1000, *, seed=0, players: Sequence[str] | None = None,
                   batch: int = 256) -> SampledShapley:
    """Shapley value estimated from random orderings of the players (explicit opt-in).

    Draws ``permutations`` uniform orderings; in each, player ``i``'s marginal
    contribution ``v(P_i + i) - v(P_i)`` (``P_i``: players before ``i``) is an
    unbiased draw of ``phi_i`` (Castro, Gomez and Tejada 2009). Each estimate
    comes with its standard error.

    Parameters
    ----------
    v : TUGame or callable
        A callable takes a boolean membership matrix ``(m, n)`` and returns the
        ``m`` coalition values (vectorised), so games far too large for a full
        table (hundreds of players) can be sampled. ``v(empty)`` must be 0.
    permutations : int >= 2
    seed : int, SeedSequence or Generator
        Reproducible bit for bit; ``seed=0`` is a seed.
    players : sequence of str
        Required with a callable (defines ``n``).
    batch : int
        Orderings evaluated per call of the callable.

    Examples
    --------
    >>> import cooperation as co
    >>> res = co.shapley_sample(co.TUGame.glove(1, 2), permutations=2000, seed=0)
    >>> bool(abs(res.values.iloc[0] - 2 / 3) < 4 * res.standard_error.iloc[0])
    True
    """
    if int(permutations) != permutations or permutations < 2:
        raise InputError("needs an integer >= 2", field="permutations", value=permutations)
    permutations = int(permutations)
    if isinstance(v, TUGame) or hasattr(v, "to_tugame"):
        g = as_tugame(v)
        labels = g.players
        table = g.values
        weights = (1 << np.arange(g.n_players, dtype=np.int64))

        def func(M):
            return table[M.astype(np.int64) @ weights]
    elif callable(v):
        if players is None:
            raise InputError("a callable game needs players=[...]", field="players", value=None)
        labels = tuple(str(p) for p in players)
        if len(set(labels)) != len(labels):
            raise InputError("player names must be unique", field="players", value=list(labels))
        func = v
    else:
        raise InputError("must be a TUGame or a callable on membership matrices", field="v",
                         value=type(v).__name__)
    n = len(labels)
    rng = generator(seed)
    total = np.zeros(n)
    total_sq = np.zeros(n)
    done = 0
    ks = np.arange(n + 1)[None, :, None]
    while done < permutations:
        m = min(batch, permutations - done)
        perms = rng.permuted(np.tile(np.arange(n), (m, 1)), axis=1)
        inv = np.argsort(perms, axis=1)  # inv[b, i]: position of player i in ordering b
        member = inv[:, None, :] < ks    # (m, n+1, n): the first k players of each ordering
        vals = np.asarray(func(member.reshape(-1, n)), dtype=float).reshape(m, n + 1)
        if not np.all(np.isfinite(vals)):
            raise InputError("the game returned a non-finite value", field="v", value="nan/inf")
        marg_in_order = np.diff(vals, axis=1)  # (m, n): contribution of the k-th in order
        contrib = np.take_along_axis(marg_in_order, inv, axis=1)  # per player
        total += contrib.sum(axis=0)
        total_sq += (contrib ** 2).sum(axis=0)
        done += m
    mean = total / permutations
    var = np.maximum(total_sq / permutations - mean ** 2, 0.0) * permutations / (permutations - 1)
    idx = pd.Index(labels, name="player")
    return SampledShapley(pd.Series(mean, index=idx, name="shapley"),
                          pd.Series(np.sqrt(var / permutations), index=idx,
                                    name="standard_error"),
                          permutations, seed)

