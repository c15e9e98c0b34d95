"""A seeded mutation fuzzer over the shipped scenarios: every malformed file is refused
with a one-line cooperation.errors exception, never another exception, never a hang.

Each mutant takes a shipped case (data/<case>/scenario.toml and the tables it names),
changes one of its files (a line deleted, duplicated or inserted, a number or string
replaced by a hostile value, bytes flipped, the file cut short, a CSV header doubled or
re-encoded) and loads it with ``co.load_scenario`` under a timeout. A mutant may still
be a valid scenario; what may not happen is any other exception, a message of more than
one line, or a load that does not finish.

CI runs ``MUTANTS`` mutants (about a second); more, and another seed, with
``COOPERATION_FUZZ_MUTANTS=20000 COOPERATION_FUZZ_SEED=7``. The county case (3,000
jurisdictions, a second per load) joins only with ``COOPERATION_FUZZ_BIG=1``.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import warnings
from pathlib import Path

import pytest

import cooperation as co
from cooperation.errors import CooperationError, ScenarioWarning

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = int(os.environ.get("COOPERATION_FUZZ_MUTANTS", "300"))
SEED = int(os.environ.get("COOPERATION_FUZZ_SEED", "0"))
TIMEOUT_S = 10
BIG_CASES = ("county",)

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


def _cases() -> list[Path]:
    big = os.environ.get("COOPERATION_FUZZ_BIG", "") not in ("", "0")
    return [
        p.parent
        for p in sorted(ROOT.glob("data/*/scenario.toml"))
        if big or p.parent.name not in BIG_CASES
    ]


def _files(case: Path) -> list[Path]:
    return [case / "scenario.toml"] + sorted(case.glob("*.csv"))


def _replace_match(rng, text, pattern, pool):
    matches = list(pattern.finditer(text))
    if not matches:
        return text
    m = rng.choice(matches)
    return text[: m.start()] + rng.choice(pool) + text[m.end() :]


def mutate(rng: random.Random, data: bytes, is_csv: bool) -> tuple[bytes, str]:
    """One random mutation of a file's bytes, and what it was."""
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
        return _replace_match(rng, text, STRING, STRINGS).encode(), "replace a string"
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


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang


def _load_one(folder: Path) -> BaseException | None:
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_S)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ScenarioWarning)
            co.load_scenario(folder / "scenario.toml")
        return None
    except _Hang:
        return TimeoutError(f"load did not finish within {TIMEOUT_S} s")
    except Exception as exc:  # judged by the caller
        return exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_mutation_operators_change_files():
    rng = random.Random(0)
    data = (ROOT / "data/xinan/scenario.toml").read_bytes()
    changed = sum(mutate(rng, data, False)[0] != data for _ in range(50))
    assert changed >= 40


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX timers")
def test_every_mutant_loads_or_fails_with_one_line_error(tmp_path):
    rng = random.Random(SEED)
    cases = _cases()
    copies = {}
    for case in cases:
        copies[case.name] = tmp_path / case.name
        shutil.copytree(case, copies[case.name])
    failures, refused = [], 0
    for m in range(MUTANTS):
        case = rng.choice(cases)
        folder = copies[case.name]
        target = rng.choice(_files(case))
        original = target.read_bytes()
        mutant, what = mutate(rng, original, target.suffix == ".csv")
        path = folder / target.name
        path.write_bytes(mutant)
        try:
            exc = _load_one(folder)
        finally:
            path.write_bytes(original)
        if exc is None:
            continue
        refused += 1
        msg = str(exc)
        if not isinstance(exc, CooperationError) or "\n" in msg or not msg:
            failures.append(
                f"mutant {m} ({case.name}/{target.name}: {what}): "
                f"{type(exc).__name__}: {msg[:300]!r}"
            )
    assert not failures, f"{len(failures)} of {MUTANTS} mutants:\n" + "\n".join(failures[:20])
    assert refused >= MUTANTS // 4  # the mutations do break files
