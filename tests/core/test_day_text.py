"""Dates in messages follow the active language."""

import datetime as dt

from django.utils import translation

from madoguchi.core.dates import day_text, weekday_name

DAY = dt.date(2027, 1, 12)


def test_japanese_uses_wareki_with_weekday():
    with translation.override("ja"):
        assert day_text(DAY, weekday=True) == "令和9年1月12日（火）"
        assert weekday_name(DAY) == "火曜日"


def test_english_uses_the_gregorian_calendar():
    with translation.override("en"):
        assert day_text(DAY, weekday=True) == "Tue 12 Jan 2027"
        assert day_text(dt.datetime(2027, 1, 12, 10, 30)) == "12 Jan 2027"
        assert weekday_name(DAY) == "Tuesday"


def test_a_day_before_meiji_is_written_in_the_gregorian_calendar():
    # A mistyped year (0147 for 2047) must give a readable refusal, not an error.
    with translation.override("ja"):
        assert day_text(dt.date(147, 1, 14), weekday=True) == "147年1月14日（土）"
