"""Cross-check against the Axelrod library (Knight et al. 2016), a test-only oracle.

Deterministic matches and a 10-strategy round robin must give exactly
Axelrod's actions, payoff matrix, total scores and ranking. Noisy play can
only agree in distribution: a two-sample z-test on mean scores over many
seeded matches (seeded on both sides, so the test cannot flake).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cooperation import repeated as rp

axl = pytest.importorskip("axelrod")

PAIRS = [  # ours, Axelrod's
    (rp.AlwaysCooperate(), axl.Cooperator),
    (rp.AlwaysDefect(), axl.Defector),
    (rp.TitForTat(), axl.TitForTat),
    (rp.SuspiciousTitForTat(), axl.SuspiciousTitForTat),
    (rp.TitForTwoTats(), axl.TitFor2Tats),
    (rp.TwoTitsForTat(), axl.TwoTitsForTat),
    (rp.GrimTrigger(), axl.Grudger),
    (rp.WinStayLoseShift(), axl.WinStayLoseShift),
    (rp.Alternator(), axl.Alternator),
    (rp.MemoryOne(0, 1, 0, 1, start="D"), axl.Bully),
]


def axl_actions(a, b, turns):
    m = axl.Match([a(), b()], turns=turns)
    m.play()
    return ("".join(str(x[0]) for x in m.result), "".join(str(x[1]) for x in m.result),
            m.final_score())


@pytest.mark.parametrize("i", range(len(PAIRS)))
def test_deterministic_matches_equal_axelrod(i):
    """Every ordered pair of the 10 deterministic strategies, 30 turns: same actions, scores."""
    ours_i, theirs_i = PAIRS[i]
    for ours_j, theirs_j in PAIRS:
        got = rp.match(ours_i, ours_j, turns=30)
        a0, a1, score = axl_actions(theirs_i, theirs_j, 30)
        assert got.actions == (a0, a1), (ours_i, ours_j)
        assert got.scores.tolist() == [float(s) for s in score]


def test_cycler_equals_axelrod_cycler():
    got = rp.match(rp.Cycler("CCDCD"), rp.TitForTat(), turns=17)
    a0, a1, _ = axl_actions(lambda: axl.Cycler("CCDCD"), axl.TitForTat, 17)
    assert got.actions == (a0, a1)


@pytest.fixture(scope="module")
def axelrod_tournament():
    players = [b() for _, b in PAIRS]
    t = axl.Tournament(players, turns=50, repetitions=2, seed=1)
    return t.play(progress_bar=False, processes=None)


def test_ten_strategy_tournament_equals_axelrod(axelrod_tournament):
    """Round robin with self-play, 50 turns, 2 repetitions: Axelrod's ``payoff_matrix``,
    ``scores`` (totals without self-play), ``normalised_scores`` and ranking."""
    r = axelrod_tournament
    res = rp.tournament([s for s, _ in PAIRS], turns=50, repetitions=2)
    assert np.array_equal(res.payoff_matrix, np.array(r.payoff_matrix))
    assert np.array_equal(res.totals.to_numpy(), np.array(r.scores, dtype=float))
    assert np.allclose(res.normalised_scores.to_numpy(), np.array(r.normalised_scores),
                       rtol=0, atol=1e-12)
    names = {str(b()): str(s) for s, b in PAIRS}
    assert res.ranking == [names[x] for x in r.ranked_names]


def test_generous_tit_for_tat_default_matches_axelrod():
    g = axl.GTFT()
    g.set_match_attributes(game=axl.Game())
    g.receive_match_attributes()
    assert rp.GenerousTitForTat.default_p(3, 0, 5, 1) == pytest.approx(g.p)


def two_sample_z(x, y):
    return (np.mean(x) - np.mean(y)) / math.sqrt(np.var(x, ddof=1) / len(x)
                                                  + np.var(y, ddof=1) / len(y))


@pytest.mark.parametrize("ours, theirs", [
    ((rp.TitForTat(), rp.WinStayLoseShift()), (axl.TitForTat, axl.WinStayLoseShift)),
    ((rp.GrimTrigger(), rp.TitForTwoTats()), (axl.Grudger, axl.TitFor2Tats)),
    ((rp.GenerousTitForTat(0.3), rp.AlwaysDefect()), (lambda: axl.GTFT(0.3), axl.Defector)),
])
def test_noisy_matches_agree_in_distribution(ours, theirs):
    """Noise 0.05 flips intended actions on both sides; 120 Axelrod matches (seeds 0..119)
    against 4000 of ours: mean scores of both players agree (|z| < 4)."""
    turns = 40
    res = rp.simulate(None, list(ours), rounds=turns, runs=4000, noise=0.05, seed=11)
    theirs_scores = []
    for seed in range(120):
        m = axl.Match([theirs[0](), theirs[1]()], turns=turns, noise=0.05, seed=seed)
        m.play()
        theirs_scores.append(m.final_score())
    theirs_scores = np.array(theirs_scores, dtype=float)
    for j in range(2):
        assert abs(two_sample_z(res.scores[:, j], theirs_scores[:, j])) < 4


def test_noisy_tournament_agrees_in_distribution():
    """A noisy 4-strategy round robin: every cell of the payoff matrix agrees with
    Axelrod's in distribution (z-test on per-repetition payoffs)."""
    ours = [PAIRS[k][0] for k in (0, 2, 6, 7)]
    theirs = [PAIRS[k][1]() for k in (0, 2, 6, 7)]
    reps = 40
    r = axl.Tournament(theirs, turns=30, repetitions=reps, noise=0.1, seed=3).play(
        progress_bar=False, processes=None)
    res = rp.tournament(ours, turns=30, repetitions=400, noise=0.1, seed=4)
    ax_pay = np.array(r.payoffs)                  # (N, N, reps) per-turn payoffs
    for i in range(4):
        for j in range(4):
            a = ax_pay[i, j]
            se = math.sqrt(np.var(a, ddof=1) / reps
                           + res.payoff_stddevs.iat[i, j] ** 2 / 400)
            if se == 0:
                assert res.scores.iat[i, j] == pytest.approx(np.mean(a))
            else:
                assert abs(res.scores.iat[i, j] - np.mean(a)) / se < 4.5
