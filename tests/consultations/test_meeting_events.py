"""Video call events on the consultation timeline (published by meetings as booking events
through the event registry, recorded by the consultation's subscriber) and the way into the
call from the record page."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from madoguchi.consultations import services
from madoguchi.consultations.models import ConsultationEvent, Status
from madoguchi.core import events
from madoguchi.core.events import BookingEvent
from madoguchi.organisation.models import DistrictCentre, Section
from madoguchi.scheduling import services as scheduling
from tests.helpers import login
from tests.scheduling.conftest import at, open_day

pytestmark = pytest.mark.django_db

MEETING_KINDS = ["meeting_join", "meeting_admit", "meeting_refuse", "meeting_remove",
                 "meeting_leave", "meeting_end"]


def publish(*, booking_id: int, kind: str, actor=None, participant_kind: str = "") -> None:
    events.publish(BookingEvent(kind=kind, booking_id=booking_id, actor=actor,
                                participant_kind=participant_kind))


def meeting_events(consultation) -> list[ConsultationEvent]:
    return list(ConsultationEvent.objects.filter(consultation=consultation,
                                                 kind__in=MEETING_KINDS))


def detail(client, consultation) -> str:
    return client.get(reverse("consultations:detail",
                              kwargs={"public_id": consultation.public_id})).content.decode()


def test_meeting_events_are_appended_with_their_labels_and_change_nothing_else(
        booked, staff, client):
    before = (booked.status, booked.section_id, booked.booking_id)
    host = staff["hoken"]
    booking_id = booked.booking_id
    publish(booking_id=booking_id, kind="meeting_join", actor=host)
    publish(booking_id=booking_id, kind="meeting_join", participant_kind="resident")
    publish(booking_id=booking_id, kind="meeting_admit", actor=host, participant_kind="resident")
    publish(booking_id=booking_id, kind="meeting_refuse", actor=host, participant_kind="guest")
    publish(booking_id=booking_id, kind="meeting_remove", actor=host, participant_kind="guest")
    publish(booking_id=booking_id, kind="meeting_leave", participant_kind="guest")
    publish(booking_id=booking_id, kind="meeting_end", actor=host)
    booked.refresh_from_db()
    assert (booked.status, booked.section_id, booked.booking_id) == before
    events = meeting_events(booked)
    assert [e.kind for e in events] == ["meeting_join", "meeting_join", "meeting_admit",
                                        "meeting_refuse", "meeting_remove", "meeting_leave",
                                        "meeting_end"]
    assert {(e.from_status, e.to_status) for e in events} == {(Status.BOOKED, Status.BOOKED)}
    assert {e.booking_id for e in events} == {booked.booking_id}

    login(client, host)
    html = detail(client, booked)
    for label in ("ビデオ通話に参加", "入室を許可（区民）", "入室を断った（外部の参加者）",
                  "退出させた（外部の参加者）", "退出", "通話を終了"):
        assert label in html
    assert "meeting_" not in html
    # Without a staff login the resident or outside participant is named by kind only.
    assert "<td>区民</td>" in html and "<td>外部の参加者</td>" in html

    api = client.get(f"/api/v1/consultations/{booked.public_id}").json()
    actors = [e["actor"] for e in api["timeline"] if e["kind"] in MEETING_KINDS]
    assert actors == ["hoken-1", "区民", "hoken-1", "hoken-1", "hoken-1", "外部の参加者",
                      "hoken-1"]


def test_no_event_for_a_booking_without_consultation(staff):
    booking = scheduling.booking_create(
        section=Section.objects.get(code="setagaya/hoken-fukushi"),
        centre=DistrictCentre.objects.get(district__region__code="setagaya",
                                          district__code="ikejiri"),
        staff=staff["hoken"], start=at(open_day(), 11), title="相談なしの予約",
        by=staff["centre"])
    publish(booking_id=booking.pk, kind="meeting_end", actor=staff["hoken"])
    assert not ConsultationEvent.objects.filter(kind__in=MEETING_KINDS).exists()


@pytest.mark.parametrize("kwargs", [
    {"kind": "book", "actor": "hoken"},                       # not a video call event
    {"kind": "meeting_join"},                                 # nobody acted
    {"kind": "meeting_join", "participant_kind": "staff"},    # staff act with their login
    {"kind": "meeting_join", "participant_kind": "mayor"},    # no such kind
])
def test_refused_meeting_events(booked, staff, kwargs):
    if "actor" in kwargs:
        kwargs = {**kwargs, "actor": staff[kwargs["actor"]]}
    with pytest.raises(ValueError):
        publish(booking_id=booked.booking_id, **kwargs)
    assert meeting_events(booked) == []


def test_the_database_wants_an_actor_or_a_link_participant(booked):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationEvent.objects.create(consultation=booked, at=booked.received_at,
                                         actor=None, kind="meeting_join",
                                         participant_kind="staff")


def test_the_record_page_offers_the_call_to_those_who_may_enter(booked, staff, client):
    room_url = reverse("meetings:booking_room",
                       kwargs={"public_id": booked.booking.public_id})
    for name, offered in [("hoken", True), ("manager", True), ("centre", False),
                          ("kazei", False)]:
        client.logout()
        login(client, staff[name])
        response = client.get(reverse("consultations:detail",
                                      kwargs={"public_id": booked.public_id}))
        if response.status_code != 200:
            assert not offered
            continue
        html = response.content.decode()
        assert (room_url in html) is offered, name
        assert ("ビデオ通話に入る" in html) is offered, name
    # The button leads into the room.
    client.logout()
    login(client, staff["hoken"])
    assert client.get(room_url).status_code == 302


def test_no_call_button_once_the_consultation_is_cancelled(booked, staff, client):
    services.consultation_cancel(by=staff["centre"], consultation=booked, reason="都合により",
                                 source="tests")
    login(client, staff["hoken"])
    assert "ビデオ通話に入る" not in detail(client, booked)


def test_meetings_owns_its_kinds_and_every_stored_code_keeps_its_label():
    from django.db.migrations.loader import MigrationLoader

    meeting_kinds = {k.code for k in events.kinds(owner="meetings")}
    assert meeting_kinds == {*MEETING_KINDS, "meeting_consent", "meeting_rec_on",
                             "meeting_rec_off", "meeting_rec_del"}
    assert not meeting_kinds & set(ConsultationEvent.Kind.values)
    # Rows written before the registry (the choices of the last migration that had them)
    # read as they did: same code, same label.
    state = MigrationLoader(None, ignore_no_migrations=True).project_state(
        ("consultations", "0008_indexes"))
    field = state.apps.get_model("consultations", "ConsultationEvent")._meta.get_field("kind")
    assert len(field.choices) == 19
    for code, label in field.choices:
        assert events.label(code) == label, code


def test_an_event_is_not_kept_when_the_publishers_change_rolls_back(booked, staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(booking_id=booked.booking_id, kind="meeting_end", actor=staff["hoken"])
        assert len(meeting_events(booked)) == 1
        raise RuntimeError("the room's change failed after the event")
    assert meeting_events(booked) == []
