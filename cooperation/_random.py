"""The one seed normaliser (in the spirit of QuantEcon's ``check_random_state``).

Every random thing in the package takes ``seed``: an ``int >= 0`` (``0`` is a
seed), a ``numpy.random.SeedSequence`` or a ``numpy.random.Generator``.

* :func:`seed_sequence` gives a ``SeedSequence``: an int seeds it; a
  ``SeedSequence`` is copied without its spawn counter, so passing the same
  object twice gives the same children; a ``Generator`` contributes 128 bits
  drawn from it (it advances); ``None`` draws fresh OS entropy only where the
  caller allows it (and records it).
* :func:`generator` gives a ``Generator``: a ``Generator`` as it is, anything
  else through :func:`seed_sequence` (``generator(7)`` is
  ``numpy.random.default_rng(7)``).

Never the global ``numpy.random`` state.
"""

from __future__ import annotations

import numpy as np

from .errors import InputError

__all__ = ["seed_sequence", "generator"]

_RULE = "a seed must be an int >= 0, a numpy SeedSequence or a numpy Generator"


def seed_sequence(seed, field: str = "seed", *, none_ok: bool = False) -> np.random.SeedSequence:
    """``seed`` as a ``SeedSequence`` (see the module notes)."""
    if isinstance(seed, np.random.SeedSequence):
        return np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key,
                                      pool_size=seed.pool_size)
    if isinstance(seed, np.random.Generator):
        words = seed.integers(0, 2**32, size=4, dtype=np.uint64)
        return np.random.SeedSequence([int(w) for w in words])
    if seed is None and none_ok:
        return np.random.SeedSequence()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)) \
            and int(seed) >= 0:
        return np.random.SeedSequence(int(seed))
    raise InputError(_RULE + (" (or None for fresh entropy)" if none_ok else ""),
                     field=field, value=seed, show_value=True)


def generator(seed, field: str = "seed") -> np.random.Generator:
    """``seed`` as a ``Generator`` (a Generator is returned as it is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed_sequence(seed, field))
