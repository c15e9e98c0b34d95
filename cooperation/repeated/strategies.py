"""Strategies of repeated play, vectorised over runs and players.

A strategy is a small immutable object. It never holds the state of a run:
the engine asks it for one of two vectorised forms and keeps the state in
arrays, one entry per (run, player) slot.

* **Finite-state strategies** (every classic strategy) describe a Moore
  machine (Rubinstein 1986): states ``s``, a cooperation probability
  ``out[s]`` (0 or 1 when deterministic), a start state, and a transition
  ``next[s, own, ok]`` on the player's own last *actual* action and on
  ``ok``, whether the others were seen to cooperate last round. With two
  players ``ok`` is the opponent's last action; with ``n`` players it is
  ``count >= k``, at least ``k`` of the ``n - 1`` others seen cooperating
  (default ``k = n - 1``: all of them, so that the n-player form of
  Tit For Tat reduces to Tit For Tat for two players). The engine plays all
  finite-state strategies of a simulation at once, with one table lookup per
  round.
* **Array strategies** (trust, alliances, the opportunist, your own)
  implement ``initial_state(ctx)`` and ``act(state, obs) -> bool array``;
  the engine calls them once per round for all their slots.

Each strategy declares metadata in :attr:`Strategy.classifier`: memory depth,
whether it is stochastic, whether it needs per-partner observations, whether
it reads the monitoring regime (Axelrod's classifier convention).

Every strategy starts with its first move in round 0 and then reacts to the
*actual* (noisy) actions, as in Axelrod's library.

References
----------
Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
Nowak, M. and Sigmund, K. (1992). Tit for tat in heterogeneous populations.
*Nature* 355, 250-253 (generous tit for tat).
Nowak, M. and Sigmund, K. (1993). A strategy of win-stay, lose-shift that
outperforms tit-for-tat in the Prisoner's Dilemma game. *Nature* 364, 56-58.
Rubinstein, A. (1986). Finite automata play the repeated prisoner's dilemma.
*Journal of Economic Theory* 39, 83-96.
Boyd, R. and Richerson, P. J. (1988). The evolution of reciprocity in sizable
groups. *Journal of Theoretical Biology* 132, 337-356 (n-player threshold
reciprocity).
Knight, V. et al. (2016). An open framework for the reproducible study of
the iterated prisoner's dilemma. *Journal of Open Research Software* 4(1).
Xu et al. (seed paper 004): trust mechanisms of cross-domain risk
governance (promises kept, trust alliances).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError

__all__ = [
    "Strategy", "FiniteStateStrategy", "FSM", "Observation", "SlotContext",
    "AlwaysCooperate", "AlwaysDefect", "TitForTat", "SuspiciousTitForTat", "TitForTwoTats",
    "TwoTitsForTat", "GrimTrigger", "WinStayLoseShift", "GenerousTitForTat", "MemoryOne",
    "Alternator", "Cycler", "Random", "ThresholdReciprocity", "TrustThreshold",
    "TrustAlliance", "Opportunist", "strategy_from_name", "STRATEGY_NAMES",
]


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
    """

    name = "Strategy"
    memory_depth: float = math.inf
    stochastic = False
    partnerwise = False
    needs_monitoring = False
    needs_gain = False

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
                "finite_state": self.is_finite_state}

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


class ThresholdReciprocity(_Classic):
    """n-player reciprocity: cooperates iff at least ``k`` others cooperated last round.

    Parameters
    ----------
    k : int or float
        A count of others (``0 <= k <= n - 1``) or a share in (0, 1]
        (``ceil(share (n - 1))``).
    start : 'C', 'D' or probability
        First move (default: cooperate).

    Examples
    --------
    >>> import numpy as np
    >>> from cooperation import repeated as rp
    >>> game = rp.public_goods_game(4, multiplier=2.0)
    >>> res = rp.simulate(game, [rp.ThresholdReciprocity(2)] * 3 + [rp.AlwaysDefect()],
    ...                   rounds=3, runs=1)
    >>> res.cooperated[0].astype(int).tolist()
    [[1, 1, 1, 0], [1, 1, 1, 0], [1, 1, 1, 0]]
    """

    memory_depth = 1

    def __init__(self, k=1, start="C"):
        if k is None:
            raise InputError("must be given (a count of others or a share)",
                             field="ThresholdReciprocity.k", value=k)
        self._s0 = _start(start, "ThresholdReciprocity.start")
        _Classic.__init__(self, _k(k, "ThresholdReciprocity.k"))
        self.name = f"Threshold Reciprocity {self.k:g}"

    def _spec(self):
        out, nxt = _machine([1.0, 0.0, self._s0], lambda s, own, ok: 0 if ok else 1, 3)
        return out, nxt, 2

    def _params(self):
        return {"k": self.k, "start": self._s0}


# ============================================================================ array strategies
def _partner_mask(ctx: SlotContext) -> np.ndarray:
    """bool ``shape + (n,)``: True for the other players of each slot."""
    seat = np.broadcast_to(ctx.seat, ctx.shape)
    return seat[..., None] != np.arange(ctx.n)


class _TrustBase(Strategy):
    memory_depth = math.inf
    partnerwise = True

    def __init__(self, threshold, initial, gain, loss, cls, generosity=0.0):
        self.threshold = _p(threshold, f"{cls}.threshold")
        self.initial = _p(initial, f"{cls}.initial")
        self.gain = _p(gain, f"{cls}.gain")
        self.loss = _p(loss, f"{cls}.loss")
        self.generosity = _p(generosity, f"{cls}.generosity")
        self.stochastic = 0.0 < self.generosity < 1.0

    def _gesture(self, coop, obs):
        """Cooperate anyway with probability ``generosity`` (a trust-building gesture)."""
        if self.generosity <= 0.0:
            return coop
        if self.generosity >= 1.0:
            return np.ones_like(coop)
        return coop | (obs.u < self.generosity)

    def _update(self, state, obs):
        if obs.t > 0:
            kept = obs.partners
            tr = state["trust"]
            state["trust"] = np.where(kept, tr + self.gain * (1.0 - tr),
                                      tr * (1.0 - self.loss))


class TrustThreshold(_TrustBase):
    """Cooperates while its trust in its partners is high enough.

    Each player keeps a trust score ``tau_j`` in [0, 1] for every partner
    ``j``, starting at ``initial``. A promise kept (``j`` seen cooperating)
    raises it, a promise broken cuts it::

        kept:   tau_j <- tau_j + gain (1 - tau_j)
        broken: tau_j <- tau_j (1 - loss)

    Trust is slow to build and quick to lose when ``loss > gain`` (defaults
    ``gain = 0.15``, ``loss = 0.25``: three kept promises are needed to repair
    one broken one near ``tau = 0.7``). The player
    cooperates iff the aggregate trust (``"mean"`` over partners, or
    ``"min"``) is at least ``threshold``; below it, it still cooperates with
    probability ``generosity`` (a gesture that lets trust be rebuilt after a
    breakdown; 0 by default, which makes mutual distrust absorbing).

    Parameters
    ----------
    threshold, initial, gain, loss : float in [0, 1]
    aggregate : {"mean", "min"}
    generosity : float in [0, 1]

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> s = rp.TrustThreshold(threshold=0.5, initial=0.7, gain=0.1, loss=0.4)
    >>> "".join(rp.match(s, rp.Cycler("DCCCCC"), turns=6).actions[0])
    'CDDCCC'
    """

    name = "Trust Threshold"

    def __init__(self, threshold: float = 0.5, initial: float = 0.7, gain: float = 0.15,
                 loss: float = 0.25, aggregate: str = "mean", generosity: float = 0.0):
        _TrustBase.__init__(self, threshold, initial, gain, loss, "TrustThreshold", generosity)
        if aggregate not in ("mean", "min"):
            raise InputError("must be 'mean' or 'min'", field="TrustThreshold.aggregate",
                             value=aggregate)
        self.aggregate = aggregate

    def _params(self):
        return {"threshold": self.threshold, "initial": self.initial, "gain": self.gain,
                "loss": self.loss, "aggregate": self.aggregate, "generosity": self.generosity}

    def initial_state(self, ctx):
        mask = _partner_mask(ctx)
        return {"trust": np.full(mask.shape, self.initial), "mask": mask,
                "count": np.maximum(mask.sum(-1), 1)}

    def act(self, state, obs):
        self._update(state, obs)
        tr, mask = state["trust"], state["mask"]
        if self.aggregate == "mean":
            agg = np.where(mask, tr, 0.0).sum(-1) / state["count"]
        else:
            agg = np.where(mask, tr, np.inf).min(-1)
        return self._gesture(agg >= self.threshold - 1e-12, obs)


class TrustAlliance(_TrustBase):
    """Cooperates within an alliance of trusted partners.

    Trust scores evolve as in :class:`TrustThreshold`. Only the alliance
    ``members`` (default: everyone) count: the player cooperates iff at least
    a share ``quorum`` of its fellow members are trusted (``tau_j >= threshold``),
    and otherwise with probability ``generosity``.
    Defections of outsiders do not break the alliance; a member who keeps
    breaking promises drops out of the trusted group until it earns trust back.

    Parameters
    ----------
    members : sequence of player labels or indices, optional
    threshold, initial, gain, loss : float in [0, 1]
    quorum : float in [0, 1]
    generosity : float in [0, 1]

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> game = rp.public_goods_game(3, multiplier=2.0)
    >>> ally = rp.TrustAlliance(members=["P0", "P1"])
    >>> res = rp.simulate(game, [ally, ally, rp.AlwaysDefect()], rounds=3, runs=1)
    >>> res.cooperated[0].astype(int).tolist()
    [[1, 1, 0], [1, 1, 0], [1, 1, 0]]
    """

    name = "Trust Alliance"

    def __init__(self, members=None, threshold: float = 0.5, initial: float = 0.7,
                 gain: float = 0.15, loss: float = 0.25, quorum: float = 1.0,
                 generosity: float = 0.0):
        _TrustBase.__init__(self, threshold, initial, gain, loss, "TrustAlliance", generosity)
        self.quorum = _p(quorum, "TrustAlliance.quorum")
        if members is not None:
            members = (members,) if isinstance(members, (str, int)) else tuple(members)
        self.members = members

    def _params(self):
        return {"members": self.members, "threshold": self.threshold, "initial": self.initial,
                "gain": self.gain, "loss": self.loss, "quorum": self.quorum,
                "generosity": self.generosity}

    def initial_state(self, ctx):
        member = np.ones(ctx.n, dtype=bool)
        if self.members is not None:
            member[:] = False
            for m in self.members:
                if isinstance(m, str):
                    if m not in ctx.players:
                        raise InputError(f"unknown player; players are {list(ctx.players)}",
                                         field="TrustAlliance.members", value=m)
                    member[ctx.players.index(m)] = True
                else:
                    if not 0 <= int(m) < ctx.n:
                        raise InputError(f"must be a player index in 0..{ctx.n - 1}",
                                         field="TrustAlliance.members", value=m)
                    member[int(m)] = True
        mask = _partner_mask(ctx) & member
        return {"trust": np.full(mask.shape, self.initial), "mask": mask,
                "count": mask.sum(-1)}

    def act(self, state, obs):
        self._update(state, obs)
        trusted = ((state["trust"] >= self.threshold - 1e-12) & state["mask"]).sum(-1)
        cnt = state["count"]
        return self._gesture(trusted >= self.quorum * cnt - 1e-12, obs)


class Opportunist(Strategy):
    """A self-interested jurisdiction (属地 logic) that weighs sanctions each round.

    It plays the action with the higher expected payoff this round, taking
    the others' actions of the last round as given (all cooperate in round
    0) and counting the expected fines, rewards, peer sanctions and forfeited
    transfers of the monitoring regime::

        cooperate  iff  u_i(D_i, a_-i) - u_i(C_i, a_-i)  <=  incentive_i

    where ``incentive_i`` is the expected money advantage of complying
    (see :func:`cooperation.repeated.compliance_incentive`). Without
    monitoring it free-rides whenever defection pays. It is the agent of the
    deterrence model (Becker 1968): monitoring deters it exactly when
    ``q a F >= gain``. With more than 16 players the gain is taken at
    all-cooperate (the temptation ``T_i - R_i``).

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> lax = rp.simulate(None, [rp.Opportunist()] * 2, rounds=2, runs=1,
    ...                   monitoring=rp.Monitoring(audit_prob=0.5, accuracy=1.0, fine=1.0))
    >>> strict = rp.simulate(None, [rp.Opportunist()] * 2, rounds=2, runs=1,
    ...                      monitoring=rp.Monitoring(audit_prob=0.5, accuracy=1.0, fine=4.0))
    >>> float(lax.cooperation_rate), float(strict.cooperation_rate)
    (0.0, 1.0)
    """

    name = "Opportunist"
    memory_depth = 1
    needs_monitoring = True
    needs_gain = True

    def initial_state(self, ctx):
        seat = np.broadcast_to(ctx.seat, ctx.shape)
        return {"incentive": np.asarray(ctx.incentive, float)[seat]}

    def act(self, state, obs):
        inc = state["incentive"]
        return obs.gain <= inc + 1e-9 * np.maximum(1.0, np.abs(inc))


# ============================================================================ names
STRATEGY_NAMES = {
    "allc": AlwaysCooperate, "cooperate": AlwaysCooperate,
    "alld": AlwaysDefect, "defect": AlwaysDefect,
    "tft": TitForTat, "stft": SuspiciousTitForTat, "tf2t": TitForTwoTats,
    "2tft": TwoTitsForTat, "grim": GrimTrigger, "wsls": WinStayLoseShift,
    "gtft": GenerousTitForTat, "alternator": Alternator, "random": Random,
    "trust": TrustThreshold, "alliance": TrustAlliance, "opportunist": Opportunist,
}


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
        except ValueError:
            pass
        raise InputError("unknown parameterised strategy; use threshold:K, cycler:CCD, "
                         "random:P or gtft:P", field="strategy", value=name)
    if key not in STRATEGY_NAMES:
        raise InputError(f"unknown strategy; known: {sorted(STRATEGY_NAMES)}",
                         field="strategy", value=name)
    return STRATEGY_NAMES[key]()
