"""Evolutionary games written in a TOML file: a payoff table with named parameters.

File layout (see ``data/xinan/evolutionary.toml``)::

    name = "..."                       # optional
    unit = "CNY 100M/yr"               # optional, the money unit
    players = ["Anhui", "Zhejiang", "Central"]
    actions = [["protect", "neglect"], ["honour", "renege"], ["subsidy", "punish"]]
    [[payoffs]]                        # one table per profile
    profile = ["protect", "honour", "subsidy"]
    payoff = ["B_A - C_A + S + G", "B_Z - S - C_Z", "E - G"]
    ...
    [values]
    S = 1.0

Expressions are parsed by :func:`cooperation.evolutionary.symbolic.parse_expression`
(a whitelist: nothing in the file is evaluated as Python).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from ..errors import GameError
from .game import EvolutionaryGame

__all__ = ["load_evolutionary", "is_evolutionary_file"]

_KEYS = {"name", "unit", "players", "actions", "payoffs", "values", "description"}


def _read(path) -> tuple[dict, str]:
    p = Path(path)
    src = str(p)
    if not p.is_file():
        raise GameError("no such file", field="path", value=src)
    try:
        with open(p, "rb") as fh:
            return tomllib.load(fh), src
    except tomllib.TOMLDecodeError as exc:
        raise GameError(f"is not valid TOML ({exc})", field="path", value=src) from None
    except UnicodeDecodeError as exc:
        raise GameError(f"is not UTF-8 text (byte {exc.start}: {exc.reason})", field="path",
                        value=src, fix="save the file as UTF-8") from None


def is_evolutionary_file(path: str | os.PathLike) -> bool:
    """Whether a TOML file holds a payoff table (``players`` and ``payoffs``)."""
    try:
        data, _ = _read(path)
    except GameError:
        return False
    return "payoffs" in data and "players" in data


def load_evolutionary(path: str | os.PathLike) -> EvolutionaryGame:
    """Load a symbolic evolutionary game from a TOML file.

    Examples
    --------
    >>> from cooperation.evolutionary.io import load_evolutionary
    >>> eg = load_evolutionary("data/xinan/evolutionary.toml")     # doctest: +SKIP
    """
    data, src = _read(path)
    unknown = set(data) - _KEYS
    if unknown:
        raise GameError(f"unknown keys; allowed: {sorted(_KEYS)}", field="file",
                        value=sorted(unknown), source=src)
    for key in ("players", "actions", "payoffs", "values"):
        if key not in data:
            raise GameError("is missing", field=key, source=src, show_value=False)
    rows = data["payoffs"]
    if not isinstance(rows, list):
        raise GameError("must be an array of tables [[payoffs]] with profile and payoff",
                        field="payoffs", source=src, show_value=False)
    table = {}
    for k, r in enumerate(rows):
        if not isinstance(r, dict) or set(r) != {"profile", "payoff"}:
            raise GameError("each [[payoffs]] has exactly the keys profile and payoff",
                            field=f"payoffs[{k}]", value=sorted(r) if isinstance(r, dict) else r,
                            source=src)
        key = tuple(r["profile"]) if isinstance(r["profile"], list) else r["profile"]
        if key in table:
            raise GameError("profile given twice", field=f"payoffs[{k}].profile", value=key,
                            source=src)
        table[key] = r["payoff"]
    try:
        return EvolutionaryGame.symbolic(data["players"], data["actions"], table, data["values"],
                                         name=str(data.get("name", "")),
                                         unit=str(data.get("unit", "")))
    except GameError as exc:
        raise GameError(exc.rule, field=exc.field, value=exc.value, source=src,
                        fix=exc.fix) from None
