"""The non-cooperative analysis of a scenario too large for a payoff tensor.

What :func:`cooperation.analyze` gives for a small game (equilibria, the social
optimum, price of anarchy and stability, the cooperation surplus, withdrawal
costs), for thousands of jurisdictions, from the MILPs of :mod:`.milp` and the
scenario's sparse deviations, never a tensor:

* social optimum ``a* = argmax_a W(a)``: exact (proved by HiGHS), or bounded
  (the best profile found and its gap to the bound);
* the worst and best pure Nash equilibria by welfare: exact, or bounded; "no
  pure equilibrium" is proved by an infeasible Nash MILP. The set of *all* pure
  equilibria is not listed (it can be exponential): ``equilibria_complete`` is
  False and the extremes are what PoA and PoS need;
* price of anarchy ``W(a*) / W(worst NE)`` (cost ratio when welfare is negative)
  and of stability, as :func:`.welfare.price_ratio` defines them;
* cooperation surplus ``W(a*) - W(worst NE)``, with ``surplus_gap``: the sum of
  the two answers' gaps (0 when both are exact);
* withdrawal costs at ``a*`` from ``Scenario.deviation_payoffs`` and
  ``Scenario.welfare_deviations`` (``O(nnz)``).

``answer`` says which kind of answer it is: ``"exact"`` when every part was
proved, otherwise ``"bounded"``.

References
----------
Koutsoupias, E. and Papadimitriou, C. (1999). Worst-case equilibria. STACS.
Anshelevich, E. et al. (2004). The price of stability for network design with
fair cost allocation. FOCS.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._progress import progress_bar
from .._result import ResultMixin, display_number
from .large import scale_equilibrium, scale_optimum, scenario_table
from .milp import ProfileSolution
from .welfare import price_ratio

__all__ = ["ScaleAnalysis", "analyze_scale"]


@dataclass(frozen=True, repr=False)
class ScaleAnalysis(ResultMixin):
    """Non-cooperative analysis of a large scenario (see the module notes).

    Attributes
    ----------
    optimum, worst_equilibrium, best_equilibrium : ProfileSolution
        ``.profile`` (level indices), ``.value`` (welfare), ``.kind`` (``"exact"``,
        ``"bounded"``; ``"none"`` for equilibria when there is no pure one), ``.gap``.
    answer : str
        ``"exact"`` or ``"bounded"``.
    price_of_anarchy, price_of_stability : float
    cooperation_surplus, cooperation_surplus_best, surplus_gap : float
    withdrawal : DataFrame
        Per jurisdiction: ``leaves_to``, ``welfare_loss``, ``own_gain``.
    equilibria_complete : bool
        False: the extreme equilibria are given, not the list of all of them.
    """

    players: tuple
    action_names: tuple
    unit: str
    name: str
    optimum: ProfileSolution
    worst_equilibrium: ProfileSolution
    best_equilibrium: ProfileSolution
    optimum_payoffs: np.ndarray
    worst_payoffs: np.ndarray | None
    best_payoffs: np.ndarray | None
    price_of_anarchy: float
    price_of_stability: float
    poa_note: str
    cooperation_surplus: float
    cooperation_surplus_best: float
    surplus_gap: float
    withdrawal: pd.DataFrame
    answer: str
    equilibria_complete: bool = False
    notes: tuple = ()
    timings: dict = field(default_factory=dict)

    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def equilibrium_kind(self) -> str:
        return "none" if self.worst_equilibrium.kind == "none" else "pure"

    @property
    def withdrawal_cost(self) -> pd.Series:
        return self.withdrawal["welfare_loss"]

    def level_counts(self, profile) -> dict:
        """How many jurisdictions play each level in ``profile``."""
        counts = np.bincount(np.asarray(profile), minlength=len(self.action_names))
        return {a: int(c) for a, c in zip(self.action_names, counts, strict=True)}

    def _summary(self):
        u = f" {self.unit}" if self.unit else ""
        opt, w, b = self.optimum, self.worst_equilibrium, self.best_equilibrium
        rows = [
            ("jurisdictions", self.n_players),
            ("answer", self.answer),
            (
                "social optimum",
                f"W = {display_number(opt.value, 8)}{u} ({opt.kind}; "
                f"levels {self.level_counts(opt.profile)})",
            ),
        ]
        if w.kind == "none":
            rows.append(("pure equilibria", "none (proved)"))
        else:
            rows += [
                ("worst pure NE", f"W = {display_number(w.value, 8)}{u} ({w.kind})"),
                ("best pure NE", f"W = {display_number(b.value, 8)}{u} ({b.kind})"),
            ]
        rows += [
            (
                "cooperation surplus",
                f"{display_number(self.cooperation_surplus, 6)}{u}"
                + (f" (+- {display_number(self.surplus_gap)})" if self.surplus_gap else ""),
            ),
            ("price of anarchy", display_number(self.price_of_anarchy, 6)),
            ("price of stability", display_number(self.price_of_stability, 6)),
            ("note", self.poa_note),
        ]
        return rows

    def to_frame(self) -> pd.DataFrame:
        """Per jurisdiction: the levels and payoffs at the optimum and at the worst and
        best equilibria, and the withdrawal report."""
        names = np.asarray(self.action_names, dtype=object)
        df = pd.DataFrame(
            {"action_opt": names[self.optimum.profile], "payoff_opt": self.optimum_payoffs},
            index=pd.Index(self.players, name="jurisdiction"),
        )
        if self.worst_payoffs is not None:
            df["action_worst_ne"] = names[self.worst_equilibrium.profile]
            df["payoff_worst_ne"] = self.worst_payoffs
            df["payoff_best_ne"] = self.best_payoffs
        return df.join(self.withdrawal)


def _withdrawal(scenario, a: np.ndarray) -> pd.DataFrame:
    """At ``a``: each jurisdiction's most profitable other level, the welfare lost when
    it alone moves there, and its own gain (``O(nnz)``)."""
    n = scenario.n_players
    ar = np.arange(n)
    dev = np.array(scenario.deviation_payoffs(a), dtype=float)
    wdev = scenario.welfare_deviations(a)
    own = dev[ar, a]
    dev[ar, a] = -np.inf
    b = np.argmax(dev, axis=1)
    names = np.asarray(scenario.action_names, dtype=object)
    return pd.DataFrame(
        {"leaves_to": names[b], "welfare_loss": -wdev[ar, b], "own_gain": dev[ar, b] - own},
        index=pd.Index(scenario.players, name="jurisdiction"),
    )


def analyze_scale(scenario, *, time_limit: float | None = None, progress=None) -> ScaleAnalysis:
    """Equilibria, optimum, PoA/PoS, surplus and withdrawal costs without a tensor.

    Parameters
    ----------
    scenario : Scenario
    time_limit : float, optional
        Seconds per MILP (default ``cooperation.equilibria.milp.MILP_TIME_LIMIT``); on
        the limit the answer is bounded, with its gap.
    progress : bool or None
        A progress bar over the four steps (None: on a terminal only).

    Examples
    --------
    >>> import cooperation as co
    >>> from cooperation.equilibria.scale import analyze_scale
    >>> s = co.load_scenario("data/chishui/scenario.toml")
    >>> res = analyze_scale(s)
    >>> small = co.analyze(s.to_game())
    >>> res.answer, bool(np.isclose(res.cooperation_surplus, small.cooperation_surplus))
    ('exact', True)
    """
    times = {}
    with progress_bar(4, "analyze", progress, unit="step") as bar:
        t = time.perf_counter()
        scenario_table(scenario)
        times["tables"] = time.perf_counter() - t
        bar.update(1)
        steps = (
            ("optimum", lambda: scale_optimum(scenario, time_limit)),
            ("worst_ne", lambda: scale_equilibrium(scenario, True, time_limit)),
            ("best_ne", lambda: scale_equilibrium(scenario, False, time_limit)),
        )
        out = {}
        for key, fn in steps:
            t = time.perf_counter()
            out[key] = fn()
            times[key] = time.perf_counter() - t
            bar.update(1)
    opt, worst, best = out["optimum"], out["worst_ne"], out["best_ne"]
    notes = []
    if worst is None:  # a hazard too large to tabulate: no Nash MILP
        from .large import best_response_dynamics_sparse

        a, ok, rounds = best_response_dynamics_sparse(scenario)
        value = float(scenario.payoffs(a[None, :])[0].sum())
        kind = "bounded" if ok else "none"
        worst = best = ProfileSolution(
            a if ok else None,
            value if ok else math.nan,
            math.nan,
            math.nan,
            kind,
            "a pure NE by best-response dynamics, not certified worst or best"
            if ok
            else "no pure NE found",
            0.0,
            (),
        )
        notes.append(
            "a hazard is too large to tabulate: the equilibrium comes from "
            f"best-response dynamics ({rounds} rounds)"
        )
    return _assemble(scenario, opt, worst, best, notes, times)


def _assemble(scenario, opt, worst, best, notes, times) -> ScaleAnalysis:
    u_opt = scenario.payoffs(opt.profile[None, :])[0]
    if worst.kind != "none":
        poa, note = price_ratio(opt.value, worst.value)
        pos, _ = price_ratio(opt.value, best.value)
        surplus, surplus_best = opt.value - worst.value, opt.value - best.value
        gap = (opt.gap or 0.0) + (worst.gap or 0.0)
        u_w = scenario.payoffs(worst.profile[None, :])[0]
        u_b = scenario.payoffs(best.profile[None, :])[0]
    else:
        poa = pos = surplus = surplus_best = gap = math.nan
        note = "no pure Nash equilibrium (proved by the Nash MILP)"
        u_w = u_b = None
    parts = (
        opt.kind,
        worst.kind if worst.kind != "none" else "exact",
        best.kind if best.kind != "none" else "exact",
    )
    answer = "exact" if all(k == "exact" for k in parts) else "bounded"
    return ScaleAnalysis(
        tuple(scenario.players),
        tuple(scenario.action_names),
        scenario.unit,
        scenario.name,
        opt,
        worst,
        best,
        u_opt,
        u_w,
        u_b,
        poa,
        pos,
        note,
        surplus,
        surplus_best,
        gap,
        _withdrawal(scenario, opt.profile),
        answer,
        False,
        tuple(notes),
        times,
    )


def analyze(game, *, time_limit: float | None = None, progress=None):
    """Equilibria, optimum, PoA/PoS, cooperation surplus and withdrawal costs.

    A :class:`~cooperation.NormalFormGame`, or a scenario with at most
    ``TENSOR_MAX_PROFILES`` (2**16) pure profiles, is analysed on its payoff tensor
    (:func:`cooperation.equilibria.welfare.analyze`: every pure equilibrium, an
    :class:`~cooperation.equilibria.welfare.Analysis`). A larger scenario is analysed
    on its structure, without a tensor (:func:`analyze_scale`: the exact or bounded
    optimum and extreme equilibria, a :class:`ScaleAnalysis` with the same attribute
    names and an ``answer`` field). ``time_limit`` and ``progress`` apply to the
    large path.

    Examples
    --------
    >>> import cooperation as co
    >>> pd_game = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> res = co.analyze(pd_game)
    >>> res.cooperation_surplus, res.price_of_anarchy
    (4.0, 3.0)
    """
    from ..games.model import TENSOR_MAX_PROFILES
    from ..games.normal_form import NormalFormGame
    from .welfare import analyze as analyze_tensor

    n_levels = getattr(game, "n_levels", None)
    if (
        not isinstance(game, NormalFormGame)
        and n_levels is not None
        and callable(getattr(game, "deviation_payoffs", None))
    ):
        if n_levels**game.n_players > TENSOR_MAX_PROFILES:
            return analyze_scale(game, time_limit=time_limit, progress=progress)
    return analyze_tensor(game)
