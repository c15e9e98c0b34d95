"""Kohlberg's criterion on its own: accepts the (pre)nucleolus, rejects everything else."""

import numpy as np
import pytest

import cooperation as co
from cooperation.errors import InputError

MAJORITY = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1])


def test_levels_and_reasons():
    cert = co.kohlberg_certificate(MAJORITY, [1 / 3] * 3)
    assert cert.satisfied and cert.reason is None
    # one level: the three pairs at excess 1/3, rank 3 (they span R^3)
    assert cert.levels["alpha"].tolist() == pytest.approx([1 / 3])
    assert cert.levels["rank"].tolist() == [3]
    bad = co.kohlberg_certificate(MAJORITY, [0.4, 0.4, 0.2])
    assert not bad.satisfied and "not" in bad.reason and "balanced" in bad.reason
    assert "efficient" in co.kohlberg_certificate(MAJORITY, [1, 1, 1]).reason
    ir = co.kohlberg_certificate(co.TUGame([0, 1, 0, 2]), [0.5, 1.5])
    assert "individually rational" in ir.reason
    with pytest.raises(InputError, match="domain"):
        co.kohlberg_certificate(MAJORITY, [1 / 3] * 3, domain="core")


def test_nucleolus_and_prenucleolus_are_told_apart():
    """When the imputation bounds bind, the nucleolus differs from the prenucleolus:
    each passes only its own version of the criterion (weakly balanced with Q0 versus
    balanced)."""
    rng = np.random.default_rng(8)
    found = 0
    for _ in range(400):
        n = int(rng.integers(3, 6))
        v = np.r_[0.0, rng.integers(-3, 10, (1 << n) - 1).astype(float)]
        g = co.TUGame(v)
        if g.singletons.sum() > g.grand_value:
            continue
        nu = co.nucleolus(g).allocation.to_numpy()
        pre = co.prenucleolus(g).allocation.to_numpy()
        if np.abs(nu - pre).max() < 1e-6:
            continue
        found += 1
        assert co.kohlberg_certificate(g, nu, "imputation").satisfied
        assert co.kohlberg_certificate(g, pre, "preimputation").satisfied
        assert not co.kohlberg_certificate(g, nu, "preimputation").satisfied
        if np.all(pre >= g.singletons - 1e-9):  # pre is an imputation but not the nucleolus
            assert not co.kohlberg_certificate(g, pre, "imputation").satisfied
        if found >= 10:
            break
    assert found >= 5


def test_large_level_set_uses_constraint_generation():
    """Symmetric majority game, n = 16, quota 9: at the equal split the top excess level
    holds all C(16, 9) = 11440 minimal winning coalitions, more than the Farkas LP takes
    at once, so its rows are generated; it is balanced (by symmetry) and spans R^16."""
    n = 16
    v = np.array([float(bin(m).count("1") >= 9) for m in range(1 << n)])
    g = co.TUGame(v)
    x = np.full(n, 1 / n)
    cert = co.kohlberg_certificate(g, x)
    assert cert.satisfied
    assert cert.levels["new_coalitions"].iloc[0] == 11440
    np.testing.assert_allclose(co.nucleolus(g).allocation, x, atol=1e-12)
    y = x.copy()
    y[0] += 1e-3
    y[1] -= 1e-3
    assert not co.kohlberg_certificate(g, y).satisfied
