"""Issue 20: table references stay inside the scenario's folder, only regular files under
the size limit are read, no message quotes a file's lines, and hostile values give one-line
cooperation.errors exceptions (CLI exit 2), never a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import cooperation as co
from cooperation.cli import main
from cooperation.errors import ScenarioError
from cooperation.scenario import files
from cooperation.scenario.schema import MAX_FILE_BYTES, MAX_MAGNITUDE, MAX_NAME_CHARS

# the warnings some inputs raise on purpose are checked with pytest.warns where they matter
pytestmark = pytest.mark.filterwarnings("ignore::cooperation.errors.ScenarioWarning")
HEAD = 'unit = "CNY 10k"\n'
JURS = (
    '[[jurisdictions]]\nname = "A"\ncosts = { self = 0.0, cooperate = 1.0 }\n'
    '[[jurisdictions]]\nname = "B"\ncosts = { self = 0.0, cooperate = 0.5 }\n'
)
HAZ = (
    '[[hazards]]\nname = "flood"\nprobability = 0.2\ndamage = 10.0\norigins = ["A"]\n'
    "prevention = 0.5\nspillover = { A = 0.5, B = 0.5 }\n"
)
JCSV = "name,cost_self,cost_cooperate\nA,0,1\nB,0,0.5\n"


def write(folder: Path, text: str, name: str = "scenario.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def refused(path, match: str, **kw) -> str:
    with pytest.raises(ScenarioError, match=match) as info:
        co.load_scenario(path, **kw)
    msg = str(info.value)
    assert "\n" not in msg, msg
    return msg


def test_a_relative_table_inside_the_folder_loads(tmp_path):
    write(tmp_path / "tables", JCSV, "j.csv")
    s = co.load_scenario(write(tmp_path, HEAD + 'jurisdictions = "tables/j.csv"\n' + HAZ))
    assert s.players == ("A", "B")


@pytest.mark.parametrize(
    "ref", ["/etc/passwd", "/proc/self/environ", "/dev/zero", "/dev/stdin", "~/j.csv"]
)
def test_absolute_paths_are_refused(tmp_path, ref):
    msg = refused(
        write(tmp_path, HEAD + f'jurisdictions = "{ref}"\n' + HAZ), "absolute paths are refused"
    )
    assert "allow_outside=True" in msg and "root:" not in msg


def test_parent_folders_and_links_out_are_refused(tmp_path):
    write(tmp_path, JCSV, "j.csv")
    case = tmp_path / "case"
    refused(write(case, HEAD + 'jurisdictions = "../j.csv"\n' + HAZ), "outside the scenario")
    (case / "link.csv").symlink_to(tmp_path / "j.csv")
    refused(write(case, HEAD + 'jurisdictions = "link.csv"\n' + HAZ), "outside the scenario")
    s = co.load_scenario(case / "scenario.toml", allow_outside=True)
    assert s.players == ("A", "B")


def test_allow_outside_reads_elsewhere_but_never_a_device(tmp_path):
    write(tmp_path / "shared", JCSV, "j.csv")
    path = write(tmp_path / "case", HEAD + f'jurisdictions = "{tmp_path}/shared/j.csv"\n' + HAZ)
    assert co.load_scenario(path, allow_outside=True).n_players == 2
    for dev in ("/dev/zero", "/dev/stdin", "/dev/null"):
        if os.path.exists(dev):
            p = write(tmp_path / "case", HEAD + f'jurisdictions = "{dev}"\n' + HAZ)
            refused(p, "not a regular file", allow_outside=True)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "j.csv")
    refused(write(tmp_path, HEAD + 'jurisdictions = "j.csv"\n' + HAZ), "not a regular file")


def test_folders_long_names_and_large_files(tmp_path, monkeypatch):
    (tmp_path / "dir.csv").mkdir()
    refused(write(tmp_path, HEAD + 'jurisdictions = "dir.csv"\n' + HAZ), "is a folder")
    long = "x" * (MAX_NAME_CHARS + 1) + ".csv"
    refused(
        write(tmp_path, HEAD + f'jurisdictions = "{long}"\n' + HAZ),
        f"longer than {MAX_NAME_CHARS} characters",
    )
    write(tmp_path, JCSV + "C,0,1\n" * 20, "j.csv")
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 64)
    refused(write(tmp_path, HEAD + 'jurisdictions = "j.csv"\n' + HAZ), "MB limit")
    assert MAX_FILE_BYTES == 64 * 2**20  # the limit the messages name


def test_no_message_quotes_the_lines_of_a_file(tmp_path):
    write(tmp_path, "root:x:0:0:SECRET-TOKEN:/root:/bin/bash\nuser:SECRET2\n", "passwd")
    msg = refused(write(tmp_path, HEAD + 'jurisdictions = "passwd"\n' + HAZ), "missing columns")
    assert "SECRET" not in msg and "root:x" not in msg
    if os.path.exists("/proc/self/environ"):
        os.environ["COOPERATION_TEST_SECRET"] = "SECRET-ENV"
        try:
            p = write(tmp_path, HEAD + 'jurisdictions = "/proc/self/environ"\n' + HAZ)
            with pytest.raises(ScenarioError) as info:
                co.load_scenario(p, allow_outside=True)
            assert "SECRET" not in str(info.value) and "\n" not in str(info.value)
        finally:
            del os.environ["COOPERATION_TEST_SECRET"]


def test_a_toml_byte_order_mark_is_accepted(tmp_path):
    p = tmp_path / "scenario.toml"
    p.write_bytes(b"\xef\xbb\xbf" + (HEAD + JURS + HAZ).encode())
    assert co.load_scenario(p).players == ("A", "B")


@pytest.mark.parametrize(
    "text, match",
    [
        (HEAD + JURS + HAZ.replace("10.0", "1" + "0" * 400), "magnitude must be at most 1e\\+100"),
        (HEAD + JURS + HAZ.replace("10.0", "9" * 5000), "integer too long"),
        (HEAD + JURS + HAZ.replace("10.0", "1.7e308"), "magnitude must be at most 1e\\+100"),
        (HEAD + JURS + HAZ.replace("10.0", "1.8e308"), "damage = inf: must be finite"),
        (HEAD + JURS.replace("1.0 }", "1" + "0" * 400 + " }") + HAZ, "magnitude"),
        (HEAD + JURS + HAZ + "[sources]\nstake_round1 = " + "9" * 400 + "\n", "sources.stake"),
        (HEAD + "x = " + "[" * 400 + "]" * 400 + "\n" + JURS + HAZ, "nest deeper than 32"),
        (HEAD + "[sources]\nx = " + "[" * 40 + "]" * 40 + "\n" + JURS + HAZ, "nest deeper"),
        (HEAD + JURS + HAZ.replace('name = "flood"', 'name = ["flood"]'), "hazards\\[0\\].name"),
        (
            HEAD + JURS + HAZ.replace('origins = ["A"]', 'origins = [["A"]]'),
            "origins = \\[\\['A'\\]\\]: must be a jurisdiction name or a list",
        ),
        (
            HEAD + JURS.replace("costs = { self = 0.0, cooperate = 1.0 }", "costs = 0.5") + HAZ,
            "costs = 0.5: must be a table level",
        ),
        (HEAD + JURS.replace('name = "A"', 'name = "A\\nB"') + HAZ, "one line of visible text"),
    ],
)
def test_hostile_values_give_one_line_errors(tmp_path, text, match):
    refused(write(tmp_path, text), match)


def test_a_value_that_would_overflow_when_used_is_refused_at_load(tmp_path):
    """damage 1.8e308 used to print payoffs [-inf, -inf]; the limit keeps products finite."""
    msg = refused(write(tmp_path, HEAD + JURS + HAZ.replace("10.0", "1e300")), "1e\\+100")
    assert f"{MAX_MAGNITUDE:g}" in msg
    s = co.load_scenario(write(tmp_path, HEAD + JURS + HAZ.replace("10.0", "1e100")))
    assert all(abs(x) < float("inf") for x in s.payoffs([[0, 0], [1, 1]]).ravel())
    with pytest.raises(ScenarioError, match="1e\\+100"):  # the same limit in Python
        co.Scenario(
            [co.Jurisdiction("A", costs=[0, 1])], [co.Hazard("h", 0.5, 1e101, {"A": 1.0})], unit="x"
        )


def test_cli_one_line_and_allow_outside_flag(tmp_path, capsys):
    write(tmp_path / "shared", JCSV, "j.csv")
    p = write(tmp_path / "case", HEAD + 'jurisdictions = "../shared/j.csv"\n' + HAZ)
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "outside the scenario's folder" in err[0]
    assert main(["validate", "--allow-outside", str(p)]) == 0
    assert "jurisdictions: 2" in capsys.readouterr().out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX device files")
def test_the_scenario_file_itself_must_be_regular(capsys):
    with pytest.raises(ScenarioError, match="not a regular file"):
        co.load_scenario("/dev/null")


def test_a_process_table_with_an_overflowing_delay_is_one_line(tmp_path):
    """Found by the fuzzer: sigma = 1e101 overflowed exp(sigma^2 / 2) in the process."""
    root = Path(__file__).resolve().parents[2] / "data/typhoon"
    for name in ("scenario.toml", "response_process.csv"):
        (tmp_path / name).write_bytes((root / name).read_bytes())
    table = tmp_path / "response_process.csv"
    table.write_text(table.read_text().replace("sigma=0.5", "sigma=1e101"))
    refused(tmp_path / "scenario.toml", "sigma = 1e\\+101: must lie in \\[0, 10\\]")
