"""A brief a finance bureau can act on: one scenario -> one page of findings.

:func:`brief` runs the toolkit's analyses on a scenario and writes what they
found in plain language, in English or Chinese, each number with its unit
and the assumption it rests on:

1. what each jurisdiction does alone (the worst pure Nash equilibrium, 属地管理)
   and what that costs the region against the social optimum
   (:func:`cooperation.analyze`: the cooperation surplus ``W(opt) - W(NE)``);
2. the fair shares (Shapley value, nucleolus) and which responsibility rules
   (发生地为主、波及地为辅, beneficiary pays, ability to pay, equal shares) lie in
   the core (:func:`cooperation.compare_rules`);
3. the least subsidy and the transfers that make cooperation worthwhile and
   self-enforcing (:func:`cooperation.design_compensation`), and who pays whom
   (:func:`cooperation.payment_plan`);
4. the emergency fund and its adequacy out of sample
   (:func:`cooperation.design_fund`), when the scenario gives every member's
   fiscal capacity (the data its contributions are checked against), or when
   asked with ``fund=True``; otherwise the brief says it is not assessed;
5. whether audits and fines, or trust, hold cooperation under noise and a
   crisis year (:func:`cooperation.repeated.compare_modes`);
6. what the answers hinge on (:func:`cooperation.sensitivity`, a tornado).

The :class:`Brief` it returns renders as self-contained HTML (figures as
base64 PNG, no external requests) that prints the brief on one A4 page, its
sections in two columns, and the sections' detail tables on an annex page
after it (:mod:`cooperation.report.brief_html`); it saves as ``.html`` or
``.xlsx`` (one sheet per table, units in the headers). Every random part has
a seed (default 0) and small sizes (:class:`BriefSizes`), so a brief of a
two- or three-jurisdiction case takes a few seconds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._checks import check_int
from ..errors import InputError
from ._brief_text import Section, illustrative_note
from .i18n import check_lang, tr, unit_label

__all__ = ["Brief", "BriefSizes", "Section", "brief", "illustrative_note"]


@dataclass(frozen=True)
class BriefSizes:
    """Sizes of the simulated parts of a brief (small: a brief takes seconds)."""

    fund_years: int = 5000
    mode_rounds: int = 30
    mode_runs: int = 200
    sensitivity_rounds: int = 20
    sensitivity_runs: int = 100

    def __post_init__(self):
        for name in (
            "fund_years",
            "mode_rounds",
            "mode_runs",
            "sensitivity_rounds",
            "sensitivity_runs",
        ):
            check_int(getattr(self, name), name, lo=2 if "rounds" in name else 1)


@dataclass(frozen=True)
class Brief:
    """A brief of one scenario (:func:`brief`): sections, tables, headline numbers.

    Attributes
    ----------
    title, lang, unit : str
    sections : tuple of Section
    tables : dict name -> DataFrame
        The workbook's sheets, headers with their units, in ``lang``.
    facts : dict
        The headline numbers (scenario unit): ``cost_alone``, ``least_subsidy``,
        ``fund_members``, ``fund_cofunding``, ``cooperation_hierarchy``,
        ``cooperation_peer``, ... (NaN where not assessed).
    notes : tuple of str
        The unit, the illustrative parameters, the seed.
    """

    title: str
    lang: str
    unit: str
    sections: tuple[Section, ...]
    tables: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_html(self, annex: bool = True) -> str:
        """The whole page: a self-contained HTML document (A4 print CSS): the brief, one
        printed page, then the annex of detail tables on the next (``annex=False``: the
        brief alone)."""
        from .brief_html import render

        return render(self, document=True, annex=annex)

    def _repr_html_(self) -> str:
        from .brief_html import render

        return render(self, document=False)

    def __repr__(self) -> str:
        lines = [f"Brief: {self.title} ({self.lang}, money in {self.unit})"]
        for s in self.sections:
            lines.append(f"  {s.heading}")
            lines += [f"    {t}" for t in s.sentences]
        return "\n".join(lines)

    def save(self, path: str | os.PathLike, *, bom: bool = False) -> Path:
        """Write the brief: ``.html`` (the page) or ``.xlsx`` (the tables), or a folder
        of CSV files (``.csv`` names a folder ``<stem>/``; ``bom=True`` for Excel in zh-CN).
        Written atomically."""
        from .._io import atomic_write_text
        from .workbook import write_csv_tables, write_workbook

        target = Path(path)
        ext = target.suffix.lower()
        if ext == ".html":
            return atomic_write_text(target, self.to_html())
        if ext == ".xlsx":
            return write_workbook(self.tables, target)
        if ext == ".csv":
            return write_csv_tables(self.tables, target.with_suffix(""), bom=bom)
        raise InputError(
            "must end in .html (the page), .xlsx (the workbook) or .csv (a folder of tables)",
            field="path",
            value=str(path),
        )


# ---------------------------------------------------------------- the analyses
def _fund_assessed(scenario, fund) -> bool:
    if fund is None or fund == "auto":
        return bool(np.isfinite(np.asarray(scenario.capacity, float)).all())
    if isinstance(fund, bool):
        return fund
    raise InputError("must be 'auto', True or False", field="fund", value=fund)


def brief(
    scenario,
    *,
    lang: str = "en",
    seed=0,
    fund="auto",
    spread: float = 0.2,
    sizes: BriefSizes | None = None,
    sensitivity: bool = True,
) -> Brief:
    """One page of findings on a scenario, in English or Chinese (see the module notes).

    Parameters
    ----------
    scenario : Scenario or path
        A scenario small enough for its payoff tensor (``scenario.to_game()``).
    lang : {"en", "zh"}
    seed : int
        Seed of every simulated part (fund years, repeated play, sensitivity).
    fund : "auto", True or False
        Assess an emergency fund: ``"auto"`` when every jurisdiction states its
        fiscal capacity.
    spread : float in (0, 1)
        The sensitivity range, ±20% by default.
    sizes : BriefSizes, optional
    sensitivity : bool
        Include the sensitivity section (the slowest part).

    Returns
    -------
    Brief
        ``.to_html()``, ``._repr_html_()``, ``.save("brief.html" | "brief.xlsx")``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import cooperation as co
    >>> b = co.brief("data/xinan/scenario.toml", sensitivity=False)
    >>> round(b.facts["cost_alone"], 6), round(b.facts["least_subsidy"], 6)
    (1.7, 0.94)
    >>> b.sections[3].sentences[0][:14]
    'Not assessed: '
    """
    import matplotlib

    from ..scenario import Scenario, load_scenario

    if isinstance(scenario, (str, os.PathLike)):
        scenario = load_scenario(scenario)
    if not isinstance(scenario, Scenario):
        raise InputError(
            "a brief needs a Scenario or a scenario file",
            field="scenario",
            value=type(scenario).__name__,
        )
    lang = check_lang(lang)
    sizes = sizes or BriefSizes()
    seed = check_int(seed, "seed", lo=0)
    if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg", "cairo"):
        matplotlib.use("Agg")
    from . import brief_sections as S

    ctx = S.Context(scenario, lang, seed, sizes)
    sections = [
        S.going_alone(ctx),
        S.fair_shares(ctx),
        S.compensation(ctx),
        S.fund(ctx, _fund_assessed(scenario, fund), refused=fund is False),
        S.holding(ctx),
    ]
    if sensitivity:
        sections.append(S.sensitivity(ctx, spread))
    sections.append(S.assumptions(ctx))
    note = illustrative_note(scenario)
    notes = (
        tr("s.unit", lang, unit=unit_label(scenario.unit, lang)),
        tr("s.illustrative", lang, what=note) if note else tr("s.no_illustrative", lang),
    )
    title = (
        f"{tr('brief', lang)}: {scenario.name or scenario.source or ''}"
        if lang == "en"
        else f"{tr('brief', lang)}：{scenario.name or scenario.source or ''}"
    )
    return Brief(
        title=title,
        lang=lang,
        unit=scenario.unit,
        sections=tuple(sections),
        tables=dict(ctx.tables),
        facts=dict(ctx.facts),
        notes=notes,
    )
