"""Counter-based random streams: the same numbers whatever the chunking.

Every random number of a simulation has an address: the round ``t``, a stream
``s`` (execution noise, audits, observations, strategy draws, ...), the run
``r`` and a column ``j`` (the player, or a player pair). The number at that
address is the ``(r * width + j)``-th 32-bit word of a Philox4x64 stream whose
key comes from the seed and whose counter is ``[position, t, s, 0]``
(Salmon et al. 2011). Because a counter-based generator can start anywhere
without drawing what comes before, a chunk of runs ``[r0, r1)`` reads exactly
its own addresses: results do not depend on how the runs are split into
chunks, and the first ``k`` runs of a simulation of ``m > k`` runs equal a
simulation of ``k`` runs (the prefix property).

References
----------
Salmon, J. K., Moraes, M. A., Dror, R. O. and Shaw, D. E. (2011). Parallel
random numbers: as easy as 1, 2, 3. *Proc. SC11*, article 16.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError

__all__ = ["Streams", "as_key", "generator", "bernoulli_threshold"]

TWO32 = 2.0 ** 32
INV32 = 1.0 / TWO32

# stream ids (the s of an address); never renumber: results depend on them
S_STRATEGY = 1   # one uniform per player slot per round for stochastic strategies
S_NOISE = 2      # execution noise
S_AUDIT = 3      # vertical monitoring (audit and detection share one uniform)
S_OBSERVE = 4    # observation errors of peers (player pairs)
S_LENGTH = 5     # run lengths under a continuation probability (t = 0)
S_PEER = 6       # large-n peer reports


def as_key(seed) -> np.ndarray:
    """Two 64-bit words of Philox key from an int, a SeedSequence or a Generator.

    ``None`` draws fresh entropy from the operating system (not reproducible).
    A Generator is advanced by one draw of two words.
    """
    if isinstance(seed, np.random.Generator):
        return seed.integers(0, np.iinfo(np.uint64).max, size=2, dtype=np.uint64,
                             endpoint=True)
    if isinstance(seed, np.random.SeedSequence):
        ss = seed
    elif seed is None:
        ss = np.random.SeedSequence()
    elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        if int(seed) < 0:
            raise InputError("a seed must be a non-negative integer, a SeedSequence or a "
                             "numpy Generator", field="seed", value=seed)
        ss = np.random.SeedSequence(int(seed))
    else:
        raise InputError("a seed must be a non-negative integer, a SeedSequence or a numpy "
                         "Generator", field="seed", value=seed)
    return ss.generate_state(2, np.uint64)


def generator(seed) -> np.random.Generator:
    """A numpy Generator from an int, a SeedSequence or a Generator (returned as is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and not isinstance(seed, np.random.SeedSequence):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or int(seed) < 0:
            raise InputError("a seed must be a non-negative integer, a SeedSequence or a "
                             "numpy Generator", field="seed", value=seed)
    return np.random.default_rng(seed)


def bernoulli_threshold(p: float) -> int:
    """The 32-bit threshold ``thr`` with ``P(word < thr) = p`` up to 2**-33.

    Returns ``2**32`` for ``p >= 1`` (always true) and ``0`` for ``p <= 0``.
    """
    if p <= 0.0:
        return 0
    if p >= 1.0:
        return 1 << 32
    return min(int(round(p * TWO32)), (1 << 32) - 1)


class Streams:
    """Addressable random words for one seed (see the module docstring)."""

    def __init__(self, seed):
        self.key = as_key(seed)

    def words(self, t: int, s: int, r0: int, r1: int, width: int) -> np.ndarray:
        """uint32 array ``(r1 - r0, width)``: the words of runs ``r0..r1-1`` at round ``t``."""
        count = (r1 - r0) * width
        if count <= 0:
            return np.empty((max(r1 - r0, 0), width), dtype=np.uint32)
        offset = r0 * width                      # in 32-bit words
        off64, half = divmod(offset, 2)
        block, skip = divmod(off64, 4)           # Philox makes 4 words of 64 bits per counter
        bg = np.random.Philox(key=self.key, counter=[block, t, s, 0])
        n64 = skip + (half + count + 1) // 2
        raw = bg.random_raw(n64)[skip:].view(np.uint32)
        return raw[half:half + count].reshape(r1 - r0, width)

    def uniform(self, t: int, s: int, r0: int, r1: int, width: int) -> np.ndarray:
        """float64 uniforms in [0, 1) on a grid of 2**-32, shape ``(r1 - r0, width)``."""
        return self.words(t, s, r0, r1, width) * INV32

    def bernoulli(self, p: float, t: int, s: int, r0: int, r1: int, width: int) -> np.ndarray:
        """Boolean events of probability ``p`` (resolved to 2**-32), shape ``(r1 - r0, width)``."""
        thr = bernoulli_threshold(p)
        if thr == 0:
            return np.zeros((r1 - r0, width), dtype=bool)
        if thr >= 1 << 32:
            return np.ones((r1 - r0, width), dtype=bool)
        return self.words(t, s, r0, r1, width) < np.uint32(thr)
