"""The strategy interface: the base classes, the compiled machine, what a strategy sees.

A strategy declares what the engine needs as class-level metadata (Axelrod's
``classifier`` convention), so that the engine never inspects a strategy's
parameters:

* ``is_finite_state``: played as a Moore machine by table lookup;
* ``seat_dependent``: its machine depends on the seat (its stage payoffs),
  e.g. Generous Tit For Tat with the default generosity;
* ``memory_depth``: rounds of history it reads;
* ``stochastic``: needs one uniform per slot and round;
* ``partnerwise``: keeps per-partner scores (trust) and needs the
  ``(n, n)`` observations;
* ``needs_gain``: reads the one-shot gain of defecting at last round's profile;
* ``needs_monitoring``: reads the monitoring regime (the expected incentive).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import InputError

__all__ = ["Strategy", "FiniteStateStrategy", "FSM", "Observation", "SlotContext",
           "resolve_k"]


def _p(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError("must be a number", field=name, value=value)
    x = float(value)
    if math.isnan(x) or not 0.0 <= x <= 1.0:
        raise InputError("a probability must lie in [0, 1]", field=name, value=value)
    return x


def _start(value, name: str) -> float:
    """A first move given as 'C'/'D', True/False or a probability of cooperating."""
    if isinstance(value, str):
        if value.upper() not in ("C", "D"):
            raise InputError("must be 'C', 'D' or a probability of cooperating", field=name,
                             value=value)
        return 1.0 if value.upper() == "C" else 0.0
    if isinstance(value, (bool, np.bool_)):
        return 1.0 if value else 0.0
    return _p(value, name)


def _k(k, name: str):
    if k is None:
        return None
    if isinstance(k, bool):
        raise InputError("must be an integer count of others or a share in (0, 1]", field=name,
                         value=k)
    if isinstance(k, (int, np.integer)):
        if k < 0:
            raise InputError("must be >= 0", field=name, value=k)
        return int(k)
    if isinstance(k, (float, np.floating)) and 0.0 < float(k) <= 1.0:
        return float(k)
    raise InputError("must be an integer count of others (>= 0) or a share in (0, 1]",
                     field=name, value=k)


def resolve_k(k, n: int, name: str) -> int:
    """How many of the ``n - 1`` others must cooperate: ``None`` -> all of them;
    a float share ``x`` -> ``ceil(x (n - 1))``; an int as given (<= n - 1)."""
    others = n - 1
    if k is None:
        return others
    if isinstance(k, float):
        return int(math.ceil(k * others - 1e-12))
    if k > others:
        raise InputError(f"at most the number of other players ({others})", field=name,
                         value=k)
    return k


@dataclass(frozen=True)
class FSM:
    """A compiled Moore machine: ``out[s]`` = P(cooperate), ``nxt[s, own, ok]``, ``start``, ``k``."""

    out: np.ndarray
    nxt: np.ndarray
    start: int
    k: int


@dataclass
class SlotContext:
    """What a strategy may know when its slots are set up.

    Attributes
    ----------
    shape : tuple
        Shape of the slot arrays the strategy receives (runs x its seats, or flat).
    seat : ndarray of int, broadcastable to ``shape``
        The player index of each slot.
    n : int
    players : tuple of str
    stage : BinaryStage
    incentive : ndarray (n,)
        Expected money advantage of complying over defecting per round
        (monitoring, fines, rewards, transfers), see ``compliance_incentive``.
    """

    shape: tuple
    seat: np.ndarray
    n: int
    players: tuple
    stage: Any
    incentive: np.ndarray


@dataclass
class Observation:
    """What a strategy sees before it moves in round ``t``.

    ``own``: own last actual action (bool, None in round 0); ``count``: number
    of others seen cooperating last round; ``partners``: bool array with a
    trailing player axis, who was seen cooperating (only for strategies with
    ``partnerwise = True``; the own entry is the own action); ``u``: one
    uniform in [0, 1) per slot (stochastic strategies); ``gain``: one-shot
    gain from defecting at last round's profile (strategies with
    ``needs_gain``; round 0: at all-cooperate).
    """

    t: int
    own: np.ndarray | None
    count: np.ndarray | None
    partners: np.ndarray | None = None
    u: np.ndarray | None = None
    gain: np.ndarray | None = None


class Strategy:
    """Base class. Subclasses set ``name`` and the metadata below.

    Attributes
    ----------
    memory_depth : float
        Rounds of history the strategy reads (``inf`` when unbounded).
    stochastic : bool
    partnerwise : bool
        Needs per-partner observations (trust scores): memory O(n^2) per run.
    needs_monitoring : bool
        Reads the monitoring regime (the opportunist).
    needs_gain : bool
        Reads the one-shot gain from defecting at last round's profile.
    seat_dependent : bool
        A finite-state strategy whose machine depends on the seat's stage
        payoffs (compiled once per seat that plays it).
    """

    name = "Strategy"
    memory_depth: float = math.inf
    stochastic = False
    partnerwise = False
    needs_monitoring = False
    needs_gain = False
    seat_dependent = False

    # ---- identity
    def _params(self) -> dict:
        return {}

    def _key(self):
        return (type(self).__name__, tuple(sorted(self._params().items())))

    def __eq__(self, other):
        return isinstance(other, Strategy) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"

    def __str__(self):
        return self.name

    @property
    def classifier(self) -> dict:
        """Axelrod-style metadata."""
        return {"memory_depth": self.memory_depth, "stochastic": self.stochastic,
                "partnerwise": self.partnerwise, "needs_monitoring": self.needs_monitoring,
                "finite_state": self.is_finite_state, "needs_gain": self.needs_gain,
                "seat_dependent": self.seat_dependent}

    @property
    def is_finite_state(self) -> bool:
        return isinstance(self, FiniteStateStrategy)

    @property
    def memory_one(self):
        """``((p_CC, p_CD, p_DC, p_DD), p_start)`` for memory-one strategies of two
        players, else None (first letter: own last action, second: opponent's)."""
        return None

    # ---- array strategies implement these
    def initial_state(self, ctx: SlotContext):  # pragma: no cover - abstract
        raise NotImplementedError

    def act(self, state, obs: Observation) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


class FiniteStateStrategy(Strategy):
    """Any finite-state (Moore machine) strategy.

    Parameters
    ----------
    outputs : sequence of float
        ``outputs[s]``: probability of cooperating in state ``s``.
    transitions : array (S, 2, 2) of int
        ``transitions[s, own, ok]``: next state after the own actual action
        ``own`` (1 = cooperated) and ``ok`` (1 = the others were seen to
        cooperate, see the module docstring).
    start : int
        State of round 0.
    k : int, float or None
        Threshold of ``ok`` in n-player games (default: all others).
    name : str

    Examples
    --------
    Tit For Tat as a machine (state 0 cooperates, state 1 defects):

    >>> from cooperation import repeated as rp
    >>> tft = rp.FiniteStateStrategy([1, 0], [[[1, 0], [1, 0]], [[1, 0], [1, 0]]],
    ...                              name="my TFT")
    >>> "".join(rp.match(tft, rp.Cycler("CDD"), turns=6).actions[0])
    'CCDDCD'
    """

    memory_depth = math.inf

    def __init__(self, outputs, transitions, start: int = 0, k=None, name: str = "Machine"):
        out = np.asarray(outputs, dtype=float)
        nxt = np.asarray(transitions)
        if out.ndim != 1 or out.size < 1:
            raise InputError("must be a non-empty list of probabilities", field="outputs",
                             value=outputs)
        for s, p in enumerate(out):
            _p(float(p), f"outputs[{s}]")
        S = out.size
        if nxt.shape != (S, 2, 2) or not np.issubdtype(nxt.dtype, np.integer) \
                or nxt.min() < 0 or nxt.max() >= S:
            raise InputError(f"must be an integer array of shape ({S}, 2, 2) with states in "
                             f"0..{S - 1}", field="transitions", value=f"shape {nxt.shape}")
        if not isinstance(start, (int, np.integer)) or not 0 <= start < S:
            raise InputError(f"must be a state in 0..{S - 1}", field="start", value=start)
        self._out = out
        self._nxt = nxt.astype(np.int32)
        self._start_state = int(start)
        self.k = _k(k, "k")
        self.name = name
        self.stochastic = bool(np.any((out > 0) & (out < 1)))

    def _params(self):
        return {"outputs": tuple(self._out.tolist()),
                "transitions": tuple(self._nxt.ravel().tolist()),
                "start": self._start_state, "k": self.k, "name": self.name}

    def fsm(self, ctx: SlotContext) -> FSM:
        """The compiled machine for the slots of ``ctx`` (one seat)."""
        return FSM(self._out, self._nxt, self._start_state,
                   resolve_k(self.k, ctx.n, f"{type(self).__name__}.k"))



def _machine(outputs, rule, n_states):
    """Build ``nxt[s, own, ok] = rule(s, own, ok)``."""
    nxt = np.array([[[rule(s, own, ok) for ok in (0, 1)] for own in (0, 1)]
                    for s in range(n_states)], dtype=np.int32)
    return np.asarray(outputs, float), nxt


class _Classic(FiniteStateStrategy):
    """Finite-state strategies defined by a rule; subclasses define ``_spec``."""

    def __init__(self, k=None):
        out, nxt, start = self._spec()
        FiniteStateStrategy.__init__(self, out, nxt, start, k, self.name)

    def _params(self):
        return {"k": self.k} if self.k is not None else {}


