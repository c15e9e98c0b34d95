"""design_compensation: properties on random games and scenarios (hypothesis), and
cross-checks: closed forms, scipy's linprog on the same LP, the tensor against the
tensor-free path, and core constraint generation against the full LP."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from strategies import quarter_games as games

import cooperation as co

FAMS = ("participation", "self_enforcement", "capacity", "core")
SETTINGS = dict(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def lower_bounds(game, target, outside, fams, fine, caps):
    """Each t_i's lower bounds, from the tensor by plain loops: participation o_i - u_i,
    self-enforcement max_b u_i(b, a_-i) - F - u_i, capacity -cap_i."""
    U, n = game.payoffs, game.n_players
    L = np.full(n, -np.inf)
    for i in range(n):
        u = U[(i,) + target]
        if "participation" in fams:
            L[i] = max(L[i], outside[i] - u)
        if "self_enforcement" in fams:
            for b in range(game.shape[i]):
                if b != target[i]:
                    prof = list(target)
                    prof[i] = b
                    L[i] = max(L[i], U[(i,) + tuple(prof)] - fine - u)
        if "capacity" in fams and np.isfinite(caps[i]):
            L[i] = max(L[i], -caps[i])
    return L


@settings(**SETTINGS)
@given(game=games(), fams=st.sets(st.sampled_from(FAMS[:3])), fine=st.sampled_from([0.0, 0.5, 3]),
       cap=st.sampled_from([math.inf, 0.0, 1.0, 5.0]))
def test_min_subsidy_closed_form_and_constraints(build, game, fams, fine, cap):
    """Without the core, every family is a lower bound on one t_i, so the least subsidy is
    max(0, sum_i L_i) with L_i the largest lower bound on t_i (minus infinity counts as
    unconstrained: then g = 0). Every answer satisfies every switched-on constraint to
    1e-7 (re-checked from the tensor), budget balance holds exactly (sum t = g)."""
    caps = np.full(game.n_players, cap)
    res = co.design_compensation(game, constraints=sorted(fams), fine=fine,
                                 capacity=caps, ranges=False)
    assert res.success
    t = res.transfers.to_numpy()
    assert math.fsum(t) == pytest.approx(res.subsidy, abs=1e-12)
    assert res.subsidy >= 0
    viol = build.check_design(res, game, fine=fine, caps=caps)
    assert max(viol.values()) <= 1e-7
    L = lower_bounds(game, res.target_profile, res.payoff_before.to_numpy(), fams, fine, caps)
    expected = max(0.0, float(np.sum(np.where(np.isfinite(L), L, 0.0)))) \
        if np.all(np.isfinite(L)) else 0.0
    assert res.subsidy == pytest.approx(expected, abs=1e-7)
    # at the least subsidy, money moved: sum |t_i| is least; every t_i >= L_i
    assert np.all(t >= np.where(np.isfinite(L), L, -np.inf) - 1e-7)


@settings(**SETTINGS)
@given(game=games(), order=st.permutations(FAMS), fine=st.sampled_from([0.0, 1.0]))
def test_adding_a_constraint_never_lowers_the_subsidy(game, order, fine):
    """Families added one at a time (in a random order, core included): the least subsidy
    is non-decreasing, since each family only removes feasible transfers."""
    caps = np.full(game.n_players, 1.0)
    prev = -1.0
    for k in range(len(order) + 1):
        res = co.design_compensation(game, constraints=list(order[:k]), fine=fine,
                                     capacity=caps, ranges=False)
        assert res.success
        assert res.subsidy >= prev - 1e-9
        prev = res.subsidy


@settings(**SETTINGS)
@given(game=games(), objective=st.sampled_from(["min_subsidy", "min_transfers",
                                                "max_min_gain", "closest"]),
       fams=st.sets(st.sampled_from(FAMS), min_size=1), cap=st.sampled_from([None, 2.0]))
def test_pulp_equals_scipy_linprog(build, game, objective, fams, cap):
    """The same LP through PuLP/HiGHS and through scipy.optimize.linprog(method="highs"):
    every lexicographic stage reaches the same optimum, and the transfers agree when they
    are unique."""
    ref = np.linspace(-1, 1, game.n_players) if objective == "closest" else None
    kw = dict(constraints=sorted(fams), objective=objective, reference=ref, max_subsidy=cap,
              capacity=np.full(game.n_players, 2.0))
    a = co.design_compensation(game, backend="pulp", **kw)
    b = co.design_compensation(game, backend="scipy", **kw)
    assert a.status == b.status
    if not a.success:
        assert a.diagnosis.min_subsidy_cap == pytest.approx(b.diagnosis.min_subsidy_cap,
                                                            abs=1e-7)
        return
    np.testing.assert_allclose(a.objective_values, b.objective_values, atol=1e-7)
    assert a.subsidy == pytest.approx(b.subsidy, abs=1e-7)
    if a.unique and b.unique:
        np.testing.assert_allclose(a.transfers, b.transfers, atol=1e-6)
    assert a.solver.endswith("PuLP") and "linprog" in b.solver
    v = co.characteristic_function(game).values if "core" in fams else None   # one default
    viol = build.check_design(a, game, caps=np.full(game.n_players, 2.0), core_values=v)
    assert max(viol.values()) <= 1e-7


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(2, 5))
def test_scenarios_tensor_and_tensor_free_paths_agree(build, seed, n):
    """A scenario small enough for a tensor, solved twice: through the tensor and through
    the tensor-free path (scenario.payoffs and scenario.deviation_payoffs only), for the
    same target and outside option: identical LPs, identical answers."""
    s = build.random_scenario(n, seed, levels=3)
    rng = np.random.default_rng(seed)
    target = rng.integers(0, 3, n)
    kw = dict(target=target, outside_option="status_quo",
              constraints=["participation", "self_enforcement", "capacity"],
              capacity_share=0.1, fine=0.2, ranges=False)
    a = co.design_compensation(s, **kw)
    b = co.design_compensation(s, tensor_max_profiles=0, **kw)
    assert a.success and b.success
    np.testing.assert_allclose(a.payoff_target, b.payoff_target, atol=1e-12)
    np.testing.assert_allclose(a.deviation_payoff, b.deviation_payoff, atol=1e-12)
    np.testing.assert_allclose(a.objective_values, b.objective_values, atol=1e-9)
    viol = build.check_design(a, s.to_game(), fine=0.2, caps=0.1 * s.capacity)
    assert max(viol.values()) <= 1e-7


def test_large_scenario_defaults_are_exact(build):
    """Tensor-free defaults (forced with tensor_max_profiles=0 on a 10-jurisdiction
    scenario, whose tensor the test can still build): the default target is the social
    optimum found by MILP on the hazard structure (its welfare equals the brute-force
    optimum over all 3**10 profiles) and certified; the 'nash' outside option is the
    worst-welfare pure equilibrium (checked against every pure equilibrium)."""
    s = build.random_scenario(10, 3, levels=3)
    res = co.design_compensation(s, tensor_max_profiles=0, ranges=False,
                                 constraints=["participation", "self_enforcement"])
    assert res.success and res.target_certified
    assert "MILP" in res.target_note and "MILP" in res.outside_note
    a = np.array(res.target_profile)
    W = s.payoffs(a[None, :]).sum()
    opt = co.social_optimum(s.to_game())
    assert W == pytest.approx(opt.welfare, rel=1e-9, abs=1e-9)
    eq = co.pure_equilibria(s.to_game())
    worst = int(np.argmin(eq.payoffs.sum(axis=1)))
    np.testing.assert_allclose(res.payoff_before.to_numpy(), eq.payoffs[worst], atol=1e-9)


def test_core_constraint_generation_matches_the_full_lp(build):
    """13 jurisdictions, 8191 coalitions: the core rows are generated on demand (the
    most-violated-coalition oracle). The least subsidy equals that of the full LP with
    every coalition row, solved independently here with scipy's linprog; the answer
    satisfies all 8191 rows, and far fewer rows were needed."""
    n = 13
    s = build.random_scenario(n, 11, neighbours=3)
    game = s.to_game()
    rng = np.random.default_rng(5)
    target = tuple(int(x) for x in co.social_optimum(game).profile)
    u = np.array([game.payoffs[(i,) + target] for i in range(n)])
    masks = np.arange(1 << n)
    member = ((masks[:, None] >> np.arange(n)) & 1).astype(float)
    size = member.sum(axis=1)
    extra = np.where(size >= 2, rng.uniform(0.0, 0.3, masks.size) * size ** 1.5, 0.0)
    v = member @ u + extra
    v[0] = 0.0
    tu = co.TUGame(v, players=s.players)
    res = co.design_compensation(s, constraints=["core"], coalition_values=tu, ranges=False)
    assert res.success
    assert res.extra["core_rows"] < (1 << n) - 1
    assert any("constraint generation" in note for note in res.notes)
    x = res.payoff_after.to_numpy()
    assert (co.excesses(tu, x)[1:] <= 1e-7).all()
    # the full LP: min g = sum t  s.t.  member @ t >= v - member @ u  for every S
    A = member[1:]
    full = linprog(np.ones(n), A_ub=-A, b_ub=-(v[1:] - A @ u), bounds=[(None, None)] * n,
                   method="highs")
    assert full.status == 0
    assert res.subsidy == pytest.approx(max(full.fun, 0.0), abs=1e-7)


def test_ranges_describe_the_optimal_face():
    """When the optimum is not unique, transfer_range holds each t_i's min and max over the
    optimal face. Two players whose payoffs are all 0 and the core of v(N) = 1, v({i}) = 0:
    t_A + t_B >= 1 makes the least subsidy 1, and at g = 1 every split with t_A, t_B >= 0
    moves the same money 1, so the face is t_A in [0, 1], t_B = 1 - t_A. Without ranges,
    the random-direction test still reports non-uniqueness."""
    g = co.NormalFormGame.from_arrays(np.zeros((2, 2, 2)), players=["A", "B"])
    v = co.TUGame([0, 0, 0, 1], players=["A", "B"])
    res = co.design_compensation(g, target=(0, 0), constraints=["core"], coalition_values=v)
    assert res.subsidy == pytest.approx(1.0)
    assert res.unique is False
    np.testing.assert_allclose(res.transfer_range.to_numpy(), [[0, 1], [0, 1]], atol=1e-7)
    again = co.design_compensation(g, target=(0, 0), constraints=["core"], coalition_values=v,
                                   ranges=False, seed=1)
    assert again.unique is False and again.transfer_range is None


def test_exhaustive_small_case_against_itertools(build):
    """A fixed 3x2x2 game: every subset of families, each result re-checked by loops."""
    rng = np.random.default_rng(2)
    game = co.NormalFormGame.from_arrays(rng.normal(size=(3, 3, 2, 2)).round(2))
    v = co.characteristic_function(game).values     # the one default, as design_compensation's
    for k in range(len(FAMS) + 1):
        for fams in itertools.combinations(FAMS, k):
            res = co.design_compensation(game, constraints=list(fams), fine=0.3,
                                         capacity=[1.0, 0.5, 2.0], ranges=False)
            viol = build.check_design(res, game, fine=0.3, caps=[1.0, 0.5, 2.0],
                                      core_values=v)
            assert res.success and max(viol.values()) <= 1e-7, (fams, viol)
