"""Delay distributions and damage curves of a response process.

``DelaySpec`` is one owner's delay on one task, in hours: fixed,
exponential, lognormal, triangular or empirical samples, shrunk by
coordination through ``c = 1 - speedup * g`` (see
:mod:`cooperation.response.process` for the process model). ``DamageCurve``
turns a completion time into damage: piecewise linear between the points of a
table, flat outside them, or any vectorised callable.

References
----------
Van Slyke, R. M. (1963). Monte Carlo methods and the PERT problem.
*Operations Research* 11, 839-860.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_number
from ..errors import ScenarioError

__all__ = ["DelaySpec", "DamageCurve", "as_damage", "DISTRIBUTIONS"]

DISTRIBUTIONS = {
    "fixed": ("hours",),
    "exponential": ("mean",),
    "lognormal": ("median", "sigma"),
    "triangular": ("low", "mode", "high"),
    "empirical": ("samples",),
}
#: widest lognormal delay: exp(10**2 / 2) ~ 5e21 keeps the mean finite (it overflows past 37)
MAX_SIGMA = 10.0


def _num(value, field, source, *, lo=None, hi=None, positive=False, rule=None) -> float:
    """A finite number of a process file (``positive``: > 0), as a ScenarioError."""
    if positive:
        lo = 0.0 if lo is None else lo
    return check_number(value, field, lo=lo, hi=hi, lo_open=positive, rule=rule,
                        error=ScenarioError, source=source)


# ---------------------------------------------------------------------- delays
@dataclass(frozen=True)
class DelaySpec:
    """The distribution of one owner's delay on one task, in hours.

    Parameters
    ----------
    dist : {"fixed", "exponential", "lognormal", "triangular", "empirical"}
    params : tuple
        ``fixed``: (hours,); ``exponential``: (mean,); ``lognormal``:
        (median, sigma), ``X = median * exp(sigma Z)``; ``triangular``:
        (low, mode, high); ``empirical``: (samples,), drawn uniformly with
        replacement.
    speedup : float in [0, 1]
        Share of the delay removed at full coordination: the delay at
        coordination ``g`` is ``X * (1 - speedup * g)``.
    """

    dist: str
    params: tuple
    speedup: float = 0.0

    @classmethod
    def parse(cls, spec: Any, field: str, source: str | None = None) -> DelaySpec:
        """A spec from a mapping ``{"dist": ..., ...}`` or a text such as
        ``"exponential(mean=4, speedup=0.5)"`` (the CSV form)."""
        if isinstance(spec, DelaySpec):
            return spec
        if isinstance(spec, str):
            spec = _parse_spec_text(spec, field, source)
        if not isinstance(spec, Mapping):
            raise ScenarioError('must be a delay spec such as {dist = "exponential", mean = 4}',
                                field=field, value=spec, source=source)
        dist = spec.get("dist")
        if dist not in DISTRIBUTIONS:
            raise ScenarioError(f"unknown distribution; use one of {sorted(DISTRIBUTIONS)}",
                                field=f"{field}.dist", value=dist, source=source)
        names = DISTRIBUTIONS[dist]
        unknown = set(spec) - {"dist", "speedup", *names}
        if unknown:
            raise ScenarioError(f"unknown keys for a {dist} delay; allowed: "
                                f"{['dist', *names, 'speedup']}", field=field,
                                value=sorted(unknown), source=source)
        for k in names:
            if k not in spec:
                raise ScenarioError(f"is missing (a {dist} delay needs {list(names)})",
                                    field=f"{field}.{k}", source=source, show_value=False)
        f = field
        if dist == "fixed":
            params = (_num(spec["hours"], f"{f}.hours", source, lo=0.0,
                           rule="a delay must be >= 0 hours"),)
        elif dist == "exponential":
            params = (_num(spec["mean"], f"{f}.mean", source, positive=True,
                           rule="the mean delay must be > 0 (use fixed for 0)"),)
        elif dist == "lognormal":
            params = (_num(spec["median"], f"{f}.median", source, positive=True),
                      _num(spec["sigma"], f"{f}.sigma", source, lo=0.0, hi=MAX_SIGMA,
                           rule=f"must lie in [0, {MAX_SIGMA:g}] (the mean, median * "
                                "exp(sigma^2 / 2), overflows beyond about 37)"))
        elif dist == "triangular":
            lo_ = _num(spec["low"], f"{f}.low", source, lo=0.0, rule="a delay must be >= 0")
            mo = _num(spec["mode"], f"{f}.mode", source)
            hi_ = _num(spec["high"], f"{f}.high", source)
            if not lo_ <= mo <= hi_:
                raise ScenarioError("needs low <= mode <= high", field=f, value=[lo_, mo, hi_],
                                    source=source)
            params = (lo_, mo, hi_)
        else:
            s = spec["samples"]
            if isinstance(s, (str, bytes)) or not isinstance(s, (Sequence, np.ndarray)) \
                    or len(s) == 0:
                raise ScenarioError("must be a non-empty list of hours", field=f"{f}.samples",
                                    value=s, source=source)
            vals = tuple(_num(v, f"{f}.samples[{k}]", source, lo=0.0,
                              rule="a delay must be >= 0 hours") for k, v in enumerate(s))
            params = (vals,)
        speed = _num(spec.get("speedup", 0.0), f"{f}.speedup", source, lo=0.0, hi=1.0,
                     rule="the speedup is a share of the delay in [0, 1]")
        return cls(dist, params, speed)

    @property
    def mean(self) -> float:
        """Expected delay at coordination 0 (hours)."""
        p = self.params
        if self.dist in ("fixed", "exponential"):
            return p[0]
        if self.dist == "lognormal":
            return p[0] * math.exp(p[1] ** 2 / 2.0)
        if self.dist == "triangular":
            return sum(p) / 3.0
        return float(np.mean(p[0]))

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        p = self.params
        if self.dist == "fixed":
            return np.full(size, p[0])
        if self.dist == "exponential":
            return rng.standard_exponential(size) * p[0]
        if self.dist == "lognormal":
            return p[0] * np.exp(p[1] * rng.standard_normal(size))
        if self.dist == "triangular":
            if p[2] == p[0]:
                return np.full(size, p[0])
            return rng.triangular(p[0], p[1], p[2], size)
        vals = np.asarray(p[0], dtype=float)
        return vals[rng.integers(0, vals.size, size)]

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"dist": self.dist}
        for k, v in zip(DISTRIBUTIONS[self.dist], self.params, strict=True):
            out[k] = list(v) if isinstance(v, tuple) else v
        if self.speedup:
            out["speedup"] = self.speedup
        return out

    def __str__(self) -> str:
        args = []
        for k, v in zip(DISTRIBUTIONS[self.dist], self.params, strict=True):
            args.append(f"{k}={' '.join(f'{x:g}' for x in v)}" if isinstance(v, tuple)
                        else f"{k}={v:g}")
        if self.speedup:
            args.append(f"speedup={self.speedup:g}")
        return f"{self.dist}({', '.join(args)})"


_SPEC_RE = re.compile(r"^\s*([A-Za-z_]+)\s*\((.*)\)\s*$", re.S)


def _parse_spec_text(text: str, field: str, source) -> dict:
    """``"lognormal(median=3, sigma=0.5)"`` or ``"empirical(samples=1 2 4)"`` or JSON."""
    t = text.strip()
    if t.startswith("{"):
        try:
            return json.loads(t)
        except json.JSONDecodeError as exc:
            raise ScenarioError(f"is not valid JSON ({exc.msg})", field=field, value=text,
                                source=source) from None
    m = _SPEC_RE.match(t)
    if not m:
        raise ScenarioError("must read like exponential(mean=4) or fixed(hours=2)",
                            field=field, value=text, source=source)
    out: dict[str, Any] = {"dist": m.group(1).lower()}
    body = m.group(2).strip()
    if body:
        for part in body.split(","):
            if "=" not in part:
                raise ScenarioError("each argument is key=value, e.g. mean=4", field=field,
                                    value=text, source=source)
            k, v = (x.strip() for x in part.split("=", 1))
            try:
                nums = [float(x) for x in v.split()]
            except ValueError:
                raise ScenarioError("must be a number", field=f"{field}.{k}", value=v,
                                    source=source) from None
            if k == "samples":
                out[k] = nums
            elif len(nums) != 1:
                raise ScenarioError("must be one number", field=f"{field}.{k}", value=v,
                                    source=source)
            else:
                out[k] = nums[0]
    return out


# ---------------------------------------------------------------------- damage
@dataclass(frozen=True)
class DamageCurve:
    """Damage against the response's completion time, piecewise linear.

    ``f(t)`` interpolates linearly between the points ``(hours[k], values[k])``
    and is flat before the first and after the last point.
    """

    hours: tuple[float, ...]
    values: tuple[float, ...]

    @classmethod
    def parse(cls, data: Any, field: str, source: str | None = None,
              value_key: str = "damage") -> DamageCurve:
        if isinstance(data, DamageCurve):
            return data
        if isinstance(data, Mapping):
            unknown = set(data) - {"hours", value_key}
            if unknown or "hours" not in data or value_key not in data:
                raise ScenarioError(f"needs exactly the keys hours and {value_key}", field=field,
                                    value=sorted(data), source=source)
            h, v = data["hours"], data[value_key]
        elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
            pts = list(data)
            if not all(isinstance(p, Sequence) and not isinstance(p, str) and len(p) == 2
                       for p in pts):
                raise ScenarioError(f"must be a list of [hours, {value_key}] points", field=field,
                                    value=data, source=source)
            h, v = [p[0] for p in pts], [p[1] for p in pts]
        else:
            raise ScenarioError(f"must be a table {{hours = [...], {value_key} = [...]}} or a "
                                "callable", field=field, value=data, source=source)
        if isinstance(h, (str, bytes)) or isinstance(v, (str, bytes)) or \
                not isinstance(h, Sequence) or not isinstance(v, Sequence) or len(h) != len(v) \
                or len(h) == 0:
            raise ScenarioError(f"hours and {value_key} must be lists of the same length (>= 1)",
                                field=field, value=data, source=source)
        hh = tuple(_num(x, f"{field}.hours[{k}]", source, lo=0.0) for k, x in enumerate(h))
        vv = tuple(_num(x, f"{field}.{value_key}[{k}]", source, lo=0.0,
                        rule="damage must be >= 0") for k, x in enumerate(v))
        if any(b <= a for a, b in zip(hh, hh[1:], strict=False)):
            raise ScenarioError("hours must increase strictly", field=f"{field}.hours",
                                value=list(hh), source=source)
        return cls(hh, vv)

    def __call__(self, t):
        return np.interp(t, self.hours, self.values)

    def scaled(self, factor: float) -> DamageCurve:
        return DamageCurve(self.hours, tuple(factor * v for v in self.values))


def as_damage(damage, field: str = "damage", source=None) -> Callable | None:
    """``None``, a :class:`DamageCurve`, a table, or a vectorised callable."""
    if damage is None or isinstance(damage, DamageCurve):
        return damage
    if callable(damage):
        return damage
    return DamageCurve.parse(damage, field, source)
