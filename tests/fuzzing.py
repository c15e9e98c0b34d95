"""Shared pieces of the seeded mutation fuzzers (tests/scenario/test_fuzz.py over
``co.load_scenario``, tests/cli/test_fuzz_cli.py over the commands): pools of hostile
values, :func:`mutate` (one random change of a file's bytes) and :func:`time_limit`.

On pytest's path through pyproject's ``pythonpath = ["tests"]``: ``import fuzzing``.
"""

from __future__ import annotations

import random
import re
import signal
from contextlib import contextmanager

__all__ = ["NUMBERS", "STRINGS", "CONTROL_STRINGS", "LINES", "mutate", "Hang", "time_limit"]

NUMBERS = [
    "-1",
    "1e400",
    "1" + "0" * 400,
    "9" * 5000,
    "nan",
    "-inf",
    "1.8e308",
    "1e101",
    "0",
    "5e-324",
    "-0.0",
    '"0.5"',
    "[0.5]",
    "{ a = 1 }",
    "true",
    "2",
    "1e100",
    "0x10",
    "1979-05-27",
]
STRINGS = [
    '["A"]',
    '[["A"]]',
    '""',
    '" "',
    '"A\\nB"',
    '"A\\u0000"',
    '"' + "x" * 300 + '"',
    '"/etc/passwd"',
    '"../scenario.toml"',
    '"/dev/zero"',
    '"/dev/stdin"',
    '"."',
    '"/proc/self/environ"',
    "123",
    "{}",
    '"~/x.csv"',
    '"scenario.toml"',
    '"新安江"',
    '"self"',
    '"weighted"',
    '"mean"',
]
LINES = [
    'spillover = "spillover.csv"',
    "[[hazards]]",
    "[[jurisdictions]]",
    "[[actions]]",
    'name = "x"',
    "costs = 0.5",
    "costs = { self = 0.0 }",
    "costs = [1, 2, 3]",
    'origins = [["A"]]',
    "origins = []",
    "prevention = 0.5",
    "response = 2",
    "x = " + "[" * 300 + "]" * 300,
    "y = " + "{ a = " * 60 + "1" + " }" * 60,
    "[sources]",
    "stake_round1 = " + "9" * 400,
    'process = "/dev/stdin"',
    'jurisdictions = "/proc/self/environ"',
    'hazards = "../typhoon/response_process.csv"',
    'aggregation = "weighted"',
    "weights = { A = 1 }",
    "process_runs = 100000000000",
    "process_seed = -1",
    "damage_curve = { hours = [0], share = [1] }",
    "unit = 1",
    'process = [{ task = "t", owners = ["A"], delay = { dist = "fixed", hours = 1 } }]',
    "name,probability,damage",
    "a;b;c",
    "hazard,jurisdiction,share,share",
    "\ufeff",
]
NUMBER = re.compile(r"(?<![\w.\"])-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.\"])")
STRING = re.compile(r'"[^"\n]*"')
KEY = re.compile(r"^([A-Za-z_]+)\s*=", re.M)
#: string values whose characters must never reach a terminal raw (escape, bell,
#: carriage return, backspace, a right-to-left override, DEL, C1 controls)
CONTROL_STRINGS = [
    '"A\\u001b[2J\\u001b[31mB"',
    '"A\\u0007\\bB"',
    '"A\\rB"',
    '"\\u202eA"',
    '"A\\u007fB"',
    '"A\\u009bB"',
]


def _replace_match(rng, text, pattern, pool):
    matches = list(pattern.finditer(text))
    if not matches:
        return text
    m = rng.choice(matches)
    return text[: m.start()] + rng.choice(pool) + text[m.end() :]


def mutate(
    rng: random.Random, data: bytes, is_csv: bool, strings: list[str] = STRINGS
) -> tuple[bytes, str]:
    """One random mutation of a file's bytes, and what it was; a replaced string comes
    from ``strings``."""
    text = data.decode("utf-8")
    lines = text.splitlines(keepends=True) or [""]
    op = rng.randrange(12)
    k = rng.randrange(len(lines))
    if op == 0:
        del lines[k]
        return "".join(lines).encode(), f"delete line {k + 1}"
    if op == 1:
        lines.insert(k, lines[k])
        return "".join(lines).encode(), f"duplicate line {k + 1}"
    if op == 2:
        j = rng.randrange(len(lines))
        lines[k], lines[j] = lines[j], lines[k]
        return "".join(lines).encode(), f"swap lines {k + 1}, {j + 1}"
    if op == 3:
        return _replace_match(rng, text, NUMBER, NUMBERS).encode(), "replace a number"
    if op == 4:
        return _replace_match(rng, text, STRING, strings).encode(), "replace a string"
    if op == 5:
        new = rng.choice(LINES)
        lines.insert(k, new + "\n")
        return "".join(lines).encode(), f"insert {new[:40]!r} at line {k + 1}"
    if op == 6:
        b = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b), "flip bytes"
    if op == 7:
        cut = rng.randrange(len(data) + 1)
        return data[:cut], f"truncate at byte {cut}"
    if op == 8:
        keys = list(KEY.finditer(text))
        if keys:
            m = rng.choice(keys)
            name = m.group(1)
            i = rng.randrange(len(name))
            typo = name[:i] + name[i + 1 :] if len(name) > 1 else name + "x"
            return (text[: m.start(1)] + typo + text[m.end(1) :]).encode(), f"typo {name!r}"
        return data, "no key"
    if op == 9:
        return "\ufeff".encode() + data, "byte-order mark"
    if op == 10 and is_csv:
        first, _, rest = text.partition("\n")
        cols = first.split(",")
        cols.append(rng.choice(cols))
        return (",".join(cols) + "\n" + rest).encode(), "repeat a CSV column"
    if op == 10:
        return text.replace("\n", "\n" * rng.randint(2, 3)).encode(), "blank lines"
    if is_csv and rng.random() < 0.5:
        return text.replace(",", ";").encode(), "semicolon separators"
    return (text + "中文名称").encode("gb18030", errors="replace"), "GB18030 encoding"


class Hang(BaseException):
    """Raised in the main thread when a :func:`time_limit` runs out (a ``BaseException``,
    so that no ``except Exception`` of the code under test swallows it)."""


def _alarm(signum, frame):
    raise Hang


@contextmanager
def time_limit(seconds: float):
    """Raise :class:`Hang` in the block when it runs longer than ``seconds`` (POSIX
    interval timer; main thread only)."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
