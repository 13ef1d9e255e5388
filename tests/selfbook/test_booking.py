"""Residents book, move and cancel an online consultation themselves (ADR 0049): through
the same consultation and scheduling core as the centre's intake; each bad input refused
with a Japanese message and nothing half-saved; one booking per submission."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from madoguchi.audit.models import AuditEntry
from madoguchi.consultations import selectors as consultation_selectors
from madoguchi.consultations.models import Consultation, ConsultationEvent, Status
from madoguchi.meetings.models import RoomAccess
from madoguchi.organisation.models import Booth
from madoguchi.people.models import Consent, Resident
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.errors import BookingRejected, SlotUnavailable
from madoguchi.scheduling.models import Booking, BookingStatus, SectionSchedule
from madoguchi.selfbook import selectors, services
from madoguchi.selfbook.models import SectionSetting, SelfBooking
from tests.scheduling.test_concurrency import race
from tests.selfbook.conftest import form_data, make_identity

TOKYO = ZoneInfo("Asia/Tokyo")
ORIGIN = "https://madoguchi.example"


def book(identity, offer, start, **overrides):
    return services.book(identity=identity, level=identity.level, offer=offer,
                         data=form_data(start, **overrides), origin=ORIGIN, source="tests")


def first_slot(offer, *, remote: bool = True):
    slots = selectors.slots(offer, remote=remote)
    assert slots, "no free slot in the test world"
    return slots[0]


def counts() -> tuple[int, ...]:
    return (Resident.objects.count(), Consent.objects.count(), Consultation.objects.count(),
            Booking.objects.count(), SelfBooking.objects.count(), RoomAccess.objects.count())


def test_a_resident_books_from_home_and_the_section_sees_it_in_its_inbox(
        identity, offer, staff, django_capture_on_commit_callbacks):
    slot = first_slot(offer)
    with django_capture_on_commit_callbacks() as callbacks:
        booked = book(identity, offer, slot.start)
    assert not booked.repeated and callbacks  # the mails wait for the commit
    consultation = booked.booking.consultation
    assert consultation.status == Status.BOOKED
    assert consultation.section.code == "setagaya/hoken-fukushi"
    assert consultation.centre.district.code == "ikejiri"
    assert consultation.booking.start == slot.start
    assert consultation.booking.booth_id is None  # from home
    resident = consultation.resident
    assert resident.family_name_kana == "セタガヤ" and resident.email == ""
    assert set(Consent.objects.filter(resident=resident).values_list("method", flat=True)) \
        == {"screen"}
    kinds = list(ConsultationEvent.objects.filter(consultation=consultation)
                 .values_list("kind", "actor_id", "participant_kind"))
    assert kinds == [("intake", None, "resident"), ("route", None, "resident"),
                     ("book", None, "resident")]
    # Audited under the portal identity, never the self-service account.
    entries = AuditEntry.objects.filter(portal_ref=str(identity.public_id))
    assert {e.record_type for e in entries} >= {"resident", "consent", "consultation"}
    assert not AuditEntry.objects.filter(actor__username="resident-self-service").exists()
    # One room link for the resident, valid until the end of the consultation.
    link = RoomAccess.objects.get(room__booking=consultation.booking)
    assert link.expires_at == consultation.booking.end
    # The section's inbox lists it like any other booked consultation.
    inbox = consultation_selectors.inbox(user=staff["hoken"], source="tests")
    assert consultation.pk in {row.pk for row in inbox.rows}


def test_the_same_submission_sent_twice_books_once(identity, offer):
    slot = first_slot(offer)
    data = form_data(slot.start)
    first = services.book(identity=identity, level="email", offer=offer, data=data,
                          origin=ORIGIN, source="tests")
    again = services.book(identity=identity, level="email", offer=offer, data=data,
                          origin=ORIGIN, source="tests")
    assert again.repeated and again.booking.pk == first.booking.pk
    assert Consultation.objects.count() == 1 and Booking.objects.count() == 1


def test_a_second_booking_for_the_same_topic_while_one_is_open_is_refused(identity, offer):
    slots = selectors.slots(offer, remote=True)
    book(identity, offer, slots[0].start)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        book(identity, offer, slots[-1].start)
    assert "すでに受け付けているもの" in " ".join(refused.value.messages)
    assert counts() == before


def test_booking_within_the_minimum_notice_is_refused_and_nothing_is_saved(identity, offer):
    slot = first_slot(offer)
    SectionSchedule.objects.update_or_create(section=offer.section,
                                             defaults={"min_notice_minutes": 60 * 24 * 90})
    before = counts()
    with pytest.raises(BookingRejected) as refused:
        book(identity, offer, slot.start)
    assert refused.value.code == "notice" and "予約の締切を過ぎています" in refused.value.message
    assert counts() == before


def test_a_closed_day_of_the_year_end_is_refused(identity, offer):
    today = timezone.localdate()
    year = today.year if today < dt.date(today.year, 12, 31) else today.year + 1
    start = dt.datetime(year, 12, 31, 10, 0, tzinfo=TOKYO)
    before = counts()
    with pytest.raises(BookingRejected) as refused:
        book(identity, offer, start)
    assert refused.value.code == "closed" and "休業日" in refused.value.message
    assert counts() == before


def test_a_booth_booking_at_a_centre_with_no_free_booth_is_refused(identity, offer, staff):
    slot = first_slot(offer, remote=False)
    for booth in Booth.objects.filter(centre=offer.centre, is_active=True):
        scheduling.booking_create(section=offer.section, centre=offer.centre, booth=booth,
                                  start=slot.start, title="相談", by=staff["centre"])
    before = counts()
    with pytest.raises(SlotUnavailable) as refused:
        book(identity, offer, slot.start, place="booth")
    assert "空いていません" in refused.value.message
    assert counts() == before


def test_the_section_can_require_the_my_number_card_login(identity, offer):
    SectionSetting.objects.filter(section=offer.section).update(level="strong")
    strict = selectors.offer(district=offer.district, topic=offer.topic)
    with pytest.raises(PermissionDenied):
        book(identity, strict, first_slot(strict).start)
    card = make_identity("card@example.jp", strong=True)
    assert book(card, strict, first_slot(strict).start).booking.consultation.status == "booked"


def test_bad_details_are_refused_field_by_field_before_anything_is_saved(identity, offer):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        book(identity, offer, "not a time", family_name="", family_name_kana="yamada",
             consent=False, worry="")
    fields = refused.value.message_dict
    assert set(fields) >= {"family_name", "family_name_kana", "consent", "worry", "start"}
    assert counts() == before


def test_a_section_that_does_not_take_self_bookings_offers_nothing(ikejiri, staff):
    assert selectors.offer(district=ikejiri, topic="elderly") is None
    assert selectors.topics() == []


def test_the_resident_moves_and_cancels_their_own_booking(identity, offer):
    slots = selectors.slots(offer, remote=True)
    row = book(identity, offer, slots[0].start).booking
    old_booking = row.consultation.booking
    services.move(row=row, start_value=slots[3].start.isoformat(), origin=ORIGIN,
                  source="tests")
    row.consultation.refresh_from_db()
    assert row.consultation.booking.start == slots[3].start
    old_booking.refresh_from_db()
    assert old_booking.status == BookingStatus.CANCELLED
    # The old room link no longer opens anything; the new booking has its own.
    assert RoomAccess.objects.filter(room__booking=row.consultation.booking).count() == 1
    services.cancel(row=row, source="tests")
    row.consultation.refresh_from_db()
    assert row.consultation.status == Status.CANCELLED
    assert row.consultation.booking.status == BookingStatus.CANCELLED
    services.cancel(row=row, source="tests")  # a second cancel changes nothing
    with pytest.raises(ValidationError):
        services.move(row=row, start_value=slots[4].start.isoformat(), origin=ORIGIN,
                      source="tests")


def test_an_existing_record_is_used_and_not_overwritten(identity, offer, make_resident):
    known = make_resident(family_name="世田谷", given_name="花子", family_name_kana="セタガヤ",
                          given_name_kana="ハナコ", birth_date="1946-05-03",
                          address="区の記録の住所")
    row = book(identity, offer, first_slot(offer).start, address="別の住所").booking
    assert row.consultation.resident_id == known.pk
    known.refresh_from_db()
    assert known.address == "区の記録の住所"


@pytest.mark.django_db(transaction=True)
def test_residents_racing_for_the_last_booth_at_one_time_make_exactly_one_booking(
        setagaya, staff, ikejiri, hoken_takes_self_bookings):
    offer = selectors.offer(district=ikejiri, topic="elderly")
    booths = list(Booth.objects.filter(centre=offer.centre, is_active=True).order_by("pk"))
    Booth.objects.filter(pk__in=[b.pk for b in booths[1:]]).update(is_active=False)
    start = first_slot(offer, remote=False).start
    identities = iter([make_identity(f"racer{i}@example.jp") for i in range(6)])
    names = iter(f"キョウソウ{chr(0x30A2 + 2 * i)}" for i in range(6))
    pairs = [(next(identities), next(names)) for _ in range(6)]
    queue = iter(pairs)

    def attempt() -> str:
        who, kana = next(queue)
        try:
            book(who, offer, start, place="booth", given_name_kana=kana)
        except SlotUnavailable:
            return "taken"
        return "booked"

    outcomes = race(attempt, count=6)
    assert outcomes == Counter({"booked": 1, "taken": 5})
    assert Consultation.objects.filter(status="booked").count() == 1
    assert SelfBooking.objects.count() == 1
