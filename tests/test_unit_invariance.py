"""Answers do not depend on the money unit.

A scenario in yuan has payoffs near 1e10, the same one in 亿元 near 1. Under a
positive affine map of each player's payoffs ``u_i -> a_i u_i + b_i`` the
equilibria (pure and mixed), best responses and every certificate flag stay
the same; under a common scale ``a`` with per-player offsets ``b_i`` the
social optimum stays the same and the cooperative quantities move
covariantly: ``v(S) -> a v(S) + b(S)``, Shapley and nucleolus ``-> a x + b``,
outside options ``-> a o + b``, subsidies, transfers and stake ranges
``-> a (.)``. Scales run from 1e-6 to 1e10 and offsets up to 1e10.

Offsets are exact in double precision here (integer payoffs and offsets,
scales that are powers of ten), or, for fractional scales, small enough
(``|b| <= 1e6 a``) that the transformed game still carries the original's
payoff differences; beyond that the data itself, not the solver, has lost
the game.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import OFFSETS, SCALES, affine, bimatrices, offset_ok

import cooperation as co
from cooperation.equilibria.status_quo import status_quo

settings.register_profile("invariance", deadline=None, max_examples=40,
                          suppress_health_check=[HealthCheck.too_slow])
_offset_ok = offset_ok


@st.composite
def bimatrix(draw, max_k=4):
    """Integer bimatrix games from 2x2 to max_k x max_k, often degenerate."""
    vals = draw(st.sampled_from([st.integers(0, 2), st.integers(-5, 5), st.integers(0, 20)]))
    return draw(bimatrices(min_size=2, max_size=max_k, values=vals))


def _map(A, B, ta, tb):
    return ta[0] * A + ta[1], tb[0] * B + tb[1]


def _same_equilibria(r1, r2, atol=1e-6):
    assert len(r1.equilibria) == len(r2.equilibria)
    for (x1, y1), (x2, y2) in zip(r1.equilibria, r2.equilibria, strict=True):
        np.testing.assert_allclose(x1, x2, atol=atol)
        np.testing.assert_allclose(y1, y2, atol=atol)
    assert (r1.degenerate, r1.finite, r1.complete) == (r2.degenerate, r2.finite, r2.complete)


# ----------------------------------------------------------------------------- known cases
def test_unique_2x2_times_1e9():
    """The issue's reproducer: a 2x2 game with one mixed equilibrium, payoffs x 1e9."""
    A = np.array([[3.0, 0.0], [1.0, 2.0]])
    B = np.array([[0.0, 2.0], [3.0, 1.0]])
    base = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(A, B))
    big = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(A * 1e9, B * 1e9))
    assert len(base) == 1 and base.complete and base.degenerate is False and base.finite
    _same_equilibria(base, big)
    np.testing.assert_allclose(big.equilibria[0][0], [0.5, 0.5])
    np.testing.assert_allclose(big.equilibria[0][1], [0.5, 0.5])


@pytest.mark.parametrize("offset", [1e9, 1e10, -1e10])
def test_prisoners_dilemma_offsets(offset):
    g = co.NormalFormGame.from_bimatrix(np.array([[3, 0], [5, 1]]) + offset,
                                        np.array([[3, 5], [0, 1]]) + offset)
    assert co.pure_equilibria(g).profiles == [(1, 1)]
    assert co.social_optimum(g).profile == (0, 0)


def test_degenerate_hundreds():
    """Payoffs {0, 100, 200} are {0, 1, 2} in another unit: same flags, same equilibria."""
    rng = np.random.default_rng(3)
    for _ in range(8):
        A = rng.integers(0, 3, (4, 4)).astype(float)
        B = rng.integers(0, 3, (4, 4)).astype(float)
        r1 = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(A, B))
        r2 = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(100 * A, 100 * B))
        _same_equilibria(r1, r2)


def test_analyze_two_player_note_is_not_about_n_players():
    mp = co.NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    res = co.analyze(mp)
    assert res.equilibrium_kind == "mixed"
    assert "more than two players" not in res.poa_note


# ----------------------------------------------------------------------------- properties
@settings(settings.get_profile("invariance"))
@given(bimatrix(), affine(), affine())
def test_pure_equilibria_invariant(game, ta, tb):
    A, B = game
    g0 = co.NormalFormGame.from_bimatrix(A, B)
    g1 = co.NormalFormGame.from_bimatrix(*_map(A, B, ta, tb))
    assert co.pure_equilibria(g0).profiles == co.pure_equilibria(g1).profiles


@settings(settings.get_profile("invariance"))
@given(bimatrix(max_k=4), affine(), affine(),
       st.sampled_from(["vertex_enumeration", "support_enumeration", "lemke_howson"]))
def test_mixed_equilibria_invariant(game, ta, tb, method):
    A, B = game
    r0 = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(A, B), method=method)
    r1 = co.mixed_equilibria(co.NormalFormGame.from_bimatrix(*_map(A, B, ta, tb)),
                             method=method)
    _same_equilibria(r0, r1)
    assert r0.max_regret == pytest.approx(0.0, abs=1e-9 * max(np.ptp(A), np.ptp(B), 1e-300))
    assert r1.max_regret <= 1e-7 * max(ta[0] * np.ptp(A), tb[0] * np.ptp(B), 1e-300)


@settings(settings.get_profile("invariance"))
@given(bimatrix(max_k=3), st.sampled_from(SCALES), st.sampled_from(OFFSETS),
       st.sampled_from(OFFSETS))
def test_optimum_and_cooperative_values_covariant(game, a, b1, b2):
    if not (_offset_ok(a, b1) and _offset_ok(a, b2)):
        return
    A, B = game
    g0 = co.NormalFormGame.from_bimatrix(A, B)
    g1 = co.NormalFormGame.from_bimatrix(a * A + b1, a * B + b2)
    o0, o1 = co.social_optimum(g0), co.social_optimum(g1)
    assert o0.ties == o1.ties
    off = np.array([0.0, b1, b2, b1 + b2])     # b(S) by bitmask
    tol = 1e-7 * a * max(np.ptp(A), np.ptp(B), 1.0) + 1e-13 * (abs(b1) + abs(b2))
    for outsiders in ("nash", "gamma", "alpha"):
        v0 = co.characteristic_function(g0, outsiders=outsiders)
        v1 = co.characteristic_function(g1, outsiders=outsiders)
        np.testing.assert_allclose(v1.values, a * v0.values + off, rtol=0, atol=tol)
    v0 = co.characteristic_function(g0)
    v1 = co.characteristic_function(g1)
    np.testing.assert_allclose(co.shapley(v1).to_numpy(),
                               a * co.shapley(v0).to_numpy() + [b1, b2], atol=tol)
    n0, n1 = co.prenucleolus(v0), co.prenucleolus(v1)   # defined for every game
    assert n0.certified and n1.certified
    np.testing.assert_allclose(n1.allocation.to_numpy(),
                               a * n0.allocation.to_numpy() + [b1, b2], atol=10 * tol)
    np.testing.assert_allclose(status_quo(g1).values,
                               a * status_quo(g0).values + [b1, b2], atol=tol)


# ----------------------------------------------------------------------------- no pure NE
def test_matching_pennies_one_status_quo_everywhere():
    """No pure equilibrium: the status quo is the mixed security levels (0, 0) in the
    characteristic function, the bargaining disagreement point and the compensation
    outside option alike."""
    mp = co.NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    sq = status_quo(mp)
    assert sq.profile is None
    np.testing.assert_allclose(sq.values, [0.0, 0.0], atol=1e-12)
    for x in sq.strategies:
        np.testing.assert_allclose(x, [0.5, 0.5], atol=1e-9)
    v = co.characteristic_function(mp, outsiders="nash")
    np.testing.assert_allclose(v.values, [0.0, 0.0, 0.0, 0.0], atol=1e-12)
    bar = co.nash_bargaining(mp)
    np.testing.assert_allclose(bar.disagreement.to_numpy(), [0.0, 0.0], atol=1e-12)
    res = co.design_compensation(mp, constraints=["participation"])
    np.testing.assert_allclose(res.payoff_before.to_numpy(), [0.0, 0.0], atol=1e-12)


# ----------------------------------------------------------------------------- scenarios
def _rescaled(s: co.Scenario, a: float, cost_offsets=None) -> co.Scenario:
    """The same scenario with every money figure times ``a`` (and, optionally, a constant
    added to one jurisdiction's costs at every level: a payoff offset)."""
    off = cost_offsets or {}
    js = [co.Jurisdiction(j.name, costs={k: a * c + off.get(j.name, 0.0)
                                         for k, c in zip(s.action_names, s.costs[i],
                                                         strict=True)},
                          capacity=a * j.capacity if math.isfinite(j.capacity) else j.capacity,
                          population=j.population)
          for i, j in enumerate(s.jurisdictions)]
    hz = [co.Hazard(h.name, probability=h.probability, damage=a * h.damage,
                    spillover=dict(h.spillover), origins=list(h.origins),
                    prevention=h.prevention, response=h.response) for h in s.hazards]
    return co.Scenario(js, hz, actions=list(s.actions), unit=f"{a:g} x {s.unit}",
                       name=s.name)


CASES = ["data/xinan/scenario.toml", "data/chishui/scenario.toml",
         "data/jingjinji/scenario.toml"]


@pytest.fixture(scope="module")
def cases():
    return {c: co.load_scenario(c) for c in CASES}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("a", [1e-9, 1e-6, 1e3, 1e9])
def test_scenario_answers_scale(cases, case, a):
    s0 = cases[case]
    s1 = _rescaled(s0, a)
    g0, g1 = s0.to_game(), s1.to_game()
    assert co.pure_equilibria(g0).profiles == co.pure_equilibria(g1).profiles
    assert co.social_optimum(g0).profile == co.social_optimum(g1).profile
    r0, r1 = co.design_compensation(s0), co.design_compensation(s1)
    assert (r0.success, r0.status) == (r1.success, r1.status)
    assert r0.binding == r1.binding
    scale = max(abs(r0.subsidy), np.abs(r0.transfers).max(), 1e-300)
    assert r1.subsidy == pytest.approx(a * r0.subsidy, abs=1e-7 * a * scale)
    np.testing.assert_allclose(r1.transfers.to_numpy(), a * r0.transfers.to_numpy(),
                               atol=1e-7 * a * scale)
    np.testing.assert_allclose(r1.payoff_before.to_numpy(), a * r0.payoff_before.to_numpy(),
                               rtol=1e-9)
    t0 = co.compare_rules(s0)
    t1 = co.compare_rules(s1)
    assert t0["in_core"].tolist() == t1["in_core"].tolist()
    np.testing.assert_allclose(t1["transfer"].to_numpy(float), a * t0["transfer"].to_numpy(float),
                               atol=1e-7 * a * max(np.nanmax(np.abs(t0["transfer"])), 1e-300))


@pytest.mark.parametrize("a", [1e-6, 1e9])
def test_two_way_agreement_range_scales(cases, a):
    s0 = cases["data/xinan/scenario.toml"]
    s1 = _rescaled(s0, a)
    r0, r1 = co.two_way_agreement(s0), co.two_way_agreement(s1)
    assert r1.lower == pytest.approx(a * r0.lower, rel=1e-7)
    assert r1.upper == pytest.approx(a * r0.upper, rel=1e-7)


def test_cost_offsets_leave_the_design_unchanged(cases):
    """A constant added to one jurisdiction's costs at every level shifts its payoffs:
    the least subsidy and the transfers do not move."""
    s0 = cases["data/xinan/scenario.toml"]
    s1 = _rescaled(s0, 1.0, {"Anhui": 1e8, "Zhejiang": 3e7})
    r0, r1 = co.design_compensation(s0), co.design_compensation(s1)
    assert r1.subsidy == pytest.approx(r0.subsidy, abs=1e-6)
    np.testing.assert_allclose(r1.transfers.to_numpy(), r0.transfers.to_numpy(), atol=1e-6)
