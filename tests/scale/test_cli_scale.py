"""The commands on a generated 60-county network: bounded screens, full files."""

from __future__ import annotations

import pytest

from .conftest import read_json


@pytest.fixture(scope="module")
def files(gen, tmp_path_factory):
    folder = tmp_path_factory.mktemp("county60")
    return gen.write(folder, 60, 4)


def test_analyze_screen_is_bounded_and_the_file_is_complete(cli, files, tmp_path):
    """analyze on 60 counties: exit 0, a screen that names the kind of each answer and
    stays short (20 per-jurisdiction rows, not 60), lines within 100 columns; the JSON
    has all 60 rows, the answer and the Shapley standard errors."""
    out = tmp_path / "a.json"
    code, text, err = cli("analyze", files, "--permutations", "4", "--out", out)
    assert code == 0, err
    assert "exact: proved optimal" in text and "sampled" in text
    assert len(text.splitlines()) < 90
    assert max(len(ln) for ln in text.splitlines()) <= 100
    data = read_json(out)
    assert data["answer"] == "exact" and len(data["per_jurisdiction"]) == 60
    assert len(data["cooperative"]["std_error"]) == 60


def test_bad_permutations_is_one_line_exit_2(cli, files):
    code, text, err = cli("analyze", files, "--permutations", "0")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--permutations" in err


def test_compensate_plan_with_the_generated_links(cli, files, tmp_path):
    """compensate --plan with the generator's link table: a feasible plan (exit 0)."""
    out = tmp_path / "plan.csv"
    code, text, err = cli(
        "compensate", files, "--plan", "--links", files.parent / "links.csv", "--out", out
    )
    assert code == 0, text + err
    assert out.read_text(encoding="utf-8").startswith("payer,payee")


def test_complete_links_refused_before_work(cli, files, monkeypatch):
    """The quadratic 'complete' rule beyond its limit: one line, exit 2, the limit and
    the way around it named."""
    from cooperation.compensation.plans import links

    monkeypatch.setattr(links, "MAX_COMPLETE_LINKS", 100)
    code, text, err = cli("compensate", files, "--plan", "--rule", "complete")
    assert code == 2 and "MAX_COMPLETE_LINKS" in err and "--links" in err
    assert text == ""


def test_simulate_runs(cli, files):
    code, text, err = cli("simulate", files, "--runs", "20", "--rounds", "10")
    assert code == 0, err
