"""Result type of the two-way conditional agreement: :class:`TwoWayAgreement`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..._result import ResultMixin, display_number

__all__ = ["TwoWayAgreement"]


@dataclass(frozen=True, repr=False)
class TwoWayAgreement(ResultMixin):
    """Result of :func:`two_way_agreement`.

    Attributes
    ----------
    upstream, downstream : str
    intervals : DataFrame
        The bargaining range as disjoint intervals of ``s``: ``lo``, ``hi``
        (``inf`` when unbounded), ``lo_closed``, ``hi_closed``.
    intervals_some : DataFrame
        The same where *some* pure equilibrium gives both a gain.
    lower, upper : float
        Smallest and largest stake in the range (``nan`` when it is empty).
    stakes : DataFrame
        One row per stake asked about: whether it is in the range, the
        equilibria it induces, the probability the standard is met, the
        expected transfer, each side's payoff and gain over no agreement.
    outside_option : Series
        No-agreement payoffs.
    compliance : ndarray
        ``pi(a)`` for every profile (shape of the game).
    subsidy : float
    note : str
    """

    upstream: str
    downstream: str
    intervals: pd.DataFrame
    intervals_some: pd.DataFrame
    lower: float
    upper: float
    stakes: pd.DataFrame
    outside_option: pd.Series
    compliance: np.ndarray
    subsidy: float
    note: str
    unit: str = ""

    @property
    def empty(self) -> bool:
        return len(self.intervals) == 0

    def contains(self, s: float) -> bool:
        """Whether stake ``s`` lies in the bargaining range."""
        for r in self.intervals.itertuples():
            if (r.lo < s or (r.lo_closed and s == r.lo)) and (
                s < r.hi or (r.hi_closed and s == r.hi)
            ):
                return True
        return False

    def range_text(self, digits: int = 4) -> str:
        """The bargaining range as intervals, ``[lo, hi]`` closed and ``(lo, hi)`` open,
        joined by ``U``; ``empty`` when no stake works; ``inf`` when unbounded.

        Examples
        --------
        >>> import cooperation as co
        >>> co.two_way_agreement(co.load_scenario("data/xinan/scenario.toml")).range_text()
        '[1.379, 3.771]'
        """
        if self.empty:
            return "empty (no stake gives both sides more than no agreement)"
        return " U ".join(
            f"{'[' if r.lo_closed else '('}{display_number(r.lo, digits)}, "
            f"{display_number(r.hi, digits)}{']' if r.hi_closed else ')'}"
            for r in self.intervals.itertuples()
        )

    def _summary(self):
        rng = self.range_text(6)
        rows = [
            ("upstream -> downstream", f"{self.upstream} -> {self.downstream}"),
            ("bargaining range of the stake", f"{rng} {self.unit}".rstrip()),
            ("no-agreement payoffs", self.outside_option.round(6).to_dict()),
        ]
        for r in self.stakes.itertuples():
            rows.append(
                (
                    f"stake {r.Index}",
                    f"s = {r.stake:.6g}: "
                    f"{'inside' if r.in_range else 'outside'}; equilibrium {r.equilibria}",
                )
            )
        rows.append(("note", self.note))
        return rows

    def to_frame(self) -> pd.DataFrame:
        """The stakes table (one row per stake asked about)."""
        return self.stakes.copy()
