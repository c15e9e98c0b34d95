"""`cooperation evolve`: numeric flags fed bad values give one line and exit 2 (issue
20), the screen fits 100 columns and explains its classes, the help reads the library's
defaults. (CLI == API on the Xin'an table: tests/evolutionary/test_cli_plot.py.)
"""

from __future__ import annotations

import inspect

import pytest

import cooperation as co

TABLE = "data/xinan/evolutionary.toml"
PROBES = ["-1", "nan", "inf", "1e400", "text", str(10**30)]
LARGEST_OTHER = 4.0  # the largest other parameter of the shipped table (E = 4)


def _bad(flag: str, text: str) -> bool:
    """The rules: --tol in [0, 0.5]; a --set value finite (negative is a valid payoff
    parameter) and at most 1e12 times the other parameters (round-off)."""
    try:
        x = float(text)
    except ValueError:
        return True
    if not abs(x) < float("inf") or x != x:
        return True
    if flag == "--tol":
        return not 0 <= x <= 0.5
    return abs(x) > 1e12 * LARGEST_OTHER


@pytest.mark.parametrize("flag", ["--tol", "--set"])
@pytest.mark.parametrize("text", PROBES)
def test_a_bad_number_is_one_line_and_exit_2(cli, flag, text):
    arg = f"S={text}" if flag == "--set" else text
    r = cli("evolve", TABLE, flag, arg)
    assert "Traceback" not in r.err
    if _bad(flag, text):
        assert r.code == 2 and len(r.err_lines) == 1 and flag in r.err, r.err
    else:
        assert r.code == 0 and r.err == "", r.err


def test_screen_fits_and_explains(cli):
    r = cli("evolve", TABLE, "--set", "S=2")
    assert r.code == 0 and r.width <= 100
    text = " ".join(r.out.split())
    assert "complete=True: every rest point found and certified" in text
    assert "non-hyperbolic: a real part within tol" in text
    assert "[holds] (1, 0, 0)" in r.out


def test_help_reads_the_library_defaults(cli):
    text = " ".join(cli("evolve", "--help").out.split())
    sig = inspect.signature(co.evolutionary_stability).parameters
    assert f"(default {sig['tol'].default})" in text
    assert f"(default {sig['method'].default})" in text
