"""Strategies by short name (the CLI's ``--strategy tft`` and friends)."""

from __future__ import annotations

from ...errors import InputError
from .base import Strategy
from .classic import (
    Alternator,
    AlwaysCooperate,
    AlwaysDefect,
    Cycler,
    GrimTrigger,
    SuspiciousTitForTat,
    TitForTat,
    TitForTwoTats,
    TwoTitsForTat,
    WinStayLoseShift,
)
from .memory_one import GenerousTitForTat, Random
from .opportunist import Opportunist
from .threshold import ThresholdReciprocity
from .trust import TrustAlliance, TrustThreshold

__all__ = ["STRATEGY_NAMES", "DEFAULT_STRATEGY_NAME", "strategy_from_name"]

STRATEGY_NAMES = {
    "allc": AlwaysCooperate,
    "cooperate": AlwaysCooperate,
    "alld": AlwaysDefect,
    "defect": AlwaysDefect,
    "tft": TitForTat,
    "stft": SuspiciousTitForTat,
    "tf2t": TitForTwoTats,
    "2tft": TwoTitsForTat,
    "grim": GrimTrigger,
    "wsls": WinStayLoseShift,
    "gtft": GenerousTitForTat,
    "alternator": Alternator,
    "random": Random,
    "trust": TrustThreshold,
    "alliance": TrustAlliance,
    "opportunist": Opportunist,
}

#: the strategy of every jurisdiction when none is named (``cooperation simulate``)
DEFAULT_STRATEGY_NAME = "tft"


def strategy_from_name(name: str) -> Strategy:
    """A strategy from a short name (``tft``, ``grim``, ``wsls``, ``gtft``, ``trust``, ...)
    or ``threshold:K`` / ``cycler:CCD`` / ``random:P``.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> rp.strategy_from_name("grim"), rp.strategy_from_name("threshold:2")
    (GrimTrigger(), ThresholdReciprocity(k=2, start=1.0))
    """
    key = str(name).strip().lower()
    if ":" in key:
        head, arg = key.split(":", 1)
        try:
            if head == "threshold":
                return ThresholdReciprocity(float(arg) if "." in arg else int(arg))
            if head == "cycler":
                return Cycler(arg.upper())
            if head == "random":
                return Random(float(arg))
            if head == "gtft":
                return GenerousTitForTat(float(arg))
        except InputError as exc:  # a parameter out of its range: say which rule
            raise InputError(exc.rule, field="strategy", value=name, fix=exc.fix) from None
        except ValueError:
            pass
        raise InputError(
            "unknown parameterised strategy; use threshold:K, cycler:CCD, random:P or gtft:P",
            field="strategy",
            value=name,
        )
    if key not in STRATEGY_NAMES:
        raise InputError(
            f"unknown strategy; known: {sorted(STRATEGY_NAMES)}", field="strategy", value=name
        )
    return STRATEGY_NAMES[key]()
