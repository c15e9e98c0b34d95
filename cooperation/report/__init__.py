"""Tables and figures shared by the notebooks, the CLI and the paper.

One figure style (:data:`STYLE`, :func:`style`, :func:`use_style`), and plots
that read result tables and return ``(fig, ax)``: :func:`phase_diagram` and
:func:`threshold_curve` for sweep tables. The report layer never computes
equilibria itself; it draws what the analysis returned.

Importing this module imports matplotlib (``cooperation`` itself does not).
"""

from .phase import phase_diagram, phase_grid, threshold_curve
from .style import (
    DIVERGING,
    PALETTE,
    SEQUENTIAL,
    STYLE,
    style,
    subplots,
    use_style,
    write_mplstyle,
)

__all__ = [
    "DIVERGING", "PALETTE", "SEQUENTIAL", "STYLE", "phase_diagram", "phase_grid", "style",
    "subplots", "threshold_curve", "use_style", "write_mplstyle",
]
