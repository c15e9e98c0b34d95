"""Known answers first: textbook games with their complete equilibrium sets.

Sources: Osborne, M. J. (2004). *An Introduction to Game Theory*, OUP, ch. 2-4
(Prisoner's Dilemma, Stag Hunt, Chicken/Hawk-Dove, Battle of the Sexes,
Matching Pennies, Rock-Paper-Scissors); von Stengel, B. (2007), "Equilibrium
computation for two-player games in strategic and extensive form", ch. 3 of
*Algorithmic Game Theory*, eq. (3.3) and the degenerate variant of section
3.4; Shapley, L. S. (1964), "Some topics in two-person games" (the 3x3 game
with a unique, fully mixed equilibrium).
"""

from fractions import Fraction as F

import numpy as np
import pytest

import cooperation as co


def _as_set(res, digits=9):
    return sorted((tuple(np.round(x, digits)), tuple(np.round(y, digits)))
                  for x, y in res.equilibria)


def _expected(pairs, digits=9):
    return sorted((tuple(np.round(np.array(x, float), digits)),
                   tuple(np.round(np.array(y, float), digits))) for x, y in pairs)


PD = ([[3, 0], [5, 1]], [[3, 5], [0, 1]])
STAG = ([[4, 0], [3, 3]], [[4, 3], [0, 3]])
CHICKEN = ([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
BOS = ([[2, 0], [0, 1]], [[1, 0], [0, 2]])
MP = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
RPS_A = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
RPS = (RPS_A, (-np.array(RPS_A)).tolist())
SHAPLEY = ([[0, 1, 2], [2, 0, 1], [1, 2, 0]], [[0, 2, 1], [1, 0, 2], [2, 1, 0]])
VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 2], [2, 6], [3, 1]]
VS_DEG_B = [[3, 3], [2, 6], [3, 1]]

CASES = {
    # Prisoner's Dilemma: defection dominates; unique NE (D, D).
    "prisoners_dilemma": (PD, [([0, 1], [0, 1])], [(1, 1)]),
    # Stag Hunt: two pure NE and one mixed: hunt stag w.p. 3/4 (4q = 3).
    "stag_hunt": (STAG, [([1, 0], [1, 0]), ([0, 1], [0, 1]), ([.75, .25], [.75, .25])],
                  [(0, 0), (1, 1)]),
    # Chicken: (swerve, straight), (straight, swerve), and swerve w.p. 0.9 (q - 1 = 11q - 10).
    "chicken": (CHICKEN, [([1, 0], [0, 1]), ([0, 1], [1, 0]), ([.9, .1], [.9, .1])],
                [(0, 1), (1, 0)]),
    # Battle of the Sexes: two pure and ((2/3, 1/3), (1/3, 2/3)).
    "battle_of_the_sexes": (BOS, [([1, 0], [1, 0]), ([0, 1], [0, 1]),
                                  ([F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)])], [(0, 0), (1, 1)]),
    # Matching Pennies: unique NE, both mix 1/2.
    "matching_pennies": (MP, [([.5, .5], [.5, .5])], []),
    # Rock-Paper-Scissors: unique NE, uniform.
    "rock_paper_scissors": (RPS, [([F(1, 3)] * 3, [F(1, 3)] * 3)], []),
    # Shapley (1964) 3x3: unique NE, uniform.
    "shapley_1964": (SHAPLEY, [([F(1, 3)] * 3, [F(1, 3)] * 3)], []),
    # von Stengel (2007), eq. (3.3): three equilibria.
    "von_stengel_2007": ((VS_A, VS_B), [([1, 0, 0], [1, 0]),
                                        ([F(4, 5), F(1, 5), 0], [F(2, 3), F(1, 3)]),
                                        ([0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)])],
                         [(0, 0)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_complete_equilibrium_sets(name):
    (A, B), mixed, pure = CASES[name]
    g = co.NormalFormGame.from_bimatrix(A, B)
    res = co.mixed_equilibria(g)
    assert _as_set(res) == _expected(mixed)
    assert res.complete and res.finite and not res.degenerate
    assert res.max_regret <= 1e-9
    assert res.cross_check == "lemke_howson agrees"
    assert co.pure_equilibria(g).profiles == pure


@pytest.mark.parametrize("method", ["support_enumeration", "lemke_howson"])
def test_other_nashpy_methods_are_certified_too(method):
    res = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(*BOS), method=method)
    assert _as_set(res) == _expected(CASES["battle_of_the_sexes"][1])
    assert res.complete


def test_degenerate_von_stengel_reported_with_continuum():
    """Degenerate variant (B's first row constant): by hand, x = (1, 0, 0) is an
    equilibrium with every y with y1 >= 2/3 (row 1 is a best response iff
    3 >= 5 - 3 y1 and 3 >= 6 (1 - y1)); (0, 1/3, 2/3) with (1/3, 2/3) stays
    isolated; (4/5, 1/5, 0) no longer is one (column 2 earns 3.6 > 2.8)."""
    res = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(VS_A, VS_DEG_B))
    assert res.degenerate
    assert not res.finite
    assert res.complete
    assert _as_set(res) == _expected([([1, 0, 0], [1, 0]), ([1, 0, 0], [F(2, 3), F(1, 3)]),
                                      ([0, F(1, 3), F(2, 3)], [F(1, 3), F(2, 3)])])
    sizes = sorted((len(xs), len(ys)) for xs, ys in res.maximal_nash_subsets)
    assert sizes == [(1, 1), (1, 2)]


def test_all_zero_game_is_one_component():
    res = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(np.zeros((2, 3)),
                                                              np.zeros((2, 3))))
    assert res.degenerate and not res.finite and res.complete
    assert len(res.equilibria) == 6          # all pure pairs are the extreme points
    (xs, ys), = res.maximal_nash_subsets       # a single component: the whole product
    assert len(xs) == 2 and len(ys) == 3


def test_constant_game_and_one_by_n():
    const = co.NormalFormGame.from_bimatrix(np.full((2, 2), 7.0), np.full((2, 2), -3.0))
    res = co.mixed_equilibria(const)
    assert res.degenerate and not res.finite and len(res.maximal_nash_subsets) == 1
    one = co.NormalFormGame.from_bimatrix([[1, 2, 3]], [[3, 1, 3]])
    res = co.mixed_equilibria(one)
    assert _as_set(res) == _expected([([1], [1, 0, 0]), ([1], [0, 0, 1])])
    assert res.degenerate and not res.finite  # column player indifferent between 1 and 3
    n_by_one = co.NormalFormGame.from_bimatrix([[1], [4], [2]], [[0], [0], [0]])
    res = co.mixed_equilibria(n_by_one)
    assert _as_set(res) == _expected([([0, 1, 0], [1])])
    assert res.finite and res.complete


def test_mixed_rejects_n_players_and_unknown_method():
    g3 = co.NormalFormGame.from_arrays(np.zeros((3, 2, 2, 2)))
    with pytest.raises(co.errors.GameError, match="two-player"):
        co.mixed_equilibria(g3)
    with pytest.raises(co.errors.GameError, match="unknown method"):
        co.mixed_equilibria(co.NormalFormGame.from_bimatrix(*PD), method="magic")


def test_pure_equilibria_three_player_public_good():
    """3-player threshold public good: contribute (cost 1) yields 3 to everyone
    iff at least 2 contribute. By hand: NE are 'nobody' and every exactly-two profile."""
    U = np.zeros((3, 2, 2, 2))
    for a in np.ndindex(2, 2, 2):
        good = 3.0 if sum(a) >= 2 else 0.0
        for i in range(3):
            U[(i,) + a] = good - a[i]
    g = co.NormalFormGame.from_arrays(U)
    assert co.pure_equilibria(g).profiles == [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]


def test_analyze_prisoners_dilemma_numbers():
    res = co.analyze(co.NormalFormGame.from_bimatrix(*PD))
    assert res.cooperation_surplus == 4.0
    assert res.price_of_anarchy == 3.0 and res.price_of_stability == 3.0
    assert res.withdrawal.loc["P0", "welfare_loss"] == 1.0   # W(C,C) - W(D,C) = 6 - 5
    assert res.withdrawal.loc["P0", "own_gain"] == 2.0       # 5 - 3


def test_price_of_anarchy_sign_conventions():
    assert co.equilibria.price_ratio(10.0, 5.0)[0] == 2.0
    assert co.equilibria.price_ratio(-2.0, -6.0)[0] == 3.0   # cost ratio
    ratio, note = co.equilibria.price_ratio(1.0, -1.0)
    assert np.isnan(ratio) and "sign" in note
    assert co.equilibria.price_ratio(0.0, 0.0)[0] == 1.0


def test_analyze_mixed_fallback_for_matching_pennies():
    res = co.analyze(co.NormalFormGame.from_bimatrix(*MP))
    assert res.equilibrium_kind == "mixed"
    assert res.cooperation_surplus == pytest.approx(0.0)


def test_dynamics():
    pd_game = co.NormalFormGame.from_bimatrix(*PD)
    tr = co.best_response_dynamics(pd_game, start=(0, 0), seed=1)
    assert tr.converged and tuple(tr.final) == (1, 1)
    fp = co.fictitious_play(co.NormalFormGame.from_bimatrix(*MP), iterations=4000, seed=0)
    assert np.allclose(fp.beliefs[0], [.5, .5], atol=0.05)
    # Hawk-Dove replicator: V=2, C=4 -> ESS share of hawks V/C = 1/2
    rd = co.replicator_dynamics([[-1, 2], [0, 1]], x0=[0.1, 0.9], steps=4000, dt=0.01)
    assert rd.final[0] == pytest.approx(0.5, abs=1e-4)
    # same seed, same path
    a = co.best_response_dynamics(co.NormalFormGame.from_bimatrix(*BOS), seed=3)
    b = co.best_response_dynamics(co.NormalFormGame.from_bimatrix(*BOS), seed=3)
    assert np.array_equal(a.states, b.states)
