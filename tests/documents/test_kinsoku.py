"""Japanese line breaking: lines fit, and 禁則 characters never start or end a line."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from madoguchi.documents.kinsoku import NO_LINE_END, NO_LINE_START, wrap


def width(text: str) -> float:
    """A monospace measure: Japanese characters count 2, ASCII 1."""
    return sum(1 if ord(char) < 128 else 2 for char in text)


def test_a_line_never_starts_with_closing_punctuation():
    # Without 禁則, the line of 10 would end after 終わり and start with 。
    lines = wrap("これで終わり。次の文は「かぎ」で始まる。", 12, width)
    assert lines == ["これで終わ", "り。次の文は", "「かぎ」で始", "まる。"]
    assert not any(line[0] in "。、」" for line in lines)


def test_an_opening_bracket_never_ends_a_line():
    lines = wrap("あいうえ「かきくけこ」", 10, width)
    assert lines == ["あいうえ", "「かきくけ", "こ」"]


def test_numbers_codes_and_urls_stay_whole():
    lines = wrap("月額15,000円を受付番号R8-JT-000123でhttps://a.example/x", 20, width)
    assert lines == ["月額15,000円を受付番", "号R8-JT-000123で", "https://a.example/x"]
    assert any("15,000" in line for line in lines)
    assert any("R8-JT-000123" in line for line in lines)
    assert any("https://a.example/x" in line for line in lines)


def test_a_word_wider_than_the_line_is_split():
    assert wrap("abcdefghij", 4, width) == ["abcd", "efgh", "ij"]


def test_spaces_break_latin_text_and_vanish_at_line_ends():
    assert wrap("one two three", 8, width) == ["one two", "three"]


def test_newlines_start_paragraphs_and_empty_lines_are_kept():
    assert wrap("一行目\n\n三行目", 20, width) == ["一行目", "", "三行目"]


JAPANESE = "あいうえお漢字申請窓口世田谷カタカナ"
SAFE_PUNCTUATION = "。、」）"


@st.composite
def sentences(draw):
    """Japanese text where every forbidden character follows an ordinary one."""
    parts = draw(st.lists(st.tuples(
        st.text(alphabet=JAPANESE, min_size=1, max_size=8),
        st.sampled_from(["", *SAFE_PUNCTUATION, "「", "ー"])), min_size=1, max_size=30))
    text = ""
    for word, mark in parts:
        text += (mark + word) if mark == "「" else (word + mark)
    return text


@settings(max_examples=300, deadline=None)
@given(text=sentences(), columns=st.integers(min_value=6, max_value=40))
def test_wrapping_keeps_every_character_and_obeys_kinsoku(text, columns):
    lines = wrap(text, columns, width)
    assert "".join(lines) == text
    for line in lines:
        assert width(line) <= columns
        assert line, "no empty line inside a paragraph"
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, lines
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END, lines
