"""Trust and reputation: per-partner trust scores, trust thresholds and alliances
(seed paper 004: promises kept build trust, promises broken destroy it)."""

from __future__ import annotations

import math

import numpy as np

from ...errors import InputError
from .base import SlotContext, Strategy, _p

__all__ = ["TrustThreshold", "TrustAlliance"]


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
