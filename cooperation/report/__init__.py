"""Tables and figures shared by the notebooks, the CLI and the paper.

One figure style (:data:`STYLE`, :func:`style`, :func:`use_style`), and plots
that read result tables and return ``(fig, ax)``: :func:`phase_diagram` and
:func:`threshold_curve` for sweep tables; :func:`plot_cooperation` and
:func:`plot_modes` for repeated-play results; :func:`plot_payment_plan`
for payment plans; :func:`plot_fund_sources` for a crisis fund's money;
:func:`plot_tornado` for a sensitivity table. :func:`brief` turns a scenario
into a one-page brief (HTML, or an Excel workbook of its tables), in English
or Chinese (:mod:`cooperation.report.i18n`; Chinese fonts:
:mod:`cooperation.report.fonts`). The report layer never computes
equilibria itself; it draws what the analysis returned.

Importing this module imports matplotlib (``cooperation`` itself does not).
"""

from .brief import Brief, BriefSizes, brief
from .fund import plot_fund_sources
from .payment_plan import plan_layout, plan_title, plot_payment_plan
from .phase import phase_diagram, phase_grid, threshold_curve
from .repeated import plot_cooperation, plot_modes
from .sensitivity import plot_tornado
from .style import (
    DIVERGING,
    PALETTE,
    SEQUENTIAL,
    STYLE,
    style,
    subplots,
    use_style,
    wrap,
    write_mplstyle,
)

__all__ = [
    "Brief", "BriefSizes", "brief",
    "DIVERGING", "PALETTE", "SEQUENTIAL", "STYLE", "phase_diagram", "phase_grid",
    "plan_layout", "plan_title", "plot_cooperation", "plot_fund_sources", "plot_modes",
    "plot_payment_plan", "plot_tornado", "style",
    "subplots", "threshold_curve", "use_style", "wrap", "write_mplstyle",
]
