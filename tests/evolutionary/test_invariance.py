"""Money-unit invariance: rescaling every payoff by c > 0 changes no classification."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st_

import cooperation as co


def _table(U):
    st = co.evolutionary_stability(co.EvolutionaryGame(co.NormalFormGame.from_arrays(U)))
    return st.rest_points[["label", "kind", "stability", "strict_nash"]].values.tolist()


@settings(max_examples=25, deadline=None)
@given(st_.lists(st_.integers(-4, 4), min_size=8, max_size=8),
       st_.sampled_from([1e-6, 1e-3, 0.37, 1e4, 1e8, 1e10]))
def test_scaling_keeps_classes_2x2(entries, c):
    U = np.array(entries, float).reshape(2, 2, 2)
    assert _table(U) == _table(U * c)


@settings(max_examples=6, deadline=None)
@given(st_.lists(st_.integers(-3, 3), min_size=24, max_size=24),
       st_.sampled_from([1e-6, 1e10]))
def test_scaling_keeps_classes_2x2x2(entries, c):
    U = np.array(entries, float).reshape(3, 2, 2, 2)
    assert _table(U) == _table(U * c)


def test_symbolic_game_in_yuan(xinan):
    base = co.evolutionary_stability(xinan)
    yuan = xinan.with_values(**{k: v * 1e8 for k, v in xinan.values.items()})
    big = co.evolutionary_stability(yuan)
    assert base.rest_points["stability"].tolist() == big.rest_points["stability"].tolist()
    assert base.conditions["holds"].tolist() == big.conditions["holds"].tolist()
