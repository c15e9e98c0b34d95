"""Two-way conditional agreements of the Xin'an type (对赌 / 双向补偿): the bargaining range of the stake.

The Xin'an River agreement (Anhui upstream, Zhejiang downstream, from 2012)
ties a transfer to a monitored water-quality index at the border section:
when the index meets the standard, the downstream side pays the upstream side
the stake ``s``; when it fails, the upstream side pays ``s`` downstream. With
``pi(a)`` the probability that the standard is met under the action profile
``a``, the expected transfer from downstream to upstream is::

    T_s(a) = s * pi(a) - s * (1 - pi(a)) = s * (2 pi(a) - 1)

so the agreement turns the game ``u`` into::

    upstream    U_s(a) = u_up(a)   + T_s(a) + b      (b: a higher level's payment to the
    downstream  D_s(a) = u_down(a) - T_s(a)           upstream side while the deal holds)

The agreement is worth signing at stake ``s`` when, at the equilibrium the
stake induces, it creates value and both sides share in it::

    W(a_s) > W(no agreement)        (behaviour changes for the better; W = u_up + u_down,
                                     transfers and the subsidy excluded)
    U_s(a_s) >= o_up,  D_s(a_s) >= o_down

``o``: payoffs without the agreement, by default at the worst-welfare pure
Nash equilibrium. Without the first condition a stake too small to change
anything would count, since a transfer that changes no behaviour only moves
money from one side to the other. The **bargaining range** is the set of
stakes ``s >= 0`` for which the game with the agreement has a pure Nash
equilibrium and *every* pure equilibrium meets both conditions (robust to
equilibrium selection); ``intervals_some`` relaxes "every" to "some".

The range is computed exactly, not on a grid: for a fixed profile each
equilibrium and gain condition is linear in ``s``, so the answer can change
only where one of these lines crosses zero. Every crossing is collected, and
the conditions are evaluated at each crossing and inside each open interval
between consecutive crossings (and beyond the last one).

With a hazard scenario, ``pi(a) = 1 - p_h(a)``: the monitored index fails in
a year exactly when hazard ``h`` (the pollution event) strikes.

References
----------
The Xin'an River agreement texts as reported by Zhejiang Daily (2024-09-29)
and China Daily (2021-08-30); figures and citations in ``data/xinan/SOURCES.md``.
Pagiola, S., Arcenas, A. and Platais, G. (2005). Can payments for
environmental services help reduce poverty? *World Development* 33, 237-253
(conditional payments for environmental services).
Muthoo, A. (1999). *Bargaining Theory with Applications*, ch. 2 (the set of
mutually beneficial agreements). Cambridge UP.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._numeric import RTOL, TINY, span
from ..equilibria.outside import outside_option as outside_option_of
from ..errors import InputError
from ..games.model import TENSOR_MAX_PROFILES, PayoffModel
from .results.agreement import TwoWayAgreement

__all__ = ["two_way_agreement", "TwoWayAgreement"]


def _pure_ne(A: np.ndarray, B: np.ndarray, tol: float) -> list[tuple[int, int]]:
    # best responses to tol x each player's payoff range (unit- and offset-free)
    best_a = A.max(axis=0, keepdims=True)
    best_b = B.max(axis=1, keepdims=True)
    ok = (best_a - A <= tol * span(A)) & (best_b - B <= tol * span(B))
    return [tuple(int(v) for v in x) for x in np.argwhere(ok)]


def two_way_agreement(game, stakes=None, *, upstream=None, downstream=None, hazard=None,
                      compliance=None, subsidy: float = 0.0, outside_option="nash",
                      tol: float = RTOL) -> TwoWayAgreement:
    """Bargaining range of the stake of a two-way conditional transfer (Xin'an type).

    Downstream pays upstream ``s`` when the monitored index meets the standard,
    upstream pays downstream ``s`` when it fails (see the module notes for the
    model). Returns the exact set of stakes for which both sides gain over no
    agreement at every equilibrium of the game with the agreement, and where
    each stake of interest falls.

    Parameters
    ----------
    game : Scenario or NormalFormGame with two players
    stakes : mapping label -> stake, or sequence of stakes, optional
        The stakes to place in the range (e.g. ``{"round 1": 1.0, "round 2": 2.0}``).
        Default: the scenario's ``[sources]`` entries whose names start with
        ``stake`` (the shipped Xin'an case records its real rounds there).
    upstream, downstream : str, optional
        Default (scenario): the origin of the monitored hazard is upstream;
        (game): the first player is upstream.
    hazard : str, optional
        The monitored hazard (scenario): the index fails when it strikes.
        Default: the most likely hazard originating upstream.
    compliance : array (k_up, k_down) of probabilities, optional
        ``pi(a)``; required for a game, overrides the hazard for a scenario.
    subsidy : float >= 0
        A higher level's payment to the upstream side while the agreement
        holds (e.g. the central 3亿 a year of round 1), unconditional.
    outside_option : "nash", "maximin", "status_quo" or two payoffs
        No-agreement payoffs (as in :func:`design_compensation`).

    Returns
    -------
    TwoWayAgreement
        ``.intervals``, ``.lower``, ``.upper``, ``.stakes`` (table), ``.contains(s)``.

    References
    ----------
    Muthoo (1999), *Bargaining Theory with Applications*, ch. 2; Pagiola et al.
    (2005), *World Development* 33.

    Examples
    --------
    Upstream protection costs 1 and lifts the chance of meeting the standard
    from 0.5 to 0.9 (so the stake pays ``0.8 s`` more); downstream saves 4:

    >>> import cooperation as co
    >>> g = co.NormalFormGame.from_bimatrix([[0, 0], [-1, -1]], [[-5, -5], [-1, -1]],
    ...                                     players=["Up", "Down"])
    >>> res = co.two_way_agreement(g, {"r1": 1.0, "r2": 2.0},
    ...                            compliance=[[0.5, 0.5], [0.9, 0.9]])
    >>> round(res.lower, 6), round(res.upper, 6), res.stakes["in_range"].tolist()
    (1.25, 5.0, [False, True])

    At ``s = 1`` protecting does not pay upstream (``0.8 s < 1``); above ``s = 5``
    downstream pays more than the 4 it saves.
    """
    from ..scenario.model import Scenario

    model = PayoffModel(game)
    if model.n != 2:
        raise InputError("a two-way agreement is between two jurisdictions",
                         field="game", value=f"{model.n} players",
                         fix="build the two-jurisdiction scenario of the river section")
    P = model.players
    G = model.game
    if G is None:
        raise InputError("the agreement game needs the payoff table, and this one is too large "
                         f"(more than {TENSOR_MAX_PROFILES} profiles)", field="game",
                         value=" x ".join(map(str, model.shape)) + " levels",
                         fix="use fewer action levels")
    for nm, val in (("subsidy", subsidy),):
        if isinstance(val, bool) or not isinstance(val, int | float | np.number) or \
                not math.isfinite(val) or val < 0:
            raise InputError("must be a finite number >= 0", field=nm, value=val)
    scen = game if isinstance(game, Scenario) else None

    upstream, downstream, iu, hz_index = _sides(scen, P, hazard, upstream, downstream,
                                                compliance)
    pi, how = _compliance(scen, G, compliance, hz_index)
    o, onote = outside_option_of(model, outside_option)
    labels, svals = _stakes(stakes, scen)

    sg = _StakeGame.of(G.payoffs, iu, pi, float(subsidy), o, tol)
    pieces = _pieces(sg.crossings())
    flags = [sg.evaluate(pc) for pc in pieces]
    iv, iv_some = _merge(pieces, flags, 0), _merge(pieces, flags, 1)
    probe = TwoWayAgreement(upstream, downstream, iv, iv_some,
                            math.nan, math.nan, pd.DataFrame(), pd.Series(dtype=float),
                            pi, float(subsidy), "")
    table = _stakes_table(sg, model, P, labels, svals, probe)
    lower = float(iv["lo"].min()) if len(iv) else math.nan
    upper = float(iv["hi"].max()) if len(iv) else math.nan
    note = (f"{how}; expected transfer downstream -> upstream = s (2 pi(a) - 1); no agreement: "
            f"{onote}; range: every pure equilibrium raises welfare and gives both sides >= no "
            "agreement")
    return TwoWayAgreement(upstream, downstream, iv, iv_some, lower, upper, table,
                           pd.Series(o, index=pd.Index(P, name="jurisdiction"),
                                     name="outside_option"), pi, float(subsidy), note,
                           model.unit)


@dataclass(frozen=True)
class _StakeGame:
    """The game with the agreement at stake ``s``: ``U_i + sign_i s (2 pi - 1) + bonus_i``.

    ``o`` is the no-agreement point, ``scale`` the money scale of every
    comparison (the payoff range: free of the unit and of offsets), ``tol``
    relative to it.
    """

    U: np.ndarray
    sign: np.ndarray
    pi: np.ndarray        # probability that the standard is met at each profile
    tr: np.ndarray        # expected transfer per unit stake, 2 pi(a) - 1
    bonus: np.ndarray
    o: np.ndarray
    scale: float
    tol: float

    @classmethod
    def of(cls, U, iu, pi, subsidy, o, tol) -> _StakeGame:
        sign = np.array([1.0, -1.0]) if iu == 0 else np.array([-1.0, 1.0])
        bonus = np.array([subsidy if i == iu else 0.0 for i in range(2)])
        scale = max(span(U[0]), span(U[1])) or max(float(np.abs(U).max()), TINY)
        return cls(U, sign, pi, 2.0 * pi - 1.0, bonus, o, scale, tol)

    def payoffs_at(self, s: float):
        return [self.U[i] + self.sign[i] * s * self.tr + self.bonus[i] for i in range(2)]

    def classify(self, s: float):
        """``(pure equilibria, their gains over o, whether each is acceptable)`` at ``s``."""
        A, B = self.payoffs_at(s)
        W, W0, eps = self.U[0] + self.U[1], float(self.o.sum()), self.tol * self.scale
        eqs = _pure_ne(A, B, self.tol)
        gains = [(A[e] - self.o[0], B[e] - self.o[1]) for e in eqs]
        ok = [min(ga, gb) >= -eps and W[e] > W0 + eps
              for (ga, gb), e in zip(gains, eqs, strict=True)]
        return eqs, gains, ok

    def evaluate(self, piece) -> tuple[bool, bool]:
        """``(every equilibrium acceptable, some equilibrium acceptable)`` on a piece."""
        s = piece[1] if piece[0] == "pt" else piece[3]
        eqs, _, ok = self.classify(s)
        return (bool(eqs) and all(ok)), any(ok)

    def crossings(self) -> np.ndarray:
        """The positive stakes where a participation or best-response condition changes."""
        U, sign, tr, bonus, o = self.U, self.sign, self.tr, self.bonus, self.o
        k1, k2 = U[0].shape
        cross = []
        for a1 in range(k1):
            for a2 in range(k2):
                for i in range(2):
                    slope = sign[i] * tr[a1, a2]
                    if slope != 0:
                        cross.append(-(U[i][a1, a2] + bonus[i] - o[i]) / slope)
                    for b in (range(k1) if i == 0 else range(k2)):
                        bb = (b, a2) if i == 0 else (a1, b)
                        dslope = sign[i] * (tr[a1, a2] - tr[bb])
                        if dslope != 0:
                            cross.append(-(U[i][a1, a2] - U[i][bb]) / dslope)
        return np.unique(np.round([c for c in cross if c > 0 and np.isfinite(c)], 12))


def _pieces(cross: np.ndarray) -> list[tuple]:
    """Elementary pieces of [0, inf): each crossing point, and the open interval after it."""
    pts = np.concatenate([[0.0], cross])
    pieces = []
    for k, x in enumerate(pts):
        pieces.append(("pt", x, x))
        nxt = pts[k + 1] if k + 1 < len(pts) else math.inf
        mid = (x + nxt) / 2 if np.isfinite(nxt) else (x + 1.0) * 2.0
        pieces.append(("open", x, nxt, mid))
    return pieces


def _merge(pieces, flags, which: int) -> pd.DataFrame:
    """Adjacent good pieces merged into intervals ``lo, hi, lo_closed, hi_closed``."""
    out = []
    cur = None
    for pc, fl in zip(pieces, flags, strict=True):
        if pc[0] == "pt":
            lo = hi = pc[1]
            lc = hc = True
        else:
            lo, hi, lc, hc = pc[1], pc[2], False, False
        if fl[which]:
            if cur is None:
                cur = [lo, hi, lc, hc]
            else:
                cur[1], cur[3] = hi, hc
        elif cur is not None:
            out.append(cur)
            cur = None
    if cur is not None:
        out.append(cur)
    return pd.DataFrame(out, columns=["lo", "hi", "lo_closed", "hi_closed"])


def _stakes_table(sg: _StakeGame, model, P, labels, svals, probe) -> pd.DataFrame:
    """One row per stake asked about: where it falls, the equilibria, payoffs and gains."""
    rows = []
    for s in svals:
        s = float(s)
        eqs, gains, _ = sg.classify(s)
        A, B = sg.payoffs_at(s)
        rows.append({
            "stake": s, "in_range": probe.contains(s),
            "equilibria": "; ".join("(" + ", ".join(model.label(e)) + ")" for e in eqs) or "none",
            "p_standard_met": ", ".join(f"{sg.pi[e]:.4g}" for e in eqs),
            "expected_transfer": ", ".join(f"{s * sg.tr[e]:.6g}" for e in eqs),
            f"payoff[{P[0]}]": ", ".join(f"{A[e]:.6g}" for e in eqs),
            f"payoff[{P[1]}]": ", ".join(f"{B[e]:.6g}" for e in eqs),
            f"gain[{P[0]}]": min((g[0] for g in gains), default=math.nan),
            f"gain[{P[1]}]": min((g[1] for g in gains), default=math.nan),
        })
    return pd.DataFrame(rows, index=pd.Index(labels, name="stake_label"))


def _sides(scen, P, hazard, upstream, downstream, compliance):
    """``(upstream, downstream, index of upstream, monitored hazard index or None)``."""
    hz_index = None
    if scen is not None and compliance is None:
        names = [h.name for h in scen.hazards]
        if hazard is not None:
            if hazard not in names:
                raise InputError(f"unknown hazard; hazards are {names}", field="hazard",
                                 value=hazard)
            hz_index = names.index(hazard)
        else:
            cands = [k for k, h in enumerate(scen.hazards)
                     if upstream is None or upstream in h.origins]
            cands = [k for k in cands if scen.hazards[k].origins] or cands
            if not cands:
                raise InputError("no hazard originates upstream; name the monitored hazard",
                                 field="hazard", value=None)
            hz_index = max(cands, key=lambda k: (scen.probabilities[k], -k))
        if upstream is None:
            orig = scen.hazards[hz_index].origins
            if len(orig) != 1:
                raise InputError("the monitored hazard has no single origin; say which side "
                                 "is upstream", field="upstream", value=None)
            upstream = orig[0]
    elif hazard is not None:
        raise InputError("hazard needs a scenario (a game has no hazards); pass compliance=",
                         field="hazard", value=hazard)
    if upstream is None:
        upstream = P[0]
    if upstream not in P:
        raise InputError(f"unknown jurisdiction; players are {list(P)}", field="upstream",
                         value=upstream)
    if downstream is None:
        downstream = P[1 - P.index(upstream)]
    if downstream not in P or downstream == upstream:
        raise InputError(f"must be the other player ({P[1 - P.index(upstream)]})",
                         field="downstream", value=downstream)
    iu = P.index(upstream)
    return upstream, downstream, iu, hz_index


def _compliance(scen, G, compliance, hz_index):
    """``(pi, how)``: the probability the standard is met at each profile."""
    if compliance is not None:
        pi = np.asarray(compliance, dtype=float)
        if pi.shape != G.shape:
            raise InputError(f"needs one probability per profile, shape {G.shape}",
                             field="compliance", value=f"shape {pi.shape}")
        if not np.all(np.isfinite(pi)) or pi.min() < 0 or pi.max() > 1:
            raise InputError("probabilities must lie in [0, 1]", field="compliance",
                             value=pi.tolist())
        how = "given compliance probabilities"
    elif scen is not None:
        grid = np.indices(G.shape).reshape(2, -1).T
        p, _ = scen.hazard_state(grid)
        pi = (1.0 - p[:, hz_index]).reshape(G.shape)
        how = (f"the standard is met when '{scen.hazards[hz_index].name}' does not strike: "
               "pi(a) = 1 - p_h(a)")
    else:
        raise InputError("a game needs compliance= (probability the standard is met at each "
                         "profile)", field="compliance", value=None)
    return pi, how


def _stakes(stakes, scen):
    """``(labels, values)`` of the stakes asked about (default: the scenario's sources)."""
    if stakes is None:
        src = scen.sources if scen is not None else {}
        stakes = {k: v for k, v in src.items() if k.lower().startswith("stake")
                  and isinstance(v, int | float) and not isinstance(v, bool)}
    if isinstance(stakes, Mapping):
        labels, svals = list(stakes.keys()), list(stakes.values())
    else:
        svals = list(np.atleast_1d(np.asarray(stakes, dtype=float)))
        labels = [f"s={v:g}" for v in svals]
    svals = np.asarray(svals, dtype=float)
    if svals.size and (not np.all(np.isfinite(svals)) or svals.min() < 0):
        raise InputError("stakes must be finite numbers >= 0", field="stakes",
                         value=svals.tolist())
    return labels, svals
