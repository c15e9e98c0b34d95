"""One checker for the numeric arguments of public functions.

Every public function that takes a number from its caller (a fine, a share,
a probability, a count) checks it here, so the rule and the message are the
same everywhere: the field, the bad value and the rule, as an
:class:`~cooperation.errors.InputError`.
"""

from __future__ import annotations

import math
import numbers

from .errors import InputError

__all__ = ["check_number", "check_int"]


_UNSET = object()


def check_number(value, field: str, *, lo: float | None = None, hi: float | None = None,
                 lo_open: bool = False, hi_open: bool = False, none_ok: bool = False,
                 fix: str | None = None, shown=_UNSET, rule: str | None = None,
                 error: type[InputError] = InputError, source: str | None = None
                 ) -> float | None:
    """``float(value)`` when it is a real number (not a bool), finite and within bounds.

    ``lo``/``hi`` are inclusive unless ``lo_open``/``hi_open``; ``none_ok``
    lets ``None`` through (an option left unset). ``shown``: the value the
    error message quotes, when it differs from ``value`` (the text a user typed
    on the command line, say). ``rule`` replaces the generated range rule;
    ``error`` and ``source`` choose the exception class (a
    :class:`~cooperation.errors.ScenarioError` for a file) and the file named.

    >>> check_number(0.5, "share", lo=0, hi=1)
    0.5
    >>> check_number(float("nan"), "share")
    Traceback (most recent call last):
    ...
    cooperation.errors.InputError: share = nan: must be a number, not NaN
    """
    if shown is not _UNSET:
        try:
            return check_number(value, field, lo=lo, hi=hi, lo_open=lo_open, hi_open=hi_open,
                                none_ok=none_ok, fix=fix, rule=rule, error=error,
                                source=source)
        except InputError as exc:
            raise error(exc.rule, field=field, value=shown, fix=fix, source=source) from None
    if value is None and none_ok:
        return None

    def fail(why):
        return error(why, field=field, value=value, fix=fix, source=source)

    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise fail("must be a number" + (" (or None)" if none_ok else ""))
    try:
        x = float(value)
    except OverflowError:                 # an integer beyond the float range (~1.8e308)
        raise fail("must be finite (beyond the range of a double, about 1.8e308)") from None
    if math.isnan(x):
        raise fail("must be a number, not NaN")
    if math.isinf(x):
        raise fail("must be finite")
    below = lo is not None and (x <= lo if lo_open else x < lo)
    above = hi is not None and (x >= hi if hi_open else x > hi)
    if below or above:
        if rule is None:
            left = "(" if lo_open else "["
            right = ")" if hi_open else "]"
            if lo is not None and hi is not None:
                rule = f"must lie in {left}{lo:g}, {hi:g}{right}"
            elif lo is not None:
                rule = f"must be {'>' if lo_open else '>='} {lo:g}"
            else:
                rule = f"must be {'<' if hi_open else '<='} {hi:g}"
        raise fail(rule)
    return x


def check_int(value, field: str, *, lo: int | None = None, hi: int | None = None) -> int:
    """``int(value)`` when it is an integer (not a bool) within ``[lo, hi]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError("must be an integer", field=field, value=value)
    x = int(value)
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        rule = (f"must lie in [{lo}, {hi}]" if lo is not None and hi is not None
                else f"must be >= {lo}" if lo is not None else f"must be <= {hi}")
        raise InputError(rule, field=field, value=value)
    return x
