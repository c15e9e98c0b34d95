"""HTML of a brief: one self-contained page, figures embedded as base64 PNG.

No external requests: no web fonts, scripts or style sheets; the font stack
names the fonts a reader's machine has (Chinese: Microsoft YaHei, PingFang
SC, Noto Sans CJK SC, ...). Print CSS sets A4 with 12 mm margins, keeps each
section on one page where it fits, and the page never gets wider than A4
(tables wrap, images scale down). Rendered with Jinja2, every text escaped.
"""

from __future__ import annotations

import base64

import pandas as pd

from .i18n import tr

__all__ = ["render", "CSS"]

#: style sheet, scoped to ``.coop-brief`` so that a notebook's page is untouched
CSS = """
.coop-brief { font-family: "Segoe UI", "Helvetica Neue", Arial, "Microsoft YaHei",
  "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
  sans-serif; font-size: 9.5pt; line-height: 1.35; color: #111; max-width: 186mm;
  margin: 0 auto; box-sizing: border-box; overflow-wrap: anywhere; }
.coop-brief * { box-sizing: border-box; }
.coop-brief h1 { font-size: 14pt; margin: 0 0 1mm 0; }
.coop-brief h2 { font-size: 10.5pt; margin: 3mm 0 1mm 0; border-bottom: 0.4pt solid #999; }
.coop-brief p { margin: 0.6mm 0; }
.coop-brief .notes { font-size: 8pt; color: #444; margin-bottom: 1mm; }
.coop-brief .illustrative { background: #fff4d6; padding: 0.5mm 1.5mm; }
.coop-brief .rests { font-size: 7.5pt; color: #555; }
.coop-brief section { break-inside: avoid; page-break-inside: avoid; }
.coop-brief .row { display: flex; flex-wrap: wrap; gap: 3mm; align-items: flex-start; }
.coop-brief .text { flex: 1 1 85mm; min-width: 0; }
.coop-brief figure { flex: 0 1 88mm; margin: 0; min-width: 0; }
.coop-brief img { max-width: 100%; height: auto; display: block; }
.coop-brief table { border-collapse: collapse; font-size: 7.5pt; margin: 1mm 0;
  table-layout: auto; max-width: 100%; }
.coop-brief th, .coop-brief td { border-bottom: 0.3pt solid #ccc; padding: 0.3mm 1.2mm;
  text-align: right; overflow-wrap: anywhere; }
.coop-brief th:first-child, .coop-brief td:first-child { text-align: left; }
@page { size: A4; margin: 12mm; }
@media print { .coop-brief { max-width: none; font-size: 9pt; } }
"""

_TEMPLATE = """\
<div class="coop-brief" lang="{{ html_lang }}">
<h1>{{ brief.title }}</h1>
<p class="notes">{% for n in brief.notes %}<span{% if loop.index == 2 %} \
class="illustrative"{% endif %}>{{ n }}</span> {% endfor %}</p>
{% for s in brief.sections %}<section id="{{ s.key }}">
<h2>{{ s.heading }}</h2>
<div class="row"><div class="text">
{% for t in s.sentences %}<p>{{ t }}</p>
{% endfor %}{% if s.table is not none %}{{ table(s.table) }}{% endif %}
{% if s.rests_on %}<p class="rests">{{ rests }}: {{ s.rests_on }}</p>{% endif %}
</div>{% if s.figure %}
<figure><img alt="{{ s.figure_alt }}" src="{{ png(s.figure) }}"></figure>{% endif %}
</div></section>
{% endfor %}</div>
"""

_DOCUMENT = """\
<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ brief.title }}</title>
<style>body { margin: 0; padding: 6mm 0; }{{ css }}</style>
</head>
<body>
{{ body }}
</body>
</html>
"""


def _cell(v) -> str:
    if isinstance(v, float):
        if v != v:
            return "n/a"
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"
    return str(v)


def _table(df: pd.DataFrame):
    from markupsafe import Markup, escape

    head = "".join(f"<th>{escape(str(c))}</th>" for c in [df.index.name or "", *df.columns])
    rows = []
    for idx, row in df.iterrows():
        cells = "".join(f"<td>{escape(_cell(v))}</td>" for v in row.tolist())
        rows.append(f"<tr><td>{escape(str(idx))}</td>{cells}</tr>")
    return Markup(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _png(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def render(brief, document: bool = True) -> str:
    """The brief as an HTML fragment (``document=False``, for notebooks) or a whole page."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    html_lang = "zh-CN" if brief.lang == "zh" else "en"
    body = env.from_string(_TEMPLATE).render(
        brief=brief, html_lang=html_lang, rests=tr("s.rests", brief.lang), table=_frame,
        png=_png)
    if not document:
        from markupsafe import Markup

        return f"<style>{CSS}</style>\n" + str(Markup(body))
    from markupsafe import Markup

    return env.from_string(_DOCUMENT).render(brief=brief, html_lang=html_lang,
                                             css=Markup(CSS), body=Markup(body))


def _frame(df: pd.DataFrame):
    """A section's table: its first column as the row labels when it has no index name."""
    if df.index.name is None and len(df.columns):
        df = df.set_index(df.columns[0])
    return _table(df)
