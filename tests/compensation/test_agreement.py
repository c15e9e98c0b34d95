"""two_way_agreement: the bargaining range of a Xin'an-type two-way stake, exactly."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co


def oracle_in_range(U, pi, o, s, subsidy=0.0, up=0, tol=1e-9):
    """Independent check at one stake: loops over the bimatrix with the expected transfer
    s (2 pi - 1) from the downstream to the upstream player; s is in the range when a pure
    equilibrium exists and every one raises welfare and leaves both >= o."""
    sign = [1.0, -1.0] if up == 0 else [-1.0, 1.0]
    k1, k2 = U.shape[1:]
    A = U[0] + sign[0] * s * (2 * pi - 1) + (subsidy if up == 0 else 0.0)
    B = U[1] + sign[1] * s * (2 * pi - 1) + (subsidy if up == 1 else 0.0)
    eqs = [(i, j) for i in range(k1) for j in range(k2)
           if A[i, j] >= A[:, j].max() - tol and B[i, j] >= B[i, :].max() - tol]
    if not eqs:
        return False
    W = U[0] + U[1]
    return all(A[e] >= o[0] - tol and B[e] >= o[1] - tol and W[e] > o.sum() + tol for e in eqs)


def test_hand_example():
    """Up's protection costs 1 and lifts the chance the standard is met from 0.5 to 0.9, so
    the stake pays Up (2 * 0.9 - 1) s = 0.8 s when it protects and 0 when not; Down's damage
    falls from 5 to 1. Without agreement Up does not protect: payoffs (0, -5).
    With stake s, Up protects iff 0.8 s - 1 >= 0, s >= 1.25 (at s = 1.25 both actions are
    equilibria and the unprotected one creates no value, so 1.25 itself is out);
    then Up gets 0.8 s - 1 >= 0 and Down gets -1 - 0.8 s >= -5 iff s <= 5.
    Range: (1.25, 5]."""
    g = co.NormalFormGame.from_bimatrix([[0, 0], [-1, -1]], [[-5, -5], [-1, -1]],
                                        players=["Up", "Down"],
                                        actions=[["self", "protect"], ["self", "watch"]])
    res = co.two_way_agreement(g, {"small": 1.0, "mid": 2.0, "edge": 5.0, "big": 6.0},
                               compliance=[[0.5, 0.5], [0.9, 0.9]])
    assert res.lower == pytest.approx(1.25) and res.upper == pytest.approx(5.0)
    assert len(res.intervals) == 1
    row = res.intervals.iloc[0]
    assert not row.lo_closed and row.hi_closed
    assert not res.contains(1.25) and res.contains(1.2500001) and res.contains(5.0)
    assert res.stakes["in_range"].tolist() == [False, True, True, False]
    assert res.stakes.loc["mid", "gain[Up]"] == pytest.approx(0.6)
    assert res.stakes.loc["mid", "gain[Down]"] == pytest.approx(2.4)
    # Down is indifferent between its two actions: two equilibria, the same transfer 0.8 s
    assert res.stakes.loc["mid", "equilibria"] == "(protect, self); (protect, watch)"
    assert res.stakes.loc["mid", "expected_transfer"].split(", ") == ["1.6", "1.6"]
    assert res.upstream == "Up" and res.downstream == "Down"
    assert "<table" in res._repr_html_()


def test_xinan_rounds():
    """The shipped Xin'an case (its probabilities, damages and costs are illustrative; the
    stakes are real: 1亿 in round 1, 2亿 in rounds 2 and 3). The index fails when the
    'water-quality failure at Jiekou' hazard strikes: p = 0.5 without Anhui's protection,
    0.5 (1 - 0.7) = 0.15 with it, so the stake pays Anhui 0 or 0.7 s. No agreement:
    (Anhui self, Zhejiang cooperate), payoffs (-1.65, -3.9). With the stake, the
    equilibrium becomes (cooperate, self) with payoffs (-2.615 + 0.7 s, -1.26 - 0.7 s):
    Anhui gains iff s >= 0.965 / 0.7 = 1.378571..., Zhejiang iff s <= 2.64 / 0.7 =
    3.771428... (payoffs from scenario.payoffs). Round 1's stake lies below the range,
    rounds 2 and 3 inside."""
    s = co.load_scenario("data/xinan/scenario.toml")
    res = co.two_way_agreement(s)
    U = s.to_game().payoffs
    assert U[0][1, 0] == pytest.approx(-2.615) and U[1][1, 0] == pytest.approx(-1.26)
    assert res.lower == pytest.approx((2.615 - 1.65) / 0.7)
    assert res.upper == pytest.approx((3.9 - 1.26) / 0.7)
    table = res.stakes
    assert table.loc["stake_round1_2012_2014", "in_range"] == False  # noqa: E712
    assert table.loc["stake_round2_2015_2017", "in_range"] == True  # noqa: E712
    assert table.loc["stake_round3_2018_2020", "in_range"] == True  # noqa: E712
    np.testing.assert_allclose(res.compliance, [[0.5, 0.5], [0.85, 0.85]])
    # the central 3亿 a year to Anhui (round 1) does not move the upper end
    sub = co.two_way_agreement(s, subsidy=3.0)
    assert sub.upper == pytest.approx(res.upper) and sub.lower < res.lower


@settings(max_examples=20, deadline=None)
@given(vals=st.lists(st.integers(-20, 20), min_size=12, max_size=12),
       pis=st.lists(st.sampled_from([0.1, 0.3, 0.5, 0.7, 0.9, 1.0]), min_size=6, max_size=6),
       up=st.integers(0, 1), subsidy=st.sampled_from([0.0, 1.0]))
def test_range_matches_a_dense_grid(vals, pis, up, subsidy):
    """On random 2x3 games the exact range agrees with the independent oracle at every
    point of a dense grid of stakes (except within 1e-6 of an interval end)."""
    U = np.array(vals, float).reshape(2, 2, 3) / 2
    pi = np.array(pis).reshape(2, 3)
    g = co.NormalFormGame.from_arrays(U, players=["P", "Q"])
    res = co.two_way_agreement(g, upstream=["P", "Q"][up], compliance=pi, subsidy=subsidy)
    o = res.outside_option.to_numpy()
    ends = np.r_[res.intervals["lo"], res.intervals["hi"]]
    for s in np.linspace(0, 40, 321):
        if ends.size and np.min(np.abs(ends - s)) < 1e-6:
            continue
        assert res.contains(s) == oracle_in_range(U, pi, o, s, subsidy, up), s
