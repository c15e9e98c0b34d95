"""Payoff tables written with named parameters, the symbolic replicator system,
corner stability conditions in the parameters' own names, and LaTeX export.

A paper on an evolutionary game of governments writes its payoff table with
letters (``R1 - C1 + F``) and gives the values separately. Here each entry is
an expression string, parsed by sympy after a whitelist check (identifiers,
numbers, ``+ - * / ^ **`` and brackets only: nothing in a data file is ever
evaluated as Python). Every identifier is a real parameter.

The replicator system is written in *reduced* coordinates, the literature's
``x, y, z``: for population ``i`` the shares of every action but the last
(for a binary population, the share ``x_i`` playing its first action, e.g.
"cooperate"), the last share being ``1 - sum``. For a binary population::

    dx_i/dt = x_i (1 - x_i) (f_i0(x_-i) - f_i1(x_-i))

At a pure profile (a corner) the Jacobian is block-triangular and its
eigenvalues are the gains from the unilateral switches
``u_i(b, a_-i) - u_i(a_i, a_-i)``; the corner is asymptotically stable iff
each is negative (Friedman 1991), i.e. iff it is a strict Nash equilibrium.
Each condition ``lambda < 0`` is shown as ``P < N`` with ``P`` the terms of
``lambda`` with positive coefficients and ``N`` the others, negated.

References
----------
Friedman, D. (1991). Evolutionary games in economics. *Econometrica* 59(3), 637-666.
Ritzberger, K. and Weibull, J. W. (1995). Evolutionary selection in normal-form
games. *Econometrica* 63(6), 1371-1399.
Meurer, A. et al. (2017). SymPy: symbolic computing in Python. *PeerJ Comput. Sci.* 3, e103.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import GameError

__all__ = ["parse_expression", "parse_table", "exact_number", "share_symbols",
           "reduced_system", "corner_conditions", "condition_text", "latex_table"]

_ALLOWED = re.compile(r"^[\w\s.+\-*/^()]*$", re.UNICODE)
_IDENT = re.compile(r"(?<![\w.])([^\W\d]\w*)", re.UNICODE)
_RESERVED = {"and", "or", "not", "in", "is", "if", "else", "lambda", "for", "while", "def",
             "class", "import", "from", "return", "None", "True", "False", "with", "as",
             "del", "pass", "yield", "global", "nonlocal", "try", "except", "raise",
             "finally", "assert", "break", "continue", "elif", "await", "async"}


def exact_number(x):
    """A float as the sympy Rational of its shortest decimal repr (``0.1 -> 1/10``)."""
    import sympy

    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return sympy.Integer(int(x))
    return sympy.Rational(repr(float(x)))


def parse_expression(text, field: str, symbols: dict):
    """Parse one payoff expression; new identifiers are added to ``symbols``.

    Only identifiers, numbers, ``+ - * / ^ **`` and brackets are accepted;
    every identifier is a real parameter (sympy ``Symbol(name, real=True)``).
    """
    import sympy
    from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

    if isinstance(text, bool):
        raise GameError("must be an expression string or a number", field=field, value=text)
    if isinstance(text, (int, float, np.integer, np.floating)):
        if not math.isfinite(float(text)):
            raise GameError("must be finite", field=field, value=text)
        return exact_number(text)
    if not isinstance(text, str) or not text.strip():
        raise GameError("must be an expression string or a number", field=field, value=text)
    if not _ALLOWED.match(text) or "__" in text:
        raise GameError("may contain only parameter names, numbers, + - * / ^ ** and brackets",
                        field=field, value=text)
    names = set(_IDENT.findall(text))
    bad = sorted(names & _RESERVED)
    if bad:
        raise GameError(f"{bad[0]!r} is a reserved word, not a parameter name", field=field,
                        value=text, fix="rename the parameter")
    local = {}
    for nm in names:
        if nm not in symbols:
            symbols[nm] = sympy.Symbol(nm, real=True)
        local[nm] = symbols[nm]
    try:
        expr = parse_expr(text, local_dict=local, global_dict={"Integer": sympy.Integer,
                                                               "Float": sympy.Float,
                                                               "Rational": sympy.Rational,
                                                               "Symbol": sympy.Symbol},
                          transformations=standard_transformations + (convert_xor,),
                          evaluate=True)
    except Exception as exc:  # sympy raises SyntaxError, TokenError, TypeError...
        raise GameError(f"is not a valid expression ({type(exc).__name__})", field=field,
                        value=text) from None
    if not isinstance(expr, sympy.Expr):
        raise GameError("is not an arithmetic expression", field=field, value=text)
    # floats typed in the table (0.5) become exact decimals
    expr = expr.xreplace({f: sympy.Rational(str(f)) for f in expr.atoms(sympy.Float)})
    return expr


def _finite(v) -> bool:
    """Whether ``float(v)`` is finite (an integer beyond the double range is not)."""
    try:
        return math.isfinite(float(v))
    except (OverflowError, TypeError, ValueError):
        return False


def parse_table(players: Sequence[str], actions: Sequence[Sequence[str]],
                payoffs: Mapping, values: Mapping):
    """Parse a payoff table with named parameters.

    Returns ``(expressions, symbols, values)``: an object array of shape
    ``(n, k_1, ..., k_n)`` of sympy expressions, the parameter symbols in
    sorted order, and the values as floats (checked: one finite number per
    parameter, no unknown names).
    """
    n = len(players)
    shape = tuple(len(a) for a in actions)
    if not isinstance(payoffs, Mapping):
        raise GameError("must map each profile (a tuple of action labels) to one expression "
                        "per player", field="payoffs", value=type(payoffs).__name__)
    symbols: dict = {}
    E = np.empty((n,) + shape, dtype=object)
    seen = np.zeros(shape, dtype=bool)
    for key, row in payoffs.items():
        prof = (key,) if isinstance(key, str) else tuple(key)
        where = f"payoffs[{key!r}]"
        if len(prof) != n:
            raise GameError(f"a profile names one action per player ({n}: {list(players)})",
                            field=where, value=key)
        idx = []
        for i, a in enumerate(prof):
            if a not in actions[i]:
                raise GameError(f"unknown action of {players[i]}; actions are "
                                f"{list(actions[i])}", field=where, value=a)
            idx.append(actions[i].index(a))
        idx = tuple(idx)
        if seen[idx]:
            raise GameError("profile given twice", field=where, value=key)
        seen[idx] = True
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or len(row) != n:
            raise GameError(f"needs one expression per player ({n})", field=where, value=row)
        for i, text in enumerate(row):
            E[(i,) + idx] = parse_expression(text, f"{where}[{i}]", symbols)
    if not seen.all():
        miss = tuple(int(v) for v in np.argwhere(~seen)[0])
        lab = tuple(actions[i][a] for i, a in enumerate(miss))
        raise GameError(f"every profile needs a payoff row; {int((~seen).sum())} missing",
                        field="payoffs", value=lab, fix="add a row for each profile")
    if not isinstance(values, Mapping):
        raise GameError("must map parameter names to numbers", field="values",
                        value=type(values).__name__)
    vals = {}
    for nm, v in values.items():
        if nm not in symbols:
            raise GameError(f"unknown parameter; the table uses {sorted(symbols)}",
                            field=f"values[{nm!r}]", value=v)
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or not _finite(v):
            huge = isinstance(v, int) and not isinstance(v, bool)
            shown = f"an integer of {v.bit_length()} bits" if huge else v
            raise GameError("must be a finite number", field=f"values[{nm!r}]", value=shown)
        vals[str(nm)] = float(v)
    missing = sorted(set(symbols) - set(vals))
    if missing:
        raise GameError("every parameter needs a value", field="values", value=missing,
                        fix=f"add values for {', '.join(missing)}")
    syms = tuple(symbols[k] for k in sorted(symbols))
    return E, syms, {k: vals[k] for k in sorted(vals)}


def share_symbols(players: Sequence[str], shape: Sequence[int], taken: set[str]):
    """Reduced share symbols: one list per population (``k_i - 1`` each).

    Up to three binary populations get the literature's ``x, y, z`` (unless a
    parameter already has that name); otherwise ``x1, x2, ...`` for binary
    populations and ``x1_1, x1_2, ...`` (population, action) in general.
    """
    import sympy

    n = len(shape)
    if all(k == 2 for k in shape) and n <= 3 and not ({"x", "y", "z"} & taken):
        names = [["x"], ["y"], ["z"]][:n]
    elif all(k == 2 for k in shape):
        names = [[f"x{i + 1}"] for i in range(n)]
    else:
        names = [[f"x{i + 1}_{a + 1}" for a in range(k - 1)] for i, k in enumerate(shape)]
    for row in names:
        for nm in row:
            if nm in taken:
                raise GameError(f"the share variable {nm!r} clashes with a parameter name",
                                field="values", value=nm, fix="rename the parameter")
    return [[sympy.Symbol(nm, real=True) for nm in row] for row in names]


def _full_shares(xs):
    """Per population, the full share vector from reduced symbols."""
    import sympy

    return [list(row) + [sympy.Integer(1) - sum(row, sympy.Integer(0))] for row in xs]


def expected_payoffs_symbolic(E, shares):
    """``f[i][a]``: expected payoff of population ``i`` playing ``a``, polynomial in
    the other populations' shares (``shares[j]`` full vectors)."""
    import sympy

    n = E.shape[0]
    shape = E.shape[1:]
    f = [[sympy.Integer(0)] * shape[i] for i in range(n)]
    for prof in itertools.product(*[range(k) for k in shape]):
        for i in range(n):
            w = sympy.Integer(1)
            for j in range(n):
                if j != i:
                    w = w * shares[j][prof[j]]
            f[i][prof[i]] = f[i][prof[i]] + w * E[(i,) + prof]
    return [[sympy.expand(v) for v in row] for row in f]


def reduced_system(E, xs):
    """The replicator vector field in reduced coordinates: a list of sympy
    expressions, one per reduced share, in the order of ``xs`` flattened."""
    import sympy

    shares = _full_shares(xs)
    f = expected_payoffs_symbolic(E, shares)
    F = []
    for i, row in enumerate(xs):
        mean = sum((shares[i][b] * f[i][b] for b in range(len(shares[i]))), sympy.Integer(0))
        for a, x in enumerate(row):
            F.append(x * (f[i][a] - mean))
    return F


def _split(expr):
    """``expr = P - N`` with ``P`` the terms of positive coefficient."""
    import sympy

    e = sympy.expand(expr)
    pos, neg = sympy.Integer(0), sympy.Integer(0)
    for term in sympy.Add.make_args(e):
        c, _ = term.as_coeff_Mul()
        if c.is_negative:
            neg -= term
        else:
            pos += term
    return pos, neg


def condition_text(eig) -> tuple[str, object]:
    """``(text, relational)`` for ``eig < 0`` in the form ``P < N``.

    A constant eigenvalue gives ``"always"`` (negative) or ``"never"``
    (zero or positive; zero: non-hyperbolic for every parameter value).
    """
    import sympy

    e = sympy.expand(eig)
    if not e.free_symbols:
        return ("always" if e.is_negative else "never"), (sympy.true if e.is_negative
                                                          else sympy.false)
    pos, neg = _split(e)
    rel = sympy.StrictLessThan(pos, neg, evaluate=False)
    return f"{sympy.sstr(pos)} < {sympy.sstr(neg)}", rel


def corner_conditions(E, xs, shape):
    """Symbolic eigenvalues and stability inequalities at every corner.

    The Jacobian of the reduced system is computed by sympy and evaluated at
    each pure profile; its eigenvalues come from the factored characteristic
    polynomial (no closed form is assumed).

    Returns a list of dicts ``{"profile", "eigenvalues", "conditions"}`` in
    profile order; ``conditions`` is a list of ``(text, relational)``.
    """
    import sympy

    F = reduced_system(E, xs)
    flat = [x for row in xs for x in row]
    J = sympy.Matrix(F).jacobian(flat)
    lam = sympy.Symbol("lambda_")
    out = []
    for prof in itertools.product(*[range(k) for k in shape]):
        sub = {}
        for i, row in enumerate(xs):
            for a, x in enumerate(row):
                sub[x] = sympy.Integer(1 if prof[i] == a else 0)
        Jc = J.xreplace(sub).applyfunc(sympy.expand)
        eigs = _eigenvalues(Jc, lam)
        out.append({"profile": prof, "eigenvalues": eigs,
                    "conditions": [condition_text(e) for e in eigs]})
    return out


def _eigenvalues(M, lam):
    """Eigenvalues of a symbolic matrix with multiplicity, from the factored
    characteristic polynomial (linear factors read off; others by ``roots``)."""
    import sympy

    if M.is_lower or M.is_upper:
        return [sympy.expand(M[k, k]) for k in range(M.shape[0])]
    p = M.charpoly(lam).as_expr()
    _, factors = sympy.factor_list(p, lam)
    eigs = []
    for fac, mult in factors:
        poly = sympy.Poly(fac, lam)
        if poly.degree() == 1:
            a, b = poly.all_coeffs()
            eigs += [sympy.expand(-b / a)] * mult
        else:
            rts = sympy.roots(poly)
            if sum(rts.values()) != poly.degree():
                raise GameError("could not find the eigenvalues in closed form",
                                field="payoffs", value=str(fac))
            for r, m in rts.items():
                eigs += [sympy.simplify(r)] * (m * mult)
    return eigs


def latex_table(rows: Sequence[dict], columns: Sequence[str], caption: str = "",
                label: str = "") -> str:
    """A LaTeX ``table`` with a ``tabular`` of the given rows (cells already LaTeX)."""
    spec = "l" * len(columns)
    lines = ["\\begin{table}[ht]", "\\centering"]
    if caption:
        lines.append(f"\\caption{{{caption}}}")
    if label:
        lines.append(f"\\label{{{label}}}")
    lines += [f"\\begin{{tabular}}{{{spec}}}", "\\hline",
              " & ".join(columns) + " \\\\", "\\hline"]
    for r in rows:
        lines.append(" & ".join(str(r[c]) for c in columns) + " \\\\")
    lines += ["\\hline", "\\end{tabular}", "\\end{table}", ""]
    return "\n".join(lines)
