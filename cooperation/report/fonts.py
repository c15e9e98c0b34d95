"""A CJK font fallback chain for matplotlib, so that Chinese labels never show as boxes.

matplotlib (>= 3.6) falls back glyph by glyph through the families of
``font.family``; its default font (DejaVu Sans) has no Chinese glyphs. The
chain :data:`CJK_FONTS` lists the common Chinese sans-serif fonts of Windows,
macOS and Linux in order of preference; :func:`cjk_font` returns the first one
installed, and :func:`font_rc` the rcParams that put it after DejaVu Sans
(English figures: Latin letters unchanged, Chinese names still drawn) or
before it (``lang="zh"``: one typeface for the whole figure). When none is
installed, :func:`font_rc` for Chinese warns once, in one line, naming what
to install.

Examples
--------
>>> from cooperation.report import fonts
>>> rc = fonts.font_rc("en")
>>> rc["font.family"][0]
'sans-serif'
"""

from __future__ import annotations

import functools
import warnings

__all__ = ["CJK_FONTS", "INSTALL_HINT", "CJKFontWarning", "cjk_font", "font_rc"]

#: preferred Chinese fonts, first match wins (Windows, macOS, Linux, Adobe/Google)
CJK_FONTS = (
    "Microsoft YaHei", "SimHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
    "Source Han Sans SC", "Source Han Sans", "Noto Sans SC", "Noto Sans CJK JP",
    "Heiti SC", "Arial Unicode MS",
)
#: what to install when none of :data:`CJK_FONTS` is found
INSTALL_HINT = ("apt install fonts-noto-cjk (Debian/Ubuntu), dnf install "
                "google-noto-sans-cjk-fonts (Fedora), or any of: " + ", ".join(CJK_FONTS[:6]))


class CJKFontWarning(UserWarning):
    """No Chinese font is installed: Chinese labels will show as empty boxes."""


#: file names of CJK fonts, for fonts installed after matplotlib cached its font list
_FILE_HINTS = ("cjk", "wqy", "wenquanyi", "simhei", "msyh", "pingfang", "sourcehan",
               "source-han", "notosanssc")


@functools.lru_cache(maxsize=1)
def _installed() -> frozenset[str]:
    from matplotlib import font_manager

    fm = font_manager.fontManager
    names = {f.name for f in fm.ttflist}
    if not names.intersection(CJK_FONTS):
        # matplotlib caches its font list once; a font installed later is not in it
        for path in font_manager.findSystemFonts():
            if any(h in path.lower().replace(" ", "") for h in _FILE_HINTS):
                try:
                    fm.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = {f.name for f in fm.ttflist}
    return frozenset(names)


def cjk_font() -> str | None:
    """The first font of :data:`CJK_FONTS` that matplotlib can find, or None.

    Examples
    --------
    >>> from cooperation.report.fonts import CJK_FONTS, cjk_font
    >>> cjk_font() is None or cjk_font() in CJK_FONTS
    True
    """
    have = _installed()
    return next((name for name in CJK_FONTS if name in have), None)


_warned = False


def font_rc(lang: str = "en", *, warn: bool = True) -> dict:
    """rcParams for the figure font: DejaVu Sans with the CJK fallback of :func:`cjk_font`.

    ``lang="zh"`` puts the CJK font first. Without one, ``lang="zh"`` emits a
    one-line :class:`CJKFontWarning` (once per session) naming what to install.
    """
    global _warned
    cjk = cjk_font()
    if cjk is None:
        if lang == "zh" and warn and not _warned:
            _warned = True
            warnings.warn(f"no Chinese font found (tried {', '.join(CJK_FONTS[:6])}, ...): "
                          f"Chinese labels will show as boxes; install one: {INSTALL_HINT}",
                          CJKFontWarning, stacklevel=3)
        return {"font.family": ["sans-serif"]}
    return {"font.family": [cjk, "sans-serif"] if lang == "zh" else ["sans-serif", cjk]}
