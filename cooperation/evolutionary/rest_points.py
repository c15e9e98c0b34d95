"""Rest points of the multi-population replicator dynamics, face by face.

A rest point with support ``(S_1, ..., S_n)`` (the actions each population
plays) makes every population indifferent among its supported actions::

    f_i(a) = f_i(b)   for all a, b in S_i,   f_i(a) = sum_{a_-i} u_i(a, a_-i) prod_j x_j(a_j)

with the shares of each population summing to one. Corners have no unknowns;
on every other face the indifference system is polynomial in the shares.
:func:`_solve_exact` solves it with sympy on each of the ``prod_i (2^k_i - 1)``
faces (exact rationals where the payoffs are), reporting whole faces or lines
of solutions as continua; :func:`_solve_numeric` is the least-squares
fallback from many seeded starts for games too large for that.

References
----------
Hofbauer, J. and Sigmund, K. (1998). *Evolutionary Games and Population
Dynamics*. Cambridge UP, ch. 10.
"""

from __future__ import annotations

import itertools

import numpy as np

from .._numeric import ACCEPT_RTOL, PROB_TOL, RTOL, TINY
from .game import EvolutionaryGame

#: eigenvalue real parts within EIG_RTOL * payoff range count as zero (non-hyperbolic);
#: also the relative rank tolerance of a root's Jacobian in the numeric search
EIG_RTOL = 1e-7
#: shares (unit-free) closer than this to 0 count as on the boundary in numeric search
_SHARE_TOL = PROB_TOL
#: least-squares search for interior rest points: solver tolerances, and the largest
#: residual of an accepted root (shares and payoffs at order one)
_LSQ_TOL = 1e-15
_ROOT_RESID = 1e-10
#: a symbolic eigenvalue (50 digits) with |Im| above this is complex, Re below it not > 0
_SYM_ZERO = "1e-40"


def _supports(shape):
    per = [[s for r in range(1, k + 1) for s in itertools.combinations(range(k), r)]
           for k in shape]
    return list(itertools.product(*per))


def _support_kind(supp, shape) -> str:
    if all(len(s) == 1 for s in supp):
        return "corner"
    if all(len(s) == k for s, k in zip(supp, shape, strict=True)):
        return "interior"
    return "face"


# ---------------------------------------------------------------------------- exact
def _solve_exact(eg: EvolutionaryGame):
    """Every rest point, support by support, solved exactly with sympy:
    ``(found, certified, notes)`` (``certified`` None where sympy could not decide)."""
    xs, S, f = _exact_fitness(eg)
    found, certified, notes = [], True, []
    for order, supp in enumerate(_supports(eg.shape)):
        unknowns, share_expr, eqs = _face_system(supp, eg.shape, xs, S, f)
        pts, ok, why = _solve_face(eg, supp, order, xs, unknowns, share_expr, eqs)
        found.extend(pts)
        notes.extend(why)
        if ok is None:
            certified = None
    return found, certified, notes


def _exact_fitness(eg: EvolutionaryGame):
    """``(share symbols, generic full-share symbols S, fitness f)``:
    ``f[i][a] = sum_{a_-i} u_i(a, a_-i) prod_{j != i} S[j][a_j]`` with exact payoffs."""
    import sympy

    from .symbolic import exact_number, share_symbols

    n, shape = eg.n_populations, eg.shape
    if eg.is_symbolic:
        sub = {s: exact_number(eg.values[s.name]) for s in eg._symbols}
        E = np.array([sympy.nsimplify(e.xreplace(sub)) for e in eg.expressions.ravel()],
                     dtype=object).reshape(eg.expressions.shape)
    else:
        E = np.array([exact_number(v) for v in eg.payoffs.ravel()],
                     dtype=object).reshape(eg.payoffs.shape)
    xs = share_symbols(eg.players, shape, set(eg.parameters))
    S = [[sympy.Symbol(f"_s{j}_{b}") for b in range(k)] for j, k in enumerate(shape)]
    f = [[sympy.Integer(0)] * shape[i] for i in range(n)]
    for prof in itertools.product(*[range(k) for k in shape]):
        for i in range(n):
            w = sympy.Integer(1)
            for j in range(n):
                if j != i:
                    w *= S[j][prof[j]]
            f[i][prof[i]] += w * E[(i,) + prof]
    return xs, S, f


def _face_system(supp, shape, xs, S, f):
    """On the face of support ``supp``: ``(unknown shares, the shares as expressions,
    the indifference equations f_i(a) = f_i(last of the support))``."""
    import sympy

    sub, unknowns, share_expr = {}, [], []
    for j, s in enumerate(supp):
        last = s[-1]
        row = []
        for b in range(shape[j]):
            if b not in s:
                sub[S[j][b]] = sympy.Integer(0)
                row.append(sympy.Integer(0))
            elif b != last:
                sub[S[j][b]] = xs[j][b]
                unknowns.append(xs[j][b])
                row.append(xs[j][b])
        rest = sympy.Integer(1) - sum((xs[j][b] for b in s if b != last), sympy.Integer(0))
        sub[S[j][last]] = rest
        row.insert(last, rest)
        share_expr.append(row)
    eqs = []
    for i, s in enumerate(supp):
        for a in s[:-1]:
            e = sympy.expand((f[i][a] - f[i][s[-1]]).xreplace(sub))
            if e != 0:
                eqs.append(e)
    return unknowns, share_expr, eqs


def _solve_face(eg, supp, order, xs, unknowns, share_expr, eqs):
    """The rest points in the relative interior of one face: ``(points, certified, notes)``."""
    import sympy

    kind = _support_kind(supp, eg.shape)
    base = {"support": supp, "order": order, "solved": "exact"}
    if not unknowns:
        if eqs:
            raise AssertionError("a corner has no indifference equations")
        pt = tuple(tuple(float(v) for v in row) for row in share_expr)
        return [{**base, "point": pt, "kind": kind}], True, []
    if not eqs:
        # every point of the face's relative interior is a rest point
        rep = {u: sympy.Rational(1, len(supp[i]))
               for i in range(len(supp)) for u in unknowns if u in xs[i]}
        pt = _evaluate(share_expr, rep)
        return [{**base, "point": pt, "kind": "continuum", "dimension": len(unknowns),
                 "description": f"the whole {kind} of support {_supp_text(eg, supp)} "
                                "(every point rests)"}], True, []
    linear = all(sympy.Poly(e, *unknowns).total_degree() <= 1 for e in eqs)
    try:
        sols = sympy.solve(eqs, unknowns, dict=True)
    except NotImplementedError:
        pts = [{**p, "order": order}
               for p in _numeric_support(eg, supp, np.random.default_rng(order), 24)]
        return pts, None, [f"support {_supp_text(eg, supp)}: sympy could not solve; searched "
                           "numerically"]
    certified, notes, found = True, [], []
    if not linear and any(set(unknowns) - set(sol) for sol in sols):
        certified = None
        notes.append(f"support {_supp_text(eg, supp)}: a non-linear system with a "
                     "positive-dimensional solution set; completeness not established")
    for sol in sols:
        free = [u for u in unknowns if u not in sol]
        full = {u: sol.get(u, u) for u in unknowns}
        if not free:
            vals = _exact_point(share_expr, full)
            if vals is not None:
                found.append({**base, "point": vals, "kind": kind})
            continue
        rep, interval, ok = _continuum_point(share_expr, full, free, linear)
        if ok is None:
            certified = None
            notes.append(f"support {_supp_text(eg, supp)}: could not decide whether a "
                         "continuum enters this face")
        if rep is None:
            continue
        pt = _evaluate(share_expr, {**{u: full[u].xreplace(rep) for u in unknowns}})
        desc = "; ".join(f"{u} = {sympy.sstr(full[u])}" for u in unknowns if u not in free)
        desc += ("; " if desc else "") + interval
        found.append({**base, "point": pt, "kind": "continuum", "dimension": len(free),
                      "description": desc})
    return found, certified, notes


def _supp_text(eg, supp) -> str:
    return "(" + "; ".join(",".join(eg.actions[i][a] for a in s) for i, s in enumerate(supp)) + ")"


def _evaluate(share_expr, sub):
    return tuple(tuple(float(v.xreplace(sub)) if hasattr(v, "xreplace") else float(v)
                       for v in row) for row in share_expr)


def _exact_point(share_expr, sol):
    """Float point of an exact solution when it is real with every support share > 0;
    None otherwise (signs decided at 50 significant digits)."""
    import sympy

    out = []
    for row in share_expr:
        vals = []
        for v in row:
            e = v.xreplace(sol) if hasattr(v, "xreplace") else v
            if e == 0 and v != 0:
                return None
            if v == 0:
                vals.append(0.0)
                continue
            z = sympy.N(e, 50)
            re, im = sympy.re(z), sympy.im(z)
            zero = sympy.Float(_SYM_ZERO, 50)
            if abs(im) > zero or re <= zero:
                return None
            vals.append(float(re))
        out.append(tuple(vals))
    return tuple(out)


def _continuum_point(share_expr, full, free, linear):
    """A point inside the face on a parametric solution set.

    Returns ``(rep, text, decided)``: ``rep`` a dict free-var -> Rational with
    every support share > 0 (verified exactly), or None when none was found;
    ``decided`` True when the answer is certain, None when not.
    """
    import sympy

    exprs = []
    for row in share_expr:
        for v in row:
            if v != 0:
                exprs.append(sympy.expand(v.xreplace(full)))
    if linear and len(free) == 1:
        t = free[0]
        lo, hi = -sympy.oo, sympy.oo
        for e in exprs:
            a, b = sympy.Poly(e, t).all_coeffs() if sympy.Poly(e, t).degree() == 1 else (0, e)
            if a == 0:
                if not b > 0:
                    return None, "", True
                continue
            root = -b / a
            if a > 0:
                lo = sympy.Max(lo, root)
            else:
                hi = sympy.Min(hi, root)
        if not lo < hi:
            return None, "", True
        mid = (lo + hi) / 2
        return {t: mid}, f"{t} in ({sympy.sstr(lo)}, {sympy.sstr(hi)})", True
    if linear:
        from scipy.optimize import linprog

        # max s  s.t.  a_k . t + b_k >= s
        A, b = [], []
        for e in exprs:
            P = sympy.Poly(e, *free)
            A.append([float(P.coeff_monomial(u)) for u in free])
            b.append(float(P.coeff_monomial(1)))
        A, b = np.array(A), np.array(b)
        d = len(free)
        c = np.zeros(d + 1)
        c[-1] = -1.0
        res = linprog(c, A_ub=np.hstack([-A, np.ones((len(b), 1))]), b_ub=b,
                      bounds=[(None, None)] * d + [(None, 1.0)], method="highs")
        if res.status != 0:
            return None, "", None
        s = -res.fun
        if s < -RTOL:
            return None, "", True
        if s <= RTOL:
            return None, "", None
        rep = {u: sympy.Rational(v).limit_denominator(10**9) for u, v in zip(free, res.x[:d],
                                                                            strict=True)}
        if all(e.xreplace(rep) > 0 for e in exprs):
            return rep, f"free {', '.join(map(str, free))} (a {d}-dimensional set)", True
        return None, "", None
    # non-linear: seeded search on a grid of the free variables
    rng = np.random.default_rng(0)
    for _ in range(200):
        rep = {u: sympy.Rational(float(v)).limit_denominator(10**6)
               for u, v in zip(free, rng.random(len(free)), strict=True)}
        try:
            if all(e.xreplace(rep) > 0 for e in exprs):
                return rep, f"free {', '.join(map(str, free))}", None
        except TypeError:
            continue
    return None, "", None


# ---------------------------------------------------------------------------- numeric
def _solve_numeric(eg: EvolutionaryGame, seed, starts: int):
    rng = np.random.default_rng(seed)
    found = []
    for order, supp in enumerate(_supports(eg.shape)):
        for p in _numeric_support(eg, supp, rng, starts):
            found.append({**p, "order": order})
    return found, None, ["numeric search: rest points found are verified, but the list is "
                         "not certified complete"]


def _numeric_support(eg: EvolutionaryGame, supp, rng, starts: int):
    from scipy.optimize import least_squares

    shape = eg.shape
    kind = _support_kind(supp, shape)
    R = eg.payoff_range or 1.0

    def build(u):
        parts, pos = [], 0
        for j, s in enumerate(supp):
            v = np.zeros(shape[j])
            m = len(s) - 1
            v[list(s[:-1])] = u[pos:pos + m]
            v[s[-1]] = 1.0 - u[pos:pos + m].sum()
            pos += m
            parts.append(v)
        return parts

    d = sum(len(s) - 1 for s in supp)
    if d == 0:
        pt = build(np.zeros(0))
        return [{"support": supp, "point": tuple(tuple(p) for p in pt), "kind": kind,
                 "solved": "exact"}]

    def resid(u):
        parts = build(u)
        f = eg.fitness(np.concatenate(parts))
        return np.concatenate([(f[i][list(s[:-1])] - f[i][s[-1]]) / R
                               for i, s in enumerate(supp) if len(s) > 1])

    sols, cont = [], []
    for _ in range(starts):
        u0 = np.concatenate([rng.dirichlet(np.ones(len(s)))[:-1] for s in supp])
        try:
            r = least_squares(resid, u0, bounds=(0.0, 1.0), xtol=_LSQ_TOL, ftol=_LSQ_TOL,
                              gtol=_LSQ_TOL)
        except ValueError:
            continue
        if np.abs(r.fun).max() > _ROOT_RESID:
            continue
        parts = build(r.x)
        if any((p[list(s)] <= _SHARE_TOL).any() for p, s in zip(parts, supp, strict=True)):
            continue
        x = np.concatenate(parts)
        if any(np.abs(x - y).max() < ACCEPT_RTOL for y in sols):
            continue
        sv = np.linalg.svd(np.atleast_2d(r.jac), compute_uv=False)
        rank = int((sv > EIG_RTOL * max(sv.max(), TINY)).sum()) if sv.size and sv.max() > 0 else 0
        sols.append(x)
        cont.append(d - rank)
    out = []
    for x, nd in zip(sols, cont, strict=True):
        pt = tuple(tuple(float(v) for v in p) for p in eg.split(x))
        if nd > 0:
            out.append({"support": supp, "point": pt, "kind": "continuum", "dimension": nd,
                        "description": "numeric: rank-deficient rest-point equations "
                                       f"({nd} free direction(s))", "solved": "numeric"})
        else:
            out.append({"support": supp, "point": pt, "kind": kind, "solved": "numeric"})
    # a continuum is found many times along its length: keep one per support
    if any(o["kind"] == "continuum" for o in out):
        out = [o for o in out if o["kind"] != "continuum"] + \
              [next(o for o in out if o["kind"] == "continuum")]
    return out
