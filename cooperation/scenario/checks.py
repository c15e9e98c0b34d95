"""The structural checks of a scenario: its action ladder, its jurisdictions, its hazards
(shares summing to 1, known names, origins, prevention per origin, the response
channel), each bad value reported in one line with its field and the rule."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np

from ..errors import ScenarioError, ScenarioWarning
from ..errors import preview_names as _preview
from .schema import (
    ACTION,
    AGGREGATIONS,
    DEFAULT_LEVELS,
    HAZARD,
    JURISDICTION,
    did_you_mean,
    read_table,
)
from .types import SHARE_TOL, ActionLevel, Hazard, Jurisdiction, _name, _num, label

_B = {(t.field, k.name): k.bounds() for t in (JURISDICTION, HAZARD) for k in t.keys}

__all__ = ["check_actions", "check_jurisdictions", "check_hazards", "check_unused", "did_you_mean"]

#: the defaults of a hazard's fixed response-process sample (Hazard's own defaults)
_RUNS_DEFAULT, _SEED_DEFAULT = Hazard.process_runs, Hazard.process_seed


def _warn(message: str, src: str | None) -> None:
    warnings.warn(f"{src}: {message}" if src else message, ScenarioWarning, stacklevel=4)


def check_actions(actions, src: str | None) -> tuple[ActionLevel, ...]:
    """The ordered action ladder (default: self and cooperate), each level validated."""
    if actions is None:
        actions = [ActionLevel(**lv) for lv in DEFAULT_LEVELS]
    if isinstance(actions, (str, bytes)) or not isinstance(actions, Sequence):
        raise ScenarioError(
            "must be a list of action levels", field="actions", value=actions, source=src
        )
    levels = []
    for k, a in enumerate(actions):
        if isinstance(a, str):
            a = ActionLevel(a, float(k > 0), float(k > 0))
        elif isinstance(a, Mapping):
            read_table(ACTION, a, f"actions[{k}]", src)
            a = ActionLevel(**a)
        elif not isinstance(a, ActionLevel):
            raise ScenarioError(
                "must be an ActionLevel, a name or a table",
                field=f"actions[{k}]",
                value=a,
                source=src,
            )
        levels.append(a.validated(f"actions[{k}]", src))
    if len(levels) < 2:
        raise ScenarioError(
            "needs at least two levels (e.g. self and cooperate)",
            field="actions",
            value=[a.name for a in levels],
            source=src,
        )
    names = [a.name for a in levels]
    if len(set(names)) != len(names):
        raise ScenarioError("level names must be unique", field="actions", value=names, source=src)
    first = (levels[0].effort, levels[0].coordination)
    if all((a.effort, a.coordination) == first for a in levels):
        _warn(
            f"actions: every level has effort {first[0]:g} and coordination {first[1]:g}, "
            "so no choice changes any hazard (only costs differ); give the cooperative "
            "level effort and/or coordination",
            src,
        )
    return tuple(levels)


def check_jurisdictions(jurisdictions, names: Sequence[str], src: str | None):
    """``(jurisdictions, costs (n, K), capacity, population)``, validated; names unique."""
    K = len(names)
    if (
        isinstance(jurisdictions, (str, bytes))
        or not isinstance(jurisdictions, Sequence)
        or len(jurisdictions) == 0
    ):
        raise ScenarioError(
            "needs at least one jurisdiction",
            field="jurisdictions",
            value=jurisdictions,
            source=src,
        )
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
        row = _cost_row(j.costs, names, f"{where}.costs", src)
        for k, v in enumerate(row):
            cost[i, k] = _num(v, f"{where}.costs.{names[k]}", src, **_B["jurisdictions", "costs"])
        cap[i] = _num(
            j.capacity, f"{where}.capacity", src, allow_nan=True, **_B["jurisdictions", "capacity"]
        )
        pop[i] = _num(
            j.population,
            f"{where}.population",
            src,
            allow_nan=True,
            **_B["jurisdictions", "population"],
        )
        juris.append(
            Jurisdiction(jn, dict(zip(names, cost[i].tolist(), strict=True)), cap[i], pop[i])
        )
    jnames = [j.name for j in juris]
    if len(set(jnames)) != len(jnames):
        dup = sorted({x for x in jnames if jnames.count(x) > 1})
        raise ScenarioError(
            f"jurisdiction names must be unique; repeated: {dup}",
            field="jurisdictions",
            value=dup,
            source=src,
        )
    if len(juris) == 1:
        _warn(
            f"jurisdictions: only one ({jnames[0]!r}): there is nobody to cooperate with, so "
            "equilibria, coalition values and transfers are trivial; add the neighbours "
            "who share its hazards",
            src,
        )
    return tuple(juris), cost, cap, pop


def _cost_row(c, names: Sequence[str], field: str, src: str | None) -> list:
    """One cost per level: a mapping naming every level, or a sequence in level order.
    ``{}`` (costs omitted in Python) is every level at 0."""
    K = len(names)
    if isinstance(c, Mapping):
        for lv in c:
            if lv not in names:
                raise ScenarioError(
                    f"unknown action level; levels are {names}{did_you_mean(lv, names)}",
                    field=field,
                    value=sorted(map(str, set(c) - set(names))),
                    source=src,
                )
        if not c:
            return [0.0] * K
        missing = [a for a in names if a not in c]
        if missing:
            raise ScenarioError(
                f"no cost for level(s) {missing}; every level needs one (0 if "
                "it costs nothing): a level left out is not free",
                field=field,
                value=dict(c),
                source=src,
            )
        return [c[a] for a in names]
    if isinstance(c, (str, bytes)) or not isinstance(c, (Sequence, np.ndarray)):
        raise ScenarioError(
            f"must be a table level -> cost (levels {names}) or a list of {K} costs in level order",
            field=field,
            value=c,
            source=src,
        )
    row = list(c)
    if len(row) != K:
        raise ScenarioError(
            f"needs one cost per action level ({K}: {names})", field=field, value=row, source=src
        )
    return row


def check_hazards(
    hazards, index: Mapping[str, int], jnames: Sequence[str], src: str | None
) -> dict:
    """Every hazard validated, and the triplets of the scenario's sparse matrices."""
    if isinstance(hazards, (str, bytes)) or not isinstance(hazards, Sequence) or len(hazards) == 0:
        raise ScenarioError("needs at least one hazard", field="hazards", value=hazards, source=src)
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
        prob[h] = _num(hzd.probability, f"{where}.probability", src, **_B["hazards", "probability"])
        dmg[h] = _num(hzd.damage, f"{where}.damage", src, **_B["hazards", "damage"])
        resp[h] = _num(hzd.response, f"{where}.response", src, **_B["hazards", "response"])
        origins = hzd.origins
        if isinstance(origins, str):
            origins = [origins]
        if not isinstance(origins, (Sequence, np.ndarray)):
            raise ScenarioError(
                "must be a list of jurisdiction names",
                field=f"{where}.origins",
                value=origins,
                source=src,
            )
        origins = list(origins)
        for o in origins:
            if not isinstance(o, str):
                raise ScenarioError(
                    "must be a list of jurisdiction names (strings)",
                    field=f"{where}.origins",
                    value=o,
                    source=src,
                )
            if o not in index:
                raise ScenarioError(
                    f"unknown jurisdiction; known: {_preview(jnames)}{did_you_mean(o, jnames)}",
                    field=f"{where}.origins",
                    value=o,
                    source=src,
                )
        if len(set(origins)) != len(origins):
            raise ScenarioError(
                "origins must not repeat", field=f"{where}.origins", value=origins, source=src
            )
        prev = hzd.prevention
        if isinstance(prev, Mapping):
            for o in prev:
                if o not in origins:
                    raise ScenarioError(
                        f"prevention is given per origin; {o!r} is not an "
                        f"origin of this hazard (origins: {origins})",
                        field=f"{where}.prevention",
                        value=o,
                        source=src,
                    )
            rvals = {
                o: _num(
                    prev.get(o, 0.0), f"{where}.prevention.{o}", src, **_B["hazards", "prevention"]
                )
                for o in origins
            }
            left = [o for o in origins if o not in prev]
            if left:
                _warn(
                    f"{where}.prevention names no value for origin(s) {left}: 0 is used (their "
                    "effort does not cut this hazard); write 0 to say so",
                    src,
                )
        else:
            r = _num(prev, f"{where}.prevention", src, **_B["hazards", "prevention"])
            if not origins and r > 0:
                _warn(
                    f"{where}.prevention = {r:g} is ignored: the hazard has no origins, whose "
                    "effort it would scale; name the origins or drop prevention",
                    src,
                )
            rvals = {o: r for o in origins}
        if not isinstance(hzd.spillover, Mapping) or len(hzd.spillover) == 0:
            raise ScenarioError(
                "needs shares for at least one jurisdiction",
                field=f"{where}.spillover",
                value=hzd.spillover,
                source=src,
            )
        shares = {}
        for jn_, v in hzd.spillover.items():
            if jn_ not in index:
                raise ScenarioError(
                    f"unknown jurisdiction; known: {_preview(jnames)}{did_you_mean(jn_, jnames)}",
                    field=f"{where}.spillover",
                    value=jn_,
                    source=src,
                )
            shares[jn_] = _num(v, f"{where}.spillover.{jn_}", src, **_B["hazards", "spillover"])
        total = sum(shares.values())
        if abs(total - 1.0) > SHARE_TOL:
            raise ScenarioError(
                f"shares must sum to 1 (they sum to {total:.6g})",
                field=f"{where}.spillover",
                value=shares,
                source=src,
                fix="rescale the shares or add the missing jurisdictions",
            )
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
        agg, wts, proc, prun, pseed, extra = _response_channel(
            hzd, where, resp[h], shares, index, jnames, src
        )
        aggs.append(agg)
        if wts is not None:
            k_rows.append(h)
            k_w.append(wts)
        if proc is not None:
            procs[h] = (proc, np.array([index[u] for u in proc.units], dtype=np.intp), prun, pseed)
        involved = sorted(
            {index[o] for o in origins} | {index[j] for j, v in shares.items() if v > 0} | extra
        )
        i_rows += [h] * len(involved)
        i_cols += involved
        hz.append(
            Hazard(
                hn,
                prob[h],
                dmg[h],
                dict(shares),
                tuple(origins),
                dict(rvals),
                resp[h],
                agg,
                wts,
                proc,
                prun,
                pseed,
            )
        )
    hnames = [x.name for x in hz]
    if len(set(hnames)) != len(hnames):
        dup = sorted({x for x in hnames if hnames.count(x) > 1})
        raise ScenarioError(
            f"hazard names must be unique; repeated: {dup}", field="hazards", value=dup, source=src
        )
    return dict(
        hz=tuple(hz),
        prob=prob,
        dmg=dmg,
        resp=resp,
        S=(s_vals, s_rows, s_cols),
        R=(r_vals, r_rows, r_cols),
        I=(i_rows, i_cols),
        aggs=aggs,
        k_rows=k_rows,
        k_w=k_w,
        procs=procs,
    )


def _response_channel(
    hzd: Hazard,
    where: str,
    resp: float,
    shares: Mapping[str, float],
    index: Mapping[str, int],
    jnames,
    src,
):
    """Validate a hazard's aggregation technology, weights and response process.

    Returns ``(aggregation, weights or None, process or None, runs, seed, extra
    involved jurisdiction indices)``.
    """
    agg = hzd.aggregation
    if not isinstance(agg, str) or agg.strip().lower() not in AGGREGATIONS:
        raise ScenarioError(
            f"unknown aggregation technology; use one of {list(AGGREGATIONS)}",
            field=f"{where}.aggregation",
            value=agg,
            source=src,
        )
    agg = agg.strip().lower()
    extra: set[int] = set()
    wts = None
    if hzd.weights is not None:
        if agg != "weighted":
            raise ScenarioError(
                'weights apply only with aggregation = "weighted"',
                field=f"{where}.weights",
                value=dict(hzd.weights) if isinstance(hzd.weights, Mapping) else hzd.weights,
                source=src,
            )
        if not isinstance(hzd.weights, Mapping) or not hzd.weights:
            raise ScenarioError(
                "must be a table jurisdiction -> weight",
                field=f"{where}.weights",
                value=hzd.weights,
                source=src,
            )
        wts = {}
        for jn_, w in hzd.weights.items():
            if jn_ not in index:
                raise ScenarioError(
                    f"unknown jurisdiction; known: {_preview(jnames)}{did_you_mean(jn_, jnames)}",
                    field=f"{where}.weights",
                    value=jn_,
                    source=src,
                )
            wts[jn_] = _num(w, f"{where}.weights.{jn_}", src, **_B["hazards", "weights"])
    elif agg == "weighted":
        wts = {j: v for j, v in shares.items() if v > 0}
    if wts is not None:
        if sum(wts.values()) <= 0:
            raise ScenarioError(
                "weights must not all be 0", field=f"{where}.weights", value=wts, source=src
            )
        extra |= {index[j] for j, w in wts.items() if w > 0}
    proc = hzd.process
    runs, seed = hzd.process_runs, hzd.process_seed
    if proc is not None:
        from ..response.process import ResponseProcess

        if not isinstance(proc, ResponseProcess):
            raise ScenarioError(
                "must be a ResponseProcess",
                field=f"{where}.process",
                value=type(proc).__name__,
                source=src,
            )
        if resp > 0:
            raise ScenarioError(
                "give the response channel once: a process or a coefficient d_h, not both",
                field=f"{where}.response",
                value=float(resp),
                source=src,
                fix="drop response, or drop process",
            )
        if agg != "mean":
            raise ScenarioError(
                "a response process aggregates through its joins (all / any); "
                "aggregation applies to the coefficient channel",
                field=f"{where}.aggregation",
                value=agg,
                source=src,
            )
        for u in proc.units:
            if u not in index:
                raise ScenarioError(
                    f"the process's units must be jurisdictions; known: {_preview(jnames)}",
                    field=f"{where}.process",
                    value=u,
                    source=src,
                )
        if proc.damage is None:
            raise ScenarioError(
                "needs a damage curve (shares of the hazard's damage against completion hours)",
                field=f"{where}.damage_curve",
                source=src,
                show_value=False,
            )
        for key, val in (("process_runs", runs), ("process_seed", seed)):
            lo, hi = HAZARD[key].lo, HAZARD[key].hi
            if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < lo:
                raise ScenarioError(
                    f"must be an integer >= {lo}", field=f"{where}.{key}", value=val, source=src
                )
            if hi is not None and val > hi:
                raise ScenarioError(
                    f"must be an integer <= {hi:_} (memory grows with the runs)",
                    field=f"{where}.{key}",
                    value=val,
                    source=src,
                )
        runs, seed = int(runs), int(seed)
        extra |= {index[u] for u in proc.units}
    elif (runs, seed) != (_RUNS_DEFAULT, _SEED_DEFAULT):
        _warn(
            f"{where}: process_runs/process_seed are ignored: the hazard has no response process",
            src,
        )
    return agg, wts, proc, runs, seed, extra


def check_unused(
    actions: Sequence[ActionLevel], hazards: Sequence[Hazard], src: str | None
) -> None:
    """Warn about hazard values no action level can bring into play: prevention when no
    level has effort, a response coefficient when no level coordinates."""
    effort = any(a.effort > 0 for a in actions)
    coord = any(a.coordination > 0 for a in actions)
    for hz in hazards:
        where = f"hazards[{label(hz.name)}]"
        if not effort and any(v > 0 for v in dict(hz.prevention).values()):
            _warn(f"{where}.prevention is ignored: no action level has effort > 0", src)
        if not coord and hz.response > 0:
            _warn(f"{where}.response is ignored: no action level has coordination > 0", src)
