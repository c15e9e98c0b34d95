"""The shared harness of the command-line tests: run ``cooperation`` in this process.

``cli(*argv)`` runs :func:`cooperation.cli.main` with pytest's ``capsys`` and
returns a :class:`Run` with the exit status (usage errors, ``--help`` and
``--version`` included: argparse's ``SystemExit`` becomes the status), stdout
and stderr. ``Run.json()`` / ``Run.csv()`` read the ``--out`` file of the run,
so that tests compare the numbers the command wrote, not the screen.

Use it from any test folder with ``pytest_plugins`` or by copying the fixture
name: ``def test_x(cli): r = cli("simulate", XINAN, "--out", str(path))``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
HERE = Path(__file__).resolve().parent


@dataclass
class Run:
    """One run of the command: ``code``, ``out`` (stdout), ``err`` (stderr), ``argv``."""

    code: int
    out: str
    err: str
    argv: tuple

    @property
    def err_lines(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.strip()]

    def out_path(self) -> Path:
        argv = list(self.argv)
        return Path(argv[argv.index("--out") + 1])

    def json(self):
        return json.loads(self.out_path().read_text(encoding="utf-8"))

    def csv(self, **kw):
        import pandas as pd

        return pd.read_csv(self.out_path(), **kw)

    @property
    def width(self) -> int:
        """The widest line on stdout."""
        return max((len(ln) for ln in self.out.splitlines()), default=0)


@pytest.fixture
def cli(capsys):
    """``cli(*argv) -> Run``: the command in this process, output captured."""
    from cooperation.cli import main

    def run(*argv) -> Run:
        argv = tuple(str(a) for a in argv)
        capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse: usage errors, --help, --version
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        out, err = capsys.readouterr()
        return Run(int(code), out, err, argv)

    return run


@pytest.fixture
def data():
    """The shipped cases' folder, ``data/``."""
    return DATA
