"""Responsibility rules for scenarios too large for ``2**n`` coalitions.

The same table as :func:`cooperation.coalitions.rules.compare_rules` (each rule's
bill share, transfer, payoff, gain over going alone, core verdict), computed
without a payoff tensor:

* the programme runs from the status quo ``a0``, the worst-welfare pure Nash
  equilibrium, to the target ``a*`` (default: the social optimum), both by MILP
  (:mod:`cooperation.equilibria.milp`; exact, or bounded with a gap, said in
  ``attrs``);
* the four rules' shares are the rules module's own (``O(nnz)`` each);
* the Shapley row is :func:`~cooperation.coalitions.sampled.sampled_values`:
  exact in small interaction groups, sampled with standard errors in large ones
  (``std_error`` column);
* core verdicts come from the exact groups and the sampled coalitions:
  ``in_core`` is False with a blocking coalition (a proof), True only when every
  group was exact, otherwise None (not established); ``max_excess`` is exact or
  a lower bound (``excess_kind``);
* the nucleolus needs sequential LPs over all coalitions: its row says so.

References
----------
See :mod:`cooperation.coalitions.rules` (the rules) and
:mod:`cooperation.coalitions.sampled` (the sampled values).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._numeric import DUST, TINY
from ..equilibria.large import scale_equilibrium, scale_optimum
from ..errors import InputError, ScenarioError
from ..games.model import TENSOR_MAX_PROFILES, PayoffModel
from .characteristic import DEFAULT_OUTSIDERS
from .rules import RULES, _scenario, _shares
from .rules import compare_rules as compare_rules_tensor
from .sampled import sampled_values

__all__ = ["compare_rules", "compare_rules_scale", "programme_scale", "is_large"]


def is_large(scenario) -> bool:
    """Whether a scenario has more pure profiles than the tensor limit (2**16)."""
    return scenario.n_levels**scenario.n_players > TENSOR_MAX_PROFILES


def programme_scale(scenario, target=None, time_limit=None) -> dict:
    """Status quo (worst pure NE), target (default: the optimum) and the programme bill,
    without a tensor; the keys of :func:`cooperation.coalitions.rules.programme`."""
    s = _scenario(scenario)
    sq = scale_equilibrium(s, worst=True, time_limit=time_limit)
    if sq is None or sq.kind == "none":
        raise InputError(
            "the status quo of the rules is the worst pure Nash equilibrium; this "
            "scenario has none (a mixed status quo needs the payoff tensor)",
            field="scenario",
            value=s.name or repr(s),
        )
    a0 = sq.profile
    if target is None:
        opt = scale_optimum(s, time_limit)
        a1, how = opt.profile, f"social optimum ({opt.kind}: {opt.message})"
    else:
        a1, how = PayoffModel(s).check_profile(target, "target"), "given"
    P0, P1 = a0[None, :], a1[None, :]
    idx = np.arange(s.n_players)
    own = s.costs[idx, a1] - s.costs[idx, a0]
    return {
        "game": None,
        "status_quo": tuple(a0),
        "status_quo_how": sq.message,
        "status_quo_kind": sq.kind,
        "status_quo_profiles": P0,
        "status_quo_weights": np.ones(1),
        "target": tuple(a1),
        "target_how": how,
        "u0": s.payoffs(P0)[0],
        "u1": s.payoffs(P1)[0],
        "loss0": s.expected_losses(P0)[0],
        "loss1": s.expected_losses(P1)[0],
        "own_cost": own,
        "cost": float(own.sum()),
    }


def compare_rules_scale(
    scenario,
    *,
    origin_share: float = 0.6,
    outsiders: str = DEFAULT_OUTSIDERS,
    target=None,
    permutations: int | None = None,
    seed=0,
    time_limit=None,
    progress=None,
) -> pd.DataFrame:
    """Each responsibility rule beside the (sampled) Shapley value, for a large scenario.

    The columns of :func:`cooperation.coalitions.rules.compare_rules`, plus
    ``std_error`` (of the sampled Shapley value; 0 where exact), ``value_kind``
    ("exact", "sampled" or "not available"), ``excess_kind`` and ``blocking``; ``attrs`` adds ``answer`` ("exact" or "sampled") and how the
    status quo and the target were found. See the module notes.

    Examples
    --------
    >>> import cooperation as co
    >>> from cooperation.coalitions.scale import compare_rules_scale
    >>> s = co.load_scenario("data/chishui/scenario.toml")
    >>> t = compare_rules_scale(s, outsiders="nash")
    >>> small = co.compare_rules(s, outsiders="nash")
    >>> bool(np.allclose(t.loc["shapley", "payoff"], small.loc["shapley", "payoff"]))
    True
    """
    s = _scenario(scenario)
    prog = programme_scale(s, target, time_limit)
    C, own, u1 = prog["cost"], prog["own_cost"], prog["u1"]
    vals = sampled_values(
        s,
        outsiders=outsiders,
        permutations=permutations,
        seed=seed,
        status_quo=np.array(prog["status_quo"]),
        time_limit=time_limit,
        progress=progress,
    )
    frames = []
    scale = max(float(np.abs(own).max(initial=0.0)), TINY)

    def add(name, x, shares=None, se=np.nan, note="", kind="exact"):
        t = x - u1
        pays = own - t
        sh = (
            shares
            if shares is not None
            else (pays / C if abs(C) > DUST * scale else np.full(s.n_players, np.nan))
        )
        chk = vals.core_check(x)
        frames.append(
            pd.DataFrame(
                {
                    "rule": name,
                    "jurisdiction": list(s.players),
                    "share": sh,
                    "pays": pays,
                    "transfer": t,
                    "payoff": x,
                    "gain": x - prog["u0"],
                    "in_core": chk["in_core"],
                    "max_excess": chk["max_excess"],
                    "excess_kind": chk["excess_kind"],
                    "blocking": [chk["blocking"]] * s.n_players,
                    "certified": np.nan,
                    "std_error": se,
                    "value_kind": kind,
                    "note": note,
                }
            )
        )

    for rule in RULES:
        try:
            sh, note = _shares(s, rule, prog, origin_share)
        except ScenarioError as exc:
            add(
                rule,
                np.full(s.n_players, np.nan),
                note=f"not available: {exc.rule}",
                kind="not available",
            )
            continue
        add(rule, u1 + own - sh * C, shares=sh, note=note)
    add(
        "shapley",
        vals.shapley.to_numpy(),
        se=vals.std_error.to_numpy(),
        kind=vals.kind.to_numpy(),
        note=f"Shapley value of v ({vals.answer}, outsiders={outsiders})",
    )
    add(
        "nucleolus",
        np.full(s.n_players, np.nan),
        kind="not available",
        note=f"not available: {s.n_players} jurisdictions, the nucleolus needs sequential LPs "
        "over all 2**n coalitions",
    )
    df = pd.concat(frames, ignore_index=True).set_index(["rule", "jurisdiction"])
    names = s.action_names
    df.attrs.update(
        programme_cost=C,
        unit=s.unit,
        outsiders=outsiders,
        status_quo=tuple(names[k] for k in prog["status_quo"]),
        target=tuple(names[k] for k in prog["target"]),
        status_quo_how=prog["status_quo_how"],
        target_how=prog["target_how"],
        answer=vals.answer,
        permutations=vals.permutations,
        notes=tuple(vals.notes),
    )
    return df


def compare_rules(
    scenario,
    *,
    origin_share: float = 0.6,
    outsiders: str = DEFAULT_OUTSIDERS,
    target=None,
    permutations: int | None = None,
    seed=0,
    progress=None,
) -> pd.DataFrame:
    """Each responsibility rule beside the Shapley value and the nucleolus.

    A scenario with at most 2**16 pure profiles is solved over all its coalitions
    (:func:`cooperation.coalitions.rules.compare_rules`); a larger one on its
    structure (:func:`compare_rules_scale`: exact groups, sampled Shapley values with
    standard errors, core verdicts that say whether they were established).
    ``permutations``, ``seed`` and ``progress`` apply to the large path.

    Returns
    -------
    DataFrame
        Index ``(rule, jurisdiction)``; columns ``share``, ``pays``, ``transfer``,
        ``payoff``, ``gain``, ``in_core``, ``max_excess``, ``certified`` (and, for large
        scenarios, ``std_error``, ``excess_kind``, ``blocking``). ``attrs`` carries the
        programme cost, unit, status quo and target.

    Examples
    --------
    >>> import cooperation as co
    >>> s = co.Scenario(
    ...     jurisdictions=[co.Jurisdiction("Up", costs={"self": 0, "cooperate": 1.0}),
    ...                    co.Jurisdiction("Down", costs={"self": 0, "cooperate": 0.0})],
    ...     hazards=[co.Hazard("spill", probability=0.5, damage=10.0, origins=["Up"],
    ...                        prevention=0.8, spillover={"Down": 1.0})],
    ...     unit="CNY 100M")
    >>> table = co.compare_rules(s)
    >>> table.loc["shapley", "payoff"].round(6).tolist()
    [1.5, -3.5]
    """
    s = _scenario(scenario)
    if is_large(s):
        return compare_rules_scale(
            s,
            origin_share=origin_share,
            outsiders=outsiders,
            target=target,
            permutations=permutations,
            seed=seed,
            progress=progress,
        )
    return compare_rules_tensor(s, origin_share=origin_share, outsiders=outsiders, target=target)
