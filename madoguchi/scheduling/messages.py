"""What scheduling tells the people in a booking, through the notifier (ADR 0009, 0030).

Four message kinds: the invitation, the change notice, the cancellation notice and the
day-before reminder. Plain text in Japanese (an English line is added for participants
whose language is English), one message per recipient with an .ics attachment. Each
message names only its recipient, never the other participants. ``booking_notice`` is
called by the booking services after their transaction commits; the letters are composed
by the worker from the booking as it is stored then.

Also the pieces other contexts' messages about a booking use (meetings' room link):
``invitee``, ``when``, ``when_en``, ``contact_line``, ``contact_phone``, ``section_label``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from madoguchi.core.dates import wareki
from madoguchi.notifications.ical import TOKYO, EventData, Method, build_ics
from madoguchi.notifications.notify import About, Attachment, Letter, Recipient, Skip, notify
from madoguchi.notifications.notify import register as register_kind
from madoguchi.organisation.contact import ward_phone
from madoguchi.scheduling.models import Booking, BookingStatus, Participant, ParticipantKind

logger = logging.getLogger("madoguchi.scheduling")

SENDER_NAME = "世田谷区"
REMOTE_PLACE = "オンライン（ご自宅など）"
REMOTE_PLACE_EN = "online (from home or elsewhere)"
WHAT_TO_BRING = ("本人確認書類（マイナンバーカード、運転免許証、健康保険の資格確認書など）、"
                 "ご相談に関係する書類（区からの通知、お手紙など）、眼鏡・補聴器など"
                 "ふだんお使いのもの")
REMINDER_BEFORE = dt.timedelta(days=1)


class Kind(StrEnum):
    """The message kinds (``notifications/booking_<kind>/`` templates)."""

    INVITATION = "booking_invitation"
    CHANGE = "booking_change"
    CANCELLATION = "booking_cancellation"
    REMINDER = "booking_reminder"


class Change(StrEnum):
    CREATED = "created"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


KIND_FOR_CHANGE = {
    Change.CREATED: Kind.INVITATION,
    Change.RESCHEDULED: Kind.CHANGE,
    Change.CANCELLED: Kind.CANCELLATION,
}


@dataclass(frozen=True)
class Invitee:
    """A participant who can be written to: their recipient and how they take part."""

    participant_id: int
    recipient: Recipient
    kind: str  # resident / staff / guest
    remote: bool


def invitee(participant: Participant) -> Invitee | None:
    """Who a participant's mail goes to, or None when they have no e-mail address."""
    user = participant.user
    resident = participant.resident
    name = participant.name or ""
    english = False
    if participant.kind == ParticipantKind.STAFF and user is not None:
        email = user.email or participant.email
        name = name or str(user)
        english = user.preferred_language == "en"
    elif participant.kind == ParticipantKind.RESIDENT and resident is not None:
        email = resident.email or participant.email
        name = name or resident.full_name
        english = resident.preferred_language == "en"
    else:
        email = participant.email
        if user is not None:
            email = email or user.email
            english = user.preferred_language == "en"
        if resident is not None:
            email = email or resident.email
            english = resident.preferred_language == "en"
    email = (email or "").strip()
    if not email:
        return None
    recipient = Recipient(address=email, name=name.strip(), language="en" if english else "ja")
    return Invitee(participant_id=participant.pk, recipient=recipient, kind=participant.kind,
                   remote=bool(participant.remote))


def chain_root_and_depth(booking: Booking) -> tuple[Booking, int]:
    """The first booking of a reschedule chain and how many times it was moved since."""
    root, depth, seen = booking, 0, {booking.pk}
    while root.rescheduled_from_id is not None and root.rescheduled_from_id not in seen:
        root = root.rescheduled_from
        seen.add(root.pk)
        depth += 1
    return root, depth


def event_uid(booking: Booking) -> str:
    """Same for every booking of one chain: calendars update one event."""
    root, _ = chain_root_and_depth(booking)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "madoguchi.invalid"
    return f"booking-{root.public_id}@{domain}"


def event_sequence(booking: Booking, *, cancelled: bool) -> int:
    _, depth = chain_root_and_depth(booking)
    return depth + 1 if cancelled else depth


def when(start: dt.datetime, end: dt.datetime) -> str:
    """令和8年（2026年）6月3日（水）10:00〜10:30"""
    start, end = timezone.localtime(start, TOKYO), timezone.localtime(end, TOKYO)
    return f"{wareki(start, weekday=True, seireki=True)} {start:%H:%M}〜{end:%H:%M}"


def when_en(start: dt.datetime, end: dt.datetime) -> str:
    start, end = timezone.localtime(start, TOKYO), timezone.localtime(end, TOKYO)
    return f"{start:%a %-d %b %Y}, {start:%H:%M}–{end:%H:%M} (Japan time)"


def _centre_place(booking: Booking) -> str:
    if booking.centre_id is None:
        return ""
    place = booking.centre.name
    if booking.booth_id is not None:
        place += f" {booking.booth.name}"
    if booking.centre.address:
        place += f"（{booking.centre.address}）"
    return place


def place_for(booking: Booking, invitee: Invitee) -> str:
    centre_place = _centre_place(booking)
    if invitee.kind == ParticipantKind.STAFF:
        if invitee.remote or not centre_place:
            return ("オンライン" + (f"（相談者の会場：{centre_place}）" if centre_place else ""))
        return centre_place
    if invitee.remote or not centre_place:
        return REMOTE_PLACE
    return centre_place


def place_en(booking: Booking, invitee: Invitee) -> str:
    if invitee.remote or booking.centre_id is None:
        return REMOTE_PLACE_EN
    district = booking.centre.district
    name = (f"{district.name_en} District Centre" if district.name_en
            else booking.centre.name)
    return name + (f", {booking.booth.name}" if booking.booth_id is not None else "")


def contact_phone(booking: Booking) -> tuple[str, str]:
    """(who, phone) to call to cancel or change: the centre, else its branch office, else
    the section, else the ward office's main number."""
    if booking.centre_id is not None and booking.centre.phone:
        return booking.centre.name, booking.centre.phone
    region = booking.centre.district.region if booking.centre_id is not None else None
    if region is not None and region.phone:
        return region.branch_office_name, region.phone
    if booking.section.phone:
        return booking.section.name, booking.section.phone
    return "世田谷区役所（代表）", ward_phone()


def contact_line(booking: Booking) -> str:
    """Whom to call, ready to be followed by ご連絡ください / お電話ください:
    「池尻まちづくりセンター（電話 03-…）まで」, or with the ward's main number, which
    centre to ask for."""
    who, phone = contact_phone(booking)
    if phone != ward_phone():
        return f"{who}（電話 {phone}）まで"
    about = (f"「{booking.centre.name}での相談の予約」" if booking.centre_id
             else "「オンライン相談の予約」")
    return f"世田谷区役所の代表電話（{phone}）に{about}とお伝えのうえ"


def section_label(section) -> str:
    if section.office and section.office not in section.name:
        return f"{section.name}（{section.office}）"
    return section.name


def summary_for(booking: Booking) -> str:
    """The event title: the section, never a person's name."""
    return f"世田谷区 オンライン相談（{booking.section.name}）"


def letter(*, booking: Booking, invitee: Invitee, kind: Kind, part: int | str = "") -> Letter:
    """One letter for one participant, with its .ics attachment."""
    cancelled = kind == Kind.CANCELLATION
    previous = booking.rescheduled_from if kind == Kind.CHANGE else None
    who, phone = contact_phone(booking)
    local_start = timezone.localtime(booking.start, TOKYO)
    context: dict[str, object] = {
        "kind": kind.removeprefix("booking_"),
        "booking": booking,
        "subject_when": f"{wareki(local_start, weekday=True)} {local_start:%H:%M}",
        "when": when(booking.start, booking.end),
        "when_en": when_en(booking.start, booking.end),
        "old_when": when(previous.start, previous.end) if previous else "",
        "old_when_en": when_en(previous.start, previous.end) if previous else "",
        "change_reason": (previous.cancel_reason if previous else ""),
        "cancel_reason": booking.cancel_reason if cancelled else "",
        "place": place_for(booking, invitee),
        "place_en": place_en(booking, invitee),
        "section": booking.section,
        "what_to_bring": WHAT_TO_BRING if invitee.kind != ParticipantKind.STAFF else "",
        "section_label": section_label(booking.section),
        "contact": contact_line(booking),
        "contact_phone": phone,
        "is_staff": invitee.kind == ParticipantKind.STAFF,
    }
    method = Method.CANCEL if cancelled else Method.REQUEST
    ics = build_ics(EventData(
        uid=event_uid(booking),
        sequence=event_sequence(booking, cancelled=cancelled),
        start=booking.start, end=booking.end,
        summary=summary_for(booking),
        location=str(context["place"]),
        description=f"取消し・変更のご連絡：{who}（電話 {phone}）",
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        organizer_name=SENDER_NAME,
        attendee_email=invitee.recipient.address,
        cancelled=cancelled,
    ), method=method)
    attachment = Attachment(filename="cancel.ics" if cancelled else "invite.ics",
                            subtype="calendar", content=ics.decode("utf-8"),
                            params=(("method", str(method)),))
    return Letter(recipient=invitee.recipient, context=context, part=part,
                  attachments=(attachment,))


# ── in the worker: the kinds' letters ─────────────────────────────────────────────────

def _booking(booking_id: int) -> Booking | None:
    return (Booking.objects
            .select_related("section", "centre__district__region", "booth", "rescheduled_from")
            .filter(pk=booking_id).first())


def is_superseded(booking: Booking) -> bool:
    """Whether the booking was moved: another booking was made in its place."""
    return Booking.objects.filter(rescheduled_from_id=booking.pk).exists()


def _participants(booking_id: int):
    return (Participant.objects.select_related("user", "resident")
            .filter(booking_id=booking_id).order_by("pk"))


def _notice_letters(kind: Kind):
    """An invitation, change notice or cancellation notice to every participant with an
    address (one letter each, told apart by the participant's id). A task queued before
    notices went out per booking names one ``participant``: only they are written to."""
    def letters(about: About, secret: str | None) -> Iterator[Letter]:
        booking = _booking(int(about["booking"]))
        if booking is None:
            raise Skip("gone")
        if kind == Kind.CANCELLATION and is_superseded(booking):
            raise Skip("moved: the change notice covers it")
        rows = _participants(booking.pk)
        one = "participant" in about  # its letter keeps the key it was queued with
        if one:
            rows = rows.filter(pk=int(about["participant"]))
        for participant in rows:
            found = invitee(participant)
            if found is not None:
                yield letter(booking=booking, invitee=found, kind=kind,
                             part="" if one else participant.pk)
    return letters


def _reminder_letters(about: About, secret: str | None) -> Iterator[Letter]:
    """The day-before reminder to every participant with an address, unless the booking
    was cancelled or moved after the reminder was scheduled."""
    booking = _booking(int(about["booking"]))
    if booking is None:
        raise Skip("gone")
    if booking.status != BookingStatus.BOOKED:
        raise Skip("cancelled")
    if booking.start != dt.datetime.fromisoformat(str(about["start"])) or is_superseded(booking):
        raise Skip("moved")
    for participant in _participants(booking.pk):
        found = invitee(participant)
        if found is not None:
            yield letter(booking=booking, invitee=found, kind=Kind.REMINDER, part=participant.pk)


def register_kinds() -> None:
    """Register the four kinds (SchedulingConfig.ready)."""
    for kind in (Kind.INVITATION, Kind.CHANGE, Kind.CANCELLATION):
        register_kind(kind, _notice_letters(kind))
    register_kind(Kind.REMINDER, _reminder_letters)


# ── in the request: what to send ──────────────────────────────────────────────────────

def booking_notice(*, booking_id: int, change: str,
                   start: dt.datetime | None = None) -> None:
    """Queue the e-mails about a booking that was just created, moved or cancelled.

    One notice task for the booking (the worker writes to each participant with an e-mail
    address: staff at their account's address, residents at theirs where known, guests at
    the one given) and, for a booking that is on, a reminder task due one day before
    ``start``. Called by the booking services after their transaction commits, with the
    start they wrote; reads nothing (``start`` is read when not given) and sends nothing
    itself. A booking cancelled because it was moved gets no cancellation notice: the
    worker sees the successor, whose change notice covers it.
    """
    change = Change(change)
    if start is None:
        start = Booking.objects.filter(pk=booking_id).values_list("start", flat=True).first()
        if start is None:
            logger.warning("booking notice for missing booking %s", booking_id)
            return
    notify(KIND_FOR_CHANGE[change], about={"booking": booking_id})
    reminder_at = start - REMINDER_BEFORE
    if change != Change.CANCELLED and reminder_at > timezone.now():
        notify(Kind.REMINDER, about={"booking": booking_id, "start": start.isoformat()},
               after=reminder_at)
    logger.info("booking %s %s: notice queued", booking_id, change)
