"""Furigana (ruby readings) for Japanese text shown to residents.

``ruby_html(text)`` returns escaped HTML in which every run of kanji carries its reading
in hiragana: ``<ruby>手続<rp>（</rp><rt>てつづ</rt><rp>）</rp></ruby>き``. Readings come
from SudachiPy's ``reading_form()`` (the search's own tokenizer, so the dictionary is
loaded once); kana written around the kanji (okurigana) is matched against the reading
so that the ruby sits only over the kanji. A word whose reading cannot
be aligned gets one ruby over the whole word; a word Sudachi does not know (its "reading"
still holds kanji) gets none. Everything else is escaped, so the result is safe to mark
safe in a template. ``<rp>`` keeps the reading in brackets where ruby is not supported.
"""

from __future__ import annotations

import re

import jaconv
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from madoguchi.guidance.text import tokenizer

# Kanji, plus the iteration and abbreviation marks written with them (人々, 〆切, 一ヶ月).
_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006\u30f6"
_HAS_KANJI = re.compile(f"[{_KANJI}]")
_KANJI_RUNS = re.compile(f"([{_KANJI}]+)")
# Texts longer than this are not annotated (they are not answers; keeps pages fast).
MAX_CHARS = 20_000


def _ruby(base: str, reading: str) -> str:
    return (f"<ruby>{escape(base)}<rp>（</rp><rt>{escape(reading)}</rt>"
            f"<rp>）</rp></ruby>")


def annotate_word(surface: str, reading: str) -> str:
    """HTML for one word: ruby over its kanji runs, its kana as they are."""
    if not _HAS_KANJI.search(surface):
        return escape(surface)
    reading = jaconv.kata2hira(reading)
    if not reading or _HAS_KANJI.search(reading):
        return escape(surface)  # Sudachi does not know the word's reading
    parts = _KANJI_RUNS.split(surface)  # odd indexes are kanji runs
    pattern = "".join(
        "(.+?)" if index % 2 else re.escape(jaconv.kata2hira(part))
        for index, part in enumerate(parts)
    )
    match = re.fullmatch(pattern, reading)
    if match is None:
        return _ruby(surface, reading)
    readings = iter(match.groups())
    return "".join(_ruby(part, next(readings)) if index % 2 else escape(part)
                   for index, part in enumerate(parts))


def _line_html(line: str) -> str:
    if not _HAS_KANJI.search(line):
        return escape(line)
    return "".join(annotate_word(token.surface(), token.reading_form())
                   for token in tokenizer().tokenize(line))


def ruby_html(text: str) -> SafeString:
    """``text`` escaped, with furigana over its kanji; line breaks are kept as ``\\n``."""
    if not text:
        return mark_safe("")  # noqa: S308 - nothing to escape
    if len(text) > MAX_CHARS:
        return escape(text)
    return mark_safe("\n".join(_line_html(line) for line in text.split("\n")))  # noqa: S308
