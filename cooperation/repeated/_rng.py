"""Counter-based random streams: the same numbers whatever the chunking.

Every random number of a simulation has an address: the round ``t``, a stream
``s`` (execution noise, audits, observations, strategy draws, ...), the run
``r`` and a column ``j`` (the player, or a player pair). The number at that
address is the ``(r * width + j)``-th 32-bit word of a Philox4x64-10 stream
whose key comes from the seed and whose counter is ``[position, t, s, 0]``
(Salmon et al. 2011). Because a counter-based generator can start anywhere
without drawing what comes before, a chunk of runs ``[r0, r1)`` reads exactly
its own addresses: results do not depend on how the runs are split into
chunks, the first ``k`` runs of a simulation of ``m > k`` runs equal a
simulation of ``k`` runs, and the first rounds do not depend on the horizon
(prefix properties). :func:`philox4x64` evaluates the same generator for
arbitrary counters at once, so that one run's numbers over many rounds (a
long match) are read in one vectorised call; it agrees with numpy's
``Philox`` bit for bit.

References
----------
Salmon, J. K., Moraes, M. A., Dror, R. O. and Shaw, D. E. (2011). Parallel
random numbers: as easy as 1, 2, 3. *Proc. SC11*, article 16.
"""

from __future__ import annotations

import numpy as np

from .._random import generator as _generator
from .._random import seed_sequence

__all__ = ["Streams", "as_key", "generator", "bernoulli_threshold", "philox4x64"]

TWO32 = 2.0 ** 32
INV32 = 1.0 / TWO32

# stream ids (the s of an address); never renumber: results depend on them
S_STRATEGY = 1   # one uniform per player slot per round for stochastic strategies
S_NOISE = 2      # execution noise
S_AUDIT = 3      # vertical monitoring (audit and detection share one uniform)
S_OBSERVE = 4    # observation errors of peers (player pairs)
S_LENGTH = 5     # run lengths under a continuation probability (t = 0)
S_PEER = 6       # large-n peer reports
ONCE = 1 << 62   # the "round" of streams drawn once per run

_M0, _M1 = np.uint64(0xD2E7470EE14C6C93), np.uint64(0xCA5A826395121157)
_W0, _W1 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBB67AE8584CAA73B)
_LO, _S32 = np.uint64(0xFFFFFFFF), np.uint64(32)


def _mulhilo(a: np.uint64, b: np.ndarray):
    """High and low 64 bits of the 128-bit product ``a * b`` (uint64 arithmetic)."""
    a_lo, a_hi = a & _LO, a >> _S32
    b_lo, b_hi = b & _LO, b >> _S32
    ll, lh, hl, hh = a_lo * b_lo, a_lo * b_hi, a_hi * b_lo, a_hi * b_hi
    mid = (ll >> _S32) + (lh & _LO) + (hl & _LO)
    return hh + (lh >> _S32) + (hl >> _S32) + (mid >> _S32), a * b


def philox4x64(c0, c1, c2, c3, key) -> tuple:
    """Philox4x64-10 of counters ``(c0, c1, c2, c3)`` (uint64 arrays) under ``key``:
    the four 64-bit outputs (Salmon et al. 2011, the generator behind numpy's ``Philox``)."""
    k0, k1 = np.uint64(key[0]), np.uint64(key[1])
    with np.errstate(over="ignore"):
        for rnd in range(10):
            if rnd:
                k0, k1 = k0 + _W0, k1 + _W1
            hi0, lo0 = _mulhilo(_M0, c0)
            hi1, lo1 = _mulhilo(_M1, c2)
            c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
    return c0, c1, c2, c3


def as_key(seed) -> np.ndarray:
    """Two 64-bit words of Philox key from an int, a SeedSequence or a Generator.

    ``None`` draws fresh entropy from the operating system (not reproducible).
    A Generator is advanced by one draw of two words.
    """
    if isinstance(seed, np.random.Generator):
        return seed.integers(0, np.iinfo(np.uint64).max, size=2, dtype=np.uint64,
                             endpoint=True)
    ss = seed_sequence(seed, none_ok=True)
    return ss.generate_state(2, np.uint64)


def generator(seed) -> np.random.Generator:
    """A numpy Generator from an int, a SeedSequence or a Generator (returned as is);
    ``None``: fresh entropy."""
    if seed is None:
        return np.random.default_rng()
    return _generator(seed)


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
        self._bg = np.random.Philox(key=self.key)
        self._zero4 = np.zeros(4, dtype=np.uint64)

    def _draw(self, c1: int, s: int, offset: int, count: int) -> np.ndarray:
        """``count`` words of stream ``(c1, s)`` from word ``offset`` on."""
        off64, half = divmod(offset, 2)
        block, skip = divmod(off64, 4)           # Philox makes 4 words of 64 bits per counter
        # re-aim one generator (setting the state is ~10x cheaper than a new Philox);
        # buffer_pos = 4 discards any buffered words, as a fresh generator would
        self._bg.state = {"bit_generator": "Philox",
                          "state": {"counter": np.array([block, c1, s, 0], dtype=np.uint64),
                                    "key": self.key},
                          "buffer": self._zero4, "buffer_pos": 4,
                          "has_uint32": 0, "uinteger": 0}
        n64 = skip + (half + count + 1) // 2
        raw = self._bg.random_raw(n64)[skip:].view(np.uint32)
        return raw[half:half + count]

    def words(self, t: int, s: int, r0: int, r1: int, width: int) -> np.ndarray:
        """uint32 array ``(r1 - r0, width)``: the words of runs ``r0..r1-1`` at round ``t``."""
        m = r1 - r0
        if m <= 0:
            return np.empty((0, width), dtype=np.uint32)
        return self._draw(t, s, r0 * width, m * width).reshape(m, width)

    def once(self, s: int, r0: int, r1: int, width: int) -> np.ndarray:
        """uint32 ``(r1 - r0, width)`` from a stream drawn once per run (not per round)."""
        m = r1 - r0
        if m <= 0:
            return np.empty((0, width), dtype=np.uint32)
        return self._draw(ONCE, s, r0 * width, m * width).reshape(m, width)

    def words_over_rounds(self, rounds, s: int, r: int, width: int) -> np.ndarray:
        """uint32 ``(len(rounds), width)``: the words of run ``r`` at many rounds at once,
        equal to ``words(t, s, r, r + 1, width)[0]`` for each ``t`` (vectorised Philox)."""
        t = np.asarray(rounds, dtype=np.uint64)
        p = r * width + np.arange(width)                  # 32-bit word index in the stream
        i64, half = np.divmod(p, 2)
        ctr, lane = np.divmod(i64, 4)
        uctr = np.unique(ctr)
        out64 = np.empty((t.size, uctr.size, 4), dtype=np.uint64)
        for c_i, c in enumerate(uctr):                   # at most 2 counters per 8 words
            c0 = np.full(t.size, c + 1, dtype=np.uint64)  # numpy increments before use
            blk = philox4x64(c0, t, np.full(t.size, s, np.uint64), np.zeros(t.size, np.uint64),
                             self.key)
            out64[:, c_i, :] = np.stack(blk, axis=1)
        pos = np.searchsorted(uctr, ctr)
        w64 = out64[:, pos, lane]                        # (T, width) 64-bit words
        return np.where(half == 1, w64 >> np.uint64(32), w64 & np.uint64(0xFFFFFFFF)
                        ).astype(np.uint32)

    def uniform(self, t: int, s: int, r0: int, r1: int, width: int) -> np.ndarray:
        """float64 uniforms in [0, 1) on a grid of 2**-32, shape ``(r1 - r0, width)``."""
        return self.words(t, s, r0, r1, width) * INV32
