"""Numbers, postal codes, phone numbers and My Numbers as people type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.text import (
    contains_my_number,
    is_my_number,
    normalise_phone,
    normalise_postal_code,
    only_digits,
    parse_integer,
)

FULL_WIDTH = str.maketrans("0123456789-,", "０１２３４５６７８９－，")


@pytest.mark.parametrize(
    ("text", "number"),
    [("1200", 1200), ("1,200", 1200), ("１，２００", 1200), ("１２００", 1200),
     ("1200円", 1200), ("¥1,200", 1200), ("￥1,200", 1200), ("12万3000", 123000),
     ("300万円", 3_000_000), ("1億2345万6789", 123_456_789), ("1 200", 1200),
     ("0", 0), ("-5", -5)],
)
def test_integers_in_any_width_with_commas_and_yen(text, number):
    assert parse_integer(text) == number


@pytest.mark.parametrize("text", ["", "万", "1.5", "abc", "1万23456", "一二三", "1-2"])
def test_not_integers(text):
    with pytest.raises(ValueError):
        parse_integer(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_integers_round_trip_with_commas_in_full_width(number):
    assert parse_integer(f"{number:,}".translate(FULL_WIDTH)) == number
    assert parse_integer(f"{number}円") == number


@pytest.mark.parametrize(
    "text", ["154-0017", "1540017", "〒154-0017", "〒1540017", "１５４－００１７",
             "１５４ー００１７", "154 0017", "〒 154‐0017"])
def test_postal_codes_become_nnn_nnnn(text):
    assert normalise_postal_code(text) == "154-0017"


@pytest.mark.parametrize("text", ["154-001", "15400170", "15-40017", "abc-defg", "",
                                  "154-00a7"])
def test_not_postal_codes(text):
    with pytest.raises(ValueError):
        normalise_postal_code(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("03-5432-1111", "03-5432-1111"), ("0354321111", "03-5432-1111"),
     ("03(5432)1111", "03-5432-1111"), ("０３－５４３２－１１１１", "03-5432-1111"),
     ("03 5432 1111", "03-5432-1111"), ("+81 3 5432 1111", "03-5432-1111"),
     ("+81-3-5432-1111", "03-5432-1111"),
     ("09012345678", "090-1234-5678"), ("090-1234-5678", "090-1234-5678"),
     ("０９０ー１２３４ー５６７８", "090-1234-5678"), ("0120123456", "0120-123-456"),
     ("050-1234-5678", "050-1234-5678"),
     ("0422-12-3456", "0422-12-3456"),  # the writer's grouping is kept
     ("0422123456", "0422123456")],  # area codes vary in length: not guessed
)
def test_phone_numbers_are_normalised(text, expected):
    assert normalise_phone(text) == expected


@pytest.mark.parametrize("text", ["", "5432-1111", "03-5432-111", "003-5432-1111",
                                  "03-5432-11111-1", "03-abcd-1111", "110"])
def test_not_phone_numbers(text):
    with pytest.raises(ValueError):
        normalise_phone(text)


def test_only_digits():
    assert only_digits("１２３－４５６７") == "1234567"
    assert only_digits("1234 567", separators="- ") == "1234567"
    with pytest.raises(ValueError):
        only_digits("12a4")


def _check_digit(body: str) -> str:
    total = sum(int(p) * (n + 1 if n <= 6 else n - 5)
                for n, p in enumerate(reversed(body), start=1))
    remainder = total % 11
    return str(0 if remainder <= 1 else 11 - remainder)


def test_my_number_check_digit():
    assert is_my_number("123456789018")  # the example in the Digital Agency's documents
    assert not is_my_number("123456789010")
    assert not is_my_number("12345678901")
    assert not is_my_number("１２３４５６７８９０１８")  # callers normalise first


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_every_well_formed_my_number_is_recognised_anywhere_in_text(body):
    number = body + _check_digit(body)
    assert is_my_number(number)
    wrong = body + str((int(_check_digit(body)) + 1) % 10)
    assert not is_my_number(wrong)
    grouped = f"{number[:4]} {number[4:8]} {number[8:]}"
    assert contains_my_number(f"番号は{grouped.translate(FULL_WIDTH)}です")
    assert contains_my_number(f"{number[:4]}-{number[4:8]}-{number[8:]}")
    assert not contains_my_number(f"1{number}")  # 13 digits: not a My Number
