"""Shapley and Banzhaf values: known answers, axioms (hypothesis), cross-checks."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.errors import InputError


# ----------------------------------------------------------------------------- known answers
def test_airport_game_littlechild_owen_1973():
    """Littlechild and Owen (1973), Management Science 20, 370-372: in the airport game
    (costs c_1 <= ... <= c_n, c(S) = max_{i in S} c_i) the Shapley cost share of player k is
    sum_{j <= k} (c_j - c_{j-1}) / (n - j + 1): each runway segment is split equally among
    the players who need it. For c = (1, 2, 3): (1/3, 5/6, 11/6)."""
    c = np.array([1.0, 2.0, 3.0])
    savings = co.shapley(co.TUGame.airport(c))
    np.testing.assert_allclose(c - savings.to_numpy(), [1 / 3, 5 / 6, 11 / 6], atol=1e-12)

    rng = np.random.default_rng(7)
    c = np.sort(rng.integers(1, 50, 12)).astype(float)
    inc = np.diff(np.r_[0.0, c])
    n = c.size
    formula = np.cumsum(inc / (n - np.arange(n)))
    share = c - co.shapley(co.TUGame.airport(c)).to_numpy()
    np.testing.assert_allclose(share, formula, atol=1e-10)


def test_glove_game():
    """Glove game with one left and two right gloves (Shapley 1959; Maschler, Solan and
    Zamir 2013, ch. 18): phi = (2/3, 1/6, 1/6)."""
    phi = co.shapley(co.TUGame.glove(1, 2))
    np.testing.assert_allclose(phi.to_numpy(), [2 / 3, 1 / 6, 1 / 6], atol=1e-15)
    assert list(phi.index) == ["L0", "R0", "R1"] and phi.index.name == "player"


def test_majority_game_and_banzhaf():
    """Three-player majority game: Shapley (1/3, 1/3, 1/3); each player swings in 2 of
    the 4 coalitions of the others, so the raw Banzhaf value is 1/2 (Banzhaf 1965)."""
    maj = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1])
    np.testing.assert_allclose(co.shapley(maj).to_numpy(), [1 / 3] * 3, atol=1e-15)
    np.testing.assert_allclose(co.banzhaf(maj, normalized=False).to_numpy(), [0.5] * 3)
    np.testing.assert_allclose(co.banzhaf(maj).to_numpy(), [1 / 3] * 3)


def test_un_security_council_power():
    """UN Security Council [39; 7 x 5, 1 x 10] (Straffin 1994, Handbook of Game Theory II,
    ch. 32): Shapley-Shubik index 0.1963 for each permanent member (exactly 421/2145) and
    0.0019 (4/2145) for each non-permanent one; Banzhaf index 0.1669 / 0.0165 (848 and 84
    swings). Computed both from the full table and by the weighted-voting DP."""
    unsc = co.WeightedVotingGame([7] * 5 + [1] * 10, 39)
    table = unsc.to_tugame()
    for game in (unsc, table):
        ss = co.shapley(game).to_numpy()
        np.testing.assert_allclose(ss[:5], 421 / 2145, atol=1e-13)
        np.testing.assert_allclose(ss[5:], 4 / 2145, atol=1e-13)
        bz = co.banzhaf(game).to_numpy()
        np.testing.assert_allclose(bz[:5], 848 / (5 * 848 + 10 * 84), atol=1e-13)
        np.testing.assert_allclose(bz[5:], 84 / (5 * 848 + 10 * 84), atol=1e-13)
    assert unsc.swings().iloc[0] == 848 and unsc.swings().iloc[-1] == 84


# ----------------------------------------------------------------------------- axioms
def games(min_n=2, max_n=6):
    return st.integers(min_n, max_n).flatmap(
        lambda n: st.lists(st.integers(-20, 40), min_size=(1 << n) - 1,
                           max_size=(1 << n) - 1).map(lambda xs: np.array([0] + xs, float)))


@settings(max_examples=60, deadline=None)
@given(games())
def test_efficiency_and_bruteforce(v):
    phi = co.shapley(co.TUGame(v)).to_numpy()
    assert phi.sum() == pytest.approx(v[-1], abs=1e-9)
    from itertools import permutations
    n = len(v).bit_length() - 1
    ref = np.zeros(n)
    for order in permutations(range(n)):
        S = 0
        for i in order:
            ref[i] += v[S | 1 << i] - v[S]
            S |= 1 << i
    np.testing.assert_allclose(phi, ref / math.factorial(n), atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(games(), st.data())
def test_symmetry_and_null_player(v, data):
    n = len(v).bit_length() - 1
    i, j = data.draw(st.sampled_from([(a, b) for a in range(n) for b in range(a + 1, n)]))
    # make i and j symmetric: v(S + i) = v(S + j) for S without both
    w = v.copy()
    bi, bj = 1 << i, 1 << j
    for S in range(1 << n):
        if S & bi and not S & bj:
            w[S ^ bi ^ bj] = w[S]
    phi = co.shapley(co.TUGame(w)).to_numpy()
    assert phi[i] == pytest.approx(phi[j], abs=1e-9)
    # null player: i adds nothing anywhere
    z = v.copy()
    for S in range(1 << n):
        if S & bi:
            z[S] = z[S ^ bi]
    assert co.shapley(co.TUGame(z)).iloc[i] == pytest.approx(0.0, abs=1e-9)
    assert co.banzhaf(co.TUGame(z), normalized=False).iloc[i] == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(
    st.lists(st.integers(-9, 9), min_size=(1 << n) - 1, max_size=(1 << n) - 1),
    st.lists(st.integers(-9, 9), min_size=(1 << n) - 1, max_size=(1 << n) - 1))))
def test_additivity(pair):
    a, b = (co.TUGame(np.array([0] + x, float)) for x in pair)
    np.testing.assert_allclose(co.shapley(a + b), co.shapley(a) + co.shapley(b), atol=1e-9)
    np.testing.assert_allclose(co.banzhaf(a + b, normalized=False),
                               co.banzhaf(a, normalized=False) + co.banzhaf(b, normalized=False),
                               atol=1e-9)


def test_banzhaf_normalisation_error():
    with pytest.raises(InputError, match="sum to 0"):
        co.banzhaf(co.TUGame([0, 1, -1, 0]))


# ----------------------------------------------------------------------------- cross-check
def test_against_coopgame_on_random_games(oracle):
    """coopgame-py (Rust) as the independent oracle: Shapley and Banzhaf on 100 seeded
    random superadditive games, n = 3-10, to 1e-9."""
    cg = pytest.importorskip("coopgame")
    rng = np.random.default_rng(20240601)
    for _ in range(100):
        n = int(rng.integers(3, 11))
        v = oracle.random_superadditive(rng, n) if n <= 8 else np.r_[0.0, rng.random((1 << n) - 1)]
        g = co.TUGame(v)
        ref = cg.Game(list(v[1:]))
        np.testing.assert_allclose(co.shapley(g).to_numpy(), cg.shapley(ref), atol=1e-9)
        np.testing.assert_allclose(co.banzhaf(g, normalized=False).to_numpy(), cg.banzhaf(ref),
                                   atol=1e-9)


# ----------------------------------------------------------------------------- sampling
def test_sampled_shapley_reproducible_and_unbiased():
    g = co.TUGame.airport([1.0, 2.0, 3.0, 5.0, 8.0])
    exact = co.shapley(g)
    a = co.shapley_sample(g, permutations=4000, seed=0)
    b = co.shapley_sample(g, permutations=4000, seed=0)
    c = co.shapley_sample(g, permutations=4000, seed=np.random.default_rng(0))
    pd.testing.assert_series_equal(a.values, b.values)
    pd.testing.assert_series_equal(a.values, c.values)
    assert not co.shapley_sample(g, permutations=4000, seed=1).values.equals(a.values)
    z = (a.values - exact).abs() / a.standard_error
    assert (z < 5).all()
    # every ordering's contributions sum to v(N): the estimates are exactly efficient
    assert a.values.sum() == pytest.approx(g.grand_value, abs=1e-9)
    assert "standard_error" in a.to_frame().columns


def test_sampled_shapley_callable_for_many_players():
    """A 300-player weighted majority game, far beyond a full table, sampled through a
    vectorised callable and compared with the exact DP (within 5 standard errors)."""
    rng = np.random.default_rng(3)
    w = rng.integers(1, 6, 300)
    q = w.sum() // 2 + 1
    wvg = co.WeightedVotingGame(w, q)
    exact = co.shapley(wvg).to_numpy()

    def value(members):
        return (members @ w >= q).astype(float)

    est = co.shapley_sample(value, permutations=600, seed=0, players=wvg.players)
    assert est.values.sum() == pytest.approx(1.0)
    # each player is pivotal in ~1/300 of the orderings, so compare weight classes:
    # the class mean of the estimates against the exact value (equal within a class)
    for wk in np.unique(w):
        k = w == wk
        mean = est.values.to_numpy()[k].mean()
        se = est.standard_error.to_numpy()[k].mean()  # conservative (positively correlated)
        assert abs(mean - exact[k][0]) < 5 * se + 1e-12


def test_sampled_shapley_errors():
    g = co.TUGame([0, 1, 1, 3])
    with pytest.raises(InputError, match="integer >= 2"):
        co.shapley_sample(g, permutations=1)
    with pytest.raises(InputError, match="players"):
        co.shapley_sample(lambda m: m.sum(axis=1), permutations=10)
    with pytest.raises(InputError):
        co.shapley_sample("not a game", permutations=10)
