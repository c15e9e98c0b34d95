"""Kohlberg's criterion: the certificate that an allocation is the (pre)nucleolus.

For an allocation ``x`` and a number ``alpha`` let
``D(alpha) = {S (not empty, not N) : v(S) - x(S) >= alpha}``.

* Prenucleolus (Kohlberg 1971): ``x`` with ``x(N) = v(N)`` is the
  prenucleolus iff every non-empty ``D(alpha)`` is **balanced**: there are
  weights ``lambda_S > 0`` (all of them positive) with
  ``sum_{S in D} lambda_S 1_S = 1_N``.
* Nucleolus (over the imputations; Peleg and Sudhoelter 2007, ch. 5):
  ``x`` in ``I(v)`` is the nucleolus iff every non-empty ``D(alpha)``
  together with ``Q0 = {{i} : x_i = v({i})}`` is **weakly balanced**:
  ``lambda_S > 0`` on ``D(alpha)``, ``lambda_S >= 0`` on ``Q0``.

Checking every distinct excess value is ``2**n`` checks; two facts cut it
to at most ``n``:

1. if ``D`` is (weakly) balanced and ``T`` lies in the linear span of ``D``,
   then ``D + T`` is (weakly) balanced (move ``1_T``'s coordinates into a
   small multiple of the weights);
2. if ``D(alpha')`` (the previous level) is balanced, every feasible
   direction ``y`` below is orthogonal to its span ``V``.

So the levels are visited in decreasing order, skipping every coalition in
the span ``V`` of what has been checked; at each new level with coalitions
``New`` outside ``V`` the test is the Farkas alternative, one small LP::

    max  sum_{S in New} y(S)
    s.t. y(S) >= 0 (S in New),  y(N) = 0,  y orthogonal to V,
         y_i >= 0 ({i} in Q0, nucleolus only),  -1 <= y_i <= 1

``D`` is (weakly) balanced iff the optimum is 0 (every ``y(S) = 0``).
``V`` then grows by the span of ``New``; at most ``n`` levels add rank.

References
----------
Kohlberg, E. (1971). On the nucleolus of a characteristic function game.
*SIAM Journal on Applied Mathematics* 20, 62-66.
Peleg, B. and Sudhoelter, P. (2007). *Introduction to the Theory of
Cooperative Games*, 2nd ed., section 5.1. Springer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._numeric import LP_DUST, RANK_RTOL, SOLVER_RTOL
from .._result import ResultMixin
from ..errors import InputError
from ..lp import INF, HighsLP
from ._bits import subset_sums
from ._sequential import in_span_mask, span_complement
from .core import as_allocation
from .tu_game import as_tugame

__all__ = ["KohlbergCertificate", "kohlberg_certificate"]


@dataclass(frozen=True, repr=False)
class KohlbergCertificate(ResultMixin):
    """Outcome of Kohlberg's test.

    Attributes
    ----------
    satisfied : bool
        True when every level passed: ``x`` is the (pre)nucleolus (up to ``tol``).
    domain : str
        ``"imputation"`` (nucleolus) or ``"preimputation"`` (prenucleolus).
    levels : DataFrame
        One row per level that added rank: ``alpha`` (excess level),
        ``new_coalitions`` (outside the span so far), ``rank`` after it,
        ``balanced`` and ``violation`` (largest ``y(S)`` of the Farkas LP;
        0 when balanced).
    reason : str or None
        Why the test failed.
    tol : float
    """

    satisfied: bool
    domain: str
    levels: pd.DataFrame
    reason: str | None
    tol: float

    def _summary(self):
        return [("satisfied", self.satisfied), ("domain", self.domain),
                ("levels checked", len(self.levels)), ("reason", self.reason)]

    def to_frame(self) -> pd.DataFrame:
        return self.levels.copy()


def _balanced_direction(n: int, new: np.ndarray, V: np.ndarray, q0: np.ndarray,
                        max_rows: int = 4000) -> tuple[float, np.ndarray]:
    """Solve the Farkas LP of the module notes; return ``(max y(S) over New, y)``."""
    bits = 1 << np.arange(n, dtype=np.int64)
    counts = ((new[:, None] & bits[None, :]) != 0).sum(axis=0).astype(float)
    lower = np.where(q0, 0.0, -1.0)
    lp = HighsLP(-counts, lower, np.ones(n))
    eq = np.vstack([np.ones((1, n)), V.T]) if V.size else np.ones((1, n))
    lp.add_rows(eq, 0.0, 0.0)
    if new.size <= max_rows:
        rows = new
    else:
        rows = new[np.linspace(0, new.size - 1, max_rows // 4).astype(np.int64)]
    lp.add_rows(((rows[:, None] & bits[None, :]) != 0).astype(float), 0.0, INF)
    present = np.zeros(new.size, dtype=bool)
    present[np.searchsorted(new, rows)] = True
    for _ in range(1000):
        y, _, _, _ = lp.solve("Kohlberg balancedness LP")
        ys = subset_sums(y)[new]
        worst = np.flatnonzero((ys < -LP_DUST) & ~present)
        if worst.size == 0:
            return float(ys.max(initial=0.0)), y
        worst = worst[np.argsort(ys[worst])[: 4 * n]]
        present[worst] = True
        lp.add_rows(((new[worst][:, None] & bits[None, :]) != 0).astype(float), 0.0, INF)
    raise RuntimeError("Kohlberg LP: constraint generation did not converge")


def kohlberg_certificate(v, x, domain: str = "imputation",
                         tol: float | None = None) -> KohlbergCertificate:
    """Check Kohlberg's criterion for ``x`` (see the module notes for the test).

    Parameters
    ----------
    v : TUGame
    x : array_like or Series
        Candidate nucleolus (``domain="imputation"``) or prenucleolus
        (``domain="preimputation"``).
    tol : float, optional
        Excesses within ``tol`` of each other form one level, and ``x`` must be
        efficient (and individually rational) to within ``tol``; default
        ``1e-9 * max |v|``.

    Returns
    -------
    KohlbergCertificate
        ``.satisfied`` and the levels checked.

    References
    ----------
    Kohlberg (1971); Peleg and Sudhoelter (2007), ch. 5 (nucleolus) and 6 (prenucleolus).

    Examples
    --------
    >>> import cooperation as co
    >>> maj = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1])
    >>> co.kohlberg_certificate(maj, [1/3, 1/3, 1/3]).satisfied
    True
    >>> co.kohlberg_certificate(maj, [0.5, 0.25, 0.25]).satisfied
    False
    """
    if domain not in ("imputation", "preimputation"):
        raise InputError("must be 'imputation' (nucleolus) or 'preimputation' (prenucleolus)",
                         field="domain", value=domain)
    g = as_tugame(v)
    n = g.n_players
    t = g._tol(tol)
    xa = as_allocation(g, x)
    cols = ["alpha", "new_coalitions", "rank", "balanced", "violation"]

    def fail(reason, rows):
        return KohlbergCertificate(False, domain, pd.DataFrame(rows, columns=cols), reason, t)

    gap = xa.sum() - g.grand_value
    if abs(gap) > t:
        return fail(f"not efficient: x(N) - v(N) = {gap:.3g}", [])
    vi = g.singletons
    q0 = np.zeros(n, dtype=bool)
    if domain == "imputation":
        low = np.flatnonzero(xa < vi - t)
        if low.size:
            i = int(low[0])
            return fail(f"not individually rational: x[{g.players[i]}] = {xa[i]:.6g} < "
                        f"v({{{g.players[i]}}}) = {vi[i]:.6g}", [])
        q0 = np.abs(xa - vi) <= t
    rows = []
    if n == 1:
        return KohlbergCertificate(True, domain, pd.DataFrame(rows, columns=cols), None, t)
    e = g.values - subset_sums(xa)
    free = np.ones(1 << n, dtype=bool)
    free[0] = free[-1] = False
    V = np.zeros((n, 0))
    rank = 0
    bits = 1 << np.arange(n, dtype=np.int64)
    while free.any() and rank < n:
        ef = np.where(free, e, -INF)
        alpha = float(ef.max())
        new = np.flatnonzero(ef >= alpha - t).astype(np.int64)
        viol, _ = _balanced_direction(n, new, V, q0)
        ok = viol <= SOLVER_RTOL
        members = ((new[:, None] & bits[None, :]) != 0).astype(float)
        if new.size > 4 * n:
            gram = members.T @ members
            basis_rows = np.vstack([V.T, gram]) if V.size else gram
        else:
            basis_rows = np.vstack([V.T, members]) if V.size else members
        Z = span_complement(basis_rows, n)
        rank = n - Z.shape[1]
        rows.append((alpha, int(new.size), rank, ok, viol))
        if not ok:
            return fail(f"the coalitions with excess >= {alpha:.6g} are not "
                        f"{'weakly ' if domain == 'imputation' else ''}balanced "
                        f"(a direction improves them all by up to {viol:.3g})", rows)
        # orthonormal basis of the span so far
        _, s, vt = np.linalg.svd(basis_rows, full_matrices=False)
        V = vt[: int((s > RANK_RTOL * max(1.0, s[0])).sum())].T
        free &= ~in_span_mask(Z, n)
    return KohlbergCertificate(True, domain, pd.DataFrame(rows, columns=cols), None, t)
