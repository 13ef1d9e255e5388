"""The public page's calendar helpers: closed periods, opening weekdays, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from madoguchi.core.models import CalendarException
from madoguchi.core.templatetags.closed_days import closures_between, wareki_weekday, weekday_span

D = dt.date


@pytest.mark.django_db
def test_year_end_closing_is_one_period():
    with translation.override("ja"):
        periods = closures_between(D(2026, 12, 20), D(2027, 1, 20))
    assert [(p.start, p.end, p.reason) for p in periods] == [
        (D(2026, 12, 29), D(2027, 1, 3), "年末年始"),
        (D(2027, 1, 11), D(2027, 1, 11), "成人の日"),
    ]
    assert not periods[0].single_day
    assert periods[1].single_day


@pytest.mark.django_db
def test_holidays_on_a_weekend_are_left_out_but_their_substitute_day_is_listed():
    # 2026-05-03 is a Sunday; 4 and 5 May are Monday and Tuesday, 6 May the 振替休日.
    periods = closures_between(D(2026, 5, 1), D(2026, 5, 10))
    starts = [p.start for p in periods]
    assert D(2026, 5, 3) not in starts
    assert starts == [D(2026, 5, 4), D(2026, 5, 5), D(2026, 5, 6)]


@pytest.mark.django_db
def test_ward_exceptions_appear_among_the_closed_days():
    CalendarException.objects.create(date=D(2026, 11, 26), kind="closed", reason="庁舎点検")
    periods = closures_between(D(2026, 11, 24), D(2026, 11, 27))
    assert [(p.start, p.reason) for p in periods] == [(D(2026, 11, 26), "庁舎点検")]


@pytest.mark.django_db
def test_upcoming_closed_days_tag_renders_from_a_given_day():
    source = ("{% load closed_days %}{% upcoming_closed_days 10 start as closures %}"
              "{% for c in closures %}{{ c.start|wareki_weekday }}:{{ c.reason }};{% endfor %}")
    with translation.override("ja"):
        html = Template(source).render(Context({"start": D(2026, 9, 18)}))
    assert html == ("令和8年9月21日（月）:敬老の日;"
                    "令和8年9月22日（火）:国民の休日;"
                    "令和8年9月23日（水）:秋分の日;")


def test_weekday_span_in_japanese_and_english():
    with translation.override("ja"):
        assert weekday_span({0, 1, 2, 3, 4}) == "月曜日～金曜日"
        assert weekday_span([0, 2, 4]) == "月曜日・水曜日・金曜日"
        assert weekday_span([]) == ""
    with translation.override("en"):
        assert weekday_span({0, 1, 2, 3, 4}) == "Monday to Friday"
        assert weekday_span([5, 6]) == "Saturday, Sunday"


def test_wareki_weekday_in_japanese_and_english():
    with translation.override("ja"):
        assert wareki_weekday(D(2027, 1, 4)) == "令和9年1月4日（月）"
    with translation.override("en"):
        assert wareki_weekday(D(2027, 1, 4)) == "Mon 4 Jan 2027"
    assert wareki_weekday(None) == ""
