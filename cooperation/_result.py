"""Shared behaviour of result objects: a readable repr, HTML for notebooks, text tables.

Every analysis returns a frozen dataclass that mixes this in and implements
``to_frame()`` (a tidy pandas DataFrame with labelled jurisdictions) and
``_summary()`` (a few ``(name, value)`` lines for the text repr).

The text helpers (:func:`display_number`, :func:`escape_controls`,
:func:`text_table`) are what the repr and the command line show: money
rounded for the eye (full precision stays in the objects and in JSON), no
``-0``, a word instead of a bare NaN, and names whose control characters
(ANSI escapes, newlines) are escaped, so a name cannot recolour a terminal or
split a table row.
"""

from __future__ import annotations

import html
import math
import unicodedata

__all__ = [
    "ResultMixin",
    "SolverResultMixin",
    "display_number",
    "escape_controls",
    "text_table",
    "paragraph",
]

# bidirectional overrides and isolates can reorder what a reader sees ("Trojan source")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _is_control(ch: str) -> bool:
    return ch in _BIDI or unicodedata.category(ch) == "Cc"


def _escaped(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    o = ord(ch)
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def escape_controls(text, keep: str = "") -> str:
    """``str(text)`` with control characters (ANSI escapes, newlines, bidi overrides)
    written as backslash escapes; characters in ``keep`` are left alone.

    Examples
    --------
    >>> print(escape_controls("Anhui\\x1b[31m\\nred"), escape_controls("新安江"))
    Anhui\\x1b[31m\\nred 新安江
    """
    s = str(text)
    if not any(_is_control(c) and c not in keep for c in s):
        return s
    return "".join(_escaped(c) if _is_control(c) and c not in keep else c for c in s)


def display_number(x, digits: int = 4, na: str = "n/a", inf: str = "inf") -> str:
    """A number for the eye: ``digits`` significant digits, no exponent between 1e-4
    and 1e15, no trailing zeros, no ``-0``; ``na`` for NaN or None, ``inf`` (signed)
    for an infinite value.

    Examples
    --------
    >>> [display_number(x) for x in (0.8999999999999999, -2.61532, 1234567.0, -0.0)]
    ['0.9', '-2.615', '1234567', '0']
    >>> display_number(float("nan")), display_number(float("inf"), inf="no cap")
    ('n/a', 'no cap')
    """
    if x is None:
        return na
    if isinstance(x, bool) or type(x).__name__ == "bool_":
        return str(bool(x))
    x = float(x)
    if math.isnan(x):
        return na
    if math.isinf(x):
        return inf if x > 0 else "-" + inf
    if x == 0.0:
        return "0"
    mag = math.floor(math.log10(abs(x)))
    if -4 <= mag < 15:
        decimals = max(0, digits - 1 - mag)
        text = f"{round(x, decimals):.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("-0", "0") else text
    return f"{x:.{digits - 1}e}"


def _cell(v, digits: int, na: str) -> str:
    import numbers

    if isinstance(v, numbers.Real) and not isinstance(v, bool) and type(v).__name__ != "bool_":
        return display_number(v, digits, na)
    if v is None:
        return na
    if isinstance(v, tuple):
        return escape_controls("(" + ", ".join(map(str, v)) + ")")
    return escape_controls(v)


def paragraph(text: str, width: int = 100, indent: str = "  ") -> str:
    """``text`` wrapped within ``width`` columns, every line after the first indented
    by ``indent`` more than the first (which keeps its own leading spaces)."""
    import textwrap

    lead = text[: len(text) - len(text.lstrip(" "))]
    return textwrap.fill(
        text.strip(),
        width=width,
        initial_indent=lead,
        subsequent_indent=lead + indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def text_table(df, *, width: int = 100, digits: int = 6, na: str = "n/a") -> str:
    """``df`` as text within ``width`` columns: numbers by :func:`display_number`,
    ``na`` for a missing value, labels escaped; a table wider than ``width`` comes
    in blocks of columns, each within ``width``."""
    import pandas as pd

    text = pd.DataFrame(
        {k: [_cell(v, digits, na) for v in df.iloc[:, k]] for k in range(df.shape[1])},
        index=range(len(df)),
    )
    text.columns = pd.Index(
        [escape_controls(c) for c in df.columns],
        name=None if df.columns.name is None else escape_controls(df.columns.name),
    )
    if isinstance(df.index, pd.MultiIndex):
        text.index = pd.MultiIndex.from_tuples(
            [tuple(escape_controls(x) for x in t) for t in df.index],
            names=[None if n is None else escape_controls(n) for n in df.index.names],
        )
    else:
        text.index = pd.Index(
            [escape_controls(x) for x in df.index],
            name=None if df.index.name is None else escape_controls(df.index.name),
        )
    with pd.option_context(
        "display.width",
        width,
        "display.max_columns",
        None,
        "display.max_colwidth",
        max(20, width // 2),
    ):
        # at least two spaces between columns, as pandas gives numbers
        space = {
            c: max(len(c), *(len(x) for x in text[c])) + 1 if len(text) else len(c) + 1
            for c in text.columns
        }
        return text.to_string(line_width=width, col_space=space)


class ResultMixin:
    def _summary(self) -> list[tuple[str, object]]:  # pragma: no cover - overridden
        return []

    def to_frame(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def __repr__(self) -> str:
        lines = [type(self).__name__]
        for key, val in self._summary():
            lines.append(f"  {key}: {escape_controls(val, keep=chr(10))}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(
            f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
            f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
            for k, v in self._summary()
        )
        try:
            table = self.to_frame()._repr_html_()
        except Exception:  # a display must never raise in a notebook
            table = ""
        return (
            f"<div><strong>{html.escape(type(self).__name__)}</strong>"
            f"<table>{head}</table>{table}</div>"
        )


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
        return [
            ("success", getattr(self, "success", None)),
            ("status", f"{getattr(self, 'status', None)} ({self.status_text})"),
            ("message", getattr(self, "message", "")),
            ("solver", getattr(self, "solver", "")),
        ]
