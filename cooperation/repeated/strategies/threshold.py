"""n-player threshold reciprocity (Boyd and Richerson 1988)."""

from __future__ import annotations

from ...errors import InputError
from .base import _Classic, _k, _machine, _start

__all__ = ["ThresholdReciprocity"]


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
