"""Cooperative values of a game in one call (used by ``cooperation analyze``).

For a game or scenario: the characteristic function, the Shapley value, the
certified nucleolus, the least core (and so whether the core is empty), with
each jurisdiction's payoff at the status quo beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .._result import ResultMixin
from ..errors import InputError
from .characteristic import characteristic_function
from .core import LeastCore, least_core
from .nucleolus import NucleolusResult, nucleolus, prenucleolus
from .shapley import shapley
from .tu_game import TUGame

__all__ = ["CooperativeValues", "cooperative_values"]


@dataclass(frozen=True, repr=False)
class CooperativeValues(ResultMixin):
    """Shapley value, nucleolus and least core of a game's characteristic function.

    Attributes
    ----------
    game : TUGame
        The characteristic function.
    shapley : Series
    nucleolus : NucleolusResult
        Over the imputations (the prenucleolus when the imputation set is empty).
    least_core : LeastCore
    core_nonempty : bool
    superadditive, convex : bool
        (``superadditive`` is None beyond 16 players: the check is ``O(3**n)``.)
    """

    game: TUGame
    shapley: pd.Series
    nucleolus: NucleolusResult
    least_core: LeastCore
    core_nonempty: bool
    superadditive: bool
    convex: bool

    def _summary(self):
        return [("outsiders", self.game.metadata.get("outsiders")),
                ("v(N)", f"{self.game.grand_value:.6g}"),
                ("core non-empty", self.core_nonempty),
                ("least-core epsilon", f"{self.least_core.epsilon:.6g}"),
                ("nucleolus certified", self.nucleolus.certified),
                ("superadditive / convex", f"{self.superadditive} / {self.convex}")]

    def to_frame(self) -> pd.DataFrame:
        g = self.game
        nuc = "nucleolus" if self.nucleolus.domain == "imputation" else "prenucleolus"
        return pd.DataFrame({"v({i})": g.singletons, "shapley": self.shapley.to_numpy(),
                             nuc: self.nucleolus.allocation.to_numpy(),
                             "least_core": self.least_core.allocation.to_numpy()},
                            index=pd.Index(g.players, name="player"))


def cooperative_values(game, outsiders: str = "nash") -> CooperativeValues:
    """Characteristic function, Shapley value, nucleolus and least core of a game.

    Parameters
    ----------
    game : NormalFormGame, Scenario or TUGame
    outsiders : str
        Passed to :func:`characteristic_function` (ignored for a TUGame).

    Examples
    --------
    >>> import cooperation as co
    >>> pd_game = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> res = co.cooperative_values(pd_game)
    >>> res.shapley.tolist(), res.core_nonempty
    ([3.0, 3.0], True)
    """
    v = game if isinstance(game, TUGame) else characteristic_function(game, outsiders=outsiders)
    lc = least_core(v)
    try:
        nuc = nucleolus(v)
    except InputError:
        nuc = prenucleolus(v)
    n = v.n_players
    sup = v.is_superadditive() if n <= 16 else None  # O(3**n)
    return CooperativeValues(v, shapley(v), nuc, lc, lc.core_nonempty, sup, v.is_convex())


def analyze_section(scenario, game, out, outsiders: str = "nash",
                    max_players: int = 12) -> dict:
    """Print the cooperative section of ``cooperation analyze``; return JSON fields."""
    from .rules import compare_rules

    def fmt(x):
        return f"{x:.6g}"

    print("", file=out)
    if game.n_players > max_players:
        print(f"Cooperative values: skipped ({game.n_players} jurisdictions > {max_players}; "
              "use the Python API)", file=out)
        return {}
    res = cooperative_values(game, outsiders=outsiders)
    v = res.game
    unit = f" {scenario.unit}" if getattr(scenario, "unit", "") else ""
    print(f"Cooperative values (characteristic function: outsiders={outsiders}; "
          f"{v.metadata.get('selection', '')}):", file=out)
    print(f"  v(N) = {fmt(v.grand_value)}{unit}; core non-empty: {res.core_nonempty} "
          f"(least-core epsilon {fmt(res.least_core.epsilon)}; <= 0 iff the core is "
          "non-empty)", file=out)
    print(f"  nucleolus: {res.nucleolus.message}", file=out)
    with pd.option_context("display.width", 120, "display.float_format", fmt):
        print(res.to_frame().to_string(), file=out)
    data = {"cooperative": {
        "outsiders": outsiders, "selection": v.metadata.get("selection"),
        "v": {"{" + ", ".join(v.members(m)) + "}": float(v.values[m])
              for m in range(1, 1 << v.n_players)},
        "shapley": res.shapley, "nucleolus": res.nucleolus.allocation,
        "nucleolus_certified": res.nucleolus.certified,
        "least_core_epsilon": res.least_core.epsilon, "core_nonempty": res.core_nonempty}}
    try:
        table = compare_rules(scenario, outsiders=outsiders)
    except InputError as exc:
        print(f"  responsibility rules: not available ({exc})", file=out)
        return data
    print("", file=out)
    print(f"Responsibility rules (programme cost {fmt(table.attrs['programme_cost'])}{unit}: "
          f"{table.attrs['status_quo']} -> {table.attrs['target']}; transfer > 0 received; "
          "gain over going alone):", file=out)
    cols = ["share", "transfer", "payoff", "gain", "in_core"]
    with pd.option_context("display.width", 120, "display.float_format", fmt):
        print(table[cols].to_string(), file=out)
    data["responsibility_rules"] = table.reset_index().drop(columns=["note"])
    return data
