"""Fixtures of the scale tests: small county networks from data/county/generate.py.

The generator is the shipped example's own script (30 to 60 counties here, 3,000 in
the benchmark), loaded from its file; ``cli`` runs the command in this process.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "data" / "county" / "generate.py"


def _generator():
    spec = importlib.util.spec_from_file_location("county_generate", GENERATOR)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def gen():
    """The generator module: ``gen.generate(n, seed, levels)``, ``gen.write(folder, ...)``."""
    return _generator()


@pytest.fixture(scope="session")
def county40(gen):
    return gen.generate(40, 7)


@pytest.fixture
def cli(capsys):
    """``cli(*argv) -> (code, stdout, stderr)``: the command in this process."""
    from cooperation.cli import main

    def run(*argv):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse
            code = exc.code
        cap = capsys.readouterr()
        return code, cap.out, cap.err

    return run


def read_json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
