"""Error types of `cooperation`.

Every error the toolkit raises on bad input comes from here, so that a caller
(or the command line) can catch :class:`CooperationError` and show one clear
line. Messages name **where** (the file, when there is one), **the field**,
**the bad value** and **the rule** it breaks, and where possible the fix.

The classes subclass the built-in ``ValueError``/``TypeError`` so that code
written against the standard exceptions keeps working.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

__all__ = [
    "CooperationError",
    "InputError",
    "ScenarioError",
    "GameError",
    "SolverError",
    "ScenarioWarning",
    "format_problem",
    "preview_names",
]


def _short(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters.

    Strings and paths keep their end (a file's name is at the end of its path);
    other values keep their start.
    """
    text = repr(value)
    if len(text) <= limit:
        return text
    if isinstance(value, (str, PurePath)):
        return "..." + text[-(limit - 3):]
    return text[: limit - 3] + "..."


def preview_names(names, limit: int = 8) -> str:
    """``names`` as a list for a message, the first ``limit`` and a count beyond that."""
    names = list(names)
    if len(names) <= limit:
        return str(names)
    return str(names[:limit])[:-1] + f", ... ({len(names)} in all)]"


def format_problem(field: str | None, value: Any, rule: str, source: str | None = None,
                   fix: str | None = None, *, show_value: bool = True) -> str:
    """Build the standard one-line message: ``source: field = value: rule (fix)``."""
    parts = []
    if source:
        parts.append(f"{source}: ")
    if field:
        parts.append(f"{field}")
        if show_value:
            parts.append(f" = {_short(value)}")
        parts.append(": ")
    parts.append(rule)
    if fix:
        parts.append(f" ({fix})")
    return "".join(parts)


class CooperationError(Exception):
    """Base class of every error raised on purpose by `cooperation`.

    Attributes
    ----------
    field : str or None
        The input field at fault, in dotted form (``hazards[2].probability``).
    value : object
        The offending value.
    rule : str
        The rule the value breaks, in plain words.
    source : str or None
        The file (or object) the value came from.
    """

    def __init__(self, rule: str, *, field: str | None = None, value: Any = None,
                 source: str | None = None, fix: str | None = None,
                 show_value: bool | None = None):
        self.field = field
        self.value = value
        self.rule = rule
        self.source = source
        self.fix = fix
        if show_value is None:
            show_value = field is not None
        super().__init__(format_problem(field, value, rule, source, fix, show_value=show_value))


class InputError(CooperationError, ValueError):
    """A function argument breaks a documented rule (shape, range, label)."""


class ScenarioError(InputError):
    """A scenario (file or Python object) is malformed."""


class GameError(InputError):
    """A game's payoffs, labels or profiles are malformed."""


class SolverError(CooperationError, RuntimeError):
    """A numerical solver failed in a way the caller must know about."""


class ScenarioWarning(UserWarning):
    """A scenario is valid but a value in it is ignored, or it is unlikely to mean what it
    says (one jurisdiction, an action ladder that changes nothing); the message names the
    field and the fix, like an error's."""
