"""Every numeric flag of `cooperation simulate` fed bad values (issue 20): one line on
stderr, exit 2, no traceback, and never a MemoryError.

A value is bad when it breaks the flag's rule; the rule, not a list of answers, says
which of the six probes must be refused. ``10**30`` is a valid seed (any integer >= 0
seeds numpy's SeedSequence) and a valid chunk (at most all runs in one chunk); both are
then run and must succeed.
"""

from __future__ import annotations

import pytest

XINAN = "data/xinan/scenario.toml"
PROBES = ["-1", "nan", "inf", "1e400", "text", str(10**30)]

# flag -> (kind, extra flags the value needs to be read)
FLAGS = {
    "--rounds": ("count", []),
    "--runs": ("count", []),
    "--shock": ("count", []),
    "--shock-length": ("count", ["--shock", "2"]),
    "--chunk": ("chunk", []),
    "--seed": ("seed", []),
    "--noise": ("probability", []),
    "--continuation": ("probability", []),
    "--audit-prob": ("probability", []),
    "--accuracy": ("probability", ["--audit-prob", "0.3"]),
    "--false-alarm": ("probability", ["--audit-prob", "0.3"]),
    "--fund-share": ("probability", ["--audit-prob", "0.3"]),
    "--peer-error": ("probability", []),
    "--fine": ("money", ["--audit-prob", "0.3"]),
    "--reward": ("money", ["--audit-prob", "0.3"]),
    "--peer-fine": ("money", []),
}
MODES_FLAGS = [
    "--rounds",
    "--runs",
    "--noise",
    "--audit-prob",
    "--accuracy",
    "--fine",
    "--peer-error",
    "--peer-fine",
    "--shock",
    "--seed",
]


def _bad(kind: str, text: str) -> bool:
    """Whether the rule of ``kind`` refuses ``text``: counts are integers within the size
    limits, probabilities finite numbers in [0, 1], money finite, >= 0 and at most 1e12
    times the stage payoffs (about 4 here), seeds and chunks integers >= 0 or >= 1."""
    try:
        x = int(text)
    except ValueError:
        return True  # nan, inf, 1e400, text: not integers
    if kind in ("seed", "chunk"):
        return x < (0 if kind == "seed" else 1)
    if kind in ("probability", "money"):
        return x < 0 or (kind == "probability" and x > 1) or x > 1e12
    return x < 1 or x > 10**8  # counts: beyond every size limit here


def _run(cli, *argv):
    r = cli("simulate", XINAN, "--runs", 5, "--rounds", 5, *argv)
    assert "Traceback" not in r.err and "MemoryError" not in r.err
    return r


@pytest.mark.parametrize("flag", sorted(FLAGS))
@pytest.mark.parametrize("text", PROBES)
def test_a_bad_number_is_one_line_and_exit_2(cli, flag, text):
    kind, extra = FLAGS[flag]
    r = _run(cli, *extra, flag, text)
    if _bad(kind, text):
        assert r.code == 2, (flag, text, r.out[-300:])
        assert len(r.err_lines) == 1 and flag in r.err, r.err
    else:
        assert r.code == 0 and r.err == "", (flag, text, r.err)


@pytest.mark.parametrize("flag", MODES_FLAGS)
@pytest.mark.parametrize("text", ["-1", "nan", str(10**30)])
def test_the_same_with_compare_modes(cli, flag, text):
    kind, extra = FLAGS[flag]
    extra = [x for x in extra if x != "--audit-prob" and x != "0.3"]
    r = _run(cli, "--compare-modes", *extra, flag, text)
    if _bad(kind, text):
        assert r.code == 2 and len(r.err_lines) == 1 and flag in r.err, r.err
    else:
        assert r.code == 0, r.err


@pytest.mark.parametrize(
    "text",
    [
        "random:nan",
        "random:2",
        "gtft:inf",
        "threshold:-1",
        "threshold:1e400",
        "cycler:XYZ",
        "threshold:9",
    ],
)
def test_bad_strategy_parameters(cli, text):
    r = _run(cli, "--strategy", text)
    assert r.code == 2 and len(r.err_lines) == 1 and "--strategy" in r.err, r.err


def test_bad_transfers_file(cli, tmp_path):
    for body in (
        '{"Anhui": "x"}',
        '{"Anhui": NaN}',
        '{"Anhui": 1e400}',
        "[1, 2]",
        '{"Nowhere": 1}',
        '{"Anhui": 1e30}',
        "not json",
    ):
        path = tmp_path / "t.json"
        path.write_text(body, encoding="utf-8")
        r = _run(cli, "--transfers", path)
        assert r.code == 2 and len(r.err_lines) == 1 and "--transfers" in r.err, (body, r.err)
