"""Core membership, least core, most violated coalition."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import cooperation as co
from cooperation.errors import InputError

MAJORITY = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1], players=["A", "B", "C"])


def test_majority_game_has_empty_core_and_epsilon_one_third():
    """Three-player majority game (von Neumann and Morgenstern 1944): every pair can take
    everything, so the core is empty; the least core is the single point (1/3, 1/3, 1/3)
    with epsilon = 1/3 (Maschler, Peleg and Shapley 1979)."""
    lc = co.least_core(MAJORITY)
    assert lc.epsilon == pytest.approx(1 / 3, abs=1e-12)
    assert not lc.core_nonempty and lc.success
    np.testing.assert_allclose(lc.allocation.to_numpy(), [1 / 3] * 3, atol=1e-12)
    assert not co.in_core(MAJORITY, [1 / 3] * 3)


def test_glove_game_core_is_one_point():
    """Glove market with one left and two right gloves (Shapley 1959): the core is
    {(1, 0, 0)}: the scarce side takes everything."""
    g = co.TUGame.glove(1, 2)
    assert co.in_core(g, [1, 0, 0])
    assert not co.in_core(g, [0.9, 0.05, 0.05])
    assert not co.in_core(g, [1, 0, 0.1])  # not efficient
    lc = co.least_core(g)
    assert lc.epsilon == pytest.approx(0.0, abs=1e-12) and lc.core_nonempty
    np.testing.assert_allclose(lc.allocation.to_numpy(), [1, 0, 0], atol=1e-12)


def test_in_core_accepts_series_by_label():
    g = co.TUGame.glove(1, 2)
    x = co.shapley(g).copy()
    x[:] = [1, 0, 0]
    assert co.in_core(g, x.iloc[::-1])  # aligned by label, not by position
    with pytest.raises(InputError, match="labels"):
        co.in_core(g, x.rename({"L0": "Q"}))
    with pytest.raises(InputError, match="one number per player"):
        co.in_core(g, [1, 0])


def test_most_violated_coalition():
    res = co.most_violated_coalition(MAJORITY, [0.5, 0.5, 0.0], k=3)
    assert res.members[:2] == [("A", "C"), ("B", "C")]  # ties: smaller bitmask first
    np.testing.assert_allclose(res.excess[:2], [0.5, 0.5])
    assert res.violated and res.max_excess == pytest.approx(0.5)
    assert res.efficiency_gap == pytest.approx(0.0)
    assert list(res.to_frame().columns) == ["coalition", "excess"]
    full = co.excesses(MAJORITY, [0.5, 0.5, 0.0])
    assert full[0b101] == pytest.approx(0.5) and full[0b011] == pytest.approx(0.0)
    with pytest.raises(InputError):
        co.most_violated_coalition(MAJORITY, [1, 0, 0], k=0)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 7).flatmap(lambda n: st.tuples(
    st.lists(st.integers(-5, 20), min_size=(1 << n) - 1, max_size=(1 << n) - 1),
    st.lists(st.integers(-5, 10), min_size=n, max_size=n))), st.integers(1, 5))
def test_most_violated_matches_bruteforce(data, k):
    vals, x = data
    v = np.array([0] + vals, float)
    n = len(x)
    ex = [(v[S] - sum(x[i] for i in range(n) if S >> i & 1), S) for S in range(1, (1 << n) - 1)]
    ex.sort(key=lambda p: (-p[0], p[1]))
    res = co.most_violated_coalition(co.TUGame(v), x, k=k)
    assert [int(m) for m in res.masks] == [S for _, S in ex[:k]]
    np.testing.assert_allclose(res.excess, [e for e, _ in ex[:k]])


def _least_core_scipy(v):
    """Independent least core: one LP over every proper coalition (scipy linprog)."""
    n = len(v).bit_length() - 1
    N = (1 << n) - 1
    A = np.array([[(S >> i) & 1 for i in range(n)] for S in range(1, N)], float)
    res = linprog(np.r_[np.zeros(n), 1.0], A_ub=np.c_[-A, -np.ones(len(A))], b_ub=-v[1:N],
                  A_eq=np.r_[np.ones(n), 0.0][None, :], b_eq=[v[N]],
                  bounds=[(None, None)] * (n + 1), method="highs")
    return res.fun


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 7).flatmap(lambda n: st.lists(st.integers(-5, 30), min_size=(1 << n) - 1,
                                                      max_size=(1 << n) - 1)))
def test_least_core_epsilon_and_core_membership(vals):
    """epsilon <= 0 iff in_core accepts some allocation (Bondareva-Shapley)."""
    v = np.array([0] + vals, float)
    g = co.TUGame(v)
    lc = co.least_core(g)
    assert lc.epsilon == pytest.approx(_least_core_scipy(v), abs=1e-8)
    # the returned allocation reaches epsilon
    assert co.most_violated_coalition(g, lc.allocation).max_excess <= lc.epsilon + 1e-8
    if lc.epsilon <= 1e-9:
        assert co.in_core(g, lc.allocation)
        assert co.in_core(g, co.nucleolus(g).allocation)
    else:
        # no allocation is in the core: not the least-core point, not the nucleolus
        assert not co.in_core(g, lc.allocation)
        assert not co.in_core(g, co.prenucleolus(g).allocation)
    assert g.is_balanced() == (lc.epsilon <= 1e-9 * max(1, np.abs(v).max()))


def test_least_core_n20_constraint_generation():
    """n = 20: constraint generation touches a tiny share of the 2**20 coalitions, and
    the answer is checked against the separation oracle over all of them."""
    rng = np.random.default_rng(0)
    size = np.array([bin(m).count("1") for m in range(1 << 20)], float)
    v = rng.random(1 << 20) * size ** 2
    v[0] = 0.0
    g = co.TUGame(v)
    lc = co.least_core(g)
    assert lc.rows < 5000
    top = co.most_violated_coalition(g, lc.allocation)
    assert top.max_excess == pytest.approx(lc.epsilon, abs=1e-8)
    assert abs(top.efficiency_gap) < 1e-8


def test_one_player_game():
    g = co.TUGame([0, 5.0], players=["solo"])
    lc = co.least_core(g)
    assert lc.allocation.tolist() == [5.0] and lc.core_nonempty
    assert co.in_core(g, [5.0]) and not co.in_core(g, [4.0])
    assert co.nucleolus(g).allocation.tolist() == [5.0]
