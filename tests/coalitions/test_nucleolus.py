"""Nucleolus and prenucleolus: literature answers, properties, cross-checks, certificates."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.errors import InputError


# ----------------------------------------------------------------------------- known answers
@pytest.mark.parametrize("estate, expected", [
    (100, [100 / 3, 100 / 3, 100 / 3]),
    (200, [50, 75, 75]),
    (300, [50, 100, 150]),
])
def test_talmud_bankruptcy_aumann_maschler_1985(estate, expected):
    """Aumann and Maschler (1985), J. Econ. Theory 36, 195-213: the three Talmud
    estates with claims 100, 200, 300; the Talmud's division is the nucleolus of the
    bankruptcy game (33 1/3 each; 50/75/75; 50/100/150)."""
    res = co.nucleolus(co.TUGame.bankruptcy(estate, [100, 200, 300]))
    np.testing.assert_allclose(res.allocation.to_numpy(), expected, atol=1e-9)
    assert res.certified and res.success and res.status == 0


def test_airport_nucleolus_littlechild_1974():
    """Littlechild (1974), Management Science 21: for the airport cost game the nucleolus
    is found sequentially: x_1 = min(c_1/2, c_2/3, ..., c_{n-1}/n, c_n/n), then the same on
    the others with the costs reduced by x_1 (the smallest user pays least). For
    c = (1, 2, 3): x_1 = min(1/2, 2/3, 1) = 1/2, then costs (1.5, 2.5) give
    x_2 = min(1.5/2, 2.5/2) = 3/4, x_3 = 7/4 (checked by hand against the excesses)."""
    c = np.array([1.0, 2.0, 3.0])
    res = co.nucleolus(co.TUGame.airport(c))  # savings game
    np.testing.assert_allclose(c - res.allocation.to_numpy(), [0.5, 0.75, 1.75], atol=1e-12)
    assert res.certified


def test_airport_nucleolus_against_sequential_formula():
    """Littlechild's (1974) sequential formula on a 10-player airport."""
    rng = np.random.default_rng(4)
    c = np.sort(rng.integers(1, 40, 10)).astype(float)

    def littlechild(costs):
        costs = list(costs)
        out = []
        while costs:
            m = len(costs)
            cand = [costs[k] / (k + 2) for k in range(m - 1)] + [costs[-1] / m]
            x = min(cand)
            out.append(x)
            costs = [ck - x for ck in costs[1:]]
        return np.array(out)

    res = co.nucleolus(co.TUGame.airport(c))
    np.testing.assert_allclose(c - res.allocation.to_numpy(), littlechild(c), atol=1e-9)
    assert res.certified


def test_glove_and_majority():
    """Glove game (1 left, 2 right): nucleolus (1, 0, 0), the core's only point.
    Majority game: (1/3, 1/3, 1/3) with first excess level 1/3 (the least-core epsilon)."""
    glove = co.nucleolus(co.TUGame.glove(1, 2))
    np.testing.assert_allclose(glove.allocation.to_numpy(), [1, 0, 0], atol=1e-12)
    maj = co.nucleolus(co.TUGame([0, 0, 0, 1, 0, 1, 1, 1]))
    np.testing.assert_allclose(maj.allocation.to_numpy(), [1 / 3] * 3, atol=1e-12)
    assert maj.excess_levels[0] == pytest.approx(1 / 3)
    assert glove.certified and maj.certified


def test_fixing_by_duals_not_by_tight_vertex():
    """Two disjoint pairs {1,2}, {3,4} worth 1 each, v(N) = 2. The first LP has a whole
    face of optima (x1 + x2 = 1, x3 + x4 = 1, x >= 0); at a vertex such as (1, 0, 1, 0) the
    singletons {2} and {4} are tight, and fixing them ("tight at the returned vertex")
    would end at (1, 0, 1, 0). Fixing by positive duals gives the nucleolus (1/2, ..., 1/2),
    and Kohlberg's criterion rejects the wrong vertex."""
    v = np.zeros(16)
    v[0b0011] = v[0b1100] = 1.0
    v[15] = 2.0
    g = co.TUGame(v)
    for f in (co.nucleolus, co.prenucleolus):
        res = f(g)
        np.testing.assert_allclose(res.allocation.to_numpy(), [0.5] * 4, atol=1e-12)
        assert res.certified
    assert not co.kohlberg_certificate(g, [1, 0, 1, 0]).satisfied


def test_result_object():
    res = co.nucleolus(co.TUGame.bankruptcy(200, [100, 200, 300], players=["a", "b", "c"]))
    assert list(res.allocation.index) == ["a", "b", "c"]
    assert res.domain == "imputation" and "certified" in res.message
    assert list(res.to_frame().index) == ["a", "b", "c"]
    assert {"stage", "level", "coalition"} <= set(res.fixed.columns)
    assert "Kohlberg" in repr(res) and "<table>" in res._repr_html_()
    assert res.lp_solves >= 1 and res.rows >= 1


def test_empty_imputation_set_is_an_error_prenucleolus_is_not():
    v = co.TUGame([0, 2, 2, 3])  # v(1) + v(2) = 4 > v(N) = 3
    with pytest.raises(InputError, match="imputation set is empty"):
        co.nucleolus(v)
    pre = co.prenucleolus(v)
    np.testing.assert_allclose(pre.allocation.to_numpy(), [1.5, 1.5])
    assert pre.certified and pre.domain == "preimputation"


# ----------------------------------------------------------------------------- properties
def superadditive_games(min_n=2, max_n=6):
    def build(args):
        n, vals = args
        v = np.array([0] + vals, float)
        for S in range(1, 1 << n):  # superadditive cover
            T = (S - 1) & S
            while T:
                v[S] = max(v[S], v[T] + v[S ^ T])
                T = (T - 1) & S
        return v
    return st.integers(min_n, max_n).flatmap(
        lambda n: st.tuples(st.just(n), st.lists(st.integers(0, 30), min_size=(1 << n) - 1,
                                                 max_size=(1 << n) - 1))).map(build)


@settings(max_examples=50, deadline=None)
@given(superadditive_games())
def test_in_core_when_core_nonempty_and_certified(v):
    g = co.TUGame(v)
    res = co.nucleolus(g)
    assert res.certified
    assert res.allocation.sum() == pytest.approx(v[-1], abs=1e-9)
    if co.least_core(g).core_nonempty:
        assert co.in_core(g, res.allocation)
        np.testing.assert_allclose(co.prenucleolus(g).allocation, res.allocation, atol=1e-8)


@settings(max_examples=40, deadline=None)
@given(superadditive_games(2, 5), st.floats(0.1, 10.0),
       st.lists(st.floats(-10, 10), min_size=5, max_size=5))
def test_strategic_equivalence(v, scale, shift):
    """nu(a v + b) = a nu(v) + b for a > 0 (covariance; Peleg and Sudhoelter 2007)."""
    g = co.TUGame(v)
    b = np.array(shift[: g.n_players])
    w = g.affine(scale, b)
    for f in (co.nucleolus, co.prenucleolus):
        base = f(g).allocation.to_numpy()
        moved = f(w).allocation.to_numpy()
        np.testing.assert_allclose(moved, scale * base + b, atol=1e-7 * max(1, scale))


@settings(max_examples=30, deadline=None)
@given(superadditive_games(3, 5))
def test_perturbed_nucleolus_fails_the_certificate(v):
    g = co.TUGame(v)
    res = co.nucleolus(g)
    x = res.allocation.to_numpy().copy()
    # move a little payoff between two players: still efficient, no longer the nucleolus
    i, j = 0, 1
    d = 1e-3 * max(1.0, abs(v[-1]))
    x[i] += d
    x[j] -= d
    cert = co.kohlberg_certificate(g, x, domain="preimputation")
    assert not cert.satisfied and cert.reason


# ----------------------------------------------------------------------------- cross-checks
def test_against_independent_bruteforce(oracle):
    """Independent oracle written in the tests: sequential LPs over *all* coalitions with
    scipy, fixing a coalition only when a second LP proves its excess cannot drop."""
    rng = np.random.default_rng(99)
    for _ in range(15):
        n = int(rng.integers(2, 6))
        v = oracle.random_superadditive(rng, n)
        g = co.TUGame(v)
        np.testing.assert_allclose(co.nucleolus(g).allocation.to_numpy(),
                                   oracle.nucleolus_bruteforce(v, True), atol=1e-8)
        np.testing.assert_allclose(co.prenucleolus(g).allocation.to_numpy(),
                                   oracle.nucleolus_bruteforce(v, False), atol=1e-8)


def test_against_coopgame_100_random_superadditive_games(oracle):
    """coopgame-py (Rust) as the independent library: nucleolus and prenucleolus of 100
    seeded random superadditive games, n = 3-10, agree to 1e-9; every answer is
    certified by our Kohlberg check, and coopgame's own verifier accepts ours."""
    cg = pytest.importorskip("coopgame")
    rng = np.random.default_rng(20240601)
    for k in range(100):
        n = int(rng.integers(3, 11))
        v = oracle.random_superadditive(rng, n, integer=bool(k % 2))
        g = co.TUGame(v)
        ref_game = cg.Game(list(v[1:]))
        for dom, f in (("imputation", co.nucleolus), ("preimputation", co.prenucleolus)):
            res = f(g)
            assert res.certified, (k, dom, res.message)
            ref = cg.nucleolus(ref_game, domain=dom)["allocation"]
            np.testing.assert_allclose(res.allocation.to_numpy(), ref, atol=1e-9)
            assert cg.verify(ref_game, list(res.allocation), domain=dom)["satisfied"]


def test_n15_and_n20_certified():
    """Constraint generation: n = 15 and n = 20 solve with a small share of the rows and
    are certified (speed is measured in benchmarks/bench_coalitions.py, not here)."""
    rng = np.random.default_rng(1)
    for n in (15, 20):
        size = np.array([bin(m).count("1") for m in range(1 << n)], float)
        v = rng.random(1 << n) * size ** 2
        v[0] = 0.0
        res = co.nucleolus(co.TUGame(v))
        assert res.certified, res.message
        assert res.rows < (1 << n) // 100


@pytest.mark.parametrize("unit", [1e-6, 1e6])
def test_tiny_and_huge_money_units(unit, oracle):
    """Tolerances are relative to max |v|: the same game in micro- or mega-units gives the
    same certified answer, scaled."""
    rng = np.random.default_rng(12)
    for _ in range(10):
        v = oracle.random_superadditive(rng, int(rng.integers(4, 9)))
        base = co.nucleolus(co.TUGame(v))
        res = co.nucleolus(co.TUGame(v * unit))
        assert res.certified, res.message
        np.testing.assert_allclose(res.allocation.to_numpy(), unit * base.allocation.to_numpy(),
                                   rtol=1e-9, atol=1e-12 * unit)
        pre = co.prenucleolus(co.TUGame(v * unit))
        assert pre.certified
        lc = co.least_core(co.TUGame(v * unit))
        assert lc.epsilon == pytest.approx(unit * co.least_core(co.TUGame(v)).epsilon,
                                           rel=1e-9, abs=1e-12 * unit)
