"""Cooperative values of a game in one call (used by ``cooperation analyze``).

For a game or scenario: the characteristic function, the Shapley value, the
certified nucleolus, the least core (and so whether the core is empty), with
each jurisdiction's payoff at the status quo beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .._result import ResultMixin, display_number, escape_controls, paragraph, text_table
from ..errors import InputError
from .characteristic import DEFAULT_OUTSIDERS, characteristic_function
from .core import LeastCore, least_core
from .nucleolus import NucleolusResult, nucleolus, prenucleolus
from .shapley import shapley
from .tu_game import TUGame

__all__ = ["CooperativeValues", "cooperative_values", "analyze_section", "OUTSIDERS_TEXT"]

#: what each choice of outsiders means, in the words the command line prints
OUTSIDERS_TEXT = {
    "gamma": "outsiders answer a coalition's choice with best replies (Chander-Tulkens)",
    "nash": "outsiders keep their status-quo Nash actions",
    "alpha": "outsiders act to hurt the coalition (von Neumann-Morgenstern)",
}


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
        return [
            ("outsiders", self.game.metadata.get("outsiders")),
            ("v(N)", f"{self.game.grand_value:.6g}"),
            ("core non-empty", self.core_nonempty),
            ("least-core epsilon", f"{self.least_core.epsilon:.6g}"),
            ("nucleolus certified", self.nucleolus.certified),
            ("superadditive / convex", f"{self.superadditive} / {self.convex}"),
        ]

    def to_frame(self) -> pd.DataFrame:
        g = self.game
        nuc = "nucleolus" if self.nucleolus.domain == "imputation" else "prenucleolus"
        return pd.DataFrame(
            {
                "v({i})": g.singletons,
                "shapley": self.shapley.to_numpy(),
                nuc: self.nucleolus.allocation.to_numpy(),
                "least_core": self.least_core.allocation.to_numpy(),
            },
            index=pd.Index(g.players, name="player"),
        )


def cooperative_values(game, outsiders: str = DEFAULT_OUTSIDERS) -> CooperativeValues:
    """Characteristic function, Shapley value, nucleolus and least core of a game.

    Parameters
    ----------
    game : NormalFormGame, Scenario or TUGame
    outsiders : str
        Passed to :func:`characteristic_function` (ignored for a TUGame);
        default :data:`~cooperation.coalitions.characteristic.DEFAULT_OUTSIDERS`
        ("nash"), the one default of the package.

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


def _yes_no(flag) -> str:
    return "n/a" if flag is None else "yes" if flag else "no"


def analyze_section(
    scenario, game, out, outsiders: str = DEFAULT_OUTSIDERS, max_players: int = 12, width: int = 100
) -> dict:
    """Print the cooperative section of ``cooperation analyze``; return its JSON fields.

    The cooperative values (:func:`cooperative_values`) and the responsibility
    rules (:func:`~cooperation.coalitions.rules.compare_rules`), both with
    ``outsiders``, in tables within ``width`` columns; every blank and sign on
    the screen is explained on it (a rule that cannot be applied is listed
    with the reason instead of a row of NaN). The JSON fields keep full
    precision and the notes.
    """
    from .rules import compare_rules

    def num(x):
        return display_number(x, 4)

    print("", file=out)
    if game.n_players > max_players:
        print(
            f"Cooperative values: skipped ({game.n_players} jurisdictions > {max_players}; "
            "use the Python API)",
            file=out,
        )
        return {}
    res = cooperative_values(game, outsiders=outsiders)
    v = res.game
    unit = getattr(scenario, "unit", "") or getattr(game, "unit", "") or ""
    u = f" {unit}" if unit else ""

    def say(text):
        print(paragraph(text, width), file=out)

    say(
        f"Cooperative values (characteristic function v(S), outsiders = {outsiders}: "
        f"{OUTSIDERS_TEXT.get(outsiders, outsiders)}):"
    )
    if v.metadata.get("selection"):
        say(f"  selection: {v.metadata['selection']}")
    say(
        f"  v(N) = {num(v.grand_value)}{u}; core non-empty: {_yes_no(res.core_nonempty)} "
        f"(least-core epsilon {num(res.least_core.epsilon)}; <= 0 iff the core is non-empty)"
    )
    say(f"  nucleolus: {res.nucleolus.message}")
    say(
        "  Values are payoffs in" + (u or " the game's unit") + " (negative: yearly costs "
        "borne); v({i}): what i secures alone."
    )
    table = res.to_frame().rename(columns={"shapley": "Shapley", "least_core": "least core"})
    print(text_table(table, width=width, digits=4), file=out)
    data = {
        "cooperative": {
            "outsiders": outsiders,
            "selection": v.metadata.get("selection"),
            "v": {
                "{" + ", ".join(v.members(m)) + "}": float(v.values[m])
                for m in range(1, 1 << v.n_players)
            },
            "shapley": res.shapley,
            "nucleolus": res.nucleolus.allocation,
            "nucleolus_certified": res.nucleolus.certified,
            "least_core_epsilon": res.least_core.epsilon,
            "core_nonempty": res.core_nonempty,
        }
    }
    try:
        rules = compare_rules(scenario, outsiders=outsiders)
    except InputError as exc:
        say(f"  responsibility rules: not available ({exc})")
        return data
    table = rules.reset_index()
    # 'certified' is a flag of the nucleolus only: null (not applicable) elsewhere, not NaN
    table["certified"] = [
        None if isinstance(c, float) and c != c else bool(c) for c in table["certified"]
    ]
    data["responsibility_rules"] = table.to_dict(orient="records")
    _print_rules(rules, out, unit, width)
    return data


def _print_rules(rules: pd.DataFrame, out, unit: str, width: int) -> None:
    """The responsibility-rules table with its legend; rules that cannot be applied are
    listed with the reason, not shown as rows of NaN."""
    a = rules.attrs
    u = f" {unit}" if unit else ""
    cost = display_number(a["programme_cost"], 4)

    def prof(x):
        return escape_controls(
            "(" + ", ".join(map(str, x)) + ")" if isinstance(x, tuple | list) else x
        )

    print("", file=out)
    print(
        paragraph(
            f"Responsibility rules: who pays the programme bill ({cost}{u}, the extra "
            f"action cost of moving from {prof(a['status_quo'])} to {prof(a['target'])}):",
            width,
        ),
        file=out,
    )
    print(
        paragraph(
            "  bill share: part of the bill a jurisdiction bears (< 0: it is paid more "
            "than its own extra cost); transfer: received (> 0) or paid (< 0); payoff: "
            "after the transfer; gain: over going alone (< 0: worse off than alone); "
            "in core: no coalition would rather leave.",
            width,
        ),
        file=out,
    )
    ok = rules["payoff"].notna().groupby(level="rule", sort=False).all()
    shown = rules.loc[[r for r in ok.index if ok[r]]]
    view = pd.DataFrame(
        {
            "bill share": shown["share"],
            "transfer": shown["transfer"],
            "payoff": shown["payoff"],
            "gain": shown["gain"],
            "in core": [_yes_no(x) for x in shown["in_core"]],
        },
        index=shown.index,
    )
    print(text_table(view, width=width, digits=4), file=out)
    for r in ok.index:
        if not ok[r]:
            note = rules.loc[r, "note"].iloc[0]
            print(paragraph(f"  {r}: {escape_controls(note)}", width), file=out)
