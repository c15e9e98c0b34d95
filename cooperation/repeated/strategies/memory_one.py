"""Memory-one strategies: cooperation probabilities after each outcome of last round."""

from __future__ import annotations

import math

import numpy as np

from ...errors import InputError
from .base import FSM, FiniteStateStrategy, SlotContext, _machine, _p, _start, resolve_k

__all__ = ["MemoryOne", "GenerousTitForTat", "Random"]


class MemoryOne(FiniteStateStrategy):
    """Any memory-one strategy: cooperate with probability ``p_xy`` after own
    action ``x`` and the other's ``y`` (n players: ``y`` = C iff ``count >= k``).

    Parameters
    ----------
    p_cc, p_cd, p_dc, p_dd : float in [0, 1]
    start : float in [0, 1], 'C' or 'D'
        First move (probability of cooperating).
    k : int, float or None
    name : str, optional

    Examples
    --------
    Reverse Tit For Tat (Axelrod's *Bully*):

    >>> from cooperation import repeated as rp
    >>> bully = rp.MemoryOne(0, 1, 0, 1, start="D")
    >>> "".join(rp.match(bully, rp.Cycler("CD"), turns=5).actions[0])
    'DDCDC'
    """

    memory_depth = 1

    def __init__(self, p_cc: float, p_cd: float, p_dc: float, p_dd: float, start=1.0, k=None,
                 name: str | None = None):
        ps = tuple(_p(v, f"MemoryOne.{nm}") for v, nm in
                   zip((p_cc, p_cd, p_dc, p_dd), ("p_cc", "p_cd", "p_dc", "p_dd"), strict=True))
        s0 = _start(start, "MemoryOne.start")
        self.four_vector = ps
        self.start = s0
        # states 0..3: last outcome CC, CD, DC, DD (own, other); 4: round 0
        out, nxt = _machine(list(ps) + [s0],
                            lambda s, own, ok: (1 - own) * 2 + (1 - ok), 5)
        label = name or "Memory One (" + ", ".join(f"{p:g}" for p in ps) + f"; {s0:g})"
        FiniteStateStrategy.__init__(self, out, nxt, 4, k, label)
        self.memory_depth = 0 if len(set(ps)) == 1 and ps[0] == s0 else 1

    def _params(self):
        return {"four_vector": self.four_vector, "start": self.start, "k": self.k}

    @property
    def memory_one(self):
        return self.four_vector, self.start


class GenerousTitForTat(MemoryOne):
    """Tit For Tat that forgives a defection with probability ``p``.

    ``p=None`` takes Nowak and Sigmund's ``min(1 - (T - R)/(R - S), (R - P)/(T - P))``
    from the stage game (1/3 for R=3, S=0, T=5, P=1), as Axelrod's GTFT does.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> rp.GenerousTitForTat(0.3).memory_one
    ((1.0, 0.3, 1.0, 0.3), 1.0)
    """

    def __init__(self, p: float | None = None, k=None):
        self.p = None if p is None else _p(p, "GenerousTitForTat.p")
        q = 0.0 if self.p is None else self.p
        MemoryOne.__init__(self, 1.0, q, 1.0, q, 1.0, k, "Generous Tit For Tat")
        self.stochastic = self.p is None or 0.0 < self.p < 1.0
        self.seat_dependent = self.p is None    # the default p reads the seat's R, S, T, P

    def _params(self):
        return {"p": self.p, "k": self.k}

    @staticmethod
    def default_p(R, S, T, P) -> float:
        """Nowak and Sigmund (1992): ``min(1 - (T - R)/(R - S), (R - P)/(T - P))``."""
        return min(1 - (T - R) / (R - S), (R - P) / (T - P))

    def fsm(self, ctx: SlotContext) -> FSM:
        if self.p is not None:
            return MemoryOne.fsm(self, ctx)
        R, S, T, P = ctx.stage.rstp()[int(np.ravel(ctx.seat)[0])]
        with np.errstate(divide="ignore", invalid="ignore"):
            p = float(np.clip(self.default_p(R, S, T, P), 0.0, 1.0))
        if not math.isfinite(p):
            raise InputError("the default generosity needs R > S and T > P in the stage game",
                             field="GenerousTitForTat.p", value=None,
                             fix="pass p explicitly")
        out = self._out.copy()
        out[[1, 3]] = p
        return FSM(out, self._nxt, self._start_state,
                   resolve_k(self.k, ctx.n, "GenerousTitForTat.k"))

    @property
    def memory_one(self):
        if self.p is None:
            return None
        return self.four_vector, self.start


class Random(MemoryOne):
    """Cooperates with probability ``p`` every round, whatever happened."""

    def __init__(self, p: float = 0.5):
        p = _p(p, "Random.p")
        MemoryOne.__init__(self, p, p, p, p, p, None, f"Random {p:g}")
        self.memory_depth = 0

    def _params(self):
        return {"p": self.four_vector[0]}
