"""Writes to the ward's calendar exceptions (extra closed days, exceptional open days)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.core import dates
from madoguchi.core.models import CalendarException, ClosedDayRule
from madoguchi.organisation.services._common import Problems, save

REGULAR_WEEKDAYS = range(5)


def _fields(exception: CalendarException, problems: Problems, *, date: dt.date, kind: str,
            reason: str) -> None:
    exception.date, exception.kind, exception.reason = date, kind, reason.strip()
    if date is None:
        return
    others = CalendarException.objects.filter(date=date).exclude(pk=exception.pk)
    if others.exists():
        problems.add("date", _("%(date)sには既に例外が登録されています。")
                     % {"date": dates.wareki(date)})
    national = dates.closed_reason(date, exceptions={})
    if kind == ClosedDayRule.CLOSED and national:
        problems.add("kind", _("%(date)sはもともと休業日です（%(reason)s）。")
                     % {"date": dates.wareki(date), "reason": national})
    if kind == ClosedDayRule.OPEN and not national and date.weekday() in REGULAR_WEEKDAYS:
        problems.add("kind", _("%(date)sはもともと開庁日です。") % {"date": dates.wareki(date)})


@transaction.atomic
def calendar_exception_create(*, date: dt.date, kind: str, reason: str) -> CalendarException:
    exception = CalendarException()
    problems = Problems()
    _fields(exception, problems, date=date, kind=kind, reason=reason)
    problems.check(exception)
    save(exception)
    return exception


@transaction.atomic
def calendar_exception_update(*, exception: CalendarException, date: dt.date, kind: str,
                              reason: str) -> CalendarException:
    exception = CalendarException.objects.select_for_update().get(pk=exception.pk)
    problems = Problems()
    _fields(exception, problems, date=date, kind=kind, reason=reason)
    problems.check(exception)
    save(exception)
    return exception


@transaction.atomic
def calendar_exception_delete(*, exception: CalendarException) -> None:
    CalendarException.objects.filter(pk=exception.pk).delete()
