"""Known answers: switch gains at corners, matching pennies, a line of rest points, PD."""

import itertools

import numpy as np
import pytest

import cooperation as co
from cooperation.evolutionary.stability import classify


def switch_gains(U, prof):
    """Closed form: u_i(b, a_-i) - u_i(a) for every player i and b != a_i."""
    out = []
    for i, a in enumerate(prof):
        for b in range(U.shape[i + 1]):
            if b != a:
                dev = list(prof)
                dev[i] = b
                out.append(U[(i,) + tuple(dev)] - U[(i,) + tuple(prof)])
    return np.sort(np.array(out))


@pytest.mark.parametrize("shape", [(2, 2), (3, 2), (3, 3), (2, 2, 2), (2, 3, 2)])
def test_corner_eigenvalues_are_switch_gains(shape):
    rng = np.random.default_rng(sum(shape))
    U = rng.normal(size=(len(shape),) + shape)
    eg = co.EvolutionaryGame(co.NormalFormGame.from_arrays(U))
    for prof in itertools.product(*[range(k) for k in shape]):
        x = np.concatenate([np.eye(k)[a] for a, k in zip(prof, shape, strict=True)])
        ev = np.linalg.eigvals(eg.jacobian(x))
        assert np.allclose(np.sort(ev.real), switch_gains(U, prof), atol=1e-12)
        assert np.allclose(ev.imag, 0.0, atol=1e-12)


def test_stability_rows_of_corners_use_the_gains():
    rng = np.random.default_rng(7)
    U = rng.integers(-5, 6, size=(2, 3, 2)).astype(float)
    st = co.evolutionary_stability(co.EvolutionaryGame(co.NormalFormGame.from_arrays(U)))
    corners = st.rest_points[st.rest_points["kind"] == "corner"]
    assert len(corners) == 6
    for _, r in corners.iterrows():
        prof = tuple(int(np.argmax(p)) for p in r["point"])
        g = switch_gains(U, prof)
        assert np.allclose(np.sort(np.real(r["eigenvalues"])), g)
        assert r["strict_nash"] == bool((g < 0).all())
        assert (r["stability"] == "asymptotically stable") == bool((g < 0).all())


def test_matching_pennies_has_one_interior_centre(matching_pennies):
    st = co.evolutionary_stability(matching_pennies)
    rp = st.rest_points
    interior = rp[rp["kind"] == "interior"]
    assert len(interior) == 1
    r = interior.iloc[0]
    assert r["point"] == ((0.5, 0.5), (0.5, 0.5))
    assert r["stability"] == "non-hyperbolic" and "centre" in r["detail"]
    assert np.allclose(sorted(np.imag(r["eigenvalues"])), [-1.0, 1.0])
    assert np.allclose(np.real(r["eigenvalues"]), 0.0)
    assert r["nash"] and not r["strict_nash"]
    assert (rp[rp["kind"] == "corner"]["stability"] == "saddle").all()
    assert len(rp) == 5 and st.complete is True
    assert st.stable.empty


def test_line_of_interior_rest_points_is_a_continuum(line_game):
    st = co.evolutionary_stability(line_game)
    rp = st.rest_points
    full = rp[[all(len(s) == 2 for s in sup) for sup in rp["support"]]]
    assert len(full) == 1, "the interior holds one continuum, not isolated points"
    r = full.iloc[0]
    assert r["kind"] == "continuum" and r["dimension"] == 1
    x, y, z = (p[0] for p in r["point"])
    assert x == pytest.approx(y) == pytest.approx(z) and 0 < x < 1
    assert "(0, 1)" in r["description"]
    assert r["stability"] == "non-hyperbolic"
    assert np.min(np.abs(r["eigenvalues"])) < 1e-12   # the direction along the line
    assert st.complete is True
    # every point of the line is a rest point of the field (closed form)
    for t in (0.1, 0.37, 0.9):
        assert np.allclose(line_game.velocity([t, t, t]), 0.0, atol=1e-15)


def test_prisoners_dilemma_defection_is_the_only_ess():
    g = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
                                        actions=[["C", "D"], ["C", "D"]])
    st = co.evolutionary_stability(co.EvolutionaryGame(g))
    assert st.stable["label"].tolist() == ["(0, 0)"]
    assert st.stable.iloc[0]["strict_nash"]
    assert st.rest_points.set_index("label").loc["(1, 1)", "stability"] == "unstable"


def test_coordination_game_interior_saddle_and_two_ess():
    g = co.NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    rp = co.evolutionary_stability(co.EvolutionaryGame(g)).rest_points.set_index("label")
    assert rp.loc["(1, 1)", "stability"] == rp.loc["(0, 0)", "stability"] == \
        "asymptotically stable"
    # interior: x* = y* = 1/3 (indifference 2y = 1 - y)
    assert rp.loc["(0.3333, 0.3333)", "stability"] == "saddle"


def test_numeric_method_agrees_and_is_not_certified(matching_pennies):
    st = co.evolutionary_stability(matching_pennies, method="numeric", seed=0)
    assert st.complete is None
    assert sorted(st.rest_points["label"]) == sorted(
        co.evolutionary_stability(matching_pennies).rest_points["label"])


def test_classify_never_guesses():
    assert classify([-1.0, -1e-12], 1e-9)[0] == "non-hyperbolic"
    assert classify([-1.0, -2.0], 1e-9)[0] == "asymptotically stable"
    assert classify([1.0, 2.0], 1e-9)[0] == "unstable"
    assert classify([1.0, -2.0], 1e-9)[0] == "saddle"
    assert classify([1j, -1j], 1e-9)[1].startswith("centre")


def test_ritzberger_weibull_on_random_games():
    rng = np.random.default_rng(3)
    for shape in [(2, 2), (2, 2, 2), (3, 2)]:
        for _ in range(4):
            U = rng.integers(-3, 4, size=(len(shape),) + shape).astype(float)
            st = co.evolutionary_stability(co.EvolutionaryGame(co.NormalFormGame.from_arrays(U)))
            for _, r in st.stable.iterrows():
                assert r["kind"] == "corner" and r["strict_nash"]
            # every reported rest point is a rest point of the field
            for p in st.rest_points["point"]:
                x = np.concatenate(p)
                assert np.abs(st_velocity(U, x)).max() <= 1e-9 * max(1.0, np.ptp(U))


def st_velocity(U, x):
    return co.EvolutionaryGame(co.NormalFormGame.from_arrays(U)).velocity(x)
