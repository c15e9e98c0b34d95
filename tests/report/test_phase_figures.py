"""Figures of the report package: shared style, phase diagrams, threshold curves."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import QuadMesh  # noqa: E402

from cooperation import report  # noqa: E402
from cooperation.errors import InputError  # noqa: E402
from cooperation.sweeps import phase_boundary  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def grim_table() -> pd.DataFrame:
    """Exact (noise-free) grim-trigger payoff gaps: gap = (R - P)/(1 - delta) - (T - P),
    R = 3, P = 1 (Friedman 1971): cooperation holds iff delta >= (T - 3)/(T - 1)."""
    T, d = np.meshgrid([4.0, 5.0, 6.0, 8.0], np.round(np.arange(0.05, 0.951, 0.05), 2),
                       indexing="ij")
    df = pd.DataFrame({"T": T.ravel(), "delta": d.ravel()})
    df["gap"] = 2.0 / (1.0 - df["delta"]) - (df["T"] - 1.0)
    return df


def test_style_context_restores_rcparams():
    before = matplotlib.rcParams["font.size"], matplotlib.rcParams["axes.spines.top"]
    with report.style():
        assert matplotlib.rcParams["font.size"] == report.STYLE["font.size"]
        assert matplotlib.rcParams["axes.spines.top"] is False
        colours = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        assert colours[0] == report.PALETTE[0]
    assert (matplotlib.rcParams["font.size"], matplotlib.rcParams["axes.spines.top"]) == before


def test_mplstyle_file_round_trip(tmp_path):
    path = report.write_mplstyle(tmp_path / "cooperation.mplstyle")
    with plt.style.context(str(path)):
        assert matplotlib.rcParams["savefig.dpi"] == report.STYLE["savefig.dpi"]
        assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][1].lower() == \
            report.PALETTE[1].lower()


def test_phase_diagram_mesh_matches_table_and_boundary():
    df = grim_table()
    fig, ax = report.phase_diagram(df, "delta", "T", "gap", level=0.0,
                                   theory=lambda T: (T - 3.0) / (T - 1.0))
    assert isinstance(fig, matplotlib.figure.Figure) and fig.axes[0] is ax
    mesh = [c for c in ax.collections if isinstance(c, QuadMesh)][0]
    np.testing.assert_allclose(np.asarray(mesh.get_array()).reshape(4, 19),
                               report.phase_grid(df, "delta", "T", "gap").to_numpy())
    sim, theory = ax.lines[0], ax.lines[1]
    b = phase_boundary(df, "delta", "gap", by="T", level=0.0)
    np.testing.assert_allclose(sim.get_xdata(), b["x_interp"])
    np.testing.assert_allclose(sim.get_ydata(), b["T"])
    # the theory line is the closed form on a fine grid of T
    tx, ty = np.asarray(theory.get_xdata()), np.asarray(theory.get_ydata())
    np.testing.assert_allclose(tx, (ty - 3.0) / (ty - 1.0))
    # the closed form and the interpolated boundary agree within one grid step
    assert np.all(np.abs(b["x_interp"] - (b["T"] - 3) / (b["T"] - 1)) < 0.05)
    assert mesh.norm.vcenter == 0.0                # diverging map centred on the level
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getbuffer().nbytes > 1000


def test_phase_diagram_boundary_along_y_and_own_axes():
    q, F = np.meshgrid([0.2, 0.4, 0.6, 0.8], np.arange(1.0, 9.0), indexing="ij")
    df = pd.DataFrame({"q": q.ravel(), "fine": F.ravel()})
    df["net_gain"] = 1.0 - 0.8 * df["q"] * df["fine"]
    fig0, ax0 = plt.subplots()
    fig, ax = report.phase_diagram(df, "q", "fine", "net_gain", level=0.0, region="below",
                                   boundary_along="y", ax=ax0,
                                   theory=lambda q: 1.0 / (0.8 * q))
    assert ax is ax0 and fig is fig0
    b = phase_boundary(df, "fine", "net_gain", by="q", level=0.0, region="below")
    np.testing.assert_allclose(ax.lines[0].get_ydata(), b["x_interp"])
    np.testing.assert_allclose(b["x_interp"], 1.0 / (0.8 * b["q"]))   # linear: exact


def test_sampled_design_uses_scatter():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"q": rng.random(30), "fine": 10 * rng.random(30)})
    df["rate"] = (df["q"] * df["fine"] > 3).astype(float)
    fig, ax = report.phase_diagram(df, "q", "fine", "rate")
    assert len(ax.collections) == 1 and not isinstance(ax.collections[0], QuadMesh)
    with pytest.raises(InputError, match="full grid"):
        report.phase_diagram(df, "q", "fine", "rate", kind="mesh")


def test_threshold_curve_marks_crossings():
    df = grim_table()
    fig, ax = report.threshold_curve(df, "delta", "gap", by="T", level=0.0,
                                     theory=lambda T: (T - 3.0) / (T - 1.0))
    markers = [ln for ln in ax.lines if ln.get_marker() == "D"]
    b = phase_boundary(df, "delta", "gap", by="T", level=0.0)
    np.testing.assert_allclose(sorted(float(m.get_xdata()[0]) for m in markers),
                               sorted(b["x_interp"]))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == \
        ["T = 4.0", "T = 5.0", "T = 6.0", "T = 8.0"]


def test_report_errors_name_the_column():
    df = grim_table()
    with pytest.raises(InputError, match="no column 'rate'") as info:
        report.phase_diagram(df, "delta", "T", "rate")
    assert info.value.value == "rate"
    with pytest.raises(InputError, match="boundary_along"):
        report.phase_diagram(df, "delta", "T", "gap", boundary_along="z")
    with pytest.raises(InputError, match="agg"):
        report.threshold_curve(df, "delta", "gap", agg="sum")
