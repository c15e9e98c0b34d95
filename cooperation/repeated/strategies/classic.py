"""Classic reactive strategies of the two-player literature, as Moore machines.

Always Cooperate / Defect, Tit For Tat and its variants, Grim Trigger,
Win-Stay Lose-Shift, Alternator, and a scripted Cycler. With ``n`` players
``ok`` means at least ``k`` others seen cooperating (see
:mod:`cooperation.repeated.strategies`).
"""

from __future__ import annotations

import math

import numpy as np

from ...errors import InputError
from .base import FiniteStateStrategy, _Classic, _machine

__all__ = ["AlwaysCooperate", "AlwaysDefect", "TitForTat", "SuspiciousTitForTat",
           "TitForTwoTats", "TwoTitsForTat", "GrimTrigger", "WinStayLoseShift", "Alternator",
           "Cycler"]


class AlwaysCooperate(_Classic):
    """Cooperates every round (Axelrod's *Cooperator*).

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> rp.match(rp.AlwaysCooperate(), rp.AlwaysDefect(), turns=3).scores.tolist()
    [0.0, 15.0]
    """

    name = "Always Cooperate"
    memory_depth = 0

    def _spec(self):
        return [1.0], np.zeros((1, 2, 2), np.int32), 0

    @property
    def memory_one(self):
        return (1.0, 1.0, 1.0, 1.0), 1.0


class AlwaysDefect(_Classic):
    """Defects every round (Axelrod's *Defector*)."""

    name = "Always Defect"
    memory_depth = 0

    def _spec(self):
        return [0.0], np.zeros((1, 2, 2), np.int32), 0

    @property
    def memory_one(self):
        return (0.0, 0.0, 0.0, 0.0), 0.0


class TitForTat(_Classic):
    """Cooperates first, then does what the other did last round.

    n players: cooperates iff at least ``k`` others (default: all) were seen
    cooperating last round.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> "".join(rp.match(rp.TitForTat(), rp.Cycler("CDD"), turns=6).actions[0])
    'CCDDCD'
    """

    name = "Tit For Tat"
    memory_depth = 1
    _first = 0

    def _spec(self):
        out, nxt = _machine([1.0, 0.0], lambda s, own, ok: 0 if ok else 1, 2)
        return out, nxt, self._first

    @property
    def memory_one(self):
        return (1.0, 0.0, 1.0, 0.0), 1.0 - self._first


class SuspiciousTitForTat(TitForTat):
    """Tit For Tat that defects in round 0."""

    name = "Suspicious Tit For Tat"
    _first = 1


class TitForTwoTats(_Classic):
    """Defects only after two rounds in a row in which the other defected.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> "".join(rp.match(rp.TitForTwoTats(), rp.Cycler("DDC"), turns=7).actions[0])
    'CCDCCDC'
    """

    name = "Tit For 2 Tats"
    memory_depth = 2

    def _spec(self):
        # 0: last ok; 1: one bad round; 2: two bad rounds in a row (defect)
        out, nxt = _machine([1.0, 1.0, 0.0],
                            lambda s, own, ok: 0 if ok else min(s + 1, 2), 3)
        return out, nxt, 0


class TwoTitsForTat(_Classic):
    """Answers each defection of the other with two defections."""

    name = "Two Tits For Tat"
    memory_depth = 2

    def _spec(self):
        # 0: no defection in the last two rounds; 1: defection last round; 2: one round ago
        out, nxt = _machine([1.0, 0.0, 0.0],
                            lambda s, own, ok: 1 if not ok else (2 if s == 1 else 0), 3)
        return out, nxt, 0


class GrimTrigger(_Classic):
    """Cooperates until the other defects once, then defects for ever
    (Axelrod's *Grudger*; Friedman 1971).

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> "".join(rp.match(rp.GrimTrigger(), rp.Cycler("CCDC"), turns=6).actions[0])
    'CCCDDD'
    """

    name = "Grim Trigger"
    memory_depth = math.inf

    def _spec(self):
        out, nxt = _machine([1.0, 0.0], lambda s, own, ok: 0 if (ok and s == 0) else 1, 2)
        return out, nxt, 0


class WinStayLoseShift(_Classic):
    """Pavlov: repeats its last action after a good outcome (the other cooperated),
    switches after a bad one; i.e. cooperates iff both did the same last round.

    n players: cooperates iff its own last action equals ``count >= k``.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> "".join(rp.match(rp.WinStayLoseShift(), rp.Cycler("CDDC"), turns=6).actions[0])
    'CCDCCC'
    """

    name = "Win-Stay Lose-Shift"
    memory_depth = 1

    def _spec(self):
        out, nxt = _machine([1.0, 0.0], lambda s, own, ok: 0 if own == ok else 1, 2)
        return out, nxt, 0

    @property
    def memory_one(self):
        return (1.0, 0.0, 0.0, 1.0), 1.0


class Alternator(_Classic):
    """Cooperates first, then does the opposite of its own last (actual) action."""

    name = "Alternator"
    memory_depth = 1

    def _spec(self):
        out, nxt = _machine([1.0, 0.0], lambda s, own, ok: 1 if own else 0, 2)
        return out, nxt, 0

    @property
    def memory_one(self):
        return (0.0, 0.0, 1.0, 1.0), 1.0



class Cycler(FiniteStateStrategy):
    """Plays a fixed pattern over and over, e.g. ``Cycler("CCD")``: a scripted opponent.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> "".join(rp.match(rp.Cycler("CCD"), rp.AlwaysCooperate(), turns=7).actions[0])
    'CCDCCDC'
    """

    memory_depth = 0

    def __init__(self, pattern: str = "CCD"):
        if not isinstance(pattern, str) or not pattern or set(pattern.upper()) - {"C", "D"}:
            raise InputError("must be a non-empty string of C and D", field="Cycler.pattern",
                             value=pattern)
        self.pattern = pattern.upper()
        S = len(self.pattern)
        out, nxt = _machine([1.0 if c == "C" else 0.0 for c in self.pattern],
                            lambda s, own, ok: (s + 1) % S, S)
        FiniteStateStrategy.__init__(self, out, nxt, 0, None, f"Cycler {self.pattern}")

    def _params(self):
        return {"pattern": self.pattern}
