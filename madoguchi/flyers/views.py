"""The district's page for newcomers and its flyer (public), and the staff's list.

Public, no login: ``districts/<region>/<district>/welcome/`` (the page the flyer's first QR
code opens: the centre, its hours, what it does, where to go next, the flyer to download)
and the flyer as PDF on A4 or A5. Staff: every district's flyer on one page, to print, and
the counter panel's picker (``print``: the chosen district's flyer, ADR 0057).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.counter.selectors import centre_services
from madoguchi.documents.errors import DocumentError
from madoguchi.documents.flyer import PAPERS, render_district_flyer
from madoguchi.flyers import selectors
from madoguchi.organisation.codes import split_district_key
from madoguchi.organisation.contact import centre_contact
from madoguchi.organisation.models import SectionKind


def _addresses(request, region: str, district: str) -> selectors.Addresses:
    return selectors.Addresses(
        district_page=request.build_absolute_uri(
            reverse("flyers:district", kwargs={"region": region, "district": district})),
        guide_page=request.build_absolute_uri(reverse("guidance:guide")))


@require_GET
def district(request, region: str, district: str):
    found, centre = selectors.district_with_centre(region, district)
    kind = SectionKind.objects.filter(code=selectors.CENTRE_KIND).first()
    return render(request, "flyers/district.html", {
        "district": found, "centre": centre, "contact": centre_contact(centre),
        "hours": selectors.hours_text(centre), "about": kind.handles_label if kind else "",
        "services": centre_services(centre.pk), "papers": list(PAPERS),
        "line_url": (settings.LINE_ACCOUNT_URL or "").strip(),
        "region_code": region, "district_code": district})


def _refused(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_GET
def pdf(request, region: str, district: str, paper: str):
    if paper not in PAPERS:
        return _refused(_("用紙はA4かA5にしてください。"), 404)
    return _flyer(request, region, district, paper)


@require_GET
@policy_required(Action.ORG_VIEW)
def print_flyer(request):
    """The picker of the counter's panel (``flyers.desk``): ``?district=region/district``
    and ``paper`` answer the district's flyer itself, in the one request a form can make
    (its path cannot name the chosen district)."""
    key = split_district_key(request.GET.get("district"))
    if key is None:
        return _refused(_("地区を選んでください。"), 400)
    paper = request.GET.get("paper") or "a4"
    if paper not in PAPERS:
        return _refused(_("用紙はA4かA5にしてください。"), 400)
    return _flyer(request, key[0], key[1], paper)


def _flyer(request, region: str, district: str, paper: str) -> HttpResponse:
    found, centre = selectors.district_with_centre(region, district)
    addresses = _addresses(request, region, district)
    with translation.override("ja"):  # a printed document is Japanese (ADR 0016)
        content = selectors.flyer_content(found, centre, addresses)
        try:
            data = render_district_flyer(content, paper=paper)
        except DocumentError as refused:
            return _refused(str(refused), 500)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="flyer-{region}-{district}-{paper}.pdf"')
    return response


@policy_required(Action.ORG_VIEW)
def index(request):
    return render(request, "flyers/index.html", {
        "regions": selectors.directory(), "papers": list(PAPERS)})
