"""``cooperation new [PATH]``: write a commented scenario template to start from.

The template states every key with its meaning, unit, range and default (from the
declared schema, ``docs/reference/scenario-format.md``) and loads as it is. An
existing file is never replaced unless ``--force`` is given; the file is written
atomically.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError

__all__ = ["register", "run", "DEFAULT_PATH"]

#: where ``cooperation new`` writes when no PATH is given
DEFAULT_PATH = "scenario.toml"


def register(sub) -> None:
    p = sub.add_parser("new", help="write a commented scenario template")
    p.add_argument(
        "path",
        nargs="?",
        default=DEFAULT_PATH,
        help=f"file to write (default {DEFAULT_PATH}; a folder: its {DEFAULT_PATH})",
    )
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=run)


def run(args, out) -> int:
    from .._io import atomic_write_text
    from ..scenario.writer import template

    path = Path(args.path)
    if path.is_dir():
        path = path / DEFAULT_PATH
    if path.suffix.lower() != ".toml":
        raise InputError("a scenario file ends in .toml", field="path", value=str(path))
    if path.exists() and not args.force:
        raise InputError(
            "exists already; pass --force to replace it", field="path", value=str(path)
        )
    atomic_write_text(path, template())
    print(f"wrote {path}; edit it, then check it with: cooperation validate {path}", file=out)
    return 0
