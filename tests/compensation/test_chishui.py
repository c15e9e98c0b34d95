"""The Chishui River case (Yunnan -> Guizhou -> Sichuan): real figures as shipped, and
the real 1:5:4 contribution key beside the fund LP's and the Shapley value's."""

import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cooperation as co

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "data" / "chishui"
REAL_KEY = {"Yunnan": 1.0, "Guizhou": 5.0, "Sichuan": 4.0}


@pytest.fixture(scope="module")
def chishui():
    return co.load_scenario(CASE / "scenario.toml")


def test_real_figures_as_cited(chishui):
    """Figures from the Xinhua report of 2018-03-25 as compiled in
    cited in data/chishui/SOURCES.md: fund 2亿,
    contributions 1:5:4 = 0.2 / 1.0 / 0.8亿, allocation 3:4:3, and Guizhou and Sichuan
    each paying 2000万 to Yunnan in 2019."""
    src = chishui.sources
    assert chishui.players == ("Yunnan", "Guizhou", "Sichuan")
    assert src["fund_total"] == 2.0
    assert src["contribution_ratio"] == [1, 5, 4] and src["allocation_ratio"] == [3, 4, 3]
    paid = [src["contribution_yunnan"], src["contribution_guizhou"], src["contribution_sichuan"]]
    assert paid == [0.2, 1.0, 0.8] and sum(paid) == pytest.approx(src["fund_total"])
    np.testing.assert_allclose(np.array(paid) / sum(paid), np.array([1, 5, 4]) / 10)
    assert src["paid_to_yunnan_2019_by_guizhou"] == src["paid_to_yunnan_2019_by_sichuan"] == 0.2
    text = (CASE / "SOURCES.md").read_text(encoding="utf-8")
    for cited in ("1 : 5 : 4", "0.2 / 1.0 / 0.8亿", "3 : 4 : 3", "2000万", "Xinhua 2018-03-25",
                  "Qingshuipu", "Lianyuxi", "Maotai"):
        assert cited in text, cited
    names = [h.name for h in chishui.hazards]
    assert any("Qingshuipu" in x for x in names) and any("Lianyuxi" in x for x in names)


def test_every_model_parameter_is_marked_illustrative():
    """Each numeric line of the jurisdiction and hazard tables says 'illustrative' in its
    comment (the spillover of the Maotai reach cites the real 50/50 rule and says that its
    use as damage shares is illustrative)."""
    lines = (CASE / "scenario.toml").read_text(encoding="utf-8").splitlines()
    section = None
    checked = 0
    for line in lines:
        head = line.strip()
        if head.startswith("["):
            section = head
            continue
        if section in ("[[jurisdictions]]", "[[hazards]]") and re.match(
                r"^\s*(probability|damage|prevention|response|capacity|costs|spillover)\s*=",
                line):
            assert "illustrative" in line, line
            checked += 1
    assert checked == 3 * 2 + 4 * 5
    data = tomllib.loads((CASE / "scenario.toml").read_text(encoding="utf-8"))
    assert "probability" in data["sources"]["illustrative"]
    assert "illustrative" in (CASE / "SOURCES.md").read_text(encoding="utf-8").lower()


def test_real_key_beside_the_lp_and_shapley(chishui):
    """The real contribution key 1:5:4 beside (a) the crisis-fund LP's contribution shares
    (benefit key, least co-funding) and (b) the Shapley value's share of the cooperative
    programme's bill (co.compare_rules). With the least co-funding every member pays exactly
    its expected payout (net benefit 0), so the LP's shares are the expected-payout shares.
    All three agree that Yunnan, the upstream province that bears only part of one hazard,
    pays the smallest share; the sizes depend on the illustrative parameters. A fund that
    follows the real key exactly exists when the higher level co-funds enough."""
    fund = co.design_fund(chishui, confidence=0.95, years=4000, seed=0, key="benefit")
    assert fund.success
    lp = fund.contributions / fund.total_contributions
    np.testing.assert_allclose(fund.contributions, fund.expected_payout, atol=1e-9)
    np.testing.assert_allclose(lp, fund.expected_payout / fund.expected_payout.sum(), atol=1e-9)
    rules = co.compare_rules(chishui)
    shap = rules.loc["shapley", "share"]
    real = pd.Series(REAL_KEY) / 10.0
    table = pd.DataFrame({"real_1_5_4": real, "fund_lp": lp, "shapley": shap})
    np.testing.assert_allclose(table.sum().to_numpy(), 1.0, atol=1e-9)
    assert (table.idxmin() == "Yunnan").all()
    assert bool(rules.loc[("shapley", "Yunnan"), "in_core"])
    # the real key inside the LP: reproduced exactly with generous co-funding
    need = fund.resources - 0.1 * fund.total_contributions
    real_fund = co.design_fund(chishui, years=4000, seed=0, key=REAL_KEY, cofunding=need)
    assert real_fund.success and real_fund.key_deviation == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(real_fund.to_frame()["contribution_share"], real, atol=1e-9)
    assert (real_fund.net_benefit >= -1e-9).all()


def test_transfers_that_make_cooperation_worthwhile(chishui, build):
    """All three provinces cooperating is the social optimum but not an equilibrium; the
    design (every family) is feasible, certified by the independent re-check, and every
    province gains over going alone."""
    res = co.design_compensation(chishui)
    assert res.success and res.target == ("cooperate",) * 3 and res.target_certified
    assert (res.gain >= -1e-9).all()
    v = co.characteristic_function(chishui, outsiders="gamma")
    viol = build.check_design(res, chishui.to_game(), caps=chishui.capacity,
                              core_values=v.values)
    assert max(viol.values()) <= 1e-9
    peer = co.design_compensation(chishui, constraints=["participation", "core"])
    assert peer.success and peer.subsidy == pytest.approx(0.0, abs=1e-12)
    assert peer.transfers["Yunnan"] > 0                 # upstream is paid, as in 2019
