"""Bad input: every malformed scenario gives one ScenarioError naming the file,
the field, the value and the rule; the CLI answers with exit status 2 and one line."""

from pathlib import Path

import pytest

import cooperation as co
from cooperation.cli import main

HERE = Path(__file__).parent / "malformed"

# file -> (field or fragment the message must name, rule fragment)
EXPECTED = {
    "shares_not_one.toml": ("hazards[flood].spillover", "must sum to 1 (they sum to 0.9)"),
    "negative_probability.toml": ("hazards[flood].probability = -0.1", "[0, 1]"),
    "probability_above_one.toml": ("hazards[flood].probability = 1.5", "[0, 1]"),
    "unknown_jurisdiction.toml": ("hazards[flood].spillover = 'Atlantis'",
                                  "unknown jurisdiction"),
    "unknown_origin.toml": ("hazards[flood].origins = 'Z'", "unknown jurisdiction"),
    "nan_damage.toml": ("hazards[flood].damage = nan", "not NaN"),
    "missing_unit.toml": ("unit", "is missing"),
    "empty.toml": ("empty.toml", "the file is empty"),
    "not_toml.toml": ("not_toml.toml", "is not valid TOML"),
    "negative_cost.toml": ("jurisdictions[A].costs.cooperate = -1.0", "costs must be >= 0"),
    "duplicate_jurisdiction.toml": ("jurisdictions", "must be unique; repeated: ['A']"),
    "unknown_cost_level.toml": ("jurisdictions[A].costs = ['collaborate']",
                                "unknown action level"),
    "string_probability.toml": ("hazards[flood].probability = 'high'", "must be a number"),
    "effort_out_of_range.toml": ("actions[1].effort = 2.0", "must lie in [0, 1]"),
    "one_action_level.toml": ("actions = ['self']", "at least two levels"),
    "typo_key.toml": ("hazards[0] = ['probabilty']", "unknown keys"),
    "wrong_table_shape.toml": ("line 3", "has 2 cells but the header has 3 columns"),
    "missing_table_file.toml": ("no_such_table.csv", "table file not found"),
    "bad_spillover_table.toml": ("line 3.share = 'abc'", "must be a number"),
    "no_hazards.toml": ("hazards", "appears inside jurisdictions[1]"),
    "prevention_not_origin.toml": ("hazards[flood].prevention = 'B'", "not an origin"),
}


def test_corpus_is_complete():
    files = sorted(p.name for p in HERE.glob("*.toml"))
    assert files == sorted(EXPECTED)
    assert len(files) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file_gives_clear_error(name):
    field, rule = EXPECTED[name]
    with pytest.raises(co.errors.ScenarioError) as info:
        co.load_scenario(HERE / name)
    msg = str(info.value)
    assert field in msg, msg
    assert rule in msg, msg
    # the file is named (the CSV's own path for table errors)
    assert name in msg or ".csv" in msg, msg
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_exit_status_2_and_one_line(name, capsys):
    code = main(["analyze", str(HERE / name)])
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cooperation analyze: error: ")
    assert "Traceback" not in captured.err and captured.out == ""


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(co.errors.ScenarioError, match="no such file"):
        co.load_scenario(tmp_path / "nope.toml")
    with pytest.raises(co.errors.ScenarioError, match="folder without scenario.toml"):
        co.load_scenario(tmp_path)


def test_python_objects_are_validated_too():
    j = [co.Jurisdiction("A"), co.Jurisdiction("B")]
    with pytest.raises(co.errors.ScenarioError, match="unit"):
        co.Scenario(j, [co.Hazard("h", 0.1, 1.0, {"A": 1.0})], unit="")
    with pytest.raises(co.errors.ScenarioError, match=r"spillover.*sum to 1"):
        co.Scenario(j, [co.Hazard("h", 0.1, 1.0, {"A": 0.2})], unit="x")
    with pytest.raises(co.errors.ScenarioError, match=r"hazards\[h\].response = 1.2"):
        co.Scenario(j, [co.Hazard("h", 0.1, 1.0, {"A": 1.0}, response=1.2)], unit="x")
    with pytest.raises(co.errors.ScenarioError, match="costs = \\[1.0\\]: needs one cost"):
        co.Scenario([co.Jurisdiction("A", costs=[1.0])], [co.Hazard("h", .1, 1., {"A": 1.})],
                    unit="x")


def test_empty_hazard_list(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('unit = "x"\nhazards = []\n[[jurisdictions]]\nname = "A"\n')
    with pytest.raises(co.errors.ScenarioError, match=r"hazards = \[\]: needs at least one"):
        co.load_scenario(f)
