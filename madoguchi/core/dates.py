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
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


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


def _local_date(day: dt.date | dt.datetime) -> dt.date:
    """The day of a date, or of a time as the ward sees it: an aware time is dated in
    Tokyo (23:30 UTC is already the next day there)."""
    if isinstance(day, dt.datetime):
        return (timezone.localtime(day) if timezone.is_aware(day) else day).date()
    return day


def wareki(day: dt.date | dt.datetime, *, weekday: bool = False, seireki: bool = False) -> str:
    """``令和8年11月28日``; ``weekday`` adds （土）, ``seireki`` adds the Gregorian year."""
    day = _local_date(day)
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
    day = _local_date(day)
    if translation.get_language() == "en":
        return day.strftime("%a %-d %b %Y" if weekday else "%-d %b %Y")
    if day < ERAS[-1].start:  # no era to name (a mistyped year): the Gregorian date
        text = f"{day.year}年{day.month}月{day.day}日"
        return text + (f"（{WEEKDAYS_JA[day.weekday()]}）" if weekday else "")
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
    return holiday_name(day)


# jpholiday's names, for the catalogue (English in madoguchi/locale); a substitute holiday
# is "<name> 振替休日".
HOLIDAY_NAMES = (
    gettext_noop("元日"), gettext_noop("成人の日"), gettext_noop("建国記念の日"),
    gettext_noop("天皇誕生日"), gettext_noop("春分の日"), gettext_noop("昭和の日"),
    gettext_noop("憲法記念日"), gettext_noop("みどりの日"), gettext_noop("こどもの日"),
    gettext_noop("海の日"), gettext_noop("山の日"), gettext_noop("敬老の日"),
    gettext_noop("秋分の日"), gettext_noop("スポーツの日"), gettext_noop("文化の日"),
    gettext_noop("勤労感謝の日"), gettext_noop("国民の休日"),
)
SUBSTITUTE = " 振替休日"


def holiday_name(day: dt.date) -> str | None:
    """The national holiday's name in the active language, or None."""
    name = jpholiday.is_holiday_name(day)
    if not name:
        return None
    if name.endswith(SUBSTITUTE):
        return _("%(holiday)s 振替休日") % {"holiday": _(name.removesuffix(SUBSTITUTE))}
    return _(name)


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


def add_open_days(start: dt.date, days: int) -> dt.date:
    """The day on which ``days`` open days after ``start`` have passed (the day ``start``
    itself not counted): a 10-open-day procedure received on a Friday is due 10 ward
    working days later, weekends, holidays and 年末年始 skipped. A look-up in the cached
    open-day calendar (core.opendays)."""
    from madoguchi.core import opendays

    return opendays.add_open_days(start, days)


def open_days_between(start: dt.date, end: dt.date) -> int:
    """Open days after ``start`` up to and including ``end`` (0 when ``end <= start``): a
    subtraction in the cached open-day calendar (core.opendays)."""
    from madoguchi.core import opendays

    return opendays.open_days_between(start, end)


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


# ── Reading dates that people write (和暦 and 西暦) ─────────────────────────────────────
# Added for form input (procedures); reusable by any context that reads a typed date.
#
# ``parse_date`` accepts what residents and staff write on Japanese forms: 令和6年4月1日,
# 令和元年5月1日, R6.4.1, r6/4/1, H31/4/30, 平成元年1月8日, 昭和五十年四月一日, ㍻元年…,
# 2024-04-01, 2024/4/1, 2024年4月1日, 20240401, in full- or half-width characters. An era
# year must fall inside its era: 平成32年 does not exist (it is 令和2年), and neither does
# 令和元年4月30日 (it is 平成31年4月30日). Errors carry a code and, where one exists, the
# date the writer probably meant, so that a form can say what to write instead.

import re as _re  # noqa: E402
import unicodedata as _unicodedata  # noqa: E402

ERA_LETTERS: dict[str, str] = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正", "M": "明治"}

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                 "七": 7, "八": 8, "九": 9}
_DASHES = "‐‑‒–—―−ー－ｰ"
_NUMBER = r"(\d{1,2}|[〇零一二三四五六七八九十]{1,4})"
_WAREKI = _re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\.?"
    r"(?P<year>元|" + _NUMBER[1:-1] + r")(?:年|[./-])"
    r"(?P<month>" + _NUMBER[1:-1] + r")(?:月|[./-])"
    r"(?P<day>" + _NUMBER[1:-1] + r")日?$",
    _re.IGNORECASE,
)
_SEIREKI = _re.compile(r"^(?P<year>\d{4})(?:年|[./-])(?P<month>\d{1,2})(?:月|[./-])"
                       r"(?P<day>\d{1,2})日?$")
_COMPACT = _re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")


class DateInputError(ValueError):
    """Why a written date could not be read.

    ``code``: ``format`` (not a date we can read), ``no_such_day`` (e.g. 2月30日),
    ``before_era`` / ``after_era`` (the era year is outside the era; ``suggestion`` is the
    same calendar day in its real era), ``before_meiji``. ``era`` is the era written.
    """

    def __init__(self, code: str, *, era: Era | None = None,
                 suggestion: dt.date | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.era = era
        self.suggestion = suggestion


def era_end(era: Era) -> dt.date | None:
    """The last day of ``era`` (None for the current one)."""
    index = ERAS.index(era)
    return ERAS[index - 1].start - dt.timedelta(days=1) if index else None


def era_named(name: str) -> Era:
    """The era by its name (令和) or letter (R, r); KeyError when unknown."""
    name = ERA_LETTERS.get(name.upper(), name)
    for era in ERAS:
        if era.name == name:
            return era
    raise KeyError(name)


def kanji_number(text: str) -> int:
    """二十五 → 25, 十 → 10, 三十一 → 31, 五〇 → 50, 12 → 12 (up to 99)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _sep, ones = text.partition("十")
        if "十" in ones or len(tens) > 1 or len(ones) > 1:
            raise ValueError(text)
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    return int("".join(str(_KANJI_DIGITS[char]) for char in text))


def _date_text(text: str) -> str:
    text = _unicodedata.normalize("NFKC", text or "")
    text = _re.sub(r"\s+", "", text)
    for dash in _DASHES:
        text = text.replace(dash, "-")
    return text


def parse_date(text: str) -> dt.date:
    """The date written in ``text`` (和暦 or 西暦); raises DateInputError."""
    text = _date_text(text)
    match = _WAREKI.match(text)
    if match:
        return _wareki_date(match)
    match = _SEIREKI.match(text) or _COMPACT.match(text)
    if not match:
        raise DateInputError("format")
    try:
        day = dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise DateInputError("no_such_day") from None
    if day < ERAS[-1].start:
        raise DateInputError("before_meiji")
    return day


def _wareki_date(match: _re.Match) -> dt.date:
    era = era_named(match["era"])
    try:
        year = 1 if match["year"] == "元" else kanji_number(match["year"])
        month, day_of_month = kanji_number(match["month"]), kanji_number(match["day"])
    except (ValueError, KeyError):
        raise DateInputError("format", era=era) from None
    if year < 1:
        raise DateInputError("format", era=era)
    try:
        day = dt.date(era.start.year + year - 1, month, day_of_month)
    except ValueError:
        raise DateInputError("no_such_day", era=era) from None
    end = era_end(era)
    if day < era.start:
        raise DateInputError("before_era", era=era,
                             suggestion=day if day >= ERAS[-1].start else None)
    if end is not None and day > end:
        raise DateInputError("after_era", era=era, suggestion=day)
    return day


def wareki_short(day: dt.date) -> str:
    """``R6.4.1``: the abbreviated 和暦 many forms and cards use."""
    era, year = era_of(day)
    letter = next(key for key, name in ERA_LETTERS.items() if name == era.name)
    return f"{letter}{year}.{day.month}.{day.day}"
