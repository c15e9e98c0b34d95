"""Payoff tables in named parameters: parsing, corner conditions, LaTeX."""

import numpy as np
import pytest
import sympy

import cooperation as co
from cooperation.errors import GameError

PLAYERS = ["Up", "Down"]
ACTIONS = [["protect", "pollute"], ["pay", "refuse"]]
TABLE = {("protect", "pay"): ["R - C + T", "B - T"],
         ("protect", "refuse"): ["R - C", "B"],
         ("pollute", "pay"): ["0", "-L"],
         ("pollute", "refuse"): ["0", "-L"]}


def test_two_population_conditions_in_own_symbols():
    eg = co.EvolutionaryGame.symbolic(PLAYERS, ACTIONS, TABLE,
                                      {"R": 1, "C": 2, "T": 1.5, "B": 3, "L": 1})
    st = co.evolutionary_stability(eg)
    c = st.conditions
    R, C, T = sympy.symbols("R C T", real=True)
    # (protect, pay): Up's switch gain -(R - C + T), Down's switch gain T (refusing saves T)
    eigs = set(c.loc["(1, 1)", "eigenvalues"])
    assert eigs == {sympy.expand(C - R - T), T}
    assert c.loc["(1, 1)", "condition"] == "C < R + T and T < 0"
    # (protect, refuse): gains C - R (Up), -T (Down)
    assert c.loc["(1, 0)", "condition"] == "C < R and 0 < T"
    # the table at the values agrees with the numeric classification
    rp = st.rest_points.set_index("label")
    for lab, r in c.iterrows():
        assert r["holds"] == (rp.loc[lab, "stability"] == "asymptotically stable")


def test_xinan_conditions_by_hand(xinan):
    st = co.evolutionary_stability(xinan)
    c = st.conditions
    s = {k: sympy.Symbol(k, real=True) for k in xinan.parameters}
    # (protect, honour, punish): Anhui's gain from neglect -(B_A - C_A + 2S + F_A),
    # Zhejiang's gain from reneging S + C_Z - F_Z, Central's gain from subsidy C_G - G
    want = {sympy.expand(s["C_A"] - s["B_A"] - 2 * s["S"] - s["F_A"]),
            sympy.expand(s["S"] + s["C_Z"] - s["F_Z"]), sympy.expand(s["C_G"] - s["G"])}
    assert set(c.loc["(1, 1, 0)", "eigenvalues"]) == want
    assert c.loc["(1, 1, 0)", "holds"] and st.stable["label"].tolist() == ["(1, 1, 0)"]
    # raising the stake to 2 breaks Zhejiang's condition S + C_Z < F_Z
    st2 = co.evolutionary_stability(xinan.with_values(S=2.0))
    assert st2.stable["label"].tolist() == ["(1, 0, 0)"]
    assert st.complete is True


def test_latex_export(tmp_path, xinan):
    st = co.evolutionary_stability(xinan)
    path = tmp_path / "ess.tex"
    text = st.to_latex(path)
    assert path.read_text() == text
    assert "\\begin{tabular}" in text and "C_{G} < G" in text
    assert text.count("\\\\") == 9   # header + 8 corners


@pytest.mark.parametrize("payoffs,values,match", [
    ({**TABLE, ("protect", "pay"): ["__import__('os')", "0"]}, {}, "may contain only"),
    ({**TABLE, ("protect", "pay"): ["R -", "0"]}, {}, "not a valid expression"),
    ({k: v for k, v in list(TABLE.items())[:3]}, {}, "missing"),
    (TABLE, {"R": 1, "C": 2, "T": 1, "B": 3}, "every parameter needs a value"),
    (TABLE, {"R": 1, "C": 2, "T": 1, "B": 3, "L": 1, "Q": 2}, "unknown parameter"),
    (TABLE, {"R": float("nan"), "C": 2, "T": 1, "B": 3, "L": 1}, "finite"),
])
def test_bad_tables_name_the_field(payoffs, values, match):
    with pytest.raises(GameError, match=match):
        co.EvolutionaryGame.symbolic(PLAYERS, ACTIONS, payoffs, values)


def test_with_values_rejects_unknown(xinan):
    with pytest.raises(GameError, match="unknown parameter"):
        xinan.with_values(Q=1.0)
    assert xinan.with_values(S=2.0).values["S"] == 2.0 and xinan.values["S"] == 1.0


def test_numeric_payoffs_follow_values(xinan):
    u = xinan.game.payoff(("protect", "honour", "subsidy"))
    v = xinan.values
    assert np.allclose(u, [v["B_A"] - v["C_A"] + v["S"] + v["G"], v["B_Z"] - v["S"] - v["C_Z"],
                           v["E"] - v["G"]])
