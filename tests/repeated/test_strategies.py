"""Exact action sequences of every strategy against scripted opponents.

The style of Axelrod's strategy tests (Knight et al. 2016): a strategy plays
a scripted opponent and the whole sequence is asserted. The expected
sequences below are derived by hand from each strategy's published
definition (Axelrod 1984 for TFT, TF2T, 2TFT, Grudger and Alternator;
Nowak and Sigmund 1993 for Win-Stay Lose-Shift; Nachbar 1992 for reverse
TFT / Bully); the derivation is written next to each one. Stochastic
strategies are checked with a seed against an independent re-implementation
of their rule that reads the same addressed random numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cooperation import repeated as rp
from cooperation.errors import InputError
from cooperation.repeated import _rng

# the scripted opponent of the two-player tests: t = 0 1 2 3 4 5 6 7 8 9
OPP = "CDDCCCDCDD"


def play(strategy, opponent=OPP, turns=10, seed=0):
    return rp.match(strategy, rp.Cycler(opponent), turns=turns, seed=seed).actions[0]


@pytest.mark.parametrize("strategy, expected", [
    (rp.AlwaysCooperate(), "CCCCCCCCCC"),
    (rp.AlwaysDefect(), "DDDDDDDDDD"),
    # TFT: C first, then the opponent's previous move o[t-1]
    (rp.TitForTat(), "CCDDCCCDCD"),
    # STFT: D first, then o[t-1]
    (rp.SuspiciousTitForTat(), "DCDDCCCDCD"),
    # TF2T: D only when o[t-1] = o[t-2] = D (t = 3 only)
    (rp.TitForTwoTats(), "CCCDCCCCCC"),
    # 2TFT: D when D is in o[t-2], o[t-1]
    (rp.TwoTitsForTat(), "CCDDDCCDDD"),
    # Grim: C until the first D (t = 1), D ever after
    (rp.GrimTrigger(), "CCDDDDDDDD"),
    # WSLS: a[t+1] = C iff a[t] == o[t]
    (rp.WinStayLoseShift(), "CCDCCCCDDC"),
    # Alternator: C, then the opposite of its own last move
    (rp.Alternator(), "CDCDCDCDCD"),
    # Bully = reverse TFT: D first, then the opposite of o[t-1]
    (rp.MemoryOne(0, 1, 0, 1, start="D"), "DDCCDDDCDC"),
    # deterministic memory-one vectors reproduce TFT and WSLS
    (rp.MemoryOne(1, 0, 1, 0), "CCDDCCCDCD"),
    (rp.MemoryOne(1, 0, 0, 1), "CCDCCCCDDC"),
    (rp.GenerousTitForTat(0.0), "CCDDCCCDCD"),
    (rp.GenerousTitForTat(1.0), "CCCCCCCCCC"),
    (rp.Random(1.0), "CCCCCCCCCC"),
    (rp.Random(0.0), "DDDDDDDDDD"),
    (rp.Cycler("CCD"), "CCDCCDCCDC"),
    # two players: threshold reciprocity with k = 1 is TFT
    (rp.ThresholdReciprocity(1), "CCDDCCCDCD"),
    (rp.ThresholdReciprocity(1, start="D"), "DCDDCCCDCD"),
    # trust 0.7; kept: +0.1 (1 - tau), broken: x 0.6; cooperate while tau >= 0.5:
    # 0.73 C, 0.438 D, 0.263, 0.337, 0.403, 0.463, 0.278, 0.350, 0.210 -> D
    (rp.TrustThreshold(0.5, 0.7, 0.1, 0.4), "CCDDDDDDDD"),
    (rp.TrustThreshold(0.5, 0.7, 0.1, 0.4, aggregate="min"), "CCDDDDDDDD"),
    # trust 0.9, loss 0.3: 0.91, 0.637, 0.446 D; 0.501 C, 0.551, 0.596, 0.417 D, 0.476 D, 0.333
    (rp.TrustThreshold(0.5, 0.9, 0.1, 0.3), "CCCDCCCDDD"),
])
def test_sequence_against_script(strategy, expected):
    assert play(strategy) == expected


def test_trust_threshold_recovers_when_trust_is_rebuilt():
    """Trust 0.9, loss 0.3, gain 0.1 against D D C C C C: the scores are
    0.63 (C), 0.441 (D), 0.497 (D), 0.547 (C), 0.593, 0.633."""
    assert play(rp.TrustThreshold(0.5, 0.9, 0.1, 0.3), "DDCCCCCC", 7) == "CCDDCCC"


def test_finite_state_machine_reproduces_tit_for_two_tats():
    """A hand-built Moore machine (Rubinstein 1986) equals the library's TF2T."""
    nxt = np.zeros((3, 2, 2), dtype=int)
    for s in range(3):
        for own in (0, 1):
            nxt[s, own, 1] = 0
            nxt[s, own, 0] = min(s + 1, 2)
    machine = rp.FiniteStateStrategy([1, 1, 0], nxt, name="TF2T machine")
    assert play(machine) == play(rp.TitForTwoTats()) == "CCCDCCCCCC"


# ---------------------------------------------------------------------------- n players
def nplayer(strategies, n_rounds, game=None):
    game = game or rp.public_goods_game(len(strategies), 2.0)
    res = rp.simulate(game, strategies, rounds=n_rounds, runs=1)
    return ["".join("C" if c else "D" for c in res.cooperated[0][:, j])
            for j in range(len(strategies))]


def test_nplayer_tit_for_tat_needs_all_others():
    """Others: C C C D C C C D / C ... / C C D C C C C D. All three cooperate at
    t = 0, 1, 4, 5, 6; TFT (k = n - 1) copies that with a one-round lag."""
    acts = nplayer([rp.TitForTat(), rp.Cycler("CCCD"), rp.AlwaysCooperate(),
                    rp.Cycler("CCDCCCCD")], 8)
    assert acts[0] == "CCCDDCCC"


def test_threshold_reciprocity_counts_others():
    """k = 2 of the 3 others: at most one defects until t = 7, when two do."""
    acts = nplayer([rp.ThresholdReciprocity(2), rp.Cycler("CCCD"), rp.AlwaysCooperate(),
                    rp.Cycler("CCDCCCCD")], 9)
    assert acts[0] == "CCCCCCCCD"
    # a share: 0.5 of 3 others -> ceil(1.5) = 2
    acts = nplayer([rp.ThresholdReciprocity(0.5), rp.Cycler("CCCD"), rp.AlwaysCooperate(),
                    rp.Cycler("CCDCCCCD")], 9)
    assert acts[0] == "CCCCCCCCD"


def test_nplayer_win_stay_lose_shift():
    """ok(t) = both others cooperated; others AllC and C D C D ...: ok = T F T F ...;
    a[t+1] = C iff a[t] == ok(t)."""
    acts = nplayer([rp.WinStayLoseShift(), rp.AlwaysCooperate(), rp.Cycler("CD")], 8)
    assert acts[0] == "CCDDCCDD"


def test_trust_scores_per_partner():
    """Partners AllD and AllC, trust 0.7 each. Mean trust: 0.575, 0.5045, then
    (0.7 * 0.6**k + 1 - 0.3 * 0.9**k) / 2 < 0.5 for k >= 3; min trust falls at once."""
    acts = nplayer([rp.TrustThreshold(0.5, 0.7, 0.1, 0.4), rp.AlwaysDefect(),
                    rp.AlwaysCooperate()], 8)
    assert acts[0] == "CCCDDDDD"
    acts = nplayer([rp.TrustThreshold(0.5, 0.7, 0.1, 0.4, aggregate="min"),
                    rp.AlwaysDefect(), rp.AlwaysCooperate()], 8)
    assert acts[0] == "CDDDDDDD"


def test_trust_alliance_ignores_outsiders():
    """Alliance {P0, P2}: the defections of outsider P1 never break it; without the
    alliance (everyone a member) P0 stops as soon as P1 is distrusted."""
    ally = rp.TrustAlliance(members=["P0", "P2"])
    assert nplayer([ally, rp.AlwaysDefect(), rp.AlwaysCooperate()], 8)[0] == "CCCCCCCC"
    everyone = rp.TrustAlliance(gain=0.1, loss=0.4)
    assert nplayer([everyone, rp.AlwaysDefect(), rp.AlwaysCooperate()], 8)[0] == "CDDDDDDD"
    half = rp.TrustAlliance(gain=0.1, loss=0.4, quorum=0.5)
    assert nplayer([half, rp.AlwaysDefect(), rp.AlwaysCooperate()], 8)[0] == "CCCCCCCC"


def test_opportunist_weighs_expected_sanctions():
    """Linear public goods (n = 3, r = 2): the gain from defecting is 1 - 2/3 = 1/3 at
    every profile. Audits q = 0.5, a = 1: a fine of 1 (expected 0.5) deters, 0.5 does not."""
    game = rp.public_goods_game(3, 2.0)
    deter = rp.simulate(game, rp.Opportunist(), rounds=5, runs=3,
                        monitoring=rp.Monitoring(audit_prob=0.5, fine=1.0))
    lax = rp.simulate(game, rp.Opportunist(), rounds=5, runs=3,
                      monitoring=rp.Monitoring(audit_prob=0.5, fine=0.5))
    assert deter.cooperated.all() and not lax.cooperated.any()


def test_opportunist_in_the_prisoners_dilemma_reads_last_profile():
    """PD gains: T - R = 2 when the other cooperated, P - S = 1 when it defected.
    Expected fine 1.5 deters only the second: the pair alternates D, C, D, C."""
    m = rp.Monitoring(audit_prob=0.5, accuracy=1.0, fine=3.0)
    res = rp.simulate(None, rp.Opportunist(), rounds=6, runs=1, monitoring=m)
    assert ["".join("C" if c else "D" for c in res.cooperated[0][:, j]) for j in (0, 1)] \
        == ["DCDCDC", "DCDCDC"]


# ---------------------------------------------------------------------------- stochastic
def uniforms(seed, turns, n=2):
    s = _rng.Streams(seed)
    return np.vstack([s.uniform(t, _rng.S_STRATEGY, 0, 1, n) for t in range(turns)])


def reference_memory_one(four, start, opp, seed, turns=12):
    """Independent re-implementation: cooperate iff u < p(own, other)."""
    u = uniforms(seed, turns)[:, 0]
    out = []
    for t in range(turns):
        if t == 0:
            p = start
        else:
            p = {("C", "C"): four[0], ("C", "D"): four[1], ("D", "C"): four[2],
                 ("D", "D"): four[3]}[(out[-1], opp[(t - 1) % len(opp)])]
        out.append("C" if u[t] < p else "D")
    return "".join(out)


@pytest.mark.parametrize("seed", [0, 1, 7])
@pytest.mark.parametrize("strategy, four, start", [
    (rp.GenerousTitForTat(0.5), (1, 0.5, 1, 0.5), 1.0),
    (rp.Random(0.3), (0.3, 0.3, 0.3, 0.3), 0.3),
    (rp.MemoryOne(0.9, 0.2, 0.6, 0.1, start=0.5), (0.9, 0.2, 0.6, 0.1), 0.5),
])
def test_stochastic_strategies_with_a_seed(strategy, four, start, seed):
    opp = "CDDCCD"
    got = rp.match(strategy, rp.Cycler(opp), turns=12, seed=seed).actions[0]
    assert got == reference_memory_one(four, start, opp, seed)


def test_generous_tit_for_tat_default_generosity():
    """Nowak and Sigmund (1992): p = min(1 - (T-R)/(R-S), (R-P)/(T-P)) = 1/3 for (3,0,5,1);
    against AllD it forgives in about a third of the rounds."""
    assert rp.GenerousTitForTat.default_p(3, 0, 5, 1) == pytest.approx(1 / 3)
    res = rp.simulate(None, [rp.GenerousTitForTat(), rp.AlwaysDefect()], rounds=200,
                      runs=200, seed=3)
    rate = res.cooperated[:, 1:, 0].mean()
    se = math.sqrt((1 / 3) * (2 / 3) / res.cooperated[:, 1:, 0].size)
    assert abs(rate - 1 / 3) < 4 * se


def test_trust_generosity_draws_from_the_strategy_stream():
    """Below the threshold, cooperate iff u < generosity (same uniforms as any strategy)."""
    s = rp.TrustThreshold(0.5, 0.0, 0.0, 1.0, generosity=0.4)     # trust stays 0
    got = rp.match(s, rp.AlwaysCooperate(), turns=12, seed=5).actions[0]
    u = uniforms(5, 12)[:, 0]
    assert got == "".join("C" if x < 0.4 else "D" for x in u)


# ---------------------------------------------------------------------------- metadata
def test_classifiers():
    assert rp.TitForTat().classifier["memory_depth"] == 1
    assert rp.GrimTrigger().classifier["memory_depth"] == math.inf
    assert rp.TitForTwoTats().classifier["memory_depth"] == 2
    assert rp.AlwaysDefect().classifier["memory_depth"] == 0
    assert rp.GenerousTitForTat(0.3).classifier["stochastic"]
    assert not rp.TitForTat().classifier["stochastic"]
    assert rp.TrustThreshold().classifier["partnerwise"]
    assert rp.Opportunist().classifier["needs_monitoring"]
    assert rp.TitForTat().classifier["finite_state"]
    assert not rp.TrustThreshold().classifier["finite_state"]
    assert rp.WinStayLoseShift().memory_one == ((1.0, 0.0, 0.0, 1.0), 1.0)
    assert rp.Opportunist().classifier["needs_gain"]
    assert not rp.TitForTat().classifier["needs_gain"]


def test_seat_dependence_is_declared_not_guessed():
    """Only a strategy that declares ``seat_dependent`` gets one machine per seat; a
    parameter that happens to be called ``p`` (and is None) changes nothing."""
    from cooperation.repeated import engine
    from cooperation.repeated.stage import as_stage

    assert rp.GenerousTitForTat().classifier["seat_dependent"]
    assert not rp.GenerousTitForTat(0.3).classifier["seat_dependent"]
    assert not rp.TitForTat().classifier["seat_dependent"]

    class Tagged(rp.MemoryOne):
        def __init__(self):
            rp.MemoryOne.__init__(self, 1, 0, 1, 0, name="tagged")
            self.p = None

    stage = as_stage(rp.public_goods_game(3, 2.0))
    *_, lut, _ = engine._compile([Tagged()], np.zeros(3, int), stage, np.zeros(3))
    assert len(set(lut[0].tolist())) == 1          # one machine for all seats
    *_, lut, _ = engine._compile([rp.GenerousTitForTat()], np.zeros(3, int), stage,
                                 np.zeros(3))
    assert len(set(lut[0].tolist())) == 3          # one machine per seat


def test_strategy_families_keep_their_import_paths():
    """Split by family, every public name is still importable from the old places."""
    import cooperation.repeated.strategies as old_path

    for name in old_path.__all__:
        assert getattr(old_path, name) is getattr(rp, name, getattr(old_path, name))
    assert old_path.resolve_k(None, 4, "k") == 3
    assert old_path.TitForTat.__module__ == "cooperation.repeated.strategies.classic"


def test_equal_strategies_compare_equal():
    assert rp.TitForTat() == rp.TitForTat()
    assert rp.TitForTat() != rp.TitForTat(k=1)
    assert rp.MemoryOne(1, 0, 1, 0) == rp.MemoryOne(1, 0, 1, 0)
    assert len({rp.GrimTrigger(), rp.GrimTrigger(), rp.AlwaysDefect()}) == 2


def test_strategy_names():
    assert rp.strategy_from_name("TFT") == rp.TitForTat()
    assert rp.strategy_from_name("threshold:2") == rp.ThresholdReciprocity(2)
    assert rp.strategy_from_name("cycler:ccd") == rp.Cycler("CCD")
    with pytest.raises(InputError, match="unknown strategy"):
        rp.strategy_from_name("titfortat2000")


@pytest.mark.parametrize("build, field", [
    (lambda: rp.MemoryOne(1.2, 0, 1, 0), "MemoryOne.p_cc"),
    (lambda: rp.MemoryOne(1, 0, 1, -0.1), "MemoryOne.p_dd"),
    (lambda: rp.GenerousTitForTat(2.0), "GenerousTitForTat.p"),
    (lambda: rp.Random(float("nan")), "Random.p"),
    (lambda: rp.TrustThreshold(threshold=1.5), "TrustThreshold.threshold"),
    (lambda: rp.TrustThreshold(aggregate="max"), "TrustThreshold.aggregate"),
    (lambda: rp.TrustAlliance(quorum=-1), "TrustAlliance.quorum"),
    (lambda: rp.Cycler("CXD"), "Cycler.pattern"),
    (lambda: rp.ThresholdReciprocity(-1), "ThresholdReciprocity.k"),
    (lambda: rp.ThresholdReciprocity(1.5), "ThresholdReciprocity.k"),
    (lambda: rp.FiniteStateStrategy([1, 0], np.zeros((2, 2, 3), int)), "transitions"),
])
def test_bad_strategy_parameters(build, field):
    with pytest.raises(InputError) as err:
        build()
    assert err.value.field == field


def test_threshold_larger_than_the_number_of_others():
    with pytest.raises(InputError, match="at most the number of other players"):
        rp.match(rp.ThresholdReciprocity(2), rp.TitForTat(), turns=3)
