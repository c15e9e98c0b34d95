"""Hierarchy-led vs peer-led governance: same seeds, one table, one figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import cooperation as co  # noqa: E402
import cooperation.report  # noqa: E402,F401  (registers SimulationResult.plot)
from cooperation import repeated as rp  # noqa: E402
from cooperation.errors import InputError  # noqa: E402

XINAN = str(__import__("pathlib").Path(__file__).resolve().parents[2]
            / "data" / "xinan" / "scenario.toml")


@pytest.fixture(scope="module")
def comparison():
    s = co.load_scenario(XINAN)
    return rp.compare_modes(s, rounds=30, runs=400, seed=2)


def test_table_has_one_row_per_mode(comparison):
    t = comparison.table
    assert list(t.index) == ["hierarchy", "peer"]
    for col in ("cooperation_rate", "collapse_share", "recovery_median", "fines_per_run",
                "higher_level_pays_per_run", "welfare_share"):
        assert col in t.columns
    assert t.loc["peer", "fines_per_run"] == 0.0          # no superior, no audit fines
    assert t.loc["hierarchy", "fines_per_run"] > 0.0      # noise makes some defect
    assert comparison.results["hierarchy"].fund == pytest.approx(
        t.loc["hierarchy", "fines_per_run"])               # fines feed the fund


def test_default_fine_deters_every_profile(comparison):
    """The default fine is max gain / (q a): the opportunists are deterred."""
    h = comparison.results["hierarchy"]
    assert h.deterred.all()
    stage = rp.as_stage(co.load_scenario(XINAN))
    assert comparison.settings["fine"] == pytest.approx(
        rp.deterrence_fine(stage.max_gain().max(), 0.3, 0.9))


def test_same_seeds_in_both_modes():
    """With the same always-cooperate strategy in both modes, execution noise hits the
    same runs, rounds and jurisdictions."""
    s = co.load_scenario(XINAN)
    cmp = rp.compare_modes(s, rounds=20, runs=50, noise=0.1, seed=7,
                           hierarchy_strategy=rp.AlwaysCooperate(),
                           peer_strategy=rp.AlwaysCooperate())
    h, p = cmp.results["hierarchy"], cmp.results["peer"]
    assert np.array_equal(h.cooperated, p.cooperated)


def test_figure_and_tidy_frame(comparison):
    fig, ax = comparison.plot()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "hierarchy-led" in labels and "peer-led" in labels
    assert len(ax.lines) == 2
    df = comparison.to_frame()
    assert set(df["mode"]) == {"hierarchy", "peer"}
    assert len(df) == 2 * 30 * 2
    by = comparison.by_jurisdiction()
    assert by.index.names == ["mode", "jurisdiction"]
    assert "<table" in comparison._repr_html_()


def test_subsidy_is_paid_by_the_higher_level():
    s = co.load_scenario(XINAN)
    cmp = rp.compare_modes(s, rounds=10, runs=20, noise=0.0, subsidy=0.5, shock=None)
    assert cmp.table.loc["hierarchy", "higher_level_pays_per_run"] == pytest.approx(
        10 * 2 * 0.5)
    with pytest.raises(InputError, match="subsidy"):
        rp.compare_modes(s, rounds=10, runs=5, subsidy=-1.0)


def test_peer_transfers_from_a_compensation_design():
    """Transfers designed by design_compensation are accepted as they come."""
    s = co.load_scenario(XINAN)
    design = co.design_compensation(s)
    cmp = rp.compare_modes(s, rounds=10, runs=20, transfers=design, shock=None)
    assert cmp.settings["transfers"] == pytest.approx(design.transfers.tolist())


def test_simulation_plot():
    res = rp.simulate(None, rp.TitForTat(), rounds=10, runs=20, noise=0.1,
                      shock=rp.Shock(4))
    fig, ax = res.plot(by="jurisdiction")
    assert len(ax.lines) == 2
    with pytest.raises(InputError):
        res.plot(by="colour")


def test_plot_works_in_a_fresh_session_through_the_report_registry():
    """Plotting depends on results, never the reverse (tests/architecture checks that no
    repeated module imports report): the report layer, loaded by ``import cooperation``,
    registers the figures that ``.plot()`` looks up."""
    import subprocess
    import sys

    code = (
        "import matplotlib; matplotlib.use('Agg')\n"
        "from cooperation import repeated as rp\n"
        "res = rp.simulate(None, rp.TitForTat(), rounds=5, runs=3)\n"
        "fig, ax = res.plot()\n"
        "assert ax.get_ylabel() == 'cooperation rate'\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr

