"""The record-level probe (issue 12): every staff role of the matrix (池尻 and 世田谷's
units) and an anonymous visitor against another unit's records — a 松原 (北沢) resident,
their consultation, its booking and video room, a document in the record, a 児童手当
application decided by 北沢's section and its notice — by page and by API. A leak is an
answer that hands the record out: a success, a redirect anywhere but a login page, or a
body that names the resident or the guest. Refused staff leave an ``denied`` audit entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.audit.models import Action as AuditAction
from madoguchi.audit.models import AuditEntry
from madoguchi.consultations.models import Status
from madoguchi.organisation.models import District
from madoguchi.scheduling.models import Booking, BookingStatus
from tests.applications.conftest import PDF
from tests.conftest import ROLE_UNITS
from tests.helpers import login

pytestmark = pytest.mark.django_db

RESIDENT_NAME = "松原 三郎"
GUEST_NAME = "北沢 来客"
APPLICANT_NAME = "松原 花子"
LOGIN_PATHS = ("/accounts/login/", "/portal/login/")


@dataclass(frozen=True)
class Probe:
    kind: str  # resident, consultation, booking, application, file, notice
    channel: str  # page or api
    name: str
    kwargs: dict
    method: str = "get"
    body: dict | None = None


@pytest.fixture
def elsewhere(make_staff, settings, tmp_path):
    """松原's records, made by 松原's centre and 北沢's sections."""
    from django.core.management import call_command

    from madoguchi.applications.models import Delivery
    from madoguchi.applications.services.notices import notice_create
    from madoguchi.consultations import documents, services
    from madoguchi.consultations.models import DocumentPlace
    from madoguchi.consultations.setup import load_consultation_setup
    from madoguchi.meetings import services as meetings
    from madoguchi.people import services as people
    from madoguchi.portal.models import Level, Method, PortalIdentity
    from madoguchi.scheduling.selectors import find_slots
    from tests.applications.conftest import staff_actor
    from tests.applications.review_support import decided, jido_answers, receive_jido

    settings.FILES_DIR = str(tmp_path / "files")
    call_command("load_procedures", verbosity=0)
    load_consultation_setup()
    desk = make_staff(Role.DISTRICT_STAFF, "kitazawa/matsubara/machizukuri-center", "mb-desk")
    caseworker = make_staff(Role.SECTION_STAFF, "kitazawa/hoken-fukushi", "kz-hoken")
    kodomo = make_staff(Role.SECTION_STAFF, "kitazawa/kodomo-katei", "kz-kodomo")
    family, given = RESIDENT_NAME.split()
    resident = people.resident_create(by=desk, source="test", data={
        "family_name": family, "given_name": given, "family_name_kana": "マツバラ",
        "given_name_kana": "サブロウ", "birth_date": "1948-03-03", "address": "世田谷区松原",
        "region": "kitazawa", "district": "matsubara"})
    consultation = services.consultation_intake(
        by=desk, resident=resident, source="test",
        data={"worry": "介護の相談", "category": "elderly", "consent_online": True,
              "consent_share": True})
    consultation = services.consultation_route(by=desk, consultation=consultation,
                                               section=consultation.proposed_section,
                                               source="test")
    slot = find_slots(section=consultation.section, centre=consultation.centre, limit=1)[0]
    consultation = services.consultation_book(
        by=desk, consultation=consultation, start=slot.start, staff=caseworker,
        guests=[{"name": GUEST_NAME}], source="test")
    booking = consultation.booking
    room = meetings.room_for_booking(booking=booking)
    document = documents.document_add(consultation=consultation, data=PDF, name="memo.pdf",
                                      by=desk, place=DocumentPlace.RECORD, source="test")
    identity = PortalIdentity.objects.create(
        method=Method.OIDC, level=Level.STRONG, issuer="https://idp.example.jp",
        subject="matsubara-1", display_name=APPLICANT_NAME)
    family, given = APPLICANT_NAME.split()
    application = receive_jido(
        identity, District.objects.get(region__code="kitazawa", code="matsubara"),
        key="probe-0001", applicant={**jido_answers()["applicant"], "family": family,
                                     "given": given})
    application = decided(application, kodomo)
    notice = notice_create(actor=staff_actor(kodomo, "review:notice_create"),
                           application=application, delivery=Delivery.POST, reasons="",
                           origin="http://testserver")
    attachment = application.attachments.first()
    free = find_slots(section=consultation.section, centre=consultation.centre, limit=1,
                      start_from=timezone.localtime(slot.start).date()
                      + dt.timedelta(days=1))[0]
    return {"free_start": free.start.isoformat(), "resident": resident,
            "consultation": consultation, "booking": booking, "room": room,
            "document": document, "application": application, "attachment": attachment,
            "notice": notice}


def probes(world) -> list[Probe]:
    resident = {"public_id": world["resident"].public_id}
    consultation = {"public_id": world["consultation"].public_id}
    booking = {"public_id": world["booking"].public_id}
    room = {"public_id": world["room"].public_id}
    application = {"public_id": world["application"].public_id}
    notice = {"notice_id": world["notice"].public_id}
    reason = {"reason": "probe"}
    return [
        Probe("resident", "page", "people:detail", resident),
        Probe("resident", "page", "people:edit", resident),
        Probe("resident", "page", "assist:choose", resident),
        Probe("resident", "api", "api:resident_detail", resident),
        *(Probe("consultation", "page", f"consultations:{page}", consultation)
          for page in ("detail", "route", "book", "reschedule", "cancel", "outcome")),
        Probe("consultation", "page", "consultations:cancel", consultation, "post", reason),
        Probe("consultation", "api", "api:consultation_detail", consultation),
        Probe("booking", "page", "meetings:booking_room", booking),
        Probe("booking", "page", "meetings:room", room),
        Probe("booking", "page", "meetings:recordings", room),
        Probe("booking", "api", "api:booking_detail", booking),
        Probe("booking", "api", "api:booking_cancel", booking, "post", reason),
        # Taking 松原's booth for 北沢's section: refused before the slot is even looked at.
        Probe("booking", "api", "api:booking_create", {}, "post", {
            "section": "kitazawa/hoken-fukushi", "centre": "kitazawa/matsubara",
            "start": world["free_start"]}),
        Probe("application", "page", "review:detail", application),
        Probe("application", "page", "assist:form", application),
        Probe("application", "page", "assist:receipt", application),
        Probe("application", "api", "api:application_detail", application),
        Probe("file", "page", "consultations:document_download",
              {**consultation, "file_id": world["document"].file.public_id}),
        Probe("file", "page", "review:attachment",
              {**application, "attachment_id": world["attachment"].pk}),
        Probe("notice", "page", "review:notice_file", notice),
        Probe("notice", "page", "review:printed", notice, "post", {}),
        Probe("notice", "page", "notices:portal_file", {"public_id": world["notice"].public_id}),
    ]


def send(client: Client, probe: Probe):
    path = reverse(probe.name, kwargs=probe.kwargs or None)
    if probe.method == "get":
        return client.get(path)
    if probe.channel == "api":
        return client.post(path, probe.body or {}, content_type="application/json")
    return client.post(path, probe.body or {})


def leaked(response) -> bool:
    if 300 <= response.status_code < 400:
        return not response["Location"].startswith(LOGIN_PATHS)
    if 200 <= response.status_code < 300:
        return True
    body = b"" if getattr(response, "streaming", False) else response.content
    text = body.decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        text = text.encode().decode("unicode_escape", errors="replace")
    return any(name in text for name in (RESIDENT_NAME, GUEST_NAME, APPLICANT_NAME))


def test_no_role_reaches_another_units_records(elsewhere, make_staff, capsys):
    staff = {role: make_staff(role, unit) for role, unit in ROLE_UNITS.items()}
    clients = {"anonymous": Client(), **{r: login(Client(), u) for r, u in staff.items()}}
    attempts, leaks, by_kind = 0, [], {}
    for probe in probes(elsewhere):
        for role, client in clients.items():
            response = send(client, probe)
            attempts += 1
            tally = by_kind.setdefault(f"{probe.kind}/{probe.channel}", [0, 0])
            tally[0] += 1
            if leaked(response):
                tally[1] += 1
                leaks.append(f"{role:16} {probe.method.upper():4} {probe.name}: "
                             f"{response.status_code}")
    denied = AuditEntry.objects.filter(action=AuditAction.DENIED,
                                       actor__in=staff.values()).count()
    with capsys.disabled():
        print(f"\nrecord-level probe: {attempts} attempts, {len(leaks)} leaks, "
              f"{denied} denied entries; leaks/attempts: "
              + ", ".join(f"{k} {n}/{a}" for k, (a, n) in sorted(by_kind.items())))
    assert not leaks, "\n".join(leaks)
    assert not Booking.objects.filter(created_by__in=staff.values()).exists()
    elsewhere["booking"].refresh_from_db()
    elsewhere["consultation"].refresh_from_db()
    assert elsewhere["booking"].status == BookingStatus.BOOKED
    assert elsewhere["consultation"].status == Status.BOOKED
    # Every staff member was refused something and each refusal of a record is on the
    # trail (at most one entry per actor, record and minute).
    for user in staff.values():
        refused = set(AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED)
                      .values_list("record_id", flat=True))
        assert str(elsewhere["consultation"].public_id) in refused, user.username
        assert str(elsewhere["booking"].public_id) in refused, user.username
