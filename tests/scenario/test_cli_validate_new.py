"""cooperation validate (what a file defines, every default filled in, every warning) and
cooperation new (a commented template that loads and validates as it is)."""

from __future__ import annotations

from pathlib import Path

import pytest

import cooperation as co
from cooperation.cli import main
from cooperation.scenario import schema
from cooperation.scenario.validation import validate_scenario
from cooperation.scenario.writer import template

ROOT = Path(__file__).resolve().parents[2]


def test_validate_lists_what_the_file_defines_and_each_default(capsys):
    assert main(["validate", str(ROOT / "data/chishui_reserves/scenario.toml")]) == 0
    out = capsys.readouterr().out
    assert "a valid scenario 'Chishui River flood-season joint reserves'" in out
    assert "jurisdictions: 10" in out and "hazards: 5" in out
    default = schema.HAZARD["prevention"].default_text()
    assert "warning: hazards.prevention not given in 5 of 5 (" in out
    assert default in out
    assert "Ignored or doubtful values: 0" in out


def test_validate_reports_ignored_values(tmp_path, capsys):
    text = (ROOT / "data/xinan/scenario.toml").read_text(encoding="utf-8")
    text = text.replace('origins = ["Anhui"]\nprevention = 0.3', "origins = []\nprevention = 0.3")
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    v = validate_scenario(tmp_path / "s.toml")
    assert len(v.warnings) == 1 and "prevention = 0.3 is ignored" in v.warnings[0]
    assert main(["validate", str(tmp_path / "s.toml")]) == 0
    assert "Ignored or doubtful values: 1" in capsys.readouterr().out


def test_validate_a_bad_file_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "s.toml").write_text('unit = "x"\nhazards = []\njurisdictions = []\n')
    assert main(["validate", str(tmp_path / "s.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cooperation validate: error: ")


def test_new_writes_a_template_that_validates_clean(tmp_path, capsys):
    path = tmp_path / "case" / "scenario.toml"
    path.parent.mkdir()
    assert main(["new", str(path.parent)]) == 0
    assert path.read_text(encoding="utf-8") == template()
    v = validate_scenario(path)
    assert v.defaults == () and v.warnings == ()
    assert v.scenario.players == ("Upstream", "Downstream")
    for key in ("probability", "damage", "spillover", "costs", "effort"):
        assert key in template()
    capsys.readouterr()
    assert main(["new", str(path)]) == 2  # never replaces a file
    assert "exists already" in capsys.readouterr().err
    path.write_text("old")
    assert main(["new", "--force", str(path)]) == 0
    assert co.load_scenario(path).n_players == 2


def test_new_refuses_a_name_that_is_not_toml(tmp_path, capsys):
    assert main(["new", str(tmp_path / "scenario.txt")]) == 2
    assert not (tmp_path / "scenario.txt").exists()


@pytest.mark.parametrize("table", schema.TABLES[:4], ids=lambda t: t.field)
def test_the_template_comments_come_from_the_schema(table):
    text = template()
    for key in table.keys:
        if key.kind in ("tables or file", "levels"):  # the tables themselves
            continue
        if key.applies_when is None or key.name in ("prevention", "response", "aggregation"):
            assert key.meaning in text, key.name
