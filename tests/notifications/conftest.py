"""Bookings and the people in them, and a real SMTP server (aiosmtpd) to deliver to."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.organisation.models import Booth, DistrictCentre, Section
from madoguchi.people import services as people_services
from madoguchi.scheduling.models import Booking, Participant

TOKYO = ZoneInfo("Asia/Tokyo")
IKEJIRI = "setagaya/ikejiri/machizukuri-center"
MATSUBARA = "kitazawa/matsubara/machizukuri-center"
HOKEN = "setagaya/hoken-fukushi"
KAZEI = "kazei"


def tokyo(days_ahead: int, hour: int, minute: int = 0) -> dt.datetime:
    """An aware datetime ``days_ahead`` days from today at hour:minute in Tokyo."""
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TOKYO)


def centre(code: str) -> DistrictCentre:
    return DistrictCentre.objects.get(district__code=code)


def booth_of(code: str) -> Booth:
    return Booth.objects.filter(centre__district__code=code).order_by("name").first()


def make_booking(*, section: Section, start: dt.datetime, by, centre_code: str | None = "ikejiri",
                 minutes: int = 30, staff=(), residents=(), guests=(),
                 rescheduled_from: Booking | None = None, title: str = "オンライン相談",
                 remote_users=(), status: str = "booked") -> Booking:
    """A booking with its participants, written directly (as the scheduling service would)."""
    booking = Booking.objects.create(
        section=section, start=start, end=start + dt.timedelta(minutes=minutes),
        centre=centre(centre_code) if centre_code else None,
        booth=booth_of(centre_code) if centre_code else None,
        title=title, created_by=by, rescheduled_from=rescheduled_from, status=status)
    for user in staff:
        Participant.objects.create(booking=booking, kind="staff", user=user,
                                   remote=user in remote_users)
    for resident in residents:
        Participant.objects.create(booking=booking, kind="resident", resident=resident)
    for guest in guests:
        Participant.objects.create(booking=booking, kind="guest", **guest)
    return booking


def copy_participants(old: Booking, new: Booking) -> None:
    for p in Participant.objects.filter(booking=old).order_by("pk"):
        p.pk = None
        p.booking = new
        p.save()


def cancel(booking: Booking, *, by, reason: str) -> Booking:
    booking.status = "cancelled"
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = by
    booking.cancel_reason = reason
    booking.save()
    return booking


def reschedule(booking: Booking, *, start: dt.datetime, by, reason: str) -> Booking:
    new = Booking.objects.create(
        section=booking.section, start=start, end=start + (booking.end - booking.start),
        centre=booking.centre, booth=booking.booth, title=booking.title, created_by=by,
        rescheduled_from=booking)
    copy_participants(booking, new)
    cancel(booking, by=by, reason=reason)
    return new


@pytest.fixture
def people(make_staff):
    """Ikejiri centre staff, 保健福祉課 staff, and residents of 池尻 and 松原."""
    centre_staff = make_staff(Role.DISTRICT_STAFF, IKEJIRI, "ikejiri-centre")
    centre_staff.email = "ikejiri-centre@city.setagaya.example"
    centre_staff.save()
    section_staff = make_staff(Role.SECTION_STAFF, HOKEN, "hoken-staff")
    section_staff.email = "hoken-staff@city.setagaya.example"
    section_staff.display_name = "保健 一郎"
    section_staff.save()
    matsubara_staff = make_staff(Role.DISTRICT_STAFF, MATSUBARA, "matsubara-centre")
    base = {"address": "世田谷区池尻二丁目1番（テスト）", "region": "setagaya",
            "district": "ikejiri", "birth_date": "1950-04-01"}
    hanako = people_services.resident_create(by=centre_staff, source="tests", data={
        **base, "family_name": "池尻", "given_name": "花子", "family_name_kana": "イケジリ",
        "given_name_kana": "ハナコ", "email": "hanako@example.jp"})
    emily = people_services.resident_create(by=centre_staff, source="tests", data={
        **base, "family_name": "スミス", "given_name": "エミリー",
        "family_name_kana": "スミス", "given_name_kana": "エミリー",
        "email": "emily@example.com", "preferred_language": "en",
        "birth_date": "1988-07-07"})
    taro = people_services.resident_create(by=centre_staff, source="tests", data={
        **base, "family_name": "池尻", "given_name": "太郎", "family_name_kana": "イケジリ",
        "given_name_kana": "タロウ", "birth_date": "1947-02-02"})  # no e-mail
    matsu = people_services.resident_create(by=matsubara_staff, source="tests", data={
        **base, "region": "kitazawa", "district": "matsubara",
        "address": "世田谷区松原一丁目1番（テスト）", "family_name": "松原",
        "given_name": "梅子", "family_name_kana": "マツバラ", "given_name_kana": "ウメコ",
        "birth_date": "1944-03-03"})
    return {"centre_staff": centre_staff, "section_staff": section_staff,
            "matsubara_staff": matsubara_staff, "hanako": hanako, "emily": emily,
            "taro": taro, "matsu": matsu, "hoken": Section.objects.get(code=HOKEN),
            "kazei": Section.objects.get(code=KAZEI)}


# A real SMTP server --------------------------------------------------------------------

@dataclass
class Inbox:
    raw: list[bytes] = field(default_factory=list)
    rcpt: list[list[str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        with self.lock:
            self.raw.append(envelope.original_content or envelope.content)
            self.rcpt.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            return [email.message_from_bytes(raw, policy=email.policy.default)
                    for raw in self.raw]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1; Django sends to it through the SMTP backend."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield inbox
    finally:
        controller.stop()


def queued(kind: str):
    """The notifier's delivery tasks of one message kind (queued or done)."""
    from django_tasks_db.models import DBTaskResult

    from madoguchi.notifications.tasks import deliver

    return DBTaskResult.objects.filter(task_path=deliver.module_path,
                                       args_kwargs__kwargs__kind=kind)


def run_worker() -> None:
    """Run every task that is due with the real database worker, then return."""
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
