"""co.analyze beyond the tensor: the structured path against the tensor path."""

from __future__ import annotations

import numpy as np
import pytest

import cooperation as co
from cooperation.equilibria.scale import ScaleAnalysis, analyze_scale


@pytest.mark.parametrize("n,seed,levels", [(10, 1, 2), (12, 5, 2), (7, 2, 3)])
def test_structured_analysis_equals_the_tensor_analysis(gen, n, seed, levels):
    """Same optimum welfare, worst/best equilibrium welfare, PoA, PoS, surplus and the
    same withdrawal report (leaves_to, welfare_loss, own_gain) as co.analyze on the
    payoff tensor; every part exact."""
    s = gen.generate(n, seed, levels)
    big = analyze_scale(s)
    small = co.analyze(s.to_game())
    assert big.answer == "exact" and big.surplus_gap == 0
    assert big.optimum.value == pytest.approx(small.optimum.welfare, rel=1e-9)
    assert big.worst_equilibrium.value == pytest.approx(small.equilibrium_welfare.min())
    assert big.best_equilibrium.value == pytest.approx(small.equilibrium_welfare.max())
    for name in ("price_of_anarchy", "price_of_stability", "cooperation_surplus"):
        assert getattr(big, name) == pytest.approx(getattr(small, name), rel=1e-9)
    if tuple(big.optimum.profile) == tuple(small.optimum.profile):
        w_big, w_small = big.withdrawal, small.withdrawal
        assert list(w_big["leaves_to"]) == list(w_small["leaves_to"])
        np.testing.assert_allclose(w_big["welfare_loss"], w_small["welfare_loss"], atol=1e-9)
        np.testing.assert_allclose(w_big["own_gain"], w_small["own_gain"], atol=1e-9)


def test_analyze_dispatches_on_size(gen):
    """co.analyze keeps the tensor for 16 binary counties and the structure for 17 and 60
    (no tensor is built: a 60-county tensor would have 2**60 cells)."""
    assert type(co.analyze(gen.generate(16, 3))).__name__ == "Analysis"
    res = co.analyze(gen.generate(60, 3))
    assert isinstance(res, ScaleAnalysis) and res.answer == "exact"
    assert res.to_frame().shape[0] == 60
    assert not res.equilibria_complete
    assert "answer" in repr(res) and "exact" in repr(res)


def test_time_limit_gives_a_bounded_answer_or_the_exact_one(county40):
    """A MILP time limit of 0 s either still proves the optimum (presolve can) or returns
    the profile found with its gap; the kind says which, and value <= bound."""
    res = analyze_scale(county40, time_limit=0.0)
    for sol in (res.optimum, res.worst_equilibrium):
        assert sol.kind in ("exact", "bounded")
        if sol.kind == "bounded":
            assert sol.gap >= 0
