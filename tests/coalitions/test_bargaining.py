"""Nash and Kalai-Smorodinsky bargaining: closed forms, games as input, no-deal cases."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.errors import InputError


def test_linear_frontier_nash_1950():
    """Nash (1950): on the linear frontier u1 + u2 = 10 with d = (0, 0) the symmetric
    solution splits equally; with d = (2, 1) each gets d_i plus half the surplus 7
    (5.5, 4.5); with powers (2, 1) the surplus splits 2:1 (Kalai 1977)."""
    line = [[0, 10], [10, 0]]
    assert co.nash_bargaining(line, [0, 0]).utilities.tolist() == [5.0, 5.0]
    np.testing.assert_allclose(co.nash_bargaining(line, [2, 1]).utilities, [5.5, 4.5])
    np.testing.assert_allclose(co.nash_bargaining(line, [0, 0], powers=[2, 1]).utilities,
                               [20 / 3, 10 / 3])
    res = co.nash_bargaining(line, [2, 1], players=["Anhui", "Zhejiang"])
    assert list(res.utilities.index) == ["Anhui", "Zhejiang"] and res.success
    np.testing.assert_allclose(res.gains, [3.5, 3.5])


@settings(max_examples=50, deadline=None)
@given(st.floats(1, 100), st.floats(-10, 10), st.floats(-10, 10), st.floats(0.1, 5),
       st.floats(0.1, 5))
def test_linear_frontier_closed_form(c, d1, d2, p1, p2):
    """u_i = d_i + p_i/(p_1+p_2) (c - d_1 - d_2) on u1 + u2 = c."""
    if c - d1 - d2 <= 1e-6:
        return
    pts = [[d1 - 100, c - d1 + 100], [c - d2 + 100, d2 - 100]]
    res = co.nash_bargaining(pts, [d1, d2], powers=[p1, p2])
    surplus = c - d1 - d2
    np.testing.assert_allclose(res.utilities, [d1 + p1 / (p1 + p2) * surplus,
                                               d2 + p2 / (p1 + p2) * surplus], atol=1e-9)
    f = co.nash_bargaining(lambda u: c - u, [d1, d2], powers=[p1, p2])
    np.testing.assert_allclose(f.utilities, res.utilities, atol=1e-6 * max(1, abs(c)))


def test_quarter_circle_callable():
    """u2 = sqrt(100 - u1**2), d = 0: both solutions are (sqrt 50, sqrt 50) by symmetry."""
    f = lambda u: np.sqrt(max(0.0, 100 - u * u))  # noqa: E731
    np.testing.assert_allclose(co.nash_bargaining(f, [0, 0]).utilities, [50 ** 0.5] * 2,
                               rtol=1e-7)
    ks = co.kalai_smorodinsky(f, [0, 0])
    np.testing.assert_allclose(ks.utilities, [50 ** 0.5] * 2, rtol=1e-10)
    np.testing.assert_allclose(ks.ideal, [10, 10], rtol=1e-10)


def test_kalai_smorodinsky_polygon():
    """Kalai and Smorodinsky (1975): the point of the frontier on the line from d to the
    ideal point. Frontier (0,10)-(5,8)-(10,0), d = 0: ideal (10, 10), so u1 = u2 on the
    segment u2 = 8 - 1.6 (u1 - 5): u = 80/13 each (Nash would pick (5, 8))."""
    pts = [[0, 10], [5, 8], [10, 0], [1, 1]]
    ks = co.kalai_smorodinsky(pts, [0, 0])
    np.testing.assert_allclose(ks.utilities, [80 / 13, 80 / 13])
    np.testing.assert_allclose(co.nash_bargaining(pts, [0, 0]).utilities, [5, 8])


def test_game_input_uses_nash_equilibrium_as_disagreement():
    pd_game = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    res = co.nash_bargaining(pd_game)
    assert res.disagreement.tolist() == [1.0, 1.0]
    np.testing.assert_allclose(res.utilities, [3, 3])
    # with side payments the frontier is u1 + u2 = 6: the same split by symmetry
    np.testing.assert_allclose(co.nash_bargaining(pd_game, transfers=True).utilities, [3, 3])
    s = co.load_scenario("data/xinan/scenario.toml")
    deal = co.nash_bargaining(s, transfers=True)
    assert deal.success and (deal.gains > 0).all()
    assert deal.utilities.sum() == pytest.approx(s.to_game().welfare().max())
    assert list(deal.utilities.index) == list(s.players)


def test_no_deal_when_nobody_gains():
    res = co.nash_bargaining([[0, 1], [1, 0]], [2, 2])
    assert not res.success and "no agreement" in res.message
    assert res.utilities.tolist() == [2.0, 2.0]
    assert not co.kalai_smorodinsky([[0, 1], [1, 0]], [2, 2]).success


def test_errors():
    with pytest.raises(InputError, match="disagreement"):
        co.nash_bargaining([[0, 1], [1, 0]])
    with pytest.raises(InputError, match="positive"):
        co.nash_bargaining([[0, 1], [1, 0]], [0, 0], powers=[1, 0])
    with pytest.raises(InputError, match=r"\(m, 2\)"):
        co.nash_bargaining([[0, 1, 2]], [0, 0])
    three = co.NormalFormGame.from_arrays(np.zeros((3, 2, 2, 2)))
    with pytest.raises(InputError, match="two parties"):
        co.nash_bargaining(three)
    assert "gain" in co.nash_bargaining([[0, 1], [1, 0]], [0, 0]).to_frame().columns
