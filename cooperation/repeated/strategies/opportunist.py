"""The opportunist: a self-interested jurisdiction that weighs the sanctions each round
(the agent of the deterrence model, Becker 1968)."""

from __future__ import annotations

import numpy as np

from .base import Strategy

__all__ = ["Opportunist"]


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
