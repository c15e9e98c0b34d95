"""Figures of a reserve plan: drawn from the result, one artist per thing shown."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import cooperation as co  # noqa: E402
from cooperation.reserves import plot  # noqa: E402


def test_figures(three):
    plan = co.design_reserves(*three)
    links = three[2]
    ax = plot.network(plan, links)
    assert len(ax.lines) == len(links)            # one line per road
    assert len(ax.collections) == 3                # one marker per place
    ax = plot.reach(plan)
    assert len(ax.texts) == 9                      # 3 depots x 3 jurisdictions
    ax = plot.cost_shares(plan)
    assert len(ax.patches) == 4 * 3                # stand alone + 3 rules, 3 jurisdictions
    plt.close("all")
