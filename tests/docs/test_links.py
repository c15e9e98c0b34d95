"""Every relative link in README.md and docs/**/*.md points to a file of the repository,
and every anchor to a heading of that file, so the links work in a clone.

Anchors are GitHub's heading slugs (lower case, punctuation dropped, spaces to
hyphens, Chinese letters kept), the rule ``mkdocs.yml`` gives the site's table
of contents too; :func:`test_slug_rule_is_the_sites` checks the two agree.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
_CODE = re.compile(r"`[^`\n]*`")
_INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFDEF = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$", re.M)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.M)
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # http:, https:, mailto:, ...


def slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links -> their text
    text = re.sub(r"</?[^>]*>", "", text).replace("`", "")
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def strip_code(text: str) -> str:
    return _CODE.sub("", _FENCE.sub("", text))


def links(text: str) -> list[str]:
    body = strip_code(text)
    return _INLINE.findall(body) + _REFDEF.findall(body)


def anchors(path: Path) -> set[str]:
    """The anchors a link into ``path`` may use."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    found, seen = set(), {}
    for _level, heading in _HEADING.findall(_FENCE.sub("", text)):
        s = slug(heading)
        n = seen.get(s, 0)
        seen[s] = n + 1
        found.add(s if n == 0 else f"{s}-{n}")
    found |= set(re.findall(r"<a\s+(?:id|name)=\"([^\"]+)\"", text))
    return found


def broken_links(source: Path, root: Path = ROOT) -> list[str]:
    """One line per link of ``source`` that does not resolve inside ``root``."""
    problems = []
    for target in links(source.read_text(encoding="utf-8")):
        if _EXTERNAL.match(target):
            continue
        path_part, _, anchor = target.partition("#")
        dest = (source.parent / path_part).resolve() if path_part else source
        shown = f"{source.relative_to(root)} -> {target}"
        if not dest.exists():
            problems.append(f"{shown}: no such file")
        elif not dest.resolve().is_relative_to(root):
            problems.append(f"{shown}: points outside the repository")
        elif anchor and dest.is_file() and anchor not in anchors(dest):
            problems.append(f"{shown}: no heading with anchor #{anchor}")
    return problems


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(source):
    assert broken_links(source) == []


def test_readme_links_the_documentation():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = set(links(readme))
    assert "docs/index.md" in targets
    assert "docs/building-docs.md" in targets


def test_checker_finds_broken_links(tmp_path):
    """The checker itself: a missing file, a missing anchor, a link out of the tree."""
    root = tmp_path / "repo"
    root.mkdir()
    page = root / "page.md"
    (root / "other.md").write_text("# Other\n\n## Numbers that `do` not 变\n", encoding="utf-8")
    page.write_text(
        "[a](other.md#numbers-that-do-not-变) [b](missing.md) "
        "[c](other.md#nope) [d](#here) `[e](code.md)`\n\n## Here\n\n"
        "```\n[f](fenced.md)\n```\n[g]: other.md\n[h]: ../x.md\n",
        encoding="utf-8",
    )
    (tmp_path / "x.md").write_text("# X\n", encoding="utf-8")
    problems = broken_links(page, root=root)
    assert len(problems) == 3, problems
    assert "missing.md: no such file" in problems[0]
    assert "#nope" in problems[1]
    assert "../x.md: points outside the repository" in problems[2]


def test_slug_rule_is_the_sites():
    """The slug above gives the anchors of the site: mkdocs.yml's toc slugify (pymdownx)."""
    from pymdownx.slugs import slugify

    site_slug = slugify(case="lower")
    headings = [
        h
        for src in SOURCES
        for _level, h in _HEADING.findall(_FENCE.sub("", src.read_text(encoding="utf-8")))
    ]
    assert len(headings) > 50
    for heading in headings:
        plain = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
        assert slug(heading) == site_slug(plain, "-"), heading
