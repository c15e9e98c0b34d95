"""Issue 14: one declared schema. The reference is generated from it, the loader enforces
its ranges and fills its defaults, and the silent defaults that changed answers are now
errors or warnings."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

import cooperation as co
from cooperation.errors import ScenarioError, ScenarioWarning
from cooperation.scenario import schema
from cooperation.scenario.io import read_scenario

# the warnings some inputs raise on purpose are checked with pytest.warns where they matter
pytestmark = pytest.mark.filterwarnings("ignore::cooperation.errors.ScenarioWarning")
ROOT = Path(__file__).resolve().parents[2]
HEAD = 'unit = "CNY 10k"\n'
ACTS = (
    '[[actions]]\nname = "self"\neffort = 0.0\ncoordination = 0.0\n'
    '[[actions]]\nname = "cooperate"\neffort = 1.0\ncoordination = 1.0\n'
)
JURS = (
    '[[jurisdictions]]\nname = "A"\ncosts = { self = 0.0, cooperate = 1.0 }\n'
    '[[jurisdictions]]\nname = "B"\ncosts = { self = 0.0, cooperate = 0.5 }\n'
)
HAZ = (
    '[[hazards]]\nname = "flood"\nprobability = 0.2\ndamage = 10.0\norigins = ["A"]\n'
    "prevention = 0.5\nresponse = 0.2\nspillover = { A = 0.5, B = 0.5 }\n"
)


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ---------------------------------------------------------------- the reference
def test_the_committed_reference_is_generated_from_the_schema():
    committed = (ROOT / "docs/reference/scenario-format.md").read_text(encoding="utf-8")
    assert committed == schema.format_reference(), (
        "stale: python -m cooperation.scenario.schema docs/reference/scenario-format.md"
    )


def test_the_reference_names_every_key_with_its_default_and_range():
    text = schema.format_reference()
    for table in schema.TABLES:
        section = text.split(f"## {table.title}\n", 1)[1].split("\n## ", 1)[0]
        for key in table.keys:
            row = next(r for r in section.splitlines() if r.startswith(f"| `{key.name}` |"))
            assert key.default_text().replace("|", "\\|") in row, row
            assert key.range_text() in row
    assert "../shared" not in text and "64 MB" in text


def test_the_reference_example_loads(tmp_path):
    example = schema.format_reference().split("```toml\n", 1)[1].split("```", 1)[0]
    scenario, notes = read_scenario(write(tmp_path, example))
    assert scenario.n_players == 2
    assert {k for _, _, k in notes.defaults} <= {"capacity", "population", "aggregation"}


def test_process_task_keys_are_those_of_cooperation_response():
    from cooperation.response.process import TASK_KEYS

    assert schema.TASK.names == tuple(TASK_KEYS)


def test_python_defaults_are_the_declared_ones():
    for field in (
        "origins",
        "prevention",
        "response",
        "aggregation",
        "weights",
        "process",
        "process_runs",
        "process_seed",
    ):
        assert getattr(co.Hazard, field) == schema.HAZARD[field].default
    assert co.ActionLevel.effort == schema.ACTION["effort"].default
    assert math.isnan(co.Jurisdiction.capacity)


# ---------------------------------------------------------------- ranges from the schema
def _numeric_keys():
    cases = []
    for table, key in [
        ("actions", "effort"),
        ("actions", "coordination"),
        ("jurisdictions", "capacity"),
        ("jurisdictions", "population"),
        ("hazards", "probability"),
        ("hazards", "damage"),
        ("hazards", "prevention"),
        ("hazards", "response"),
    ]:
        t = {
            "actions": schema.ACTION,
            "jurisdictions": schema.JURISDICTION,
            "hazards": schema.HAZARD,
        }[table]
        cases.append((table, t[key]))
    return cases


def _with(table: str, key: str, value: str) -> str:
    """The base file with ``key = value`` in the last table of ``table``."""
    parts = {"actions": ACTS, "jurisdictions": JURS, "hazards": HAZ}
    text = parts[table]
    if re.search(rf"^{key} = .*$", text, flags=re.M):
        head, sep, tail = text.rpartition(f"\n{key} = ")
        tail = tail.split("\n", 1)[1]
        text = f"{head}\n{key} = {value}\n{tail}"
    else:
        text = text + f"{key} = {value}\n"
    parts[table] = text
    return HEAD + parts["actions"] + parts["jurisdictions"] + parts["hazards"]


@pytest.mark.parametrize("table, key", _numeric_keys(), ids=lambda x: getattr(x, "name", x))
def test_the_loader_enforces_each_declared_range(tmp_path, table, key):
    for bound, step in ((key.lo, -1e-3), (key.hi, 1e-3)):
        if bound is None:
            continue
        co.load_scenario(write(tmp_path, _with(table, key.name, repr(float(bound)))))
        with pytest.raises(ScenarioError, match=re.escape(f".{key.name} = ")) as info:
            co.load_scenario(write(tmp_path, _with(table, key.name, repr(bound + step))))
        if key.rule:
            assert key.rule in str(info.value)


def test_process_runs_range(tmp_path):
    base = (ROOT / "data/typhoon/scenario.toml").read_text(encoding="utf-8")
    (tmp_path / "response_process.csv").write_bytes(
        (ROOT / "data/typhoon/response_process.csv").read_bytes()
    )
    too_many = schema.MAX_PROCESS_RUNS + 1
    write(tmp_path, base.replace("process_runs = 20000", f"process_runs = {too_many}"))
    with pytest.raises(ScenarioError, match="process_runs = 10000001: must be an integer <="):
        co.load_scenario(tmp_path / "scenario.toml")


@pytest.mark.parametrize(
    "table, key",
    [
        ("hazards", "response"),
        ("hazards", "aggregation"),
        ("actions", "effort"),
        ("jurisdictions", "capacity"),
    ],
)
def test_an_absent_key_gets_the_declared_default_and_is_reported(tmp_path, table, key):
    text = HEAD + ACTS + JURS + HAZ
    block = {"actions": ACTS, "jurisdictions": JURS, "hazards": HAZ}[table]
    text = text.replace(block, re.sub(rf"^{key} = .*\n", "", block, flags=re.M))
    scenario, notes = read_scenario(write(tmp_path, text))
    assert any(k == key and t.field == table for t, _, k in notes.defaults)
    declared = {
        "hazards": schema.HAZARD,
        "actions": schema.ACTION,
        "jurisdictions": schema.JURISDICTION,
    }[table][key].default
    value = {
        "hazards": lambda: getattr(scenario.hazards[0], key),
        "actions": lambda: getattr(scenario.actions[0], key),
        "jurisdictions": lambda: scenario.capacity[0],
    }[table]()
    assert value == declared or (math.isnan(value) and math.isnan(declared))


# ---------------------------------------------------------------- issue 14's silent cases
def test_a_level_without_a_cost_is_an_error(tmp_path):
    text = HEAD + JURS.replace("{ self = 0.0, cooperate = 1.0 }", "{ cooperate = 1.0 }") + HAZ
    with pytest.raises(ScenarioError, match=r"jurisdictions\[A\].costs .*no cost for level"):
        co.load_scenario(write(tmp_path, text))
    text = HEAD + JURS.replace("costs = { self = 0.0, cooperate = 1.0 }\n", "") + HAZ
    with pytest.raises(ScenarioError, match=r"jurisdictions\[A\].costs: is missing"):
        co.load_scenario(write(tmp_path, text))
    write(tmp_path, "name,cost_cooperate\nA,1\nB,0.5\n", "j.csv")
    with pytest.raises(ScenarioError, match=r"no column \['cost_self'\]"):
        co.load_scenario(write(tmp_path, HEAD + 'jurisdictions = "j.csv"\n' + HAZ))
    write(tmp_path, "name,cost_self,cost_cooperate\nA,,1\nB,0,0.5\n", "j.csv")
    with pytest.raises(ScenarioError, match=r"line 2.cost_self: is empty"):
        co.load_scenario(tmp_path / "scenario.toml")


def test_costs_as_a_list_are_read_in_level_order(tmp_path):
    text = HEAD + JURS.replace("{ self = 0.0, cooperate = 1.0 }", "[0.0, 1.5]") + HAZ
    assert co.load_scenario(write(tmp_path, text)).costs[0].tolist() == [0.0, 1.5]
    text = HEAD + JURS.replace("{ self = 0.0, cooperate = 1.0 }", "[1.5]") + HAZ
    with pytest.raises(ScenarioError, match="needs one cost per action level"):
        co.load_scenario(write(tmp_path, text))


def test_a_duplicated_csv_column_is_an_error(tmp_path):
    write(tmp_path, "name,cost_self,cost_cooperate,cost_cooperate\nA,0,1,9\nB,0,0.5,9\n", "j.csv")
    with pytest.raises(ScenarioError, match="column 'cost_cooperate' appears twice"):
        co.load_scenario(write(tmp_path, HEAD + 'jurisdictions = "j.csv"\n' + HAZ))


def test_prevention_without_origins_warns(tmp_path):
    text = HEAD + JURS + HAZ.replace('origins = ["A"]', "origins = []")
    with pytest.warns(ScenarioWarning, match=r"prevention = 0.5 is ignored: .* no origins"):
        co.load_scenario(write(tmp_path, text))


def test_other_ignored_values_warn(tmp_path):
    text = (
        HEAD
        + JURS
        + HAZ.replace('origins = ["A"]', 'origins = ["A", "B"]').replace(
            "prevention = 0.5", "prevention = { A = 0.5 }"
        )
    )
    with pytest.warns(ScenarioWarning, match=r"no value for origin\(s\) \['B'\]"):
        co.load_scenario(write(tmp_path, text))
    with pytest.warns(ScenarioWarning, match="process_runs/process_seed are ignored"):
        co.load_scenario(write(tmp_path, HEAD + JURS + HAZ + "process_runs = 50\n"))
    flat = ACTS.replace("effort = 1.0", "effort = 0.0").replace(
        "coordination = 1.0", "coordination = 0.0"
    )
    with pytest.warns(ScenarioWarning, match="no choice changes any hazard"):
        co.load_scenario(write(tmp_path, HEAD + flat + JURS + HAZ))
    no_coord = ACTS.replace("coordination = 1.0", "coordination = 0.0")
    with pytest.warns(ScenarioWarning, match=r"hazards\[flood\].response is ignored"):
        co.load_scenario(write(tmp_path, HEAD + no_coord + JURS + HAZ))


def test_one_jurisdiction_warns(tmp_path):
    text = (
        HEAD
        + '[[jurisdictions]]\nname = "A"\ncosts = [0, 1]\n'
        + HAZ.replace("{ A = 0.5, B = 0.5 }", "{ A = 1.0 }")
    )
    with pytest.warns(ScenarioWarning, match="only one .* nobody to cooperate with"):
        co.load_scenario(write(tmp_path, text))


def test_shipped_scenarios_load_without_warnings(recwarn):
    for p in sorted(ROOT.glob("data/*/scenario.toml")):
        if p.parent.name != "county":
            co.load_scenario(p)
    assert not [w for w in recwarn if issubclass(w.category, ScenarioWarning)]


def test_the_spillover_key_after_hazards_gets_the_layout_hint(tmp_path):
    """Issue 14: the old docstring's layout put the spillover table inside the last hazard."""
    write(tmp_path, "hazard,jurisdiction,share\nflood,A,0.5\nflood,B,0.5\n", "s.csv")
    text = HEAD + JURS + HAZ.replace("spillover = { A = 0.5, B = 0.5 }\n", "")
    text += 'spillover = "s.csv"\n'
    with pytest.raises(ScenarioError, match="top-level keys must come before the first"):
        co.load_scenario(write(tmp_path, text))
    text = (
        HEAD
        + 'spillover = "s.csv"\n'
        + JURS
        + HAZ.replace("spillover = { A = 0.5, B = 0.5 }\n", "")
    )
    assert co.load_scenario(write(tmp_path, text)).hazards[0].spillover == {"A": 0.5, "B": 0.5}


@pytest.mark.parametrize(
    "typo, suggestion",
    [("probabilty", "probability"), ("spilover", "spillover"), ("orgins", "origins")],
)
def test_a_misspelt_key_gets_a_suggestion(tmp_path, typo, suggestion):
    text = HEAD + JURS + HAZ.replace("prevention = 0.5", f"{typo} = 1")
    with pytest.raises(ScenarioError, match=f"did you mean '{suggestion}'"):
        co.load_scenario(write(tmp_path, text))


def test_misspelt_names_columns_and_misplaced_keys_get_suggestions(tmp_path):
    text = HEAD + JURS.replace('name = "B"', 'name = "B"\ncapacty = 1') + HAZ
    with pytest.raises(ScenarioError, match="did you mean 'capacity'"):
        co.load_scenario(write(tmp_path, text))
    with pytest.raises(ScenarioError, match="did you mean 'Anhui'"):
        co.Scenario(
            [co.Jurisdiction("Anhui", costs=[0, 1]), co.Jurisdiction("Zhejiang", costs=[0, 1])],
            [co.Hazard("h", 0.1, 1.0, {"Anhui": 0.5, "Zhejiang": 0.5}, origins=["Anhiu"])],
            unit="x",
        )
    write(tmp_path, "name,capacty,cost_self,cost_cooperate\nA,1,0,1\nB,1,0,1\n", "j.csv")
    with pytest.raises(ScenarioError, match="did you mean 'capacity'"):
        co.load_scenario(write(tmp_path, HEAD + 'jurisdictions = "j.csv"\n' + HAZ))
    text = HEAD + JURS + HAZ + 'description = "late"\n'
    with pytest.raises(ScenarioError, match=r"belongs to that table: move the line above"):
        co.load_scenario(write(tmp_path, text))


def test_gbk_and_semicolon_tables_get_a_fix(tmp_path):
    (tmp_path / "j.csv").write_bytes(
        "name,cost_self,cost_cooperate\n安徽,0,1\n浙江,0,0.5\n".encode("gbk")
    )
    haz = HAZ.replace('["A"]', '["安徽"]').replace(
        "{ A = 0.5, B = 0.5 }", '{ "安徽" = 0.5, "浙江" = 0.5 }'
    )
    with pytest.raises(ScenarioError, match="GBK/GB18030.*iconv -f GB18030 -t UTF-8"):
        co.load_scenario(write(tmp_path, HEAD + 'jurisdictions = "j.csv"\n' + haz))
    write(tmp_path, "name;cost_self;cost_cooperate\nA;0;1\nB;0;0.5\n", "j.csv")
    with pytest.raises(ScenarioError, match="separated by ';'.*comma-separated"):
        co.load_scenario(write(tmp_path, HEAD + 'jurisdictions = "j.csv"\n' + HAZ))
    (tmp_path / "scenario.toml").write_bytes((HEAD + "# 说明\n" + JURS + HAZ).encode("gbk"))
    with pytest.raises(ScenarioError, match="GBK/GB18030"):
        co.load_scenario(tmp_path / "scenario.toml")
