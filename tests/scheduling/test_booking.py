"""Booking, rescheduling and cancelling through the services: what is saved, what each
bad request is told (in Japanese, naming the reason), who is notified."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from madoguchi.accounts.models import Role
from madoguchi.core.dates import wareki
from madoguchi.notifications.notify import kind_named
from madoguchi.people import services as people_services
from madoguchi.scheduling import selectors, services
from madoguchi.scheduling.errors import BookingRejected, SlotUnavailable
from madoguchi.scheduling.models import Allocation, Booking, Participant
from tests.scheduling.conftest import at, next_weekday_holiday, next_year_end, open_day

pytestmark = pytest.mark.django_db


def nothing_saved() -> bool:
    return not (Booking.objects.exists() or Allocation.objects.exists()
                or Participant.objects.exists())


def mails_queued() -> list[dict]:
    """The letters the queued notices would send, one per participant with an address, as
    the worker composes them (not the reminders)."""
    rows = DBTaskResult.objects.filter(task_path__endswith="notifications.tasks.deliver")
    queued = [row.args_kwargs["kwargs"] for row in rows.order_by("enqueued_at")]
    return [{"kind": task["kind"], "to": letter.recipient.address}
            for task in queued if task["kind"] != "booking_reminder"
            for letter in kind_named(task["kind"]).letters(task["about"], None)]


@pytest.fixture
def resident(booker, setagaya):
    return people_services.resident_create(by=booker, source="test", data={
        "family_name": "池尻", "given_name": "花子", "family_name_kana": "イケジリ",
        "given_name_kana": "ハナコ", "birth_date": "1950-04-01", "address": "世田谷区池尻",
        "region": "setagaya", "district": "ikejiri", "email": "hanako@example.jp"})


@pytest.fixture
def book(ikejiri, hoken, caseworkers, booker, schedule):
    def make(start, **kwargs):
        kwargs.setdefault("staff", caseworkers[0])
        kwargs.setdefault("centre", ikejiri)
        kwargs.setdefault("title", "オンライン相談")
        kwargs.setdefault("by", booker)
        return services.booking_create(section=hoken, start=start, **kwargs)

    return make


def test_a_booking_holds_booth_and_people_and_tells_them(
        book, caseworkers, make_staff, resident, django_capture_on_commit_callbacks):
    port = make_staff(Role.PARTNER_STAFF, "port", "port-1")
    for user in (caseworkers[0], port):
        user.email = f"{user.username}@city.example"
        user.save()
    day = open_day()
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(at(day, 10), other_users=[port], resident=resident,
                       guests=[{"name": "施設 担当者", "email": "care@example.jp",
                                "organisation": "特養さくら"}])
    assert booking.start == at(day, 10) and booking.end == at(day, 10, 30)
    assert booking.booth.centre_id == booking.centre_id and booking.status == "booked"
    kinds = sorted(booking.participants.values_list("kind", flat=True))
    assert kinds == ["guest", "resident", "staff", "staff"]
    organiser = booking.participants.get(is_organiser=True)
    assert organiser.user == caseworkers[0] and organiser.remote
    assert not booking.participants.get(kind="resident").remote  # in the booth
    assert booking.allocations.filter(active=True).count() == 3  # booth, caseworker, port
    assert len(mails_queued()) == 4  # everyone with an address


def test_each_bad_request_names_its_reason_and_saves_nothing(
        book, hoken, caseworkers, make_staff, schedule):
    day = open_day()
    cases = []

    def rejected(code: str, start, **kwargs) -> str:
        with pytest.raises(BookingRejected) as caught:
            book(start, **kwargs)
        assert caught.value.code == code, caught.value.message
        assert nothing_saved()
        cases.append(code)
        return caught.value.message

    past = timezone.localtime() - dt.timedelta(days=1)
    assert "過去の日時" in rejected("past", past.replace(minute=0, second=0, microsecond=0))
    holiday, name = next_weekday_holiday()
    assert f"休業日（{name}）" in rejected("closed", at(holiday, 10))
    year_end = next_year_end() + dt.timedelta(days=1)
    assert "休業日（年末年始）" in rejected("closed", at(year_end, 10))
    saturday = open_day(weekday=4) + dt.timedelta(days=1)
    assert "休業日（土曜日）" in rejected("closed", at(saturday, 10))
    message = rejected("hours", at(day, 17))
    assert "受付時間外" in message and "8:30〜17:15" in message
    assert "受付時間外" in rejected("hours", at(day, 8))
    guests = [{"name": f"参加者{i}"} for i in range(6)]  # + the caseworker = 7
    assert "参加者は6人まで" in rejected("too_many", at(day, 10), guests=guests)
    assert "30分単位" in rejected("grid", at(day, 10, 10))
    other = make_staff(Role.SECTION_STAFF, "setagaya/kodomo-katei", "kodomo-1")
    assert "保健福祉課の職員として登録されていません" in rejected(
        "staff", at(day, 10), staff=other)
    schedule.min_notice_minutes = 60 * 24 * 60  # two months
    schedule.save()
    assert "予約の締切を過ぎています" in rejected("notice", at(day, 10))
    assert "1440時間" not in rejected("notice", at(day, 10))  # said as 60日
    assert len(cases) == 11


def test_a_participant_who_is_not_free_is_named_with_the_next_free_slot(
        book, caseworkers, make_staff):
    port = make_staff(Role.PARTNER_STAFF, "port", "port-1")
    port.display_name = "ぽーと 相談員"
    port.save()
    day = open_day()
    book(at(day, 10), staff=caseworkers[1], other_users=[port], booth_required=False,
         centre=None, by=caseworkers[1])
    before = Booking.objects.count()
    with pytest.raises(SlotUnavailable) as caught:
        book(at(day, 10), other_users=[port])
    error = caught.value
    assert error.code == "unavailable"
    assert "ぽーと 相談員さんは" in error.message and "空いていません" in error.message
    assert error.next_free.start == at(day, 10, 30)
    assert f"次に空いている枠は{wareki(day, weekday=True)} 10:30です。" in error.message
    assert Booking.objects.count() == before


def test_the_same_idempotency_key_returns_the_first_booking(book, booker):
    day = open_day()
    first = book(at(day, 11), idempotency_key="desk-42")
    again = book(at(day, 11), idempotency_key="desk-42")
    assert again.pk == first.pk and Booking.objects.count() == 1
    # A different key for the same slot is a new attempt, and the slot is taken.
    with pytest.raises(SlotUnavailable):
        book(at(day, 11), idempotency_key="desk-43")


def test_reschedule_moves_everyone_and_tells_them(book, caseworkers, booker, make_staff,
                                                  django_capture_on_commit_callbacks):
    port = make_staff(Role.PARTNER_STAFF, "port", "port-1")
    port.email = "port@example.jp"
    port.save()
    day = open_day()
    booking = book(at(day, 10), other_users=[port])
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.booking_reschedule(booking=booking, start=at(day, 10, 30), by=booker,
                                            reason="区民の都合")
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancel_reason == "区民の都合"
    assert moved.rescheduled_from == booking and moved.start == at(day, 10, 30)
    assert not booking.allocations.filter(active=True).exists()
    assert moved.allocations.filter(active=True).count() == 3
    assert {p.user for p in moved.participants.all()} == {caseworkers[0], port}
    assert [m["kind"] for m in mails_queued()] == ["booking_change"]
    # The old time is free again.
    found = selectors.find_slots(section=booking.section, centre=booking.centre,
                                 staff=caseworkers[0], start_from=day, limit=4)
    assert at(day, 10) in [s.start for s in found]
    with pytest.raises(BookingRejected, match="すでに変更または取り消されています"):
        services.booking_reschedule(booking=booking, start=at(day, 11), by=booker, reason="x")


def test_reschedule_to_a_taken_time_keeps_the_booking(book, caseworkers, booker):
    day = open_day()
    booking = book(at(day, 10))
    book(at(day, 11), staff=caseworkers[0])
    with pytest.raises(SlotUnavailable):
        services.booking_reschedule(booking=booking, start=at(day, 11), by=booker,
                                    reason="変更")
    booking.refresh_from_db()
    assert booking.status == "booked" and booking.allocations.filter(active=True).count() == 2


def test_cancel_frees_the_time_and_tells_the_others(book, caseworkers, booker,
                                                    django_capture_on_commit_callbacks):
    caseworkers[0].email = "hoken-1@city.example"
    caseworkers[0].save()
    day = open_day()
    booking = book(at(day, 10))
    with pytest.raises(BookingRejected, match="理由を入力してください"):
        services.booking_cancel(booking=booking, by=booker, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.booking_cancel(booking=booking, by=booker, reason="体調不良")
    assert cancelled.status == "cancelled" and cancelled.cancelled_by == booker
    assert not Allocation.objects.filter(active=True).exists()
    assert [m["kind"] for m in mails_queued()] == ["booking_cancellation"]
    again = book(at(day, 10))
    assert again.pk != booking.pk
    # Cancelling twice changes nothing and tells nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, by=booker, reason="重複")
    booking.refresh_from_db()
    assert booking.cancel_reason == "体調不良" and len(mails_queued()) == 1


def test_who_may_book_and_cancel(book, hoken, ikejiri, caseworkers, make_staff):
    day = open_day()
    other_centre = make_staff(Role.DISTRICT_STAFF, "kitazawa/matsubara/machizukuri-center")
    with pytest.raises(PermissionDenied):
        book(at(day, 10), by=other_centre)
    auditor = make_staff(Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        book(at(day, 10), by=auditor)
    anshin = make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin")
    booking = book(at(day, 10), by=anshin)
    own = book(at(day, 11), by=caseworkers[1], staff=caseworkers[1])
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, by=other_centre, reason="x")
    services.booking_cancel(booking=own, by=caseworkers[0], reason="課内の調整")
    assert nothing_saved() is False


def test_a_resident_is_not_booked_twice_at_once(book, caseworkers, resident):
    day = open_day()
    book(at(day, 10), resident=resident)
    with pytest.raises(SlotUnavailable, match="区民の方"):
        book(at(day, 10), staff=caseworkers[1], resident=resident)
    assert Booking.objects.count() == 1


def test_remote_meeting_has_no_booth_and_no_centre_hours(book, caseworkers, make_staff):
    anshin = make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin", "anshin-1")
    day = open_day()
    booking = book(at(day, 8, 30), centre=None, booth_required=False, other_users=[anshin],
                   by=anshin)
    assert booking.booth is None and booking.centre is None
    assert booking.allocations.count() == 2


def test_a_long_consultation_moves_by_half_an_hour_onto_its_own_time(
        book, booker, schedule, resident):
    schedule.duration_minutes = 60
    schedule.save()
    day = open_day()
    booking = book(at(day, 10), resident=resident)
    moved = services.booking_reschedule(booking=booking, start=at(day, 10, 30), by=booker,
                                        reason="開始を遅らせる")
    assert moved.start == at(day, 10, 30) and moved.end == at(day, 11, 30)
    assert Allocation.objects.filter(active=True).count() == 2
