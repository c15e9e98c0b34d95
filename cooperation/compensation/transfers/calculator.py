"""``design_compensation``: the public function of the transfer design.

It checks the arguments, gathers the problem (target, outside options,
deviations, caps, coalition values, reference) from a game or a scenario of
any size, and hands it to :mod:`.solve`, at order one.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..._checks import check_number
from ..._numeric import DUST, LP_DUST, RTOL, SOLVER_RTOL
from ...coalitions.characteristic import DEFAULT_OUTSIDERS
from ...equilibria.large import default_target
from ...equilibria.outside import outside_option as outside_option_of
from ...errors import InputError
from ...games.model import TENSOR_MAX_PROFILES, PayoffModel
from ...lp import STATUS_INFEASIBLE, STATUS_OPTIMAL, STATUS_TEXT
from ..results.transfers import CompensationResult
from .diagnosis import diagnose
from .options import CoreSpec, Enforcement, SolveSpec, Target
from .problem import FAMILIES, OBJECTIVES, Problem, normalise
from .solve import (
    CORE_FULL_MAX,
    binding,
    clean,
    direction,
    probe_vectors,
    solve,
    transfer_ranges,
    violations,
)

__all__ = ["design_compensation"]


def design_compensation(game, target=None, constraints=None, objective: str = "min_subsidy",
                        outside_option="nash", fine: float = 0.0, capacity=None, reference=None,
                        max_subsidy: float | None = None, *, capacity_share: float = 1.0,
                        detection: float = 1.0, forfeit: str = "transfer",
                        coalition_values=None,
                        outsiders: str = DEFAULT_OUTSIDERS, ranges="auto", backend: str = "pulp",
                        seed=0, tensor_max_profiles: int = TENSOR_MAX_PROFILES,
                        core_max_players: int = 16, tol: float = SOLVER_RTOL,
                        time_limit: float | None = None) -> CompensationResult:
    """Side payments and a subsidy that make a target profile worthwhile for everyone.

    Solves the transfer LP (formulas in the module notes of
    :mod:`cooperation.compensation.transfers`): transfers ``t_i`` (received when
    positive) and a subsidy ``g = sum_i t_i >= 0`` such that, at the target
    profile ``a*``::

        participation     u_i(a*) + t_i >= o_i
        self_enforcement  q t_i >= max_{a_i' != a*_i} u_i(a_i', a*_-i) - u_i(a*) - q F
        capacity          -t_i <= k_i
        core              sum_{i in S} (u_i(a*) + t_i) >= v(S)   for every coalition S
        (always)          sum_i t_i = g >= 0,  g <= max_subsidy

    with a lexicographic objective (min_subsidy: min g, then min sum|t_i|).

    Parameters
    ----------
    game : NormalFormGame, Scenario or payoff array
        A scenario of any size: only the payoffs the LP needs are evaluated
        (the target, the outside option, each unilateral deviation), so
        thousands of jurisdictions are fine; the tensor is used only when it
        has at most ``tensor_max_profiles`` cells.
    target : profile, optional
        Indices, labels, a mapping jurisdiction -> action, or one action label
        for everyone (e.g. ``"cooperate"``). Default: the social optimum
        (small games), or for large scenarios the best welfare 1-opt local
        maximum found by coordinate ascent from everyone-cooperates and
        everyone-self (``target_certified`` is then False).
    constraints : sequence of str, optional
        Families to switch on, from ``participation``, ``self_enforcement``,
        ``capacity``, ``core``. Default: all four, except that ``core`` is left
        out (with a note) when ``n > core_max_players`` and no
        ``coalition_values`` are given, and ``capacity`` has no rows when no
        caps are known.
    objective : {"min_subsidy", "min_transfers", "closest", "max_min_gain"}
    outside_option : "nash", "maximin", "status_quo", or a vector
        ``"nash"``: payoffs at the worst-welfare pure Nash equilibrium (each
        player's mixed maximin value when there is none; large scenarios: a
        pure equilibrium from best-response dynamics, not certified worst);
        ``"maximin"``: mixed security levels (small games); ``"status_quo"``:
        everyone plays its first action (属地, self-only); or one payoff per
        jurisdiction (Series by name, mapping, or array).
    fine : float >= 0
        Paid by a detected deviator (self-enforcement).
    capacity : Series, mapping or array, optional
        Per-jurisdiction payment cap ``k_i >= 0`` (``inf``: no cap). Default:
        ``capacity_share * scenario capacity`` where known; none for a game.
    reference : "shapley", "nucleolus", "prenucleolus", Series, mapping or array
        Payoff allocation for ``objective="closest"``; the strings are computed
        from the characteristic function (``outsiders``).
    max_subsidy : float >= 0, optional
        Cap on ``g``; 0 = no higher-level money (peer-led mode).
    capacity_share : float >= 0
        Share of fiscal capacity a jurisdiction may pay (default caps).
    detection : float in (0, 1]
        Probability that a deviation is detected (self-enforcement).
    forfeit : {"transfer", "receipts"}
        What a detected deviator loses. ``"transfer"`` (the default): its transfer
        either way, so a payer that deviates also stops paying, and
        self-enforcement caps what a payer can be asked to pay. ``"receipts"``:
        it loses what it would receive but still owes its payments (enforced
        from above), so the row is ``q max(t_i, 0) >= dev_i - u_i(a*) - q F``,
        i.e. ``t_i >= (dev_i - u_i(a*))/q - F`` where that is positive.
    coalition_values : TUGame or array of length 2**n, optional
        ``v(S)`` for the core; default ``characteristic_function(game, outsiders)``.
    outsiders : {"gamma", "nash", "alpha"}
        Outsiders' behaviour when ``v`` is computed here (default
        ``DEFAULT_OUTSIDERS``, "nash": the package's one default).
    ranges : "auto", bool
        Compute the range of each ``t_i`` over the optimal face (2n extra
        LPs); "auto": when ``n <= 20``. Otherwise uniqueness is tested along
        one random direction (two LPs, ``seed``).
    backend : {"pulp", "scipy"}
        PuLP with HiGHS (CBC fallback), or ``scipy.optimize.linprog``.
    seed : int, SeedSequence or Generator
        For the random uniqueness direction.
    tol : float
        Tolerance for binding constraints and the violation certificate.

    Returns
    -------
    CompensationResult
        ``success``, ``status``, ``message``, ``transfers``, ``subsidy``,
        ``binding``, ``duals``, ``diagnosis`` (when infeasible), ``.to_frame()``.

    Raises
    ------
    InputError, GameError
        Unknown objective or constraint family, unknown jurisdiction in
        ``capacity``/``reference``/``outside_option``, negative capacity or
        fine, NaN numbers, a target out of range.

    References
    ----------
    Chander and Tulkens (1997), *IJGT* 26, 379-401; Myerson (1991), *Game
    Theory*, ch. 6; Chinneck (2008), *Feasibility and Infeasibility in
    Optimization*, ch. 7.

    Examples
    --------
    Upstream (cost 1 to protect) and downstream (expected damage 5 without
    protection, 1 with it):

    >>> import cooperation as co
    >>> s = co.Scenario(
    ...     jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0}),
    ...                    co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.2})],
    ...     hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
    ...                        prevention=0.8, spillover={"Down": 1.0})],
    ...     unit="CNY 100M")
    >>> res = co.design_compensation(s, constraints=["participation"])
    >>> res.transfers.round(6).to_dict(), res.subsidy
    ({'Up': 1.0, 'Down': -1.0}, 0.0)
    """
    fams, explicit = _families(constraints, objective)
    enf = Enforcement.checked(fine, detection, forfeit)
    how = SolveSpec.checked(backend, ranges, seed, time_limit, tol)
    core = CoreSpec(coalition_values, outsiders, core_max_players)
    capacity_share = check_number(capacity_share, "capacity_share", lo=0.0)
    max_subsidy = check_number(max_subsidy, "max_subsidy", lo=0.0, none_ok=True)
    notes: list[str] = []
    model = PayoffModel(game, tensor_max_profiles)
    tgt = _target(model, target, notes)
    u = model.payoffs(tgt.profile)[0]
    if not np.all(np.isfinite(u)):
        raise InputError("payoffs at the target must be finite numbers", field="game",
                         value="NaN or inf payoff")
    o, onote = outside_option_of(model, outside_option)
    dev = _deviations(model, tgt.profile, fams)
    caps = _caps(model, capacity, capacity_share, fams, notes)
    core_v, tu = _core_values(model, fams, objective, reference, core, explicit, notes)
    ref = _reference(model, objective, reference, core_v, tu, core, notes)
    pb = Problem(tuple(model.players), u, o, dev, caps, core_v if "core" in fams else None,
                 ref, tuple(fams), objective, enf.fine, enf.detection, max_subsidy, how.tol,
                 enf.forfeit)
    return _finish(pb, model, tgt, onote, notes, how)


def _families(constraints, objective) -> tuple[list, bool]:
    if objective not in OBJECTIVES:
        raise InputError(f"unknown objective; choose one of {list(OBJECTIVES)}",
                         field="objective", value=objective)
    if constraints is None:
        return list(FAMILIES), False
    if isinstance(constraints, str):
        constraints = [constraints]
    fams = []
    for c in constraints:
        if c not in FAMILIES:
            raise InputError(f"unknown constraint family; choose from {list(FAMILIES)}",
                             field="constraints", value=c)
        if c not in fams:
            fams.append(c)
    return fams, True


def _target(model, target, notes) -> Target:
    if target is None:
        return Target(*default_target(model))
    a_star = model.check_profile(target, "target")
    if model.small:
        from ...equilibria import social_optimum

        opt = social_optimum(model.game)
        w = float(model.payoffs(a_star)[0].sum())
        if w < opt.welfare - RTOL * max(1.0, abs(opt.welfare)):
            notes.append(f"the target is not the social optimum (welfare {w:.6g} < "
                         f"{opt.welfare:.6g})")
    return Target(a_star, True, "given")


def _deviations(model, a_star, fams) -> np.ndarray:
    """Each jurisdiction's best payoff from leaving the target alone (-inf when unused)."""
    if "self_enforcement" not in fams:
        return np.full(model.n, -np.inf)
    D = model.deviations(a_star).copy()
    D[np.arange(model.n), a_star] = -np.inf
    return D.max(axis=1)


def _caps(model, capacity, capacity_share, fams, notes) -> np.ndarray:
    caps = np.full(model.n, np.inf)
    if capacity is not None:
        caps = model.check_vector(capacity, "capacity", allow_inf=True, nonneg=True)
    elif model.scenario is not None:
        sc = np.asarray(model.scenario.capacity, float)
        caps = np.where(np.isfinite(sc), capacity_share * sc, np.inf)
    if "capacity" in fams and not np.isfinite(caps).any():
        notes.append("capacity: no payment caps known (pass capacity=...), so no capacity rows")
    return caps


def _core_values(model, fams, objective, reference, core: CoreSpec, explicit, notes):
    """``(v values or None, the TU game or None)``; may drop "core" from ``fams``."""
    n, P = model.n, model.players
    coalition_values, core_max_players = core.coalition_values, core.max_players
    need_v = "core" in fams or (objective == "closest" and isinstance(reference, str))
    if not need_v:
        return None, None
    if coalition_values is not None:
        vals = np.asarray(getattr(coalition_values, "values", coalition_values), dtype=float)
        if vals.shape != (1 << n,):
            raise InputError(f"needs 2**n = {1 << n} values (bitmask order)",
                             field="coalition_values", value=f"shape {vals.shape}")
        vp = getattr(coalition_values, "players", None)
        if vp is not None and tuple(vp) != tuple(P):
            raise InputError(f"players must be {list(P)} in this order",
                             field="coalition_values.players", value=list(vp))
        if not np.all(np.isfinite(vals)):
            raise InputError("v(S) must be finite numbers", field="coalition_values",
                             value="NaN or inf")
        return vals, coalition_values
    if n > core_max_players or not model.small:
        if "core" in fams and explicit:
            raise InputError(f"core constraints need v(S) for 2**{n} coalitions; "
                             f"characteristic_function is limited to "
                             f"{core_max_players} jurisdictions", field="constraints",
                             value="core", fix="pass coalition_values=, or drop 'core'")
        if "core" in fams:
            fams.remove("core")
            notes.append(f"core: left out ({n} jurisdictions: 2**{n} coalitions; pass "
                         "coalition_values= to include it)")
        return None, None
    from ...coalitions import characteristic_function

    tu = characteristic_function(model.game, outsiders=core.outsiders)
    return np.asarray(tu.values, dtype=float), tu


def _reference(model, objective, reference, core_v, tu, core: CoreSpec, notes):
    n, P = model.n, model.players
    if objective != "closest":
        if reference is None:
            return None
        ref = None if isinstance(reference, str) else model.check_vector(reference, "reference")
        notes.append("reference is used only by objective='closest'")
        return ref
    if reference is None:
        raise InputError("objective 'closest' needs a reference allocation",
                         field="reference", value=None,
                         fix="reference='shapley', 'nucleolus', or one payoff per "
                             "jurisdiction")
    if not isinstance(reference, str):
        return model.check_vector(reference, "reference")
    if reference not in ("shapley", "nucleolus", "prenucleolus"):
        raise InputError("must be 'shapley', 'nucleolus', 'prenucleolus' or one payoff "
                         "per jurisdiction", field="reference", value=reference)
    if core_v is None:
        raise InputError(f"needs the characteristic function (2**{n} coalitions)",
                         field="reference", value=reference,
                         fix="pass coalition_values= or a numeric reference")
    from ...coalitions import TUGame, nucleolus, prenucleolus, shapley

    v = tu if tu is not None and not isinstance(tu, np.ndarray | list | tuple) \
        else TUGame(core_v, P)
    ser = (shapley(v) if reference == "shapley" else nucleolus(v).allocation
           if reference == "nucleolus" else prenucleolus(v).allocation)
    notes.append(f"reference: {reference} value of v ({core.outsiders} outsiders)"
                 if core.coalition_values is None else f"reference: {reference} of the "
                 "given coalition values")
    return np.asarray(pd.Series(ser).reindex(P).to_numpy(), dtype=float)


def _finish(pb, model, tgt: Target, onote, notes, how: SolveSpec) -> CompensationResult:
    P, n, unit = pb.players, pb.n, model.unit
    a_star, certified, tnote = tgt.profile, tgt.certified, tgt.note
    backend, ranges = how.backend, how.ranges
    w = direction(n, how.seed)
    pbs, money = normalise(pb)   # solved at order one; amounts scale back by `money`
    built, sol, masks, rounds = solve(
        pbs, backend, time_limit=how.time_limit,
        probes_fn=lambda b: probe_vectors(pbs, b, ranges, w))
    index = pd.Index(P, name="jurisdiction")
    ser = lambda a, name: pd.Series(np.asarray(a, float), index=index, name=name)  # noqa: E731
    if pb.core_v is not None and n > CORE_FULL_MAX:
        notes.append(f"core: constraint generation, {len(masks)} of {2 ** n - 1} coalition "
                     f"rows in {rounds} rounds")
    labels = model.label(a_star)
    common = dict(payoff_before=ser(pb.outside, "outside_option"),
                  payoff_target=ser(pb.u, "payoff_target"), target=labels,
                  target_profile=tuple(int(k) for k in a_star), target_certified=certified,
                  target_note=tnote, outside_note=onote, constraints=pb.families,
                  objective=pb.objective, caps=ser(pb.caps, "cap"),
                  deviation_payoff=ser(pb.dev, "best_deviation"), unit=unit)
    if sol.status != STATUS_OPTIMAL:
        nan = ser(np.full(n, np.nan), "transfer")
        diag = None
        msg = f"{STATUS_TEXT.get(sol.status, 'failed')}: {sol.message}"
        if sol.status == STATUS_INFEASIBLE:
            diag = diagnose(pbs, backend, unit, money)
            msg = diag.message
        return CompensationResult(
            success=False, status=sol.status, message=msg, transfers=nan, subsidy=math.nan,
            money_moved=math.nan, payoff_after=ser(np.full(n, np.nan), "payoff_after"),
            gain=ser(np.full(n, np.nan), "gain"), binding=(),
            duals=pd.Series(dtype=float, name="dual"), unique=None, transfer_range=None,
            diagnosis=diag, objective_values=tuple(v * money for v in sol.values),
            max_violation=math.nan,
            notes=tuple(notes), solver=sol.solver, build_time=sol.build_time,
            solve_time=sol.solve_time, **common)
    x = sol.x
    ts = clean(x[built.p] - x[built.q], pbs.scale)
    gs = math.fsum(ts)
    if gs < 0:   # solver noise around g = 0: give the rounding to the largest receiver
        j = int(np.argmax(ts))
        ts[j] -= gs
        gs = max(math.fsum(ts), 0.0)
    if abs(gs) <= LP_DUST * pbs.scale:   # rounding dust of a zero subsidy
        gs = 0.0
    viol_s = violations(pbs, ts, gs)
    max_vs = max(viol_s.values())
    viol = {k: v * money for k, v in viol_s.items()}
    max_v = max_vs * money
    t = ts * money
    g = gs * money
    bound = binding(built, x, pb.tol)
    duals = pd.Series(sol.duals, index=built.lp.row_names, name="dual")
    duals = duals[[f not in ("objective",) for f in built.lp.row_family]]
    duals = duals.where(np.abs(duals) > DUST, 0.0)   # unit-free (money per money)
    unique, frame = transfer_ranges(pbs, built, sol, ranges, w)
    if frame is not None:
        frame = frame * money
    if unique is False and frame is None:
        notes.append("the optimal transfers are not unique (random-direction test); pass "
                     "ranges=True for the range of each transfer")
    moved = float(np.abs(t).sum())
    msg = (f"optimal ({pb.objective}): subsidy {g:.6g}, money moved {moved:.6g} {unit}".rstrip()
           + ("" if unique is None else "; transfers unique" if unique else
              "; transfers not unique (see transfer_range)" if frame is not None else
              "; transfers not unique"))
    if max_vs > pb.tol * max(1.0, pbs.scale):
        msg += f"; WARNING: constraints violated by up to {max_v:.3g} (solver tolerance)"
    if not certified:
        msg += "; target not certified optimal"
    return CompensationResult(
        success=True, status=STATUS_OPTIMAL, message=msg, transfers=ser(t, "transfer"),
        subsidy=float(g), money_moved=moved, payoff_after=ser(pb.u + t, "payoff_after"),
        gain=ser(pb.u + t - pb.outside, "gain"), binding=tuple(bound), duals=duals,
        unique=unique, transfer_range=frame, diagnosis=None,
        objective_values=tuple(float(v) * money for v in sol.values),
        max_violation=float(max_v),
        notes=tuple(notes), solver=sol.solver, build_time=sol.build_time,
        solve_time=sol.solve_time, extra={"violations": viol, "core_rows": None if masks is None
                                          else len(masks)}, **common)
