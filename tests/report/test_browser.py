"""The brief in a real browser (headless Chromium): it fits A4's width, prints the brief on
one A4 page and the annex after it, makes no requests. Skipped, with the reason, when
Chromium is not installed here (CI installs it)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib
import pytest

import cooperation as co

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
A4 = (794, 1123)  # CSS pixels of an A4 page at 96 dpi
A4_PT = (595.28, 841.89)  # PDF points of an A4 page (210 x 297 mm)
#: the simulations cut short (the layout is the test, not the numbers); the sensitivity
#: section stays in, as in ``cooperation report``
SIZES = dict(
    mode_runs=40, mode_rounds=10, sensitivity_runs=20, sensitivity_rounds=10, fund_years=2000
)
CASES = (("xinan", "en"), ("riskpool", "zh"))


def _chromium() -> str:
    exe = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("no chromium on CI: .ci/run installs Debian's chromium package")
        pytest.skip("headless Chromium is not installed here (apt-get install chromium)")
    return exe


def _run(exe, *args, timeout=90):
    cmd = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-dev-shm-usage",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    exe = _chromium()
    out = tmp_path_factory.mktemp("browser")
    sizes = co.report.BriefSizes(**SIZES)
    paths = {}
    for case, lang in CASES:
        b = co.brief(ROOT / "data" / case / "scenario.toml", lang=lang, sizes=sizes)
        paths[case] = b.save(out / f"{case}.html")
        main = out / f"{case}_main.html"  # the brief without its annex
        main.write_text(b.to_html(annex=False), encoding="utf-8")
        paths[f"{case}_main"] = main
    return exe, out, paths


def _print_pdf(exe, out, page: Path) -> bytes:
    pdf = out / f"{page.stem}.pdf"
    proc = _run(exe, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    data = pdf.read_bytes() if pdf.exists() else b""
    assert data[:5] == b"%PDF-", proc.stderr[-2000:]
    return data


def pdf_pages(data: bytes) -> int:
    """Pages of a PDF: its ``/Type /Page`` objects, checked against the page tree's
    ``/Count`` (Chromium writes both uncompressed), every page A4."""
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    counts = [int(c) for c in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(c) for c in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    assert counts and max(counts) == pages, (pages, counts)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert len(boxes) == pages, (len(boxes), pages)
    for w, h in boxes:
        assert abs(float(w) - A4_PT[0]) < 1 and abs(float(h) - A4_PT[1]) < 1, (w, h)
    return pages


@pytest.mark.parametrize("case", [c for c, _ in CASES])
def test_brief_prints_on_one_a4_page_and_the_annex_after_it(pages, case):
    """The issue's one-page brief: the page alone prints on one A4 page; with its annex,
    the annex starts on a page of its own (the brief is still one page)."""
    exe, out, paths = pages
    assert pdf_pages(_print_pdf(exe, out, paths[f"{case}_main"])) == 1
    html = paths[case].read_text(encoding="utf-8")
    assert 'class="annex"' in html
    assert pdf_pages(_print_pdf(exe, out, paths[case])) >= 2


@pytest.mark.parametrize("case", ["xinan", "riskpool"])
def test_page_fits_a4_width(pages, case):
    exe, out, paths = pages
    html = paths[case].read_text(encoding="utf-8")
    probe = out / f"{case}_probe.html"  # a copy with a measuring script
    probe.write_text(
        html.replace(
            "</body>",
            "<script>document.title = 'W' + "
            "document.documentElement.scrollWidth + 'x' + innerWidth + "
            "'I' + [...document.images].filter(i => !(i.complete && "
            "i.naturalWidth > 0)).length;</script></body>",
        ),
        encoding="utf-8",
    )
    proc = _run(
        exe,
        f"--window-size={A4[0]},{A4[1]}",
        "--virtual-time-budget=3000",
        "--dump-dom",
        probe.as_uri(),
    )
    m = re.search(r"<title>W(\d+)x(\d+)I(\d+)</title>", proc.stdout)
    assert m, proc.stderr[-2000:]
    scroll, inner, broken = map(int, m.groups())
    assert inner == A4[0] and scroll <= inner, (scroll, inner)
    assert broken == 0


def test_screenshot(pages):
    exe, out, paths = pages
    shot = out / "xinan.png"
    proc = _run(
        exe, f"--window-size={A4[0]},{A4[1]}", f"--screenshot={shot}", paths["xinan"].as_uri()
    )
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", proc.stderr[-2000:]
