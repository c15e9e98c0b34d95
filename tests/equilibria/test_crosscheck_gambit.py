"""Cross-check against an independent library: pygambit (Gambit 16).

* mixed: on 60 seeded random two-player games (sizes 2-6, small integer
  payoffs so that many are degenerate) the set of extreme equilibria equals
  ``pygambit.nash.enummixed_solve(rational=True)``;
* pure: on seeded random n-player games, ``pure_equilibria`` equals
  ``pygambit.nash.enumpure_solve``.
"""

import numpy as np
import pytest

import cooperation as co

gbt = pytest.importorskip("pygambit")


def _gambit_mixed(A, B):
    g = gbt.Game.from_arrays(A.astype(int), B.astype(int))
    res = gbt.nash.enummixed_solve(g, rational=True)
    out = []
    for eq in res.equilibria:
        x = [float(p) for _, p in eq[list(g.players)[0]]]
        y = [float(p) for _, p in eq[list(g.players)[1]]]
        out.append((tuple(np.round(x, 9)), tuple(np.round(y, 9))))
    return sorted(set(out))


def _ours(res):
    return sorted({(tuple(np.round(x, 9)), tuple(np.round(y, 9))) for x, y in res.equilibria})


def _random_games(count=60, seed=20261123):
    rng = np.random.default_rng(seed)
    games = []
    for k in range(count):
        m, n = rng.integers(2, 7, size=2)
        hi = 3 if k % 3 == 0 else 10**6       # a third with few values: mostly degenerate
        A = rng.integers(0, hi, size=(m, n))
        B = rng.integers(0, hi, size=(m, n))
        games.append((A, B))
    return games


GAMES = _random_games()


def test_some_random_games_are_degenerate():
    degenerate = sum(co.mixed_equilibria(co.NormalFormGame.from_bimatrix(A, B)).degenerate
                     for A, B in GAMES)
    assert 5 <= degenerate < len(GAMES)


@pytest.mark.parametrize("k", range(len(GAMES)))
def test_extreme_equilibria_equal_gambit_enummixed(k):
    A, B = GAMES[k]
    res = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(A, B))
    assert res.complete
    assert _ours(res) == _gambit_mixed(A, B)


@pytest.mark.parametrize("seed", range(15))
def test_pure_equilibria_equal_gambit_enumpure(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 5))
    shape = tuple(int(s) for s in rng.integers(2, 4, size=n))
    U = rng.integers(0, 4, size=(n,) + shape)
    g = gbt.Game.from_arrays(*[U[i].astype(int) for i in range(n)])
    res = gbt.nash.enumpure_solve(g)
    theirs = sorted(
        tuple(next(j for j, (_, p) in enumerate(eq[pl]) if p == 1) for pl in g.players)
        for eq in res.equilibria)
    assert co.pure_equilibria(co.NormalFormGame.from_arrays(U)).profiles == theirs


def test_wrong_lemke_howson_answers_do_not_withdraw_completeness():
    # nashpy 0.0.43's Lemke-Howson returns a non-equilibrium on this 5x4 game (its
    # column strategy is shifted by one action); gambit confirms our one equilibrium
    A, B = GAMES[5]
    import nashpy

    x, y = nashpy.Game(A, B).lemke_howson(0)
    gain = max((A @ y).max() - x @ A @ y, (x @ B).max() - x @ B @ y)
    if gain < 1.0:
        pytest.skip("nashpy's Lemke-Howson is right on this game now")
    res = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(A, B))
    assert "not equilibria and were ignored" in res.cross_check
    assert res.complete and _ours(res) == _gambit_mixed(A, B)


# the same games in other money units: x 1e6 (yuan for 元-valued payoffs), + 1e8, x 1e-6;
# each must give gambit's exact equilibria of the unscaled game, with every method
TRANSFORMS = [(1e6, 0.0), (1.0, 1e8), (1e-6, 0.0), (1e9, -1e10)]


@pytest.mark.parametrize("a,b", TRANSFORMS)
@pytest.mark.parametrize("method", ["vertex_enumeration", "support_enumeration",
                                    "lemke_howson"])
def test_rescaled_games_equal_gambit(a, b, method):
    games = GAMES if method == "vertex_enumeration" else GAMES[:20]
    wrong = []
    for k, (A, B) in enumerate(games):
        res = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(a * A + b, a * B + b),
                                  method=method)
        if not res.complete or _ours(res) != _gambit_mixed(A, B):
            wrong.append(k)
    assert wrong == []


def test_degenerate_6x6_in_hundreds_equal_gambit():
    """Payoffs {0, 100, 200}: degenerate 6x6 games, gambit's answer on {0, 1, 2}."""
    rng = np.random.default_rng(6)
    wrong = []
    for k in range(20):
        A = rng.integers(0, 3, size=(6, 6))
        B = rng.integers(0, 3, size=(6, 6))
        res = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(100 * A, 100 * B))
        if not res.complete or _ours(res) != _gambit_mixed(A, B):
            wrong.append(k)
    assert wrong == []


def test_generic_games_times_1e8_unchanged():
    rng = np.random.default_rng(8)
    for _ in range(20):
        A = rng.normal(size=(4, 4))
        B = rng.normal(size=(4, 4))
        r0 = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(A, B))
        r1 = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(1e8 * A, 1e8 * B))
        assert r0.complete and r1.complete and r0.degenerate is False
        assert len(r0.equilibria) == len(r1.equilibria)
        for (x0, y0), (x1, y1) in zip(r0.equilibria, r1.equilibria, strict=True):
            np.testing.assert_allclose(x1, x0, atol=1e-9)
            np.testing.assert_allclose(y1, y0, atol=1e-9)
