"""The brief in a real browser (headless Chromium): it fits A4's width, prints, makes no
requests. Skipped, with the reason, when Chromium is not installed here (CI installs it)."""

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
A4 = (794, 1123)          # CSS pixels of an A4 page at 96 dpi


def _chromium() -> str:
    exe = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(n)), None)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("no chromium on CI: .ci/run installs Debian's chromium package")
        pytest.skip("headless Chromium is not installed here (apt-get install chromium)")
    return exe


def _run(exe, *args, timeout=90):
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--disable-dev-shm-usage", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    exe = _chromium()
    out = tmp_path_factory.mktemp("browser")
    sizes = co.report.BriefSizes(mode_runs=40, mode_rounds=10)
    paths = {}
    for case, lang in (("xinan", "en"), ("riskpool", "zh")):
        b = co.brief(ROOT / "data" / case / "scenario.toml", lang=lang, sizes=sizes,
                     sensitivity=case == "xinan")
        paths[case] = b.save(out / f"{case}.html")
    return exe, out, paths


@pytest.mark.parametrize("case", ["xinan", "riskpool"])
def test_page_fits_a4_width(pages, case):
    exe, out, paths = pages
    html = paths[case].read_text(encoding="utf-8")
    probe = out / f"{case}_probe.html"       # a copy with a measuring script
    probe.write_text(html.replace("</body>", "<script>document.title = 'W' + "
                                  "document.documentElement.scrollWidth + 'x' + innerWidth + "
                                  "'I' + [...document.images].filter(i => !(i.complete && "
                                  "i.naturalWidth > 0)).length;</script></body>"),
                     encoding="utf-8")
    proc = _run(exe, f"--window-size={A4[0]},{A4[1]}", "--virtual-time-budget=3000",
                "--dump-dom", probe.as_uri())
    m = re.search(r"<title>W(\d+)x(\d+)I(\d+)</title>", proc.stdout)
    assert m, proc.stderr[-2000:]
    scroll, inner, broken = map(int, m.groups())
    assert inner == A4[0] and scroll <= inner, (scroll, inner)
    assert broken == 0


def test_screenshot_and_pdf(pages):
    exe, out, paths = pages
    shot = out / "xinan.png"
    proc = _run(exe, f"--window-size={A4[0]},{A4[1]}", f"--screenshot={shot}",
                paths["xinan"].as_uri())
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", proc.stderr[-2000:]
    pdf = out / "xinan.pdf"
    proc = _run(exe, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", paths["xinan"].as_uri())
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-", proc.stderr[-2000:]
    pages_ = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 1 <= pages_ <= 2, pages_
