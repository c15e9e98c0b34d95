"""The one adapter between "a game or a scenario" and what an analysis needs.

* :func:`as_game`: a :class:`~cooperation.NormalFormGame` as it is, a scenario
  (anything with ``to_game()``) turned into its payoff tensor;
* :class:`PayoffModel`: lazy access for analyses that must also work on
  scenarios too large for a tensor (payoffs at a few profiles, unilateral
  deviations), with the input checks of profiles and per-player vectors.

This layer sits below ``scenario``: a scenario is recognised by what it
offers (``payoffs``, ``deviation_payoffs``, ``to_game``), not by import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import GameError, InputError
from ..errors import preview_names as _preview
from .normal_form import NormalFormGame

__all__ = ["PayoffModel", "as_game", "TENSOR_MAX_PROFILES"]

TENSOR_MAX_PROFILES = 2 ** 16


def _is_scenario(obj) -> bool:
    return all(callable(getattr(obj, a, None)) for a in ("payoffs", "deviation_payoffs",
                                                           "to_game"))


def as_game(game) -> NormalFormGame:
    """Accept a NormalFormGame or anything with ``to_game()`` (a Scenario)."""
    if isinstance(game, NormalFormGame):
        return game
    to_game = getattr(game, "to_game", None)
    if callable(to_game):
        return to_game()
    raise GameError("must be a NormalFormGame or a Scenario", field="game",
                    value=type(game).__name__)


class PayoffModel:
    """Uniform, lazy access to the payoffs of a game or a scenario.

    A :class:`~cooperation.NormalFormGame` (or a payoff array) is used as it is.
    A scenario gets its payoff tensor only when it has at most
    ``tensor_max_profiles`` profiles (``small``); otherwise payoffs and
    unilateral deviations are evaluated on demand (``scenario.payoffs``,
    ``scenario.deviation_payoffs``), never as a tensor.
    """

    def __init__(self, obj, tensor_max_profiles: int = TENSOR_MAX_PROFILES):
        self.scenario = None
        self.game = None
        if _is_scenario(obj):
            self.scenario = obj
            self.players = tuple(obj.players)
            self.shape = (obj.n_levels,) * obj.n_players
            self.actions = tuple(tuple(obj.action_names) for _ in self.players)
            self.unit = obj.unit
            self.name = obj.name
            if obj.n_levels ** obj.n_players <= tensor_max_profiles:
                self.game = obj.to_game(max_profiles=tensor_max_profiles)
        elif isinstance(obj, NormalFormGame):
            self.game = obj
        elif isinstance(obj, np.ndarray | list | tuple):
            self.game = NormalFormGame.from_arrays(np.asarray(obj, dtype=float))
        else:
            raise InputError("must be a NormalFormGame, a Scenario or a payoff array",
                             field="game", value=type(obj).__name__)
        if self.scenario is None:
            g = self.game
            self.players = g.players
            self.shape = g.shape
            self.actions = g.actions
            self.unit = g.unit
            self.name = g.name
        self.n = len(self.players)

    @property
    def small(self) -> bool:
        return self.game is not None

    def payoffs(self, profiles) -> np.ndarray:
        P = np.atleast_2d(np.asarray(profiles, dtype=np.intp))
        if self.game is not None:
            return np.asarray(self.game.payoffs[(slice(None),) + tuple(P.T)].T, dtype=float)
        return self.scenario.payoffs(P)

    def deviations(self, profile) -> np.ndarray:
        """``out[i, k] = u_i(k, a_{-i})``, ``-inf`` where player ``i`` has fewer actions."""
        a = np.asarray(profile, dtype=np.intp)
        if self.game is None:
            return self.scenario.deviation_payoffs(a)
        U = self.game.payoffs
        kmax = max(self.shape)
        out = np.full((self.n, kmax), -np.inf)
        for i in range(self.n):
            idx = list(a)
            idx[i] = slice(None)
            out[i, :self.shape[i]] = U[(i,) + tuple(idx)]
        return out

    def label(self, profile) -> tuple[str, ...]:
        return tuple(self.actions[i][int(k)] for i, k in enumerate(profile))

    # ------------------------------------------------------------------ input checking
    def check_profile(self, profile, field: str) -> np.ndarray:
        """A profile given as indices, labels, a mapping player -> action, or a single
        action label applied to everyone."""
        if isinstance(profile, str):
            hits = [i for i in range(self.n) if profile not in self.actions[i]]
            if hits:
                raise GameError(f"unknown action for {self.players[hits[0]]}; actions are "
                                f"{list(self.actions[hits[0]])}", field=field, value=profile)
            return np.array([self.actions[i].index(profile) for i in range(self.n)],
                            dtype=np.intp)
        if isinstance(profile, Mapping):
            unknown = [p for p in profile if p not in self.players]
            if unknown:
                raise InputError(f"unknown jurisdiction; known: {_preview(self.players)}",
                                 field=field, value=unknown[0])
            missing = [p for p in self.players if p not in profile]
            if missing:
                raise InputError("needs an action for every jurisdiction", field=field,
                                 value=f"missing {missing[:5]}")
            profile = [profile[p] for p in self.players]
        if isinstance(profile, pd.Series):
            profile = profile.reindex(self.players).tolist()
        prof = list(np.asarray(profile, dtype=object).ravel()) if not isinstance(
            profile, Sequence) else list(profile)
        if len(prof) != self.n:
            raise GameError(f"needs one action per jurisdiction ({self.n})", field=field,
                            value=f"length {len(prof)}")
        out = np.empty(self.n, dtype=np.intp)
        for i, x in enumerate(prof):
            if isinstance(x, str):
                if x not in self.actions[i]:
                    raise GameError(f"unknown action of {self.players[i]}; actions are "
                                    f"{list(self.actions[i])}", field=f"{field}[{i}]", value=x)
                out[i] = self.actions[i].index(x)
            else:
                try:
                    k = int(x)
                    ok = k == x
                except (TypeError, ValueError):
                    ok = False
                if not ok or not 0 <= k < self.shape[i]:
                    raise GameError(f"action of {self.players[i]} must be an integer in "
                                    f"0..{self.shape[i] - 1} or an action label",
                                    field=f"{field}[{i}]", value=x)
                out[i] = k
        return out

    def check_vector(self, value, field: str, *, allow_inf: bool = False,
                     nonneg: bool = False) -> np.ndarray:
        """A per-jurisdiction number given as Series/mapping (by name) or array (by order)."""
        if isinstance(value, pd.Series | Mapping):
            d = dict(value.items())
            unknown = [k for k in d if k not in self.players]
            if unknown:
                raise InputError(f"unknown jurisdiction; known: {_preview(self.players)}",
                                 field=field, value=unknown[0])
            missing = [p for p in self.players if p not in d]
            if missing:
                raise InputError("needs a value for every jurisdiction", field=field,
                                 value=f"missing {missing[:5]}",
                                 fix="give every jurisdiction (use inf for 'no cap')"
                                 if allow_inf else None)
            arr = np.array([d[p] for p in self.players], dtype=float)
        else:
            try:
                arr = np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                raise InputError("must be numbers, one per jurisdiction", field=field,
                                 value=value) from None
            if arr.ndim == 0:
                arr = np.full(self.n, float(arr))
            if arr.shape != (self.n,):
                raise InputError(f"needs one value per jurisdiction ({self.n})", field=field,
                                 value=f"shape {arr.shape}")
        bad = np.flatnonzero(np.isnan(arr) | (np.isinf(arr) & (not allow_inf or arr < 0)))
        if len(bad):
            i = int(bad[0])
            raise InputError("must be a finite number" + (" or inf" if allow_inf else ""),
                             field=f"{field}[{self.players[i]}]", value=float(arr[i]))
        if nonneg:
            neg = np.flatnonzero(arr < 0)
            if len(neg):
                i = int(neg[0])
                raise InputError("must be >= 0", field=f"{field}[{self.players[i]}]",
                                 value=float(arr[i]))
        return arr
