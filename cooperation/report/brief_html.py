"""HTML of a brief: one printed A4 page, then an annex of detail tables.

The page (``.page``): the title, the unit and the illustrative parameters,
then the sections in two columns (each section's sentences, what they rest
on, and its figure one column wide), and a footer with the seeds and sizes
of the simulations. The annex (``.annex``) starts on a new printed page and
is headed as the annex: each section's detail table, the assumptions table.
Print CSS sets A4 with 12 mm margins and 8 pt type; sections never split
across columns or pages (``break-inside: avoid``). A two- to five-
jurisdiction case (the shipped Xin'an and risk pool) prints the brief on
one page and the annex on the next (tests/report/test_browser.py prints both
with headless Chromium and counts the pages).

No external requests: figures are embedded PNG, and there are no web fonts,
scripts or style sheets to fetch; the font stack names the fonts a reader's
machine has (Chinese: Microsoft YaHei, PingFang SC, Noto Sans CJK SC, ...).
The page never gets wider than A4 (tables wrap, images scale down); on a
narrow screen the columns become one. Rendered with Jinja2, every text
escaped.
"""

from __future__ import annotations

import base64

import pandas as pd

from .i18n import tr

__all__ = ["render", "CSS"]

#: style sheet, scoped to ``.coop-brief`` so that a notebook's page is untouched;
#: the column width (186 mm - 5 mm gap) / 2 is the figures' width (_brief_text.FIG_WIDTH)
CSS = """
.coop-brief { font-family: "Segoe UI", "Helvetica Neue", Arial, "Microsoft YaHei",
  "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
  sans-serif; font-size: 8.5pt; line-height: 1.3; color: #111; max-width: 186mm;
  margin: 0 auto; box-sizing: border-box; overflow-wrap: anywhere; }
.coop-brief * { box-sizing: border-box; }
.coop-brief h1 { font-size: 13pt; line-height: 1.2; margin: 0 0 0.8mm 0; }
.coop-brief h2 { font-size: 9.5pt; line-height: 1.25; margin: 0 0 0.6mm 0;
  border-bottom: 0.4pt solid #999; }
.coop-brief h3 { font-size: 8.5pt; margin: 2.5mm 0 0.4mm 0; }
.coop-brief p { margin: 0.4mm 0; }
.coop-brief .notes { font-size: 7pt; line-height: 1.45; color: #444; margin: 0 0 2mm 0; }
.coop-brief .illustrative { background: #fff4d6; padding: 0 0.8mm; }
.coop-brief .rests { font-size: 6.5pt; line-height: 1.2; color: #555; }
.coop-brief .cols { column-count: 2; column-gap: 5mm; }
.coop-brief .cols section { break-inside: avoid; page-break-inside: avoid;
  margin: 0 0 2.2mm 0; }
.coop-brief figure { margin: 0.6mm 0 0 0; }
.coop-brief img { width: 100%; height: auto; display: block; }
.coop-brief .foot { font-size: 6.5pt; line-height: 1.2; color: #555; margin-top: 0.5mm;
  border-top: 0.4pt solid #999; padding-top: 0.6mm; }
.coop-brief .foot p { display: inline; margin: 0 0.8mm 0 0; }
.coop-brief .annex { margin-top: 8mm; border-top: 1.2pt solid #111; padding-top: 2mm; }
.coop-brief .annex h2 { font-size: 11pt; border-bottom: none; }
.coop-brief .annex section { break-inside: avoid; page-break-inside: avoid; }
.coop-brief table { border-collapse: collapse; font-size: 7pt; margin: 0.5mm 0;
  table-layout: auto; max-width: 100%; }
.coop-brief th, .coop-brief td { border-bottom: 0.3pt solid #ccc; padding: 0.25mm 1.2mm;
  text-align: left; vertical-align: top; overflow-wrap: break-word; }
.coop-brief td.n { text-align: right; white-space: nowrap; }
.coop-brief th.n { text-align: right; }
@page { size: A4; margin: 12mm; }
@media print {
  .coop-brief { max-width: none; font-size: 8pt; }
  .coop-brief .annex { break-before: page; page-break-before: always; margin-top: 0;
    border-top: none; padding-top: 0; }
}
@media screen and (max-width: 160mm) { .coop-brief .cols { column-count: 1; } }
"""

_SECTION = """\
<section id="{{ s.key }}">
<h2>{{ s.heading }}</h2>
{% for t in s.sentences %}<p>{{ t }}</p>
{% endfor %}{% if s.rests_on %}<p class="rests">{{ rests }}: {{ s.rests_on }}</p>
{% endif %}{% if s.figure %}<figure><img alt="{{ s.figure_alt }}" src="{{ png(s.figure) }}">\
</figure>
{% endif %}</section>
"""

_TEMPLATE = (
    """\
<div class="coop-brief" lang="{{ html_lang }}">
<div class="page">
<h1>{{ brief.title }}</h1>
<p class="notes">{% for n in brief.notes %}<span{% if loop.index == 2 %} \
class="illustrative"{% endif %}>{{ n }}</span> {% endfor %}</p>
<div class="cols">
{% for s in brief.sections if s.key != "assumptions" %}"""
    + _SECTION
    + """{% endfor %}\
</div>
{% for s in brief.sections if s.key == "assumptions" %}<div class="foot" id="{{ s.key }}">\
<p><b>{{ s.heading }}.</b></p>{% for t in s.sentences %} <p>{{ t }}</p>{% endfor %}</div>
{% endfor %}</div>
{% if annex %}<div class="annex" id="annex">
<h2>{{ annex_title }}</h2>
{% for s in brief.sections if s.table is not none %}<section>
<h3>{{ s.heading }}</h3>
{{ table(s.table) }}
</section>
{% endfor %}</div>
{% endif %}</div>
"""
)

_DOCUMENT = """\
<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ brief.title }}</title>
<style>body { margin: 0; } @media screen { body { padding: 6mm 0; } }{{ css }}</style>
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


def _numeric(v) -> bool:
    import numbers

    return isinstance(v, numbers.Number) and not isinstance(v, bool)


def _table(df: pd.DataFrame):
    """``df`` as an HTML table, its index as the first column; numbers right-aligned."""
    from markupsafe import Markup, escape

    num = [all(_numeric(v) for v in df[c].tolist()) for c in df.columns]
    right = ' class="n"'
    head = "".join(
        f"<th{right if n else ''}>{escape(str(c))}</th>"
        for c, n in zip([df.index.name or "", *df.columns], [False, *num], strict=True)
    )
    rows = []
    for idx, row in df.iterrows():
        cells = "".join(
            f"<td{right if _numeric(v) else ''}>{escape(_cell(v))}</td>" for v in row.tolist()
        )
        rows.append(f"<tr><td>{escape(str(idx))}</td>{cells}</tr>")
    return Markup(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _png(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def render(brief, document: bool = True, annex: bool = True) -> str:
    """The brief as an HTML fragment (``document=False``, for notebooks) or a whole page;
    ``annex=False`` leaves out the annex of detail tables (the one-page brief alone)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    html_lang = "zh-CN" if brief.lang == "zh" else "en"
    body = env.from_string(_TEMPLATE).render(
        brief=brief,
        html_lang=html_lang,
        rests=tr("s.rests", brief.lang),
        table=_frame,
        png=_png,
        annex=annex,
        annex_title=tr("h.annex", brief.lang),
    )
    if not document:
        return f"<style>{CSS}</style>\n" + body
    return env.from_string(_DOCUMENT).render(
        brief=brief, html_lang=html_lang, css=Markup(CSS), body=Markup(body)
    )


def _frame(df: pd.DataFrame):
    """A section's table: its first column as the row labels when it has no index name."""
    if df.index.name is None and len(df.columns):
        df = df.set_index(df.columns[0])
    return _table(df)
