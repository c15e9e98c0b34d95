"""The documentation site builds with ``mkdocs build --strict``: any warning fails.

A warning is a broken link or anchor between pages, a page missing from the
navigation, a docstring the API reference cannot parse, a notebook that does
not render. The built site is then checked for what it must contain.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("COLUMNS", None)
    return env


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(),
    )
    log = proc.stdout + proc.stderr
    warnings = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert proc.returncode == 0 and not warnings, "\n".join(warnings) or log[-4000:]
    return out


def _page(site: Path, uri: str) -> str:
    path = site / uri / "index.html" if uri else site / "index.html"
    assert path.is_file(), f"{uri or 'index'} was not built"
    return path.read_text(encoding="utf-8")


def test_every_markdown_page_is_built(site):
    for md in sorted((ROOT / "docs").rglob("*.md")):
        rel = md.relative_to(ROOT / "docs").with_suffix("").as_posix()
        uri = "" if rel == "index" else rel.removesuffix("/index")
        _page(site, uri)


def test_notebooks_are_rendered_from_the_repository(site):
    import json

    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        html = _page(site, f"notebooks/{nb.stem}")
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = next(c for c in cells if c["cell_type"] == "code")
        first_line = "".join(code["source"]).splitlines()[0].split()[0]
        assert first_line in html, f"{nb.name}: its first code cell is not on the page"


LAYERS = (
    "scenario",
    "games",
    "equilibria",
    "coalitions",
    "compensation",
    "reserves",
    "response",
    "evolutionary",
    "repeated",
    "sweeps",
    "analysis",
    "report",
    "lp",
    "errors",
)


def test_api_reference_renders_every_public_function_and_class(site):
    """Each layer's page documents every class and function in the layer's ``__all__``.

    A name that is also a submodule's name (``coalitions.shapley``) is hidden by the
    submodule when the package is documented as a whole; its page names it
    explicitly, and this test fails when a new one is not.
    """
    import importlib
    import inspect
    import re

    for layer in LAYERS:
        module = importlib.import_module(f"cooperation.{layer}")
        html = _page(site, f"reference/api/{layer}")
        ids = set(re.findall(rf'id="cooperation\.{layer}\.(?:\w+\.)?(\w+)"', html))
        public = [
            n
            for n in module.__all__
            if inspect.isclass(getattr(module, n)) or callable(getattr(module, n))
        ]
        missing = [n for n in public if n not in ids]
        assert not missing, f"docs/reference/api/{layer}.md does not render {missing}"


def test_every_public_layer_has_an_api_page():
    import pkgutil

    import cooperation

    public = {
        m.name for m in pkgutil.iter_modules(cooperation.__path__) if not m.name.startswith("_")
    }
    assert public - {"cli"} == set(LAYERS), "add the layer to LAYERS and docs/reference/api/"
    for layer in LAYERS:
        assert (ROOT / "docs" / "reference" / "api" / f"{layer}.md").is_file(), layer


def test_cli_reference_lists_every_command(site):
    from cooperation.cli import COMMANDS

    html = _page(site, "reference/cli")
    for name in COMMANDS:
        assert f"cooperation {name} --help" in html, name


def test_strict_config_fails_on_a_broken_anchor(tmp_path):
    """The validation settings of mkdocs.yml turn a broken anchor into a failed build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        "# Home\n\nSee [the model](model.md#no-such-section).\n", encoding="utf-8"
    )
    (docs / "model.md").write_text("# Model\n\n## A section\n", encoding="utf-8")
    cfg = load_config(
        str(ROOT / "mkdocs.yml"),
        docs_dir=str(docs),
        site_dir=str(tmp_path / "site"),
        nav=["index.md", "model.md"],
        plugins=["search"],
        hooks=[],
    )
    with pytest.raises(Abort):
        build(cfg)
    (docs / "index.md").write_text(
        "# Home\n\nSee [the model](model.md#a-section).\n", encoding="utf-8"
    )
    cfg = load_config(
        str(ROOT / "mkdocs.yml"),
        docs_dir=str(docs),
        site_dir=str(tmp_path / "site"),
        nav=["index.md", "model.md"],
        plugins=["search"],
        hooks=[],
    )
    build(cfg)
