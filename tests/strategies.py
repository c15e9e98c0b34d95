"""Hypothesis strategies shared by the test modules (like Axelrod's tests/property.py).

Import them as ``from strategies import ...``: pytest puts ``tests/`` on the
path (``pythonpath`` in pyproject.toml).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import cooperation as co

__all__ = ["SMALL_INTS", "SCALES", "OFFSETS", "bimatrices", "bimatrix_games", "nplayer_games",
           "quarter_games", "affine"]

SMALL_INTS = st.integers(-5, 5)
TINY_INTS = st.integers(-4, 4)
#: money units from 1e-6 to 1e10, and offsets up to 1e10 (tests/test_unit_invariance.py)
SCALES = [1e-6, 1e-3, 1.0, 7.0, 1e3, 1e6, 1e9, 1e10]
OFFSETS = [0.0, 1.0, -3.0, 1e3, -1e6, 1e8, -1e8, 1e10, -1e10]


@st.composite
def bimatrices(draw, min_size: int = 1, max_size: int = 4, values=SMALL_INTS):
    """``(A, B)``: integer payoff matrices of one shape (few values: often degenerate)."""
    m = draw(st.integers(min_size, max_size))
    n = draw(st.integers(min_size, max_size))
    A = draw(arrays(np.int64, (m, n), elements=values)).astype(float)
    B = draw(arrays(np.int64, (m, n), elements=values)).astype(float)
    return A, B


@st.composite
def bimatrix_games(draw, min_size: int = 1, max_size: int = 4, values=SMALL_INTS):
    A, B = draw(bimatrices(min_size, max_size, values))
    return co.NormalFormGame.from_bimatrix(A, B)


@st.composite
def nplayer_games(draw, min_players: int = 1, max_players: int = 4, min_actions: int = 1,
                  max_actions: int = 3, values=TINY_INTS):
    n = draw(st.integers(min_players, max_players))
    shape = tuple(draw(st.lists(st.integers(min_actions, max_actions), min_size=n,
                                max_size=n)))
    U = draw(arrays(np.int64, (n,) + shape, elements=values)).astype(float)
    return co.NormalFormGame.from_arrays(U)


@st.composite
def quarter_games(draw, max_players: int = 3):
    """Games with 2-3 actions per player and payoffs on a grid of quarters in [-10, 10],
    players named R0, R1, ..."""
    n = draw(st.integers(2, max_players))
    shape = tuple(draw(st.integers(2, 3)) for _ in range(n))
    size = n * int(np.prod(shape))
    vals = draw(st.lists(st.integers(-40, 40), min_size=size, max_size=size))
    U = np.array(vals, dtype=float).reshape((n,) + shape) / 4.0
    return co.NormalFormGame.from_arrays(U, players=[f"R{i}" for i in range(n)])


def offset_ok(a: float, b: float) -> bool:
    """Whether ``a u + b`` still carries the differences of small integer payoffs ``u``
    in double precision (exact for ``a >= 1``; at most 1e6 payoff ranges otherwise)."""
    return a >= 1.0 or abs(b) <= 1e6 * a


@st.composite
def affine(draw):
    """``(a, b)``: a positive scale and an offset that keep the game representable."""
    a = draw(st.sampled_from(SCALES))
    b = draw(st.sampled_from(OFFSETS).filter(lambda b: offset_ok(a, b)))
    return a, b
