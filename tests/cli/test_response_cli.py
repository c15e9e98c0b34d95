"""`cooperation response`: numeric flags fed bad values give one line and exit 2 (issue
20), the screen fits 100 columns and explains what it shows, the help reads the
library's defaults. (CLI == API on the typhoon file: tests/response/test_cli_and_case.py.)
"""

from __future__ import annotations

import inspect

import pytest

import cooperation as co
from cooperation.response.simulate import DEADLINE_HOURS, MAX_RUNS

CASE = "data/typhoon/scenario.toml"
PROBES = ["-1", "nan", "inf", "1e400", "text", str(10**30)]


def _bad(flag: str, text: str) -> bool:
    """The flags' rules: --runs an integer in [2, MAX_RUNS], --seed an integer >= 0,
    --within a finite number of hours >= 0 (10**30 h is a deadline no run misses)."""
    try:
        x = float(text)
    except ValueError:
        return True
    if flag == "--within":
        return not (0 <= x < float("inf"))
    try:
        k = int(text)
    except ValueError:
        return True
    return k < 0 if flag == "--seed" else not 2 <= k <= MAX_RUNS


@pytest.mark.parametrize("flag", ["--runs", "--seed", "--within"])
@pytest.mark.parametrize("text", PROBES)
def test_a_bad_number_is_one_line_and_exit_2(cli, flag, text):
    argv = ["response", CASE, flag, text] + ([] if flag == "--runs" else ["--runs", 2000])
    r = cli(*argv)
    assert "Traceback" not in r.err and "MemoryError" not in r.err
    if _bad(flag, text):
        assert r.code == 2 and len(r.err_lines) == 1 and flag in r.err, r.err
    else:
        assert r.code == 0 and r.err == "", r.err


def test_runs_beyond_the_limit_say_the_way_around(cli):
    r = cli("response", CASE, "--runs", MAX_RUNS + 1)
    assert r.code == 2 and "at most" in r.err and "1/sqrt(runs)" in r.err


def test_screen_fits_and_explains(cli):
    r = cli("response", CASE, "--runs", 3000)
    assert r.code == 0 and r.width <= 100
    assert "delay_cost: the unit's Shapley share" in r.out
    assert "n/a" not in r.out and "nan" not in r.out.lower()


def test_help_reads_the_library_defaults(cli):
    r = cli("response", "--help")
    sig = inspect.signature(co.simulate_response).parameters
    text = " ".join(r.out.split())
    assert f"(default {sig['runs'].default})" in text
    assert f"(default {DEADLINE_HOURS:g})" in text
