"""Two-player matches and round-robin tournaments (Axelrod's conventions).

A match plays two strategies for ``turns`` rounds of a two-player stage game
(default: the Prisoner's Dilemma with R=3, S=0, T=5, P=1). With ``noise``
each intended action is flipped with that probability and both players see
the flipped action, as in the Axelrod library. A match is run 0 of
:func:`simulate` with the same seed; between finite-state strategies it is
computed over all rounds at once (:func:`~cooperation.repeated.engine.match_path`).

A tournament is a round robin in which every strategy meets every other and
a copy of itself, ``repetitions`` times. Its numbers are those of
``axelrod.ResultSet``:

* ``scores`` (Axelrod's ``payoff_matrix``): mean payoff per turn of the row
  strategy against the column strategy over the repetitions; the diagonal
  (self-play) averages both seats;
* ``totals`` (Axelrod's ``scores``): per strategy and repetition, the total
  payoff summed over all opponents except itself;
* ``normalised_scores``: ``totals / (turns (N - 1))``;
* ``ranking``: strategies by decreasing median normalised score.

When no strategy is stochastic and there is no noise, the repetitions are
identical: one is played and repeated (Axelrod caches such matches too).

References
----------
Axelrod, R. (1980). Effective choice in the Prisoner's Dilemma. *Journal of
Conflict Resolution* 24(1), 3-25.
Knight, V. et al. (2016). An open framework for the reproducible study of the
iterated prisoner's dilemma. *Journal of Open Research Software* 4(1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._result import ResultMixin
from ..errors import InputError
from .engine import match_path, run_engine
from .mechanisms import Monitoring, as_noise
from .stage import as_stage
from .strategies import Strategy
from .theory import compliance_incentive

__all__ = ["MatchResult", "TournamentResult", "match", "tournament"]


def _check_int(x, name, lo=1):
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < lo:
        raise InputError(f"must be an integer >= {lo}", field=name, value=x)
    return int(x)


def _check_strategy(s, name):
    if isinstance(s, type) and issubclass(s, Strategy):
        raise InputError("pass a strategy instance, e.g. TitForTat(), not the class",
                         field=name, value=s.__name__)
    if not isinstance(s, Strategy):
        raise InputError("must be a repeated-play strategy (cooperation.repeated.Strategy)",
                         field=name, value=s)
    return s


def _two_player_stage(game):
    st = as_stage(game)
    if st.n != 2:
        raise InputError("a match needs a two-player stage game", field="game", value=st.n,
                         fix="use rp.simulate for n-player games")
    return st


@dataclass(frozen=True, repr=False)
class MatchResult(ResultMixin):
    """A match of two strategies.

    Attributes
    ----------
    players : tuple of str
    cooperated : bool ndarray (turns, 2)
        Actual (after noise) actions; True = cooperated.
    payoffs : ndarray (turns, 2)
        Stage payoffs of each turn.
    scores : ndarray (2,)
        Total payoff of each player (fines and transfers included).
    """

    players: tuple
    cooperated: np.ndarray
    payoffs: np.ndarray
    scores: np.ndarray
    noise: float
    seed: object

    @property
    def turns(self) -> int:
        return self.cooperated.shape[0]

    @property
    def actions(self) -> tuple[str, str]:
        """Each player's actions as a string of C and D."""
        return tuple("".join("C" if c else "D" for c in self.cooperated[:, j])
                     for j in range(2))

    @property
    def score_per_turn(self) -> np.ndarray:
        return self.scores / max(self.turns, 1)

    @property
    def cooperation(self) -> np.ndarray:
        """Share of turns in which each player cooperated."""
        return self.cooperated.mean(axis=0)

    @property
    def state_distribution(self) -> dict:
        """Counts of the outcomes CC, CD, DC, DD (player 0's action first)."""
        c0, c1 = self.cooperated[:, 0], self.cooperated[:, 1]
        return {"CC": int(np.sum(c0 & c1)), "CD": int(np.sum(c0 & ~c1)),
                "DC": int(np.sum(~c0 & c1)), "DD": int(np.sum(~c0 & ~c1))}

    def _summary(self):
        return [("players", self.players), ("turns", self.turns),
                ("scores", np.round(self.scores, 6).tolist()),
                ("cooperation", np.round(self.cooperation, 4).tolist()),
                ("noise", self.noise)]

    def to_frame(self) -> pd.DataFrame:
        """One row per turn: each player's action and payoff."""
        df = pd.DataFrame({"turn": np.arange(self.turns)})
        for j, p in enumerate(self.players):
            df[f"action[{p}]"] = np.where(self.cooperated[:, j], "C", "D")
        for j, p in enumerate(self.players):
            df[f"payoff[{p}]"] = self.payoffs[:, j]
        return df.set_index("turn")


def match(s1: Strategy, s2: Strategy, turns: int = 200, game=None, noise=0.0, seed=0, *,
          monitoring: Monitoring | None = None, transfers=None) -> MatchResult:
    """Play two strategies against each other.

    Parameters
    ----------
    s1, s2 : Strategy
    turns : int >= 1
    game : NormalFormGame (two players, a cooperative action each) or None
        Default: the Prisoner's Dilemma R=3, S=0, T=5, P=1.
    noise : float or Noise
        Each intended action is flipped with this probability (Axelrod's convention).
    seed : int, SeedSequence or Generator
    monitoring, transfers : optional
        As in :func:`simulate`.

    Returns
    -------
    MatchResult

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> m = rp.match(rp.TitForTat(), rp.Alternator(), turns=6)
    >>> m.actions
    ('CCDCDC', 'CDCDCD')
    >>> m.scores.tolist()
    [13.0, 18.0]
    """
    s1 = _check_strategy(s1, "s1")
    s2 = _check_strategy(s2, "s2")
    turns = _check_int(turns, "turns")
    stage = _two_player_stage(game)
    nz = as_noise(noise)
    t = None if transfers is None else np.asarray(transfers, float).reshape(2)
    inc = compliance_incentive(monitoring, t, 2, nz.observation)
    strategies = [s1] if s1 == s2 else [s1, s2]
    assign = np.array([0, 0] if s1 == s2 else [0, 1])
    coop = None
    if monitoring is None and t is None:
        coop = match_path(stage, strategies, assign, turns, nz, seed)
    if coop is not None:
        payoffs = stage.payoffs(coop)
        scores = payoffs.sum(axis=0)
    else:
        res = run_engine(stage, strategies, assign, runs=1, rounds=turns, noise=nz,
                         monitoring=monitoring, transfers=t, continuation=None, seed=seed,
                         incentive=inc, keep_history=True)
        coop = res.history[0]
        payoffs = stage.payoffs(coop)
        scores = res.scores[0]
    names = (str(s1), str(s2) if str(s2) != str(s1) else f"{s2} #2")
    return MatchResult(names, coop, payoffs, scores, nz.execution, seed)


@dataclass(frozen=True, repr=False)
class TournamentResult(ResultMixin):
    """A round-robin tournament (see the module docstring for the definitions).

    Attributes
    ----------
    names : list of str
    scores : DataFrame (strategy x opponent)
        Mean payoff per turn (Axelrod's ``payoff_matrix``).
    payoff_stddevs : DataFrame
        Standard deviation over repetitions of the payoff per turn.
    totals : DataFrame (strategy x repetition)
        Total payoff against all other strategies (Axelrod's ``scores``).
    normalised_scores : DataFrame (strategy x repetition)
    ranking : list of str
    cooperation : DataFrame (strategy x opponent)
        Share of turns in which the row strategy cooperated against the column.
    """

    names: list
    scores: pd.DataFrame
    payoff_stddevs: pd.DataFrame
    totals: pd.DataFrame
    normalised_scores: pd.DataFrame
    ranking: list
    cooperation: pd.DataFrame
    turns: int
    repetitions: int
    noise: float

    @property
    def payoff_matrix(self) -> np.ndarray:
        """``scores`` as an array: the strategy payoff matrix for evolutionary dynamics."""
        return self.scores.to_numpy()

    def _summary(self):
        return [("strategies", len(self.names)), ("turns", self.turns),
                ("repetitions", self.repetitions), ("noise", self.noise),
                ("ranking", self.ranking)]

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per (strategy, opponent) with payoff per turn and cooperation."""
        s = self.scores.stack()
        df = pd.DataFrame({"payoff_per_turn": s,
                           "payoff_sd": self.payoff_stddevs.stack(),
                           "cooperation": self.cooperation.stack()})
        df.index.names = ["strategy", "opponent"]
        return df.reset_index()


def tournament(strategies, turns: int = 200, repetitions: int = 10, noise=0.0, seed=0, *,
               game=None, progress: bool = False) -> TournamentResult:
    """Round robin with self-play, repetitions and noise; all matches run as one batch.

    Parameters
    ----------
    strategies : sequence of Strategy (at least 2)
    turns, repetitions : int >= 1
    noise : float or Noise
    seed : int, SeedSequence or Generator
    game : two-player NormalFormGame or None (Prisoner's Dilemma)

    Returns
    -------
    TournamentResult

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> res = rp.tournament([rp.TitForTat(), rp.AlwaysDefect(), rp.AlwaysCooperate()],
    ...                     turns=10, repetitions=1)
    >>> res.scores.round(2)  # doctest: +NORMALIZE_WHITESPACE
    opponent          Tit For Tat  Always Defect  Always Cooperate
    strategy
    Tit For Tat               3.0            0.9               3.0
    Always Defect             1.4            1.0               5.0
    Always Cooperate          3.0            0.0               3.0
    >>> res.ranking
    ['Always Defect', 'Tit For Tat', 'Always Cooperate']
    """
    if isinstance(strategies, Strategy) or not hasattr(strategies, "__len__"):
        raise InputError("must be a list of strategies", field="strategies", value=strategies)
    strategies = [_check_strategy(s, f"strategies[{i}]") for i, s in enumerate(strategies)]
    N = len(strategies)
    if N < 2:
        raise InputError("a tournament needs at least 2 strategies", field="strategies",
                         value=N)
    turns = _check_int(turns, "turns")
    repetitions = _check_int(repetitions, "repetitions")
    stage = _two_player_stage(game)
    nz = as_noise(noise)
    names = []
    for s in strategies:
        nm = str(s)
        k = 2
        while nm in names:
            nm = f"{s} #{k}"
            k += 1
        names.append(nm)
    ii, jj = np.triu_indices(N)
    P = ii.size
    deterministic = nz.silent and not any(s.stochastic for s in strategies)
    reps_played = 1 if deterministic else repetitions
    assign = np.tile(np.column_stack([ii, jj]), (reps_played, 1))
    inc = compliance_incentive(None, None, 2)
    res = run_engine(stage, strategies, assign, runs=P * reps_played, rounds=turns, noise=nz,
                     monitoring=None, transfers=None, continuation=None, seed=seed,
                     incentive=inc, progress=progress, stats=False)
    raw = res.scores.reshape(reps_played, P, 2)
    co = res.coop_counts.reshape(reps_played, P, 2) / turns
    if deterministic and repetitions > 1:
        raw = np.repeat(raw, repetitions, axis=0)
        co = np.repeat(co, repetitions, axis=0)
    tot = np.zeros((repetitions, N, N))      # total payoff of i against j, per repetition
    coop = np.zeros((repetitions, N, N))
    tot[:, ii, jj] = raw[:, :, 0]
    tot[:, jj, ii] = raw[:, :, 1]
    coop[:, ii, jj] = co[:, :, 0]
    coop[:, jj, ii] = co[:, :, 1]
    per = tot / turns
    diag = ii == jj
    per[:, ii[diag], ii[diag]] = (raw[:, diag] / turns).mean(axis=2)
    coop[:, ii[diag], ii[diag]] = co[:, diag].mean(axis=2)
    per_c = np.ascontiguousarray(per.transpose(1, 2, 0))   # reduce over repetitions last
    mean = per_c.mean(axis=-1)
    sd = per_c.std(axis=-1)
    off = ~np.eye(N, dtype=bool)
    totals = np.where(off, tot, 0.0).sum(axis=2).T          # (N, repetitions)
    normalised = totals / (turns * (N - 1))
    med = np.median(normalised, axis=1)
    ranking = [names[i] for i in sorted(range(N), key=lambda i: -med[i])]
    idx = pd.Index(names, name="strategy")
    cols = pd.Index(names, name="opponent")
    reps = pd.RangeIndex(repetitions, name="repetition")
    return TournamentResult(
        names, pd.DataFrame(mean, idx, cols), pd.DataFrame(sd, idx, cols),
        pd.DataFrame(totals, idx, reps), pd.DataFrame(normalised, idx, reps), ranking,
        pd.DataFrame(coop.mean(axis=0), idx, cols), turns, repetitions, nz.execution)
