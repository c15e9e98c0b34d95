"""Transferable-utility (TU) games in characteristic-function form.

A TU game on players ``N = {0, ..., n-1}`` is a function ``v`` on coalitions
with ``v(empty) = 0``. It is stored as a float array of length ``2**n``
indexed by bitmask: bit ``i`` set means player ``i`` is in the coalition, so
``values[0b101] = v({0, 2})``. Player labels are strings, in bit order.

Properties checked here (Peleg and Sudhoelter 2007, ch. 2-3):

* superadditive: ``v(S | T) >= v(S) + v(T)`` for disjoint ``S, T``;
* convex (supermodular): ``v(S | T) + v(S & T) >= v(S) + v(T)``, equivalently
  ``v(S+i) - v(S) <= v(S+i+j) - v(S+j)`` for ``i, j`` outside ``S``;
* balanced (Bondareva 1963, Shapley 1967): the core is non-empty, i.e. the
  least-core value ``epsilon <= 0``.

Cost games: pass the savings game ``v(S) = sum_{i in S} c({i}) - c(S)`` or
``v = -c``; allocations are then negated cost shares.

References
----------
Peleg, B. and Sudhoelter, P. (2007). *Introduction to the Theory of
Cooperative Games*, 2nd ed. Springer.
Maschler, M., Solan, E. and Zamir, S. (2013). *Game Theory*, ch. 16-20.
Cambridge UP.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._numeric import DUST, RTOL
from .._result import ResultMixin
from ..errors import InputError
from ._bits import member_matrix, popcounts

__all__ = ["TUGame", "as_tugame"]

MAX_PLAYERS = 26  # 2**26 floats = 512 MiB; beyond that use sampled or structured games


def _player_labels(players, n: int) -> tuple[str, ...]:
    if players is None:
        return tuple(f"P{i}" for i in range(n))
    if isinstance(players, str):
        raise InputError("must be a sequence of player names, not one string",
                         field="players", value=players)
    labels = tuple(str(p) for p in players)
    if len(labels) != n:
        raise InputError(f"needs {n} names (one per player), got {len(labels)}",
                         field="players", value=list(labels))
    if len(set(labels)) != len(labels):
        dup = sorted({p for p in labels if labels.count(p) > 1})
        raise InputError(f"player names must be unique; repeated: {dup}", field="players",
                         value=list(labels))
    return labels


@dataclass(frozen=True, eq=False, repr=False)
class TUGame(ResultMixin):
    """A TU game ``v`` with labelled players, values indexed by bitmask.

    Parameters
    ----------
    values : array_like, length ``2**n``
        ``values[S]`` is ``v(S)`` for the coalition with bitmask ``S`` (bit
        ``i`` set: player ``i`` is a member). ``values[0]`` (the empty
        coalition) must be 0. Values must be finite.
    players : sequence of str, optional
        Player names in bit order; default ``P0, P1, ...``.
    name : str
    metadata : dict
        Free-form provenance, e.g. how a characteristic function was derived
        (the outsiders' behaviour and the selection rule when it was not unique).

    Examples
    --------
    >>> import cooperation as co
    >>> v = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1], players=["A", "B", "C"])  # majority game
    >>> v.n_players, v.value(["A", "B"]), v.value(0b111)
    (3, 1.0, 1.0)
    >>> v.is_superadditive(), v.is_convex()
    (True, False)
    """

    values: np.ndarray
    players: tuple[str, ...] | None = None
    name: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        raw = self.values
        if isinstance(raw, TUGame):
            raw = raw.values
        try:
            vals = np.array(raw, dtype=float)
        except (TypeError, ValueError):
            raise InputError("must be an array of numbers", field="values",
                             value=type(raw).__name__) from None
        if vals.ndim != 1:
            raise InputError("must be a 1-D array of length 2**n indexed by bitmask",
                             field="values", value=f"array of shape {vals.shape}")
        m = vals.shape[0]
        n = m.bit_length() - 1
        if m < 2 or (1 << n) != m:
            raise InputError(f"must have length 2**n (one value per coalition, the empty one "
                             f"included), got length {m}", field="values", value=m,
                             fix="index values by bitmask: values[S] = v(S), values[0] = 0")
        if n > MAX_PLAYERS:
            raise InputError(f"more than {MAX_PLAYERS} players does not fit in memory as a "
                             "full table", field="values", value=f"2**{n}",
                             fix="use shapley_sample() or a WeightedVotingGame")
        bad = np.flatnonzero(~np.isfinite(vals))
        if bad.size:
            k = int(bad[0])
            raise InputError(f"every v(S) must be a finite number ({bad.size} are not; the "
                             f"first is coalition {k} = {{{', '.join(self._names_of(k, n))}}})",
                             field=f"values[{k}]", value=float(vals[k]))
        scale = max(1.0, float(np.abs(vals).max()))
        if abs(vals[0]) > DUST * scale:
            raise InputError("v(empty coalition) must be 0", field="values[0]",
                             value=float(vals[0]), fix="values[0] is the empty coalition")
        vals[0] = 0.0
        vals.setflags(write=False)
        object.__setattr__(self, "values", vals)
        object.__setattr__(self, "players", _player_labels(self.players, n))
        object.__setattr__(self, "metadata", dict(self.metadata or {}))

    def _names_of(self, mask: int, n: int) -> list[str]:
        labels = self.players if isinstance(self.players, tuple) and len(self.players) == n \
            else tuple(f"P{i}" for i in range(n))
        return [labels[i] for i in range(n) if mask >> i & 1]

    # ------------------------------------------------------------------ basics
    @property
    def n_players(self) -> int:
        return self.values.shape[0].bit_length() - 1

    @property
    def grand(self) -> int:
        """Bitmask of the grand coalition ``N``."""
        return (1 << self.n_players) - 1

    @property
    def grand_value(self) -> float:
        """``v(N)``."""
        return float(self.values[-1])

    @property
    def singletons(self) -> np.ndarray:
        """``v({i})`` for each player."""
        return self.values[1 << np.arange(self.n_players)]

    def player_index(self, player) -> int:
        if isinstance(player, (int, np.integer)) and not isinstance(player, bool):
            if not 0 <= int(player) < self.n_players:
                raise InputError(f"must be in 0..{self.n_players - 1}", field="player",
                                 value=int(player))
            return int(player)
        try:
            return self.players.index(str(player))
        except ValueError:
            raise InputError(f"unknown player; players are {list(self.players)}",
                             field="player", value=player) from None

    def mask(self, coalition) -> int:
        """Bitmask of a coalition given as a bitmask, a player name or an iterable of names."""
        n = self.n_players
        if isinstance(coalition, (int, np.integer)) and not isinstance(coalition, bool):
            c = int(coalition)
            if not 0 <= c < (1 << n):
                raise InputError(f"a bitmask of {n} players lies in 0..{(1 << n) - 1}",
                                 field="coalition", value=c)
            return c
        if isinstance(coalition, str):
            coalition = [coalition]
        if not isinstance(coalition, Iterable):
            raise InputError("must be a bitmask or an iterable of player names",
                             field="coalition", value=coalition)
        m = 0
        for p in coalition:
            if isinstance(p, (int, np.integer)) and not isinstance(p, bool):
                raise InputError("name players by label inside an iterable (or pass an int "
                                 "bitmask)", field="coalition", value=p)
            i = self.player_index(p)
            if m >> i & 1:
                raise InputError("a player is listed twice", field="coalition", value=p)
            m |= 1 << i
        return m

    def members(self, mask: int) -> tuple[str, ...]:
        """Names of the players in a bitmask coalition."""
        m = self.mask(mask)
        return tuple(p for i, p in enumerate(self.players) if m >> i & 1)

    def value(self, coalition) -> float:
        """``v(S)`` of a coalition given as bitmask or iterable of names."""
        return float(self.values[self.mask(coalition)])

    def __call__(self, coalition) -> float:
        return self.value(coalition)

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_coalitions(cls, mapping: Mapping, players: Sequence[str] | None = None, *,
                        default: float | None = 0.0, name: str = "") -> TUGame:
        """Game from a mapping ``coalition -> value``.

        Parameters
        ----------
        mapping : mapping
            Keys are coalitions: a tuple/list/set/frozenset of player names, or
            one name for a singleton. The empty coalition may appear only with value 0.
        players : sequence of str, optional
            Player order (bit order). Default: names in order of first appearance.
        default : float or None
            Value of coalitions missing from ``mapping`` (textbook convention: 0).
            ``None`` requires every non-empty coalition to be given.

        Examples
        --------
        >>> import cooperation as co
        >>> v = co.TUGame.from_coalitions({("A", "B"): 3.0, ("A", "B", "C"): 4.0},
        ...                               players=["A", "B", "C"])
        >>> v.values.tolist()
        [0.0, 0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 4.0]
        """
        if not isinstance(mapping, Mapping):
            raise InputError("must be a mapping coalition -> value", field="mapping",
                             value=type(mapping).__name__)
        keys = []
        for key in mapping:
            if isinstance(key, str):
                keys.append((key,))
            elif isinstance(key, Iterable):
                keys.append(tuple(key))
            else:
                raise InputError("each key must be a player name or a collection of names",
                                 field="mapping", value=key)
        if players is None:
            seen: dict[str, None] = {}
            for k in keys:
                for p in k:
                    seen.setdefault(str(p), None)
            players = list(seen)
        labels = _player_labels(players, len(players))
        n = len(labels)
        if n == 0:
            raise InputError("needs at least one player", field="players", value=[])
        index = {p: i for i, p in enumerate(labels)}
        vals = np.full(1 << n, np.nan)
        vals[0] = 0.0
        given = np.zeros(1 << n, dtype=bool)
        for key, raw_key in zip(keys, mapping, strict=True):
            m = 0
            for p in key:
                if str(p) not in index:
                    raise InputError(f"unknown player in coalition {raw_key!r}; players are "
                                     f"{list(labels)}", field="mapping", value=p)
                b = 1 << index[str(p)]
                if m & b:
                    raise InputError(f"player listed twice in coalition {raw_key!r}",
                                     field="mapping", value=p)
                m |= b
            val = mapping[raw_key]
            try:
                x = float(val)
            except (TypeError, ValueError):
                raise InputError("values must be numbers", field=f"mapping[{raw_key!r}]",
                                 value=val) from None
            if not math.isfinite(x):
                raise InputError("values must be finite numbers", field=f"mapping[{raw_key!r}]",
                                 value=val)
            if given[m]:
                raise InputError("coalition given twice (same members in another order)",
                                 field=f"mapping[{raw_key!r}]", value=x)
            if m == 0 and x != 0.0:
                raise InputError("v(empty coalition) must be 0", field="mapping[()]", value=x)
            vals[m] = x
            given[m] = True
        missing = np.flatnonzero(np.isnan(vals))
        if missing.size:
            if default is None:
                k = int(missing[0])
                raise InputError(f"{missing.size} coalitions have no value, e.g. "
                                 f"{[labels[i] for i in range(n) if k >> i & 1]}",
                                 field="mapping", value=missing.size,
                                 fix="give every coalition or pass default=0.0")
            vals[missing] = float(default)
        return cls(vals, labels, name=name)

    @classmethod
    def from_function(cls, func: Callable[[tuple[str, ...]], float],
                      players: Sequence[str], *, name: str = "") -> TUGame:
        """Game from ``func(coalition_names) -> value`` called once per coalition.

        A Python-level loop: fine for small games; build ``values`` with numpy for large ones.
        """
        labels = _player_labels(players, len(players))
        n = len(labels)
        vals = np.zeros(1 << n)
        for m in range(1, 1 << n):
            vals[m] = float(func(tuple(labels[i] for i in range(n) if m >> i & 1)))
        return cls(vals, labels, name=name)

    @classmethod
    def bankruptcy(cls, estate: float, claims: Sequence[float],
                   players: Sequence[str] | None = None) -> TUGame:
        """Bankruptcy game of O'Neill (1982): ``v(S) = max(0, E - sum_{j not in S} d_j)``.

        Its nucleolus is the Talmud rule (Aumann and Maschler 1985).
        """
        d = np.asarray(claims, dtype=float)
        if d.ndim != 1 or d.size == 0 or np.any(~np.isfinite(d)) or np.any(d < 0):
            raise InputError("claims must be a non-empty list of finite numbers >= 0",
                             field="claims", value=list(np.atleast_1d(d)))
        if not math.isfinite(float(estate)) or estate < 0:
            raise InputError("must be a finite number >= 0", field="estate", value=estate)
        from ._bits import subset_sums
        inside = subset_sums(d)
        vals = np.maximum(0.0, float(estate) - (d.sum() - inside))
        vals[0] = 0.0
        return cls(vals, players, name="bankruptcy")

    @classmethod
    def airport(cls, costs: Sequence[float], players: Sequence[str] | None = None) -> TUGame:
        """Savings game of the airport problem (Littlechild and Owen 1973).

        Cost game ``c(S) = max_{i in S} c_i``; returned as the savings game
        ``v(S) = sum_{i in S} c_i - c(S)``. A cost share is ``c_i - x_i``.
        """
        c = np.asarray(costs, dtype=float)
        if c.ndim != 1 or c.size == 0 or np.any(~np.isfinite(c)) or np.any(c < 0):
            raise InputError("costs must be a non-empty list of finite numbers >= 0",
                             field="costs", value=list(np.atleast_1d(c)))
        n = c.size
        from ._bits import subset_sums
        cmax = np.zeros(1 << n)
        for k in range(n):
            np.maximum(cmax[: 1 << k], c[k], out=cmax[1 << k: 2 << k])
        return cls(subset_sums(c) - cmax, players, name="airport (savings)")

    @classmethod
    def glove(cls, left: int, right: int, players: Sequence[str] | None = None) -> TUGame:
        """Glove game: ``v(S) = min(#left in S, #right in S)`` (players: left owners first)."""
        if int(left) != left or int(right) != right or left < 0 or right < 0 or left + right < 1:
            raise InputError("needs non-negative integer counts, at least one player",
                             field="left/right", value=(left, right))
        n = int(left) + int(right)
        M = member_matrix(np.arange(1 << n), n)
        vals = np.minimum(M[:, :left].sum(axis=1), M[:, left:].sum(axis=1)).astype(float)
        if players is None:
            players = [f"L{i}" for i in range(left)] + [f"R{i}" for i in range(right)]
        return cls(vals, players, name="glove")

    # ------------------------------------------------------------------ transformations
    def affine(self, scale: float = 1.0, shift=None) -> TUGame:
        """Strategically equivalent game ``w(S) = scale * v(S) + sum_{i in S} shift_i``
        (``scale > 0``). Nucleolus, Shapley value and core move along:
        ``phi(w) = scale * phi(v) + shift``."""
        if not (scale > 0 and math.isfinite(scale)):
            raise InputError("must be a finite number > 0", field="scale", value=scale)
        from ._bits import subset_sums
        b = np.zeros(self.n_players) if shift is None else np.asarray(shift, dtype=float)
        if b.shape != (self.n_players,):
            raise InputError(f"needs one number per player ({self.n_players})", field="shift",
                             value=b.shape)
        return TUGame(scale * self.values + subset_sums(b), self.players, name=self.name)

    def dual(self) -> TUGame:
        """Dual game ``v*(S) = v(N) - v(N \\ S)``."""
        vals = self.grand_value - self.values[::-1]
        return TUGame(vals, self.players, name=f"dual of {self.name}".strip())

    def zero_normalized(self) -> TUGame:
        """``w(S) = v(S) - sum_{i in S} v({i})`` (strategically equivalent, ``w({i}) = 0``)."""
        return self.affine(1.0, -self.singletons)

    def __add__(self, other: TUGame) -> TUGame:
        if not isinstance(other, TUGame):
            return NotImplemented
        if other.players != self.players:
            raise InputError("games must have the same players in the same order",
                             field="other.players", value=list(other.players))
        return TUGame(self.values + other.values, self.players)

    def __mul__(self, k: float) -> TUGame:
        return TUGame(float(k) * self.values, self.players)

    __rmul__ = __mul__

    # ------------------------------------------------------------------ properties
    @property
    def scale(self) -> float:
        """``max_S |v(S)|`` (1 for the zero game): the unit of default tolerances."""
        m = float(np.abs(self.values).max())
        return m if m > 0 else 1.0

    def _tol(self, tol: float | None) -> float:
        """Absolute tolerance: ``tol`` when given, else ``RTOL * max |v|`` (relative)."""
        return RTOL * self.scale if tol is None else float(tol)

    def _unit_scaled(self) -> TUGame:
        """The same game divided by :attr:`scale` (solvers work at unit scale)."""
        return TUGame(self.values / self.scale, self.players, name=self.name)

    def is_monotonic(self, tol: float | None = None) -> bool:
        """``v(S) <= v(T)`` whenever ``S`` is a subset of ``T`` (checked on ``T = S + i``)."""
        t = self._tol(tol)
        v = self.values
        for i in range(self.n_players):
            a = v.reshape(-1, 2, 1 << i)
            if np.any(a[:, 1, :] < a[:, 0, :] - t):
                return False
        return True

    def is_superadditive(self, tol: float | None = None, max_pairs: int = 3 ** 16) -> bool:
        """``v(S | T) >= v(S) + v(T)`` for all disjoint ``S, T`` (``3**n`` pairs, chunked).

        Raises InputError when ``3**n > max_pairs`` (about n = 16).
        """
        n = self.n_players
        if 3 ** n > max_pairs:
            raise InputError(f"checking superadditivity visits 3**{n} pairs of disjoint "
                             f"coalitions, more than max_pairs = {max_pairs}",
                             field="n_players", value=n, fix="raise max_pairs")
        t = self._tol(tol)
        v = self.values
        # enumerate pairs as base-3 digits per player (0: neither, 1: in S, 2: in T),
        # chunked over the digits of the highest players
        low = min(n, 12)
        d = np.indices((3,) * low).reshape(low, -1)
        pw = (1 << np.arange(low, dtype=np.int64))[:, None]
        S0 = ((d == 1) * pw).sum(axis=0)
        T0 = ((d == 2) * pw).sum(axis=0)
        high = n - low
        for code in range(3 ** high):
            s_hi = t_hi = 0
            c = code
            for j in range(high):
                dig = c % 3
                c //= 3
                if dig == 1:
                    s_hi |= 1 << (low + j)
                elif dig == 2:
                    t_hi |= 1 << (low + j)
            S = S0 | s_hi
            T = T0 | t_hi
            if np.any(v[S | T] < v[S] + v[T] - t):
                return False
        return True

    def is_convex(self, tol: float | None = None) -> bool:
        """Supermodularity, by the local test ``v(S+i) + v(S+j) <= v(S+i+j) + v(S)``
        for every ``S`` and ``i != j`` outside it (``O(n**2 2**n)``, vectorised over ``S``)."""
        n = self.n_players
        t = self._tol(tol)
        v = self.values
        for i in range(n):
            for j in range(i + 1, n):
                a = v.reshape(-1, 2, 1 << (j - i - 1), 2, 1 << i)  # axes: .. j .. i ..
                if np.any(a[:, 1, :, 1, :] + a[:, 0, :, 0, :]
                          < a[:, 1, :, 0, :] + a[:, 0, :, 1, :] - t):
                    return False
        return True

    def is_balanced(self, tol: float | None = None) -> bool:
        """Non-empty core (Bondareva-Shapley): least-core ``epsilon <= tol``."""
        from ._sequential import least_core_epsilon  # the LP of co.least_core

        return bool(least_core_epsilon(self, tol)[1] <= self._tol(tol))

    def is_essential(self) -> bool:
        """``v(N) > sum_i v({i})`` (there is something to share)."""
        return self.grand_value > self.singletons.sum()

    # ------------------------------------------------------------------ display
    def coalition_labels(self, masks=None) -> list[str]:
        masks = range(1 << self.n_players) if masks is None else masks
        return ["{" + ", ".join(self.members(int(m))) + "}" for m in masks]

    def _summary(self):
        n = self.n_players
        out = [("players", list(self.players)), ("v(N)", f"{self.grand_value:.6g}")]
        if self.name:
            out.insert(0, ("name", self.name))
        if n <= 4:
            out.append(("values", {lab: float(x) for lab, x in
                                   zip(self.coalition_labels(range(1, 1 << n)),
                                       self.values[1:], strict=True)}))
        for key in ("outsiders", "selection"):
            if key in self.metadata:
                out.append((key, self.metadata[key]))
        return out

    def to_frame(self, max_rows: int = 1 << 16) -> pd.DataFrame:
        """One row per non-empty coalition: bitmask, members, size and value
        (first ``max_rows`` coalitions)."""
        n = self.n_players
        m = np.arange(1, min(1 << n, max_rows + 1))
        return pd.DataFrame({"coalition": self.coalition_labels(m), "size": popcounts(n)[m],
                             "value": self.values[m]},
                            index=pd.Index(m, name="mask"))

    def _repr_html_(self) -> str:
        import html

        head = "".join(f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
                       f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
                       for k, v in self._summary())
        more = (f"<p>first 64 of {2 ** self.n_players - 1} coalitions</p>"
                if self.n_players > 6 else "")
        return (f"<div><strong>TUGame</strong><table>{head}</table>"
                f"{self.to_frame(max_rows=64)._repr_html_()}{more}</div>")

    def __eq__(self, other) -> bool:
        if not isinstance(other, TUGame):
            return NotImplemented
        return self.players == other.players and np.array_equal(self.values, other.values)

    __hash__ = None  # type: ignore[assignment]


def as_tugame(v, field_name: str = "v") -> TUGame:
    """Accept a TUGame (or anything with ``to_tugame()``, e.g. a WeightedVotingGame)."""
    if isinstance(v, TUGame):
        return v
    conv = getattr(v, "to_tugame", None)
    if callable(conv):
        return conv()
    raise InputError("must be a TUGame (build one with TUGame(values, players), "
                     "TUGame.from_coalitions or characteristic_function(game))",
                     field=field_name, value=type(v).__name__)
