"""The reference pages generated from the code (scripts/gen_docs.py) are up to date,
and say what the code says."""

from __future__ import annotations

import argparse
import doctest
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "page", ["reference/cli.md", "reference/scenario-format.md", "reference/sweep-spec.md"]
)
def test_committed_page_is_up_to_date(gen_docs, page):
    assert page in gen_docs.PAGES
    committed = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert committed == gen_docs.PAGES[page](), (
        f"docs/{page} is stale: run python scripts/gen_docs.py"
    )


def test_check_mode_exits_zero_when_nothing_is_stale():
    proc = subprocess.run(
        [sys.executable, "scripts/gen_docs.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


def test_cli_page_has_every_command_and_flag(gen_docs):
    """Cross-check against the parsers: every subcommand and every option string."""
    from cooperation.cli import COMMANDS, build_parser

    page = gen_docs.cli_page()
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == set(COMMANDS)
    sections = re.split(r"^## ", page, flags=re.M)[1:]
    assert [s.split("`")[1] for s in sections] == [f"cooperation {c}" for c in COMMANDS]
    for name, section in zip(COMMANDS, sections, strict=True):
        for action in sub.choices[name]._actions:
            for flag in action.option_strings:
                assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", section), (
                    f"cooperation {name}: {flag} missing"
                )


def test_cli_page_does_not_depend_on_the_terminal(gen_docs, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    narrow = gen_docs.cli_page()
    monkeypatch.delenv("COLUMNS")
    assert narrow == gen_docs.cli_page()


def test_scenario_format_comes_from_the_schema_when_there_is_one(gen_docs):
    page = gen_docs.scenario_format_page()
    try:
        schema = importlib.import_module("cooperation.scenario.schema")
    except ModuleNotFoundError:
        schema = None
    if getattr(schema, "format_reference", None) is not None:
        assert page == schema.format_reference().rstrip("\n") + "\n"
    else:
        assert "cooperation/scenario/io.py" in page
        assert "```toml" in page


def test_sweep_spec_page_is_the_module_docstring(gen_docs):
    import cooperation.sweeps.spec as spec

    page = gen_docs.sweep_spec_page()
    doc_keys = set(re.findall(r"^ +(\w+) = ", spec.__doc__, flags=re.M))
    assert doc_keys and all(re.search(rf"^{k} = ", page, flags=re.M) for k in doc_keys)
    assert page.count("```toml") == spec.__doc__.count("::")


def test_rst_to_markdown(gen_docs):
    doc = (
        "Intro with ``code`` and :func:`~a.b`.\n\nA block::\n\n    x = 1\n\n"
        "      y = 2\n\nAfter.\n\nHeading only::\n\n    z = 3\n"
    )
    md = gen_docs.rst_to_markdown(doc)
    assert md == (
        "Intro with `code` and `a.b`.\n\nA block:\n\n```toml\nx = 1\n\n  y = 2\n"
        "```\n\nAfter.\n\nHeading only:\n\n```toml\nz = 3\n```\n"
    )


def test_generator_doctests(gen_docs):
    result = doctest.testmod(gen_docs)
    assert result.attempted >= 3 and result.failed == 0
