"""The public pages (no login): calendar (list and month, ward-wide and per district),
an event with its registration form, the personal cancel page, ICS and RSS/Atom feeds."""

from __future__ import annotations

import datetime as dt
import urllib.parse
import uuid

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from madoguchi.core.dates import wareki
from madoguchi.core.language import english_or, in_english
from madoguchi.core.paging import offset_page
from madoguchi.notifications.ical import TOKYO
from madoguchi.organisation.models import District
from madoguchi.participation import checkin, selectors, services
from madoguchi.participation.forms import RegistrationForm
from madoguchi.participation.ical import calendar as ics_calendar
from madoguchi.participation.ical import location
from madoguchi.participation.messages import sessions
from madoguchi.participation.models import Event, Mode, RegStatus
from madoguchi.participation.views._links import cancel_base

PER_PAGE = 30


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        dt.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year, month = today.year, today.month
    return year, month


def _district(request, region: str | None, code: str | None) -> District | None:
    if region and code:
        return get_object_or_404(District, region__code=region, code=code)
    key = request.GET.get("district", "")
    if "/" in key:
        region, _sep, code = key.partition("/")
        return District.objects.filter(region__code=region, code=code).first()
    return None


def calendar(request, region: str | None = None, code: str | None = None):
    district = _district(request, region, code)
    kind = request.GET.get("kind", "")[:40]
    online = request.GET.get("online") == "1"
    view = "month" if request.GET.get("view") == "month" else "list"
    year, month = _month(request)
    first = dt.date(year, month, 1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    filters = selectors.Filters(district_id=district.pk if district else None, kind_code=kind,
                                online=online)
    context = {
        "district": district, "kind": kind, "online": online, "view": view,
        "month_label": english_or(wareki(first).removesuffix("1日"), f"{first:%B %Y}"),
        "first": first,
        "month_value": f"{year:04d}-{month:02d}",
        "previous": f"{previous:%Y-%m}", "following": f"{following:%Y-%m}",
        "kinds": selectors.kinds(),
        # The event pages' address without the id: one reverse, not one per link.
        "event_base": reverse("events:event", kwargs={"event": uuid.UUID(int=0)})
        .removesuffix(f"{uuid.UUID(int=0)}/"),
        "weekday_heads": english_or(list("日月火水木金土"),
                                    ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]),
        "districts": District.objects.select_related("region").order_by(
            "region__sort_order", "sort_order"),
    }
    if view == "month":
        context["weeks"] = selectors.month_grid(filters, year, month)
        query = {"month": f"{year:04d}-{month:02d}", "kind": kind,
                 "district": f"{district.region.code}/{district.code}" if district else ""}
        context["more_query"] = "?" + urllib.parse.urlencode(
            {name: value for name, value in query.items() if value})
        context["off_text"] = _("休み")
    else:
        today = timezone.localdate()
        start = max(first, today) if not request.GET.get("month") else first
        found = selectors.public_list(selectors.Filters(
            district_id=filters.district_id, kind_code=kind, online=online, start=start,
            end=following))
        context["pager"] = offset_page(found, request.GET, size=PER_PAGE)
    return render(request, "participation/public/calendar.html", context)


def _event_or_404(event) -> Event:
    found = selectors.public_event(event)
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
def event_page(request, event):
    event = _event_or_404(event)
    form = RegistrationForm(request.POST or None,
                            hybrid=event.is_hybrid)
    open_now = timezone.now() <= event.registration_deadline
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = services.register(
                event=event, name=data["name"], email=data["email"], phone=data["phone"],
                people=data["people"], needs=data["needs"], link_base=cancel_base(request),
                online_choice=data.get("online", False),
                language="en" if in_english() else "ja")
        except services.ParticipationError as error:
            form.add_service_errors(error)
        else:
            return render(request, "participation/public/registered.html",
                          {"event": event, "registration": done.registration,
                           "statuses": RegStatus, **_pass(request, done.registration)})
    status = 400 if request.method == "POST" else 200
    return render(request, "participation/public/event.html", {
        "event": event, "form": form, "open_now": open_now, "sessions": sessions(event),
        "where": location(event), "lottery": event.mode == Mode.LOTTERY,
        "deadline": timezone.localtime(event.registration_deadline, TOKYO),
    }, status=status)


def _pass(request, registration) -> dict:
    """The check-in pass of a confirmed registration, for the page (ADR 0060)."""
    if registration.status != RegStatus.CONFIRMED:
        return {}
    url = checkin.pass_url(checkin.issue(registration), origin=request.build_absolute_uri("/"))
    return {"pass_url": url, "qr": checkin.qr_svg(url)}


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    registration = services.registration_by_secret(token)
    if registration is None:
        return render(request, "participation/public/cancel.html", {"gone": True}, status=404)
    if request.method == "POST":
        services.cancel(registration=registration, link_base=cancel_base(request))
        return render(request, "participation/public/cancel.html",
                      {"done": True, "event": registration.event})
    return render(request, "participation/public/cancel.html",
                  {"registration": registration, "event": registration.event})


def ics_feed(request):
    district = _district(request, None, None)
    kind = request.GET.get("kind", "")[:40]
    today = timezone.localdate()
    found = selectors.public_list(selectors.Filters(
        district_id=district.pk if district else None, kind_code=kind,
        start=today - dt.timedelta(days=31), end=today + dt.timedelta(days=366))
    ).filter(state="held")[:5000]
    name = _("世田谷区のイベント")
    if district:
        name = _("%(district)s地区のイベント") % {"district": district.name}
    body = ics_calendar(((item.event, item) for item in found), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


class EventsFeed(Feed):
    title = gettext_lazy("世田谷区 イベント・講座")
    description = gettext_lazy("まちづくりセンターと区のイベント・講座の新着")

    def get_object(self, request):
        self.district = _district(request, None, None)
        return None

    def link(self):
        return reverse("events:calendar")

    def items(self):
        found = selectors.public_list(selectors.Filters(
            district_id=self.district.pk if self.district else None,
            start=timezone.localdate()))
        return found.filter(state="held")[:50]

    def item_title(self, item):
        start = timezone.localtime(item.start, TOKYO)
        return f"{item.event.title}（{wareki(start, weekday=True)} {start:%H:%M}）"

    def item_description(self, item):
        return item.event.description_easy or item.event.description

    def item_link(self, item):
        return reverse("events:event", kwargs={"event": item.event.public_id}) + (
            f"#s{item.number}")

    def item_pubdate(self, item):
        return item.event.updated_at


class AtomFeed(EventsFeed):
    feed_type = Atom1Feed
    subtitle = EventsFeed.description
