"""Japanese dates: 和暦 formatting and the closed days every scheduler must respect.

National holidays (incl. 振替休日 and 国民の休日) come from ``jpholiday``; the year-end
closing 年末年始 (12/29–1/3) is added here; ward-specific exceptions live in the
``CalendarException`` table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import jpholiday
from django.utils import translation
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Era:
    name: str
    name_en: str
    start: dt.date


ERAS: tuple[Era, ...] = (
    Era("令和", "Reiwa", dt.date(2019, 5, 1)),
    Era("平成", "Heisei", dt.date(1989, 1, 8)),
    Era("昭和", "Showa", dt.date(1926, 12, 25)),
    Era("大正", "Taisho", dt.date(1912, 7, 30)),
    Era("明治", "Meiji", dt.date(1868, 10, 23)),
)

WEEKDAYS_JA = "月火水木金土日"


def era_of(day: dt.date) -> tuple[Era, int]:
    """The era and era year of ``day``; raises ValueError before 明治."""
    for era in ERAS:
        if day >= era.start:
            return era, day.year - era.start.year + 1
    raise ValueError(f"{day.isoformat()} is before the Meiji era")


def wareki_year(day: dt.date) -> str:
    era, year = era_of(day)
    return f"{era.name}{'元' if year == 1 else year}年"


def wareki(day: dt.date | dt.datetime, *, weekday: bool = False, seireki: bool = False) -> str:
    """``令和8年11月28日``; ``weekday`` adds （土）, ``seireki`` adds the Gregorian year."""
    if isinstance(day, dt.datetime):
        day = day.date()
    text = wareki_year(day)
    if seireki:
        text += f"（{day.year}年）"
    text += f"{day.month}月{day.day}日"
    if weekday:
        text += f"（{WEEKDAYS_JA[day.weekday()]}）"
    return text


def day_text(day: dt.date | dt.datetime, *, weekday: bool = False,
             seireki: bool = False) -> str:
    """A date for people, in the active language: 和暦 in Japanese, ``Tue 12 Jan 2027``
    in English."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if translation.get_language() == "en":
        return day.strftime("%a %-d %b %Y" if weekday else "%-d %b %Y")
    return wareki(day, weekday=weekday, seireki=seireki)


def weekday_name(day: dt.date) -> str:
    """月曜日 in Japanese, Monday in English."""
    if translation.get_language() == "en":
        return day.strftime("%A")
    return f"{WEEKDAYS_JA[day.weekday()]}曜日"


def is_year_end_closing(day: dt.date) -> bool:
    """年末年始: 12/29 to 1/3, when ward offices are closed."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def closed_reason(day: dt.date, *, exceptions: dict[dt.date, tuple[str, str]] | None = None
                  ) -> str | None:
    """Why ward offices are closed on ``day`` (regardless of weekday), or None.

    ``exceptions`` maps a date to (kind, reason) from the CalendarException table; pass it
    when checking many days, otherwise it is loaded for this one day.
    """
    if exceptions is None:
        exceptions = load_exceptions(day, day)
    if day in exceptions:
        kind, reason = exceptions[day]
        return reason if kind == "closed" else None
    if is_year_end_closing(day):
        return _("年末年始")
    return jpholiday.is_holiday_name(day)


def load_exceptions(start: dt.date, end: dt.date) -> dict[dt.date, tuple[str, str]]:
    from madoguchi.core.models import CalendarException

    rows = CalendarException.objects.filter(date__range=(start, end))
    return {row.date: (row.kind, row.reason) for row in rows}


def is_open_day(day: dt.date, *, weekdays: Iterable[int] = (0, 1, 2, 3, 4),
                exceptions: dict[dt.date, tuple[str, str]] | None = None) -> bool:
    """Whether an office open on ``weekdays`` (Mon=0) is open on ``day``."""
    if exceptions is None:
        exceptions = load_exceptions(day, day)
    if day in exceptions:
        return exceptions[day][0] == "open"
    return day.weekday() in set(weekdays) and closed_reason(day, exceptions=exceptions) is None


def closed_days(start: dt.date, end: dt.date) -> Iterator[tuple[dt.date, str]]:
    """Each closed day between ``start`` and ``end`` inclusive (weekends excluded)."""
    exceptions = load_exceptions(start, end)
    day = start
    while day <= end:
        reason = closed_reason(day, exceptions=exceptions)
        if reason:
            yield day, reason
        day += dt.timedelta(days=1)


def next_open_day(day: dt.date, *, weekdays: Iterable[int] = (0, 1, 2, 3, 4)) -> dt.date:
    """The first open day on or after ``day`` (looks at most a year ahead)."""
    days = set(weekdays)
    if not days:
        raise ValueError("an office must open on at least one weekday")
    exceptions = load_exceptions(day, day + dt.timedelta(days=366))
    for offset in range(367):
        candidate = day + dt.timedelta(days=offset)
        if is_open_day(candidate, weekdays=days, exceptions=exceptions):
            return candidate
    raise ValueError("no open day within a year")
