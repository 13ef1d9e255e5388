"""Staff views of bookings: the centre's day board, a section's week, one's own agenda.

The role gate is ``policy_required``; which centre or section is the selectors' business
(404 outside the user's scope). Pages that show residents' names are not cached.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.scheduling import selectors


def source_of(request) -> str:
    return request.resolver_match.view_name


def _date_param(request, name: str) -> tuple[dt.date, str]:
    """The date in ``?name=YYYY-MM-DD`` (today when absent) and an error message."""
    today = timezone.localdate()
    raw = request.GET.get(name, "").strip()
    if not raw:
        return today, ""
    try:
        return dt.date.fromisoformat(raw), ""
    except ValueError:
        return today, _("日付は 2026-06-01 の形で指定してください。今日の予定を表示しています。")


@require_GET
@policy_required(Action.BOARD_VIEW)
def board(request):
    """The user's own centre's board (the first, if they staff more than one)."""
    centres = selectors.own_centres(request.user)
    if not centres:
        raise Http404
    district = centres[0].district
    return redirect("scheduling:day_board", region=district.region.code,
                    district=district.code)


@never_cache
@require_GET
@policy_required(Action.BOARD_VIEW)
def day_board(request, region: str, district: str):
    centres = selectors.own_centres(request.user)
    centre = selectors.board_centre(user=request.user, region=region, district=district,
                                    centres=centres)
    day, error = _date_param(request, "date")
    data = selectors.day_board(user=request.user, centre=centre, day=day,
                               source=source_of(request))
    return render(request, "scheduling/day_board.html", {
        "board": data, "day": day, "error": error, "today": timezone.localdate(),
        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
        "other_centres": [c for c in centres if c.pk != centre.pk],
    })


@require_GET
@policy_required(Action.SECTION_CALENDAR_VIEW)
def calendar(request):
    sections = selectors.calendar_sections(request.user)
    if not sections:
        raise Http404
    return redirect("scheduling:section_calendar", pk=sections[0].pk)


@never_cache
@require_GET
@policy_required(Action.SECTION_CALENDAR_VIEW)
def section_calendar(request, pk: int):
    section = selectors.calendar_section(user=request.user, section_id=pk)
    day, error = _date_param(request, "week")
    monday = selectors.week_start(day)
    days = selectors.section_week(user=request.user, section=section, monday=monday,
                                  source=source_of(request))
    return render(request, "scheduling/section_calendar.html", {
        "section": section, "days": days, "monday": monday,
        "sunday": monday + dt.timedelta(days=6), "error": error,
        "previous": monday - dt.timedelta(days=7), "next": monday + dt.timedelta(days=7),
        "count": sum(1 for d in days for r in d.rows if r.status == "booked"),
        "other_sections": [s for s in selectors.calendar_sections(request.user)
                           if s.pk != section.pk],
    })


@never_cache
@require_GET
@policy_required(Action.AGENDA_VIEW)
def agenda(request):
    data = selectors.agenda(user=request.user, source=source_of(request))
    return render(request, "scheduling/agenda.html", {"agenda": data})
