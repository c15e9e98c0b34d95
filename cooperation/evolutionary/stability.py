"""Every rest point of the multi-population replicator dynamics, and its stability.

A state ``x`` is a rest point iff, in every population, all actions in use
earn the same payoff: with ``S_i`` the support of ``x_i``::

    f_ia(x) = f_ib(x)   for all a, b in S_i,   x_ia > 0 on S_i,  x_ia = 0 off S_i

So the rest points are found support by support (every non-empty ``S_i`` of
every population: all pure corners, every face, the interior). The system
for one support is polynomial (multilinear in the other populations' shares):

* ``method="exact"``: the payoffs are turned into exact rationals (a float is
  read as its shortest decimal) and sympy solves each system exactly; a
  positive-dimensional solution set is reported as a continuum, with its
  parametric form and a representative point inside the face. ``complete`` is
  True when every system was solved and every feasibility question decided
  exactly (linear systems; zero-dimensional ones), None otherwise.
* ``method="numeric"``: multi-start bounded least squares on each support
  system (seeded); ``complete`` is None (a numerical search certifies nothing).
* ``method="auto"`` (default): exact for games with at most three populations
  and a tangent space of dimension ``sum_i (k_i - 1) <= 4``; numeric otherwise.

Each rest point gets the eigenvalues of the Jacobian on the tangent space of
the product of simplices (one coordinate per binary population) and a
classification that never guesses: ``"non-hyperbolic"`` as soon as one
eigenvalue has a real part within ``tol`` times the payoff range (the largest
range of any player's payoffs), so rescaling money never changes an answer;
otherwise ``"asymptotically stable"`` (all real parts negative),
``"unstable"`` (all positive) or ``"saddle"``. A purely imaginary pair is
marked as a centre of the linearisation, which cannot decide stability.
``strict_nash`` says whether the point is a strict Nash equilibrium; in
multi-population replicator dynamics an asymptotically stable rest point is
always one (Ritzberger and Weibull 1995), so only corners can be stable.

For a symbolic game, ``conditions`` lists every corner's eigenvalues and
stability inequalities in the parameters' own names (Friedman's 1991 method),
and whether each holds at the given values.

References
----------
Friedman, D. (1991). Evolutionary games in economics. *Econometrica* 59(3), 637-666.
Ritzberger, K. and Weibull, J. W. (1995). Evolutionary selection in normal-form
games. *Econometrica* 63(6), 1371-1399.
Hofbauer, J. and Sigmund, K. (1998). *Evolutionary Games and Population
Dynamics*. Cambridge UP, ch. 10.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._numeric import DUST, gap_tol, player_spans
from .._result import ResultMixin
from ..errors import InputError
from .game import EvolutionaryGame
from .rest_points import EIG_RTOL, _solve_exact, _solve_numeric

__all__ = ["EvolutionaryStability", "evolutionary_stability", "classify", "EIG_RTOL"]

_KIND_ORDER = {"corner": 0, "face": 1, "interior": 2, "continuum": 3}


@dataclass(frozen=True, repr=False)
class EvolutionaryStability(ResultMixin):
    """Rest points of the replicator dynamics, their eigenvalues and classes.

    Attributes
    ----------
    rest_points : DataFrame
        One row per rest point (or continuum): ``label``, ``point`` (tuple of
        per-population share vectors, in action order), ``kind`` ("corner",
        "face", "interior", "continuum"), ``support`` (action labels in use),
        ``dimension`` (0, or the continuum's), ``description`` (a continuum's
        parametric form), ``eigenvalues`` (tuple of complex), ``max_real``,
        ``stability``, ``detail``, ``strict_nash``, ``nash``, ``solved``.
    complete : bool or None
        True only when every rest point is certified found (exact solve of
        every support system); None when not established.
    method : str
        "exact (sympy)" or "numeric (multi-start least squares)".
    conditions : DataFrame or None
        Symbolic games: per corner, the eigenvalue expressions, the
        stability inequalities and whether they hold at the values.
    tolerance : float
        The absolute eigenvalue tolerance used (``tol * payoff_range``).
    notes : tuple of str
    """

    rest_points: pd.DataFrame
    complete: bool | None
    method: str
    conditions: pd.DataFrame | None
    players: tuple
    actions: tuple
    tolerance: float
    notes: tuple = ()
    unit: str = ""
    values: dict = field(default_factory=dict)

    @property
    def stable(self) -> pd.DataFrame:
        """The asymptotically stable rest points (strict equilibria, all corners)."""
        rp = self.rest_points
        return rp[rp["stability"] == "asymptotically stable"]

    def _summary(self):
        rp = self.rest_points
        counts = rp["stability"].value_counts().to_dict()
        out = [("populations", ", ".join(self.players)),
               ("rest points", f"{len(rp)} ({', '.join(f'{v} {k}' for k, v in counts.items())})"),
               ("asymptotically stable", ", ".join(self.stable["label"]) or "none"),
               ("complete", self.complete), ("method", self.method)]
        for note in self.notes:
            out.append(("note", note))
        return out

    def to_frame(self) -> pd.DataFrame:
        """The rest-point table with readable columns (eigenvalues rounded for display)."""
        rp = self.rest_points
        df = rp[["label", "kind", "support", "stability", "strict_nash", "nash",
                 "max_real", "detail", "description", "solved"]].copy()
        df.insert(3, "eigenvalues", [tuple(_fmt_complex(z) for z in e)
                                     for e in rp["eigenvalues"]])
        return df.set_index("label")

    def to_latex(self, path=None, caption: str | None = None, label: str = "tab:ess") -> str:
        """The stability table as LaTeX (symbolic games: the conditions table).

        Columns: rest point, eigenvalues (in the parameters' names for a
        symbolic game), the stability condition, and the class at the values.
        Written atomically to ``path`` when given; the text is returned.
        """
        import sympy

        from .symbolic import latex_table

        rows = []
        if self.conditions is not None:
            c = self.conditions
            for lab, r in c.iterrows():
                eig = ", ".join(f"${sympy.latex(e)}$" for e in r["eigenvalues"])
                conds = r["inequalities"]
                if all(x is sympy.true for x in conds):
                    ctext = "always"
                elif any(x is sympy.false for x in conds):
                    ctext = "never"
                else:
                    ctext = "$" + ",\\ ".join(sympy.latex(x) for x in conds
                                              if x is not sympy.true) + "$"
                rows.append({"Point": f"${lab}$", "Eigenvalues": eig, "ESS condition": ctext,
                             "At the values": r["stability"]})
            cols = ["Point", "Eigenvalues", "ESS condition", "At the values"]
            cap = caption or "Stability of the corner rest points (Friedman's method)"
        else:
            for _, r in self.rest_points.iterrows():
                rows.append({"Point": f"${r['label']}$", "Kind": r["kind"],
                             "Eigenvalues": ", ".join(f"${_fmt_complex(z)}$"
                                                      for z in r["eigenvalues"]),
                             "Stability": r["stability"]})
            cols = ["Point", "Kind", "Eigenvalues", "Stability"]
            cap = caption or "Rest points of the replicator dynamics"
        text = latex_table(rows, cols, caption=cap, label=label)
        if path is not None:
            from .._io import atomic_write_text

            atomic_write_text(path, text)
        return text


def _fmt_complex(z: complex, digits: int = 6) -> str:
    z = complex(z)
    if z.imag == 0:
        return f"{z.real:.{digits}g}"
    sign = "+" if z.imag >= 0 else "-"
    return f"{z.real:.{digits}g}{sign}{abs(z.imag):.{digits}g}i"


def classify(eigenvalues, tol: float) -> tuple[str, str]:
    """``(stability, detail)`` from tangent-space eigenvalues and an absolute tolerance.

    Non-hyperbolic when any real part is within ``tol`` of zero (linearisation
    cannot decide); otherwise asymptotically stable / unstable / saddle.
    """
    ev = np.asarray(eigenvalues, dtype=complex)
    if ev.size == 0:
        return "asymptotically stable", "no tangent directions (one action each)"
    re, im = ev.real, ev.imag
    zero = np.abs(re) <= tol
    if zero.any():
        osc = zero & (np.abs(im) > tol)
        if zero.all() and osc.all():
            detail = "centre of the linearisation (purely imaginary eigenvalues)"
        elif osc.any():
            detail = "purely imaginary pair: linearisation cannot decide"
        else:
            detail = f"{int(zero.sum())} zero eigenvalue(s): linearisation cannot decide"
        return "non-hyperbolic", detail
    if (re < 0).all():
        return "asymptotically stable", "sink" + (" (spiral)" if (np.abs(im) > tol).any() else "")
    if (re > 0).all():
        return "unstable", "source" + (" (spiral)" if (np.abs(im) > tol).any() else "")
    return "saddle", f"{int((re > 0).sum())} unstable, {int((re < 0).sum())} stable direction(s)"


def evolutionary_stability(eg: EvolutionaryGame, method: str = "auto", tol: float = EIG_RTOL,
                           seed=0, starts: int = 24) -> EvolutionaryStability:
    """Find every rest point of the multi-population replicator dynamics and classify it.

    Parameters
    ----------
    eg : EvolutionaryGame
    method : {"auto", "exact", "numeric"}
        How the rest-point equations are solved (see the module docstring).
    tol : float
        Relative eigenvalue tolerance: real parts within ``tol`` times the
        payoff range count as zero (non-hyperbolic).
    seed : int, SeedSequence or Generator
        Start points of the numeric search (unused by the exact method).
    starts : int
        Start points per support in the numeric search.

    Returns
    -------
    EvolutionaryStability

    Examples
    --------
    >>> import cooperation as co
    >>> pd_ = co.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                                       actions=[["C", "D"], ["C", "D"]])
    >>> st = co.evolutionary_stability(co.EvolutionaryGame(pd_))
    >>> st.stable["label"].tolist(), st.complete
    (['(0, 0)'], True)
    """
    if not isinstance(eg, EvolutionaryGame):
        raise InputError("must be an EvolutionaryGame", field="eg", value=type(eg).__name__,
                         fix="wrap a game: co.EvolutionaryGame(game)")
    if method not in ("auto", "exact", "numeric"):
        raise InputError("must be 'auto', 'exact' or 'numeric'", field="method", value=method)
    if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 0 <= tol < 1:
        raise InputError("must be a number in [0, 1)", field="tol", value=tol)
    shape = eg.shape
    dim = sum(k - 1 for k in shape)
    if method == "auto":
        method = "exact" if (eg.n_populations <= 3 and dim <= 4) else "numeric"
    R = eg.payoff_range
    eig_tol = float(tol) * R
    notes: list[str] = []
    if method == "exact":
        found, certified, more = _solve_exact(eg)
        method_name = "exact (sympy)"
    else:
        found, certified, more = _solve_numeric(eg, seed, starts)
        method_name = "numeric (multi-start least squares)"
    notes += more
    rows = [_row(eg, p, eig_tol) for p in found]
    rows.sort(key=lambda r: (_KIND_ORDER[r["kind"]], r["_order"]))
    for r in rows:
        r.pop("_order")
        if r["stability"] == "asymptotically stable" and not r["strict_nash"]:
            notes.append(f"{r['label']}: stable but not strict (contradicts Ritzberger-Weibull: "
                         "numerical trouble)")
    cols = ["label", "point", "kind", "support", "dimension", "description", "eigenvalues",
            "max_real", "stability", "detail", "strict_nash", "nash", "solved"]
    df = pd.DataFrame(rows, columns=cols)
    conditions = None
    if eg.is_symbolic:
        conditions = _conditions_table(eg, df)
    return EvolutionaryStability(df, certified, method_name, conditions, eg.players,
                                 eg.actions, eig_tol, tuple(notes), eg.unit, eg.values)


# ---------------------------------------------------------------------------- rows
def _label(eg: EvolutionaryGame, point) -> str:
    if all(k == 2 for k in eg.shape):
        return "(" + ", ".join(_short(float(p[0])) for p in point) + ")"
    return "(" + "; ".join(", ".join(_short(float(v)) for v in p) for p in point) + ")"


def _short(v: float) -> str:
    if abs(v - round(v)) < DUST:
        return str(int(round(v)))
    return f"{v:.4g}"


def _row(eg: EvolutionaryGame, found: dict, eig_tol: float) -> dict:
    point = found["point"]
    x = np.concatenate([np.asarray(p, float) for p in point])
    J = eg.jacobian(x)
    ev = np.linalg.eigvals(J) if J.size else np.zeros(0, complex)
    ev = ev[np.lexsort((ev.imag, ev.real))]
    kind = found["kind"]
    if kind == "continuum":
        stability = "non-hyperbolic"
        detail = f"continuum of rest points (dimension {found['dimension']})"
    else:
        stability, detail = classify(ev, eig_tol)
    supp = found["support"]
    strict, nash = _nash_flags(eg, point, supp)
    return {"label": _label(eg, point), "point": tuple(tuple(float(v) for v in p) for p in point),
            "kind": kind,
            "support": tuple(tuple(eg.actions[i][a] for a in s) for i, s in enumerate(supp)),
            "dimension": found.get("dimension", 0), "description": found.get("description", ""),
            "eigenvalues": tuple(complex(z) for z in ev),
            "max_real": float(ev.real.max()) if ev.size else float("nan"),
            "stability": stability, "detail": detail, "strict_nash": strict, "nash": nash,
            "solved": found["solved"], "_order": found["order"]}


def _nash_flags(eg: EvolutionaryGame, point, supp) -> tuple[bool, bool]:
    """(strict Nash, Nash) of a state, with range-relative payoff tolerances."""
    spans = player_spans(eg.payoffs)
    dev = eg.game.deviation_payoffs([np.asarray(p, float) for p in point])
    nash, strict = True, True
    for i, d in enumerate(dev):
        cur = float(d @ np.asarray(point[i], float))
        t = float(gap_tol(spans[i], cur))
        if d.max() - cur > t:
            nash = False
        if len(supp[i]) > 1:
            strict = False
        else:
            a = supp[i][0]
            others = np.delete(d, a)
            if others.size and not (others - d[a] < -t).all():
                strict = False
    return bool(strict and nash), bool(nash)




# ---------------------------------------------------------------------------- conditions
def _conditions_table(eg: EvolutionaryGame, rp: pd.DataFrame) -> pd.DataFrame:
    import sympy

    from .symbolic import corner_conditions, exact_number, share_symbols

    xs = share_symbols(eg.players, eg.shape, set(eg.parameters))
    items = corner_conditions(eg.expressions, xs, eg.shape)
    sub = {s: exact_number(eg.values[s.name]) for s in eg._symbols}
    by_label = dict(zip(rp["label"], rp["stability"], strict=True))
    rows = []
    for it in items:
        prof = it["profile"]
        point = tuple(tuple(1.0 if a == b else 0.0 for b in range(k))
                      for a, k in zip(prof, eg.shape, strict=True))
        lab = _label(eg, point)
        at = [sympy.nsimplify(e.xreplace(sub)) for e in it["eigenvalues"]]
        texts = [c[0] for c in it["conditions"]]
        rels = tuple(c[1] for c in it["conditions"])
        holds = all(v < 0 for v in at)
        if all(t == "always" for t in texts):
            cond = "always"
        elif "never" in texts:
            cond = "never"
        else:
            cond = " and ".join(t for t in texts if t != "always")
        rows.append({"point": lab,
                     "profile": tuple(eg.actions[i][a] for i, a in enumerate(prof)),
                     "eigenvalues": tuple(it["eigenvalues"]),
                     "eigenvalues_text": tuple(sympy.sstr(e) for e in it["eigenvalues"]),
                     "condition": cond, "inequalities": rels,
                     "eigenvalues_at_values": tuple(float(v) for v in at),
                     "holds": bool(holds), "stability": by_label.get(lab, "")})
    return pd.DataFrame(rows).set_index("point")
