"""Reads of the audit trail for auditors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from madoguchi.audit.models import AuditEntry
from madoguchi.core.paging import PAGE_SIZE, Pager

EXPORT_LIMIT = 50_000


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entries(filters: Mapping[str, Any]) -> QuerySet[AuditEntry]:
    """Entries matching the cleaned filters of ``AuditFilterForm``, newest first."""
    rows = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    if filters.get("actor"):
        rows = rows.filter(actor__username=filters["actor"])
    if filters.get("action"):
        rows = rows.filter(action=filters["action"])
    if filters.get("record_type"):
        rows = rows.filter(record_type=filters["record_type"])
    if filters.get("resident_ref"):
        rows = rows.filter(resident_ref=str(filters["resident_ref"]))
    if filters.get("date_from"):
        rows = rows.filter(at__gte=_start_of(filters["date_from"]))
    if filters.get("date_to"):
        rows = rows.filter(at__lt=_start_of(filters["date_to"] + dt.timedelta(days=1)))
    return rows


# ── keyset pages: newest first, by (at, id), without COUNT or OFFSET ─────────────────────

CURSORS = ("after", "before")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def cursor_of(entry: AuditEntry) -> str:
    """An entry's place in the list: microseconds since 1970 and its id (no personal
    data)."""
    return f"{(entry.at - EPOCH) // dt.timedelta(microseconds=1)}.{entry.pk}"


def parse_cursor(text: str | None) -> tuple[dt.datetime, int] | None:
    try:
        micros, pk = (text or "").split(".")
        return EPOCH + dt.timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None


def _query_with(query: QueryDict, name: str | None, value: str = "") -> str:
    copy = query.copy()
    for key in (*CURSORS, "page"):
        copy.pop(key, None)
    if name:
        copy[name] = value
    return copy.urlencode()


def entries_page(filters: Mapping[str, Any], query: QueryDict, *,
                 size: int = PAGE_SIZE) -> Pager:
    """A page of ``entries(filters)``: the newest, or the ``size`` older than the cursor
    in ``?after=``, or newer than the one in ``?before=``. Each is one index range scan on
    (at, id) (or on a filter's (column, at) index), however long the log."""
    rows = entries(filters)
    before, after = parse_cursor(query.get("before")), parse_cursor(query.get("after"))
    if before is not None:
        at, pk = before
        found = list(rows.filter(Q(at__gte=at) & (Q(at__gt=at) | Q(pk__gt=pk)))
                     .order_by("at", "id")[:size + 1])
        shown = list(reversed(found[:size]))
        has_previous, has_next = len(found) > size, True
    else:
        if after is not None:
            at, pk = after
            rows = rows.filter(Q(at__lte=at) & (Q(at__lt=at) | Q(pk__lt=pk)))
        found = list(rows[:size + 1])
        shown = found[:size]
        has_previous, has_next = after is not None, len(found) > size
    pager = Pager(rows=shown, has_previous=has_previous and bool(shown),
                  has_next=has_next and bool(shown))
    if shown:
        pager.previous_query = _query_with(query, "before", cursor_of(shown[0]))
        pager.next_query = _query_with(query, "after", cursor_of(shown[-1]))
    return pager


def filter_query(query: QueryDict) -> str:
    """The request's filters without the page cursors (for the export link)."""
    return _query_with(query, None)
