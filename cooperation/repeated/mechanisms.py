"""Specifications of noise, monitoring and shocks in repeated play (docs/model.md, section 6).

These are small frozen objects that validate their numbers once; the engine
reads them. Every probability must lie in [0, 1].

Noise
    *Execution* errors (a planned cooperation fails with probability
    ``cooperation_fails``, a planned defection turns into cooperation with
    probability ``defection_fails``; ``Noise(0.05)`` flips every intended
    action with probability 0.05, Axelrod's convention) and *observation*
    errors (each player sees each other player's action flipped with
    probability ``observation``, independently).

Monitoring
    *Vertical* (a coordinating body audits each jurisdiction each round with
    probability ``q = audit_prob``; an audited defector is detected with
    probability ``a = accuracy`` and fined ``F = fine``; an audited
    cooperator is wrongly flagged with probability ``false_alarm``; an
    audited jurisdiction found compliant earns ``reward``, the superior as
    principal rewarding by contribution) and *horizontal* (peers observe each
    other with error ``eps = peer_error``; each peer who sees a jurisdiction
    defect charges it ``peer_fine / (n - 1)``, paid to the other
    jurisdictions in equal parts). A share ``fund_share`` of the fines feeds
    the regional crisis fund (公共危机治理基金); the rest goes to the higher
    level.

    Transfers (received if positive) are paid each round to every
    jurisdiction whose compliance is *verified*: ``verify="audit"`` (paid
    unless an audit flags it), ``"peers"`` (paid when at least half of its
    peers saw it cooperate) or ``"exact"`` (its true action). A flagged
    jurisdiction forfeits its transfer (it neither receives nor pays), the
    convention of ``design_compensation``'s self-enforcement constraint.

    A jurisdiction's expected money advantage of complying over defecting in
    one round (:func:`cooperation.repeated.compliance_incentive`) is::

        q (a - false_alarm) (F + reward) + t (P(verified | C) - P(verified | D))
            + peer_fine (1 - 2 eps)

    and monitoring deters a one-shot defection when it is at least the gain
    from defecting (Becker 1968).

References
----------
Becker, G. S. (1968). Crime and punishment: an economic approach.
*Journal of Political Economy* 76(2), 169-217.
Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books (noise as
"misimplementation" and "misperception": ch. 9).
Kandori, M. (2002). Introduction to repeated games with private monitoring.
*Journal of Economic Theory* 102, 1-15.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..errors import InputError

__all__ = ["Noise", "Monitoring", "Shock", "as_noise"]

VERIFY = ("auto", "audit", "peers", "exact")


def _prob(value, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        and not hasattr(value, "__float__")
    ):
        raise InputError("must be a number", field=name, value=value)
    x = float(value)
    if math.isnan(x) or not 0.0 <= x <= 1.0:
        raise InputError("a probability must lie in [0, 1]", field=name, value=value)
    return x


def _money(value, name: str, *, nonneg: bool = True) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        and not hasattr(value, "__float__")
    ):
        raise InputError("must be a number", field=name, value=value)
    x = float(value)
    if not math.isfinite(x):
        raise InputError("must be a finite number", field=name, value=value)
    if nonneg and x < 0:
        raise InputError("must be >= 0", field=name, value=value)
    return x


@dataclass(frozen=True)
class Noise:
    """Execution and observation errors.

    Parameters
    ----------
    execution : float in [0, 1]
        Probability that an intended action is flipped (both directions),
        Axelrod's ``noise``.
    observation : float in [0, 1]
        Probability that a player sees another's action flipped.
    cooperation_fails, defection_fails : float in [0, 1], optional
        Asymmetric execution errors; they replace ``execution`` in their
        direction when given.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> rp.Noise(0.05).flip_probabilities()
    (0.05, 0.05)
    >>> rp.Noise(cooperation_fails=0.1).flip_probabilities()
    (0.1, 0.0)
    """

    execution: float = 0.0
    observation: float = 0.0
    cooperation_fails: float | None = None
    defection_fails: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "execution", _prob(self.execution, "Noise.execution"))
        object.__setattr__(self, "observation", _prob(self.observation, "Noise.observation"))
        if self.cooperation_fails is not None:
            object.__setattr__(
                self, "cooperation_fails", _prob(self.cooperation_fails, "Noise.cooperation_fails")
            )
        if self.defection_fails is not None:
            object.__setattr__(
                self, "defection_fails", _prob(self.defection_fails, "Noise.defection_fails")
            )

    def flip_probabilities(self) -> tuple[float, float]:
        """``(P(intended C comes out D), P(intended D comes out C))``."""
        c = self.execution if self.cooperation_fails is None else self.cooperation_fails
        d = self.execution if self.defection_fails is None else self.defection_fails
        return c, d

    @property
    def silent(self) -> bool:
        return self.flip_probabilities() == (0.0, 0.0) and self.observation == 0.0


def as_noise(noise) -> Noise:
    """A :class:`Noise` from a float (execution flips), a Noise, or None."""
    if noise is None:
        return Noise()
    if isinstance(noise, Noise):
        return noise
    return Noise(execution=_prob(noise, "noise"))


@dataclass(frozen=True)
class Monitoring:
    """Vertical and horizontal monitoring with fines, rewards and a fund.

    Parameters
    ----------
    audit_prob : float in [0, 1]
        ``q``: probability that the coordinating body audits a jurisdiction
        in a round.
    accuracy : float in [0, 1]
        ``a``: probability that an audit detects a defection.
    fine : float >= 0
        ``F``: fine paid by a flagged jurisdiction.
    peer_error : float in [0, 1] or None
        ``eps``: error with which peers observe each other (horizontal
        monitoring); ``None`` leaves observation to :class:`Noise`.
    peer_fine : float >= 0
        Paid by a jurisdiction that every peer sees defect, pro rata to the
        share of peers who see it; shared equally by the others.
    reward : float >= 0
        Paid by the higher level to an audited jurisdiction found compliant.
    false_alarm : float in [0, 1]
        Probability that an audit flags a cooperator.
    fund_share : float in [0, 1]
        Share of fines that feeds the regional crisis fund.
    verify : {"auto", "audit", "peers", "exact"}
        Whose observation makes transfers due (see the module docstring);
        ``"auto"``: audits when ``audit_prob > 0``, else peers when
        ``peer_error`` is given, else the true action.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> m = rp.Monitoring(audit_prob=0.3, accuracy=0.9, fine=10.0)
    >>> m.expected_fine_on_defection
    2.7
    """

    audit_prob: float = 0.0
    accuracy: float = 1.0
    fine: float = 0.0
    peer_error: float | None = None
    peer_fine: float = 0.0
    reward: float = 0.0
    false_alarm: float = 0.0
    fund_share: float = 0.0
    verify: str = "auto"
    extra: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        for name in ("audit_prob", "accuracy", "false_alarm", "fund_share"):
            object.__setattr__(self, name, _prob(getattr(self, name), f"Monitoring.{name}"))
        if self.peer_error is not None:
            object.__setattr__(self, "peer_error", _prob(self.peer_error, "Monitoring.peer_error"))
        for name in ("fine", "peer_fine", "reward"):
            object.__setattr__(self, name, _money(getattr(self, name), f"Monitoring.{name}"))
        if self.verify not in VERIFY:
            raise InputError(
                f"must be one of {list(VERIFY)}", field="Monitoring.verify", value=self.verify
            )

    @property
    def expected_fine_on_defection(self) -> float:
        """``q * a * F``: the expected fine of a defection in one round."""
        return round(self.audit_prob * self.accuracy * self.fine, 12)

    @property
    def verification(self) -> str:
        """The resolved ``verify`` rule."""
        if self.verify != "auto":
            return self.verify
        if self.audit_prob > 0:
            return "audit"
        if self.peer_error is not None:
            return "peers"
        return "exact"

    @property
    def vertical(self) -> bool:
        return self.audit_prob > 0

    def describe(self, unit: str = "") -> str:
        """One readable line: what is audited, fined, rewarded and observed.

        Examples
        --------
        >>> from cooperation import repeated as rp
        >>> rp.Monitoring(audit_prob=0.3, fine=3.0).describe("CNY 100M")
        'audits q=0.3, accuracy 1, fine 3 CNY 100M per detected defection (expected 0.9 \
per defection); transfers paid on audit'
        >>> print(rp.Monitoring(peer_error=0.05).describe())
        peers observe each other with error 0.05, no peer fine; transfers paid on peers' reports
        """
        money = f" {unit}" if unit else ""
        parts = []
        if self.vertical:
            v = (
                f"audits q={self.audit_prob:g}, accuracy {self.accuracy:g}, fine "
                f"{self.fine:.6g}{money} per detected defection (expected "
                f"{self.expected_fine_on_defection:.6g} per defection)"
            )
            if self.false_alarm:
                v += f", false alarms {self.false_alarm:g}"
            if self.reward:
                v += f", reward {self.reward:.6g}{money} per audited complier"
            if self.fund_share:
                v += f", {self.fund_share:g} of fines to the crisis fund"
            parts.append(v)
        if self.horizontal:
            err = (
                "with the noise's observation error"
                if self.peer_error is None
                else f"with error {self.peer_error:g}"
            )
            fine = f"peer fine {self.peer_fine:.6g}{money}" if self.peer_fine else "no peer fine"
            parts.append(f"peers observe each other {err}, {fine}")
        if not parts:
            parts.append("no audits and no peer observation")
        rule = {"audit": "on audit", "peers": "on peers' reports", "exact": "on the true action"}[
            self.verification
        ]
        return "; ".join(parts) + f"; transfers paid {rule}"

    @property
    def horizontal(self) -> bool:
        return self.peer_error is not None or self.peer_fine > 0


@dataclass(frozen=True)
class Shock:
    """A crisis that forces some jurisdictions to defect for a few rounds.

    Parameters
    ----------
    round : int >= 1
        First round of the shock (0-based; round 0 cannot be shocked so that
        a pre-shock level of cooperation exists).
    players : sequence of str or int, or None
        Who is forced to defect (default: everyone).
    length : int >= 1
        Number of rounds the shock lasts.

    Notes
    -----
    The time for cooperation (and the trust that carries it) to recover is
    measured per run as the number of rounds after the shock ends until the
    share of cooperating jurisdictions is back at least at its level in the
    round before the shock (0: back at once).
    """

    round: int
    players: tuple | None = None
    length: int = 1

    def describe(self) -> str:
        """One readable line.

        >>> Shock(50, length=2).describe()
        'every jurisdiction forced to defect in rounds 50-51'
        """
        who = "every jurisdiction" if self.players is None else ", ".join(map(str, self.players))
        when = (
            f"round {self.round}"
            if self.length == 1
            else f"rounds {self.round}-{self.round + self.length - 1}"
        )
        return f"{who} forced to defect in {when}"

    def __post_init__(self):
        r = self.round
        if isinstance(r, bool) or not isinstance(r, int) or r < 1:
            raise InputError(
                "must be an integer >= 1 (round 0 has no pre-shock level)",
                field="Shock.round",
                value=r,
            )
        if isinstance(self.length, bool) or not isinstance(self.length, int) or self.length < 1:
            raise InputError("must be an integer >= 1", field="Shock.length", value=self.length)
        if self.players is not None:
            if isinstance(self.players, (str, int)):
                object.__setattr__(self, "players", (self.players,))
            else:
                object.__setattr__(self, "players", tuple(self.players))
