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
