"""Multi-population evolutionary games: one population per player.

Each player ``i`` of a normal-form game is a large population whose members
play the actions ``a = 1..k_i``; ``x_i`` is the vector of shares (a point of
the simplex ``Delta(k_i)``) and the state is a point of the product of the
simplices. The payoff of action ``a`` in population ``i`` is its expected
payoff against the other populations' shares::

    f_ia(x) = sum_{a_-i} u_i(a, a_-i) prod_{j != i} x_{j, a_j}

and the shares follow the (Taylor 1979) multi-population replicator equation::

    dx_ia/dt = x_ia (f_ia(x) - sum_b x_ib f_ib(x))

This is the model of the Chinese literature on evolutionary games of
governments (upstream, downstream and central governments; two local
governments and a higher level choosing subsidy or punishment): each party is
a population, ``x, y, z`` are the shares playing "cooperate" (or "strict
supervision").

Three named constructors: a :class:`~cooperation.NormalFormGame`
(``EvolutionaryGame(game)``), a :class:`~cooperation.Scenario` with an
optional strategic higher level (:meth:`EvolutionaryGame.from_scenario`), and
a payoff table written with named parameters, as the papers write it
(:meth:`EvolutionaryGame.symbolic`).

References
----------
Taylor, P. D. (1979). Evolutionarily stable strategies with two types of
player. *J. Appl. Probab.* 16(1), 76-83.
Friedman, D. (1991). Evolutionary games in economics. *Econometrica* 59(3), 637-666.
Weibull, J. W. (1995). *Evolutionary Game Theory*. MIT Press, ch. 5.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .._numeric import DUST, PROB_TOL
from ..errors import GameError
from ..games.normal_form import NormalFormGame

__all__ = ["EvolutionaryGame"]

_HL_KEYS = {"cost", "subsidy", "fine", "audit"}


class EvolutionaryGame:
    """A multi-population evolutionary game (one population per player).

    Parameters
    ----------
    game : NormalFormGame
        Any number of players and actions; player ``i`` becomes population ``i``.

    Attributes
    ----------
    players : tuple of str
    actions : tuple of tuple of str
    payoffs : ndarray, shape (n, k_1, ..., k_n)
        The numeric payoff tensor (for a symbolic game: at ``values``).
    game : NormalFormGame
    expressions : ndarray of sympy expressions or None
        Symbolic games only: the payoff table as parsed.
    parameters : tuple of str
        Symbolic games: parameter names (sorted); ``()`` otherwise.
    values : dict
        Symbolic games: parameter values; ``{}`` otherwise.

    Examples
    --------
    >>> import cooperation as co
    >>> mp = co.NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> eg = co.EvolutionaryGame(mp)
    >>> eg.shape
    (2, 2)
    >>> [round(float(v), 3) for v in eg.velocity([[0.5, 0.5], [0.5, 0.5]])]
    [0.0, 0.0, 0.0, 0.0]
    """

    def __init__(self, game: NormalFormGame, *, _expressions=None, _symbols=(),
                 _values=None):
        if not isinstance(game, NormalFormGame):
            to_game = getattr(game, "to_game", None)
            if callable(to_game):
                raise GameError("a Scenario goes through EvolutionaryGame.from_scenario",
                                field="game", value=type(game).__name__,
                                fix="use co.EvolutionaryGame.from_scenario(scenario)")
            raise GameError("must be a NormalFormGame", field="game", value=type(game).__name__)
        self._game = game
        self._expr = _expressions
        self._symbols = tuple(_symbols)
        self._values = dict(_values or {})

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_scenario(cls, scenario, higher_level: Mapping | None = None) -> EvolutionaryGame:
        """Each jurisdiction of a scenario a population; optionally a higher level too.

        Parameters
        ----------
        scenario : Scenario
            Payoffs ``u_i(a)`` of docs/model.md, section 2 (costs and expected
            hazard losses); the scenario's action ladder is every
            jurisdiction's action set.
        higher_level : mapping, optional
            A strategic higher level of government (上级政府), added as the
            last population::

                {"name": "Central",                     # default "higher level"
                 "actions": {"subsidy": {"cost": 0.2, "subsidy": 1.0},
                             "punish":  {"cost": 0.5, "fine": 3.0, "audit": 0.8}},
                 "welfare_weight": 1.0}                 # default 1

            For each of its actions ``m``: ``cost`` ``c_m`` (its own cost of
            running the policy), ``subsidy`` ``s_m`` paid to each
            jurisdiction at the cooperative level, ``fine`` ``F_m`` levied on
            each jurisdiction below it, detected with probability ``audit``
            ``q_m`` (default 1). All default 0. Then::

                u_i(a, m) = u_i(a) + s_m [a_i = coop] - q_m F_m [a_i != coop]
                u_H(a, m) = w W(a) - c_m - s_m n_coop(a) + q_m F_m (n - n_coop(a))

            with ``W(a) = sum_i u_i(a)`` the region's welfare before transfers
            and ``w`` the welfare weight (``W`` does not depend on ``m``, so it
            shifts the higher level's payoffs but not its incentives).

        Examples
        --------
        >>> import cooperation as co
        >>> s = co.load_scenario("data/xinan/scenario.toml")            # doctest: +SKIP
        >>> eg = co.EvolutionaryGame.from_scenario(s, higher_level={    # doctest: +SKIP
        ...     "name": "Central", "actions": {"subsidy": {"subsidy": 3.0},
        ...                                    "punish": {"cost": 0.5, "fine": 2.0}}})
        """
        to_game = getattr(scenario, "to_game", None)
        if not callable(to_game):
            raise GameError("must be a Scenario", field="scenario",
                            value=type(scenario).__name__)
        game = to_game()
        if higher_level is None:
            return cls(game)
        return cls(_with_higher_level(scenario, game, higher_level))

    @classmethod
    def symbolic(cls, players: Sequence[str], actions: Sequence[Sequence[str]],
                 payoffs: Mapping, values: Mapping, *, name: str = "",
                 unit: str = "") -> EvolutionaryGame:
        """A game from a payoff table written with named parameters.

        Parameters
        ----------
        players : sequence of str
        actions : sequence of sequences of str
            One action list per player; for a binary population the first
            action is the one whose share is ``x`` (e.g. "cooperate").
        payoffs : mapping
            ``{profile (tuple of action labels): [expression per player]}``,
            one entry per profile. Expressions are strings such as
            ``"R1 - C1 + S"`` (identifiers, numbers, ``+ - * / ^ **``,
            brackets) or numbers.
        values : mapping
            ``{parameter name: number}`` for every parameter in the table.

        Examples
        --------
        >>> import cooperation as co
        >>> eg = co.EvolutionaryGame.symbolic(
        ...     ["Up", "Down"], [["protect", "pollute"], ["pay", "refuse"]],
        ...     {("protect", "pay"): ["R - C + T", "B - T"],
        ...      ("protect", "refuse"): ["R - C", "B"],
        ...      ("pollute", "pay"): ["0", "-L"],
        ...      ("pollute", "refuse"): ["0", "-L"]},
        ...     {"R": 1, "C": 2, "T": 1.5, "B": 3, "L": 1})
        >>> eg.parameters
        ('B', 'C', 'L', 'R', 'T')
        """
        from .symbolic import exact_number, parse_table

        players = [str(p) for p in players]
        if isinstance(actions, (str, bytes)) or len(actions) != len(players):
            raise GameError(f"needs one action list per player ({len(players)})",
                            field="actions", value=actions)
        acts = [[str(a) for a in row] for row in actions]
        for i, row in enumerate(acts):
            if len(row) < 1 or len(set(row)) != len(row):
                raise GameError("action labels must be non-empty and unique",
                                field=f"actions[{i}]", value=row)
        E, syms, vals = parse_table(players, acts, payoffs, values)
        sub = {s: exact_number(vals[s.name]) for s in syms}
        U = np.array([float(e.xreplace(sub)) for e in E.ravel()]).reshape(E.shape)
        game = NormalFormGame.from_arrays(U, players=players, actions=acts, name=name,
                                          unit=unit)
        return cls(game, _expressions=E, _symbols=syms, _values=vals)

    def with_values(self, **values) -> EvolutionaryGame:
        """The same symbolic game with some parameter values changed.

        >>> # eg2 = eg.with_values(S=2.0)
        """
        if self._expr is None:
            raise GameError("only a symbolic game has parameters", field="values",
                            value=sorted(values))
        from .symbolic import exact_number

        vals = dict(self._values)
        for k, v in values.items():
            if k not in vals:
                raise GameError(f"unknown parameter; parameters are {list(vals)}",
                                field=f"values[{k!r}]", value=v)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(float(v)):
                raise GameError("must be a finite number", field=f"values[{k!r}]", value=v)
            vals[k] = float(v)
        sub = {s: exact_number(vals[s.name]) for s in self._symbols}
        U = np.array([float(e.xreplace(sub)) for e in self._expr.ravel()]).reshape(
            self._expr.shape)
        g = self._game
        game = NormalFormGame.from_arrays(U, players=g.players, actions=g.actions,
                                          name=g.name, unit=g.unit)
        return EvolutionaryGame(game, _expressions=self._expr, _symbols=self._symbols,
                                _values=vals)

    # ------------------------------------------------------------------ properties
    @property
    def game(self) -> NormalFormGame:
        return self._game

    @property
    def players(self) -> tuple[str, ...]:
        return self._game.players

    @property
    def actions(self) -> tuple[tuple[str, ...], ...]:
        return self._game.actions

    @property
    def payoffs(self) -> np.ndarray:
        return self._game.payoffs

    @property
    def shape(self) -> tuple[int, ...]:
        return self._game.shape

    @property
    def n_populations(self) -> int:
        return self._game.n_players

    @property
    def is_symbolic(self) -> bool:
        return self._expr is not None

    @property
    def expressions(self):
        return self._expr

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(s.name for s in self._symbols)

    @property
    def values(self) -> dict:
        return dict(self._values)

    @property
    def name(self) -> str:
        return self._game.name

    @property
    def unit(self) -> str:
        return self._game.unit

    @property
    def labels(self) -> list[str]:
        """Column labels of a state vector: ``player[action]``."""
        return [f"{p}[{a}]" for p, acts in zip(self.players, self.actions, strict=True)
                for a in acts]

    @property
    def payoff_range(self) -> float:
        """Largest payoff range of any player (the scale of every tolerance)."""
        flat = self.payoffs.reshape(self.n_populations, -1)
        return float((flat.max(axis=1) - flat.min(axis=1)).max())

    # ------------------------------------------------------------------ states
    def state(self, x) -> np.ndarray:
        """A state (or a batch of states) as flat share vectors, shape ``(..., sum k_i)``.

        Accepts a tuple of per-population share vectors, a flat vector of
        length ``sum k_i``, or, when every population is binary, one number
        per population (the share playing the first action); a leading batch
        axis is allowed on the array forms.
        """
        K = int(sum(self.shape))
        n = self.n_populations
        binary = all(k == 2 for k in self.shape)
        if isinstance(x, (tuple, list)) and len(x) == n and all(
                np.ndim(v) == 1 and len(v) == k for v, k in zip(x, self.shape, strict=True)):
            arr = np.concatenate([np.asarray(v, float) for v in x])
        else:
            try:
                arr = np.asarray(x, dtype=float)
            except (TypeError, ValueError):
                raise GameError("must be share vectors (numbers)", field="x0",
                                value=x) from None
            if arr.ndim >= 1 and arr.shape[-1] == K:
                pass
            elif binary and arr.ndim >= 1 and arr.shape[-1] == n:
                arr = np.stack([arr, 1.0 - arr], axis=-1).reshape(arr.shape[:-1] + (K,))
            else:
                want = f"{K} shares" + (f" or {n} first-action shares" if binary else "")
                raise GameError(f"a state has {want} (one simplex per population)",
                                field="x0", value=f"shape {arr.shape}")
        if not np.all(np.isfinite(arr)) or np.any(arr < -DUST) or np.any(arr > 1 + DUST):
            raise GameError("shares must be numbers in [0, 1]", field="x0",
                            value=np.asarray(arr).ravel()[:6].tolist())
        sums = np.stack([s.sum(-1) for s in self.split(arr)], axis=-1)
        if np.any(np.abs(sums - 1.0) > PROB_TOL):
            raise GameError("each population's shares must sum to 1", field="x0",
                            value=np.round(sums, 12).ravel()[:6].tolist())
        return arr

    def split(self, X) -> list[np.ndarray]:
        """Per-population views ``(..., k_i)`` of flat states ``(..., sum k_i)``."""
        out, pos = [], 0
        for k in self.shape:
            out.append(X[..., pos:pos + k])
            pos += k
        return out

    def fitness(self, X) -> list[np.ndarray]:
        """``f[i][..., a]``: expected payoff of action ``a`` of population ``i`` at
        states ``X`` (``(..., sum k_i)``), vectorised over the leading axes."""
        X = np.asarray(X, dtype=float)
        lead = X.shape[:-1]
        xs = [v.reshape(-1, v.shape[-1]) for v in self.split(X)]
        n = self.n_populations
        m = xs[0].shape[0]
        mats = self._fitness_matrices()
        res = []
        for i in range(n):
            joint = np.ones((m, 1))
            for j in range(n):
                if j != i:   # outer product of the others' shares, in index order
                    joint = (joint[:, :, None] * xs[j][:, None, :]).reshape(m, -1)
            res.append((joint @ mats[i]).reshape(lead + (self.shape[i],)))
        return res

    def _fitness_matrices(self) -> list[np.ndarray]:
        """``M_i`` of shape ``(prod_{j != i} k_j, k_i)``: ``f_i = joint_-i @ M_i``."""
        cache = getattr(self, "_fit_mats", None)
        if cache is None:
            cache = []
            for i in range(self.n_populations):
                T = np.moveaxis(self.payoffs[i], i, -1)
                cache.append(np.ascontiguousarray(T.reshape(-1, self.shape[i])))
            self._fit_mats = cache
        return cache

    def velocity(self, X) -> np.ndarray:
        """The replicator vector field at states ``X``: ``dx_ia/dt``, same shape."""
        arr = np.asarray(X, dtype=float) if isinstance(X, np.ndarray) else None
        # integrator states (slightly off the simplex by round-off) skip validation
        X = arr if arr is not None and arr.shape[-1:] == (sum(self.shape),) else self.state(X)
        # x_ia f_ia = sum over profiles with a_i = a of u_i P and phi_i = sum u_i P, with P
        # the joint distribution of profiles: one matrix product P @ W for every population
        lead = X.shape[:-1]
        xs = [v.reshape(-1, v.shape[-1]) for v in self.split(X)]
        m = xs[0].shape[0]
        P = np.ones((m, 1))
        for xj in xs:
            P = (P[:, :, None] * xj[:, None, :]).reshape(m, -1)
        W = self._velocity_matrix()
        Q = P @ W
        K = int(sum(self.shape))
        phi = Q[:, K:]
        parts, pos = [], 0
        for i, k in enumerate(self.shape):
            parts.append(Q[:, pos:pos + k] - xs[i] * phi[:, i:i + 1])
            pos += k
        return np.concatenate(parts, axis=-1).reshape(lead + (K,))

    def _velocity_matrix(self) -> np.ndarray:
        """``W`` of shape ``(prod k, sum k + n)``: columns ``u_i [a_i = a]`` then ``u_i``."""
        W = getattr(self, "_vel_mat", None)
        if W is None:
            n, shape = self.n_populations, self.shape
            grid = np.indices(shape).reshape(n, -1)
            cols = []
            for i in range(n):
                u = self.payoffs[i].reshape(-1)
                for a in range(shape[i]):
                    cols.append(u * (grid[i] == a))
            cols += [self.payoffs[i].reshape(-1) for i in range(n)]
            W = np.ascontiguousarray(np.stack(cols, axis=1))
            self._vel_mat = W
        return W

    def jacobian(self, x) -> np.ndarray:
        """The Jacobian of the replicator field on the tangent space of the product
        of simplices, at state ``x``, in reduced coordinates (every action's share
        but the last of each population; the last is ``1 - sum``).

        Analytic: ``dF_ia/dx_ib = [a=b](f_ia - phi_i) - x_ia f_ib`` and, for
        ``j != i``, ``dF_ia/dx_jc = x_ia (g_ia,jc - sum_b x_ib g_ib,jc)`` with
        ``g_ia,jc`` the payoff of ``a`` against ``c`` of ``j`` and the others'
        shares; then ``J = P DF A`` with ``A`` the basis ``e_a - e_last``.
        """
        x = self.state(x)
        if x.ndim != 1:
            raise GameError("takes one state", field="x", value=f"shape {x.shape}")
        n, shape = self.n_populations, self.shape
        xs = self.split(x)
        f = self.fitness(x)
        K = int(sum(shape))
        offs = np.concatenate([[0], np.cumsum(shape)])
        D = np.zeros((K, K))
        for i in range(n):
            phi = float(xs[i] @ f[i])
            for a in range(shape[i]):
                r = offs[i] + a
                for b in range(shape[i]):
                    D[r, offs[i] + b] = (f[i][a] - phi if a == b else 0.0) - xs[i][a] * f[i][b]
            for j in range(n):
                if j == i:
                    continue
                G = self._pair_payoffs(i, j, xs)  # (k_i, k_j)
                mean = xs[i] @ G
                for a in range(shape[i]):
                    D[offs[i] + a, offs[j]:offs[j + 1]] = xs[i][a] * (G[a] - mean)
        rows, A = [], np.zeros((K, K - n))
        col = 0
        for i in range(n):
            for a in range(shape[i] - 1):
                rows.append(offs[i] + a)
                A[offs[i] + a, col] = 1.0
                A[offs[i + 1] - 1, col] = -1.0
                col += 1
        return D[rows] @ A

    def _pair_payoffs(self, i: int, j: int, xs) -> np.ndarray:
        """``G[a, c]``: payoff of ``i`` playing ``a`` when ``j`` plays ``c`` and the
        rest play their shares."""
        T = self.payoffs[i]
        for m in reversed(range(self.n_populations)):
            if m in (i, j):
                continue
            T = np.tensordot(T, xs[m], axes=([m], [0]))
        # remaining axes are (i, j) in index order
        return T if i < j else T.T

    # ------------------------------------------------------------------ dynamics
    def evolve(self, x0, t, noise: float = 0.0, seed=0, **kwargs):
        """Trajectories of the replicator dynamics; see
        :func:`cooperation.evolutionary.evolve`."""
        from .trajectory import evolve

        return evolve(self, x0, t, noise=noise, seed=seed, **kwargs)

    def __repr__(self) -> str:
        kind = f"symbolic, parameters {list(self.parameters)}" if self.is_symbolic else "numeric"
        nm = f"{self.name!r}, " if self.name else ""
        return (f"EvolutionaryGame({nm}populations {list(self.players)}, "
                f"actions {[list(a) for a in self.actions]}, {kind})")


def _with_higher_level(scenario, game: NormalFormGame, spec: Mapping) -> NormalFormGame:
    if not isinstance(spec, Mapping):
        raise GameError("must be a mapping with 'actions' (and optionally 'name', "
                        "'welfare_weight')", field="higher_level", value=type(spec).__name__)
    unknown = set(spec) - {"name", "actions", "welfare_weight"}
    if unknown:
        raise GameError("unknown keys; allowed: name, actions, welfare_weight",
                        field="higher_level", value=sorted(unknown))
    name = str(spec.get("name", "higher level"))
    if name in game.players:
        raise GameError("must differ from every jurisdiction's name",
                        field="higher_level.name", value=name)
    w = spec.get("welfare_weight", 1.0)
    if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w):
        raise GameError("must be a finite number", field="higher_level.welfare_weight", value=w)
    acts = spec.get("actions")
    if not isinstance(acts, Mapping) or len(acts) < 1:
        raise GameError("must map each action label to its terms (cost, subsidy, fine, audit)",
                        field="higher_level.actions", value=acts)
    labels, terms = [], []
    for lab, t in acts.items():
        where = f"higher_level.actions[{lab!r}]"
        if t is None:
            t = {}
        if not isinstance(t, Mapping):
            raise GameError("must be a table of cost, subsidy, fine, audit", field=where, value=t)
        bad = set(t) - _HL_KEYS
        if bad:
            raise GameError(f"unknown keys; allowed: {sorted(_HL_KEYS)}", field=where,
                            value=sorted(bad))
        row = {}
        for key in _HL_KEYS:
            v = t.get(key, 1.0 if key == "audit" else 0.0)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise GameError("must be a finite number", field=f"{where}.{key}", value=v)
            if v < 0 or (key == "audit" and v > 1):
                raise GameError("must lie in [0, 1]" if key == "audit" else "must be >= 0",
                                field=f"{where}.{key}", value=v)
            row[key] = float(v)
        labels.append(str(lab))
        terms.append(row)
    n = game.n_players
    coop = scenario.cooperative_level
    U = game.payoffs  # (n, K, ..., K)
    M = len(labels)
    shape = game.shape
    grid = np.indices(shape)  # (n, K, ..., K)
    is_coop = (grid == coop).astype(float)
    n_coop = is_coop.sum(axis=0)
    W = U.sum(axis=0)
    out = np.zeros((n + 1,) + shape + (M,))
    for m, t in enumerate(terms):
        pen = t["audit"] * t["fine"]
        out[:n, ..., m] = U + t["subsidy"] * is_coop - pen * (1.0 - is_coop)
        out[n, ..., m] = (float(w) * W - t["cost"] - t["subsidy"] * n_coop
                          + pen * (n - n_coop))
    return NormalFormGame.from_arrays(out, players=list(game.players) + [name],
                                      actions=[list(a) for a in game.actions] + [labels],
                                      name=game.name, unit=game.unit)
