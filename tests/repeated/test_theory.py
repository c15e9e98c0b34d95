"""Closed forms first (published thresholds), then simulation agreeing with them.

* Grim trigger sustains cooperation iff delta >= (T - R)/(T - P)
  (Friedman 1971; 1/2 for Axelrod's R=3, S=0, T=5, P=1).
* TFT is collectively stable iff delta >= max((T-R)/(T-P), (T-R)/(R-S))
  (Axelrod 1984, Proposition 2: 2/3 for Axelrod's payoffs).
* WSLS is subgame perfect iff delta >= (T-R)/(R-P) (Imhof, Fudenberg and Nowak 2007).
* Monitoring deters iff q a F >= gain (Becker 1968).
* The long-run payoff of noisy memory-one pairs is that of the stationary
  distribution of their Markov chain (Nowak and Sigmund 1990); TFT against
  TFT with any noise 0 < eps < 1 is uniform over CC, CD, DC, DD
  (Molander 1985), hence pays (R + S + T + P)/4.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cooperation import repeated as rp
from cooperation.errors import GameError, InputError


def test_published_thresholds():
    assert rp.grim_trigger_threshold(3, 0, 5, 1) == 0.5
    assert rp.min_discount(rp.GrimTrigger()) == 0.5
    assert rp.min_discount(rp.TitForTat()) == pytest.approx(2 / 3)
    assert rp.min_discount(rp.WinStayLoseShift(), R=3, S=0, T=4, P=1) == 0.5
    assert rp.min_discount(rp.WinStayLoseShift(), R=3, S=0, T=6, P=1) == math.inf
    assert rp.min_discount(rp.AlwaysDefect()) == 0.0
    assert rp.min_discount(rp.AlwaysCooperate()) == math.inf
    with pytest.raises(InputError, match="no closed-form"):
        rp.min_discount(rp.TitForTwoTats())
    with pytest.raises(GameError, match="T > R > P > S"):
        rp.grim_trigger_threshold(3, 0, 2, 1)


def test_deterrence_closed_forms():
    assert rp.deterrence_fine(2.0, 0.25, 0.8) == pytest.approx(10.0)
    assert rp.deterrence_fine(2.0, 0.25, 0.8, reward=3.0) == pytest.approx(7.0)
    assert rp.deterrence_fine(2.0, 0.0, 0.8) == math.inf
    assert rp.deterrence_fine(-1.0, 0.3, 0.9) == 0.0
    m = rp.Monitoring(audit_prob=0.5, accuracy=0.8, fine=5.0)
    assert rp.compliance_incentive(m).tolist() == [2.0, 2.0]
    assert rp.deters([2.0, 2.01], m).tolist() == [True, False]
    with pytest.raises(InputError):
        rp.deterrence_fine(1.0, 1.5, 0.5)


def test_compliance_incentive_with_transfers_and_peers():
    """Audit-verified transfers: t (P(ok|C) - P(ok|D)) = t q (a - fa); peer fines pf (1 - 2 eps);
    exact verification: the whole transfer."""
    m = rp.Monitoring(audit_prob=0.5, accuracy=0.8, fine=1.0, false_alarm=0.1, reward=1.0)
    assert rp.compliance_incentive(m, [2.0, -1.0]).tolist() == pytest.approx(
        [0.5 * 0.7 * 2 + 2 * 0.5 * 0.7, 0.5 * 0.7 * 2 - 1 * 0.5 * 0.7])
    peer = rp.Monitoring(peer_error=0.1, peer_fine=3.0)
    assert rp.compliance_incentive(peer, n_players=3)[0] == pytest.approx(
        3.0 * 0.8 + 0.0)
    assert rp.compliance_incentive(None, [1.5, 0.5]).tolist() == [1.5, 0.5]


def test_memory_one_chain_tft_uniform():
    for eps in (0.01, 0.2):
        res = rp.stationary_payoffs(rp.TitForTat(), rp.TitForTat(), noise=eps)
        assert res.unique
        assert np.allclose(res.distribution, 0.25, atol=1e-12)
        assert np.allclose(res.payoffs, 2.25, atol=1e-12)


def test_stationary_without_noise_follows_the_start():
    """No noise: TFT vs TFT stays in CC; TFT vs STFT alternates CD/DC (reducible chains)."""
    assert rp.stationary_payoffs(rp.TitForTat(), rp.TitForTat()).distribution.tolist() == \
        pytest.approx([1, 0, 0, 0])
    res = rp.stationary_payoffs(rp.TitForTat(), rp.SuspiciousTitForTat())
    assert res.distribution.tolist() == pytest.approx([0, 0.5, 0.5, 0])
    assert res.payoffs.tolist() == pytest.approx([2.5, 2.5])


def test_exact_match_expectation_known_values():
    assert rp.expected_match_payoffs(rp.TitForTat(), rp.AlwaysDefect(), 10).tolist() == \
        [9.0, 14.0]
    assert rp.expected_match_payoffs(rp.AlwaysCooperate(), rp.AlwaysCooperate(), 7
                                     ).tolist() == [21.0, 21.0]


@pytest.mark.parametrize("s1, s2", [
    (rp.TitForTat(), rp.WinStayLoseShift()),
    (rp.GenerousTitForTat(0.3), rp.MemoryOne(0.8, 0.1, 0.7, 0.2, start=0.6)),
    (rp.WinStayLoseShift(), rp.WinStayLoseShift()),
])
def test_long_noisy_match_converges_to_the_stationary_payoff(s1, s2):
    """One 100,000-turn match with noise 0.05: payoff per turn within 0.02 of the
    stationary value (mixing is fast; the batch-means standard error is ~0.005)."""
    eps = 0.05
    theory = rp.stationary_payoffs(s1, s2, noise=eps).payoffs
    m = rp.match(s1, s2, turns=100_000, noise=eps, seed=2)
    per_turn = m.payoffs.reshape(100, 1000, 2).mean(axis=1)   # 100 batches
    se = per_turn.std(axis=0, ddof=1) / 10
    assert np.all(np.abs(per_turn.mean(axis=0) - theory) < 5 * se + 1e-9)


@pytest.mark.parametrize("s1, s2", [
    (rp.TitForTat(), rp.AlwaysDefect()),
    (rp.GenerousTitForTat(0.4), rp.Alternator()),
    (rp.WinStayLoseShift(), rp.SuspiciousTitForTat()),
])
def test_simulated_means_equal_exact_expectation(s1, s2):
    """20 turns, noise 0.1, 20,000 runs: z-test of each player's mean total."""
    exact = rp.expected_match_payoffs(s1, s2, 20, noise=0.1)
    res = rp.simulate(None, [s1, s2], rounds=20, runs=20_000, noise=0.1, seed=5)
    se = res.scores.std(axis=0, ddof=1) / math.sqrt(res.runs)
    assert np.all(np.abs(res.scores.mean(axis=0) - exact) < 4.5 * se)


@pytest.mark.parametrize("delta", [0.3, 0.4, 0.6, 0.7])
def test_grim_trigger_threshold_by_simulation(delta):
    """With continuation delta the expected total payoff is the discounted payoff:
    Grim vs Grim earns R/(1 - delta); the best deviation (always defect) against Grim
    earns T + delta P/(1 - delta). Deviation pays exactly when delta < 1/2."""
    R, S, T, P = 3.0, 0.0, 5.0, 1.0
    runs = 40_000
    coop = rp.simulate(None, rp.GrimTrigger(), rounds=200, runs=runs, continuation=delta,
                       seed=21)
    dev = rp.simulate(None, [rp.AlwaysDefect(), rp.GrimTrigger()], rounds=200, runs=runs,
                      continuation=delta, seed=21)
    v_coop = R / (1 - delta)
    v_dev = T + delta * P / (1 - delta)
    x, y = coop.scores[:, 0], dev.scores[:, 0]
    assert abs(x.mean() - v_coop) < 4.5 * x.std() / math.sqrt(runs)
    assert abs(y.mean() - v_dev) < 4.5 * y.std() / math.sqrt(runs)
    # same seeds: same run lengths, so the comparison is paired
    assert np.array_equal(coop.lengths, dev.lengths)
    diff = x - y
    z = diff.mean() / (diff.std() / math.sqrt(runs))
    sustained = delta >= rp.grim_trigger_threshold(R, S, T, P)
    assert (z > 4) if sustained else (z < -4)


def test_run_lengths_are_geometric():
    res = rp.simulate(None, rp.TitForTat(), rounds=None, runs=50_000, continuation=0.9,
                      seed=8)
    mean = res.lengths.mean()
    se = math.sqrt(0.9) / 0.1 / math.sqrt(res.runs)          # sd of Geometric(0.1)
    assert abs(mean - 10.0) < 4.5 * se
    assert res.lengths.min() == 1


@pytest.mark.parametrize("q, a, F", [
    (0.5, 0.8, 4.0), (0.5, 0.8, 6.0), (1.0, 1.0, 1.5), (0.25, 1.0, 10.0), (0.2, 0.5, 30.0),
])
def test_monitoring_deters_exactly_when_qaF_exceeds_the_gain(q, a, F):
    """Gain from defecting against a cooperator: T - R = 2. The simulated extra payoff of
    a unilateral defector over a cooperator (paired runs, same audit draws) estimates
    gain - q a F; its sign decides deterrence, as the closed form says."""
    m = rp.Monitoring(audit_prob=q, accuracy=a, fine=F)
    rounds, runs = 50, 4000
    honest = rp.simulate(None, rp.AlwaysCooperate(), rounds=rounds, runs=runs, monitoring=m,
                         seed=9)
    cheat = rp.simulate(None, [rp.AlwaysDefect(), rp.AlwaysCooperate()], rounds=rounds,
                        runs=runs, monitoring=m, seed=9)
    per_round = (cheat.scores[:, 0] - honest.scores[:, 0]) / rounds
    expected = 2.0 - q * a * F
    se = per_round.std() / math.sqrt(runs)
    assert abs(per_round.mean() - expected) < 4.5 * se + 1e-12
    deterred = q * a * F >= 2.0
    assert bool(rp.deters(2.0, m)[0]) == deterred
    if expected != 0:
        assert (per_round.mean() < 0) == deterred
    # the self-interested jurisdiction acts on the same condition
    opp = rp.simulate(None, [rp.Opportunist(), rp.AlwaysCooperate()], rounds=5, runs=2,
                      monitoring=m)
    assert bool(opp.cooperated[:, :, 0].all()) == deterred
    assert bool(opp.deterred[0]) == deterred


def test_deterrence_at_the_boundary():
    """q a F = gain exactly: indifferent, and the opportunist complies (ties cooperate)."""
    m = rp.Monitoring(audit_prob=0.5, accuracy=0.8, fine=5.0)      # q a F = 2 = T - R
    res = rp.simulate(None, [rp.Opportunist(), rp.AlwaysCooperate()], rounds=4, runs=1,
                      monitoring=m)
    assert res.cooperated[0, :, 0].all()
