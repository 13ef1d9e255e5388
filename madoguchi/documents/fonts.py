"""The one font of printed documents: Noto Sans JP (OFL-1.1), vendored in ``fonts/``.

Vendored so that a new machine needs no system font package (ADR 0016); fpdf2 embeds the
subset of glyphs a document uses.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont

FONT_FAMILY = "NotoSansJP"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSansJP-Regular.ttf"


@functools.cache
def covered() -> frozenset[int]:
    """The code points the font can draw."""
    font = TTFont(FONT_FILE, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def missing_characters(texts: list[str]) -> list[str]:
    """Characters of ``texts`` the font cannot draw (line breaks and spaces aside), in order."""
    cmap = covered()
    seen: dict[str, None] = {}
    for text in texts:
        for char in text:
            if char not in "\n\t" and ord(char) not in cmap:
                seen.setdefault(char)
    return list(seen)


def describe(char: str) -> str:
    """``𠮷（U+20BB7）`` for an error message."""
    if unicodedata.category(char).startswith("C"):
        return f"U+{ord(char):04X}"
    return _("%(char)s（U+%(code)04X）") % {"char": char, "code": ord(char)}
