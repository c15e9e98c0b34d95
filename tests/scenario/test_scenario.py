"""Scenarios: the payoff model of docs/model.md, section 2, by hand and at scale."""

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co

ROOT = Path(__file__).resolve().parents[2]


def three_jurisdictions():
    """Hand-made basin: U(pstream) -> M(idstream) -> D(ownstream).

    Costs of cooperating: U 0.8, M 0.5, D 0.2.
    Hazard 'flood': p = 0.4, D = 10, origins U and M, r = 0.5 each,
    response d = 0.3, shares U 0.2, M 0.3, D 0.5 (a shared source, pattern 1).
    """
    return co.Scenario(
        jurisdictions=[co.Jurisdiction("U", costs={"self": 0, "cooperate": 0.8}),
                       co.Jurisdiction("M", costs={"self": 0, "cooperate": 0.5}),
                       co.Jurisdiction("D", costs={"self": 0, "cooperate": 0.2})],
        hazards=[co.Hazard("flood", probability=0.4, damage=10.0, origins=["U", "M"],
                           prevention=0.5, response=0.3,
                           spillover={"U": 0.2, "M": 0.3, "D": 0.5})],
        unit="CNY 100M")


def test_hand_made_three_jurisdiction_tensor_and_equilibrium():
    """By hand: p(a) = 0.4 (1 - .5 e_U)(1 - .5 e_M); D(a) = 10 (1 - .3 k/3) where
    k = number cooperating; u_i = -c_i - p(a) D(a) s_i.

    Expected loss L(a) = p(a) D(a):
      nobody:        0.4 * 10          = 4.0
      only D:        0.4 * 10 * 0.9    = 3.6
      only U (or M): 0.2 * 10 * 0.9    = 1.8
      U and D:       0.2 * 10 * 0.8    = 1.6
      U and M:       0.1 * 10 * 0.8    = 0.8
      all:           0.1 * 10 * 0.7    = 0.7
    U's gain from cooperating when nobody does: 0.2 * (4.0 - 1.8) = 0.44 < 0.8;
    M's: 0.3 * 2.2 = 0.66 > 0.5; D's: 0.5 * 0.4 = 0.2 >= 0.2 (a tie).
    Welfare W = -(sum of costs) - L: (0,0,0) -4.0, (0,0,1) -3.8, (1,0,0) -2.6,
    (0,1,0) -2.3, (1,0,1) -2.6, (0,1,1) -2.3, (1,1,0) -2.1, (1,1,1) -2.2:
    the optimum is (U, M cooperate; D self), surplus -2.1 - (-2.3) = 0.2.
    """
    game = three_jurisdictions().to_game()
    L = {(0, 0, 0): 4.0, (0, 0, 1): 3.6, (1, 0, 0): 1.8, (0, 1, 0): 1.8, (1, 0, 1): 1.6,
         (0, 1, 1): 1.6, (1, 1, 0): 0.8, (1, 1, 1): 0.7}
    cost = np.array([0.8, 0.5, 0.2])
    share = np.array([0.2, 0.3, 0.5])
    for a, loss in L.items():
        expected = -cost * np.array(a) - loss * share
        assert np.allclose(game.payoffs[(slice(None),) + a], expected), a
    # M's best reply to (self, ., self) is cooperate (0.66 > 0.5);
    # then U: 0.2 * (1.8 - 0.8) = 0.2 < 0.8 -> self; D: 0.5 * (1.8 - 1.6) = 0.1 < 0.2 -> self.
    assert co.pure_equilibria(game).profiles == [(0, 1, 0)]
    assert co.social_optimum(game).profile == (1, 1, 0)
    res = co.analyze(game)
    assert res.cooperation_surplus == pytest.approx(0.2)
    assert res.price_of_anarchy == pytest.approx(2.3 / 2.1)


def test_three_spillover_patterns():
    j = [co.Jurisdiction(n, costs={"self": 0, "cooperate": 1}) for n in "ABC"]
    shared = co.Hazard("basin", 0.3, 10, {"A": 1 / 3, "B": 1 / 3, "C": 1 / 3},
                       origins=["A", "B"], prevention=0.4)
    one_to_many = co.Hazard("ash", 0.1, 50, {"A": 0.1, "B": 0.45, "C": 0.45},
                            origins=["A"], prevention=0.8)
    upstream = co.Hazard("spill", 0.2, 20, {"C": 1.0}, origins=["A"], prevention=0.9)
    s = co.Scenario(j, [shared, one_to_many, upstream], unit="CNY 10k")
    S = s.spillover_matrix.toarray()
    assert S[2, 0] == 0 and S[2, 2] == 1          # source and exposure apart
    assert np.count_nonzero(S[1]) == 3             # one source, many exposed
    assert s.hazards[0].origins == ("A", "B")      # a shared source
    # C gains from A's prevention through all three channels: spill (all of it),
    # ash (its 45%) and the basin (its third); A bears no part of the spill
    base = s.payoffs([0, 0, 0])[0]
    a_coop = s.payoffs([1, 0, 0])[0]
    assert a_coop[2] - base[2] == pytest.approx(0.2 * 20 * 0.9 + 0.1 * 50 * 0.8 * 0.45
                                                + 0.3 * 10 * 0.4 / 3)
    assert a_coop[0] - base[0] == pytest.approx(0.1 * 50 * 0.8 * 0.1 + 0.3 * 10 * 0.4 / 3 - 1)


def test_response_channel_cuts_damage():
    j = [co.Jurisdiction("A", costs=[0, 0]), co.Jurisdiction("B", costs=[0, 0])]
    h = co.Hazard("fire", 0.5, 8.0, {"A": 0.5, "B": 0.5}, response=0.5)
    s = co.Scenario(j, [h], unit="x")
    # kappa = share of involved jurisdictions cooperating; D = 8 (1 - 0.5 kappa)
    u = s.payoffs([[0, 0], [1, 0], [1, 1]])
    assert np.allclose(u[:, 0], [-2.0, -1.5, -1.0])


def test_several_action_levels():
    acts = [co.ActionLevel("self", 0, 0), co.ActionLevel("share info", 0, 1),
            co.ActionLevel("invest", 1, 1)]
    j = [co.Jurisdiction("A", costs=[0, .1, 1.]), co.Jurisdiction("B", costs=[0, .1, 1.])]
    h = co.Hazard("h", 0.5, 10, {"A": .5, "B": .5}, origins=["A", "B"], prevention=0.5,
                  response=0.2)
    s = co.Scenario(j, [h], acts, unit="x")
    g = s.to_game()
    assert g.shape == (3, 3) and g.actions[0] == ("self", "share info", "invest")
    assert s.cooperative_level == 2


def brute_deviations(s, profile):
    n, K = s.n_players, s.n_levels
    out = np.empty((n, K))
    for i in range(n):
        for k in range(K):
            p = np.array(profile)
            p[i] = k
            out[i, k] = s.payoffs(p)[0, i]
    return out


@st.composite
def random_scenarios(draw):
    n = draw(st.integers(1, 5))
    K = draw(st.integers(2, 3))
    names = [f"J{i}" for i in range(n)]
    levels = [co.ActionLevel(f"L{k}", draw(st.sampled_from([0.0, 0.5, 1.0])),
                             draw(st.sampled_from([0.0, 0.5, 1.0]))) for k in range(K)]
    js = [co.Jurisdiction(nm, costs=[draw(st.floats(0, 3)) for _ in range(K)]) for nm in names]
    hz = []
    for h in range(draw(st.integers(1, 3))):
        w = np.array([draw(st.floats(0, 1)) for _ in names])
        if w.sum() == 0:
            w[0] = 1
        w = w / w.sum()
        origins = [nm for nm in names if draw(st.booleans())]
        hz.append(co.Hazard(f"H{h}", draw(st.floats(0, 1)), draw(st.floats(0, 50)),
                            dict(zip(names, w.tolist(), strict=True)), origins,
                            {o: draw(st.sampled_from([0.0, 0.3, 1.0])) for o in origins},
                            draw(st.floats(0, 1))))
    s = co.Scenario(js, hz, levels, unit="x")
    profile = [draw(st.integers(0, K - 1)) for _ in names]
    return s, profile


@settings(max_examples=80, deadline=None)
@given(random_scenarios())
def test_deviation_payoffs_equal_brute_force(case):
    s, profile = case
    assert np.allclose(s.deviation_payoffs(profile), brute_deviations(s, profile), atol=1e-9)
    g = s.to_game()
    grid = list(itertools.product(range(s.n_levels), repeat=s.n_players))
    assert np.allclose(s.payoffs(grid).T.reshape(g.payoffs.shape), g.payoffs)
    # separable NE check agrees with the tensor
    ne = set(co.pure_equilibria(g).profiles)
    assert s.is_equilibrium(profile) == (tuple(profile) in ne)


def test_thousands_of_jurisdictions_without_tensor():
    rng = np.random.default_rng(0)
    n = 3000
    names = [f"county{i}" for i in range(n)]
    js = [co.Jurisdiction(nm, costs={"self": 0, "cooperate": float(c)})
          for nm, c in zip(names, rng.uniform(0.1, 1, n), strict=True)]
    hz = []
    for i in range(n):
        nb = rng.choice(n, size=5, replace=False)
        nb = [x for x in nb if x != i][:4] + [i]
        w = rng.dirichlet(np.ones(len(nb)))
        hz.append(co.Hazard(f"h{i}", 0.1, 10.0, {names[k]: float(x) for k, x in zip(nb, w, strict=True)},
                            origins=[names[i]], prevention=0.6, response=0.2))
    s = co.Scenario(js, hz, unit="CNY 10k")
    with pytest.raises(co.errors.ScenarioError, match=r"without a tensor.*scenario\.payoffs\(profiles\)"):
        s.to_game()
    prof = rng.integers(0, 2, n)
    dev = s.deviation_payoffs(prof)
    assert dev.shape == (n, 2)
    for i in rng.choice(n, 5, replace=False):
        p = prof.copy()
        p[i] = 1 - p[i]
        assert dev[i, p[i]] == pytest.approx(s.payoffs(p)[0, i])
        assert dev[i, prof[i]] == pytest.approx(s.payoffs(prof)[0, i])


def test_shipped_case_loads_and_is_immutable():
    s = co.load_scenario(ROOT / "data" / "xinan" / "scenario.toml")
    assert s.players == ("Anhui", "Zhejiang") and s.unit == "CNY 100M/yr"
    assert s.sources["stake_round1_2012_2014"] == 1.0
    with pytest.raises(ValueError):
        s.costs[0, 0] = 5.0
    with pytest.raises(AttributeError):
        s.unit = "USD"
    assert co.load_scenario(ROOT / "data" / "xinan") == s


def test_csv_tables(tmp_path):
    (tmp_path / "j.csv").write_text("name,capacity,cost_self,cost_cooperate\n"
                                    "A,100,0,1.0\nB,50,0,0.5\n")
    (tmp_path / "h.csv").write_text("name,probability,damage,origins,prevention,response\n"
                                    "flood,0.3,10,A,0.5,0.1\n")
    (tmp_path / "s.csv").write_text("hazard,jurisdiction,share\nflood,A,0.25\nflood,B,0.75\n")
    (tmp_path / "scenario.toml").write_text('unit = "CNY 10k"\njurisdictions = "j.csv"\n'
                                            'hazards = "h.csv"\nspillover = "s.csv"\n')
    s = co.load_scenario(tmp_path / "scenario.toml")
    assert s.capacity.tolist() == [100.0, 50.0]
    assert s.hazards[0].spillover == {"A": 0.25, "B": 0.75}
    assert s.costs.tolist() == [[0.0, 1.0], [0.0, 0.5]]
