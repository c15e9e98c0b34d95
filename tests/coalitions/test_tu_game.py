"""TUGame: construction, labels, bad input, and the superadditivity/convexity/balance checks."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.errors import InputError

MAJORITY = [0, 0, 0, 1, 0, 1, 1, 1]


# ----------------------------------------------------------------------------- construction
def test_bitmask_indexing_and_labels():
    v = co.TUGame([0, 1, 2, 4, 3, 5, 6, 9], players=["A", "B", "C"])
    assert v.n_players == 3
    assert v.value(["A"]) == 1 and v.value("B") == 2 and v.value(["A", "B"]) == 4
    assert v.value(["C", "A"]) == 5 and v.value(0b111) == 9
    assert v.members(0b101) == ("A", "C")
    assert v.mask(("B", "C")) == 0b110
    assert v.singletons.tolist() == [1, 2, 3]
    assert v.grand_value == 9.0
    assert not v.values.flags.writeable


def test_from_coalitions_matches_bitmask_table():
    v = co.TUGame.from_coalitions({("A", "B"): 3.0, "C": 1.0, frozenset({"A", "B", "C"}): 4.0},
                                  players=["A", "B", "C"])
    assert v.values.tolist() == [0, 0, 0, 3, 1, 0, 0, 4]
    inferred = co.TUGame.from_coalitions({("X",): 1.0, ("X", "Y"): 3.0})
    assert inferred.players == ("X", "Y") and inferred.values.tolist() == [0, 1, 0, 3]


def test_default_player_names_and_repr():
    v = co.TUGame(MAJORITY)
    assert v.players == ("P0", "P1", "P2")
    assert "v(N)" in repr(v) and "<table>" in v._repr_html_()
    assert len(v.to_frame()) == 7


@pytest.mark.parametrize("values, field, words", [
    ([0, 1, 2], "values", "2**n"),                      # wrong length
    ([0, 1, 2, 3, 4], "values", "2**n"),
    ([1, 1, 2, 3], "values[0]", "empty"),               # v(empty) != 0
    ([0, np.nan, 2, 3], "values[1]", "finite"),          # NaN, named coalition
    ([0, 1, np.inf, 3], "values[2]", "finite"),
    ([[0, 1], [2, 3]], "values", "1-D"),
    ("abc", "values", "numbers"),
])
def test_bad_values_name_the_problem(values, field, words):
    with pytest.raises(InputError) as err:
        co.TUGame(values)
    assert err.value.field == field
    assert words in str(err.value)


def test_bad_players():
    with pytest.raises(InputError, match="unique"):
        co.TUGame(MAJORITY, players=["A", "A", "B"])
    with pytest.raises(InputError, match="needs 3 names"):
        co.TUGame(MAJORITY, players=["A", "B"])
    with pytest.raises(InputError, match="not one string"):
        co.TUGame([0, 1], players="A")


def test_from_coalitions_errors():
    with pytest.raises(InputError, match="unknown player") as err:
        co.TUGame.from_coalitions({("A", "Z"): 1.0}, players=["A", "B"])
    assert err.value.value == "Z"
    with pytest.raises(InputError, match="given twice"):
        co.TUGame.from_coalitions({("A", "B"): 1.0, ("B", "A"): 2.0}, players=["A", "B"])
    with pytest.raises(InputError, match="listed twice"):
        co.TUGame.from_coalitions({("A", "A"): 1.0}, players=["A", "B"])
    with pytest.raises(InputError, match="finite"):
        co.TUGame.from_coalitions({("A",): float("nan")}, players=["A", "B"])
    with pytest.raises(InputError, match="no value"):
        co.TUGame.from_coalitions({("A",): 1.0}, players=["A", "B"], default=None)
    with pytest.raises(InputError, match="empty"):
        co.TUGame.from_coalitions({(): 1.0}, players=["A", "B"])


def test_value_errors():
    v = co.TUGame(MAJORITY, players=["A", "B", "C"])
    with pytest.raises(InputError, match="unknown player"):
        v.value(["D"])
    with pytest.raises(InputError, match="bitmask"):
        v.value(8)
    with pytest.raises(InputError, match="twice"):
        v.value(["A", "A"])


# ----------------------------------------------------------------------------- standard games
def test_glove_bankruptcy_airport_constructors():
    glove = co.TUGame.glove(1, 2)
    assert glove.value(["L0", "R0"]) == 1 and glove.value(["R0", "R1"]) == 0
    assert glove.grand_value == 1
    b = co.TUGame.bankruptcy(200, [100, 200, 300])
    # v(S) = max(0, E - claims outside S)
    assert b.value(["P2"]) == 0 and b.value(["P1", "P2"]) == 100 and b.grand_value == 200
    a = co.TUGame.airport([1, 2, 3])
    # savings: v(S) = sum c_i - max c_i
    assert a.value(["P0", "P2"]) == 1 and a.grand_value == 3 and a.value(["P1"]) == 0
    with pytest.raises(InputError):
        co.TUGame.bankruptcy(-1, [1, 2])
    with pytest.raises(InputError):
        co.TUGame.airport([1, -2])


def test_affine_dual_and_arithmetic():
    v = co.TUGame(MAJORITY)
    w = v.affine(2.0, [1.0, 0.0, -1.0])
    assert w.value(0b011) == 2 * 1 + 1 and w.value(0b100) == -1
    d = v.dual()
    assert d.value(0b001) == 1 - v.value(0b110)
    assert (v + v).values.tolist() == (2 * v).values.tolist()
    assert v.zero_normalized().singletons.tolist() == [0, 0, 0]
    with pytest.raises(InputError):
        v.affine(-1.0)


# ----------------------------------------------------------------------------- properties
def _brute_superadditive(v, n):
    return all(v[S | T] >= v[S] + v[T] - 1e-9 for S in range(1 << n) for T in range(1 << n)
               if not S & T)


def _brute_convex(v, n):
    return all(v[S | T] + v[S & T] >= v[S] + v[T] - 1e-9
               for S in range(1 << n) for T in range(1 << n))


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5).flatmap(lambda n: st.lists(st.integers(-3, 9), min_size=(1 << n) - 1,
                                                      max_size=(1 << n) - 1)))
def test_checks_agree_with_definitions(vals):
    v = np.array([0] + vals, dtype=float)
    n = len(v).bit_length() - 1
    g = co.TUGame(v)
    assert g.is_superadditive() == _brute_superadditive(v, n)
    assert g.is_convex() == _brute_convex(v, n)
    mono = all(v[S] <= v[S | T] + 1e-9 for S in range(1 << n) for T in range(1 << n))
    assert g.is_monotonic() == mono


def test_classic_game_properties():
    maj = co.TUGame(MAJORITY)
    assert maj.is_superadditive() and not maj.is_convex() and not maj.is_balanced()
    glove = co.TUGame.glove(1, 2)
    assert glove.is_superadditive() and glove.is_balanced()
    # airport savings games and bankruptcy games are convex (Littlechild-Owen; Curiel et al.)
    assert co.TUGame.airport([1, 3, 4, 7]).is_convex()
    assert co.TUGame.bankruptcy(250, [100, 200, 300]).is_convex()


def test_superadditivity_cap():
    v = co.TUGame(np.zeros(1 << 17))
    with pytest.raises(InputError, match="3\\*\\*17"):
        v.is_superadditive()


def test_superadditive_chunked_path():
    # n = 13 > 12 uses the chunked enumeration over the highest digits;
    # v(S) = |S|**2 is superadditive since (a + b)**2 >= a**2 + b**2
    v = np.array([bin(m).count("1") ** 2 for m in range(1 << 13)], dtype=float)
    assert co.TUGame(v).is_superadditive()
    w = v.copy()
    w[(1 << 12) | 1] = w[1 << 12] + w[1] - 1.0  # break one pair involving the top player
    assert not co.TUGame(w).is_superadditive()


def test_itertools_order_is_bit_order():
    v = co.TUGame.from_function(lambda S: len(S) ** 2, players=["a", "b", "c"])
    for r in range(4):
        for S in itertools.combinations("abc", r):
            assert v.value(S) == len(S) ** 2
