"""Chinese figures have every glyph; titles state findings and name parameters; colour bars
are linear; the fund and tornado figures say what they show."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

import cooperation as co
from cooperation import repeated as rp
from cooperation import report
from cooperation.report import fonts

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
XINAN = ROOT / "data" / "xinan" / "scenario.toml"


def _need_cjk():
    if fonts.cjk_font() is None:
        if os.environ.get("CI"):
            pytest.fail("no CJK font on CI: .ci/run installs fonts-noto-cjk")
        pytest.skip(f"no CJK font installed here ({fonts.INSTALL_HINT})")


def _draw_strict(fig):
    """Render ``fig``; any 'Glyph ... missing from font' warning is an error."""
    import io

    import matplotlib.pyplot as plt

    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r".*[Gg]lyph .* missing from.*")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def test_strict_render_catches_a_missing_glyph():
    """The check itself can fail: DejaVu Sans alone has no Chinese glyphs."""
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("纳什均衡")
    with pytest.raises(UserWarning, match="missing from"):
        _draw_strict(fig)


def test_chinese_brief_figures_have_every_glyph():
    _need_cjk()
    s = co.load_scenario(XINAN)
    comp = co.design_compensation(s)
    plan = co.payment_plan(comp, scenario=s)
    cmp = rp.compare_modes(s, rounds=10, runs=20, seed=0)
    sens = co.sensitivity(s, runs=10, rounds=5)
    figs = [report.plot_payment_plan(plan, lang="zh")[0], report.plot_modes(cmp, lang="zh")[0],
            report.plot_tornado(sens, lang="zh")[0],
            report.plot_fund_sources({"Anhui": 1.0, "Zhejiang": 2.0}, 3.0, s.unit, lang="zh")[0],
            report.plot_cooperation(cmp.results["hierarchy"], by="jurisdiction", lang="zh")[0]]
    for fig in figs:
        _draw_strict(fig)
    title = figs[0].axes[0].get_title()
    assert "谁向谁支付" in title and "亿元/年" in title


def test_font_chain_and_its_warning(monkeypatch):
    assert fonts.font_rc("en")["font.family"][0] == "sans-serif"
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    monkeypatch.setattr(fonts, "_warned", False)
    with pytest.warns(fonts.CJKFontWarning, match="fonts-noto-cjk") as rec:
        rc = fonts.font_rc("zh")
    assert rc == {"font.family": ["sans-serif"]}
    assert len(rec) == 1 and "\n" not in str(rec[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fonts.font_rc("zh")                    # once per session
        fonts.font_rc("en")                    # English needs no Chinese font


def test_phase_colour_bar_is_linear():
    q, F = np.meshgrid([0.2, 0.4, 0.6, 0.8], np.arange(1.0, 9.0), indexing="ij")
    df = pd.DataFrame({"q": q.ravel(), "fine": F.ravel()})
    df["rate"] = np.clip(0.4 + 0.1 * df["q"] * df["fine"], 0, 1)      # 0.42 .. 1.0
    fig, _ = report.phase_diagram(df, "q", "fine", "rate", level=0.9)   # 0.9 near the top
    cax = fig.axes[1]
    fig.canvas.draw()
    lo, hi = cax.get_ylim()
    ticks = [t for t in cax.get_yticks() if lo <= t <= hi]
    px = np.diff([cax.transData.transform((0, t))[1] for t in ticks])
    assert len(px) >= 3 and np.allclose(px, px[0], rtol=1e-6)
    assert cax.get_ylabel() == "rate"


def test_cooperation_figure_names_its_parameters():
    res = rp.simulate(None, rp.TitForTat(), rounds=15, runs=30, noise=0.05, seed=7,
                      monitoring=rp.Monitoring(audit_prob=0.25, fine=2.0))
    _, ax = report.plot_cooperation(res)
    title = ax.get_title().replace("\n", " ")
    for part in ("Tit For Tat", "30 runs x 15 rounds", "noise 0.05", "audits q=0.25",
                 "fine 2", "seed 7", f"{res.cooperation_rate:.0%}"):
        assert part in title, part


def test_fund_and_tornado_titles_state_the_finding():
    _, ax = report.plot_fund_sources({"A": 10.0, "B": 20.0}, 330.0, "EUR M")
    assert ax.get_title().startswith("The higher level co-funds 11 times what the members pay")
    assert ax.get_ylabel() == "money per year (EUR M)"
    heights = sorted(round(p.get_height(), 9) for p in ax.patches)
    assert heights[-1] == 330.0 and 30.0 in heights            # co-funding beside the total
    sens = co.sensitivity(co.load_scenario(XINAN), runs=10, rounds=5)
    _, ax = report.plot_tornado(sens, "cost_alone", top=4)
    t = sens[sens["outcome"] == "cost_alone"]
    from cooperation.report.sensitivity import parameter_label

    top = parameter_label(t.iloc[0])
    assert top in ax.get_title().replace("\n", " ")
    assert ax.get_yticklabels()[-1].get_text() == top            # the longest bar on top
    assert "CNY 100M/yr" in ax.get_xlabel()
