"""Many runs of an n-player repeated game with noise, monitoring and transfers.

:func:`simulate` plays ``runs`` independent repetitions of the repeated game
on the vectorised engine and reports what a policy analyst asks:

* cooperation rate by round and jurisdiction (share of runs still going);
* payoff per jurisdiction (stage payoffs, fines, rewards, peer sanctions and
  transfers included);
* the share of runs in which cooperation **collapses**: fewer than
  ``collapse_level`` (default half) of the actions of the last ``window``
  rounds of the run (default: the last tenth) are cooperative;
* after a :class:`Shock`, the number of rounds for cooperation (and the
  trust that carries it) to **recover** to its pre-shock level;
* fines collected (and the part that feeds the crisis fund);
* welfare as a share of the optimum: ``welfare_share`` is the share of the
  cooperation gain realised, ``(W - W_D) / (W_opt - W_D)`` with ``W`` the
  mean welfare per round, ``W_opt`` the best C/D profile and ``W_D``
  all-defect (1 = optimum, 0 = no cooperation; meaningful for cost games
  too); ``welfare_ratio = W / W_opt`` when ``W_opt > 0``.

Random numbers are addressed by (round, stream, run, player) in a
counter-based generator: the same seed gives identical results bit for bit,
whatever ``chunk`` is, and the first ``k`` runs do not depend on ``runs``.

With a continuation probability ``delta`` each run lasts ``L`` rounds with
``P(L > t) = delta**t``, so the expected total payoff equals the expected
discounted payoff with discount factor ``delta``; ``rounds`` caps ``L``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import InputError
from .engine import run_engine
from .limits import MAX_ROUND_CELLS, MAX_RUN_CELLS, MAX_SLOTS, check_size
from .mechanisms import Monitoring, Shock, as_noise
from .results import SimulationResult
from .stage import as_stage
from .strategies import Strategy
from .theory import compliance_incentive

__all__ = [
    "SimulationResult",
    "simulate",
    "resolve_transfers",
    "resolve_strategies",
    "check_size",
    "MAX_RUN_CELLS",
    "MAX_ROUND_CELLS",
    "MAX_SLOTS",
]

HISTORY_AUTO_LIMIT = 20_000_000  # runs x rounds x players kept as a bool array
CONTINUATION_TAIL = 1e-9  # horizon when only delta is given: P(L > horizon)
#: money of the mechanisms at most this many times the largest stage payoff (round-off)
MONEY_RATIO_MAX = 1e12
MONEY_FIELDS = ("fine", "reward", "peer_fine")


def _int(x, name, lo):
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < lo:
        raise InputError(f"must be an integer >= {lo}", field=name, value=x)
    return int(x)


def resolve_strategies(strategies, players) -> tuple[list[Strategy], np.ndarray]:
    """``(distinct strategies, index per player)`` from one strategy, a list or a dict."""
    n = len(players)
    if isinstance(strategies, Strategy):
        seq = [strategies] * n
    elif isinstance(strategies, dict):
        unknown = [k for k in strategies if k not in players]
        if unknown:
            raise InputError(
                f"unknown player; players are {list(players)}", field="strategies", value=unknown
            )
        missing = [p for p in players if p not in strategies]
        if missing:
            raise InputError(
                f"needs a strategy for every player; missing {missing}",
                field="strategies",
                value=sorted(strategies),
            )
        seq = [strategies[p] for p in players]
    elif isinstance(strategies, (list, tuple)):
        seq = list(strategies)
        if len(seq) != n:
            raise InputError(
                f"needs one strategy per player ({n}: {list(players)[:8]}), got {len(seq)}",
                field="strategies",
                value=len(seq),
                fix="pass a list of the right length, a dict by player, or one strategy for all",
            )
    else:
        raise InputError(
            "must be a strategy, a list of strategies (one per player) or a dict "
            "player -> strategy",
            field="strategies",
            value=strategies,
        )
    distinct: list[Strategy] = []
    assign = np.empty(n, dtype=np.intp)
    for j, s in enumerate(seq):
        if isinstance(s, type) and issubclass(s, Strategy):
            raise InputError(
                "pass a strategy instance, e.g. TitForTat(), not the class",
                field=f"strategies[{j}]",
                value=s.__name__,
            )
        if not isinstance(s, Strategy):
            raise InputError("must be a repeated-play strategy", field=f"strategies[{j}]", value=s)
        try:
            assign[j] = distinct.index(s)
        except ValueError:
            distinct.append(s)
            assign[j] = len(distinct) - 1
    return distinct, assign


def resolve_transfers(transfers, players) -> np.ndarray | None:
    """Per-round transfers by player (received if positive) from a Series, a mapping,
    an array, or a result with a ``transfers`` attribute (``design_compensation``)."""
    if transfers is None:
        return None
    if hasattr(transfers, "transfers") and not isinstance(transfers, (pd.Series, dict)):
        transfers = transfers.transfers
    n = len(players)
    if isinstance(transfers, (pd.Series, dict)):
        ser = pd.Series(transfers, dtype=float)
        unknown = [k for k in ser.index if k not in players]
        if unknown:
            raise InputError(
                f"unknown player; players are {list(players)[:8]}", field="transfers", value=unknown
            )
        t = ser.reindex(list(players)).fillna(0.0).to_numpy(float)
    else:
        t = np.asarray(transfers, dtype=float).reshape(-1)
        if t.size != n:
            raise InputError(
                f"needs one transfer per player ({n})", field="transfers", value=f"{t.size} values"
            )
    if not np.all(np.isfinite(t)):
        raise InputError("transfers must be finite numbers", field="transfers", value=t.tolist())
    return t


def simulate(
    stage_game,
    strategies,
    rounds: int | None = 100,
    runs: int = 1000,
    noise=0.0,
    monitoring: Monitoring | None = None,
    transfers=None,
    continuation: float | None = None,
    seed=0,
    *,
    shock: Shock | None = None,
    cooperative=None,
    defect="best",
    chunk: int | None = None,
    history="auto",
    window: int | None = None,
    collapse_level: float = 0.5,
    progress: bool = False,
) -> SimulationResult:
    """Simulate many runs of a repeated n-player game as arrays.

    Parameters
    ----------
    stage_game : NormalFormGame, Scenario or None
        ``None``: the Prisoner's Dilemma R=3, S=0, T=5, P=1. Each player
        needs a cooperative action (``C``/``cooperate``, a scenario's
        cooperative level, or ``cooperative=``); its defection is its best
        unilateral deviation from all-cooperate (``defect="best"``) or level 0
        (``defect="lowest"``). A Scenario is played without a payoff tensor
        beyond 16 jurisdictions.
    strategies : Strategy, list of Strategy (one per player) or dict player -> Strategy
    rounds : int >= 1, or None
        Horizon (the cap on the run length under ``continuation``).
    runs : int >= 1
    noise : float or Noise
        Float: each intended action is flipped with this probability.
    monitoring : Monitoring, optional
    transfers : Series, mapping, array or a ``design_compensation`` result, optional
        Per-round transfers ``t_i`` (received if positive), paid to verified compliers.
    continuation : float in [0, 1], optional
        Probability ``delta`` that the game goes on after each round.
    seed : int, SeedSequence or Generator
    shock : Shock, optional
    chunk : int, optional
        Runs per chunk (memory bound); does not change the results.
    history : "auto", True or False
        Keep the ``(runs, rounds, n)`` actions ("auto": up to 2e7 entries).
    window : int, optional
        Final window for the collapse test (default: ``max(1, rounds // 10)``).
    collapse_level : float in [0, 1]
    progress : bool
        tqdm progress bar over runs.

    Returns
    -------
    SimulationResult

    Examples
    --------
    Grim trigger against itself with 2% noise, with and without audits:

    >>> from cooperation import repeated as rp
    >>> res = rp.simulate(None, rp.GrimTrigger(), rounds=50, runs=500, noise=0.02, seed=1)
    >>> round(res.collapse_share, 3)
    0.844
    >>> m = rp.Monitoring(audit_prob=0.3, accuracy=0.9, fine=10.0)
    >>> res = rp.simulate(None, rp.Opportunist(), rounds=50, runs=500, monitoring=m)
    >>> res.cooperation_rate, res.deterred.tolist()
    (1.0, [True, True])
    """
    stage = as_stage(stage_game, cooperative=cooperative, defect=defect)
    players = stage.players
    n = stage.n
    distinct, assign = resolve_strategies(strategies, players)
    runs = _int(runs, "runs", 1)
    notes = []
    rounds, continuation = _horizon(rounds, continuation, notes)
    check_size(runs, rounds, n)
    nz = as_noise(noise)
    if monitoring is not None and not isinstance(monitoring, Monitoring):
        raise InputError("must be a Monitoring (or None)", field="monitoring", value=monitoring)
    t = resolve_transfers(transfers, players)
    _check_money(stage, monitoring, t)
    if not isinstance(collapse_level, (int, float)) or not 0.0 <= float(collapse_level) <= 1.0:
        raise InputError("must lie in [0, 1]", field="collapse_level", value=collapse_level)
    if window is not None:
        window = _int(window, "window", 1)
    shock_spec = _shock_spec(shock, players, rounds)
    if history == "auto":
        keep = runs * rounds * n <= HISTORY_AUTO_LIMIT
        if not keep:
            notes.append(
                "actions not kept (runs x rounds x players > 2e7); pass history=True to keep them"
            )
    else:
        keep = bool(history)
    if chunk is not None:
        chunk = _int(chunk, "chunk", 1)
    eps = nz.observation
    if monitoring is not None and monitoring.peer_error is not None:
        eps = monitoring.peer_error
    incentive = compliance_incentive(monitoring, t, n, eps)
    res = run_engine(
        stage,
        distinct,
        assign,
        runs=runs,
        rounds=rounds,
        noise=nz,
        monitoring=monitoring,
        transfers=t,
        continuation=continuation,
        seed=seed,
        incentive=incentive,
        shock=shock_spec,
        chunk=chunk,
        keep_history=keep,
        window=window,
        progress=progress,
    )
    notes.extend(res.notes)
    notes.extend(stage.notes)
    settings = {
        "noise": nz,
        "monitoring": monitoring,
        "continuation": continuation,
        "seed": seed if isinstance(seed, (int, np.integer)) else repr(seed),
        "transfers": None if t is None else t.tolist(),
        "shock": shock,
        "defect_actions": [d for _, d in stage.action_labels],
        "cooperative_actions": [c for c, _ in stage.action_labels],
    }
    return _result(
        res,
        stage,
        [str(distinct[k]) for k in assign],
        monitoring,
        incentive,
        collapse_level,
        settings,
        notes,
    )


def _check_money(stage, monitoring, transfers) -> None:
    """Refuse money amounts beyond ``MONEY_RATIO_MAX`` times the largest stage payoff:
    the payoffs would vanish in the round-off of the totals (about 16 digits; a rule
    relative to the payoffs, so it does not depend on the money unit)."""
    scale = float(np.max(np.abs(stage.rstp()))) or 1.0
    amounts = []
    if monitoring is not None:
        amounts += [(f"Monitoring.{k}", getattr(monitoring, k)) for k in MONEY_FIELDS]
    if transfers is not None:
        amounts.append(("transfers", float(np.max(np.abs(transfers)))))
    for name, x in amounts:
        if x > MONEY_RATIO_MAX * scale:
            raise InputError(
                f"is more than {MONEY_RATIO_MAX:.0e} times the largest stage payoff "
                f"({scale:.3g} {stage.unit}): the payoffs would vanish in the round-off",
                field=name,
                value=x,
                fix="give amounts in the scenario's money unit",
            )


def _horizon(rounds, continuation, notes):
    """The checked horizon and continuation probability (``delta = 1`` with a horizon is a
    fixed horizon; no horizon: the round past which a run lasts with probability < 1e-9)."""
    if continuation is not None:
        if (
            isinstance(continuation, bool)
            or not isinstance(continuation, (int, float, np.integer, np.floating))
            or math.isnan(float(continuation))
            or not 0.0 <= float(continuation) <= 1.0
        ):
            raise InputError(
                "a continuation probability must lie in [0, 1]",
                field="continuation",
                value=continuation,
            )
        continuation = float(continuation)
    if rounds is None:
        if continuation is None or continuation >= 1.0:
            raise InputError(
                "needs a horizon: with no continuation probability below 1 the game never ends",
                field="rounds",
                value=rounds,
                fix="give rounds=<int>, or continuation < 1",
            )
        rounds = (
            1
            if continuation == 0
            else max(1, math.ceil(math.log(CONTINUATION_TAIL) / math.log(continuation)))
        )
        notes.append(f"horizon {rounds} rounds (P(run longer) < {CONTINUATION_TAIL:g})")
    rounds = _int(rounds, "rounds", 1)
    if continuation is not None and continuation >= 1.0:
        continuation = None  # delta = 1 with a horizon: a fixed horizon
    return rounds, continuation


def _shock_spec(shock, players, rounds):
    """``(round, length, mask of the shocked players)`` for the engine, or None."""
    if shock is None:
        return None
    if not isinstance(shock, Shock):
        raise InputError("must be a Shock (or None)", field="shock", value=shock)
    n = len(players)
    mask = np.zeros(n, dtype=bool)
    if shock.players is None:
        mask[:] = True
    else:
        for p in shock.players:
            if isinstance(p, str):
                if p not in players:
                    raise InputError(
                        f"unknown player; players are {list(players)[:8]}",
                        field="Shock.players",
                        value=p,
                    )
                mask[players.index(p)] = True
            else:
                if not 0 <= int(p) < n:
                    raise InputError(
                        f"must be a player index in 0..{n - 1}", field="Shock.players", value=p
                    )
                mask[int(p)] = True
    if shock.round >= rounds:
        raise InputError(
            f"must be before the horizon ({rounds} rounds)", field="Shock.round", value=shock.round
        )
    if shock.round + shock.length > rounds:
        raise InputError(
            f"the shock must end within the horizon: round {shock.round} + length <= "
            f"{rounds} rounds",
            field="Shock.length",
            value=shock.length,
            fix=f"use a length of at most {rounds - shock.round}",
        )
    return shock.round, shock.length, mask


def _result(
    res, stage, strategy_names, monitoring, incentive, collapse_level, settings, notes
) -> SimulationResult:
    """Per-run means, shares among the runs still going, and welfare against the optimum."""
    runs = res.runs
    alive = res.alive_by_round
    denom = np.maximum(alive, 1)[:, None]
    coop_by_round = np.where(alive[:, None] > 0, res.coop_by_round / denom, np.nan)
    pay_by_round = np.where(alive[:, None] > 0, res.stage_by_round / denom, np.nan)
    w_opt, w_d, wnote = stage.welfare_reference()
    if wnote:
        notes.append(wnote)
    W = float(res.stage_by_round.sum() / max(alive.sum(), 1))
    share = (W - w_d) / (w_opt - w_d) if w_opt != w_d else math.nan
    ratio = W / w_opt if w_opt > 0 else math.nan
    fines_per_run = res.fines_paid / runs
    fund = float(fines_per_run.sum() * (monitoring.fund_share if monitoring else 0.0))
    return SimulationResult(
        players=tuple(stage.players),
        strategies=tuple(strategy_names),
        rounds=res.rounds,
        runs=runs,
        unit=stage.unit,
        cooperated=res.history,
        scores=res.scores,
        lengths=res.lengths,
        cooperation_by_round=coop_by_round,
        payoff_by_round=pay_by_round,
        alive_by_round=alive,
        fines_by_round=res.fines_by_round / runs,
        rewards_by_round=res.rewards_by_round / runs,
        transfers_by_round=res.transfers_by_round / runs,
        fines_paid=fines_per_run,
        rewards_received=res.rewards_received / runs,
        transfers_received=res.transfers_received / runs,
        peer_net=res.peer_net / runs,
        fund=fund,
        collapsed=res.window_share < collapse_level,
        collapse_level=collapse_level,
        window=res.window,
        recovery=res.recovery,
        welfare=W,
        optimum_welfare=w_opt,
        defect_welfare=w_d,
        welfare_share=share,
        welfare_ratio=ratio,
        temptation=stage.temptation(),
        incentive=incentive,
        settings=settings,
        notes=tuple(notes),
    )
