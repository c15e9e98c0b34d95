"""design_compensation: answers derived by hand and from the literature."""

import math

import numpy as np
import pytest

import cooperation as co

P, IC, CAP, CORE = "participation", "self_enforcement", "capacity", "core"


# ----------------------------------------------------------------------------- the hand-solved LP
def test_upstream_downstream_participation_only(updown, build):
    """Hand-solved two-jurisdiction LP. Up pays 1 to protect; the spill (p = 0.5, damage
    10) lands on Down; protection cuts p by 80%. Payoffs (Up, Down):
    (self, self) = (0, -5) is the only Nash equilibrium; the social optimum is
    (cooperate, self) = (-1, -1), welfare -2 against -5: a cooperation surplus of 3.

    Participation: t_Up >= 0 - (-1) = 1 and t_Down >= -5 - (-1) = -4. Minimising
    g = t_Up + t_Down >= 1 - 4 < 0 gives g = 0 with t_Up in [1, 4], t_Down = -t_Up;
    at g = 0 the money moved 2 t_Up is least at t_Up = 1. So t = (1, -1), g = 0:
    Down pays Up exactly Up's cost of protecting, and the answer is unique."""
    res = co.design_compensation(updown, constraints=[P])
    assert res.success and res.status == 0
    assert res.target == ("cooperate", "self") and res.target_certified
    np.testing.assert_allclose(res.transfers.to_numpy(), [1.0, -1.0], atol=1e-9)
    assert res.subsidy == 0.0 and res.money_moved == pytest.approx(2.0)
    assert res.unique is True
    np.testing.assert_allclose(res.transfer_range.to_numpy(), [[1, 1], [-1, -1]], atol=1e-7)
    np.testing.assert_allclose(res.payoff_before.to_numpy(), [0.0, -5.0])
    np.testing.assert_allclose(res.gain.to_numpy(), [0.0, 3.0], atol=1e-9)
    assert "participation[Up]" in res.binding and "participation[Down]" not in res.binding
    viol = build.check_design(res, updown.to_game())
    assert max(viol.values()) <= 1e-9
    assert "subsidy: 0 CNY 100M" in repr(res) and "<table" in res._repr_html_()
    assert res.x.tolist() == res.transfers.tolist() and res.fun == res.subsidy


@pytest.mark.parametrize("fine, subsidy, t", [(0.0, 0.8, (1.0, -0.2)), (2.0, 0.0, (1.0, -1.0)),
                                             (0.1, 0.7, (1.0, -0.3))])
def test_upstream_downstream_self_enforcement(updown, build, fine, subsidy, t):
    """Self-enforcement with fine F (a detected deviator forfeits its transfer):
    Up's deviation (self) pays u_Up(self, self) = 0, so t_Up >= 0 - F + 1 = 1 - F;
    Down's only deviation (cooperate) pays u_Down(cooperate, cooperate) = -1.2, so
    t_Down >= -1.2 - F + 1 = -0.2 - F: Down can pay at most 0.2 + F, or it would rather
    leave and stop paying. With participation (t_Up >= 1, t_Down >= -4):
    g = max(0, 1 - min(0.2 + F, 4)), i.e. 0.8 for F = 0, 0.7 for F = 0.1, 0 for F = 2
    (then t_Up = 1 by least money moved)."""
    res = co.design_compensation(updown, constraints=[P, IC], fine=fine)
    assert res.success
    assert res.subsidy == pytest.approx(subsidy, abs=1e-9)
    np.testing.assert_allclose(res.transfers.to_numpy(), t, atol=1e-9)
    assert res.unique
    viol = build.check_design(res, updown.to_game(), fine=fine)
    assert max(viol.values()) <= 1e-9


def test_upstream_downstream_capacity_and_duals(updown):
    """Capacity: Down can pay at most 0.5, so t_Down >= -0.5 and g = 1 - 0.5 = 0.5.
    Shadow prices of min g: raising Up's outside option by d raises g by d (dual of
    participation[Up] = 1); raising Down's cap by d lowers g by d (dual of
    capacity[Down] = -1). Checked by re-solving with the perturbed data."""
    res = co.design_compensation(updown, constraints=[P, CAP], capacity=[math.inf, 0.5])
    assert res.subsidy == pytest.approx(0.5)
    np.testing.assert_allclose(res.transfers.to_numpy(), [1.0, -0.5], atol=1e-9)
    assert set(res.binding) >= {"participation[Up]", "capacity[Down]"}
    assert res.duals["participation[Up]"] == pytest.approx(1.0)
    assert res.duals["capacity[Down]"] == pytest.approx(-1.0)
    d = 0.05
    bumped = co.design_compensation(updown, constraints=[P, CAP], capacity=[math.inf, 0.5 + d])
    assert bumped.subsidy - res.subsidy == pytest.approx(-d)
    raised = co.design_compensation(updown, constraints=[P, CAP], capacity=[math.inf, 0.5],
                                    outside_option=[0.0 + d, -5.0])
    assert raised.subsidy - res.subsidy == pytest.approx(d)
    frame = res.to_frame()
    assert list(frame.index) == ["Up", "Down"] and frame.index.name == "jurisdiction"
    assert frame.loc["Down", "dual_capacity"] == pytest.approx(-1.0)
    assert "capacity" in frame.loc["Down", "binding"]


def test_objectives_on_the_hand_case(updown):
    """The other objectives, by hand (participation and self-enforcement, F = 0:
    t_Up >= 1, t_Down >= -0.2):

    * min_transfers: least sum |t| is t = (1, 0): Down pays nothing and the higher level
      pays 1 > 0.8, the least subsidy: this objective puts the bill on the higher level.
    * max_min_gain with participation only: the subsidy is first held at its minimum 0,
      then the smallest gain is maximised: gains t_Up - 1 and 4 + t_Down with
      t_Down = -t_Up are equal at t_Up = 2.5, gain 1.5 each: the equal split of the
      surplus 3, which is the transferable-utility Nash (1950) bargaining solution.
      With max_subsidy = 1 the whole cap is used: t_Up - 1 = 4 + 1 - t_Up, t = (3, -2).
    * closest to the reference (1.5, -3.5) (that equal split) with participation: the
      reference itself is feasible, so the distance is 0."""
    r = co.design_compensation(updown, constraints=[P, IC], objective="min_transfers")
    np.testing.assert_allclose(r.transfers.to_numpy(), [1.0, 0.0], atol=1e-9)
    assert r.subsidy == pytest.approx(1.0)
    r = co.design_compensation(updown, constraints=[P], objective="max_min_gain")
    np.testing.assert_allclose(r.transfers.to_numpy(), [2.5, -2.5], atol=1e-9)
    np.testing.assert_allclose(r.gain.to_numpy(), [1.5, 1.5], atol=1e-9)
    assert r.subsidy == pytest.approx(0.0, abs=1e-12)
    r = co.design_compensation(updown, constraints=[P], objective="max_min_gain", max_subsidy=1)
    np.testing.assert_allclose(r.transfers.to_numpy(), [3.0, -2.0], atol=1e-9)
    r = co.design_compensation(updown, constraints=[P], objective="closest",
                               reference={"Up": 1.5, "Down": -3.5})
    np.testing.assert_allclose(r.payoff_after.to_numpy(), [1.5, -3.5], atol=1e-9)
    assert r.objective_values[0] == pytest.approx(0.0, abs=1e-9)


def test_closest_to_shapley_uses_the_coalitions_module(updown):
    """Two players: Shapley value = outside option + half the surplus (each player's
    marginal contribution averaged over the two orders), here with v from the
    characteristic function of the game; closest picks exactly that allocation when it
    is feasible (participation only)."""
    v = co.characteristic_function(updown, outsiders="nash")
    phi = co.shapley(v)
    r = co.design_compensation(updown, constraints=[P], objective="closest",
                               reference="shapley", outsiders="nash")
    np.testing.assert_allclose(r.payoff_after.to_numpy(), phi.to_numpy(), atol=1e-9)
    np.testing.assert_allclose(phi.to_numpy(), [1.5, -3.5], atol=1e-9)
    pre = co.design_compensation(updown, constraints=[P], objective="closest",
                                 reference="prenucleolus", outsiders="nash")
    np.testing.assert_allclose(pre.payoff_after.to_numpy(), [1.5, -3.5], atol=1e-9)


# ----------------------------------------------------------------------------- infeasibility
def test_infeasible_diagnosis_gives_the_exact_smallest_subsidy(updown):
    """With self-enforcement (F = 0) the least subsidy is 0.8 (see above); capped at 0.3
    the design is infeasible. The diagnosis must say so with the exact numbers: the
    smallest cap 0.8, and the smallest fine F with t_Up >= 1, t_Down >= -0.2 - F,
    t_Up + t_Down <= 0.3, i.e. F = 0.5; re-solving with either restores feasibility."""
    res = co.design_compensation(updown, constraints=[P, IC], max_subsidy=0.3)
    assert not res.success and res.status == 2
    d = res.diagnosis
    assert d.min_subsidy_cap == pytest.approx(0.8, abs=1e-9)
    assert d.min_fine == pytest.approx(0.5, abs=1e-9)
    assert "max_subsidy" in d.blocking and "self_enforcement" in d.blocking
    assert "participation" not in d.blocking   # Up's IC row asks the same t_Up >= 1
    assert "0.8" in res.message and "0.5" in res.message and "Down" in res.message
    sub = d.shortfalls.set_index("constraint")
    assert sub.loc["self_enforcement[Down]", "shortfall"] == pytest.approx(0.5)
    assert np.isnan(res.transfers).all() and math.isnan(res.subsidy)
    fixed = co.design_compensation(updown, constraints=[P, IC], max_subsidy=d.min_subsidy_cap)
    assert fixed.success and fixed.subsidy == pytest.approx(0.8, abs=1e-9)
    assert "max_subsidy" in fixed.binding
    fined = co.design_compensation(updown, constraints=[P, IC], max_subsidy=0.3,
                                   fine=d.min_fine)
    assert fined.success and fined.subsidy == pytest.approx(0.3, abs=1e-9)
    just_below = co.design_compensation(updown, constraints=[P, IC],
                                        max_subsidy=d.min_subsidy_cap - 1e-4)
    assert not just_below.success


def test_infeasible_capacity_diagnosis(updown):
    """Participation and capacity (Down pays at most 0.5), no more than 0.2 of subsidy:
    t_Up >= 1 and t_Down >= -0.5 need g >= 0.5. The smallest capacity increase is 0.3
    for Down (t_Down >= -0.8), the smallest cap 0.5; both re-solve feasibly."""
    res = co.design_compensation(updown, constraints=[P, CAP], capacity=[math.inf, 0.5],
                                 max_subsidy=0.2)
    d = res.diagnosis
    assert not res.success
    assert d.min_subsidy_cap == pytest.approx(0.5)
    assert d.capacity_increase["Down"] == pytest.approx(0.3)
    assert d.capacity_increase["Up"] == 0.0
    assert math.isnan(d.min_fine)                       # self-enforcement is off
    ok = co.design_compensation(updown, constraints=[P, CAP], capacity=[math.inf, 0.8],
                                max_subsidy=0.2)
    assert ok.success and ok.subsidy == pytest.approx(0.2)


@pytest.mark.parametrize("q", [1.0, 0.5, 0.25])
def test_prisoners_dilemma_deterrence_fine(q):
    """Prisoner's Dilemma R=3, S=0, T=5, P=1, target (C, C), outside option (D, D).
    Self-enforcement with detection probability q and fine F: q t_i >= (T - R) - q F.
    With no subsidy (peer-led, t_1 + t_2 = 0) both rows hold iff F >= (T - R)/q: the
    deterrence condition q F >= gain from defection (Becker 1968, *Journal of Political
    Economy* 76, 169-217; docs/model.md, section 6). Without a fine the least subsidy is
    2 (T - R)/q (each must be paid its temptation)."""
    pd_game = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
                                              actions=[["C", "D"], ["C", "D"]])
    res = co.design_compensation(pd_game, target="C", constraints=[P, IC], max_subsidy=0.0,
                                 detection=q)
    assert not res.success
    assert res.diagnosis.min_fine == pytest.approx(2.0 / q)
    assert res.diagnosis.min_subsidy_cap == pytest.approx(4.0 / q)
    ok = co.design_compensation(pd_game, target="C", constraints=[P, IC], max_subsidy=0.0,
                                detection=q, fine=2.0 / q)
    assert ok.success and ok.subsidy == 0.0
    np.testing.assert_allclose(ok.transfers.to_numpy(), [0.0, 0.0], atol=1e-9)


def test_forfeit_receipts_lets_payers_pay(updown):
    """forfeit='receipts': a detected deviator loses what it would receive but still owes
    its payments. Down is not tempted (its deviation pays less than the target), so it has
    no self-enforcement row and can pay Up's cost: t = (1, -1), g = 0 as with
    participation alone; Up is tempted by 1, so t_Up >= 1."""
    res = co.design_compensation(updown, constraints=[P, IC], forfeit="receipts")
    np.testing.assert_allclose(res.transfers.to_numpy(), [1.0, -1.0], atol=1e-9)
    assert res.subsidy == 0.0
    assert "self_enforcement[Down]" not in res.duals.index


# ----------------------------------------------------------------------------- the core
def test_core_of_the_majority_game_needs_half_a_unit_more():
    """Three players whose actions do not matter (all payoffs 0) and the majority game
    v(S) = 1 for |S| >= 2: its core is empty. Core rows x_i + x_j >= 1 for every pair force
    x(N) >= 3/2 (the balanced collection of the three pairs with weights 1/2:
    Bondareva 1963, Shapley 1967), so the least subsidy is 1.5 with t = (1/2, 1/2, 1/2),
    unique (each t_k = 1.5 - (t_i + t_j) <= 1/2 and they sum to 1.5)."""
    game = co.NormalFormGame.from_arrays(np.zeros((3, 2, 2, 2)), players=["A", "B", "C"])
    maj = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1], players=["A", "B", "C"])
    res = co.design_compensation(game, target=(0, 0, 0), constraints=[CORE],
                                 coalition_values=maj)
    assert res.subsidy == pytest.approx(1.5)
    np.testing.assert_allclose(res.transfers.to_numpy(), [0.5, 0.5, 0.5], atol=1e-9)
    assert res.unique
    assert {"core[A+B]", "core[A+C]", "core[B+C]"} <= set(res.binding)
    assert co.in_core(co.TUGame(maj.values * 1.0 + np.r_[np.zeros(7), 0.5],
                                players=["A", "B", "C"]), res.payoff_after)


def test_default_constraints_on_xinan_are_certified(build):
    """The shipped Xin'an case with every family: the answer satisfies every constraint
    (independent re-check against the payoff tensor and the gamma characteristic
    function), and the result's own certificate agrees."""
    s = co.load_scenario("data/xinan/scenario.toml")
    res = co.design_compensation(s)
    assert res.success
    assert res.constraints == (P, IC, CAP, CORE)
    v = co.characteristic_function(s, outsiders="gamma")
    viol = build.check_design(res, s.to_game(), core_values=v.values)
    assert max(viol.values()) <= 1e-9
    assert res.max_violation <= 1e-9
    assert any("capacity" in note for note in res.notes)   # no caps in the file: said so
