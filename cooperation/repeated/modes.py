"""Hierarchy-led versus peer-led governance of cooperation, side by side.

Two governance modes of cross-jurisdiction risk (seed paper 004, 上级主导 vs
同级自发合作; seed paper 002, the superior as principal):

* **hierarchy-led**: a higher level of government audits each jurisdiction
  with probability ``q``, detects defection with accuracy ``a``, fines ``F``
  (fines feed the crisis fund) and pays a subsidy ``s_i`` to verified
  compliers. Jurisdictions are self-interested (:class:`Opportunist`): they
  cooperate when the expected sanction and subsidy outweigh the gain from
  free riding.
* **peer-led**: no higher level. Jurisdictions observe each other with error
  ``eps`` (horizontal monitoring), may charge peer fines, pay each other
  transfers (e.g. ``design_compensation`` with a zero subsidy) verified by
  their peers, and rely on trust (:class:`TrustThreshold`: promises kept
  build trust, promises broken destroy it).

Both modes are simulated with the **same seed** (the same random numbers
drive execution errors in both), the same noise and the same shock, so the
difference is the governance. :func:`compare_modes` returns one table (one
row per mode) and draws one figure (cooperation by round).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._result import ResultMixin
from ..errors import InputError
from . import _plotting
from .mechanisms import Monitoring, Shock, as_noise
from .simulation import SimulationResult, resolve_transfers, simulate
from .stage import as_stage
from .strategies import Opportunist, Strategy, TrustThreshold
from .theory import deterrence_fine

__all__ = ["ModeComparison", "compare_modes"]

MODES = ("hierarchy", "peer")
# attributes of a mode's SimulationResult shown in the table, under their own names
ROW = (
    "cooperation_rate",
    "final_cooperation",
    "collapse_share",
    "recovery_median",
    "recovered_share",
    "fines_per_run",
    "fund_per_run",
    "transfers_per_run",
    "welfare_per_round",
    "welfare_share",
    "mean_total_payoff",
)
#: the columns of ModeComparison.table; transfers_net_per_run is the mode's
#: transfers_per_run, higher_level_pays_per_run what the higher level pays per run
COLUMNS = (
    "cooperation_rate",
    "final_cooperation",
    "collapse_share",
    "recovery_median",
    "recovered_share",
    "fines_per_run",
    "fund_per_run",
    "higher_level_pays_per_run",
    "transfers_net_per_run",
    "welfare_per_round",
    "welfare_share",
    "mean_total_payoff",
)


@dataclass(frozen=True, repr=False)
class ModeComparison(ResultMixin):
    """Hierarchy-led and peer-led runs of the same scenario.

    Attributes
    ----------
    results : dict mode -> SimulationResult
    table : DataFrame
        One row per mode: cooperation, collapse, recovery after the shock,
        fines, money from the higher level, welfare share.
    settings : dict
    """

    results: dict
    table: pd.DataFrame
    settings: dict

    def _summary(self):
        t = self.table
        return [
            (
                m,
                f"cooperation {t.loc[m, 'cooperation_rate']:.3f}, collapse "
                f"{t.loc[m, 'collapse_share']:.3f}, welfare share "
                f"{t.loc[m, 'welfare_share']:.3f}",
            )
            for m in t.index
        ]

    def explanations(self) -> dict:
        """``{column: sentence}`` for every NaN or infinite value of :attr:`table`, with
        the reason per mode (:meth:`SimulationResult.explanations`)."""
        why: dict = {}
        for mode, res in self.results.items():
            for k, text in res.explanations().items():
                col = "transfers_net_per_run" if k == "transfers_per_run" else k
                if col in self.table.columns and not np.isfinite(self.table.loc[mode, col]):
                    why.setdefault(col, []).append(f"{mode}: {text}")
        return {k: "; ".join(v) for k, v in why.items()}

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per (mode, round, jurisdiction) of cooperation and payoff."""
        frames = []
        for mode, res in self.results.items():
            df = res.to_frame()
            df.insert(0, "mode", mode)
            frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def by_jurisdiction(self) -> pd.DataFrame:
        """Per mode and jurisdiction: payoffs, cooperation and money flows."""
        return pd.concat({m: r.by_jurisdiction() for m, r in self.results.items()}, names=["mode"])

    def plot(self, ax=None, **kwargs):
        """Cooperation by round in both modes; returns ``(fig, ax)``
        (:func:`cooperation.report.repeated.plot_modes`, registered by the report layer)."""
        return _plotting.plot("modes", self, ax=ax, **kwargs)


def _row(res: SimulationResult, higher_level: float) -> dict:
    """One mode's row of :attr:`ModeComparison.table`: attributes of its
    :class:`SimulationResult` under their own names, and what the higher level pays."""
    row = {k: getattr(res, k) for k in ROW}
    row["higher_level_pays_per_run"] = higher_level
    row["transfers_net_per_run"] = row.pop("transfers_per_run")
    return {k: row[k] for k in COLUMNS}


def compare_modes(
    scenario,
    *,
    rounds: int = 60,
    runs: int = 2000,
    noise=0.02,
    audit_prob: float = 0.3,
    accuracy: float = 0.9,
    fine: float | None = None,
    subsidy=None,
    peer_error: float = 0.05,
    peer_fine: float = 0.0,
    transfers=None,
    hierarchy_strategy: Strategy | None = None,
    peer_strategy: Strategy | None = None,
    shock="auto",
    seed=0,
    continuation: float | None = None,
    progress: bool = False,
    cooperative=None,
) -> ModeComparison:
    """Simulate hierarchy-led and peer-led governance with the same seeds.

    Parameters
    ----------
    scenario : Scenario or NormalFormGame (or None: the Prisoner's Dilemma)
    rounds, runs : int
    noise : float or Noise
        Execution errors, the same in both modes.
    audit_prob, accuracy : float in [0, 1]
        Vertical monitoring of the hierarchy-led mode.
    fine : float, optional
        Default: the smallest fine that deters every jurisdiction at every C/D
        profile, ``max gain / (q a)`` (:func:`deterrence_fine`).
    subsidy : Series, array or float, optional
        Per-round payment from the higher level to each verified complier
        (hierarchy-led); default none.
    peer_error : float in [0, 1]
        Error of horizontal monitoring (peer-led).
    peer_fine : float >= 0
        Peer sanction (peer-led).
    transfers : Series, array or ``design_compensation`` result, optional
        Transfers between jurisdictions in the peer-led mode, verified by peers.
    hierarchy_strategy, peer_strategy : Strategy, optional
        Default :class:`Opportunist` and :class:`TrustThreshold`.
    shock : "auto", Shock or None
        ``"auto"``: every jurisdiction is forced to defect for one round at
        ``rounds // 2`` (a crisis year), to measure recovery.
    seed : int, SeedSequence or Generator
    continuation : float, optional
    progress : bool
        tqdm progress bars over runs.
    cooperative : label, index or one per player, optional
        The cooperative action of each jurisdiction (as in :func:`as_stage`);
        default its cooperative level. ``sustained_target(scenario).indices``
        gives the target of the compensation calculator (the social optimum).

    Returns
    -------
    ModeComparison

    Examples
    --------
    >>> import cooperation as co
    >>> from cooperation import repeated as rp
    >>> cmp = rp.compare_modes(rp.public_goods_game(3, 2.0), rounds=20, runs=200)
    >>> cmp.table[["cooperation_rate", "collapse_share"]].round(3)  # doctest: +NORMALIZE_WHITESPACE
               cooperation_rate  collapse_share
    mode
    hierarchy             0.930            0.00
    peer                  0.922            0.02
    """
    stage = as_stage(scenario, cooperative=cooperative)
    players = stage.players
    n = stage.n
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 2:
        raise InputError("must be an integer >= 2", field="rounds", value=rounds)
    if fine is None:
        gain = float(np.max(stage.max_gain()))
        fine = deterrence_fine(gain, audit_prob, accuracy)
        if not math.isfinite(fine):
            raise InputError(
                "no fine can deter with these audits (q a = 0)",
                field="audit_prob",
                value=audit_prob,
                fix="raise audit_prob and accuracy, or give fine=",
            )
    if shock == "auto":
        shock = Shock(round=max(1, rounds // 2))
    elif shock is not None and not isinstance(shock, Shock):
        raise InputError("must be 'auto', a Shock or None", field="shock", value=shock)
    if subsidy is not None and np.isscalar(subsidy):
        subsidy = np.full(n, float(subsidy))
    sub = resolve_transfers(subsidy, players)
    if sub is not None and np.any(sub < 0):
        raise InputError(
            "a subsidy from the higher level is paid, not collected: must be >= 0",
            field="subsidy",
            value=sub.tolist(),
        )
    peer_t = resolve_transfers(transfers, players)
    nz = as_noise(noise)
    h_strat = hierarchy_strategy or Opportunist()
    p_strat = peer_strategy or TrustThreshold()
    h_mon = Monitoring(
        audit_prob=audit_prob, accuracy=accuracy, fine=fine, fund_share=1.0, verify="audit"
    )
    p_mon = Monitoring(peer_error=peer_error, peer_fine=peer_fine, verify="peers")
    common = dict(
        rounds=rounds,
        runs=runs,
        noise=nz,
        continuation=continuation,
        seed=seed,
        shock=shock,
        progress=progress,
    )
    h = simulate(stage, h_strat, monitoring=h_mon, transfers=sub, **common)
    p = simulate(stage, p_strat, monitoring=p_mon, transfers=peer_t, **common)
    higher_h = float(h.transfers_received.sum() + h.rewards_received.sum())
    higher_p = float(max(p.transfers_received.sum(), 0.0))
    table = pd.DataFrame([_row(h, higher_h), _row(p, higher_p)], index=pd.Index(MODES, name="mode"))
    settings = {
        "fine": fine,
        "audit_prob": audit_prob,
        "accuracy": accuracy,
        "peer_error": peer_error,
        "peer_fine": peer_fine,
        "noise": nz,
        "shock": shock,
        "seed": seed,
        "hierarchy_strategy": str(h_strat),
        "peer_strategy": str(p_strat),
        "subsidy": None if sub is None else sub.tolist(),
        "transfers": None if peer_t is None else peer_t.tolist(),
    }
    return ModeComparison({"hierarchy": h, "peer": p}, table, settings)
