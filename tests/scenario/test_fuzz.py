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
import shutil
import signal
import warnings
from pathlib import Path

import pytest
from fuzzing import Hang, mutate, time_limit

import cooperation as co
from cooperation.errors import CooperationError, ScenarioWarning

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = int(os.environ.get("COOPERATION_FUZZ_MUTANTS", "300"))
SEED = int(os.environ.get("COOPERATION_FUZZ_SEED", "0"))
TIMEOUT_S = 10
BIG_CASES = ("county",)


def _cases() -> list[Path]:
    big = os.environ.get("COOPERATION_FUZZ_BIG", "") not in ("", "0")
    return [
        p.parent
        for p in sorted(ROOT.glob("data/*/scenario.toml"))
        if big or p.parent.name not in BIG_CASES
    ]


def _files(case: Path) -> list[Path]:
    return [case / "scenario.toml"] + sorted(case.glob("*.csv"))


def _load_one(folder: Path) -> BaseException | None:
    try:
        with time_limit(TIMEOUT_S), warnings.catch_warnings():
            warnings.simplefilter("ignore", ScenarioWarning)
            co.load_scenario(folder / "scenario.toml")
        return None
    except Hang:
        return TimeoutError(f"load did not finish within {TIMEOUT_S} s")
    except Exception as exc:  # judged by the caller
        return exc


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
