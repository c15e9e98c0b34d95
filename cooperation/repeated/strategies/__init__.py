"""Strategies of repeated play, vectorised over runs and players.

A strategy is a small immutable object. It never holds the state of a run:
the engine asks it for one of two vectorised forms and keeps the state in
arrays, one entry per (run, player) slot.

* **Finite-state strategies** (every classic strategy) describe a Moore
  machine (Rubinstein 1986): states ``s``, a cooperation probability
  ``out[s]`` (0 or 1 when deterministic), a start state, and a transition
  ``next[s, own, ok]`` on the player's own last *actual* action and on
  ``ok``, whether the others were seen to cooperate last round. With two
  players ``ok`` is the opponent's last action; with ``n`` players it is
  ``count >= k``, at least ``k`` of the ``n - 1`` others seen cooperating
  (default ``k = n - 1``: all of them, so that the n-player form of
  Tit For Tat reduces to Tit For Tat for two players). The engine plays all
  finite-state strategies of a simulation at once, with one table lookup per
  round.
* **Array strategies** (trust, alliances, the opportunist, your own)
  implement ``initial_state(ctx)`` and ``act(state, obs) -> bool array``;
  the engine calls them once per round for all their slots.

Each strategy declares what the engine needs in :attr:`Strategy.classifier`
(Axelrod's classifier convention): memory depth, whether it is stochastic,
whether its machine depends on the seat, whether it needs per-partner
observations or the one-shot gain, whether it reads the monitoring regime.

The strategies live in one module per family: :mod:`.base` (the interface),
:mod:`.classic` (reactive strategies of the two-player literature),
:mod:`.memory_one`, :mod:`.threshold` (n-player reciprocity), :mod:`.trust`
(trust scores and alliances), :mod:`.opportunist`, and :mod:`.names`.

Every strategy starts with its first move in round 0 and then reacts to the
*actual* (noisy) actions, as in Axelrod's library.

References
----------
Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
Nowak, M. and Sigmund, K. (1992). Tit for tat in heterogeneous populations.
*Nature* 355, 250-253 (generous tit for tat).
Nowak, M. and Sigmund, K. (1993). A strategy of win-stay, lose-shift that
outperforms tit-for-tat in the Prisoner's Dilemma game. *Nature* 364, 56-58.
Rubinstein, A. (1986). Finite automata play the repeated prisoner's dilemma.
*Journal of Economic Theory* 39, 83-96.
Boyd, R. and Richerson, P. J. (1988). The evolution of reciprocity in sizable
groups. *Journal of Theoretical Biology* 132, 337-356 (n-player threshold
reciprocity).
Knight, V. et al. (2016). An open framework for the reproducible study of
the iterated prisoner's dilemma. *Journal of Open Research Software* 4(1).
Xu et al. (seed paper 004): trust mechanisms of cross-domain risk
governance (promises kept, trust alliances).
"""

from .base import FSM, FiniteStateStrategy, Observation, SlotContext, Strategy
from .base import resolve_k as resolve_k  # importable here as before
from .classic import (
    Alternator,
    AlwaysCooperate,
    AlwaysDefect,
    Cycler,
    GrimTrigger,
    SuspiciousTitForTat,
    TitForTat,
    TitForTwoTats,
    TwoTitsForTat,
    WinStayLoseShift,
)
from .memory_one import GenerousTitForTat, MemoryOne, Random
from .names import STRATEGY_NAMES, strategy_from_name
from .opportunist import Opportunist
from .threshold import ThresholdReciprocity
from .trust import TrustAlliance, TrustThreshold

__all__ = [
    "Strategy", "FiniteStateStrategy", "FSM", "Observation", "SlotContext",
    "AlwaysCooperate", "AlwaysDefect", "TitForTat", "SuspiciousTitForTat", "TitForTwoTats",
    "TwoTitsForTat", "GrimTrigger", "WinStayLoseShift", "GenerousTitForTat", "MemoryOne",
    "Alternator", "Cycler", "Random", "ThresholdReciprocity", "TrustThreshold",
    "TrustAlliance", "Opportunist", "strategy_from_name", "STRATEGY_NAMES",
]
