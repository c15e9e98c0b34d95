"""Finite n-player games in normal (strategic) form.

A game with players ``i = 0..n-1`` where player ``i`` has ``k_i`` actions is
stored as one payoff tensor ``U`` of shape ``(n, k_1, ..., k_n)``:
``U[i][a]`` is the payoff of player ``i`` at the pure profile ``a``.
Welfare is the utilitarian sum ``W(a) = sum_i U[i][a]``.

References
----------
Osborne, M. J. and Rubinstein, A. (1994). *A Course in Game Theory*, ch. 2.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import GameError, ScenarioError

__all__ = ["NormalFormGame", "GAME_MAX_PROFILES"]

#: the largest payoff tensor built from a scenario (profiles = levels ** jurisdictions;
#: 2**22 profiles of n players take 32 n MB)
GAME_MAX_PROFILES = 2 ** 22
#: profile cells (profiles x players) evaluated per batch when a scenario's tensor is built
_BATCH_CELLS = 1 << 20


def _labels(given: Sequence[str] | None, count: int, prefix: str, what: str) -> tuple[str, ...]:
    if given is None:
        return tuple(f"{prefix}{k}" for k in range(count))
    labels = tuple(str(x) for x in given)
    if len(labels) != count:
        raise GameError(f"needs {count} labels, got {len(labels)}", field=what, value=list(labels))
    if len(set(labels)) != len(labels):
        dup = sorted({x for x in labels if labels.count(x) > 1})
        raise GameError(f"labels must be unique; repeated: {dup}", field=what, value=list(labels))
    return labels


@dataclass(frozen=True, eq=False)
class NormalFormGame:
    """An n-player normal-form game with labelled players and actions.

    Build it with :meth:`from_arrays`, :meth:`from_bimatrix` or
    ``Scenario.to_game()``; the payoff array is read-only.

    Parameters
    ----------
    payoffs : ndarray, shape (n, k_1, ..., k_n)
        ``payoffs[i][a]`` = payoff of player ``i`` at profile ``a``.
    players : tuple of str
    actions : tuple of tuple of str
        ``actions[i]`` labels the actions of player ``i`` in order.
    name : str
    unit : str
        The money unit of the payoffs ("" when abstract).

    Examples
    --------
    >>> import cooperation as co
    >>> pd = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                       actions=[["C", "D"], ["C", "D"]])
    >>> pd.n_players, pd.shape
    (2, (2, 2))
    >>> float(pd.welfare((0, 0)))
    6.0
    """

    payoffs: np.ndarray
    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    name: str = ""
    unit: str = ""
    metadata: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        U = np.array(self.payoffs, dtype=float)  # copy: the caller's array stays theirs
        if U.ndim < 2:
            raise GameError("must have shape (n, k_1, ..., k_n) with n >= 1",
                            field="payoffs", value=f"array of shape {U.shape}")
        n = U.shape[0]
        if U.ndim != n + 1:
            raise GameError(f"a game of {n} players needs a payoff array with {n + 1} axes "
                            f"(n, k_1, ..., k_n), got {U.ndim}",
                            field="payoffs", value=f"shape {U.shape}")
        if any(k < 1 for k in U.shape[1:]):
            raise GameError("every player needs at least one action",
                            field="payoffs", value=f"shape {U.shape}")
        if not np.all(np.isfinite(U)):
            bad = tuple(int(x) for x in np.argwhere(~np.isfinite(U))[0])
            raise GameError("payoffs must be finite numbers (no NaN or inf)",
                            field=f"payoffs{list(bad)}", value=float(U[bad]))
        U.setflags(write=False)
        object.__setattr__(self, "payoffs", U)
        object.__setattr__(self, "players", _labels(self.players, n, "P", "players"))
        acts = self.actions
        if acts is None:
            acts = [None] * n
        if len(acts) != n:
            raise GameError(f"needs one action list per player ({n}), got {len(acts)}",
                            field="actions", value=acts)
        object.__setattr__(self, "actions", tuple(
            _labels(a, U.shape[i + 1], "a", f"actions[{i}]") for i, a in enumerate(acts)))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_arrays(cls, payoffs, players: Sequence[str] | None = None,
                    actions: Sequence[Sequence[str]] | None = None, *, name: str = "",
                    unit: str = "") -> NormalFormGame:
        """Game from a payoff array of shape ``(n, k_1, ..., k_n)``.

        ``payoffs[i][a]`` is the payoff of player ``i`` at profile ``a``.
        Default labels are ``P0, P1, ...`` and ``a0, a1, ...``.
        """
        return cls(np.asarray(payoffs, dtype=float), players, actions, name=name, unit=unit)

    @classmethod
    def from_scenario(cls, scenario, max_profiles: int = GAME_MAX_PROFILES) -> NormalFormGame:
        """The game of a scenario: payoff tensor ``U[i, a_1, ..., a_n]``.

        Built by evaluating ``scenario.payoffs`` on every profile at once (numpy,
        no Python loop over profiles). Refuses games with more than
        ``max_profiles`` profiles: use ``scenario.payoffs(profiles)`` and
        ``scenario.deviation_payoffs(profile)`` there, which need no tensor.

        Examples
        --------
        >>> import cooperation as co
        >>> s = co.load_scenario("data/xinan/scenario.toml")
        >>> g = co.NormalFormGame.from_scenario(s)
        >>> g.players, g.shape
        (('Anhui', 'Zhejiang'), (2, 2))
        """
        n, K = scenario.n_players, scenario.n_levels
        total = K ** n
        if total > max_profiles:
            size = f"{total:.3g}" if n * math.log10(K) < 300 else f"10^{n * math.log10(K):.0f}"
            raise ScenarioError(
                f"the payoff tensor would have {K}^{n} = {size} profiles, more than "
                f"max_profiles = {max_profiles}", field="jurisdictions", value=n,
                fix="co.analyze, co.compare_rules and co.design_compensation work on large "
                    "scenarios without a tensor (docs/scale.md); in Python also "
                    "scenario.payoffs(profiles) / deviation_payoffs(profile), or raise "
                    "max_profiles")
        # profiles evaluated in batches (C order: the last player's level fastest), so the
        # only large array is the tensor itself, not the evaluation's (profiles, hazards)
        # intermediates (22 binary players needed more than 6 GB at once)
        U = np.empty((n, total))
        place = K ** np.arange(n - 1, -1, -1, dtype=np.int64)
        step = max(1, _BATCH_CELLS // max(n, 1))
        for s0 in range(0, total, step):
            idx = np.arange(s0, min(total, s0 + step), dtype=np.int64)
            U[:, s0:s0 + idx.size] = scenario.payoffs((idx[:, None] // place) % K).T
        U = U.reshape((n,) + (K,) * n)
        names = scenario.action_names
        return cls.from_arrays(U, players=scenario.players, actions=[names] * n,
                               name=scenario.name, unit=scenario.unit)

    @classmethod
    def from_bimatrix(cls, A, B, players: Sequence[str] | None = None,
                      actions: Sequence[Sequence[str]] | None = None, *, name: str = "",
                      unit: str = "") -> NormalFormGame:
        """Two-player game from the row player's matrix ``A`` and the column player's ``B``."""
        A = np.asarray(A, dtype=float)
        B = np.asarray(B, dtype=float)
        if A.ndim != 2:
            raise GameError("must be a 2-D matrix (rows: row player's actions)",
                            field="A", value=f"shape {A.shape}")
        if B.shape != A.shape:
            raise GameError(f"must have the shape of A {A.shape}", field="B",
                            value=f"shape {B.shape}")
        return cls(np.stack([A, B]), players, actions, name=name, unit=unit)

    # ------------------------------------------------------------------ properties
    @property
    def n_players(self) -> int:
        return self.payoffs.shape[0]

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player."""
        return tuple(self.payoffs.shape[1:])

    @property
    def n_profiles(self) -> int:
        return int(np.prod(self.shape))

    def player_index(self, player: str | int) -> int:
        """Index of a player given by label or index."""
        if isinstance(player, (int, np.integer)):
            if not 0 <= int(player) < self.n_players:
                raise GameError(f"must be in 0..{self.n_players - 1}", field="player",
                                value=int(player))
            return int(player)
        try:
            return self.players.index(str(player))
        except ValueError:
            raise GameError(f"unknown player; players are {list(self.players)}",
                            field="player", value=player) from None

    def check_profile(self, profile) -> tuple[int, ...]:
        """Validate a pure profile given as indices or action labels; return indices."""
        prof = tuple(profile)
        if len(prof) != self.n_players:
            raise GameError(f"needs one action per player ({self.n_players})",
                            field="profile", value=prof)
        out = []
        for i, a in enumerate(prof):
            if isinstance(a, str):
                if a not in self.actions[i]:
                    raise GameError(f"unknown action of {self.players[i]}; actions are "
                                    f"{list(self.actions[i])}", field=f"profile[{i}]", value=a)
                out.append(self.actions[i].index(a))
            else:
                k = int(a)
                if k != a or not 0 <= k < self.shape[i]:
                    raise GameError(f"action index of {self.players[i]} must be an integer "
                                    f"in 0..{self.shape[i] - 1}", field=f"profile[{i}]", value=a)
                out.append(k)
        return tuple(out)

    def payoff(self, profile) -> np.ndarray:
        """Payoff vector (one entry per player) at a pure profile."""
        prof = self.check_profile(profile)
        return self.payoffs[(slice(None),) + prof].copy()

    def welfare(self, profile=None):
        """Sum of payoffs ``W(a) = sum_i u_i(a)``; the whole welfare tensor when ``profile`` is None."""
        if profile is None:
            return self.payoffs.sum(axis=0)
        return float(self.payoff(profile).sum())

    def profile_labels(self, profile) -> tuple[str, ...]:
        prof = self.check_profile(profile)
        return tuple(self.actions[i][a] for i, a in enumerate(prof))

    def bimatrix(self) -> tuple[np.ndarray, np.ndarray]:
        """``(A, B)`` for a two-player game."""
        if self.n_players != 2:
            raise GameError("bimatrix form needs exactly 2 players", field="n_players",
                            value=self.n_players)
        return self.payoffs[0].copy(), self.payoffs[1].copy()

    def to_nashpy(self):
        """The same game as a ``nashpy.Game`` (two players only)."""
        import nashpy

        A, B = self.bimatrix()
        return nashpy.Game(A, B)

    def expected_payoffs(self, strategies: Sequence[np.ndarray]) -> np.ndarray:
        """Expected payoff of each player under independent mixed strategies."""
        if len(strategies) != self.n_players:
            raise GameError(f"needs one mixed strategy per player ({self.n_players})",
                            field="strategies", value=len(strategies))
        out = self.payoffs
        for i in reversed(range(self.n_players)):
            out = out @ np.asarray(strategies[i], dtype=float)
        return np.asarray(out, dtype=float)

    def deviation_payoffs(self, strategies: Sequence[np.ndarray]) -> list[np.ndarray]:
        """``out[i][k]``: expected payoff of player ``i`` playing pure action ``k``
        while the others play ``strategies``."""
        res = []
        for i in range(self.n_players):
            T = self.payoffs[i]
            # contract the highest axes first so that lower axis numbers stay put
            for j in reversed(range(self.n_players)):
                if j != i:
                    T = np.tensordot(T, np.asarray(strategies[j], float), axes=([j], [0]))
            res.append(np.asarray(T, dtype=float).reshape(-1))
        return res

    def regret(self, strategies: Sequence[np.ndarray]) -> np.ndarray:
        """Per player: best pure deviation payoff minus the payoff of ``strategies``.

        A strategy profile is a Nash equilibrium iff every regret is <= 0
        (numerically: <= a small tolerance)."""
        dev = self.deviation_payoffs(strategies)
        return np.array([dev[i].max() - float(dev[i] @ np.asarray(strategies[i], float))
                         for i in range(self.n_players)])

    # ------------------------------------------------------------------ display
    def to_frame(self):
        """Tidy table: one row per pure profile, action label columns and a payoff column per player."""
        import pandas as pd

        idx = np.indices(self.shape).reshape(self.n_players, -1).T
        data = {f"action[{p}]": [self.actions[i][a] for a in idx[:, i]]
                for i, p in enumerate(self.players)}
        flat = self.payoffs.reshape(self.n_players, -1)
        for i, p in enumerate(self.players):
            data[f"payoff[{p}]"] = flat[i]
        data["welfare"] = flat.sum(axis=0)
        return pd.DataFrame(data)

    def __repr__(self) -> str:
        size = "x".join(str(k) for k in self.shape)
        head = f"NormalFormGame({self.name!r}, " if self.name else "NormalFormGame("
        unit = f", unit={self.unit!r}" if self.unit else ""
        return f"{head}players={list(self.players)}, actions {size}{unit})"

    def _repr_html_(self) -> str:
        if self.n_profiles > 64:
            return f"<pre>{self!r}</pre>"
        return f"<p>{self!r}</p>" + self.to_frame()._repr_html_()
