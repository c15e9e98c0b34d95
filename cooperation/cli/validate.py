"""``cooperation validate``: check a scenario file, say what it defines, and warn about
every default the loader filled in and every value it ignores.

Exit status 0 when the file is a valid scenario (warnings included), 2 when it is
not (one line naming the file, the field, the value and the rule). The format:
``docs/reference/scenario-format.md``.
"""

from __future__ import annotations

from ._common import add_allow_outside, given, print_table

__all__ = ["register", "run"]


def register(sub) -> None:
    p = sub.add_parser(
        "validate",
        help="check a scenario file: what it defines, every default filled in, every ignored value",
    )
    p.add_argument("scenario", help="scenario TOML file (or a folder with scenario.toml)")
    add_allow_outside(p)
    p.set_defaults(func=run)


def run(args, out) -> int:
    from ..scenario.validation import validate_scenario

    v = validate_scenario(args.scenario, **given(args, "allow_outside"))
    for line in v.summary():
        print(line, file=out)
    s = v.scenario
    print("", file=out)
    frame = s.to_frame()[["capacity", "population"] + [f"cost[{a}]" for a in s.action_names]]
    print_table(frame, out)
    print("", file=out)
    print_table(s.hazards_frame(), out)
    print("", file=out)
    print(f"Defaults filled in: {len(v.defaults)}", file=out)
    for d in v.defaults:
        print(f"  warning: {d.message()}", file=out)
    print(f"Ignored or doubtful values: {len(v.warnings)}", file=out)
    for w in v.warnings:
        print(f"  warning: {w}", file=out)
    return 0
