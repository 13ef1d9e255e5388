"""Booking a routed consultation through scheduling, and every refusal (nothing saved)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from madoguchi.audit.models import AuditEntry
from madoguchi.consultations import services
from madoguchi.consultations.models import ConsultationEvent, OnlineService, StatEvent, Status
from madoguchi.people import services as people_services
from madoguchi.people.models import Consent
from madoguchi.scheduling.errors import BookingRejected, SlotUnavailable
from madoguchi.scheduling.models import Booking, Participant
from tests.consultations.conftest import first_slot, next_closed_weekday, next_open_day

pytestmark = pytest.mark.django_db


def book(consultation, by, start, **kwargs):
    return services.consultation_book(by=by, consultation=consultation, start=start,
                                      source="tests", **kwargs)


def counts():
    return (Booking.objects.count(), ConsultationEvent.objects.count(),
            StatEvent.objects.count(), AuditEntry.objects.filter(action="update").count())


def test_book_end_to_end(routed, staff):
    slot = first_slot(routed)
    booked = book(routed, staff["centre"], slot.start)
    assert booked.status == Status.BOOKED and booked.stage == 1
    booking = booked.booking
    assert booking.title == "オンライン相談（保健福祉課）"  # no personal data
    assert booking.section == routed.section and booking.centre == routed.centre
    assert booking.booth is not None
    kinds = {(p.kind, p.user_id, p.resident_id) for p in booking.participants.all()}
    assert ("resident", None, routed.resident.pk) in kinds
    assert any(kind == "staff" for kind, _, _ in kinds)
    event = ConsultationEvent.objects.filter(consultation=booked).last()
    assert (event.kind, event.booking) == ("book", booking)
    stat = StatEvent.objects.get(kind="booked")
    expected = (timezone.localtime(booking.start).date()
                - timezone.localtime(routed.received_at).date()).days
    assert stat.waiting_days == expected and stat.section == routed.section
    assert not hasattr(stat, "resident_id") and not hasattr(stat, "consultation_id")


def test_multi_party_meeting_is_stage_2_and_named_staff(routed, staff):
    slot = first_slot(routed, staff=staff["hoken2"], other_users=[staff["port"]])
    booked = book(routed, staff["centre"], slot.start, staff=staff["hoken2"],
                  other_users=[staff["port"]],
                  guests=[{"name": "ケアマネジャー（テスト）", "organisation": "居宅介護支援"}])
    assert booked.stage == 2
    users = set(booked.booking.participants.exclude(user=None).values_list("user", flat=True))
    assert {staff["hoken2"].pk, staff["port"].pk} <= users
    assert booked.booking.participants.filter(kind="guest").count() == 1
    # The specialist agency's staff member now sees the resident and the record.
    from madoguchi.accounts.policy import Action, can
    from madoguchi.consultations import access

    assert can(staff["port"], Action.RESIDENT_VIEW, booked.resident)
    assert access.can_view(staff["port"], booked)
    assert not access.can_handle(staff["port"], booked)


def test_remote_resident_needs_no_booth(routed, staff):
    slot = first_slot(routed, booth_required=False)
    booked = book(routed, staff["centre"], slot.start, remote=True)
    assert booked.booking.booth is None


def test_same_idempotency_key_books_once(routed, staff):
    slot = first_slot(routed)
    first = book(routed, staff["centre"], slot.start, idempotency_key="k-1")
    again = book(routed, staff["centre"], slot.start, idempotency_key="k-1")
    assert first.booking_id == again.booking_id and Booking.objects.count() == 1
    assert ConsultationEvent.objects.filter(kind="book").count() == 1


def test_without_consent_booking_is_refused(routed, staff):
    consent = Consent.objects.filter(resident=routed.resident,
                                     purpose="share_with_section").get()
    people_services.consent_withdraw(by=staff["centre"], consent=consent, source="tests")
    slot = first_slot(routed)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        book(routed, staff["centre"], slot.start)
    assert caught.value.messages == [
        "オンライン相談と記録の共有について、区民の同意が記録されていません。"]
    assert counts() == before


def test_section_switched_off_after_routing_is_refused(routed, staff):
    slot = first_slot(routed)
    OnlineService.objects.filter(centre=routed.centre,
                                 section_kind=routed.section.kind).update(enabled=False)
    before = counts()
    with pytest.raises(ValidationError, match="池尻まちづくりセンターではまだオンライン相談"):
        book(routed, staff["centre"], slot.start)
    assert counts() == before


def test_unrouted_consultation_cannot_be_booked(intake, resident, staff):
    consultation = intake(resident)
    with pytest.raises(ValidationError, match="「受付」のため、「日時を予約する」はできません"):
        book(consultation, staff["centre"], timezone.now() + dt.timedelta(days=7))


def test_past_closed_day_and_outside_hours_are_refused_in_japanese(routed, staff):
    before = counts()
    with pytest.raises(BookingRejected) as past:
        book(routed, staff["centre"], timezone.now() - dt.timedelta(days=1))
    assert "過ぎ" in past.value.message or "過去" in past.value.message
    closed_at, holiday = next_closed_weekday()
    with pytest.raises(BookingRejected) as closed:
        book(routed, staff["centre"], closed_at)
    assert holiday in closed.value.message
    early = timezone.make_aware(dt.datetime.combine(next_open_day(), dt.time(7, 0)))
    with pytest.raises(BookingRejected) as outside:
        book(routed, staff["centre"], early)
    assert "時間" in outside.value.message
    assert counts() == before
    routed.refresh_from_db()
    assert routed.status == Status.ROUTED and routed.booking is None


def test_named_participant_not_free_gets_the_next_free_slot(routed, intake, make_resident,
                                                            staff):
    slot = first_slot(routed, staff=staff["hoken"])
    other = intake(make_resident())
    other = services.consultation_route(by=staff["centre"], consultation=other,
                                        section=other.proposed_section, source="t")
    book(other, staff["centre"], slot.start, staff=staff["hoken"], remote=True)
    before = counts()
    with pytest.raises(SlotUnavailable) as caught:
        book(routed, staff["centre"], slot.start, staff=staff["hoken"])
    assert caught.value.next_free is not None
    assert caught.value.next_free.start > slot.start
    assert "次に空いている枠は" in caught.value.message
    assert counts() == before


def test_slot_taken_by_someone_else_is_refused_with_the_next_free_slot(routed, intake,
                                                                       make_resident, staff):
    slot = first_slot(routed)
    # Every booth of the centre is taken at that time by other residents' consultations.
    for _ in range(routed.centre.booths.filter(is_active=True).count()):
        other = intake(make_resident())
        other = services.consultation_route(by=staff["centre"], consultation=other,
                                            section=other.proposed_section, source="t")
        book(other, staff["centre"], slot.start)
    before = counts()
    with pytest.raises(SlotUnavailable) as caught:
        book(routed, staff["centre"], slot.start)
    assert caught.value.next_free is not None and caught.value.next_free.start > slot.start
    assert counts() == before


def test_reschedule_and_cancel_need_a_reason(booked, staff):
    old = booked.booking
    later = first_slot(booked, start_from=old.start + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.consultation_reschedule(by=staff["hoken"], consultation=booked,
                                         start=later.start, reason="", source="t")
    moved = services.consultation_reschedule(by=staff["hoken"], consultation=booked,
                                             start=later.start, reason="担当者の都合",
                                             source="t")
    assert moved.booking.rescheduled_from == old and moved.status == Status.BOOKED
    old.refresh_from_db()
    assert old.status == "cancelled"
    stat = StatEvent.objects.get(kind="rescheduled")
    assert stat.waiting_days == (timezone.localtime(later.start).date()
                                 - timezone.localtime(booked.received_at).date()).days
    with pytest.raises(ValidationError):
        services.consultation_cancel(by=staff["centre"], consultation=moved, reason=" ",
                                     source="t")
    cancelled = services.consultation_cancel(by=staff["centre"], consultation=moved,
                                             reason="区民から取り消しの連絡", source="t")
    assert cancelled.status == Status.CANCELLED
    assert Booking.objects.get(pk=moved.booking_id).status == "cancelled"
    assert StatEvent.objects.filter(kind="cancelled").count() == 1
    # The timeline kept every step, oldest first.
    assert list(ConsultationEvent.objects.filter(consultation=booked)
                .values_list("kind", flat=True)) == [
        "intake", "route", "book", "reschedule", "cancel"]
    assert Participant.objects.filter(booking=moved.booking, kind="resident").exists()
