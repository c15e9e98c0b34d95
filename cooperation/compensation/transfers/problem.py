"""The inputs of the transfer LP as one problem, and the same problem at order one."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ...equilibria.outside import OUTSIDE_OPTIONS

__all__ = ["FAMILIES", "OBJECTIVES", "OUTSIDE", "Problem", "normalise"]

FAMILIES = ("participation", "self_enforcement", "capacity", "core")
OBJECTIVES = ("min_subsidy", "min_transfers", "closest", "max_min_gain")
OUTSIDE = OUTSIDE_OPTIONS   # the named outside options (equilibria.outside)


@dataclass
class Problem:
    """Everything the LP needs, per jurisdiction (money in the game's unit)."""

    players: tuple
    u: np.ndarray            # u_i(a*)
    outside: np.ndarray      # o_i
    dev: np.ndarray          # best deviation payoff, -inf when none
    caps: np.ndarray         # payment caps, inf when none
    core_v: np.ndarray | None
    reference: np.ndarray | None
    families: tuple
    objective: str
    fine: float
    detection: float
    max_subsidy: float | None
    tol: float
    forfeit: str = "transfer"

    @property
    def n(self) -> int:
        return len(self.players)

    @property
    def scale(self) -> float:
        vals = [np.abs(self.u).max(), np.abs(self.outside).max(), 1.0]
        fin = self.dev[np.isfinite(self.dev)]
        if fin.size:
            vals.append(np.abs(fin).max())
        return float(max(vals))


def normalise(pb: Problem) -> tuple[Problem, float]:
    """The same design with money shifted and scaled to order one: ``(pb', M)``.

    Each jurisdiction's payoffs are shifted by its outside option (which
    cancels in every constraint: participation, self-enforcement, core and
    the reference all compare payoffs of the same jurisdictions) and every
    amount is divided by the money scale ``M`` of the gains at stake. The LP
    is then solved at order one, so solver tolerances mean the same thing in
    yuan (1e10) and 亿元 (1); transfers, subsidy and objective values scale
    back by ``M``, and shadow prices (money per money) are unchanged.
    """
    off = np.where(np.isfinite(pb.outside), pb.outside, 0.0)
    u = pb.u - off
    dev = pb.dev - off
    core = ref = None
    if pb.core_v is not None:
        bits = (np.arange(pb.core_v.size)[:, None] >> np.arange(pb.n)[None, :]) & 1
        core = pb.core_v - bits @ off
    if pb.reference is not None:
        ref = pb.reference - off
    pieces = [np.abs(u), np.abs(dev[np.isfinite(dev)])]
    pieces += [np.abs(a) for a in (core, ref) if a is not None]
    M = max((float(a.max()) for a in pieces if a.size), default=0.0)
    if not M > 0:
        rest = [pb.caps[np.isfinite(pb.caps)], np.array([pb.fine, pb.max_subsidy or 0.0])]
        M = max((float(np.abs(a).max()) for a in rest if a.size), default=0.0) or 1.0
    scaled = dataclasses.replace(
        pb, u=u / M, outside=(pb.outside - off) / M, dev=dev / M, caps=pb.caps / M,
        core_v=None if core is None else core / M, reference=None if ref is None else ref / M,
        fine=pb.fine / M, max_subsidy=None if pb.max_subsidy is None else pb.max_subsidy / M)
    return scaled, M
