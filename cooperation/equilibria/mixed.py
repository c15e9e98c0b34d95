"""Mixed Nash equilibria of two-player games through nashpy, verified and certified.

Pipeline
--------
1. Normalise each player's payoff matrix exactly onto [0, 1]
   (``(M - min M) / range M``; a constant matrix becomes all zeros). This
   positive affine map leaves the equilibria unchanged, and every later step
   (nashpy, the regret check, the polytope certificate, the degeneracy test)
   runs on the normalised game, so answers and flags are the same whether
   money is in yuan (payoffs near 1e10) or 亿元 (near 1), with or without an
   offset. nashpy receives ``1 + normalised`` (its polytope methods need
   positive payoffs, and Lemke-Howson's pivoting stays well scaled).
2. Run the chosen nashpy method. The default, ``vertex_enumeration``, was
   chosen by measurement (``benchmarks/bench_equilibria.py``): on random
   integer games nashpy 0.0.43's ``support_enumeration`` misses equilibria of
   non-degenerate games (exact sign tests on floating-point solutions reject
   valid supports), whereas vertex enumeration finds them.
3. Verify: every candidate's regret (best pure deviation payoff minus
   equilibrium payoff, on the normalised game, i.e. relative to each
   player's payoff range) must be <= ``tol``; failures are dropped and
   counted in ``rejected``.
4. Deduplicate with a tolerance.
5. Certify with an independent exhaustive enumeration of the vertices of both
   best-response polytopes (:mod:`.polytope`): it detects degeneracy
   explicitly (a vertex with more labels than the dimension, i.e. a mixed
   strategy with more pure best responses than its support size) and yields
   every extreme equilibrium. Equilibria nashpy missed are added and counted
   in ``missed_by_nashpy``; ``complete`` is True only when the certificate ran.
   When it cannot run (``certify=False``, or more bases than ``MAX_BASES``),
   ``degenerate`` and ``finite`` are ``None`` (not established) and the notes
   say why.
6. Cross-check: on non-degenerate games, Lemke-Howson (a second nashpy
   method) from every initial label must land in the returned set.
7. Degenerate games: the result holds the extreme equilibria, flagged
   ``degenerate=True``, with the maximal Nash subsets (convex components are
   unions of these); ``finite`` is False when some subset is not a single
   pair (a continuum of equilibria).

References
----------
Knight, V. and Campbell, J. (2018). Nashpy: a Python library for the
computation of Nash equilibria. *JOSS* 3(30), 904.
von Stengel, B. (2007). Equilibrium computation for two-player games in
strategic and extensive form. *Algorithmic Game Theory*, ch. 3.
Avis, D., Rosenberg, G., Savani, R. and von Stengel, B. (2010). Enumeration of
Nash equilibria for two-player games. *Economic Theory* 42, 9-37.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._numeric import ACCEPT_RTOL, DEDUPE_TOL, DUST, RTOL, unit_interval
from .._result import ResultMixin
from ..errors import GameError
from ..games.model import as_game
from ..games.normal_form import NormalFormGame
from .polytope import MAX_BASES, extreme_equilibria, maximal_nash_subsets

__all__ = ["MixedEquilibria", "mixed_equilibria", "METHODS"]

METHODS = ("vertex_enumeration", "support_enumeration", "lemke_howson")


@dataclass(frozen=True, repr=False)
class MixedEquilibria(ResultMixin):
    """Mixed Nash equilibria of a two-player game.

    Attributes
    ----------
    equilibria : list of (x, y)
        Probability vectors of the row and column player, sorted.
    degenerate : bool or None
        The game is degenerate (some mixed strategy has more pure best
        responses than its support size); None when the certificate did not
        run (not established; the notes say why).
    complete : bool
        Every extreme equilibrium is certified found (True only when the
        certificate ran).
    finite : bool or None
        The equilibrium set is finite (False for a continuum); None when not
        established.
    max_regret : float
        Largest gain from deviating, over all returned equilibria, in the
        game's money unit.
    maximal_nash_subsets : list of (xs, ys)
        For degenerate games: the convex components' generators.
    method : str
    missed_by_nashpy : int
        Extreme equilibria the certificate found that nashpy did not return.
    rejected : int
        nashpy candidates that failed the regret check.
    cross_check : str
        Outcome of the Lemke-Howson cross-check.
    notes : list of str
    """

    equilibria: list
    degenerate: bool | None
    complete: bool
    finite: bool | None
    max_regret: float
    maximal_nash_subsets: list
    method: str
    missed_by_nashpy: int
    rejected: int
    cross_check: str
    game: NormalFormGame
    notes: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.equilibria)

    def _summary(self):
        return [("equilibria", len(self.equilibria)), ("degenerate", self.degenerate),
                ("complete", self.complete), ("finite", self.finite),
                ("max_regret", f"{self.max_regret:.3g}"), ("method", self.method),
                ("cross_check", self.cross_check)] + [("note", n) for n in self.notes]

    def to_frame(self) -> pd.DataFrame:
        """One row per equilibrium: each action's probability and each player's payoff."""
        g = self.game
        rows = []
        for k, (x, y) in enumerate(self.equilibria):
            row = {"equilibrium": k}
            for a, p in zip(g.actions[0], x, strict=True):
                row[f"{g.players[0]}:{a}"] = p
            for a, p in zip(g.actions[1], y, strict=True):
                row[f"{g.players[1]}:{a}"] = p
            pay = g.expected_payoffs([x, y])
            row[f"payoff[{g.players[0]}]"] = pay[0]
            row[f"payoff[{g.players[1]}]"] = pay[1]
            rows.append(row)
        return pd.DataFrame(rows).set_index("equilibrium") if rows else pd.DataFrame()


def _regret(A, B, x, y) -> float:
    ay = A @ y
    xb = x @ B
    return float(max(ay.max() - x @ ay, xb.max() - xb @ y))


def _regret_money(An, Bn, spans, x, y) -> float:
    """The largest gain from deviating in money: each player's normalised regret times
    its payoff range (exact under the normalisation, free of offset round-off)."""
    ay = An @ y
    xb = x @ Bn
    return float(max((ay.max() - x @ ay) * spans[0], (xb.max() - xb @ y) * spans[1]))


def _dedupe(pairs, tol):
    out = []
    for x, y in pairs:
        if not any(np.allclose(x, u, atol=tol) and np.allclose(y, v, atol=tol) for u, v in out):
            out.append((x, y))
    return out


def _clean(v: np.ndarray) -> np.ndarray:
    v = np.where(np.abs(v) < DUST, 0.0, v)
    v = np.clip(v, 0.0, None)
    return v / v.sum()


class _PivotLimit(RuntimeError):
    """Lemke-Howson did not reach a fully labelled pair within its pivot budget."""


def _lemke_howson(A, B, dropped: int, max_pivots: int):
    """nashpy's Lemke-Howson path (its tableaux and pivoting rule), with a pivot budget.

    nashpy's ``Game.lemke_howson`` loops until the pair is fully labelled; in
    floating point a near-degenerate tableau can make that loop cycle. Same
    steps as Algorithm 3.6 of Nisan et al. (2007), stopped after
    ``max_pivots`` pivots with :class:`_PivotLimit`.
    """
    from itertools import cycle

    from nashpy.linalg import create_col_tableau, create_row_tableau

    col, row = create_col_tableau(A, True), create_row_tableau(B, True)
    order = cycle((row, col) if dropped in row.non_basic_variables else (col, row))
    label = dropped
    for _ in range(max_pivots):
        label = next(order).pivot_and_drop_label(label)
        if col.non_basic_variables | row.non_basic_variables == col.labels:
            return (row.to_strategy(col.non_basic_variables),
                    col.to_strategy(row.non_basic_variables))
    raise _PivotLimit(f"no equilibrium after {max_pivots} pivots (dropped label {dropped})")


def _run_nashpy(A, B, method):
    import nashpy

    game = nashpy.Game(A, B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nashpy's parity/degeneracy warnings: we test ourselves
        if method == "vertex_enumeration":
            return list(game.vertex_enumeration())
        if method == "support_enumeration":
            return list(game.support_enumeration())
        if method == "lemke_howson":
            m, n = A.shape
            budget = 50 * (m + n) ** 2      # far beyond any path seen on games of this size
            found, stuck = [], None
            for k in range(m + n):          # labels whose path cycles are skipped
                try:
                    found.append(_lemke_howson(A, B, k, budget))
                except _PivotLimit as exc:
                    stuck = exc
            if not found and stuck is not None:
                raise stuck
            return found
    raise AssertionError(method)


def mixed_equilibria(game, method: str = "vertex_enumeration", tol: float = RTOL,
                     certify: bool = True) -> MixedEquilibria:
    """Mixed Nash equilibria of a two-player game, verified and certified.

    Parameters
    ----------
    game : NormalFormGame or Scenario (two players)
    method : {"vertex_enumeration", "support_enumeration", "lemke_howson"}
        The nashpy algorithm that proposes equilibria.
    tol : float
        Regret tolerance, relative to each player's payoff range.
    certify : bool
        Run the exhaustive polytope certificate (default). Without it,
        ``complete`` is False and ``degenerate``/``finite`` are None.

    Returns
    -------
    MixedEquilibria
        ``.equilibria`` (list of (x, y)), ``.degenerate``, ``.complete``,
        ``.finite``, ``.max_regret``, ``.maximal_nash_subsets``.

    Examples
    --------
    >>> import cooperation as co
    >>> mp = co.NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> res = co.mixed_equilibria(mp)
    >>> [(x.round(12).tolist(), y.round(12).tolist()) for x, y in res.equilibria], res.complete
    ([([0.5, 0.5], [0.5, 0.5])], True)
    """
    g = as_game(game)
    if g.n_players != 2:
        raise GameError("mixed equilibria are computed for two-player games",
                        field="n_players", value=g.n_players,
                        fix="use pure_equilibria for n players")
    if method not in METHODS:
        raise GameError(f"unknown method; choose one of {list(METHODS)}", field="method",
                        value=method)
    A0, B0 = g.bimatrix()
    m, n = A0.shape
    spans = (float(np.ptp(A0)), float(np.ptp(B0)))
    # every decision below is taken on the game normalised to [0, 1] per player
    # (an exact positive affine map: the same equilibria, unit- and offset-free)
    An, Bn = unit_interval(A0), unit_interval(B0)
    A, B = 1.0 + An, 1.0 + Bn
    notes: list[str] = []
    verified, rejected, nash_failed = _verified_candidates(A, B, An, Bn, method, tol, notes)
    degenerate: bool | None = None
    complete, missed, subsets = False, 0, []
    if certify:
        verified, degenerate, complete, missed, subsets = _certify(
            An, Bn, verified, method, tol, nash_failed, notes)
    else:
        notes.append("certificate skipped (certify=False): completeness, degeneracy and "
                     "finiteness not established")
        if method == "lemke_howson":
            notes.append("Lemke-Howson finds some equilibria, not all")
    if missed and not nash_failed:
        notes.append(f"nashpy {method} missed {missed} extreme equilibria; added from the "
                     "certificate")
    if degenerate is None:
        finite = None
    elif subsets:
        finite = all(len(xs) == 1 and len(ys) == 1 for xs, ys in subsets)
    else:
        finite = not degenerate
    cross = "not run"
    if certify and complete and not degenerate and min(m, n) > 1 and method != "lemke_howson":
        cross, agrees = _lemke_howson_check(A, B, An, Bn, verified)
        if not agrees:
            complete = False
            notes.append("Lemke-Howson returned an equilibrium not in the set: "
                         "completeness withdrawn")
    if degenerate is False and complete and len(verified) % 2 == 0:
        notes.append("a non-degenerate game has an odd number of equilibria; found "
                     f"{len(verified)}: completeness withdrawn")
        complete = False
    # order by the strategies rounded well above round-off, so that the order does not
    # depend on the money unit (0.58333333 vs 0.58333334 must tie)
    verified.sort(key=lambda e: (tuple(-np.round(e[0], 8)), tuple(-np.round(e[1], 8))))
    max_regret = max((_regret_money(An, Bn, spans, x, y) for x, y in verified), default=0.0)
    return MixedEquilibria(verified, degenerate, complete, finite, max_regret, subsets,
                           method, missed, rejected, cross, g, notes)


def _same(x, y, u, v, atol: float) -> bool:
    return bool(np.allclose(x, u, atol=atol) and np.allclose(y, v, atol=atol))


def _verified_candidates(A, B, An, Bn, method, tol, notes) -> tuple[list, int, bool]:
    """Phase 1: nashpy's candidates on ``(A, B)``, kept when their regret on the
    normalised game is at most ``tol``: ``(verified, rejected count, nashpy failed)``."""
    m, n = An.shape
    candidates = []
    nash_failed = False
    if min(m, n) == 1:
        notes.append("a 1xN game: equilibria come from the polytope certificate alone")
        nash_failed = True
    else:
        try:
            candidates = _run_nashpy(A, B, method)
        except Exception as exc:  # qhull/linalg failures on degenerate polytopes
            nash_failed = True
            notes.append(f"nashpy {method} failed ({type(exc).__name__}); "
                         "equilibria come from the polytope certificate")
    verified, rejected = [], 0
    for x, y in candidates:
        x = np.asarray(x, float)
        y = np.asarray(y, float)
        if (x.shape != (m,) or y.shape != (n,) or not np.all(np.isfinite(x))
                or not np.all(np.isfinite(y)) or x.sum() <= 0 or y.sum() <= 0):
            rejected += 1
            continue
        x, y = _clean(x), _clean(y)
        if _regret(An, Bn, x, y) <= tol:
            verified.append((x, y))
        else:
            rejected += 1
    return _dedupe(verified, DEDUPE_TOL), rejected, nash_failed


def _certify(An, Bn, verified, method, tol, nash_failed, notes):
    """Phase 2, the polytope certificate: every extreme equilibrium by exhaustive
    vertex enumeration; missed ones are added, non-extreme ones folded into the
    maximal Nash subsets. ``(verified, degenerate, complete, missed, subsets)``."""
    try:
        extreme, degenerate = extreme_equilibria(An, Bn)
    except OverflowError:
        notes.append(f"game too large for the exhaustive certificate (> {MAX_BASES} "
                     "bases): completeness, degeneracy and finiteness not established")
        return verified, None, False, 0, []
    extreme = _dedupe([(_clean(x), _clean(y)) for x, y in extreme], DEDUPE_TOL)
    extreme = [(x, y) for x, y in extreme if _regret(An, Bn, x, y) <= tol]
    missed = 0
    for x, y in extreme:
        if not any(_same(x, y, u, v, DEDUPE_TOL) for u, v in verified):
            verified.append((x, y))
            missed += 1
    if nash_failed:
        missed = 0
    if method != "vertex_enumeration" or degenerate:
        # non-extreme candidates (support enumeration in a degenerate game)
        # are kept only if they are extreme
        kept = [(x, y) for x, y in verified
                if any(_same(x, y, u, v, DEDUPE_TOL) for u, v in extreme)]
        dropped = len(verified) - len(kept)
        if dropped:
            notes.append(f"{dropped} non-extreme equilibria from {method} were folded "
                         "into the maximal Nash subsets")
        verified = kept
    subsets = maximal_nash_subsets(verified) if degenerate else \
        [([x], [y]) for x, y in verified]
    return verified, degenerate, True, missed, subsets


def _lemke_howson_check(A, B, An, Bn, verified) -> tuple[str, bool]:
    """Phase 3, the independent cross-check: ``(text, agrees)``; Lemke-Howson from
    every starting label must land on an equilibrium of the certified set."""
    try:
        lh = [(_clean(np.asarray(x, float)), _clean(np.asarray(y, float)))
              for x, y in _run_nashpy(A, B, "lemke_howson")
              if np.all(np.isfinite(x)) and np.all(np.isfinite(y)) and np.sum(x) > 0
              and np.sum(y) > 0]
    except _PivotLimit as exc:
        return f"lemke_howson did not finish: {exc}", True
    except Exception as exc:
        return f"lemke_howson failed ({type(exc).__name__})", True
    # nashpy 0.0.43's Lemke-Howson can return a pair that is no equilibrium
    # (seen on non-square games: the column strategy shifted by one action);
    # only a verified equilibrium outside the set counts against completeness
    lh_ok = [(x, y) for x, y in lh if _regret(An, Bn, x, y) <= ACCEPT_RTOL]
    bad = len(lh) - len(lh_ok)
    outside = [(x, y) for x, y in lh_ok
               if not any(_same(x, y, u, v, ACCEPT_RTOL) for u, v in verified)]
    cross = "lemke_howson agrees" if not outside else \
        "lemke_howson found an equilibrium outside"
    if bad:
        cross += f" ({bad} of its {len(lh)} answers were not equilibria and were ignored)"
    return cross, not outside
