"""The page's language, for data that carries its own English text (``name_en`` …)."""

from __future__ import annotations

from typing import TypeVar

from django.utils.translation import get_language

T = TypeVar("T")


def in_english() -> bool:
    """Whether the active language is English (the site's only other language)."""
    return (get_language() or "").startswith("en")


def english_or(japanese: T, english: T) -> T:
    """The English text on English pages when there is one, else the Japanese text."""
    return english if english and in_english() else japanese
