"""Nucleolus and prenucleolus by sequential LPs, each answer certified by Kohlberg.

The nucleolus (Schmeidler 1969) of ``v`` is the imputation
(``x(N) = v(N)``, ``x_i >= v({i})``) that lexicographically minimises the
vector of excesses ``e(S, x) = v(S) - x(S)`` sorted in decreasing order; the
prenucleolus does the same over all pre-imputations (``x(N) = v(N)`` only).
Both are unique. When the core is non-empty the nucleolus lies in it.

Algorithm: the Maschler-Peleg-Shapley sequence of LPs with fixing by dual
values and constraint generation (``_sequential``), then the answer is
checked by Kohlberg's criterion (``kohlberg``) and ``certified`` reports
whether it passed. A result that fails the check is still returned, with
``certified=False`` and the reason in ``message``: never silently.

Cost games: pass ``v = -c`` (or the savings game); the allocation is then
the negated cost shares (or the savings per player).

References
----------
Schmeidler, D. (1969). The nucleolus of a characteristic function game.
*SIAM Journal on Applied Mathematics* 17, 1163-1170.
Maschler, M., Peleg, B. and Shapley, L. S. (1979). *Mathematics of
Operations Research* 4, 303-338.
Kohlberg, E. (1971). *SIAM Journal on Applied Mathematics* 20, 62-66.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._numeric import DUST, clean_zero
from .._result import ResultMixin
from ..errors import InputError
from ._sequential import SequentialLP
from .kohlberg import KohlbergCertificate, kohlberg_certificate
from .tu_game import as_tugame

__all__ = ["NucleolusResult", "nucleolus", "prenucleolus"]


@dataclass(frozen=True, repr=False)
class NucleolusResult(ResultMixin):
    """The (pre)nucleolus of a TU game with its certificate.

    Attributes
    ----------
    allocation : Series
        Payoff of each player.
    certified : bool
        Kohlberg's criterion holds at ``allocation`` (see ``certificate``).
    certificate : KohlbergCertificate
    excess_levels : ndarray
        The optimal values ``t_1 >= t_2 >= ...`` of the successive LPs: the
        largest excess, then the largest among coalitions not yet fixed, ...
        ``excess_levels[0]`` is the least-core epsilon for the prenucleolus.
    domain : str
        ``"imputation"`` (nucleolus) or ``"preimputation"`` (prenucleolus).
    fixed : DataFrame
        The coalitions fixed at each stage (their dual value was positive).
    status : int
        0 certified, 1 computed but not certified.
    success : bool
    message : str
    lp_solves, rows : int
        LP solves, and coalition rows generated (of ``2**n - 2``).
    """

    allocation: pd.Series
    certified: bool
    certificate: KohlbergCertificate
    excess_levels: np.ndarray
    domain: str
    fixed: pd.DataFrame
    status: int
    success: bool
    message: str
    lp_solves: int
    rows: int

    def _summary(self):
        return [("domain", self.domain), ("allocation", self.allocation.round(6).to_dict()),
                ("certified (Kohlberg)", self.certified),
                ("excess levels", np.round(self.excess_levels, 6).tolist()),
                ("LP solves / rows", f"{self.lp_solves} / {self.rows}"),
                ("message", self.message)]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({self.allocation.name or "allocation": self.allocation})


def _solve(v, imputation: bool, tol: float | None, certify: bool) -> NucleolusResult:
    g = as_tugame(v)
    t = g._tol(tol)
    domain = "imputation" if imputation else "preimputation"
    if imputation and g.singletons.sum() > g.grand_value + t:
        raise InputError(f"the imputation set is empty: sum of v({{i}}) = "
                         f"{g.singletons.sum():.6g} > v(N) = {g.grand_value:.6g}",
                         field="v", value=g.name or "game",
                         fix="use prenucleolus(v), defined for every game")
    scale = g.scale
    eng = SequentialLP(g._unit_scaled(), imputation=imputation, tol=t / scale)
    # -0.0 and rounding dust (below DUST of max |v|) shown and stored as 0
    x = clean_zero(eng.run() * scale, scale, DUST)
    eng.levels = [lv * scale for lv in eng.levels]
    name = "nucleolus" if imputation else "prenucleolus"
    alloc = pd.Series(x, index=pd.Index(g.players, name="player"), name=name)
    fixed = pd.DataFrame(
        [{"stage": k, "level": eng.levels[k], "coalition": "{" + ", ".join(g.members(S)) + "}",
          "mask": S} for S, k in eng.fixed]
        + [{"stage": k, "level": np.nan, "coalition": f"x[{g.players[i]}] = v({{i}})",
            "mask": 1 << i} for i, k in eng.fixed_bounds],
        columns=["stage", "level", "coalition", "mask"])
    if certify:
        cert = kohlberg_certificate(g, x, domain=domain, tol=t)
    else:
        cert = KohlbergCertificate(False, domain, pd.DataFrame(), "not checked (certify=False)",
                                   t)
    ok = bool(cert.satisfied)
    msg = (f"{name} certified by Kohlberg's criterion ({len(cert.levels)} level(s) checked)"
           if ok else f"{name} computed but NOT certified: {cert.reason}")
    return NucleolusResult(alloc, ok, cert, np.asarray(eng.levels, dtype=float), domain, fixed,
                           0 if ok else 1, ok, msg, eng.lp.solves, eng.rows_added)


def nucleolus(v, *, tol: float | None = None, certify: bool = True) -> NucleolusResult:
    """Nucleolus of a TU game (over the imputation set), certified.

    Lexicographically minimises the decreasingly sorted excesses
    ``e(S, x) = v(S) - x(S)`` over imputations ``x(N) = v(N)``,
    ``x_i >= v({i})``: sequential LPs fixing coalitions by positive dual values,
    with constraint generation (HiGHS), then Kohlberg's criterion as the
    certificate.

    Parameters
    ----------
    v : TUGame
    tol : float, optional
        Absolute tolerance on excesses; default ``1e-9 * max |v|``.
    certify : bool
        Run Kohlberg's check (default). ``certified`` is False when skipped.

    Returns
    -------
    NucleolusResult
        ``.allocation`` (Series), ``.certified``, ``.excess_levels``.

    Raises
    ------
    InputError
        When the imputation set is empty (``sum_i v({i}) > v(N)``).

    References
    ----------
    Schmeidler (1969); Maschler, Peleg and Shapley (1979); Kohlberg (1971).

    Examples
    --------
    >>> import cooperation as co
    >>> talmud = co.TUGame.bankruptcy(200, [100, 200, 300])   # Aumann-Maschler 1985
    >>> res = co.nucleolus(talmud)
    >>> res.allocation.round(6).tolist(), res.certified
    ([50.0, 75.0, 75.0], True)
    """
    return _solve(v, True, tol, certify)


def prenucleolus(v, *, tol: float | None = None, certify: bool = True) -> NucleolusResult:
    """Prenucleolus: the nucleolus over all pre-imputations (``x(N) = v(N)`` only).

    Same algorithm and certificate as :func:`nucleolus`, without the bounds
    ``x_i >= v({i})``; defined for every game. Equals the nucleolus when the
    core is non-empty (and for 0-monotonic games).

    Examples
    --------
    >>> import cooperation as co
    >>> v = co.TUGame([0, 0, 0, 1, 0, 1, 1, 1])
    >>> co.prenucleolus(v).allocation.round(6).tolist()
    [0.333333, 0.333333, 0.333333]
    """
    return _solve(v, False, tol, certify)
