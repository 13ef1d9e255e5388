"""Checks shared by every document: required text, control characters, glyphs, postal codes."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from madoguchi.documents import fonts

POSTAL_CODE = re.compile(r"(\d{3})-?(\d{4})")
HYPHENS = str.maketrans({c: "-" for c in "‐‑‒–—―−ーｰ－"})


class Problems(list[str]):
    """Japanese messages collected while checking one document."""

    def require(self, value: str, label: str) -> None:
        if not value.strip():
            self.append(_("%(label)sが空です。") % {"label": label})

    def text(self, value: str, label: str) -> None:
        """Control characters other than line breaks are refused."""
        bad = [c for c in value if unicodedata.category(c) == "Cc" and c not in "\n\t"]
        if bad:
            self.append(_("%(label)sに印刷できない制御文字（%(chars)s）があります。") % {
                "label": label, "chars": "、".join(fonts.describe(c) for c in bad)})

    def glyphs(self, texts: list[str]) -> None:
        missing = fonts.missing_characters(texts)
        if missing:
            self.append(_("次の文字は印刷用の書体にないため印刷できません: %(chars)s。"
                          "通用字体に置き換えてください。") % {
                "chars": "、".join(fonts.describe(c) for c in missing)})


def postal_code(value: str) -> str | None:
    """``154-0017`` from ``1540017``, ``〒154-0017`` or full-width digits; None if invalid."""
    text = unicodedata.normalize("NFKC", value).translate(HYPHENS).replace("〒", "").strip()
    match = POSTAL_CODE.fullmatch(text)
    return f"{match.group(1)}-{match.group(2)}" if match else None


def clean(value: str) -> str:
    """Text as printed: CRLF to LF, tabs to spaces, no trailing blanks on lines."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
