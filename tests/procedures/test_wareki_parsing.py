"""Reading dates people write: 和暦 and 西暦, full and half width, era boundaries."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core.dates import (
    ERAS,
    DateInputError,
    era_end,
    kanji_number,
    parse_date,
    wareki,
    wareki_short,
)

D = dt.date
FULL_WIDTH = str.maketrans("0123456789-/.RHSTM", "０１２３４５６７８９－／．ＲＨＳＴＭ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和6年4月1日", D(2024, 4, 1)),
        ("R6.4.1", D(2024, 4, 1)),
        ("r6/4/1", D(2024, 4, 1)),
        ("R06.04.01", D(2024, 4, 1)),
        ("令和６年４月１日", D(2024, 4, 1)),
        ("Ｒ６．４．１", D(2024, 4, 1)),
        ("令和 6 年 4 月 1 日", D(2024, 4, 1)),
        ("令和元年5月1日", D(2019, 5, 1)),
        ("R1.5.1", D(2019, 5, 1)),
        ("平成元年1月8日", D(1989, 1, 8)),
        ("H31/4/30", D(2019, 4, 30)),
        ("平成31年4月30日", D(2019, 4, 30)),
        ("昭和64年1月7日", D(1989, 1, 7)),
        ("S50.4.1", D(1975, 4, 1)),
        ("昭和五十年四月一日", D(1975, 4, 1)),
        ("平成十二年十二月三十一日", D(2000, 12, 31)),
        ("㍻元年1月8日", D(1989, 1, 8)),
        ("㋿6年4月1日", D(2024, 4, 1)),
        ("大正元年7月30日", D(1912, 7, 30)),
        ("明治元年10月23日", D(1868, 10, 23)),
        ("2024-04-01", D(2024, 4, 1)),
        ("2024/4/1", D(2024, 4, 1)),
        ("2024.4.1", D(2024, 4, 1)),
        ("2024年4月1日", D(2024, 4, 1)),
        ("20240401", D(2024, 4, 1)),
        ("２０２４－０４－０１", D(2024, 4, 1)),
        ("２０２４ー４ー１", D(2024, 4, 1)),
        (" 2024/4/1\n", D(2024, 4, 1)),
    ],
)
def test_dates_are_read_in_every_common_form(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "code", "suggestion"),
    [
        ("平成32年4月1日", "after_era", D(2020, 4, 1)),  # 平成 ended in its 31st year
        ("平成31年5月1日", "after_era", D(2019, 5, 1)),  # the first day of 令和
        ("昭和64年1月8日", "after_era", D(1989, 1, 8)),  # the first day of 平成
        ("令和元年4月30日", "before_era", D(2019, 4, 30)),  # the last day of 平成
        ("平成元年1月7日", "before_era", D(1989, 1, 7)),  # the last day of 昭和
        ("明治元年1月1日", "before_era", None),  # before any era we know
        ("2023-02-29", "no_such_day", None),
        ("令和5年2月29日", "no_such_day", None),
        ("令和6年4月31日", "no_such_day", None),
        ("R0.1.1", "format", None),
        ("令和6年", "format", None),
        ("4月1日", "format", None),
        ("昭和50年4月1日生", "format", None),
        ("tomorrow", "format", None),
        ("", "format", None),
        ("1850-01-01", "before_meiji", None),
    ],
)
def test_impossible_dates_say_why_and_what_was_probably_meant(text, code, suggestion):
    with pytest.raises(DateInputError) as caught:
        parse_date(text)
    assert caught.value.code == code
    assert caught.value.suggestion == suggestion


def test_era_boundaries():
    assert era_end(ERAS[1]) == D(2019, 4, 30)  # 平成
    assert era_end(ERAS[2]) == D(1989, 1, 7)  # 昭和
    assert era_end(ERAS[0]) is None  # 令和 has no end yet
    assert wareki(parse_date("2019-04-30")) == "平成31年4月30日"
    assert wareki(parse_date("2019-05-01")) == "令和元年5月1日"
    assert wareki(parse_date("1989-01-07")) == "昭和64年1月7日"
    assert wareki(parse_date("1989-01-08")) == "平成元年1月8日"


@pytest.mark.parametrize(("text", "number"), [("一", 1), ("十", 10), ("十二", 12),
                                              ("二十", 20), ("三十一", 31), ("五〇", 50),
                                              ("64", 64)])
def test_kanji_numbers(text, number):
    assert kanji_number(text) == number


days = st.dates(min_value=D(1868, 10, 23), max_value=D(2100, 12, 31))


@given(days)
def test_wareki_round_trips(day):
    assert parse_date(wareki(day)) == day


@given(days)
def test_short_wareki_round_trips(day):
    assert parse_date(wareki_short(day)) == day


@given(days)
def test_full_width_wareki_and_seireki_round_trip(day):
    assert parse_date(wareki(day).translate(FULL_WIDTH)) == day
    assert parse_date(wareki_short(day).translate(FULL_WIDTH)) == day
    assert parse_date(day.isoformat().translate(FULL_WIDTH)) == day
    assert parse_date(f"{day.year}/{day.month}/{day.day}") == day


@given(days)
def test_wareki_with_weekday_and_seireki_prefix_is_not_a_date(day):
    # 令和6年（2024年）4月1日 is how the project prints dates, not how people type them;
    # it must be refused, never misread.
    printed = wareki(day, seireki=True)
    with pytest.raises(DateInputError):
        parse_date(printed)


@given(days, st.integers(min_value=1, max_value=40))
def test_an_era_year_past_the_end_of_its_era_is_refused_with_the_real_date(day, extra):
    era = ERAS[1]  # 平成: 1989-01-08 to 2019-04-30
    year = 31 + extra
    text = f"平成{year}年{day.month}月{min(day.day, 28)}日"
    with pytest.raises(DateInputError) as caught:
        parse_date(text)
    assert caught.value.code == "after_era"
    assert caught.value.suggestion == D(era.start.year + year - 1, day.month, min(day.day, 28))


def test_nfkc_era_ligatures_are_eras():
    assert unicodedata.normalize("NFKC", "㍻") == "平成"
