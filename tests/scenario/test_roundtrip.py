"""Scenario.to_toml: a scenario built in Python (or loaded) written back to the format
loads to an equal scenario: levels, jurisdictions, costs, capacities, hazards, response
processes, names (Chinese included), description and sources."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cooperation as co
from cooperation.errors import ScenarioError
from cooperation.scenario.io import parse_toml, scenario_from_dict

pytestmark = pytest.mark.filterwarnings("ignore::cooperation.errors.ScenarioWarning")
ROOT = Path(__file__).resolve().parents[2]

_CHARS = st.one_of(
    st.characters(categories=("L", "N", "P", "S")),
    st.sampled_from(list("新安江赤水河上游下游 '\"\\=[]{}#.,;")),
)
NAMES = st.text(_CHARS, min_size=1, max_size=12).map(str.strip).filter(bool)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
SHARE = st.floats(0.0, 1.0)
MONEY = st.floats(0.0, 1e9)


def same(a: co.Scenario, b: co.Scenario) -> bool:
    return (
        a == b
        and a.name == b.name
        and a.description == b.description
        and a.sources == b.sources
        and np.array_equal(a.capacity, b.capacity, equal_nan=True)
        and np.array_equal(a.population, b.population, equal_nan=True)
    )


@st.composite
def scenarios(draw):
    levels = draw(st.lists(NAMES, min_size=2, max_size=3, unique=True))
    actions = [co.ActionLevel(lv, draw(SHARE), draw(SHARE)) for lv in levels]
    names = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    maybe = st.one_of(st.just(math.nan), MONEY)
    juris = [
        co.Jurisdiction(n, {lv: draw(MONEY) for lv in levels}, draw(maybe), draw(maybe))
        for n in names
    ]
    hazards = []
    for h in draw(st.lists(NAMES, min_size=1, max_size=3, unique=True)):
        exposed = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        w = [draw(st.floats(0.01, 1.0)) for _ in exposed]
        shares = {j: x / sum(w) for j, x in zip(exposed, w, strict=True)}
        origins = draw(st.lists(st.sampled_from(names), unique=True))
        agg = draw(st.sampled_from(co.scenario.schema.AGGREGATIONS))
        weights = (
            {j: draw(st.floats(0.1, 5.0)) for j in exposed}
            if agg == "weighted" and draw(st.booleans())
            else None
        )
        hazards.append(
            co.Hazard(
                h,
                draw(SHARE),
                draw(MONEY),
                shares,
                origins,
                {o: draw(SHARE) for o in origins},
                draw(SHARE),
                agg,
                weights,
            )
        )
    sources = draw(
        st.dictionaries(
            NAMES,
            st.one_of(
                TEXT,
                st.integers(-(10**15), 10**15),
                st.floats(-1e100, 1e100),
                st.booleans(),
                st.lists(st.integers(0, 9), max_size=3),
            ),
            max_size=3,
        )
    )
    return co.Scenario(
        juris,
        hazards,
        actions,
        unit=draw(NAMES),
        name=draw(TEXT).strip(),
        description=draw(TEXT),
        sources=sources,
    )


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_to_toml_round_trip(s):
    text = s.to_toml()
    back = scenario_from_dict(parse_toml(text, None))
    assert same(back, s), text


@pytest.mark.parametrize(
    "case",
    sorted(p.parent.name for p in ROOT.glob("data/*/scenario.toml") if p.parent.name != "county"),
)
def test_shipped_cases_round_trip_through_a_file(tmp_path, case):
    s = co.load_scenario(ROOT / "data" / case / "scenario.toml")
    path = s.to_toml(tmp_path / "elsewhere" / "copy.toml")
    assert path.exists() and not list(path.parent.glob(".*.tmp"))
    back = co.load_scenario(path)
    assert same(back, s)
    np.testing.assert_array_equal(
        back.payoffs([[0] * s.n_players, [1] * s.n_players]),
        s.payoffs([[0] * s.n_players, [1] * s.n_players]),
    )


def test_what_the_format_cannot_hold_is_refused():
    s = co.Scenario(
        [co.Jurisdiction("A", costs=[0, 1]), co.Jurisdiction("B", costs=[0, 1])],
        [co.Hazard("h", 0.1, 1.0, {"A": 0.5, "B": 0.5})],
        unit="x",
        sources={"tags": {1, 2}},
    )
    with pytest.raises(ScenarioError, match=r"sources.tags = 'set': cannot be written to TOML"):
        s.to_toml()
