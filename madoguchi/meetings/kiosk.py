"""Booth kiosk mode: the tablet in a centre's private booth.

A district staff member of the centre (or a ward administrator) issues a key for a booth;
the tablet opens ``/meet/kiosk/<key>/`` once and keeps the key in its session (only the
key's SHA-256 is stored). The tablet shows the booth's next consultation today by time and
section only; when the section's staff member has started the call, it asks the resident
for consent, records it (people consent, method 画面で同意, recorded by the booking's
organiser) and enters the call as the booking's resident participant.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.accounts.policy import Action, can
from madoguchi.core.tokens import digest
from madoguchi.meetings import errors, timeline
from madoguchi.meetings.models import BoothKiosk, KioskConsent, Room, RoomStatus
from madoguchi.people import services as people_services
from madoguchi.people.models import Consent, ConsentMethod, ConsentPurpose
from madoguchi.scheduling.models import Booking, BookingStatus, Participant, ParticipantKind

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.organisation.models import Booth

KEY_BYTES = 32
SESSION_KIOSK = "meetings.kiosk"  # the kiosk key, in the tablet's session
SOURCE = "kiosk"

KIOSK_UNKNOWN = gettext_lazy("この端末は使えません。センターの職員にお知らせください。")
NO_CALL = gettext_lazy("いまは ビデオ相談に 入れません。")


# ── keys (staff) ───────────────────────────────────────────────────────────────────────

def kiosk_issue(*, booth: Booth, by: User) -> tuple[BoothKiosk, str]:
    """A new key for ``booth`` (the earlier one is revoked). The key is shown once."""
    if not can(by, Action.KIOSK_MANAGE, booth):
        raise PermissionDenied(_("このブースの端末の鍵を発行する権限がありません。"))
    key = secrets.token_urlsafe(KEY_BYTES)
    now = timezone.now()
    with transaction.atomic():
        (BoothKiosk.objects.filter(booth=booth, revoked_at__isnull=True)
         .update(revoked_at=now, revoked_by=by))
        kiosk = BoothKiosk.objects.create(booth=booth, key_hash=digest(key), created_by=by)
    return kiosk, key


def kiosk_revoke(*, kiosk: BoothKiosk, by: User) -> BoothKiosk:
    if not can(by, Action.KIOSK_MANAGE, kiosk.booth):
        raise PermissionDenied(_("このブースの端末の鍵を取り消す権限がありません。"))
    if kiosk.revoked_at is None:
        kiosk.revoked_at, kiosk.revoked_by = timezone.now(), by
        kiosk.save(update_fields=["revoked_at", "revoked_by"])
    return kiosk


def kiosk_for_key(key: str | None) -> BoothKiosk:
    """The active kiosk whose key is ``key``; MeetingRefused otherwise."""
    if not key or not isinstance(key, str) or len(key) > 200:
        raise errors.MeetingRefused("kiosk_unknown", KIOSK_UNKNOWN, 403)
    kiosk = (BoothKiosk.objects.select_related("booth__centre")
             .filter(key_hash=digest(key), revoked_at__isnull=True).first())
    if kiosk is None:
        raise errors.MeetingRefused("kiosk_unknown", KIOSK_UNKNOWN, 403)
    return kiosk


# ── what the tablet shows ──────────────────────────────────────────────────────────────

def next_booking(*, kiosk: BoothKiosk, now: dt.datetime | None = None) -> Booking | None:
    """Today's next consultation at the kiosk's booth that is not over (its call not
    ended)."""
    now = now or timezone.now()
    day_end = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    return (Booking.objects.select_related("section", "room")
            .filter(booth_id=kiosk.booth_id, status=BookingStatus.BOOKED, end__gt=now,
                    start__lte=day_end)
            .exclude(room__status=RoomStatus.ENDED)
            .order_by("start", "pk").first())


def state(*, kiosk: BoothKiosk) -> dict:
    """The waiting screen's data: time and section only, never the resident."""
    booking = next_booking(kiosk=kiosk)
    if booking is None:
        return {"booking": None, "live": False, "room": None}
    room = getattr(booking, "room", None)
    live = room is not None and room.status == RoomStatus.LIVE
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    return {
        "booking": {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}",
                    "section": booking.section.name},
        "live": live,
        "room": str(room.public_id) if live else None,
    }


def _resident_participant(booking: Booking) -> Participant | None:
    return (booking.participants.select_related("resident")
            .filter(kind=ParticipantKind.RESIDENT).first())


def _call_at_booth(kiosk: BoothKiosk, room: Room) -> Participant:
    booking = room.booking
    if (booking.booth_id != kiosk.booth_id or booking.status != BookingStatus.BOOKED
            or room.status != RoomStatus.LIVE):
        raise errors.MeetingRefused("not_participant", NO_CALL, 403)
    participant = _resident_participant(booking)
    if participant is None:
        raise errors.MeetingRefused("not_participant", NO_CALL, 403)
    return participant


# ── consent and entry ──────────────────────────────────────────────────────────────────

def kiosk_consent(*, kiosk: BoothKiosk, room: Room) -> KioskConsent:
    """The resident pressed 「同意して はじめる」: record their consent to online
    consultation (unless one is already active) and this call's consent on the kiosk, and
    put it on the consultation's timeline. Idempotent for one call."""
    with transaction.atomic():
        room = (Room.objects.select_for_update(of=("self",)).select_related("booking")
                .get(pk=room.pk))
        participant = _call_at_booth(kiosk, room)
        done = KioskConsent.objects.filter(room=room, participant=participant).first()
        if done is not None:
            return done
        resident = participant.resident
        consent = Consent.objects.filter(resident=resident,
                                         purpose=ConsentPurpose.ONLINE_CONSULTATION,
                                         withdrawn_at__isnull=True).first()
        if consent is None:
            organiser = (room.booking.participants
                         .filter(kind=ParticipantKind.STAFF, is_organiser=True)
                         .select_related("user").first())
            if organiser is None:
                raise errors.MeetingRefused("not_participant", NO_CALL, 403)
            consent = people_services.consent_give(
                by=organiser.user, resident=resident,
                purpose=ConsentPurpose.ONLINE_CONSULTATION, method=ConsentMethod.SCREEN,
                note=_("ブース端末で本人が同意"), source=SOURCE)
        given = KioskConsent.objects.create(room=room, kiosk=kiosk, participant=participant,
                                            consent=consent, given_at=timezone.now())
        timeline.record_kiosk_consent(room)
    return given


def kiosk_entry(*, kiosk: BoothKiosk, room: Room) -> Participant:
    """The resident participant the kiosk enters the call as (after consenting)."""
    participant = _call_at_booth(kiosk, room)
    if not KioskConsent.objects.filter(room=room, participant=participant).exists():
        raise errors.MeetingRefused("not_participant", NO_CALL, 403)
    return participant
