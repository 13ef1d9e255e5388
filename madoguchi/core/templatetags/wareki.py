"""Template filters for Japanese dates: {{ day|wareki }}, {{ day|wareki_full }}."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from madoguchi.core import dates

register = template.Library()


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def wareki(value: dt.date | dt.datetime | None) -> str:
    """令和8年11月28日 in Japanese; 28 Nov 2026 in English."""
    if not value:
        return ""
    return dates.day_text(_as_date(value))


@register.filter
def wareki_full(value: dt.date | dt.datetime | None) -> str:
    """令和8年（2026年）11月28日（土）: era, Gregorian year and weekday."""
    if not value:
        return ""
    return dates.day_text(_as_date(value), weekday=True, seireki=True)


@register.filter
def wareki_datetime(value: dt.datetime | None) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{wareki(local)} {local:%H:%M}"


@register.simple_tag
def now_wareki() -> str:
    """Today's date for the page footer, in the current language."""
    return wareki_full(timezone.localdate())
