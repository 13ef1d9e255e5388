"""和暦 and the closed days every office and scheduler respects."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.core import dates
from madoguchi.core.models import CalendarException

D = dt.date


@pytest.fixture(autouse=True)
def _japanese():
    with translation.override("ja"):
        yield


# ---- 和暦 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(1989, 1, 8), "平成元年1月8日"),
        (D(2020, 1, 1), "令和2年1月1日"),
        (D(1926, 12, 25), "昭和元年12月25日"),
        (D(1926, 12, 24), "大正15年12月24日"),
        (D(1912, 7, 30), "大正元年7月30日"),
        (D(1868, 10, 23), "明治元年10月23日"),
        (D(2026, 11, 28), "令和8年11月28日"),
    ],
)
def test_wareki_names_the_era_and_writes_year_one_as_gannen(day, expected):
    assert dates.wareki(day) == expected


def test_wareki_adds_weekday_and_gregorian_year_on_request():
    day = D(2026, 11, 28)  # a Saturday
    assert dates.wareki(day, weekday=True) == "令和8年11月28日（土）"
    assert dates.wareki(day, seireki=True) == "令和8年（2026年）11月28日"
    assert dates.wareki(day, weekday=True, seireki=True) == "令和8年（2026年）11月28日（土）"


@pytest.mark.parametrize(
    ("day", "weekday"),
    [(D(2026, 11, 23), "月"), (D(2026, 11, 24), "火"), (D(2026, 11, 25), "水"),
     (D(2026, 11, 26), "木"), (D(2026, 11, 27), "金"), (D(2026, 11, 28), "土"),
     (D(2026, 11, 29), "日")],
)
def test_every_weekday_is_written_in_japanese(day, weekday):
    assert dates.wareki(day, weekday=True).endswith(f"（{weekday}）")


def test_wareki_of_a_datetime_uses_its_date():
    assert dates.wareki(dt.datetime(2019, 5, 1, 9, 30)) == "令和元年5月1日"


def test_dates_before_meiji_are_refused():
    with pytest.raises(ValueError, match="Meiji"):
        dates.wareki(D(1868, 10, 22))


_WAREKI = re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d+)年(\d+)月(\d+)日$")


def parse_wareki(text: str) -> dt.date:
    """The inverse of dates.wareki, written independently for the round trip."""
    era_name, year, month, day = _WAREKI.match(text).groups()
    era = next(e for e in dates.ERAS if e.name == era_name)
    era_year = 1 if year == "元" else int(year)
    return D(era.start.year + era_year - 1, int(month), int(day))


@given(st.dates(min_value=D(1868, 10, 23), max_value=D(2200, 12, 31)))
def test_wareki_round_trips(day):
    assert parse_wareki(dates.wareki(day)) == day


@given(st.sampled_from(dates.ERAS), st.integers(min_value=-3, max_value=3))
def test_era_changes_exactly_on_its_first_day(era, offset):
    day = era.start + dt.timedelta(days=offset)
    if era.name == "明治" and offset < 0:
        with pytest.raises(ValueError):
            dates.wareki(day)
        return
    text = dates.wareki(day)
    if offset >= 0:
        assert text.startswith(f"{era.name}元年")
    else:
        assert not text.startswith(era.name)
        assert parse_wareki(text) == day


# ---- closed days -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day",
    [D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31), D(2027, 1, 1), D(2027, 1, 2),
     D(2027, 1, 3)],
)
def test_year_end_closing_runs_from_29_december_to_3_january(day):
    assert dates.is_year_end_closing(day)
    assert dates.closed_reason(day) == "年末年始"
    assert not dates.is_open_day(day)


@pytest.mark.django_db
def test_days_either_side_of_the_year_end_closing_are_open():
    assert dates.is_open_day(D(2026, 12, 28))  # Monday
    assert dates.is_open_day(D(2027, 1, 4))  # Monday
    assert not dates.is_year_end_closing(D(2026, 12, 28))
    assert not dates.is_year_end_closing(D(2027, 1, 4))


@pytest.mark.django_db
def test_substitute_holiday_is_closed():
    # 2026-05-03 (憲法記念日) is a Sunday, so Wednesday 6 May is a 振替休日.
    assert "振替休日" in dates.closed_reason(D(2026, 5, 6))
    assert not dates.is_open_day(D(2026, 5, 6))
    assert dates.is_open_day(D(2026, 5, 7))


@pytest.mark.django_db
def test_citizens_holiday_between_two_holidays_is_closed():
    # 2026-09-22 lies between 敬老の日 (21st) and 秋分の日 (23rd): 国民の休日.
    assert dates.closed_reason(D(2026, 9, 22)) == "国民の休日"
    assert not dates.is_open_day(D(2026, 9, 22))


@pytest.mark.django_db
def test_weekends_are_closed_for_a_weekday_office_but_not_a_holiday():
    saturday = D(2026, 11, 28)
    assert dates.closed_reason(saturday) is None
    assert not dates.is_open_day(saturday)
    assert dates.is_open_day(saturday, weekdays=(0, 1, 2, 3, 4, 5))


@pytest.mark.django_db
def test_ward_exception_closes_an_ordinary_weekday():
    CalendarException.objects.create(date=D(2026, 11, 26), kind="closed", reason="庁舎点検")
    assert dates.closed_reason(D(2026, 11, 26)) == "庁舎点検"
    assert not dates.is_open_day(D(2026, 11, 26))
    assert (D(2026, 11, 26), "庁舎点検") in list(dates.closed_days(D(2026, 11, 23),
                                                                   D(2026, 11, 27)))


@pytest.mark.django_db
def test_ward_exception_opens_a_holiday_and_a_saturday():
    CalendarException.objects.create(date=D(2026, 11, 3), kind="open", reason="臨時開庁")
    CalendarException.objects.create(date=D(2026, 11, 28), kind="open", reason="臨時開庁")
    assert dates.closed_reason(D(2026, 11, 3)) is None  # 文化の日, opened
    assert dates.is_open_day(D(2026, 11, 3))
    assert dates.is_open_day(D(2026, 11, 28))
    assert D(2026, 11, 3) not in dict(dates.closed_days(D(2026, 11, 1), D(2026, 11, 30)))


@pytest.mark.django_db
def test_closed_days_lists_each_day_once():
    days = list(dates.closed_days(D(2026, 12, 25), D(2027, 1, 12)))
    listed = [day for day, _ in days]
    assert len(listed) == len(set(listed))
    assert listed == [D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31), D(2027, 1, 1),
                      D(2027, 1, 2), D(2027, 1, 3), D(2027, 1, 11)]
    assert dict(days)[D(2027, 1, 1)] == "年末年始"
    assert dict(days)[D(2027, 1, 11)] == "成人の日"


@pytest.mark.django_db
def test_next_open_day_skips_the_year_end_closing():
    assert dates.next_open_day(D(2026, 12, 29)) == D(2027, 1, 4)
    assert dates.next_open_day(D(2026, 12, 26)) == D(2026, 12, 28)  # Saturday -> Monday
    assert dates.next_open_day(D(2026, 12, 28)) == D(2026, 12, 28)


@pytest.mark.django_db
def test_next_open_day_respects_exceptions_and_weekdays():
    CalendarException.objects.create(date=D(2027, 1, 4), kind="closed", reason="システム更新")
    assert dates.next_open_day(D(2026, 12, 29)) == D(2027, 1, 5)
    CalendarException.objects.create(date=D(2027, 1, 2), kind="open", reason="臨時開庁")
    assert dates.next_open_day(D(2026, 12, 29)) == D(2027, 1, 2)


@pytest.mark.django_db
def test_next_open_day_needs_an_opening_weekday():
    with pytest.raises(ValueError):
        dates.next_open_day(D(2026, 12, 1), weekdays=())



def test_an_aware_time_is_dated_in_tokyo():
    late_evening_utc = dt.datetime(2026, 12, 7, 23, 30, tzinfo=dt.UTC)
    assert dates.wareki(late_evening_utc) == "令和8年12月8日"
    assert dates.day_text(late_evening_utc) == "令和8年12月8日"
