"""Bitmask helpers shared by the coalition modules (internal).

A coalition ``S`` of players ``0..n-1`` is the integer ``sum_{i in S} 2**i``;
a characteristic function is a float array of length ``2**n`` indexed by it.
Everything here is ``O(2**n)`` numpy work with no Python loop over coalitions.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["popcounts", "subset_sums", "bit_sums", "member_matrix", "masks_of_size"]


@lru_cache(maxsize=32)
def popcounts(n: int) -> np.ndarray:
    """``out[S] = |S|`` for every coalition of ``n`` players (read-only, cached)."""
    out = np.zeros(1 << n, dtype=np.uint8)
    for k in range(n):
        out[1 << k: 2 << k] = out[: 1 << k] + 1
    out.setflags(write=False)
    return out


def subset_sums(x: np.ndarray) -> np.ndarray:
    """``out[S] = sum_{i in S} x[i]`` for every coalition (doubling, ``2**n`` adds).

    ``x`` may be ``(n,)`` or ``(n, d)``; the result is ``(2**n,)`` or ``(2**n, d)``.
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    out = np.empty((1 << n,) + x.shape[1:])
    out[0] = 0.0
    for k in range(n):
        np.add(out[: 1 << k], x[k], out=out[1 << k: 2 << k])
    return out


def bit_sums(arr: np.ndarray, n: int) -> np.ndarray:
    """``T[i] = sum_{S containing i} arr[S]`` for every player, in ``O(2**n)``.

    Folds the array over its highest bit: after folding bits ``n-1..i+1``
    the upper half of what is left holds exactly the coalitions containing ``i``.
    """
    a = np.asarray(arr, dtype=float)
    out = np.zeros(n)
    for i in range(n - 1, -1, -1):
        half = 1 << i
        out[i] = a[half: 2 * half].sum()
        a = a[:half] + a[half: 2 * half]
    return out


def member_matrix(masks, n: int) -> np.ndarray:
    """Boolean ``(m, n)``: ``out[k, i]`` is True when player ``i`` is in ``masks[k]``."""
    m = np.asarray(masks, dtype=np.int64).reshape(-1)
    return ((m[:, None] >> np.arange(n, dtype=np.int64)[None, :]) & 1).astype(bool)


def masks_of_size(n: int, s: int) -> np.ndarray:
    """All coalitions of exactly ``s`` players, increasing."""
    return np.flatnonzero(popcounts(n) == s).astype(np.int64)
