"""Repeated play of a large scenario: the reference payoffs in linear memory."""

from __future__ import annotations

import tracemalloc

import numpy as np

from cooperation.repeated.stage import as_stage


def test_reference_payoffs_of_a_large_scenario_equal_the_batch(gen):
    """R, S, T, P from two unilateral-deviation evaluations equal the payoffs of the
    2n + 2 reference profiles evaluated as one batch (the former path)."""
    s = gen.generate(30, 2)
    st = as_stage(s)
    assert st.table is None
    got = st.rstp()
    pay = st.payoffs(st._reference_profiles())
    n = st.n
    ar = np.arange(n)
    want = np.column_stack([pay[0], pay[2 + n :][ar, ar], pay[2 : 2 + n][ar, ar], pay[1]])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_reference_payoffs_memory_is_linear(gen):
    """2,000 counties: computing R, S, T, P peaks below 40 MB (the batch of 2n + 2
    profiles allocated (2n, hazards) arrays: about 200 MB here, 4.6 GB at 5,000)."""
    s = gen.generate(2000, 1)
    st = as_stage(s)
    tracemalloc.start()
    st.rstp()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 40e6, peak
