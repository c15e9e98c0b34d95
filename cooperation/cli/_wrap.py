"""Lines of prose on the terminal for the commands of part B (simulate, response,
reserves, evolve): wrapped within :data:`cooperation.cli._common.WIDTH` columns,
and library errors renamed to the flag that carried the keyword."""

from __future__ import annotations

import textwrap
from contextlib import contextmanager

from ..errors import InputError
from ._common import WIDTH

__all__ = ["say", "explain", "renamed"]


def say(out, text: str, indent: str = "") -> None:
    """``text`` wrapped within the terminal width (continuation lines indented two more).

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> say(buf, "word " * 30)
    >>> max(len(line) for line in buf.getvalue().splitlines()) <= WIDTH
    True
    """
    while text.startswith("\n"):  # leading blank lines stay blank lines
        print("", file=out)
        text = text[1:]
    print(
        textwrap.fill(
            text,
            WIDTH,
            initial_indent=indent,
            subsequent_indent=indent + "  ",
            break_on_hyphens=False,
            break_long_words=False,
        ),
        file=out,
    )


def explain(out, why: dict, indent: str = "  ") -> None:
    """One wrapped line per reason in ``why`` (``{name: reason}``); names that share a
    reason share a line."""
    by_text: dict = {}
    for name, text in why.items():
        by_text.setdefault(text, []).append(name)
    for text, names in by_text.items():
        say(out, f"{', '.join(names)}: {text}", indent=indent)


@contextmanager
def renamed(flags: dict):
    """Re-raise an :class:`InputError` about a library keyword (``runs``) as one about
    its flag (``--runs``), with the same value, rule and fix."""
    try:
        yield
    except InputError as exc:
        flag = flags.get(exc.field)
        if flag is None:
            raise
        raise type(exc)(
            exc.rule, field=flag, value=exc.value, source=exc.source, fix=exc.fix
        ) from None
