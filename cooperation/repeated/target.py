"""The profile that repeated play tries to sustain: the same target as the compensation
calculator.

``design_compensation`` sustains the social optimum unless it is given a
target (:func:`cooperation.equilibria.large.default_target`: exhaustive over
the payoff tensor when it exists, otherwise the best welfare 1-opt local
maximum, flagged as not certified). :func:`sustained_target` gives the same
profile, so that ``cooperation simulate`` and ``cooperation compensate``
speak of the same cooperation: each jurisdiction's "cooperate" (C) in the
repeated game is its action in the target, and its defection (D) is its best
unilateral deviation from it (:mod:`cooperation.repeated.stage`).

References
----------
Fudenberg, D. and Maskin, E. (1986). The folk theorem in repeated games with
discounting or with incomplete information. *Econometrica* 54(3), 533-554
(the sustained profile is any feasible, individually rational one; the
social optimum is the natural target of a planner).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._numeric import RTOL
from ..equilibria.large import default_target
from ..games.model import PayoffModel
from .stage import prisoners_dilemma

__all__ = ["SustainedTarget", "sustained_target"]


@dataclass(frozen=True)
class SustainedTarget:
    """The target profile of repeated play.

    Attributes
    ----------
    indices : tuple of int
        Each jurisdiction's action index in the target (the ``cooperative=``
        of :func:`~cooperation.repeated.simulate`).
    labels : tuple of str
        The same actions by name.
    players : tuple of str
    source : str
        ``"social optimum"`` (the default) or ``"given"``.
    certified : bool
        Whether the default target is certified optimal (False for a welfare
        local optimum of a scenario too large for its payoff tensor).
    note : str
        How the target was found, and for a given target whether it falls
        short of the optimum's welfare.
    """

    indices: tuple
    labels: tuple
    players: tuple
    source: str
    certified: bool
    note: str

    def describe(self, limit: int = 6) -> str:
        """``everyone 'cooperate'`` or ``A=cooperate, B=self, ...`` (at most ``limit``)."""
        if len(set(self.labels)) == 1:
            return f"everyone {self.labels[0]!r}"
        pairs = [f"{p}={a}" for p, a in zip(self.players, self.labels, strict=True)]
        more = f", ... ({len(pairs)} in all)" if len(pairs) > limit else ""
        return ", ".join(pairs[:limit]) + more


def sustained_target(stage_game=None, target=None) -> SustainedTarget:
    """The profile to sustain in repeated play: the social optimum, or ``target``.

    Parameters
    ----------
    stage_game : Scenario, NormalFormGame or None
        ``None``: the Prisoner's Dilemma.
    target : str, sequence or mapping, optional
        One action label for everyone, one per jurisdiction, or
        ``{jurisdiction: action}`` (as ``design_compensation(target=)``).
        Default: the social optimum (:func:`cooperation.equilibria.large.default_target`).

    Returns
    -------
    SustainedTarget

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> t = rp.sustained_target(None)
    >>> t.labels, t.source, t.certified
    (('C', 'C'), 'social optimum', True)
    >>> rp.sustained_target(None, "D").note
    'given; welfare 2 is below the social optimum 6'
    """
    model = PayoffModel(prisoners_dilemma() if stage_game is None else stage_game)
    if target is None:
        prof, certified, note = default_target(model)
        source = "social optimum"
    else:
        prof = model.check_profile(target, "target")
        certified, source, note = True, "given", "given"
        if model.small:
            from ..equilibria import social_optimum

            opt = social_optimum(model.game)
            w = float(model.payoffs(prof)[0].sum())
            if w < opt.welfare - RTOL * max(abs(opt.welfare), abs(w)):
                note = f"given; welfare {w:.6g} is below the social optimum {opt.welfare:.6g}"
    prof = np.asarray(prof, dtype=np.intp)
    labels = tuple(model.actions[i][k] for i, k in enumerate(prof))
    return SustainedTarget(
        tuple(int(k) for k in prof), labels, tuple(model.players), source, bool(certified), note
    )
