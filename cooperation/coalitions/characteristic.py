"""Characteristic functions of normal-form games (and so of scenarios).

``v(S)`` is the largest total payoff ``sum_{i in S} u_i(a)`` that coalition
``S`` can secure by choosing its members' actions ``a_S`` jointly, under a
stated assumption on what the outsiders ``N \\ S`` do (MODEL.md section 4):

``outsiders="nash"`` (Nash outsiders)
    Outsiders keep their Nash-equilibrium actions ``a^NE_{-S}``::

        v(S) = max_{a_S} sum_{i in S} u_i(a_S, a^NE_{-S})

    ``a^NE`` is the pure equilibrium with the **lowest welfare** when there
    are several (the pessimistic status quo, the same outside option as
    ``design_compensation(outside_option="nash")``); when the game has no pure
    equilibrium, every player's pure **maximin** action is used instead.
    ``v({i}) = u_i(a^NE)`` and ``v(N) = max_a W(a)``.

``outsiders="gamma"`` (Chander and Tulkens 1997)
    Outsiders react to the coalition's joint choice by individual best
    replies: given ``a_S`` they play a pure Nash equilibrium ``a_{-S}`` of the
    game among themselves, and the coalition chooses ``a_S`` anticipating it::

        v(S) = max_{a_S} min_{a_{-S} in R(a_S)} sum_{i in S} u_i(a_S, a_{-S})

    ``R(a_S)``: the outsiders' pure equilibria given ``a_S``. Selection when
    it has several: the one **worst for the coalition** (pessimistic); when
    it is empty, the coalition assumes the worst over all outsider profiles
    (the alpha/maximin value). Both cases are counted in ``metadata``.
    Chander and Tulkens define the gamma function by a partial-agreement Nash
    equilibrium (``S`` as one player against individual outsiders); the two
    coincide whenever the outsiders' best replies do not depend on the
    others' actions (their linear model); here the coalition moves first, so
    in a two-player game ``v({i})`` is ``i``'s pessimistic Stackelberg-leader payoff.

``outsiders="alpha"`` (von Neumann and Morgenstern 1944)
    Outsiders act to hurt the coalition: ``max_{a_S} min_{a_{-S}}``.

All three are vectorised over coalitions (numpy, no Python loop over
coalitions or profiles): ``nash`` costs about ``n (K+1)**n`` operations,
``gamma`` and ``alpha`` about ``(2K)**n``; ``max_cells`` caps the latter.

References
----------
Chander, P. and Tulkens, H. (1997). The core of an economy with multilateral
environmental externalities. *International Journal of Game Theory* 26, 379-401.
Chander, P. (2007). The gamma-core and coalition formation. *IJGT* 35, 539-556.
von Neumann, J. and Morgenstern, O. (1944). *Theory of Games and Economic
Behavior*, ch. VI. Princeton UP.
"""

from __future__ import annotations

import numpy as np

from ..equilibria._common import as_game
from ..equilibria.pure import best_response_mask, pure_equilibria
from ..errors import InputError
from ._bits import masks_of_size, member_matrix
from .tu_game import TUGame

__all__ = ["characteristic_function", "outside_option_profile"]

OUTSIDERS = ("nash", "gamma", "alpha")


def outside_option_profile(game) -> tuple[tuple[int, ...], str]:
    """The status-quo profile: worst-welfare pure NE, else every player's pure maximin action.

    Returns ``(profile, how)`` with ``how`` describing the choice.
    """
    g = as_game(game)
    eq = pure_equilibria(g)
    if len(eq.profiles):
        w = eq.payoffs.sum(axis=1)
        k = int(np.argmin(w))  # first among ties: lexicographically smallest profile
        how = (f"the worst-welfare pure Nash equilibrium ({len(eq.profiles)} pure equilibria)"
               if len(eq.profiles) > 1 else "the unique pure Nash equilibrium")
        return eq.profiles[k], how
    prof = []
    for i in range(g.n_players):
        U = np.moveaxis(g.payoffs[i], i, 0).reshape(g.shape[i], -1)
        prof.append(int(np.argmax(U.min(axis=1))))
    return tuple(prof), "no pure Nash equilibrium: every player's pure maximin action"


def _strides(shape) -> np.ndarray:
    n = len(shape)
    st = np.ones(n, dtype=np.int64)
    for i in range(n - 2, -1, -1):
        st[i] = st[i + 1] * shape[i + 1]
    return st


def _split(masks: np.ndarray, n: int, s: int) -> tuple[np.ndarray, np.ndarray]:
    """Members ``(C, s)`` and outsiders ``(C, n - s)`` of coalitions of size ``s``, sorted."""
    M = member_matrix(masks, n)
    C = masks.size
    return (np.nonzero(M)[1].reshape(C, s).astype(np.int64),
            np.nonzero(~M)[1].reshape(C, n - s).astype(np.int64))


def _nash_values(g, profile) -> np.ndarray:
    n, shape = g.n_players, g.shape
    st = _strides(shape)
    Uf = g.payoffs.reshape(n, -1)
    a0 = np.asarray(profile, dtype=np.int64)
    vals = np.zeros(1 << n)
    for s in range(1, n + 1):
        masks = masks_of_size(n, s)
        members, _ = _split(masks, n, s)
        base = (st * a0).sum() - (st[members] * a0[members]).sum(axis=1)  # outsiders at NE
        flat = base[:, None] + _offsets(members, shape, st)
        valid = flat >= 0
        flat = np.where(valid, flat, 0)
        acc = np.zeros(flat.shape)
        for j in range(s):
            acc += Uf[members[:, j][:, None], flat]
        acc = np.where(valid, acc, -np.inf)
        vals[masks] = acc.max(axis=1)
    return vals


def _offsets(members: np.ndarray, shape, strides) -> np.ndarray:
    """Offsets of every joint action of the members; invalid cells (unequal action
    counts) are marked ``-1`` after adding to a base (caller masks ``< 0``)."""
    C, s = members.shape
    if s == 0:
        return np.zeros((C, 1), dtype=np.int64)
    kmax = int(max(shape))
    digits = np.indices((kmax,) * s).reshape(s, -1)  # (s, kmax**s)
    ks = np.asarray(shape, dtype=np.int64)[members]  # (C, s)
    off = (strides[members][:, :, None] * digits[None, :, :]).sum(axis=1)
    if np.all(np.asarray(shape) == kmax):
        return off
    bad = np.any(digits[None, :, :] >= ks[:, :, None], axis=1)
    return np.where(bad, -(1 << 62), off)


def _reaction_values(g, outsiders: str, max_cells: int) -> tuple[np.ndarray, dict]:
    n, shape = g.n_players, g.shape
    P = int(np.prod(shape))
    if (1 << n) * P > max_cells:
        raise InputError(f"outsiders={outsiders!r} visits every (coalition, profile) pair: "
                         f"2**{n} x {P} = {(1 << n) * P:.3g} > max_cells = {max_cells:.3g}",
                         field="outsiders", value=outsiders,
                         fix="use outsiders='nash' (cheaper), fewer players, or raise max_cells")
    st = _strides(shape)
    Uf = g.payoffs.reshape(n, -1)
    if outsiders == "gamma":
        br = best_response_mask(g).reshape(n, -1)  # (n, P)
        not_br = ((~br).astype(np.int64) << np.arange(n, dtype=np.int64)[:, None]).sum(axis=0)
    vals = np.zeros(1 << n)
    multiple = none = 0
    for s in range(1, n + 1):
        masks = masks_of_size(n, s)
        inside, outside = _split(masks, n, s)
        ins = _offsets(inside, shape, st)       # (C, A_in)
        outs = _offsets(outside, shape, st)     # (C, A_out)
        flat = ins[:, :, None] + outs[:, None, :]  # (C, A_in, A_out)
        valid = flat >= 0
        flat = np.where(valid, flat, 0)
        W = np.zeros(flat.shape)
        for j in range(s):
            W += Uf[inside[:, j][:, None, None], flat]
        if outsiders == "gamma" and s < n:
            ok = ((not_br[flat] & ~masks[:, None, None]) == 0) & valid
            worst_eq = np.where(ok, W, np.inf).min(axis=2)
            worst_all = np.where(valid, W, np.inf).min(axis=2)
            n_eq = ok.sum(axis=2)
            live = valid.any(axis=2)
            multiple += int(((n_eq > 1) & live).sum())
            none += int(((n_eq == 0) & live).sum())
            reach = np.where(n_eq > 0, worst_eq, worst_all)
        else:
            reach = np.where(valid, W, np.inf).min(axis=2)
        reach = np.where(valid.any(axis=2), reach, -np.inf)
        vals[masks] = reach.max(axis=1)
    return vals, {"reactions_with_several_equilibria": multiple,
                  "reactions_without_equilibrium": none}


def characteristic_function(game, outsiders: str = "gamma", *,
                            max_cells: int = 1 << 26) -> TUGame:
    """The TU game ``v(S)`` of a normal-form game or a scenario.

    ``v(S)`` = the largest total payoff coalition ``S`` can secure by choosing
    its members' actions jointly, given the outsiders' behaviour (see the
    module notes for the exact definitions and selection rules).

    Parameters
    ----------
    game : NormalFormGame or Scenario
        A scenario is turned into its game (``scenario.to_game()``).
    outsiders : {"gamma", "nash", "alpha"}
        ``"gamma"`` (Chander-Tulkens): outsiders play individual best replies
        (an equilibrium among themselves) to the coalition's choice, the worst
        one for the coalition when several; ``"nash"``: outsiders keep the
        worst-welfare pure Nash equilibrium actions; ``"alpha"``: outsiders
        minimise the coalition's payoff.
    max_cells : int
        Cap on ``2**n * prod(k_i)`` for ``gamma``/``alpha``.

    Returns
    -------
    TUGame
        With ``metadata``: ``outsiders``, ``selection`` (the rule used when the
        outsiders' response is not unique), ``status_quo`` (nash: the profile),
        and counts of ambiguous reactions (gamma).

    References
    ----------
    Chander and Tulkens (1997), *IJGT* 26; von Neumann and Morgenstern (1944).

    Examples
    --------
    >>> import cooperation as co
    >>> pd_game = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> v = co.characteristic_function(pd_game, outsiders="nash")
    >>> v.values.tolist()       # v({1}) = v({2}) = 1 (mutual defection), v(N) = 6
    [0.0, 1.0, 1.0, 6.0]
    """
    if outsiders not in OUTSIDERS:
        raise InputError(f"must be one of {list(OUTSIDERS)}", field="outsiders", value=outsiders)
    g = as_game(game)
    meta = {"outsiders": outsiders, "source": "characteristic_function",
            "game": g.name or repr(g), "unit": g.unit}
    if outsiders == "nash":
        prof, how = outside_option_profile(g)
        vals = _nash_values(g, prof)
        meta.update(status_quo=g.profile_labels(prof), status_quo_index=prof,
                    selection=f"outsiders keep {how}")
    else:
        vals, counts = _reaction_values(g, outsiders, max_cells)
        meta.update(counts)
        if outsiders == "gamma":
            meta["selection"] = ("pessimistic: among the outsiders' equilibrium reactions the "
                                 "one worst for the coalition; none: worst outsider profile")
        else:
            meta["selection"] = "outsiders minimise the coalition's payoff"
    name = f"v[{outsiders}] of {g.name}" if g.name else f"v[{outsiders}]"
    return TUGame(vals, g.players, name=name, metadata=meta)
