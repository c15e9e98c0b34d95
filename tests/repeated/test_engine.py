"""The engine: bookkeeping by hand, reproducibility, chunking, paths that must agree,
bad input. Properties with hypothesis at the end."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation import repeated as rp
from cooperation.errors import GameError, InputError
from cooperation.repeated import _engine_config, _rng, engine
from cooperation.repeated.stage import as_stage


def up_down() -> co.Scenario:
    """Up pays 1 to protect; a spill (p = 0.5, damage 10) lands on Down; protection cuts
    its probability by 80%. Payoffs (Up, Down): (self, self) = (0, -5);
    (coop, self) = (-1, -1); (self, coop) = (0, -5.2); (coop, coop) = (-1, -1.2)."""
    return co.Scenario(
        jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0}),
                       co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.2})],
        hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
                           prevention=0.8, spillover={"Down": 1.0})],
        unit="CNY 100M")


def chain_scenario(n: int) -> co.Scenario:
    """n jurisdictions on a river: each one's spill lands half on itself, half downstream."""
    names = [f"J{i}" for i in range(n)]
    jur = [co.Jurisdiction(nm, costs={"self": 0, "cooperate": 1.0 + 0.1 * i})
           for i, nm in enumerate(names)]
    haz = []
    for i in range(n):
        share = {names[i]: 0.5, names[(i + 1) % n]: 0.5}
        haz.append(co.Hazard(f"h{i}", probability=0.4, damage=8.0, origins=[names[i]],
                             prevention=0.7, response=0.3, spillover=share))
    return co.Scenario(jurisdictions=jur, hazards=haz, unit="CNY 100M")


# ---------------------------------------------------------------------------- stage
def test_prisoners_dilemma_reference_payoffs():
    stage = as_stage(None)
    assert stage.rstp().tolist() == [[3, 0, 5, 1], [3, 0, 5, 1]]
    assert stage.temptation().tolist() == [2, 2]
    assert stage.max_gain().tolist() == [2, 2]


def test_scenario_stage_uses_cooperative_level_and_best_deviation():
    stage = as_stage(up_down())
    assert stage.action_labels == (("cooperate", "self"), ("cooperate", "self"))
    # R = (-1, -1.2); T_i = u_i(D_i, C_-i): Up (0, coop) = 0; Down (coop, self) = -1
    assert stage.rstp()[:, [0, 2]] == pytest.approx(np.array([[-1.0, 0.0], [-1.2, -1.0]]))
    assert stage.temptation() == pytest.approx([1.0, 0.2])


def test_three_level_scenario_defect_rules():
    s = co.Scenario(
        jurisdictions=[co.Jurisdiction("A", costs=[0, 0.5, 2.0]),
                       co.Jurisdiction("B", costs=[0, 0.5, 2.0])],
        hazards=[co.Hazard("h", probability=0.5, damage=4.0, origins=["A", "B"],
                           prevention=0.5, spillover={"A": 0.5, "B": 0.5})],
        actions=[co.ActionLevel("self"), co.ActionLevel("some", 0.5, 0.5),
                 co.ActionLevel("cooperate", 1.0, 1.0)], unit="u")
    best = as_stage(s)
    dev = s.deviation_payoffs([2, 2])
    assert [d for _, d in best.action_labels] == \
        [s.action_names[int(np.argmax(np.where(np.arange(3) == 2, -np.inf, dev[i])))]
         for i in range(2)]
    low = as_stage(s, defect="lowest")
    assert [d for _, d in low.action_labels] == ["self", "self"]
    with pytest.raises(InputError, match="defection must differ"):
        as_stage(s, defect="cooperate")


def test_game_without_cooperative_action():
    g = co.NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]],
                                        actions=[["L", "R"], ["L", "R"]])
    with pytest.raises(GameError, match="no cooperative action"):
        rp.simulate(g, rp.TitForTat(), rounds=3, runs=1)
    res = rp.simulate(g, rp.TitForTat(), rounds=3, runs=1, cooperative="L")
    assert res.cooperated.all()


def test_public_goods_game_payoffs():
    """u_i = r c k / n - c [i cooperates]: n = 4, r = 3: all C pays 2, a lone defector 2.25."""
    g = rp.public_goods_game(4, 3.0)
    assert g.payoff(("C",) * 4).tolist() == [2.0] * 4
    assert g.payoff(("D", "C", "C", "C")).tolist() == [2.25, 1.25, 1.25, 1.25]


def test_table_and_direct_payoff_paths_agree():
    """n <= 16 uses a table of the 2**n C/D profiles; without it Scenario.payoffs is
    called each round. Both paths give identical simulations."""
    stage = as_stage(chain_scenario(6))
    direct = dataclasses.replace(stage, table=None)
    kw = dict(runs=300, rounds=25, noise=rp.Noise(0.05), monitoring=None, transfers=None,
              continuation=None, seed=3, incentive=np.zeros(6), keep_history=True)
    strategies = [rp.TitForTat(k=4), rp.WinStayLoseShift(k=3)]
    assign = np.array([0, 1, 0, 1, 0, 1])
    a = engine.run_engine(stage, strategies, assign, **kw)
    b = engine.run_engine(direct, strategies, assign, **kw)
    assert np.array_equal(a.history, b.history)
    assert np.allclose(a.scores, b.scores, rtol=1e-12, atol=1e-12)
    assert np.allclose(a.stage_by_round, b.stage_by_round, rtol=1e-12, atol=1e-9)


def test_large_scenario_without_tensor():
    """40 jurisdictions: no payoff tensor; payoffs come from Scenario.payoffs each round."""
    s = chain_scenario(40)
    res = rp.simulate(s, rp.ThresholdReciprocity(0.9), rounds=12, runs=50, noise=0.01,
                      seed=1)
    assert res.cooperated.shape == (50, 12, 40)
    expected = s.payoffs(np.where(res.cooperated[:, 3], 1, 0))
    assert np.allclose(res.payoff_by_round[3], expected.mean(axis=0))
    assert any("not enumerated" in note for note in res.notes)


# ---------------------------------------------------------------------------- bookkeeping
def test_fines_and_transfers_by_hand():
    """AllD vs AllC, audits certain (q = a = 1), fine 2, transfers (1.5, 0.5) paid to
    verified compliers: the defector pays 2 a round and forfeits its transfer."""
    m = rp.Monitoring(audit_prob=1.0, accuracy=1.0, fine=2.0, fund_share=0.25)
    res = rp.simulate(None, [rp.AlwaysDefect(), rp.AlwaysCooperate()], rounds=10, runs=3,
                      monitoring=m, transfers=[1.5, 0.5])
    assert res.scores.tolist() == [[10 * (5 - 2)] * 1 + [10 * (0 + 0.5)]] * 3
    assert res.fines_paid.tolist() == [20.0, 0.0]
    assert res.transfers_received.tolist() == [0.0, 5.0]
    assert res.fund == pytest.approx(5.0)
    assert res.fines_by_round.tolist() == [2.0] * 10
    assert res.by_jurisdiction()["deterred"].tolist() == [True, True]


def test_rewards_from_the_superior():
    """Audits q = 1 and a reward of 1 for compliers found compliant: AllC earns R + 1."""
    m = rp.Monitoring(audit_prob=1.0, accuracy=1.0, reward=1.0)
    res = rp.simulate(None, rp.AlwaysCooperate(), rounds=4, runs=2, monitoring=m)
    assert res.scores.tolist() == [[16.0, 16.0]] * 2
    assert res.rewards_received.tolist() == [4.0, 4.0]


def test_false_alarms_fine_cooperators():
    """q = 1, false_alarm = 1: every cooperator is flagged, fined and forfeits its transfer."""
    m = rp.Monitoring(audit_prob=1.0, accuracy=1.0, fine=1.0, false_alarm=1.0)
    res = rp.simulate(None, rp.AlwaysCooperate(), rounds=5, runs=1, monitoring=m,
                      transfers=[2.0, 2.0])
    assert res.scores.tolist() == [[5 * (3 - 1), 5 * (3 - 1)]]


def test_peer_fines_are_zero_sum():
    """Peer fines move money between jurisdictions only: they sum to zero in every run."""
    m = rp.Monitoring(peer_error=0.1, peer_fine=3.0)
    g = rp.public_goods_game(4, 2.0)
    strategies = [rp.AlwaysDefect(), rp.TitForTat(), rp.AlwaysCooperate(), rp.Random(0.5)]
    with_fines = rp.simulate(g, strategies, rounds=20, runs=200, monitoring=m, seed=2)
    assert abs(with_fines.peer_net.sum()) < 1e-9
    assert with_fines.peer_net[0] < 0 < with_fines.peer_net[2]
    stage_only = rp.simulate(g, strategies, rounds=20, runs=200,
                             monitoring=rp.Monitoring(peer_error=0.1), seed=2)
    assert np.allclose(with_fines.scores.sum(axis=1), stage_only.scores.sum(axis=1))


def test_peer_verified_transfers():
    """Peers see a defector defect unless they err: with error 0 transfers go to
    cooperators only; the defector's peers never certify it."""
    m = rp.Monitoring(peer_error=0.0, verify="peers")
    g = rp.public_goods_game(3, 2.0)
    res = rp.simulate(g, [rp.AlwaysDefect(), rp.AlwaysCooperate(), rp.AlwaysCooperate()],
                      rounds=6, runs=2, monitoring=m, transfers=[1.0, 1.0, -2.0])
    assert res.transfers_received.tolist() == [0.0, 6.0, -12.0]


def test_collapse_and_cooperation_rates():
    allc = rp.simulate(None, rp.AlwaysCooperate(), rounds=20, runs=10)
    alld = rp.simulate(None, rp.AlwaysDefect(), rounds=20, runs=10)
    assert allc.collapse_share == 0.0 and alld.collapse_share == 1.0
    assert allc.cooperation_rate == 1.0 and alld.cooperation_rate == 0.0
    assert allc.welfare_share == 1.0 and alld.welfare_share == 0.0
    assert allc.welfare_ratio == 1.0
    mixed = rp.simulate(None, [rp.AlwaysCooperate(), rp.AlwaysDefect()], rounds=20, runs=10)
    assert mixed.collapse_share == 0.0           # half the actions are cooperative
    assert mixed.welfare_share == pytest.approx((5 - 2) / (6 - 2))


@pytest.mark.parametrize("strategy, expected", [
    (rp.AlwaysCooperate(), 0.0),
    # WSLS: shock (D, C) -> both D -> both C: back one round after the shock
    (rp.WinStayLoseShift(), 1.0),
    # TFT echoes the shock for ever; grim never forgives
    (rp.TitForTat(), math.inf),
    (rp.GrimTrigger(), math.inf),
    # trust 1 -> 0.75 after the broken promise: still above 0.5
    (rp.TrustThreshold(), 0.0),
])
def test_recovery_after_a_one_player_shock(strategy, expected):
    res = rp.simulate(None, strategy, rounds=30, runs=4, shock=rp.Shock(10, players=["P0"]))
    assert np.all(res.recovery == expected)


def test_recovery_not_applicable_without_cooperation():
    res = rp.simulate(None, rp.AlwaysDefect(), rounds=30, runs=4, shock=rp.Shock(10))
    assert np.isnan(res.recovery).all()
    assert math.isnan(res.recovery_summary()["recovery_median"])


def test_history_and_aggregates_agree():
    g = rp.public_goods_game(3, 2.0)
    res = rp.simulate(g, [rp.TitForTat(), rp.Random(0.6), rp.WinStayLoseShift()], rounds=15,
                      runs=400, noise=0.05, seed=4)
    assert np.allclose(res.cooperation_by_round, res.cooperated.mean(axis=0))
    pay = np.stack([as_stage(g).payoffs(res.cooperated[:, t]) for t in range(15)], axis=1)
    assert np.allclose(res.scores, pay.sum(axis=1))
    assert np.allclose(res.payoff_by_round, pay.mean(axis=0))
    df = res.to_frame()
    assert list(df.columns) == ["round", "jurisdiction", "strategy", "cooperation", "payoff",
                                "alive_runs"]
    assert len(df) == 15 * 3
    assert res.by_round()["cooperation"].to_numpy() == pytest.approx(
        res.cooperated.mean(axis=(0, 2)))


def test_continuation_masks_rounds_after_the_end():
    res = rp.simulate(None, rp.AlwaysCooperate(), rounds=50, runs=500, continuation=0.8,
                      seed=6)
    played = res.cooperated.sum(axis=(1, 2)) / 2
    assert np.array_equal(played, res.lengths)
    assert np.allclose(res.scores[:, 0], 3.0 * res.lengths)
    assert res.alive_by_round[0] == 500
    assert np.array_equal(res.alive_by_round,
                          [(res.lengths > t).sum() for t in range(50)])


# ---------------------------------------------------------------------------- reproducibility
def small(seed=0, runs=300, chunk=None, **kw):
    g = rp.public_goods_game(4, 2.5)
    strategies = [rp.TitForTat(k=2), rp.GenerousTitForTat(0.2), rp.TrustThreshold(),
                  rp.Opportunist()]
    m = rp.Monitoring(audit_prob=0.3, accuracy=0.8, fine=1.0, peer_error=0.05, peer_fine=0.5)
    return rp.simulate(g, strategies, rounds=30, runs=runs, noise=0.03, monitoring=m,
                       transfers=[0.2, 0.1, -0.1, -0.2], seed=seed, chunk=chunk,
                       shock=rp.Shock(12), **kw)


def same(a, b):
    rec = (a.recovery is None and b.recovery is None) or np.array_equal(
        a.recovery, b.recovery, equal_nan=True)
    return np.array_equal(a.cooperated, b.cooperated) and np.array_equal(a.scores, b.scores) \
        and rec


def test_same_seed_identical_and_other_seed_different():
    assert same(small(seed=5), small(seed=5))
    assert not same(small(seed=5), small(seed=6))
    assert same(small(seed=np.random.SeedSequence(5)), small(seed=np.random.SeedSequence(5)))
    assert same(small(seed=np.random.default_rng(9)), small(seed=np.random.default_rng(9)))
    assert same(small(seed=0), small(seed=0))      # 0 is a seed like any other


@pytest.mark.parametrize("chunk", [9, 64, 299, 5000])
def test_chunking_does_not_change_results(chunk):
    assert same(small(chunk=chunk), small())


def test_prefix_properties():
    """The first runs, and the first rounds, do not depend on how many there are."""
    big = small(runs=300)
    few = small(runs=40)
    assert np.array_equal(big.cooperated[:40], few.cooperated)
    short = rp.simulate(None, rp.GenerousTitForTat(0.3), rounds=10, runs=50, noise=0.1, seed=1)
    long = rp.simulate(None, rp.GenerousTitForTat(0.3), rounds=40, runs=50, noise=0.1, seed=1)
    assert np.array_equal(long.cooperated[:, :10], short.cooperated)


def test_vectorised_philox_matches_numpy():
    key = _rng.as_key(123)
    c = np.arange(5, dtype=np.uint64)
    got = np.stack(_rng.philox4x64(c + 1, c * 7, c * 0 + 3, c * 0, key), axis=1)
    for i in range(5):
        ref = np.random.Philox(key=key, counter=[int(c[i]), int(c[i] * 7), 3, 0]).random_raw(4)
        assert np.array_equal(got[i], ref)


def test_match_is_run_zero_of_simulate():
    for noise in (0.0, rp.Noise(0.05, 0.05)):
        m = rp.match(rp.GenerousTitForTat(0.3), rp.TwoTitsForTat(), turns=200, noise=noise,
                     seed=4)
        s = rp.simulate(None, [rp.GenerousTitForTat(0.3), rp.TwoTitsForTat()], rounds=200,
                        runs=2, noise=noise, seed=4)
        assert np.array_equal(m.cooperated, s.cooperated[0])
        assert np.allclose(m.scores, s.scores[0])


def test_binomial_observation_matches_pairwise_in_distribution(monkeypatch):
    """Beyond 64 players observation errors are drawn as binomial counts; forcing that
    path at n = 6 gives the same cooperation rate as the pairwise matrix (z-test)."""
    g = rp.public_goods_game(6, 3.0)
    args = dict(rounds=10, runs=3000, monitoring=rp.Monitoring(peer_error=0.08), seed=2)
    pair = rp.simulate(g, rp.ThresholdReciprocity(4), **args)
    monkeypatch.setattr(_engine_config, "MATRIX_MAX_PLAYERS", 2)  # where the spec reads it
    binom = rp.simulate(g, rp.ThresholdReciprocity(4), **args)
    assert any("binomial" in n for n in binom.notes)
    x = pair.cooperated.mean(axis=(1, 2))
    y = binom.cooperated.mean(axis=(1, 2))
    z = (x.mean() - y.mean()) / math.sqrt(x.var() / x.size + y.var() / y.size)
    assert abs(z) < 4


# ---------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, field", [
    (dict(noise=1.5), "noise"),
    (dict(noise=-0.1), "noise"),
    (dict(rounds=-3), "rounds"),
    (dict(rounds=0), "rounds"),
    (dict(runs=0), "runs"),
    (dict(rounds=None), "rounds"),
    (dict(rounds=None, continuation=1.0), "rounds"),
    (dict(continuation=1.2), "continuation"),
    (dict(continuation=float("nan")), "continuation"),
    (dict(strategies=[rp.TitForTat()] * 3), "strategies"),
    (dict(strategies={"P0": rp.TitForTat()}), "strategies"),
    (dict(strategies={"P0": rp.TitForTat(), "X": rp.TitForTat()}), "strategies"),
    (dict(strategies=[rp.TitForTat, rp.TitForTat()]), "strategies[0]"),
    (dict(strategies=["tft", "tft"]), "strategies[0]"),
    (dict(transfers=[1.0, 2.0, 3.0]), "transfers"),
    (dict(transfers={"P0": 1.0, "Q": 2.0}), "transfers"),
    (dict(shock=rp.Shock(200)), "Shock.round"),
    (dict(shock=rp.Shock(3, players=["Q"])), "Shock.players"),
    (dict(seed=-1), "seed"),
    (dict(seed="abc"), "seed"),
    (dict(monitoring="audits"), "monitoring"),
    (dict(collapse_level=2.0), "collapse_level"),
])
def test_bad_input_is_a_clear_error(kwargs, field):
    args = dict(stage_game=None, strategies=rp.TitForTat(), rounds=10, runs=5)
    args.update(kwargs)
    try:
        rp.simulate(**args)
    except InputError as exc:
        if field is not None:
            assert exc.field == field
        assert exc.rule
    else:  # pragma: no cover - the test fails
        pytest.fail(f"no error for {kwargs}")


@pytest.mark.parametrize("build, field", [
    (lambda: rp.Monitoring(audit_prob=1.2), "Monitoring.audit_prob"),
    (lambda: rp.Monitoring(accuracy=-0.5), "Monitoring.accuracy"),
    (lambda: rp.Monitoring(peer_error=3), "Monitoring.peer_error"),
    (lambda: rp.Monitoring(fine=-1), "Monitoring.fine"),
    (lambda: rp.Monitoring(fund_share=1.5), "Monitoring.fund_share"),
    (lambda: rp.Monitoring(verify="oracle"), "Monitoring.verify"),
    (lambda: rp.Noise(observation=1.01), "Noise.observation"),
    (lambda: rp.Noise(cooperation_fails=2.0), "Noise.cooperation_fails"),
    (lambda: rp.Shock(0), "Shock.round"),
    (lambda: rp.Shock(3, length=0), "Shock.length"),
])
def test_bad_mechanism_parameters(build, field):
    with pytest.raises(InputError) as err:
        build()
    assert err.value.field == field
    assert str(err.value).startswith(field)


def test_match_and_tournament_errors():
    with pytest.raises(InputError, match="integer >= 1"):
        rp.match(rp.TitForTat(), rp.TitForTat(), turns=-5)
    with pytest.raises(InputError, match="two-player"):
        rp.match(rp.TitForTat(), rp.TitForTat(), game=rp.public_goods_game(3))
    with pytest.raises(InputError, match="at least 2"):
        rp.tournament([rp.TitForTat()])
    with pytest.raises(InputError, match="instance"):
        rp.tournament([rp.TitForTat, rp.AlwaysDefect()])
    with pytest.raises(InputError, match="probability"):
        rp.tournament([rp.TitForTat(), rp.AlwaysDefect()], noise=-0.2)


def test_observation_error_given_twice():
    with pytest.raises(InputError, match="given twice"):
        rp.simulate(None, rp.TitForTat(), rounds=3, runs=2, noise=rp.Noise(observation=0.1),
                    monitoring=rp.Monitoring(peer_error=0.2))


# ---------------------------------------------------------------------------- properties
memory_one = st.tuples(*[st.floats(0, 1)] * 4, st.floats(0, 1)).map(
    lambda v: rp.MemoryOne(*v[:4], start=v[4]))
classic = st.sampled_from([rp.TitForTat(), rp.GrimTrigger(), rp.WinStayLoseShift(),
                           rp.TitForTwoTats(), rp.Alternator(), rp.AlwaysDefect(),
                           rp.TrustThreshold(), rp.Opportunist()])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s1=st.one_of(classic, memory_one), s2=st.one_of(classic, memory_one),
       noise=st.floats(0, 0.3), chunk=st.integers(1, 40), seed=st.integers(0, 2**32))
def test_property_chunking_and_accounting(s1, s2, noise, chunk, seed):
    """Any two strategies, any noise: chunking never changes anything; totals are the sum
    of the stage payoffs of the recorded actions; rates lie in [0, 1]."""
    a = rp.simulate(None, [s1, s2], rounds=12, runs=40, noise=noise, seed=seed)
    b = rp.simulate(None, [s1, s2], rounds=12, runs=40, noise=noise, seed=seed, chunk=chunk)
    assert same(a, b)
    pay = as_stage(None).payoffs(a.cooperated.reshape(-1, 2)).reshape(40, 12, 2)
    assert np.allclose(a.scores, pay.sum(axis=1))
    assert np.all((a.cooperation_by_round >= 0) & (a.cooperation_by_round <= 1))


@settings(max_examples=20, deadline=None)
@given(s1=st.one_of(classic, memory_one), s2=st.one_of(classic, memory_one),
       noise=st.floats(0, 0.3), obs=st.sampled_from([0.0, 0.1]), seed=st.integers(0, 2**32))
def test_property_match_path_equals_engine(s1, s2, noise, obs, seed):
    """The tabulated match of two finite-state strategies reproduces the engine exactly."""
    nz = rp.Noise(noise, obs)
    m = rp.match(s1, s2, turns=60, noise=nz, seed=seed)
    s = rp.simulate(None, [s1, s2], rounds=60, runs=1, noise=nz, seed=seed)
    assert np.array_equal(m.cooperated, s.cooperated[0])


def test_generous_tft_default_generosity_per_seat():
    """In an asymmetric scenario each seat's generosity comes from its own R, S, T, P."""
    s = chain_scenario(3)
    stage = as_stage(s)
    out, _, start, _, lut, _ = engine._compile([rp.GenerousTitForTat()], np.zeros(3, int),
                                               stage, np.zeros(3))
    rstp = stage.rstp()
    for j in range(3):
        p = np.clip(rp.GenerousTitForTat.default_p(*rstp[j]), 0, 1)
        machine_start = start[lut[0, j]]
        assert out[machine_start - 4 + 1] == pytest.approx(p)     # state CD of seat j
    # Up is not in a Prisoner's Dilemma (R = S): no generosity; Down: min(1 - 0.2/4, 3.8/4)
    out, _, start, _, lut, _ = engine._compile([rp.GenerousTitForTat()], np.zeros(2, int),
                                               as_stage(up_down()), np.zeros(2))
    assert [out[start[lut[0, j]] - 3] for j in range(2)] == pytest.approx([0.0, 0.95])


def test_ledger_masked_booking_equals_unmasked_when_every_run_is_alive():
    """Each round is booked once, under a mask of the runs still going. With a
    continuation probability so close to 1 that every run reaches the horizon the
    mask is all True, and every booked number must equal the fixed-horizon run."""
    stage = as_stage(chain_scenario(5))
    strategies = [rp.TitForTat(k=3), rp.Opportunist(), rp.TrustThreshold(generosity=0.1)]
    assign = np.array([0, 1, 2, 0, 1])
    mon = rp.Monitoring(audit_prob=0.4, accuracy=0.8, false_alarm=0.1, fine=2.0, reward=0.5,
                        peer_fine=0.7, peer_error=0.05, verify="peers")
    kw = dict(runs=120, rounds=15, noise=rp.Noise(0.03), monitoring=mon,
              transfers=np.array([0.3, -0.1, 0.0, 0.2, -0.4]), seed=11,
              incentive=np.zeros(5), keep_history=True, shock=(5, 2, np.ones(5, bool)))
    fixed = engine.run_engine(stage, strategies, assign, continuation=None, **kw)
    masked = engine.run_engine(stage, strategies, assign, continuation=1 - 1e-12, **kw)
    assert np.all(masked.lengths == 15)
    for name in ("history", "scores", "stage_totals", "coop_by_round", "stage_by_round",
                 "alive_by_round", "fines_by_round", "rewards_by_round",
                 "transfers_by_round", "fines_paid", "rewards_received",
                 "transfers_received", "peer_net", "window_share"):
        a, b = getattr(fixed, name), getattr(masked, name)
        assert np.array_equal(a, b), name
    assert np.array_equal(fixed.recovery, masked.recovery, equal_nan=True)
