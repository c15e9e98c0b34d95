"""The structural checks of a scenario: its action ladder, its jurisdictions, its hazards
(shares summing to 1, known names, origins, prevention per origin, the response
channel), each bad value reported in one line with its field and the rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import ScenarioError
from ..errors import preview_names as _preview
from .types import AGGREGATIONS, SHARE_TOL, ActionLevel, Hazard, Jurisdiction, _name, _num

__all__ = ["check_actions", "check_jurisdictions", "check_hazards"]


def check_actions(actions, src: str | None) -> tuple[ActionLevel, ...]:
    """The ordered action ladder (default: self and cooperate), each level validated."""
    if actions is None:
        actions = [ActionLevel("self", 0.0, 0.0), ActionLevel("cooperate", 1.0, 1.0)]
    if isinstance(actions, (str, bytes)) or not isinstance(actions, Sequence):
        raise ScenarioError("must be a list of action levels", field="actions",
                            value=actions, source=src)
    levels = []
    for k, a in enumerate(actions):
        if isinstance(a, str):
            a = ActionLevel(a, float(k > 0), float(k > 0))
        elif isinstance(a, Mapping):
            unknown = set(a) - {"name", "effort", "coordination"}
            if unknown:
                raise ScenarioError("unknown keys; allowed: name, effort, coordination",
                                    field=f"actions[{k}]", value=sorted(unknown), source=src)
            if "name" not in a:
                raise ScenarioError("is missing", field=f"actions[{k}].name", source=src,
                                    show_value=False)
            a = ActionLevel(a["name"], a.get("effort", 0.0), a.get("coordination", 0.0))
        elif not isinstance(a, ActionLevel):
            raise ScenarioError("must be an ActionLevel, a name or a table",
                                field=f"actions[{k}]", value=a, source=src)
        levels.append(a.validated(f"actions[{k}]", src))
    if len(levels) < 2:
        raise ScenarioError("needs at least two levels (e.g. self and cooperate)",
                            field="actions", value=[a.name for a in levels], source=src)
    names = [a.name for a in levels]
    if len(set(names)) != len(names):
        raise ScenarioError("level names must be unique", field="actions", value=names,
                            source=src)
    return tuple(levels)


def check_jurisdictions(jurisdictions, names: Sequence[str], src: str | None):
    """``(jurisdictions, costs (n, K), capacity, population)``, validated; names unique."""
    K = len(names)
    if not isinstance(jurisdictions, Sequence) or len(jurisdictions) == 0:
        raise ScenarioError("needs at least one jurisdiction", field="jurisdictions",
                            value=jurisdictions, source=src)
    juris = []
    cost = np.zeros((len(jurisdictions), K))
    cap = np.full(len(jurisdictions), np.nan)
    pop = np.full(len(jurisdictions), np.nan)
    for i, j in enumerate(jurisdictions):
        where = f"jurisdictions[{i}]"
        if not isinstance(j, Jurisdiction):
            raise ScenarioError("must be a Jurisdiction", field=where, value=j, source=src)
        jn = _name(j.name, f"{where}.name", src)
        where = f"jurisdictions[{jn}]"
        c = j.costs
        if isinstance(c, Mapping):
            unknown = set(c) - set(names)
            if unknown:
                raise ScenarioError(f"unknown action level; levels are {names}",
                                    field=f"{where}.costs", value=sorted(unknown), source=src)
            row = [c.get(a, 0.0) for a in names]
        else:
            row = list(c)
            if len(row) != K:
                raise ScenarioError(f"needs one cost per action level ({K}: {names})",
                                    field=f"{where}.costs", value=row, source=src)
        for k, v in enumerate(row):
            cost[i, k] = _num(v, f"{where}.costs.{names[k]}", src, lo=0.0,
                              rule="costs must be >= 0")
        cap[i] = _num(j.capacity, f"{where}.capacity", src, lo=0.0, allow_nan=True)
        pop[i] = _num(j.population, f"{where}.population", src, lo=0.0, allow_nan=True)
        juris.append(Jurisdiction(jn, dict(zip(names, cost[i].tolist(), strict=True)),
                                  cap[i], pop[i]))
    jnames = [j.name for j in juris]
    if len(set(jnames)) != len(jnames):
        dup = sorted({x for x in jnames if jnames.count(x) > 1})
        raise ScenarioError(f"jurisdiction names must be unique; repeated: {dup}",
                            field="jurisdictions", value=dup, source=src)
    return tuple(juris), cost, cap, pop


def check_hazards(hazards, index: Mapping[str, int], jnames: Sequence[str],
                  src: str | None) -> dict:
    """Every hazard validated, and the triplets of the scenario's sparse matrices."""
    if not isinstance(hazards, Sequence) or len(hazards) == 0:
        raise ScenarioError("needs at least one hazard", field="hazards", value=hazards,
                            source=src)
    hz = []
    prob = np.zeros(len(hazards))
    dmg = np.zeros(len(hazards))
    resp = np.zeros(len(hazards))
    s_rows, s_cols, s_vals = [], [], []
    r_rows, r_cols, r_vals = [], [], []
    i_rows, i_cols = [], []
    aggs, k_rows, k_w, procs = [], [], [], {}
    for h, hzd in enumerate(hazards):
        where = f"hazards[{h}]"
        if not isinstance(hzd, Hazard):
            raise ScenarioError("must be a Hazard", field=where, value=hzd, source=src)
        hn = _name(hzd.name, f"{where}.name", src)
        where = f"hazards[{hn}]"
        prob[h] = _num(hzd.probability, f"{where}.probability", src, lo=0.0, hi=1.0,
                       rule="a probability must lie in [0, 1]")
        dmg[h] = _num(hzd.damage, f"{where}.damage", src, lo=0.0,
                      rule="damage must be >= 0")
        resp[h] = _num(hzd.response, f"{where}.response", src, lo=0.0, hi=1.0,
                       rule="the response reduction d_h is a share in [0, 1]")
        origins = hzd.origins
        if isinstance(origins, str):
            origins = [origins]
        origins = list(origins)
        for o in origins:
            if o not in index:
                raise ScenarioError(f"unknown jurisdiction; known: {_preview(jnames)}",
                                    field=f"{where}.origins", value=o, source=src)
        if len(set(origins)) != len(origins):
            raise ScenarioError("origins must not repeat", field=f"{where}.origins",
                                value=origins, source=src)
        prev = hzd.prevention
        if isinstance(prev, Mapping):
            for o in prev:
                if o not in origins:
                    raise ScenarioError(f"prevention is given per origin; {o!r} is not an "
                                        f"origin of this hazard (origins: {origins})",
                                        field=f"{where}.prevention", value=o, source=src)
            rvals = {o: _num(prev.get(o, 0.0), f"{where}.prevention.{o}", src, lo=0.0,
                             hi=1.0, rule="a risk reduction must lie in [0, 1]")
                     for o in origins}
        else:
            r = _num(prev, f"{where}.prevention", src, lo=0.0, hi=1.0,
                     rule="a risk reduction must lie in [0, 1]")
            rvals = {o: r for o in origins}
        if not isinstance(hzd.spillover, Mapping) or len(hzd.spillover) == 0:
            raise ScenarioError("needs shares for at least one jurisdiction",
                                field=f"{where}.spillover", value=hzd.spillover, source=src)
        shares = {}
        for jn_, v in hzd.spillover.items():
            if jn_ not in index:
                raise ScenarioError(f"unknown jurisdiction; known: {_preview(jnames)}",
                                    field=f"{where}.spillover", value=jn_, source=src)
            shares[jn_] = _num(v, f"{where}.spillover.{jn_}", src, lo=0.0,
                               rule="shares must be >= 0")
        total = sum(shares.values())
        if abs(total - 1.0) > SHARE_TOL:
            raise ScenarioError(f"shares must sum to 1 (they sum to {total:.6g})",
                                field=f"{where}.spillover", value=shares, source=src,
                                fix="rescale the shares or add the missing jurisdictions")
        for jn_, v in shares.items():
            if v > 0:
                s_rows.append(h)
                s_cols.append(index[jn_])
                s_vals.append(v)
        for o, r in rvals.items():
            if r > 0:
                r_rows.append(h)
                r_cols.append(index[o])
                r_vals.append(r)
        agg, wts, proc, prun, pseed, extra = _response_channel(hzd, where, resp[h], shares,
                                                              index, jnames, src)
        aggs.append(agg)
        if wts is not None:
            k_rows.append(h)
            k_w.append(wts)
        if proc is not None:
            procs[h] = (proc, np.array([index[u] for u in proc.units], dtype=np.intp),
                        prun, pseed)
        involved = sorted({index[o] for o in origins}
                          | {index[j] for j, v in shares.items() if v > 0} | extra)
        i_rows += [h] * len(involved)
        i_cols += involved
        hz.append(Hazard(hn, prob[h], dmg[h], dict(shares), tuple(origins), dict(rvals),
                         resp[h], agg, wts, proc, prun, pseed))
    hnames = [x.name for x in hz]
    if len(set(hnames)) != len(hnames):
        dup = sorted({x for x in hnames if hnames.count(x) > 1})
        raise ScenarioError(f"hazard names must be unique; repeated: {dup}",
                            field="hazards", value=dup, source=src)
    return dict(hz=tuple(hz), prob=prob, dmg=dmg, resp=resp, S=(s_vals, s_rows, s_cols),
                R=(r_vals, r_rows, r_cols), I=(i_rows, i_cols), aggs=aggs, k_rows=k_rows,
                k_w=k_w, procs=procs)




def _response_channel(hzd: Hazard, where: str, resp: float, shares: Mapping[str, float],
                      index: Mapping[str, int], jnames, src):
    """Validate a hazard's aggregation technology, weights and response process.

    Returns ``(aggregation, weights or None, process or None, runs, seed, extra
    involved jurisdiction indices)``.
    """
    agg = hzd.aggregation
    if not isinstance(agg, str) or agg.strip().lower() not in AGGREGATIONS:
        raise ScenarioError(f"unknown aggregation technology; use one of {list(AGGREGATIONS)}",
                            field=f"{where}.aggregation", value=agg, source=src)
    agg = agg.strip().lower()
    extra: set[int] = set()
    wts = None
    if hzd.weights is not None:
        if agg != "weighted":
            raise ScenarioError('weights apply only with aggregation = "weighted"',
                                field=f"{where}.weights", value=dict(hzd.weights) if
                                isinstance(hzd.weights, Mapping) else hzd.weights, source=src)
        if not isinstance(hzd.weights, Mapping) or not hzd.weights:
            raise ScenarioError("must be a table jurisdiction -> weight",
                                field=f"{where}.weights", value=hzd.weights, source=src)
        wts = {}
        for jn_, w in hzd.weights.items():
            if jn_ not in index:
                raise ScenarioError(f"unknown jurisdiction; known: {_preview(jnames)}",
                                    field=f"{where}.weights", value=jn_, source=src)
            wts[jn_] = _num(w, f"{where}.weights.{jn_}", src, lo=0.0,
                            rule="weights must be >= 0")
    elif agg == "weighted":
        wts = {j: v for j, v in shares.items() if v > 0}
    if wts is not None:
        if sum(wts.values()) <= 0:
            raise ScenarioError("weights must not all be 0", field=f"{where}.weights",
                                value=wts, source=src)
        extra |= {index[j] for j, w in wts.items() if w > 0}
    proc = hzd.process
    runs, seed = hzd.process_runs, hzd.process_seed
    if proc is not None:
        from ..response.process import ResponseProcess

        if not isinstance(proc, ResponseProcess):
            raise ScenarioError("must be a ResponseProcess", field=f"{where}.process",
                                value=type(proc).__name__, source=src)
        if resp > 0:
            raise ScenarioError("give the response channel once: a process or a coefficient "
                                "d_h, not both", field=f"{where}.response", value=float(resp),
                                source=src, fix="drop response, or drop process")
        if agg != "mean":
            raise ScenarioError("a response process aggregates through its joins (all / any); "
                                "aggregation applies to the coefficient channel",
                                field=f"{where}.aggregation", value=agg, source=src)
        for u in proc.units:
            if u not in index:
                raise ScenarioError(f"the process's units must be jurisdictions; known: "
                                    f"{_preview(jnames)}", field=f"{where}.process", value=u,
                                    source=src)
        if proc.damage is None:
            raise ScenarioError("needs a damage curve (shares of the hazard's damage against "
                                "completion hours)", field=f"{where}.damage_curve", source=src,
                                show_value=False)
        for key, val, lo in (("process_runs", runs, 1), ("process_seed", seed, 0)):
            if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < lo:
                raise ScenarioError(f"must be an integer >= {lo}", field=f"{where}.{key}",
                                    value=val, source=src)
        runs, seed = int(runs), int(seed)
        extra |= {index[u] for u in proc.units}
    return agg, wts, proc, runs, seed, extra
