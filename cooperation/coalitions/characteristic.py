"""Characteristic functions of normal-form games (and so of scenarios).

``v(S)`` is the largest total payoff ``sum_{i in S} u_i(a)`` that coalition
``S`` can secure by choosing its members' actions ``a_S`` jointly, under a
stated assumption on what the outsiders ``N \\ S`` do (docs/model.md, section 4):

``outsiders="nash"`` (Nash outsiders)
    Outsiders keep their Nash-equilibrium actions ``a^NE_{-S}``::

        v(S) = max_{a_S} sum_{i in S} u_i(a_S, a^NE_{-S})

    ``a^NE`` is the pure equilibrium with the **lowest welfare** when there
    are several (the pessimistic status quo, the same outside option as
    ``design_compensation(outside_option="nash")``), so ``v({i}) = u_i(a^NE)``
    and ``v(N) = max_a W(a)``. When the game has **no pure equilibrium**,
    the status quo is the players' mixed security levels
    (:mod:`cooperation.equilibria.status_quo`, the one treatment used by the
    rules, bargaining and compensation too), and a coalition secures its
    mixed security level against the outsiders jointly::

        v(S) = max_{x in Delta(A_S)} min_{a_{-S}} sum_{a_S} x(a_S) sum_{i in S} u_i(a_S, a_{-S})

    so ``v({i})`` is ``i``'s security level (one small LP per coalition).

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

from ..equilibria.pure import best_response_mask
from ..equilibria.status_quo import security_strategy, status_quo
from ..errors import InputError
from ..games.model import as_game
from ._bits import masks_of_size, member_matrix
from .tu_game import TUGame

__all__ = ["characteristic_function", "outside_option_profile", "DEFAULT_OUTSIDERS"]

OUTSIDERS = ("nash", "gamma", "alpha")
#: The one default of every ``outsiders=`` option (characteristic_function,
#: cooperative_values, compare_rules, responsibility_shares, design_compensation and
#: the ``--outsiders`` flags of ``cooperation analyze`` and ``compensate``): Nash
#: outsiders, who keep their status-quo actions. It is the package's one status quo
#: (docs/numerics.md): ``v({i})`` is then the worst-welfare pure equilibrium payoff
#: (or the security level), which is also the default outside option of the
#: compensation calculator and the going-alone payoff of the responsibility rules, so
#: a core row of a single jurisdiction and its participation row say the same thing,
#: and a rule's "gain over going alone" is its payoff minus ``v({i})``. It costs
#: ``n (K+1)**n`` (gamma and alpha ``(2K)**n``). It coincides with ``"gamma"``
#: (Chander-Tulkens) whenever outsiders' best replies do not depend on the
#: coalition's actions (every shipped case); pass ``outsiders="gamma"`` for outsiders
#: who answer a coalition with best replies.
DEFAULT_OUTSIDERS = "nash"


def outside_option_profile(game) -> tuple[tuple[int, ...] | None, str]:
    """The status-quo profile: the worst-welfare pure NE, or None when there is none.

    Returns ``(profile, how)`` with ``how`` describing the choice. With no pure
    equilibrium the status quo is mixed (each player's security strategy; see
    :func:`cooperation.equilibria.status_quo.status_quo`), so there is no profile.
    """
    sq = status_quo(game)
    return sq.profile, sq.how


def _security_values(g) -> np.ndarray:
    """``v(S)`` = the coalition's mixed security level against the outsiders jointly;
    ``v(N) = max W``. One LP per coalition, on the game's full tensor."""
    n, shape = g.n_players, g.shape
    U = g.payoffs
    vals = np.zeros(1 << n)
    for mask in range(1, 1 << n):
        members = [i for i in range(n) if mask >> i & 1]
        others = [i for i in range(n) if not mask >> i & 1]
        W = U[members].sum(axis=0)               # coalition's payoff at every profile
        M = np.transpose(W, members + others).reshape(
            int(np.prod([shape[i] for i in members])), -1)
        vals[mask] = float(M.max()) if not others else security_strategy(M)[1]
    return vals


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


def characteristic_function(game, outsiders: str = DEFAULT_OUTSIDERS, *,
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
        Default :data:`DEFAULT_OUTSIDERS` (``"nash"``, the one default of the
        package). ``"gamma"`` (Chander-Tulkens): outsiders play individual best replies
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
        sq = status_quo(g)
        if sq.pure:
            vals = _nash_values(g, sq.profile)
            meta.update(status_quo=g.profile_labels(sq.profile), status_quo_index=sq.profile,
                        selection=f"outsiders keep {sq.how}")
        else:
            vals = _security_values(g)
            meta.update(status_quo=None, status_quo_index=None,
                        selection=f"{sq.how}: each coalition's mixed security level "
                                  "against the outsiders")
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
