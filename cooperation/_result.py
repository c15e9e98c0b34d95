"""Shared behaviour of result objects: a readable repr and HTML for notebooks.

Every analysis returns a frozen dataclass that mixes this in and implements
``to_frame()`` (a tidy pandas DataFrame with labelled jurisdictions) and
``_summary()`` (a few ``(name, value)`` lines for the text repr).
"""

from __future__ import annotations

import html

__all__ = ["ResultMixin", "SolverResultMixin"]


class ResultMixin:
    def _summary(self) -> list[tuple[str, object]]:  # pragma: no cover - overridden
        return []

    def to_frame(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def __repr__(self) -> str:
        lines = [type(self).__name__]
        for key, val in self._summary():
            lines.append(f"  {key}: {val}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
                       f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
                       for k, v in self._summary())
        try:
            table = self.to_frame()._repr_html_()
        except Exception:  # a display must never raise in a notebook
            table = ""
        return (f"<div><strong>{html.escape(type(self).__name__)}</strong>"
                f"<table>{head}</table>{table}</div>")


class SolverResultMixin(ResultMixin):
    """Results of an optimisation, in the ``scipy.optimize`` vocabulary.

    A subclass (a frozen dataclass) has the fields ``success`` (bool),
    ``status`` (0 optimal, 1 iteration or time limit, 2 infeasible, 3
    unbounded, 4 numerical difficulties: :data:`cooperation.lp.STATUS_TEXT`),
    ``message`` (one sentence, in decimals) and ``solver`` (which solver ran);
    this mixin adds the readable status and the first summary lines, so that
    every solver result starts its repr the same way.
    """

    @property
    def status_text(self) -> str:
        from .lp.model import STATUS_TEXT

        return STATUS_TEXT.get(getattr(self, "status", None), "unknown")

    def _solver_summary(self) -> list[tuple[str, object]]:
        return [("success", getattr(self, "success", None)),
                ("status", f"{getattr(self, 'status', None)} ({self.status_text})"),
                ("message", getattr(self, "message", "")),
                ("solver", getattr(self, "solver", ""))]
