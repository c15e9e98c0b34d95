"""Characteristic functions of normal-form games: closed forms, brute force, bad input."""

import itertools

import numpy as np
import pytest

import cooperation as co
from cooperation.errors import InputError

PD = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
                                     actions=[["C", "D"], ["C", "D"]])


def test_prisoners_dilemma():
    """Prisoner's dilemma R=3, S=0, T=5, P=1: alone a player secures P = 1 whatever the
    outsider does (defection is dominant), together they secure 2R = 6 (Luce and Raiffa
    1957, ch. 6): the same under every outsider assumption."""
    for o in ("nash", "gamma", "alpha"):
        v = co.characteristic_function(PD, outsiders=o)
        assert v.values.tolist() == [0.0, 1.0, 1.0, 6.0]
        assert v.metadata["outsiders"] == o and "selection" in v.metadata
    v = co.characteristic_function(PD, outsiders="nash")
    assert v.metadata["status_quo"] == ("D", "D")


def emissions_game(n, beta, delta):
    """Each country pollutes (1) or abates (0): u_i = beta e_i - delta sum_j e_j."""
    e = np.indices((2,) * n).reshape(n, -1)
    U = beta * e - delta * e.sum(axis=0)
    return co.NormalFormGame.from_arrays(U.reshape((n,) + (2,) * n))


def test_gamma_function_of_a_public_bad_chander_tulkens():
    """Chander and Tulkens (1997): with a linear public bad, outsiders' best replies are
    dominant (pollute), and a coalition of s members abates iff s delta > beta, so
    v(S) = s max(-delta (n - s), beta - delta n)."""
    n, beta, delta = 5, 3.0, 1.0
    v = co.characteristic_function(emissions_game(n, beta, delta), outsiders="gamma")
    for S in range(1, 1 << n):
        s = bin(S).count("1")
        assert v.values[S] == pytest.approx(s * max(-delta * (n - s), beta - delta * n))
    assert v.metadata["reactions_with_several_equilibria"] == 0


def _bruteforce(g, outsiders):
    n = g.n_players
    U = g.payoffs
    profiles = list(itertools.product(*[range(k) for k in g.shape]))

    def br(j, a):
        vals = [U[(j,) + a[:j] + (b,) + a[j + 1:]] for b in range(g.shape[j])]
        best = max(vals)
        return U[(j,) + a] >= best - 1e-9 * max(1.0, abs(best))

    ne = [a for a in profiles if all(br(j, a) for j in range(n))]
    a0 = min(ne, key=lambda a: (sum(U[(i,) + a] for i in range(n)), a)) if ne else None
    out = np.zeros(1 << n)
    for S in range(1, 1 << n):
        ins = [i for i in range(n) if S >> i & 1]
        outs = [j for j in range(n) if not S >> j & 1]
        best = -np.inf
        for aS in itertools.product(*[range(g.shape[i]) for i in ins]):
            def prof(b, aS=aS, ins=ins, outs=outs):
                a = [0] * n
                for i, x in zip(ins, aS, strict=True):
                    a[i] = x
                for j, x in zip(outs, b, strict=True):
                    a[j] = x
                return tuple(a)

            def val(a, ins=ins):
                return sum(U[(i,) + a] for i in ins)
            if outsiders == "nash" and a0 is not None:
                worth = val(prof([a0[j] for j in outs]))
            elif outsiders == "nash":
                worth = None     # no pure NE: the coalition's mixed security level, below
            else:
                allb = [prof(b) for b in itertools.product(*[range(g.shape[j]) for j in outs])]
                eq = [a for a in allb if all(br(j, a) for j in outs)]
                pool = eq if (outsiders == "gamma" and eq) else allb
                worth = min(val(a) for a in pool)
            if worth is not None:
                best = max(best, worth)
        if outsiders == "nash" and a0 is None:
            best = _mixed_security(U, ins, outs, g.shape)
        out[S] = best
    return out


def _mixed_security(U, ins, outs, shape):
    """max over mixed joint strategies of S of the min over outsider profiles (an LP)."""
    from scipy.optimize import linprog

    rows = list(itertools.product(*[range(shape[i]) for i in ins]))
    cols = list(itertools.product(*[range(shape[j]) for j in outs]))
    M = np.empty((len(rows), len(cols)))
    for r, aS in enumerate(rows):
        for c, b in enumerate(cols):
            a = [0] * len(shape)
            for i, x in zip(ins, aS, strict=True):
                a[i] = x
            for j, x in zip(outs, b, strict=True):
                a[j] = x
            M[r, c] = sum(U[(i,) + tuple(a)] for i in ins)
    if not outs:
        return float(M.max())
    k = len(rows)
    res = linprog(np.r_[np.zeros(k), -1.0], A_ub=np.c_[-M.T, np.ones(len(cols))],
                  b_ub=np.zeros(len(cols)), A_eq=np.r_[np.ones(k), 0.0][None, :], b_eq=[1.0],
                  bounds=[(0, None)] * k + [(None, None)], method="highs")
    return -res.fun


@pytest.mark.parametrize("shape", [(2, 2), (3, 2), (2, 2, 2), (2, 3, 2), (3, 3, 3), (2, 2, 2, 2)])
@pytest.mark.parametrize("outsiders", ["nash", "gamma", "alpha"])
def test_matches_bruteforce_definitions(shape, outsiders):
    rng = np.random.default_rng(sum(shape) * 7 + len(outsiders))
    for integer in (False, True):  # integer payoffs: ties, several equilibria
        U = rng.normal(size=(len(shape),) + shape)
        if integer:
            U = np.round(U * 1.5)
        g = co.NormalFormGame.from_arrays(U)
        v = co.characteristic_function(g, outsiders=outsiders)
        np.testing.assert_allclose(v.values, _bruteforce(g, outsiders), atol=1e-9)
        assert v.values[-1] == pytest.approx(g.welfare().max())


def test_nash_singletons_are_equilibrium_payoffs():
    rng = np.random.default_rng(2)
    g = co.NormalFormGame.from_arrays(rng.normal(size=(4,) + (2,) * 4))
    v = co.characteristic_function(g, outsiders="nash")
    prof = v.metadata["status_quo_index"]
    np.testing.assert_allclose(v.singletons, g.payoff(prof))


def test_scenario_input_and_larger_games():
    s = co.load_scenario("data/xinan/scenario.toml")
    assert co.characteristic_function(s, "nash") == co.characteristic_function(s.to_game(),
                                                                               "nash")
    rng = np.random.default_rng(0)
    for n, o in ((12, "nash"), (10, "gamma")):
        big = co.NormalFormGame.from_arrays(rng.normal(size=(n,) + (2,) * n))
        v = co.characteristic_function(big, outsiders=o)
        assert v.n_players == n and np.isfinite(v.values).all()
        assert v.values[-1] == pytest.approx(big.welfare().max())


def test_errors():
    with pytest.raises(InputError, match="must be one of") as err:
        co.characteristic_function(PD, outsiders="beta")
    assert err.value.field == "outsiders"
    big = co.NormalFormGame.from_arrays(np.zeros((6,) + (2,) * 6))
    with pytest.raises(InputError, match="max_cells"):
        co.characteristic_function(big, outsiders="gamma", max_cells=100)
    with pytest.raises(InputError):
        co.characteristic_function("not a game")
