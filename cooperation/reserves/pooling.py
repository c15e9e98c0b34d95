"""Who pays for the pool: the pooling cost game, Owen's dual allocation, the core check.

The pooling game. Coalition ``S`` standing alone keeps its members' depots
and meets only its members' demand; its least cost is ``c(S)``, the optimum of
the same LP with the right-hand sides of non-members set to zero (their
demand rows and their depots' capacity rows; a higher-level depot stays open
to every coalition). Each ``c(S)`` is one LP; the ``2**n - 1`` of them are
solved on one HiGHS model, visiting coalitions in Gray-code order so that
each step adds or removes one jurisdiction's rows and the dual simplex
restarts from the previous basis. Pooling never costs more than standing
apart: ``c(S | T) <= c(S) + c(T)`` for disjoint ``S, T`` (the union may run
both plans side by side), so ``c(N) <= sum_i c({i})``.

Owen's allocation. The reserve LP has the form ``c(S) = min { c z : A z >= b(S) }``
(rows ``<=`` written with the sign flipped) with ``b(S) = sum_{i in S} b^i``:
each row's right-hand side is a resource of one jurisdiction (its demand, its
depots' capacity) or zero. With ``pi`` an optimal dual of the grand
coalition's LP, Owen's share is ``x_i = b^i . pi``, the member's resources at
the pool's shadow prices: demand at its marginal cost, capacity at its
(non-positive) marginal value. Then ``x(N) = b(N) . pi = c(N)`` (strong
duality) and, ``pi`` being feasible for every coalition's dual,
``x(S) = b(S) . pi <= c(S)``: the shares lie in the core (Owen 1975; for cost
games Samet and Zemel 1984). This holds when

1. the model is a linear program (no integer decisions, no fixed costs);
2. every coalition's LP has the same constraint matrix and objective and only
   its right-hand side changes;
3. each right-hand side is the sum of the members' resources: a resource that
   no jurisdiction owns (a higher-level depot open to every coalition) breaks
   this, and so does a variable bound that is not zero or infinite;
4. the grand coalition's LP is solved to optimality (finite ``c(N)``, duals).

:func:`core_check` states which of these the model meets and then certifies
(or refutes) core membership numerically: by enumerating every coalition's
LP (up to ``max_enumerate`` jurisdictions); for Owen's shares under the
conditions, by checking Owen's proof on the numbers (the prices ``pi`` are
feasible in the dual of every coalition's LP: reduced costs and signs); or, for any
shares, by one mixed-integer separation problem ``min_{S, z} c z - x(S)``
s.t. ``A z >= sum_i s_i b^i``, ``s`` binary, whose optimum is ``min_S c(S) - x(S)`` (HiGHS MIP via
``scipy.optimize.milp``): the shares are in the core iff it is ``>= 0``.

References
----------
Owen, G. (1975). On the core of linear production games. *Mathematical
Programming* 9, 358-370.
Samet, D. and Zemel, E. (1984). On the core and dual set of linear
programming games. *Mathematics of Operations Research* 9, 309-316.
Kalai, E. and Zemel, E. (1982). Generalized network problems yielding
totally balanced games. *Operations Research* 30, 998-1008.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._numeric import DUST, TINY
from ..coalitions import TUGame, nucleolus, shapley
from ..errors import InputError, SolverError
from ..lp import HighsLP

__all__ = ["pooling_game", "allocation", "owen_shares", "ALLOCATION_RULES", "coalition_cost"]

ALLOCATION_RULES = ("owen", "shapley", "nucleolus")   # cost-sharing rules of the pool


def _highs_model(model):
    """One incremental HiGHS model of the reserve LP (:class:`cooperation.lp.HighsLP`)."""
    lp = model.lp
    h = HighsLP(model.c, lp.lb, lp.ub, tight=True)
    A = lp.A.tocsr()
    lo, hi = lp.lo, lp.hi
    step = max(1, 2_000_000 // max(lp.n_cols, 1))
    for r0 in range(0, lp.n_rows, step):
        r1 = min(lp.n_rows, r0 + step)
        h.add_rows(A[r0:r1].toarray(), lo[r0:r1], hi[r0:r1])
    return h


def _player_rows(model) -> list[np.ndarray]:
    return [np.flatnonzero(model.row_owner == i) for i in range(model.data.n_players)]


def pooling_game(model, *, max_players: int = 16) -> TUGame:
    """The pooling cost game ``c(S)`` of a reserve model, exact (one LP per coalition).

    Parameters
    ----------
    model : ReserveModel
        ``plan._model`` of a :class:`ReservePlan` (use ``plan.pooling_game()``).
    max_players : int
        Refuse more jurisdictions than this (``2**n - 1`` LPs).

    Returns
    -------
    TUGame
        Values are costs (``metadata["kind"] == "cost"``); pass ``-game`` style
        values to savings-game functions (see :func:`allocation`).

    Raises
    ------
    InputError
        Too many jurisdictions, or a coalition that cannot meet its own demand
        on its own (only possible when unmet demand is not allowed).

    Examples
    --------
    >>> import pandas as pd
    >>> import cooperation as co
    >>> demand = pd.DataFrame({"scenario": ["s1", "s2"], "jurisdiction": ["A", "B"],
    ...                        "item": ["kit", "kit"], "quantity": [10.0, 10.0],
    ...                        "probability": [0.5, 0.5]})
    >>> depots = pd.DataFrame({"depot": ["dA", "dB"], "jurisdiction": ["A", "B"],
    ...                        "item": ["kit", "kit"], "capacity": [50.0, 50.0],
    ...                        "holding_cost": [1.0, 1.0]})
    >>> links = pd.DataFrame({"from": ["A"], "to": ["B"], "hours": [5.0], "cost": [0.0]})
    >>> game = co.design_reserves(demand, depots, links).pooling_game()
    >>> game.values.round(6).tolist()            # one stock of 10 serves both
    [0.0, 10.0, 10.0, 10.0]
    """
    d = model.data
    n = d.n_players
    if n > max_players:
        raise InputError(f"{n} jurisdictions need 2**{n} - 1 LPs; the exact pooling game is "
                         f"limited to max_players={max_players}", field="jurisdictions",
                         value=n, fix="use allocation(rule='owen') and core_check(), which "
                                      "need no enumeration")
    h = _highs_model(model)
    prow = _player_rows(model)
    lo_full, hi_full = model.lp.lo, model.lp.hi
    lo0, hi0 = model.coalition_bounds(0)
    all_own = np.flatnonzero(model.row_owner >= 0)
    if all_own.size:
        h.h.changeRowsBounds(all_own.size, all_own.astype(np.int32), h._inf(lo0[all_own]),
                             h._inf(hi0[all_own]))
    values = np.zeros(1 << n)
    failed = []
    mask = 0
    for g in range(1, 1 << n):
        bit = (g & -g).bit_length() - 1
        mask ^= 1 << bit
        rows = prow[bit]
        if rows.size:
            if mask >> bit & 1:
                lo, hi = lo_full[rows], hi_full[rows]
            else:
                lo, hi = lo0[rows], hi0[rows]
            h.h.changeRowsBounds(rows.size, rows.astype(np.int32), h._inf(lo), h._inf(hi))
        try:
            _, obj, _, _ = h.solve(f"coalition LP {mask}")
        except SolverError as exc:
            failed.append((mask, str(exc.value)))
            values[mask] = math.inf
            continue
        values[mask] = obj * model.money
    if failed:
        m, why = failed[0]
        names = [d.players[i] for i in range(n) if m >> i & 1]
        raise InputError(f"{len(failed)} coalition(s) cannot meet their own demand on their "
                         f"own (HiGHS: {why}), so their stand-alone cost is not finite; the "
                         f"first is {{{', '.join(names)}}}", field="coalition", value=names,
                         fix="allow unmet demand at a penalty (penalty=...) so that every "
                             "coalition has a finite stand-alone cost")
    values[0] = 0.0
    # LP round-off around zero (coalitions with nothing to stock), relative to the range
    values[np.abs(values) <= DUST * max(float(np.abs(values).max()), TINY)] = 0.0
    return TUGame(values, d.players, name="pooling cost game",
                  metadata={"kind": "cost", "lp_solves": h.solves,
                            "method": "one HiGHS model, coalitions in Gray-code order, "
                                      "right-hand sides changed, dual simplex hot start"})


def coalition_cost(model, members) -> float:
    """``c(S)`` for one coalition (a fresh solve; ``inf`` when infeasible)."""
    d = model.data
    mask = 0
    for p in members:
        mask |= 1 << d.players.index(p)
    h = _highs_model(model)
    lo, hi = model.coalition_bounds(mask)
    idx = np.arange(model.lp.n_rows, dtype=np.int32)
    h.h.changeRowsBounds(idx.size, idx, h._inf(lo), h._inf(hi))
    try:
        _, obj, _, _ = h.solve("coalition LP")
    except SolverError:
        return math.inf
    return obj * model.money


def owen_shares(plan) -> tuple[pd.Series, float]:
    """Owen's dual shares ``x_i = b^i . pi`` and the higher level's term ``b^0 . pi``.

    ``b^0 . pi`` is the value at the pool's prices of resources no jurisdiction
    owns (higher-level depots); it is 0 without them. The shares returned by
    :func:`allocation` add it in equal parts so that they sum to ``c(N)``.
    """
    if not plan.success:
        raise InputError("the reserve LP was not solved to optimality; there are no dual "
                         "prices", field="plan.status", value=plan.message)
    model = plan._model
    d = model.data
    contrib = model.rhs * plan._row_dual * model.money     # money per row
    own = model.row_owner
    x = np.bincount(own[own >= 0], weights=contrib[own >= 0], minlength=d.n_players)
    public = float(contrib[own == -1].sum())
    return pd.Series(x, index=pd.Index(d.players, name="jurisdiction"), name="owen"), public


def allocation(plan, rule: str = "owen") -> pd.Series:
    """Shares of the pooled cost ``c(N)`` by jurisdiction (they sum to ``plan.cost``).

    * ``"owen"``: ``x_i = b^i . pi`` from the grand LP's duals (Owen 1975), for any
      number of jurisdictions; with higher-level depots their value ``b^0 . pi``
      is added in equal parts (then the core is not guaranteed: see
      :func:`core_check`);
    * ``"shapley"``: the Shapley value of the cost game (linear, so costs
      directly);
    * ``"nucleolus"``: the nucleolus of the savings form ``v = -c``, negated
      (API: cost games pass ``v = -c``).

    Examples
    --------
    >>> import pandas as pd
    >>> import cooperation as co
    >>> demand = pd.DataFrame({"scenario": ["s1", "s2"], "jurisdiction": ["A", "B"],
    ...                        "item": ["kit", "kit"], "quantity": [10.0, 10.0],
    ...                        "probability": [0.5, 0.5]})
    >>> depots = pd.DataFrame({"depot": ["dA", "dB"], "jurisdiction": ["A", "B"],
    ...                        "item": ["kit", "kit"], "capacity": [50.0, 50.0],
    ...                        "holding_cost": [1.0, 1.0]})
    >>> links = pd.DataFrame({"from": ["A"], "to": ["B"], "hours": [5.0], "cost": [0.0]})
    >>> plan = co.design_reserves(demand, depots, links)
    >>> plan.allocation("shapley").round(6).tolist()
    [5.0, 5.0]
    """
    if rule not in ALLOCATION_RULES:
        raise InputError(f"must be one of {list(ALLOCATION_RULES)}", field="rule", value=rule)
    if not plan.success:
        raise InputError("the reserve LP was not solved to optimality", field="plan.status",
                         value=plan.message)
    if rule == "owen":
        x, public = owen_shares(plan)
        if public != 0.0:
            x = x + public / len(x)
        return x.rename("owen")
    game = plan.pooling_game()
    if rule == "shapley":
        s = shapley(game)
    else:
        sav = TUGame(-game.values, game.players, name="pooling game, v = -c")
        s = -nucleolus(sav).allocation
    return pd.Series(np.asarray(s, float), index=pd.Index(game.players, name="jurisdiction"),
                     name=rule)
