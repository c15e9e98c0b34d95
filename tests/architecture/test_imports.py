"""Imports point down the documented order of layers, and no module imports itself back.

The order (docs/architecture.md): the foundation (errors, named tolerances,
atomic output, the LP layer, result bases), then one subpackage per step of
the analysis. A module may import its own subpackage and anything in an
earlier layer, never a later one; plotting (``report``) reads results and is
never imported by the code that computes them; nothing imports ``cli``.
Every import counts, including those inside function bodies (a lazy import
is still a dependency), so the check walks the whole AST of every module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "cooperation"

#: lower layers first; a module may import only from its own layer or earlier ones
LAYERS = [
    ["errors"],
    ["_checks"],
    ["_random"],
    ["_numeric"],
    ["_io"],
    ["_progress"],             # the shared progress bar (tqdm on a terminal only)
    ["lp"],
    ["_result"],
    ["games"],
    # the process data type a scenario's hazard may hold, its delays and its files
    ["response.delays", "response.files", "response.process"],
    ["scenario"],
    ["equilibria"],
    ["evolutionary"],
    ["coalitions"],
    ["response"],              # simulation and Shapley attribution of delays
    ["compensation"],
    ["reserves"],
    ["repeated"],
    ["sweeps"],
    ["analysis"],              # analyses across the layers above (sensitivity)
    ["report"],
    ["__init__"],
    ["cli"],
]
RANK = {name: k for k, layer in enumerate(LAYERS) for name in layer}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _runtime_nodes(tree):
    """Every node except those under ``if TYPE_CHECKING:`` (annotations only)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and getattr(child.test, "id", None) == "TYPE_CHECKING":
                stack.extend(child.orelse)
                continue
            stack.append(child)


def _imports(name: str, path: Path):
    """Every ``cooperation.*`` module that ``name`` imports at run time, anywhere in its
    body (function bodies included; ``if TYPE_CHECKING:`` blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = name if _is_package(path) else name.rpartition(".")[0]
    out = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("cooperation"):
                    out.add(a.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[:len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("cooperation"):
                continue
            out.add(mod)
            for a in node.names:   # "from . import x" may name a submodule
                out.add(f"{mod}.{a.name}")
    return out


MODULES = dict(_modules())


def _layer(mod: str) -> str:
    """The most specific entry of LAYERS that ``mod`` belongs to."""
    parts = mod.split(".")[1:]
    for k in range(len(parts), 0, -1):
        key = ".".join(parts[:k])
        if key in RANK:
            return key
    return parts[0] if parts else "__init__"


def _known(mod: str) -> str | None:
    """The module (or package) ``mod`` names, if it is one of ours."""
    while mod and mod not in MODULES:
        mod = mod.rpartition(".")[0]
    return mod or None


def test_every_subpackage_has_a_layer():
    missing = sorted({m.split(".")[1] if "." in m else "__init__" for m in MODULES}
                     - set(RANK))
    assert missing == [], f"add these to LAYERS and docs/architecture.md: {missing}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name):
    src = _layer(name)
    bad = []
    for target in sorted(_imports(name, MODULES[name])):
        t = _known(target)
        if t is None or _layer(t) == src:
            continue
        if RANK[_layer(t)] > RANK[src] or _layer(t) == "cli":
            bad.append(t)
    assert bad == [], f"{name} imports later layers: {bad}"


def test_no_import_cycles():
    graph = {m: {t for t in map(_known, _imports(m, p)) if t and t != m}
             for m, p in MODULES.items()}
    # a package's __init__ re-exporting its own modules is not a cycle with them
    for m in graph:
        graph[m] = {t for t in graph[m] if not (MODULES[t].name == "__init__.py"
                                                 and m.startswith(t + "."))}
    state: dict[str, int] = {}
    cycles = []

    def visit(m, stack):
        state[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t, stack)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)
