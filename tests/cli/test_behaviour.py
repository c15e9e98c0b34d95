"""What every command does the same way: --version, "did you mean", exit statuses, a
closed pipe, Ctrl-C (also during the start-up imports), output paths checked before
any work, one line for bad input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cooperation

ROOT = Path(__file__).resolve().parents[2]
XINAN = ROOT / "data" / "xinan" / "scenario.toml"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def test_version(cli):
    r = cli("--version")
    assert r.code == 0 and r.out.strip() == f"cooperation {cooperation.__version__}"


@pytest.mark.parametrize(
    "argv, usage, hint",
    [
        (["analyse", "x.toml"], "usage: cooperation [-h]", "did you mean 'analyze'?"),
        (
            ["compensate", str(XINAN), "--outt", "x.json"],
            "usage: cooperation compensate",
            "--outt (did you mean '--out'?)",
        ),
        (
            ["analyze", str(XINAN), "--outsides", "gamma"],
            "usage: cooperation analyze",
            "did you mean '--outsiders'?",
        ),
        (
            ["compensate", str(XINAN), "--objective", "min_subsidies"],
            "usage: cooperation compensate",
            "did you mean 'min_subsidy'?",
        ),
    ],
)
def test_mistyped_command_flag_or_choice(cli, argv, usage, hint):
    r = cli(*argv)
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(usage) and hint in r.err and "Traceback" not in r.err


def test_unknown_flag_without_a_near_match_still_names_it(cli):
    r = cli("analyze", str(XINAN), "--zzzz")
    assert (
        r.code == 2
        and "unrecognized arguments: --zzzz" in r.err
        and "did you mean" not in r.err
        and r.err.startswith("usage: cooperation analyze")
    )


# ------------------------------------------------------------------ output checked first
@pytest.mark.parametrize("command", ["analyze", "compensate"])
def test_out_is_checked_before_any_work(cli, tmp_path, monkeypatch, command):
    """A folder, a path under a file, a wrong suffix: one line, exit 2, and the scenario is
    never even loaded."""
    import cooperation.scenario

    def boom(*a, **k):  # pragma: no cover - must not be reached
        raise AssertionError("computed before checking --out")

    monkeypatch.setattr(cooperation.scenario, "load_scenario", boom)
    monkeypatch.setattr(cooperation, "load_scenario", boom)
    afile = tmp_path / "afile.txt"
    afile.write_text("x")
    for bad, words in [
        (tmp_path, "is a folder"),
        (afile / "r.json", "is a file, not a folder"),
        (tmp_path / "r.txt", "must end in .json"),
    ]:
        r = cli(command, str(XINAN), "--out", bad)
        assert r.code == 2 and r.out == "", (bad, r.out)
        assert len(r.err_lines) == 1 and words in r.err and "--out" in r.err


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="permissions are not enforced for root"
)
def test_out_in_a_read_only_folder(cli, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        r = cli("compensate", str(XINAN), "--out", ro / "r.json")
    finally:
        ro.chmod(0o700)
    assert r.code == 2 and "permission denied" in r.err and r.out == ""


# ------------------------------------------------------------------ bad input, one line
def _levels_scenario(folder: Path, levels: int) -> Path:
    """Two jurisdictions with ``levels`` action levels each."""
    lines = ['name = "many levels"', 'unit = "CNY 100M/yr"']
    for k in range(levels):
        lines += [
            "[[actions]]",
            f'name = "l{k}"',
            f"effort = {k / (levels - 1)}",
            f"coordination = {k / (levels - 1)}",
        ]
    for j in ("A", "B"):
        costs = ", ".join(f"l{k} = {k / (levels - 1):.6f}" for k in range(levels))
        lines += ["[[jurisdictions]]", f'name = "{j}"', "costs = {" + costs + "}"]
    lines += [
        "[[hazards]]",
        'name = "h"',
        "probability = 0.5",
        "damage = 10.0",
        'origins = ["A"]',
        "prevention = 0.7",
        "response = 0.2",
        "spillover = { A = 0.3, B = 0.7 }",
    ]
    path = folder / f"levels{levels}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def many_levels(tmp_path):
    """257 levels: 66049 profiles, more than a payoff table holds."""
    return _levels_scenario(tmp_path, 257)


def test_many_levels_compensate_runs_and_says_the_agreement_does_not_apply(cli, many_levels):
    """The design runs on the lazy payoffs (it was an AttributeError in the two-way
    agreement); the agreement says why it cannot apply."""
    r = cli("compensate", many_levels)
    assert r.code == 0 and r.err == "" and r.width <= 100
    assert "Two-way conditional agreement: not applicable" in r.out and "257 x 257" in r.out


def test_many_levels_analyze_is_bounded(cli, tmp_path):
    """60 levels (3600 profiles, a payoff table the tensor path holds): no 60-row payoff
    table, no exponential vertex enumeration; the screen says what it left out and why."""
    t0 = time.perf_counter()
    r = cli("analyze", _levels_scenario(tmp_path, 60))
    assert r.code == 0 and r.width <= 100 and time.perf_counter() - t0 < 60
    assert "Mixed equilibria: not computed (60 x 60 levels" in r.out
    assert "Payoff table: 60 x 60 levels, too large for a screen" in r.out
    assert "(60 in all)" in r.out


def test_tiny_detection_is_a_design_not_a_crash(cli, tmp_path):
    """--detection 1e-9 without --max-subsidy crashed the diagnosis (TypeError); the design
    is feasible (the self-enforcing transfer is the temptation divided by q) and equals
    the API's."""
    import cooperation as co

    out = tmp_path / "c.json"
    r = cli("compensate", str(XINAN), "--detection", "1e-9", "--out", out)
    res = co.design_compensation(co.load_scenario(XINAN), detection=1e-9)
    assert r.code == 0 and res.success and "Traceback" not in r.err
    one = co.design_compensation(co.load_scenario(XINAN), detection=1.0)
    assert res.subsidy == pytest.approx(one.subsidy / 1e-9, rel=1e-9)  # no fine: t = dev / q
    assert r.json()["subsidy"] == res.subsidy


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["compensate", str(XINAN), "--detection", "0"], "--detection"),
        (["compensate", str(XINAN), "--detection", "abc"], "--detection"),
        (["compensate", str(XINAN), "--max-subsidy", "-1"], "--max-subsidy"),
        (["compensate", str(XINAN), "--capacity-share", "nan"], "--capacity-share"),
        (["compensate", str(XINAN), "--outside-option", "maximum"], "--outside-option"),
        (["compensate", str(XINAN), "--plan", "--max-per-link", "x"], "--max-per-link"),
        (["analyze", "no/such/file.toml"], "no such file"),
    ],
)
def test_bad_input_one_line_exit_2(cli, argv, fragment):
    r = cli(*argv)
    assert r.code == 2 and len(r.err_lines) == 1, r.err
    assert fragment in r.err and "Traceback" not in r.err


# ------------------------------------------------------------------ pipe and Ctrl-C
class _ClosedPipe:
    def write(self, s):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


def test_closed_pipe_in_process(monkeypatch, capsys):
    from cooperation.cli import EXIT_BROKEN_PIPE, main

    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["analyze", str(XINAN)]) == EXIT_BROKEN_PIPE
    assert "Traceback" not in capsys.readouterr().err


def test_ctrl_c_during_the_work_exits_130_and_writes_nothing(cli, tmp_path, monkeypatch):
    import cooperation.scenario

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(cooperation.scenario, "load_scenario", interrupted)
    out = tmp_path / "c.json"
    r = cli("compensate", str(XINAN), "--out", out)
    assert r.code == 130 and r.err.strip() == "cooperation: interrupted"
    assert not out.exists() and not list(tmp_path.iterdir())


def _run(args, **kw):
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        timeout=120,
        **kw,
    )


def test_closed_pipe_from_a_shell():
    """``cooperation analyze ... | head -1``: the reader is gone before the command writes,
    so every write fails with EPIPE; the command ends with 141 and no BrokenPipeError."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "cooperation_cli", "analyze", str(XINAN)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=ENV,
    )
    proc.stdout.close()  # the reader goes away, as head -1 does
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception" not in err, err
    assert proc.returncode == 141


def test_ctrl_c_during_the_startup_imports():
    """A KeyboardInterrupt raised while ``import cooperation`` loads pandas: the entry point
    (cooperation_cli, outside the package) exits 130 without a traceback."""
    code = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'pandas':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "import cooperation_cli\n"
        "sys.exit(cooperation_cli.main(['--version']))\n"
    )
    proc = _run(["-c", code])
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.strip() == "cooperation: interrupted" and proc.stdout == ""


def _default_sigint():  # pragma: no cover - runs in the child before exec
    """Restore SIGINT's default in the child: a CI runner or a shell's background job can
    start us with SIGINT ignored, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(os.name != "posix", reason="SIGINT")
def test_a_real_sigint_exits_130_quietly():
    """SIGINT 0.5 s into a run (imports or work, wherever it lands): status 130, no
    traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "cooperation_cli", "analyze", str(XINAN)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=ENV,
        preexec_fn=_default_sigint,
    )
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    if proc.returncode == 0:  # pragma: no cover - finished before the signal
        pytest.skip("the command finished within 0.5 s")
    assert proc.returncode == 130 and "Traceback" not in err.decode(), err.decode()
