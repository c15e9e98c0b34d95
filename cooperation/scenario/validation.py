"""Validating a scenario file: what it defines, every default the loader filled in,
every warning (``cooperation validate``)."""

from __future__ import annotations

import os
import warnings
from collections import defaultdict
from dataclasses import dataclass

from ..errors import ScenarioWarning
from .io import read_scenario
from .model import Scenario
from .schema import TOP, Key

__all__ = ["Validation", "FilledDefault", "validate_scenario"]


@dataclass(frozen=True)
class FilledDefault:
    """A key the file left out and the default used instead, for ``count`` of ``of``
    tables (``where``: the first few fields)."""

    table: str
    key: str
    default: str
    count: int
    of: int
    where: tuple[str, ...]

    def message(self) -> str:
        if self.table == TOP.field:
            return f"{self.key} not given: {self.default}"
        name = self.table
        places = ", ".join(self.where[:3]) + (", ..." if len(self.where) > 3 else "")
        return (
            f"{name}.{self.key} not given in {self.count} of {self.of} ({places}): {self.default}"
        )


@dataclass(frozen=True)
class Validation:
    """The outcome of :func:`validate_scenario` (a file that does not load raises)."""

    scenario: Scenario
    path: str
    files: tuple[str, ...]
    defaults: tuple[FilledDefault, ...]
    warnings: tuple[str, ...]

    def summary(self) -> list[str]:
        """What the file defines, in a few lines."""
        s = self.scenario
        levels = ", ".join(
            f"{a.name} (effort {a.effort:g}, coordination {a.coordination:g})" for a in s.actions
        )
        procs = sum(h.process is not None for h in s.hazards)
        lines = [
            f"{self.path}: a valid scenario{f' {s.name!r}' if s.name else ''}, money in {s.unit!r}",
            f"  action levels: {levels}",
            f"  jurisdictions: {s.n_players}",
            f"  hazards: {len(s.hazards)} ({procs} with a response process)",
            f"  files read: {', '.join(self.files)}",
        ]
        return lines

    def to_frame(self):
        """One row per filled default and per warning: ``kind``, ``message``."""
        import pandas as pd

        rows = [{"kind": "default", "message": d.message()} for d in self.defaults]
        rows += [{"kind": "warning", "message": w} for w in self.warnings]
        return pd.DataFrame(rows, columns=["kind", "message"])


def validate_scenario(path: str | os.PathLike, *, allow_outside: bool = False) -> Validation:
    """Load a scenario file and report every default filled in and every warning.

    Raises the loader's one-line :class:`~cooperation.errors.ScenarioError` when the file
    is not a valid scenario.

    Examples
    --------
    >>> from cooperation.scenario.validation import validate_scenario
    >>> v = validate_scenario("data/xinan/scenario.toml")
    >>> v.scenario.players, v.warnings
    (('Anhui', 'Zhejiang'), ())
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ScenarioWarning)
        scenario, notes = read_scenario(path, allow_outside=allow_outside)
    mine = [str(w.message) for w in caught if issubclass(w.category, ScenarioWarning)]
    for w in caught:
        if not issubclass(w.category, ScenarioWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    counts = {
        TOP.field: 1,
        "actions": scenario.n_levels,
        "jurisdictions": scenario.n_players,
        "hazards": len(scenario.hazards),
    }
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    keys: dict[tuple[str, str], Key] = {}
    for table, where, key in notes.defaults:
        groups[(table.field, key)].append(where)
        keys[(table.field, key)] = table[key]
    defaults = tuple(
        FilledDefault(t, k, keys[(t, k)].default_text(), len(w), counts[t], tuple(w))
        for (t, k), w in groups.items()
    )
    return Validation(
        scenario,
        notes.files[0],
        tuple(dict.fromkeys(notes.files)),
        defaults,
        tuple(dict.fromkeys(mine)),
    )
