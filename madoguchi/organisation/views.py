"""Staff pages that show the organisation (every logged-in staff member, Action.ORG_VIEW)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.organisation import district_page, selectors
from madoguchi.organisation.models import Tier

UPCOMING_EXCEPTIONS = 5


def _context(request, **extra):
    return {"can_edit": can(request.user, Action.ORG_EDIT), **extra}


@policy_required(Action.ORG_VIEW)
def overview(request):
    today = timezone.localdate()
    upcoming = list(selectors.calendar_exceptions(since=today)[:UPCOMING_EXCEPTIONS])
    return render(request, "organisation/overview.html", _context(
        request, regions=selectors.organisation_overview(), upcoming_exceptions=upcoming))


@policy_required(Action.ORG_VIEW)
def district_detail(request, region: str, code: str):
    district = selectors.district_get(region, code)
    if district is None:
        raise Http404(_("地区が見つかりません。"))
    centre = getattr(district, "centre", None)
    local = selectors.district_sections(district)
    branch = selectors.section_list(region=district.region, tier=Tier.BRANCH)
    return render(request, "organisation/district_detail.html", _context(
        request, district=district, centre=centre,
        booths=list(centre.booths.all()) if centre else [],
        local_sections=local, branch_sections=list(branch),
        added_sections=district_page.sections(request, district)))


@policy_required(Action.ORG_VIEW)
def sections(request):
    return render(request, "organisation/sections.html", _context(
        request, tiers=selectors.sections_by_tier(),
        kinds=list(selectors.section_kind_list())))


@policy_required(Action.ORG_VIEW)
def calendar(request):
    today = timezone.localdate()
    rows = list(selectors.calendar_exceptions())
    return render(request, "organisation/calendar.html", _context(
        request, upcoming=[row for row in rows if row.date >= today],
        past=[row for row in rows if row.date < today][::-1]))
