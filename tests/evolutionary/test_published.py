"""A published tripartite evolutionary game reproduced.

Wang, J., Jia, L., He, P., Wang, P. and Huang, L. (2023). Engaging stakeholders in
collaborative control of air pollution: A tripartite evolutionary game of enterprises, public
and government. *Journal of Cleaner Production* 418, 138074.
https://doi.org/10.1016/j.jclepro.2023.138074

The payoff table (``data/published/wang2023_air_pollution.toml``), the parameter values and the
stated results are those of the authors' published code for the article
(github.com/Carl723000/A-Tripartite-Evolutionary-Game-of-Enterprises-Public-and-Government,
commit 36448eb767c80668f857816986c9f5ce64a111a6): ``Evolutionary_Game.m`` (payoff matrix,
Scenario 1 values, the four stages of Scenario 4 with the stable point each one reaches, and
the eigenvalues of A(0,0,0) "according to Table 3") and ``differential.m`` (the replicator
equations the authors integrate). The printed article itself was not available to us.

What is checked:

* the replicator system built from the table equals the authors' own equations term by term;
* the eigenvalues of A(0,0,0) equal the ones the source lists, except one term of the third,
  which the source's own equations do not contain (a discrepancy in the source, see below);
* under each of the five published parameter sets the stable points are exactly the one the
  source reports, with every rest point found (``complete``);
* the ESS condition of A(0,0,0) in our conditions table is the source's, inequality by
  inequality, and the classification does not change with the money unit.

Discrepancies in the source, stated rather than bent:

* ``lambda_A3`` as quoted from Table 3 carries an extra ``- Pe*gov*kappa*eA``. The payoff table
  gives no such term (``kappa`` cancels from every payoff difference of the government), nor do
  the authors' replicator equations; the source's own "simplified" condition 5 of its Figure 2
  drops it. With the published values the term is 0.8 against 10, so no verdict changes.
* The condition stated for H(1,1,1) -> E(1,1,0) has ``(G1 + G0)*(theta + 1)*(theta + 1)``; the
  payoff table and the authors' equations give ``(G1 + G0)*(theta + 1)``.
"""

from pathlib import Path

import pytest
import sympy

import cooperation as co
from cooperation.evolutionary.io import load_evolutionary
from cooperation.evolutionary.symbolic import reduced_system, share_symbols

DATA = Path("data/published/wang2023_air_pollution.toml")

# The four stages of the source's Scenario 4 (Evolutionary_Game.m, sections "Scenario 4,
# Stage 1..4"): each changes these values of Scenario 1 and reaches the stated point.
STAGES = {
    "Scenario 4, stage 1: A(0,0,0) -> D(0,0,1)": ({"eA": 0.2, "beta": 0.05, "G0": 20}, "(0, 0, 1)"),
    "Scenario 4, stage 2: D(0,0,1) -> F(1,0,1)": (
        {"eA": 0.4, "Rc": 15, "alpha": 0.06, "beta": 0.2, "G0": 20, "G1": 10},
        "(1, 0, 1)",
    ),
    "Scenario 4, stage 3: F(1,0,1) -> H(1,1,1)": (
        {
            "eA": 0.5,
            "Rc": 20,
            "alpha": 0.1,
            "beta": 0.2,
            "delta": 0.7,
            "epsilon": 0.1,
            "G0": 25,
            "G1": 15,
        },
        "(1, 1, 1)",
    ),
    "Scenario 4, stage 4: H(1,1,1) -> E(1,1,0)": (
        {
            "Pe": 10,
            "eA": 0.7,
            "Rc": 25,
            "alpha": 0,
            "beta": 0.2,
            "gamma": 0.3,
            "delta": 0.5,
            "epsilon": 0,
            "zeta": 0.2,
            "G0": 15,
            "G1": 5,
        },
        "(1, 1, 0)",
    ),
}
# amounts (scaled with the money unit); the other parameters are coefficients or shares
MONEY = ("PA", "Pe", "CA", "Rc", "CH", "CB1", "CB0", "Rp", "CG1", "CE", "G0", "G1")


@pytest.fixture(scope="module")
def wang():
    return load_evolutionary(DATA)


@pytest.fixture(scope="module")
def s(wang):
    """The parameters as sympy symbols, by name."""
    return {k: sympy.Symbol(k, real=True) for k in wang.parameters}


@pytest.fixture(scope="module")
def scenario1(wang):
    return co.evolutionary_stability(wang)


def _P(s):
    """The enterprise's total revenue of the source, P = PA + (1 - eA)(1 - gov) Pe."""
    return s["PA"] + (1 - s["eA"]) * (1 - s["gov"]) * s["Pe"]


def _same(a, b) -> bool:
    return sympy.simplify(sympy.expand(a - b)) == 0


def test_table_gives_the_authors_replicator_equations(wang, s):
    # differential.m of the source, written out in its symbols (x, y, z: shares governing,
    # participating, regulating)
    xs = share_symbols(wang.players, wang.shape, set(s))
    x, y, z = (row[0] for row in xs)
    PA, Pe, CA, eA, Rc = (s[k] for k in ("PA", "Pe", "CA", "eA", "Rc"))
    al, be, ga = s["alpha"], s["beta"], s["gamma"]
    CH, CB1, de, CB0, ep, Rp = (s[k] for k in ("CH", "CB1", "delta", "CB0", "epsilon", "Rp"))
    ze, et, th, lam = s["zeta"], s["eta"], s["theta"], s["lam"]
    CG1, gov, G0, G1 = s["CG1"], s["gov"], s["G0"], s["G1"]
    dx = (
        x
        * (x - 1)
        * (
            (1 - gov) * z * Pe * eA * al
            - z * PA * be
            - z * PA * al
            + (1 - gov) * z * Pe * eA * be
            + (gov - 1) * z * Pe * al
            + (gov - 1) * z * Pe * be
            - et * y * PA
            + (1 - gov) * Pe * eA
            + (CA - Rc - CA * ga) * eA
        )
    )
    dy = -y * (y - 1) * (CB0 - CB1 * de + CH * lam + Rp * ze - CH * lam * x + CB1 * de * ep * z)
    dz = (
        -z
        * (z - 1)
        * (
            G0
            + be * Pe * eA * gov
            + (al + be) * Pe * eA * x
            - be * Pe * eA
            + (al + be) * Pe * gov * x
            - be * Pe * gov
            - (al + be) * Pe * x
            + be * Pe
            - (al + be) * PA * x
            + be * PA
            - (CB1 * de * ep - G1 * th - G0 * th) * y
            - (al + be) * Pe * eA * gov * x
            - CG1
            + G1
        )
    )
    ours = reduced_system(wang.expressions, xs)
    assert len(ours) == 3
    for mine, theirs in zip(ours, (dx, dy, dz), strict=True):
        assert sympy.expand(mine - theirs) == 0


def test_corner_A_eigenvalues_as_listed(scenario1, s):
    """A(0,0,0): the eigenvalues the source lists "according to Table 3"."""
    lam1, lam2, lam3 = scenario1.conditions.loc["(0, 0, 0)", "eigenvalues"]
    listed1 = s["eA"] * (s["Rc"] - s["Pe"] * (1 - s["gov"]) - s["CA"] * (1 - s["gamma"]))
    listed2 = (s["CB0"] + s["CH"] * s["lam"]) + (s["Rp"] * s["zeta"] - s["CB1"] * s["delta"])
    listed3 = (
        s["G0"] - s["CG1"] + s["G1"] + s["beta"] * _P(s) - s["Pe"] * s["gov"] * s["kappa"] * s["eA"]
    )
    assert _same(lam1, listed1)
    assert _same(lam2, listed2)
    # the discrepancy: the listed third eigenvalue has one term more than the table gives
    assert _same(listed3 - lam3, -s["Pe"] * s["gov"] * s["kappa"] * s["eA"])
    # ... and the source's "simplified" condition 5 of Figure 2 (A -> D, lambda_A3 > 0),
    # CG1 < G0 + G1 + beta*(PA + Pe*(eA - 1)*(gov - 1)), is exactly ours
    cond5 = (
        s["G0"]
        + s["G1"]
        + s["beta"] * (s["PA"] + s["Pe"] * (s["eA"] - 1) * (s["gov"] - 1))
        - s["CG1"]
    )
    assert _same(lam3, cond5)


def test_transition_conditions_as_stated(scenario1, s):
    c = scenario1.conditions
    # D(0,0,1) -> F(1,0,1): the enterprise's eigenvalue at D, stated positive as
    # (alpha+beta)*P + eA*Rc - eA*CA*(1-gamma) > Pe*eA*(1-gov)
    stated = (
        (s["alpha"] + s["beta"]) * _P(s)
        + s["eA"] * s["Rc"]
        - s["eA"] * s["CA"] * (1 - s["gamma"])
        - s["Pe"] * s["eA"] * (1 - s["gov"])
    )
    assert _same(c.loc["(0, 0, 1)", "eigenvalues"][0], stated)
    # H(1,1,1) -> E(1,1,0): the government's eigenvalue at H (its gain from ceasing to
    # regulate), stated positive as (G1+G0)*(theta+1)*(theta+1) < CG1 + alpha*P +
    # CB1*delta*epsilon; the table and the authors' equations give one factor (theta + 1) less
    rhs = s["CG1"] + s["alpha"] * _P(s) + s["CB1"] * s["delta"] * s["epsilon"]
    ours_lhs = (s["G1"] + s["G0"]) * (s["theta"] + 1)
    assert _same(c.loc["(1, 1, 1)", "eigenvalues"][2], rhs - ours_lhs)
    stated_lhs = (s["G1"] + s["G0"]) * (s["theta"] + 1) * (s["theta"] + 1)
    assert _same(stated_lhs - ours_lhs * (s["theta"] + 1), 0)


@pytest.mark.parametrize(
    "changes,stable", [({}, "(0, 0, 0)"), *STAGES.values()], ids=["Scenario 1: A(0,0,0)", *STAGES]
)
def test_published_parameter_sets_reach_the_stated_point(wang, scenario1, changes, stable):
    st = scenario1 if not changes else co.evolutionary_stability(wang.with_values(**changes))
    assert st.complete is True
    assert st.stable["label"].tolist() == [stable]
    # the conditions table agrees: only that corner's ESS condition holds
    assert st.conditions.index[st.conditions["holds"]].tolist() == [stable]


def test_ess_condition_of_A_matches_the_source(scenario1, s):
    row = scenario1.conditions.loc["(0, 0, 0)"]
    assert row["holds"]
    # each inequality P < N of ours is the source's lambda < 0, term for term
    listed = [
        s["eA"] * (s["Rc"] - s["Pe"] * (1 - s["gov"]) - s["CA"] * (1 - s["gamma"])),
        s["CB0"] + s["CH"] * s["lam"] + s["Rp"] * s["zeta"] - s["CB1"] * s["delta"],
        s["G0"] + s["G1"] + s["beta"] * _P(s) - s["CG1"],
    ]
    assert len(row["inequalities"]) == 3
    for rel, lam in zip(row["inequalities"], listed, strict=True):
        assert isinstance(rel, sympy.StrictLessThan)
        assert _same(rel.lhs - rel.rhs, lam)
    assert row["condition"] == " and ".join(
        str(r.lhs) + " < " + str(r.rhs) for r in row["inequalities"]
    )


def test_stable_point_does_not_depend_on_the_money_unit(wang, scenario1):
    scaled = {k: wang.values[k] * 1e4 for k in MONEY}
    st = co.evolutionary_stability(wang.with_values(**scaled))
    assert st.stable["label"].tolist() == scenario1.stable["label"].tolist() == ["(0, 0, 0)"]
