"""`cooperation reserves`: numeric flags fed bad values give one line and exit 2 (issue
20), the screen fits 100 columns and explains its dual columns, the help reads the
library's defaults. (CLI == API on the Chishui file: tests/reserves/test_cli.py.)
"""

from __future__ import annotations

import inspect

import pytest

import cooperation as co

CASE = "data/chishui_reserves"
ARGS = ("reserves", f"{CASE}/scenario.toml", "--links", f"{CASE}/roads.csv", "--no-game")
PROBES = ["-1", "nan", "inf", "1e400", "text", str(10**30)]


def _largest_cost() -> float:
    """The largest holding (+ procurement) or dispatch cost per unit of the shipped files."""
    import pandas as pd

    depots, roads = pd.read_csv(f"{CASE}/depots.csv"), pd.read_csv(f"{CASE}/roads.csv")
    unit = depots["holding_cost"] + depots.get("procurement_cost", 0.0)
    return float(max(unit.max(), roads["cost"].max()))


LARGEST_COST = _largest_cost()


def _bad(flag: str, text: str) -> bool:
    """The rules: --deadline-hours finite >= 0 (10**30 h reaches everything);
    --confidence in [0, 1); --penalty finite >= 0 and at most 1e10 times the largest
    holding or dispatch cost (beyond, those costs fall below the LP's dust)."""
    try:
        x = float(text)
    except ValueError:
        return True
    if not x < float("inf") or x != x:
        return True
    if flag == "--confidence":
        return not 0 <= x < 1
    if flag == "--penalty":
        return x < 0 or x > 1e10 * LARGEST_COST
    return x < 0


@pytest.mark.parametrize("flag", ["--deadline-hours", "--confidence", "--penalty"])
@pytest.mark.parametrize("text", PROBES)
def test_a_bad_number_is_one_line_and_exit_2(cli, flag, text):
    extra = ["--risk", "cvar"] if flag == "--confidence" else []
    r = cli(*ARGS, *extra, flag, text)
    assert "Traceback" not in r.err
    if _bad(flag, text):
        assert r.code == 2 and len(r.err_lines) == 1 and flag in r.err, r.err
    else:
        assert r.code in (0, 1) and r.err == "", r.err


def test_screen_fits_and_explains(cli):
    r = cli(*ARGS)
    assert r.code == 0 and r.width <= 100
    for col in ("capacity_dual:", "demand_dual:"):
        assert col in r.out
    assert "more rows (all of them in --out)" in r.out  # 23 unmet rows, 20 shown
    assert "e-1" not in r.out  # round-off shown as 0


def test_help_reads_the_library_defaults(cli):
    text = " ".join(cli("reserves", "--help").out.split())
    sig = inspect.signature(co.design_reserves).parameters
    for name in ("deadline_hours", "risk", "confidence", "backend"):
        assert f"(default {sig[name].default})" in text, name
