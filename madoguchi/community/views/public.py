"""The public pages (no account, no names): the community index, a district's rooms with
the free dayparts of a month, and what each centre can lend today."""

from __future__ import annotations

import datetime as dt
import functools

from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madoguchi.community import selectors
from madoguchi.community.models import Daypart
from madoguchi.community.views._common import districts_ordered
from madoguchi.core.dates import wareki_year
from madoguchi.organisation.models import District


def _district_param(request) -> District | None:
    raw = request.GET.get("district", "").strip()
    if not raw.isdigit():
        return None
    return District.objects.filter(pk=int(raw)).select_related("centre").first()


def _district_among(request, districts: list[District]) -> District | None:
    """The district chosen (``?district=``) out of the picker's list (no query)."""
    raw = request.GET.get("district", "").strip()
    return next((d for d in districts if raw.isdigit() and d.pk == int(raw)), None)


def _month_param(request) -> tuple[int, int, str]:
    today = timezone.localdate()
    raw = request.GET.get("month", "").strip()
    if raw:
        try:
            year, month = (int(part) for part in raw.split("-"))
            dt.date(year, month, 1)
            return year, month, ""
        except ValueError:
            return today.year, today.month, _(
                "月は 2027-01 の形で指定してください。今月を表示しています。")
    return today.year, today.month, ""


@require_GET
def index(request):
    return render(request, "community/index.html", {"districts": districts_ordered()})


def _rows_html(rows) -> str:
    """A room's month as table rows, each cell built once per distinct cell (a month of
    several rooms is over a thousand cells: too many template nodes for the page's
    budget of 100 ms). Every text is escaped by ``format_html``."""
    return mark_safe("".join(  # noqa: S308 - built by format_html
        format_html('<tr><th scope="row">{}</th>', label)
        + "".join(_cell_html(cell) for cell in cells) + "</tr>"
        for _day, label, cells in rows))


@functools.lru_cache(maxsize=256)
def _cell_html(cell) -> str:
    return format_html('<td class="slot slot--{}">{}</td>', cell.state, cell.label)


@require_GET
def rooms(request):
    """A district's rooms with the free dayparts of a month (public: no names). Five
    queries: the districts, the rooms, their bookings, their openings and exceptions, the
    ward's closed days (bench/community.py measures it)."""
    districts = list(districts_ordered())
    district = _district_among(request, districts)
    year, month, error = _month_param(request)
    months = None
    if district is not None:
        months = [(entry.room, _rows_html(entry.rows))
                  for entry in selectors.availability(rooms=selectors.district_rooms(district),
                                                      year=year, month=month)]
    first = dt.date(year, month, 1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(request, "community/rooms.html", {
        "districts": districts, "district": district, "months": months, "error": error,
        "month_label": _("%(year)s%(month)d月") % {
            "year": wareki_year(first) if get_language() == "ja" else first.year,
            "month": first.month},
        "next_month": f"{following.year}-{following.month:02d}",
        "dayparts": Daypart.choices,
    })


@require_GET
def equipment(request):
    """What each centre can lend today (public: counts only)."""
    district = _district_param(request)
    centre = getattr(district, "centre", None) if district is not None else None
    today = timezone.localdate()
    rows = selectors.centre_availability(centre=centre, day=today) if centre else None
    return render(request, "community/equipment.html", {
        "districts": districts_ordered(), "district": district, "centre": centre, "rows": rows,
        "today": today})
