"""The stage game of repeated play, reduced to cooperate / defect per player.

Repeated-play strategies choose, every round, between two actions of their
jurisdiction:

* **C**, the cooperative action: the action labelled ``"C"`` or
  ``"cooperate"`` (case-insensitive; also ``"cooperation"``, ``"协同"``), or the
  scenario's :attr:`~cooperation.Scenario.cooperative_level`, or one given
  with ``cooperative=``;
* **D**, the defection: by default (``defect="best"``) the player's best
  unilateral deviation from all-cooperate, ``argmax_{k != c_i} u_i(k, c_{-i})``
  (lowest index on ties), which is what a jurisdiction tempted to free-ride
  would do; ``defect="lowest"`` takes level 0 (属地, going it alone) instead,
  or the level given by label.

Payoffs of the ``2**n`` C/D profiles are tabulated once when ``n <= 16``
(from the payoff tensor or from ``Scenario.payoffs`` without a tensor);
beyond that they are evaluated with ``Scenario.payoffs`` for the batch of
profiles of each round. Per player the four reference payoffs are::

    R_i = u_i(all C)          T_i = u_i(D_i, C_-i)
    S_i = u_i(C_i, D_-i)      P_i = u_i(all D)

and ``T_i - R_i`` is the one-shot gain from defection (the temptation).

References
----------
Rapoport, A. and Chammah, A. M. (1965). *Prisoner's Dilemma*. U. Michigan Press.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..errors import GameError, InputError
from ..games.normal_form import NormalFormGame

__all__ = ["BinaryStage", "as_stage", "prisoners_dilemma", "public_goods_game",
           "COOPERATIVE_LABELS"]

COOPERATIVE_LABELS = ("c", "cooperate", "cooperation", "协同")
TABLE_MAX_PLAYERS = 16


def prisoners_dilemma(R: float = 3.0, S: float = 0.0, T: float = 5.0, P: float = 1.0
                      ) -> NormalFormGame:
    """The Prisoner's Dilemma with actions ``C, D`` (default R=3, S=0, T=5, P=1, Axelrod's).

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> rp.prisoners_dilemma().payoffs[0].tolist()
    [[3.0, 0.0], [5.0, 1.0]]
    """
    A = np.array([[R, S], [T, P]], dtype=float)
    return NormalFormGame.from_bimatrix(A, A.T, actions=[["C", "D"], ["C", "D"]],
                                        name="Prisoner's Dilemma")


@dataclass(frozen=True, eq=False)
class BinaryStage:
    """The C/D reduction of a stage game (see the module docstring)."""

    players: tuple[str, ...]
    coop: np.ndarray            # (n,) action index of C
    defect: np.ndarray          # (n,) action index of D
    action_labels: tuple        # (n,) pairs (C label, D label)
    unit: str
    game: NormalFormGame | None = None
    scenario: object | None = None
    table: np.ndarray | None = field(default=None, repr=False)   # (2**n, n); bit j = j cooperates
    notes: tuple = ()

    @property
    def n(self) -> int:
        return len(self.players)

    # ---------------------------------------------------------------- payoffs
    def profile_actions(self, coop: np.ndarray) -> np.ndarray:
        """Action indices ``(m, n)`` of C/D profiles ``coop`` (bool ``(m, n)``)."""
        return np.where(coop, self.coop, self.defect)

    def payoffs(self, coop: np.ndarray) -> np.ndarray:
        """Stage payoffs ``(m, n)`` of a batch of C/D profiles (bool ``(m, n)``)."""
        coop = np.asarray(coop, dtype=bool)
        if self.table is not None:
            return self.table[profile_index(coop)]
        if self.scenario is not None:
            if coop.shape[0] > 1:
                # runs that play the same profile (deterministic strategies without noise:
                # all of them) are evaluated once; each row's payoffs do not depend on the
                # other rows, so the numbers are the same
                packed = np.packbits(coop, axis=1)
                uniq, first, inv = np.unique(packed, axis=0, return_index=True,
                                             return_inverse=True)
                if len(uniq) < coop.shape[0]:
                    pay = self.scenario.payoffs(self.profile_actions(coop[first]))
                    return pay[inv.ravel()]
            return self.scenario.payoffs(self.profile_actions(coop))
        acts = self.profile_actions(coop)
        U = self.game.payoffs
        flat = np.ravel_multi_index(tuple(acts.T), U.shape[1:])
        return U.reshape(self.n, -1)[:, flat].T

    def _reference_profiles(self) -> np.ndarray:
        n = self.n
        eye = np.eye(n, dtype=bool)
        return np.vstack([np.ones((1, n), bool), np.zeros((1, n), bool), ~eye, eye])

    def rstp(self) -> np.ndarray:
        """``(n, 4)`` array of ``R_i, S_i, T_i, P_i`` (see the module docstring)."""
        return self._rstp.copy()

    @cached_property
    def _rstp(self) -> np.ndarray:
        n = self.n
        if self.table is None and self.scenario is not None:
            # large scenario: T and S from the unilateral deviations at all-C and all-D
            # (O(nnz) each); the 2n + 2 reference profiles as one batch would allocate
            # (2n, hazards) arrays, quadratic in n (4.6 GB at 5,000 jurisdictions)
            ar = np.arange(n)
            R = self.payoffs(np.ones((1, n), bool))[0]
            P = self.payoffs(np.zeros((1, n), bool))[0]
            T = self.scenario.deviation_payoffs(self.coop[None, :])[ar, self.defect]
            S = self.scenario.deviation_payoffs(self.defect[None, :])[ar, self.coop]
            return np.column_stack([R, S, T, P])
        pay = self.payoffs(self._reference_profiles())
        R, P = pay[0], pay[1]
        T = pay[2:2 + n][np.arange(n), np.arange(n)]
        S = pay[2 + n:][np.arange(n), np.arange(n)]
        return np.column_stack([R, S, T, P])

    def temptation(self) -> np.ndarray:
        """``T_i - R_i``: each player's one-shot gain from defecting when all cooperate."""
        r = self.rstp()
        return r[:, 2] - r[:, 0]

    def gain_table(self) -> np.ndarray | None:
        """``(2**n, n)``: ``u_i(D_i, a_-i) - u_i(C_i, a_-i)`` at each profile ``a`` (table mode)."""
        if self.table is None:
            return None
        n = self.n
        idx = np.arange(2 ** n)[:, None]
        bit = (1 << np.arange(n))[None, :]
        cols = np.arange(n)[None, :]
        return self.table[idx & ~bit, cols] - self.table[idx | bit, cols]

    def max_gain(self) -> np.ndarray:
        """Each player's largest one-shot gain from defecting over all C/D profiles
        (the temptation when the profiles are not tabulated)."""
        g = self.gain_table()
        return self.temptation() if g is None else g.max(axis=0)

    def welfare_reference(self) -> tuple[float, float, str]:
        """``(W_opt, W_all_defect, note)``: best welfare over C/D profiles and all-defect welfare."""
        n = self.n
        alld = float(self.payoffs(np.zeros((1, n), bool)).sum())
        if self.table is not None:
            return float(self.table.sum(axis=1).max()), alld, ""
        allc = float(self.payoffs(np.ones((1, n), bool)).sum())
        return max(allc, alld), alld, (f"the optimum over C/D profiles is not enumerated for "
                                       f"n = {n} > {TABLE_MAX_PLAYERS}: all-cooperate used")


_POW2 = (1 << np.arange(TABLE_MAX_PLAYERS)).astype(np.int32)


def profile_index(coop: np.ndarray) -> np.ndarray:
    """Integer index ``sum_j coop[:, j] << j`` of each row of a bool ``(m, n)`` array, n <= 16."""
    return coop.view(np.uint8) @ _POW2[:coop.shape[1]]


def _find_coop(labels: tuple[str, ...]) -> int | None:
    low = [a.lower() for a in labels]
    for name in COOPERATIVE_LABELS:
        if name in low:
            return low.index(name)
    return None


def _per_player(value, n: int, name: str, labels: list[tuple[str, ...]]) -> list[int]:
    """Resolve a label/index, or one per player, to action indices."""
    vals = list(value) if isinstance(value, (list, tuple, np.ndarray)) else [value] * n
    if len(vals) != n:
        raise InputError(f"needs one entry per player ({n})", field=name, value=value)
    out = []
    for i, v in enumerate(vals):
        if isinstance(v, str):
            if v not in labels[i]:
                raise InputError(f"unknown action; actions are {list(labels[i])}",
                                 field=f"{name}[{i}]", value=v)
            out.append(labels[i].index(v))
        else:
            k = int(v)
            if k != v or not 0 <= k < len(labels[i]):
                raise InputError(f"must be an action index in 0..{len(labels[i]) - 1}",
                                 field=f"{name}[{i}]", value=v)
            out.append(k)
    return out


def as_stage(stage_game=None, *, cooperative=None, defect="best") -> BinaryStage:
    """Reduce a NormalFormGame, a Scenario (or None: the Prisoner's Dilemma) to C/D.

    Parameters
    ----------
    stage_game : NormalFormGame, Scenario or None
    cooperative : label, index or one per player, optional
        The cooperative action; default: the action labelled ``C`` /
        ``cooperate``, or the scenario's cooperative level.
    defect : "best", "lowest", or a label/index (or one per player)
        The defection (see the module docstring).
    """
    if isinstance(stage_game, BinaryStage):
        return stage_game
    if stage_game is None:
        stage_game = prisoners_dilemma()
    scenario, game, players, labels, unit, coop = _cooperative_side(stage_game, cooperative)
    n = len(players)
    if n < 2:
        raise InputError("repeated play needs at least 2 players", field="stage_game",
                         value=n)
    for i in range(n):
        if len(labels[i]) < 2:
            raise GameError("needs at least two actions (cooperate and defect)",
                            field=f"actions[{players[i]}]", value=labels[i])
    coop = np.asarray(coop, dtype=np.intp)

    # payoff evaluator for arbitrary action profiles (before D is known)
    def pay_actions(acts: np.ndarray) -> np.ndarray:
        if scenario is not None:
            return scenario.payoffs(acts)
        U = game.payoffs
        flat = np.ravel_multi_index(tuple(acts.T), U.shape[1:])
        return U.reshape(n, -1)[:, flat].T

    notes = []
    dfc = _defections(defect, coop, scenario, game, players, labels)
    table = None
    if n <= TABLE_MAX_PLAYERS:
        bits = ((np.arange(2 ** n)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
        table = np.ascontiguousarray(pay_actions(np.where(bits, coop, dfc)), dtype=float)
        table.setflags(write=False)
    pairs = tuple((labels[i][coop[i]], labels[i][dfc[i]]) for i in range(n))
    coop.setflags(write=False)
    dfc.setflags(write=False)
    return BinaryStage(tuple(players), coop, dfc, pairs, unit, game, scenario, table,
                       tuple(notes))


def _cooperative_side(stage_game, cooperative):
    """``(scenario, game, players, action labels, unit, cooperative action per player)``
    of a Scenario or a NormalFormGame (the other of scenario/game is None)."""
    from ..scenario.model import Scenario

    if isinstance(stage_game, Scenario):
        scenario = stage_game
        n = scenario.n_players
        labels = [scenario.action_names] * n
        if cooperative is None:
            coop = [scenario.cooperative_level] * n
        else:
            coop = _per_player(cooperative, n, "cooperative", labels)
        return scenario, None, scenario.players, labels, scenario.unit, coop
    if not isinstance(stage_game, NormalFormGame):
        raise InputError("must be a NormalFormGame, a Scenario or None (the Prisoner's "
                         "Dilemma)", field="stage_game", value=type(stage_game).__name__)
    game = stage_game
    n = game.n_players
    labels = list(game.actions)
    players = game.players
    if cooperative is not None:
        return None, game, players, labels, game.unit, _per_player(cooperative, n,
                                                                   "cooperative", labels)
    coop = []
    for i in range(n):
        k = _find_coop(labels[i])
        if k is None:
            raise GameError(
                "has no cooperative action (labelled 'C' or 'cooperate'); actions are "
                f"{list(labels[i])}", field=f"actions[{players[i]}]", value=labels[i],
                fix="pass cooperative=<label or index>")
        coop.append(k)
    return None, game, players, labels, game.unit, coop


def _defections(defect, coop, scenario, game, players, labels) -> np.ndarray:
    """Each player's defection: its best unilateral deviation from all-cooperate
    (``"best"``), level 0 (``"lowest"``) or as given."""
    n = len(players)
    if not (isinstance(defect, str) and defect in ("best", "lowest")):
        dfc = np.asarray(_per_player(defect, n, "defect", labels), dtype=np.intp)
        if np.any(dfc == coop):
            i = int(np.flatnonzero(dfc == coop)[0])
            raise InputError("the defection must differ from the cooperative action",
                             field=f"defect[{i}]", value=labels[i][dfc[i]])
        return dfc
    if defect == "lowest":
        if np.any(coop == 0):
            bad = [players[i] for i in np.flatnonzero(coop == 0)]
            raise InputError("the lowest level is the cooperative level of "
                             f"{bad}; there is nothing lower to defect to",
                             field="defect", value=defect, fix='use defect="best"')
        return np.zeros(n, dtype=np.intp)
    if scenario is not None:
        dev = scenario.deviation_payoffs(coop[None, :])
    else:
        dev = np.full((n, max(len(a) for a in labels)), -np.inf)
        for i in range(n):   # n <= ~20 here: the tensor exists
            idx = list(coop)
            idx[i] = slice(None)
            dev[i, :len(labels[i])] = game.payoffs[(i,) + tuple(idx)]
    dev = np.array(dev, dtype=float)
    dev[np.arange(n), coop] = -np.inf
    return np.argmax(dev, axis=1).astype(np.intp)


def public_goods_game(n: int = 4, multiplier: float = 2.0, cost: float = 1.0
                      ) -> NormalFormGame:
    """The linear n-player public goods game (a volunteer's/collective-action dilemma).

    Each cooperator pays ``cost``; contributions are multiplied by
    ``multiplier`` and shared equally::

        u_i(a) = multiplier * cost * (number of cooperators) / n - cost * [a_i = C]

    With ``1 < multiplier < n`` defection dominates while all-cooperate is
    efficient: the n-player Prisoner's Dilemma of free riding (搭便车).

    References
    ----------
    Olson, M. (1965). *The Logic of Collective Action*. Harvard UP.
    Ledyard, J. O. (1995). Public goods: a survey of experimental research.
    In *The Handbook of Experimental Economics*, Princeton UP.

    Examples
    --------
    >>> from cooperation import repeated as rp
    >>> g = rp.public_goods_game(3, multiplier=2.0)
    >>> g.payoff(("C", "C", "D")).round(4).tolist()
    [0.3333, 0.3333, 1.3333]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= 16:
        raise InputError("must be an integer in 2..16 (the payoff tensor has 2**n cells)",
                         field="n", value=n)
    # tensor axis order: action 0 = C, 1 = D for every player
    grid = np.indices((2,) * n).reshape(n, -1).T                        # action indices
    coop = (grid == 0)
    k = coop.sum(1, keepdims=True)
    pay = multiplier * cost * k / n - cost * coop
    U = pay.T.reshape((n,) + (2,) * n)
    return NormalFormGame.from_arrays(U, actions=[["C", "D"]] * n,
                                      name=f"public goods (n={n}, r={multiplier:g})")
