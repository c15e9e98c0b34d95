"""The allowed links of a payment plan: read from a table, or by rule from a scenario.

A link table has columns ``payer`` and ``payee`` and optionally ``cost`` (per
unit of money, >= 0; default 1: one hop) and ``cap`` (>= 0; empty or ``inf``:
no cap). :func:`scenario_links` derives the links from a scenario's hazards
(who bears whose hazard); :func:`link_table` validates a table against the
plan's jurisdictions and splits off the higher level's own links.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ...errors import InputError

__all__ = ["LINK_RULES", "RULES", "check_rule", "link_table", "numbers", "preview", "read_table",
           "scenario_links"]

#: Ways to derive the allowed links from a scenario's hazards.
#: default links of a payment plan (who may pay whom); not the responsibility rules of
#: cooperation.coalitions.RULES, which share some of the words
LINK_RULES = ("beneficiary", "origin", "both", "complete")
#: most links the "complete" rule builds (n(n-1) grows with the square of n)
MAX_COMPLETE_LINKS = 1_000_000
RULES = LINK_RULES   # the earlier public name, kept


def check_rule(rule) -> None:
    if rule not in LINK_RULES:
        raise InputError(f"unknown link rule; choose one of {list(LINK_RULES)}", field="rule",
                         value=rule)


def check_rule_size(rule: str, n: int, field: str = "rule") -> None:
    """Refuse, before any work, the ``"complete"`` rule beyond :data:`MAX_COMPLETE_LINKS`."""
    if rule == "complete" and n * (n - 1) > MAX_COMPLETE_LINKS:
        raise InputError(f"{n} jurisdictions give n(n-1) = {n * (n - 1):,} links, more than "
                         f"MAX_COMPLETE_LINKS = {MAX_COMPLETE_LINKS:,} (memory and time grow "
                         "with the square of n)", field=field, value=rule,
                         fix="give a link table (links=..., --links) or use rule 'both'")


def scenario_links(scenario, rule: str = "beneficiary") -> pd.DataFrame:
    """Allowed links read off a scenario's hazards.

    Rules (``s[h, i] > 0``: jurisdiction ``i`` bears part of hazard ``h``):

    * ``"beneficiary"`` (default): the beneficiary pays the source: a link from
      every jurisdiction exposed to a hazard to each of that hazard's origins
      (exposed -> origin; the downstream province pays the upstream one for
      protecting the river, 受益者付费);
    * ``"origin"``: the origin pays those it exposes (origin -> exposed;
      the polluter-pays direction of a penalty rule, 发生地为主);
    * ``"both"``: the union of the two;
    * ``"complete"``: every jurisdiction may pay every other.

    No link joins a jurisdiction to itself; duplicates are kept once (first
    occurrence). Every link costs 1 per unit (one hop) and has no cap.

    Returns
    -------
    DataFrame with columns ``payer``, ``payee``, ``cost``, ``cap``.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.Scenario(
    ...     jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0}),
    ...                    co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.2})],
    ...     hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
    ...                        prevention=0.8, spillover={"Down": 1.0})],
    ...     unit="CNY 100M")
    >>> scenario_links(s)[["payer", "payee"]].values.tolist()
    [['Down', 'Up']]
    """
    from ...scenario.model import Scenario

    if not isinstance(scenario, Scenario):
        raise InputError("must be a Scenario", field="scenario", value=type(scenario).__name__)
    check_rule(rule)
    P = scenario.players
    if rule == "complete":
        n = len(P)
        check_rule_size(rule, n)
        i, j = np.nonzero(~np.eye(n, dtype=bool))
        pairs = list(zip(i.tolist(), j.tolist(), strict=True))
    else:
        pairs = list(dict.fromkeys(_hazard_pairs(scenario, rule)))
    return pd.DataFrame({"payer": [P[a] for a, _ in pairs], "payee": [P[b] for _, b in pairs],
                         "cost": np.ones(len(pairs)), "cap": np.full(len(pairs), np.inf)})


def _hazard_pairs(scenario, rule: str):
    """(payer, payee) index pairs of every hazard's exposed and origins, by rule."""
    S = scenario.spillover_matrix.tocsr()
    for h, hz in enumerate(scenario.hazards):
        row = slice(S.indptr[h], S.indptr[h + 1])
        exposed = S.indices[row][S.data[row] > 0]
        for o in (scenario.index_of(name) for name in hz.origins):
            for e in exposed.tolist():
                if e == o:
                    continue
                if rule in ("beneficiary", "both"):
                    yield (e, o)
                if rule in ("origin", "both"):
                    yield (o, e)


def read_table(links, what: str = "links") -> tuple[pd.DataFrame, str | None]:
    """A link (or edge) table from a DataFrame or a CSV path: lower-case column
    names, ``payer`` and ``payee`` present, named and stripped."""
    source = None
    if isinstance(links, str | os.PathLike):
        source = str(links)
        path = Path(links)
        if not path.is_file():
            raise InputError("no such file", field=what, value=source)
        try:
            df = pd.read_csv(path, skipinitialspace=True, comment="#")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise InputError(f"not a readable CSV table ({type(exc).__name__})", field=what,
                             value=source) from None
    elif isinstance(links, pd.DataFrame):
        df = links.copy()
    else:
        raise InputError("must be a DataFrame, a CSV path or a Scenario", field=what,
                         value=type(links).__name__)
    df.columns = [str(c).strip().lower() for c in df.columns]
    for col in ("payer", "payee"):
        if col not in df.columns:
            raise InputError(f"needs columns payer and payee (has {list(df.columns)})",
                             field=f"{what}.{col}", value=None, source=source,
                             show_value=False)
        bad = df[col].isna()
        if bad.any():
            raise InputError("every row needs a name", field=f"{what}[{int(np.argmax(bad))}].{col}",
                             value=None, source=source)
        df[col] = df[col].astype(str).str.strip()
    return df, source


def numbers(df: pd.DataFrame, col: str, what: str, source, *, default: float,
            allow_inf: bool) -> np.ndarray:
    """Column ``col`` as floats >= 0 (empty cells: ``default``), one-line errors naming
    the row."""
    if col not in df.columns:
        return np.full(len(df), default)
    raw = df[col]
    vals = pd.to_numeric(raw, errors="coerce")
    bad = vals.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        k = int(np.argmax(bad.to_numpy()))
        raise InputError("must be a number", field=f"{what}[{k}].{col}", value=raw.iloc[k],
                         source=source)
    arr = vals.fillna(default).to_numpy(dtype=float)
    for k, x in enumerate(arr):
        if x < 0 or (math.isinf(x) and not allow_inf):
            raise InputError("must be a finite number >= 0" + (" (or empty/inf: no cap)"
                                                               if allow_inf else ""),
                             field=f"{what}[{k}].{col}", value=float(x), source=source)
    return arr


def preview(names, limit: int = 6) -> str:
    names = list(names)
    head = ", ".join(names[:limit])
    return head + (f", ... ({len(names)} in all)" if len(names) > limit else "")


def link_table(links, scenario, rule: str, players: list, higher_level: str,
               notes: list) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The validated links: ``(between jurisdictions, the higher level's, how)``.

    Each table has ``payer``, ``payee``, ``cost``, ``cap``; repeated rows are
    dropped (the first is kept) and said in ``notes``; ``how`` is ``"table"``
    or the rule the links were read by.
    """
    if links is None:
        if scenario is None:
            raise InputError("default links are read from the scenario's hazards; none given",
                             field="links", value=None,
                             fix="pass scenario=..., or links= a table with payer, payee")
        table, source, how = scenario_links(scenario, rule), None, rule
    else:
        (table, source), how = read_table(links), "table"
        if rule != "beneficiary":
            notes.append(f"rule={rule!r} is ignored: the link table decides")
    _check_names(table, source, players, higher_level, scenario is None)
    table = table.assign(
        cost=numbers(table, "cost", "links", source, default=1.0, allow_inf=False),
        cap=numbers(table, "cap", "links", source, default=math.inf, allow_inf=True))
    dup = table.duplicated(["payer", "payee"]).to_numpy()
    if dup.any():
        notes.append(f"{int(dup.sum())} repeated link row(s) ignored (the first is kept)")
        table = table[~dup]
    horiz = (table["payer"] != higher_level).to_numpy()
    return table[horiz].reset_index(drop=True), table[~horiz], how


def _check_names(table, source, players, higher_level: str, no_scenario: bool) -> None:
    known = set(players) | {higher_level}
    for col in ("payer", "payee"):
        bad = [k for k, v in enumerate(table[col]) if v not in known]
        if bad:
            k = bad[0]
            raise InputError(f"unknown jurisdiction; known: {preview(players)} and "
                             f"{higher_level!r}", field=f"links[{k}].{col}",
                             value=table[col].iloc[k], source=source,
                             fix="add it to the transfers with 0 to let it relay"
                             if no_scenario else None)
    if (table["payee"] == higher_level).any():
        k = int(np.argmax((table["payee"] == higher_level).to_numpy()))
        raise InputError("the higher level pays the subsidy and receives nothing",
                         field=f"links[{k}].payee", value=higher_level, source=source)
    self_loop = (table["payer"] == table["payee"]).to_numpy()
    if self_loop.any():
        k = int(np.argmax(self_loop))
        raise InputError("a link must join two different jurisdictions",
                         field=f"links[{k}]", value=table["payer"].iloc[k], source=source)
