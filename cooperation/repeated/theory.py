"""Closed forms of repeated play, to check simulations against.

* Grim trigger sustains mutual cooperation in the Prisoner's Dilemma
  (``T > R > P > S``) with continuation probability ``delta`` iff
  ``delta >= (T - R) / (T - P)`` (Friedman 1971): cooperating for ever gives
  ``R / (1 - delta)``, the best deviation ``T + delta P / (1 - delta)``.
* Tit For Tat is a Nash equilibrium (collectively stable) iff
  ``delta >= max((T - R)/(T - P), (T - R)/(R - S))`` (Axelrod 1984,
  Proposition 2); Win-Stay Lose-Shift is subgame perfect iff
  ``delta >= (T - R)/(R - P)`` (needs ``2R > T + P``).
* Deterrence: an audit with probability ``q`` that detects a defection with
  probability ``a`` and fines ``F`` deters a one-shot gain ``g`` iff
  ``q a F >= g`` (Becker 1968); with rewards, false alarms, peer fines and
  transfers conditional on verified compliance the expected advantage of
  complying is :func:`compliance_incentive`.
* Two memory-one strategies with execution noise ``eps`` form a Markov chain
  on the outcomes ``CC, CD, DC, DD`` (Nowak and Sigmund 1990); its
  stationary distribution gives the long-run payoff per round, and its
  powers the exact expected payoff of a finite match.

References
----------
Friedman, J. W. (1971). A non-cooperative equilibrium for supergames.
*Review of Economic Studies* 38(1), 1-12.
Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books, ch. 3 and appendix B.
Becker, G. S. (1968). Crime and punishment: an economic approach. *JPE* 76(2), 169-217.
Nowak, M. and Sigmund, K. (1990). The evolution of stochastic strategies in
the Prisoner's Dilemma. *Acta Applicandae Mathematicae* 20, 247-265.
Imhof, L. A., Fudenberg, D. and Nowak, M. A. (2007). Tit-for-tat or
win-stay, lose-shift? *Journal of Theoretical Biology* 247, 574-580.
Fudenberg, D. and Tirole, J. (1991). *Game Theory*. MIT Press, ch. 5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import check_number
from .._result import ResultMixin
from ..errors import GameError, InputError
from .mechanisms import Monitoring, as_noise
from .stage import as_stage
from .strategies import (
    AlwaysCooperate,
    AlwaysDefect,
    GrimTrigger,
    Strategy,
    TitForTat,
    WinStayLoseShift,
)

__all__ = ["grim_trigger_threshold", "deterrence_fine", "compliance_incentive", "deters",
           "min_discount", "StationaryPlay", "stationary_payoffs", "expected_match_payoffs",
           "memory_one_chain"]


def _num(x, name):
    return check_number(x, name)


def _pd_check(R, S, T, P):
    R, S, T, P = (_num(v, nm) for v, nm in zip((R, S, T, P), "RSTP", strict=True))
    if not (T > R > P > S):
        raise GameError("a Prisoner's Dilemma needs T > R > P > S", field="(R, S, T, P)",
                        value=(R, S, T, P))
    return R, S, T, P


def grim_trigger_threshold(R: float = 3.0, S: float = 0.0, T: float = 5.0, P: float = 1.0
                           ) -> float:
    """Smallest continuation probability at which grim trigger sustains cooperation.

    ``delta* = (T - R) / (T - P)``: cooperation for ever, ``R / (1 - delta)``,
    beats the best deviation, ``T + delta P / (1 - delta)``, iff ``delta >= delta*``.

    References
    ----------
    Friedman (1971); Fudenberg and Tirole (1991), section 5.1.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> rp.grim_trigger_threshold(3, 0, 5, 1)
    0.5
    """
    R, S, T, P = _pd_check(R, S, T, P)
    return (T - R) / (T - P)


def deterrence_fine(gain: float, audit_prob: float, accuracy: float = 1.0, *,
                    reward: float = 0.0, false_alarm: float = 0.0,
                    transfer: float = 0.0) -> float:
    """The smallest fine that deters a one-shot gain from defection.

    Deterrence holds iff ``q (a - false_alarm) (F + reward + transfer) >= gain``,
    so ``F* = gain / (q (a - false_alarm)) - reward - transfer`` (with the
    defaults: ``gain / (q a)``); ``inf`` when audits cannot tell defectors
    apart (``q (a - false_alarm) <= 0``) and 0 when nothing needs deterring.

    References
    ----------
    Becker (1968).

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> rp.deterrence_fine(2.0, audit_prob=0.25, accuracy=0.8)
    10.0
    """
    g = _num(gain, "gain")
    q = _prob(audit_prob, "audit_prob")
    a = _prob(accuracy, "accuracy")
    fa = _prob(false_alarm, "false_alarm")
    if g <= 0:
        return 0.0
    sep = q * (a - fa)
    if sep <= 0:
        return math.inf
    return max(0.0, g / sep - _num(reward, "reward") - _num(transfer, "transfer"))


def _prob(x, name):
    v = _num(x, name)
    if not 0.0 <= v <= 1.0:
        raise InputError("a probability must lie in [0, 1]", field=name, value=x)
    return v


def compliance_incentive(monitoring: Monitoring | None = None, transfers=None,
                         n_players: int = 2, observation: float = 0.0) -> np.ndarray:
    """Expected money advantage of complying over defecting in one round, per player.

    ::

        q (a - false_alarm) (F + reward)
          + t_i (P(verified | C) - P(verified | D))
          + peer_fine (1 - 2 eps)

    with ``P(verified | .)`` given by the verification rule: audits
    (``1 - q false_alarm`` vs ``1 - q a``), peers (at least half of the
    ``n - 1`` peers see cooperation; binomial with error ``eps``) or the
    exact action (1 vs 0). Monitoring deters player ``i`` iff this is at
    least its gain from defecting.

    Parameters
    ----------
    monitoring : Monitoring or None
    transfers : array (n,) or None
        Per-round transfers, received if positive.
    n_players : int
    observation : float
        Observation error of peers when ``monitoring.peer_error`` is None.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> rp.compliance_incentive(rp.Monitoring(audit_prob=0.3, accuracy=0.9, fine=10.0))
    array([2.7, 2.7])
    """
    n = int(n_players)
    t = np.zeros(n) if transfers is None else np.asarray(transfers, float).reshape(n)
    if monitoring is None:
        return t.copy()
    mon = monitoring
    eps = mon.peer_error if mon.peer_error is not None else float(observation)
    q, a, fa = mon.audit_prob, mon.accuracy, mon.false_alarm
    inc = np.full(n, q * (a - fa) * (mon.fine + mon.reward))
    rule = mon.verification
    if rule == "audit":
        pc, pd_ = 1 - q * fa, 1 - q * a
    elif rule == "peers":
        from scipy.stats import binom

        need = math.ceil((n - 1) / 2)
        pc = float(binom.sf(need - 1, n - 1, 1 - eps))
        pd_ = float(binom.sf(need - 1, n - 1, eps))
    else:
        pc, pd_ = 1.0, 0.0
    inc = inc + t * (pc - pd_)
    if n > 1:
        inc = inc + mon.peer_fine * (1 - 2 * eps)
    return inc


def deters(gain, monitoring: Monitoring | None, transfers=None, observation: float = 0.0
           ) -> np.ndarray:
    """Whether monitoring (and transfers) deter each player's one-shot gain ``gain``.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> m = rp.Monitoring(audit_prob=0.5, accuracy=0.8, fine=5.0)
    >>> rp.deters([1.9, 2.1], m).tolist()
    [True, False]
    """
    g = np.atleast_1d(np.asarray(gain, float))
    inc = compliance_incentive(monitoring, transfers, g.size, observation)
    return inc >= g - 1e-12 * np.maximum(1.0, np.abs(g))


def min_discount(strategy, R: float = 3.0, S: float = 0.0, T: float = 5.0, P: float = 1.0
                 ) -> float:
    """Smallest continuation probability at which ``strategy`` against itself is an
    equilibrium of the repeated Prisoner's Dilemma, where a closed form is known.

    =====================  ===========================================  ==========
    strategy               condition on ``delta``                        source
    =====================  ===========================================  ==========
    GrimTrigger            ``(T - R)/(T - P)`` (subgame perfect)          Friedman 1971
    TitForTat              ``max((T-R)/(T-P), (T-R)/(R-S))`` (Nash)       Axelrod 1984
    WinStayLoseShift       ``(T - R)/(R - P)`` (subgame perfect)          Imhof et al. 2007
    AlwaysDefect           0 (always an equilibrium)
    AlwaysCooperate        ``inf`` (never: defection pays at once)
    =====================  ===========================================  ==========

    ``inf`` means no ``delta < 1`` works: a threshold of 1 or more (WSLS with
    the standard payoffs 3, 0, 5, 1 needs ``delta >= (5-3)/(3-1) = 1``) cannot
    be met by a continuation probability. Other strategies raise an error.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> rp.min_discount(rp.TitForTat()), rp.min_discount(rp.WinStayLoseShift())
    (0.6666666666666666, inf)
    """
    R, S, T, P = _pd_check(R, S, T, P)
    s = strategy
    if isinstance(s, type):
        s = s()
    if type(s) is GrimTrigger:
        d = (T - R) / (T - P)
    elif type(s) is TitForTat:
        d = max((T - R) / (T - P), (T - R) / (R - S))
    elif type(s) is WinStayLoseShift:
        d = (T - R) / (R - P)
    elif type(s) is AlwaysDefect:
        d = 0.0
    elif type(s) is AlwaysCooperate:
        d = math.inf
    else:
        raise InputError("no closed-form discount threshold is known for this strategy "
                         "(known: GrimTrigger, TitForTat, WinStayLoseShift, AlwaysDefect, "
                         "AlwaysCooperate)", field="strategy", value=str(s),
                         fix="simulate with continuation=delta instead")
    return d if d < 1.0 else math.inf


# ============================================================================ memory-one chains
STATES = ("CC", "CD", "DC", "DD")


def _m1(s: Strategy, which: str):
    m1 = s.memory_one if isinstance(s, Strategy) else None
    if m1 is None:
        raise InputError("is not a memory-one strategy with known probabilities "
                         "(has no memory_one vector)", field=which, value=str(s),
                         fix="use MemoryOne(p_cc, p_cd, p_dc, p_dd, start) or a classic "
                             "memory-one strategy")
    return np.asarray(m1[0], float), float(m1[1])


def memory_one_chain(s1: Strategy, s2: Strategy, noise=0.0) -> tuple[np.ndarray, np.ndarray]:
    """Transition matrix ``M`` (4 x 4) on ``CC, CD, DC, DD`` (player 1's action first)
    and the distribution of round 0, for two memory-one strategies with noise.

    Each intended action is flipped with probability ``eps``, so a player who
    cooperates with probability ``p`` comes out cooperating with
    ``p (1 - eps) + (1 - p) eps``.
    """
    nz = as_noise(noise)
    ec, ed = nz.flip_probabilities()
    if nz.observation:
        raise InputError("the memory-one chain covers execution noise only",
                         field="noise.observation", value=nz.observation)
    p, p0 = _m1(s1, "s1")
    q, q0 = _m1(s2, "s2")
    q = q[[0, 2, 1, 3]]          # player 2 sees the state with the roles swapped

    def eff(x):
        return x * (1 - ec) + (1 - x) * ed

    p, p0, q, q0 = eff(p), eff(p0), eff(q), eff(q0)
    M = np.column_stack([p * q, p * (1 - q), (1 - p) * q, (1 - p) * (1 - q)])
    v0 = np.array([p0 * q0, p0 * (1 - q0), (1 - p0) * q0, (1 - p0) * (1 - q0)])
    return M, v0


def _state_payoffs(game):
    st = as_stage(game)
    if st.n != 2:
        raise InputError("needs a two-player stage game", field="game", value=st.n)
    # CC, CD, DC, DD -> profile index (bit j = player j cooperates)
    return st.table[[3, 1, 2, 0]]


@dataclass(frozen=True, repr=False)
class StationaryPlay(ResultMixin):
    """Long-run play of two memory-one strategies.

    Attributes
    ----------
    distribution : ndarray (4,)
        Long-run share of rounds in ``CC, CD, DC, DD``.
    payoffs : ndarray (2,)
        Long-run payoff per round of each player.
    unique : bool
        Whether the chain has a unique stationary distribution (otherwise the
        long-run average from the actual start is reported).
    """

    distribution: np.ndarray
    payoffs: np.ndarray
    unique: bool
    players: tuple

    def _summary(self):
        return [("players", self.players), ("payoffs", np.round(self.payoffs, 6).tolist()),
                ("unique", self.unique)]

    def to_frame(self):
        return pd.DataFrame({"share": self.distribution}, index=pd.Index(STATES, name="state"))


def stationary_payoffs(s1: Strategy, s2: Strategy, game=None, noise=0.0) -> StationaryPlay:
    """Long-run payoff per round of two memory-one strategies (exact).

    The long-run distribution is ``lim_N (1/N) sum_{t<N} v0 M^t``, computed as
    the limit of the lazy chain ``(I + M)/2`` (same limit, aperiodic) by
    repeated squaring; when the chain has one recurrent class it is the unique
    stationary distribution ``pi = pi M``.

    Examples
    --------
    Two Tit For Tat players with noise end up in each outcome a quarter of the time:

    >>> from cooperation import repeated as rp
    >>> res = rp.stationary_payoffs(rp.TitForTat(), rp.TitForTat(), noise=0.05)
    >>> res.distribution.round(6).tolist(), res.payoffs.round(6).tolist()
    ([0.25, 0.25, 0.25, 0.25], [2.25, 2.25])
    """
    M, v0 = memory_one_chain(s1, s2, noise)
    Pm = 0.5 * (np.eye(4) + M)
    for _ in range(80):
        Pm = Pm @ Pm
        Pm /= Pm.sum(axis=1, keepdims=True)
    dist = v0 @ Pm
    unique = bool(np.allclose(Pm, Pm[0], atol=1e-9))
    pay = dist @ _state_payoffs(game)
    return StationaryPlay(dist, pay, unique, (str(s1), str(s2)))


def expected_match_payoffs(s1: Strategy, s2: Strategy, turns: int, game=None, noise=0.0
                           ) -> np.ndarray:
    """Exact expected total payoffs ``sum_{t < turns} v0 M^t r`` of a match of two
    memory-one strategies.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> rp.expected_match_payoffs(rp.TitForTat(), rp.AlwaysDefect(), 10).tolist()
    [9.0, 14.0]
    """
    if isinstance(turns, bool) or not isinstance(turns, (int, np.integer)) or turns < 0:
        raise InputError("must be an integer >= 0", field="turns", value=turns)
    M, v = memory_one_chain(s1, s2, noise)
    r = _state_payoffs(game)
    acc = np.zeros(4)
    for _ in range(int(turns)):
        acc += v
        v = v @ M
    return acc @ r
