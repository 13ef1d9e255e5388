"""The residents' booking pages (ADR 0049): choose the district, topic and place; log in
at the section's identity level; choose a free slot and book; see, move or cancel one's
own booking from the portal or the link in the confirmation mail. No personal data in
URLs: the district, topic and place are codes, a booking is named by its public id (only
its owner's login opens it) or by the manage link's token."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.core.dates import day_text
from madoguchi.organisation.models import Section
from madoguchi.portal import session as portal_session
from madoguchi.portal.access import login_url, portal_identity_required
from madoguchi.portal.models import Level
from madoguchi.scheduling.errors import BookingRejected, SlotUnavailable
from madoguchi.selfbook import selectors, services
from madoguchi.selfbook.forms import BookForm, MoveForm, StartForm
from madoguchi.selfbook.models import Level as SectionLevel

SCHEDULING_ERRORS = (BookingRejected, SlotUnavailable)


def _slot_label(start: dt.datetime, end: dt.datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{day_text(start, weekday=True)} {start:%H:%M}–{end:%H:%M}"


def _choices(slots) -> list[tuple[str, str]]:
    return [(slot.start.isoformat(), _slot_label(slot.start, slot.end)) for slot in slots]


def _origin(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _later(request, slots) -> str:
    """The query of this page for the slots after the last one shown."""
    if not slots:
        return ""
    query = request.GET.copy()
    query["from"] = (timezone.localtime(slots[-1].start).date()
                     + dt.timedelta(days=1)).isoformat()
    return query.urlencode()


def _from_date(request) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return None
    return day if day >= timezone.localdate() else None


@never_cache
@require_http_methods(["GET"])
def start(request):
    """Step 1 (no login): where the resident lives, what about, from where."""
    form = StartForm(request.GET if "topic" in request.GET else None,
                     initial={"district": request.GET.get("district") or ""},
                     districts=selectors.districts(), topics=selectors.topics())
    if form.is_bound and form.is_valid():
        district = selectors.district_by_id(str(form.cleaned_data["district"]))
        offer = selectors.offer(district=district, topic=form.cleaned_data["topic"]) \
            if district else None
        if offer is not None:
            query = urlencode({"district": district.pk, "topic": offer.topic,
                               "place": form.cleaned_data["place"]})
            return redirect(f"{reverse('selfbook:book')}?{query}")
        form.add_error("topic", _("この内容のご相談は、お住まいの地区ではまだオンラインで予約でき"
                                  "ません。お近くのまちづくりセンターにお電話ください。"))
    return render(request, "selfbook/start.html", {
        "form": form, "portal_login": portal_session.current(request)})


def _offer_from(request):
    district = selectors.district_by_id(request.GET.get("district"))
    offer = selectors.offer(district=district, topic=request.GET.get("topic", "")) \
        if district else None
    if offer is None:
        raise Http404
    return offer, request.GET.get("place") == "booth"


@never_cache
@require_http_methods(["GET", "POST"])
def book(request):
    """Step 2: log in at the section's level, choose a slot, give details and consent."""
    offer, at_booth = _offer_from(request)
    login = portal_session.current(request)
    if login is None or not login.satisfies(offer.level):
        back = request.get_full_path() if request.method == "GET" else ""
        return redirect(login_url(offer.level, back))
    problem = ""
    data = request.POST if request.method == "POST" else None
    slots = selectors.slots(offer, remote=not at_booth, start_from=_from_date(request))
    initial = {"idempotency_key": uuid.uuid4().hex, "email": login.identity.email}
    form = BookForm(data, slots=_choices(slots), initial=initial)
    if data is not None and form.is_valid():
        try:
            booked = services.book(identity=login.identity, level=login.level, offer=offer,
                                   data={**form.cleaned_data,
                                         "place": "booth" if at_booth else "home"},
                                   origin=_origin(request), source="selfbook:book")
        except ValidationError as error:
            form.add_service_errors(error)
        except SCHEDULING_ERRORS as error:
            problem = str(getattr(error, "message", "") or error)
            slots = selectors.slots(offer, remote=not at_booth)
            form.fields["start"].widget.choices = _choices(slots)
        except PermissionDenied as error:
            problem = str(error)
        else:
            if not booked.repeated:
                messages.success(request, _("予約しました。確認のメールをお送りします。"))
            return redirect("selfbook:detail", public_id=booked.booking.public_id)
    return render(request, "selfbook/book.html", {
        "form": form, "offer": offer, "at_booth": at_booth, "slots": slots,
        "problem": problem, "portal_login": login, "later_query": _later(request, slots),
        "idempotency_key": form.data.get("idempotency_key") if form.is_bound
        else initial["idempotency_key"],
    })


@never_cache
@require_http_methods(["GET"])
@portal_identity_required(Level.EMAIL)
def mine(request):
    rows = selectors.own_bookings(identity=request.portal_login.identity,
                                  source="selfbook:mine")
    return render(request, "selfbook/mine.html", {"rows": rows,
                                                  "portal_login": request.portal_login})


def _manage(request, row, *, source: str, here: str):
    """The booking, and its move and cancel forms (one page for the login and the link)."""
    booking = row.consultation.booking
    is_open = booking is not None and booking.status == "booked"
    problem = ""
    slots = []
    form = MoveForm(None)
    if is_open:
        slots = selectors.slots(selectors.Offer(
            district=row.consultation.centre.district, topic=row.consultation.category,
            section=row.consultation.section, centre=row.consultation.centre, level=""),
            remote=booking.booth_id is None, start_from=_from_date(request))
        form = MoveForm(request.POST if request.POST.get("step") == "move" else None,
                        slots=_choices(slots))
    if request.method == "POST":
        try:
            if request.POST.get("step") == "cancel":
                services.cancel(row=row, source=source)
                messages.success(request, _("予約を取り消しました。確認のメールをお送りします。"))
                return redirect(here)
            if request.POST.get("step") == "move" and is_open:
                services.move(row=row, start_value=request.POST.get("start"),
                              origin=_origin(request), source=source)
                messages.success(request,
                                 _("予約の日時を変更しました。確認のメールをお送りします。"))
                return redirect(here)
        except ValidationError as error:
            form.add_service_errors(error)
        except SCHEDULING_ERRORS as error:
            problem = str(getattr(error, "message", "") or error)
    return render(request, "selfbook/detail.html", {
        "row": row, "booking": booking, "is_open": is_open, "form": form, "slots": slots,
        "problem": problem, "portal_login": portal_session.current(request),
        "later_query": _later(request, slots)})


@never_cache
@require_http_methods(["GET", "POST"])
@portal_identity_required(Level.EMAIL)
def detail(request, public_id):
    row = selectors.own_booking(identity=request.portal_login.identity,
                                public_id=str(public_id), source="selfbook:detail")
    return _manage(request, row, source="selfbook:detail",
                   here=reverse("selfbook:detail", kwargs={"public_id": row.public_id}))


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    row = selectors.booking_by_token(token=token, source="selfbook:manage")
    return _manage(request, row, source="selfbook:manage", here=request.path)


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.ROUTING_EDIT)
def settings_page(request):
    """The sections' self-booking setting (the routing table's administrators)."""
    error = ""
    if request.method == "POST":
        section = Section.objects.filter(pk=request.POST.get("section") or 0,
                                         is_active=True).first()
        if section is None:
            error = _("課・機関を一覧から選んでください。")
        else:
            try:
                services.setting_save(by=request.user, section=section,
                                      enabled=request.POST.get("enabled") == "1",
                                      level=request.POST.get("level", ""))
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                messages.success(request, _("%(section)sの設定を保存しました。")
                                 % {"section": section.label})
                return redirect("selfbook:settings")
    return render(request, "selfbook/settings.html", {
        "rows": selectors.setting_rows(), "levels": SectionLevel.choices, "error": error})
