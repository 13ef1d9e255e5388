"""The e-mails about a booking: invitation, change notice, cancellation notice, reminder.

Plain text in Japanese (an English line is added for participants whose language is
English), one message per recipient with an .ics attachment. Nothing here sends: the
tasks do. Each message names only its recipient, never the other participants.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.mime.text import MIMEText
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from madoguchi.core.dates import wareki
from madoguchi.notifications.ical import TOKYO, EventData, Method, build_ics
from madoguchi.organisation.contact import ward_phone

if TYPE_CHECKING:
    from madoguchi.scheduling.models import Booking, Participant

SENDER_NAME = "世田谷区"
REMOTE_PLACE = "オンライン（ご自宅など）"
REMOTE_PLACE_EN = "online (from home or elsewhere)"
WHAT_TO_BRING = ("本人確認書類（マイナンバーカード、運転免許証、健康保険の資格確認書など）、"
                 "ご相談に関係する書類（区からの通知、お手紙など）、眼鏡・補聴器など"
                 "ふだんお使いのもの")


class Kind(StrEnum):
    INVITATION = "invitation"
    CHANGE = "change"
    CANCELLATION = "cancellation"
    REMINDER = "reminder"


SUBJECTS = {
    Kind.INVITATION: "【世田谷区】オンライン相談のご案内",
    Kind.CHANGE: "【世田谷区】オンライン相談の日時変更のお知らせ",
    Kind.CANCELLATION: "【世田谷区】オンライン相談の取消しのお知らせ",
    Kind.REMINDER: "【世田谷区】明日のオンライン相談のお知らせ",
}


@dataclass(frozen=True)
class Recipient:
    participant_id: int
    email: str
    name: str
    kind: str  # resident / staff / guest
    remote: bool
    english: bool


def recipient_for(participant: Participant) -> Recipient | None:
    """Who a participant's mail goes to, or None when they have no e-mail address."""
    user = participant.user
    resident = participant.resident
    email = ""
    name = participant.name or ""
    english = False
    if participant.kind == "staff" and user is not None:
        email = user.email or participant.email
        name = name or str(user)
        english = user.preferred_language == "en"
    elif participant.kind == "resident" and resident is not None:
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
    return Recipient(participant_id=participant.pk, email=email, name=name.strip(),
                     kind=participant.kind, remote=bool(participant.remote), english=english)


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


def place_for(booking: Booking, recipient: Recipient) -> str:
    centre_place = _centre_place(booking)
    if recipient.kind == "staff":
        if recipient.remote or not centre_place:
            return ("オンライン" + (f"（相談者の会場：{centre_place}）" if centre_place else ""))
        return centre_place
    if recipient.remote or not centre_place:
        return REMOTE_PLACE
    return centre_place


def place_en(booking: Booking, recipient: Recipient) -> str:
    if recipient.remote or booking.centre_id is None:
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


def compose(*, booking: Booking, recipient: Recipient, kind: Kind) -> EmailMessage:
    """One message for one recipient, with its .ics attachment."""
    with translation.override("ja"):
        cancelled = kind == Kind.CANCELLATION
        previous = booking.rescheduled_from if kind == Kind.CHANGE else None
        who, phone = contact_phone(booking)
        context = {
            "kind": str(kind),
            "recipient": recipient,
            "booking": booking,
            "when": when(booking.start, booking.end),
            "when_en": when_en(booking.start, booking.end),
            "old_when": when(previous.start, previous.end) if previous else "",
            "old_when_en": when_en(previous.start, previous.end) if previous else "",
            "change_reason": (previous.cancel_reason if previous else ""),
            "cancel_reason": booking.cancel_reason if cancelled else "",
            "place": place_for(booking, recipient),
            "place_en": place_en(booking, recipient),
            "section": booking.section,
            "what_to_bring": WHAT_TO_BRING if recipient.kind != "staff" else "",
            "section_label": section_label(booking.section),
            "contact": contact_line(booking),
            "contact_phone": phone,
            "is_staff": recipient.kind == "staff",
        }
        body = render_to_string("notifications/mail/booking.txt", context)
        local_start = timezone.localtime(booking.start, TOKYO)
        subject = (f"{SUBJECTS[kind]} {wareki(local_start, weekday=True)} "
                   f"{local_start:%H:%M}")
        method = Method.CANCEL if cancelled else Method.REQUEST
        ics = build_ics(EventData(
            uid=event_uid(booking),
            sequence=event_sequence(booking, cancelled=cancelled),
            start=booking.start, end=booking.end,
            summary=summary_for(booking),
            location=(context["place"]),
            description=f"取消し・変更のご連絡：{who}（電話 {phone}）",
            organizer_email=settings.DEFAULT_FROM_EMAIL,
            organizer_name=SENDER_NAME,
            attendee_email=recipient.email,
            cancelled=cancelled,
        ), method=method)
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[recipient.email],
                           headers={"Auto-Submitted": "auto-generated"})
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", str(method))
    part.add_header("Content-Disposition", "attachment",
                    filename="cancel.ics" if cancelled else "invite.ics")
    message.attach(part)
    return message
