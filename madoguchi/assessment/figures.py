"""The figures registry: counts per district and fiscal year that other contexts provide.

A context that produces countable data registers a provider in its ``AppConfig.ready``::

    figures.register("consultations.category", _("相談の分類"), provider)

where ``provider(district_ids, fiscal_year, month=None)`` returns
``{district_id: {breakdown key: count}}`` for the districts asked (districts without data may
be left out). ``month`` (1-12) narrows the fiscal year to that calendar month. The
assessment imports no provider's context: the district profile, the ward dashboard and
the yearly assessment ask this registry (ADR 0038). One provider answers for all the
districts asked in a bounded number of queries, so a page's query count does not grow with
the number of districts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

from madoguchi.core.dates import wareki_year

Counts = Mapping[int, Mapping[str, int]]
Provider = Callable[..., Counts]
Labels = Mapping[str, str] | Callable[[], Mapping[str, str]]


@dataclass(frozen=True)
class Figure:
    code: str
    label: str  # lazy gettext
    provider: Provider
    # Breakdown keys to their labels, for figures whose keys are codes (e.g. categories);
    # or a function returning them, for labels that are data (read when shown).
    labels: Labels | None = None
    # Shown per 1,000 residents on the ward dashboard (counts); shares are not.
    per_thousand: bool = True
    # Optional: ``monthly(district_ids, fiscal_year) -> {month: counts}``, the whole year
    # month by month in one go (the time series); without it each month is asked alone.
    monthly: Callable[..., Mapping[int, Counts]] | None = None


_figures: dict[str, Figure] = {}


def register(code: str, label, provider: Provider, *, labels: Labels | None = None,
             per_thousand: bool = True,
             monthly: Callable[..., Mapping[int, Counts]] | None = None) -> Provider:
    """Register ``provider`` under ``code`` (one provider per code)."""
    current = _figures.get(code)
    if current is not None and current.provider is not provider:
        raise ImproperlyConfigured(f"figure {code!r} is already registered")
    _figures[code] = Figure(code, label, provider, labels, per_thousand, monthly)
    return provider


def unregister(code: str) -> None:
    _figures.pop(code, None)


def registered() -> list[Figure]:
    """The figures in the order they were registered (the order of the charts)."""
    return list(_figures.values())


def get(code: str) -> Figure | None:
    return _figures.get(code)


def collect(district_ids: Sequence[int], fiscal_year: int, month: int | None = None, *,
            codes: Sequence[str] | None = None) -> dict[str, dict[int, dict[str, int]]]:
    """The registered figures (all, or those of ``codes``) for the districts:
    ``{code: {district_id: {key: n}}}``."""
    found: dict[str, dict[int, dict[str, int]]] = {}
    token = _shared.set({})
    try:
        for figure in registered():
            if codes is not None and figure.code not in codes:
                continue
            answer = figure.provider(list(district_ids), fiscal_year, month)
            found[figure.code] = {district: dict(counts) for district, counts in answer.items()}
    finally:
        _shared.reset(token)
    return found


def collect_months(district_ids: Sequence[int], fiscal_year: int, *, codes: Sequence[str]
                   ) -> dict[int, dict[str, dict[int, dict[str, int]]]]:
    """The figures of ``codes`` month by month over the fiscal year:
    ``{month: {code: {district_id: {key: n}}}}`` (a figure with a ``monthly`` answer is
    asked once, the others once per month)."""
    found: dict[int, dict[str, dict[int, dict[str, int]]]] = {m: {} for m in FISCAL_MONTHS}
    token = _shared.set({})
    try:
        for figure in registered():
            if figure.code not in codes:
                continue
            if figure.monthly is not None:
                by_month = figure.monthly(list(district_ids), fiscal_year)
                for month in FISCAL_MONTHS:
                    found[month][figure.code] = {
                        d: dict(c) for d, c in by_month.get(month, {}).items()}
                continue
            for month in FISCAL_MONTHS:
                answer = figure.provider(list(district_ids), fiscal_year, month)
                found[month][figure.code] = {d: dict(c) for d, c in answer.items()}
    finally:
        _shared.reset(token)
    return found


_shared: ContextVar[dict | None] = ContextVar("figures_shared", default=None)


def shared(key: Hashable, compute: Callable[[], Any]) -> Any:
    """Within one ``collect``, the providers that read the same rows ask once: ``compute()``
    runs for the first provider asking ``key``; the others get its answer."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


# -- the fiscal year (年度: April to March) ----------------------------------------------

def fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_label(fiscal_year: int) -> str:
    """``令和7年度``: the era of the fiscal year's first full month (2019 → 令和元年度);
    ``FY2025`` on English pages."""
    if (get_language() or "ja").startswith("en"):
        return f"FY{fiscal_year}"
    return f"{wareki_year(dt.date(fiscal_year, 5, 1))}度"


def period(fiscal_year: int, month: int | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The fiscal year (or one calendar month of it) as aware datetimes [start, end)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    if month is None:
        start = dt.date(fiscal_year, 4, 1)
        end = dt.date(fiscal_year + 1, 4, 1)
    else:
        if not 1 <= month <= 12:
            raise ValueError("month must be 1-12")
        year = fiscal_year if month >= 4 else fiscal_year + 1
        start = dt.date(year, month, 1)
        end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return (dt.datetime.combine(start, dt.time(), zone), dt.datetime.combine(end, dt.time(), zone))


def day_period(fiscal_year: int, month: int | None = None) -> tuple[dt.date, dt.date]:
    start, end = period(fiscal_year, month)
    return start.date(), end.date()


FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
