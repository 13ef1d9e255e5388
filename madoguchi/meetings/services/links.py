"""Writes on a video room's one-time links: issuing them (to a consultation's resident or
guest by staff, to the resident of a self-made booking, to an event's guest for the context
that added them), revoking and withdrawing them, opening a link in one browser and finding
the link a browser's session holds. The token is shown once and only its digest is kept.
``room_for_booking`` (a booking's room, made when first needed) is here because every
link needs it."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.core.tokens import digest
from madoguchi.meetings import errors
from madoguchi.meetings.models import Room, RoomAccess, RoomStatus
from madoguchi.scheduling.models import BookingStatus, Participant, ParticipantKind

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.scheduling.models import Booking

TOKEN_BYTES = 32
DEVICE_BYTES = 32
SESSION_DEVICES = "meetings.devices"  # {str(access pk): device key} in the browser's session


def room_for_booking(*, booking: Booking) -> Room:
    room, _created = Room.objects.get_or_create(booking=booking)
    return room


def access_issue(*, room: Room, participant: Participant, by: User) -> tuple[RoomAccess, str]:
    """A new link for ``participant`` (earlier links for them are revoked). Returns the
    link and its token; the token is shown once and never stored."""
    booking = room.booking
    if not can(by, Action.MEETING_HOST, booking):
        raise PermissionDenied(_("参加用リンクを発行できるのは担当課の職員です。"))
    return _issue(room, participant, by)


def access_issue_for_resident(*, booking: Booking, by: User) -> tuple[RoomAccess, str]:
    """A new link for the resident of a booking the resident made themself (ADR 0049):
    ``by`` is the self-service account and the caller has checked that the booking is the
    resident's own. As ``access_issue`` otherwise (earlier links revoked, shown once)."""
    participant = booking.participants.get(kind=ParticipantKind.RESIDENT)
    return _issue(room_for_booking(booking=booking), participant, by)


def access_issue_for_guest(*, participant: Participant, by: User) -> tuple[RoomAccess, str]:
    """A new link for a guest of a booking without a section, made by another context
    through scheduling's ``resource_book`` (an event's session, ADR 0064): that context
    has checked who may; ``by`` is named as the link's issuer. As ``access_issue``
    otherwise (earlier links of the guest revoked, the token shown once)."""
    booking = participant.booking
    if booking.section_id is not None or participant.kind != ParticipantKind.GUEST:
        raise ValidationError(_("この予約の参加者には、担当課の職員がリンクを発行します。"))
    return _issue(room_for_booking(booking=booking), participant, by)


def access_withdraw(*, participant: Participant, by: User | None = None) -> int:
    """Revoke every live link of ``participant`` (the context that added the guest ended
    their part, e.g. a cancelled registration; ADR 0064). ``by``: the staff member, or
    None when the resident did it themself. The number revoked."""
    return _revoke_live(participant=participant, by=by, at=timezone.now())


def _revoke_live(*, participant: Participant, by: User | None, at: dt.datetime,
                 room: Room | None = None) -> int:
    """Revoke the live links of ``participant`` (only those of ``room`` when given) in one
    UPDATE, at ``at`` by ``by``. The number revoked."""
    links = RoomAccess.objects.filter(participant=participant, revoked_at__isnull=True)
    if room is not None:
        links = links.filter(room=room)
    return links.update(revoked_at=at, revoked_by=by)


def _issue(room: Room, participant: Participant, by: User) -> tuple[RoomAccess, str]:
    booking = room.booking
    if participant.booking_id != booking.pk or participant.kind == ParticipantKind.STAFF:
        raise ValidationError(_("この相談の区民または外部の参加者を選んでください。"))
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError(errors.BOOKING_CANCELLED)
    now = timezone.now()
    if booking.end <= now:
        raise ValidationError(_("予約の終了時刻を過ぎているため、リンクを発行できません。"))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        _revoke_live(participant=participant, by=by, at=now, room=room)
        link = RoomAccess.objects.create(room=room, participant=participant,
                                         token_hash=digest(token), expires_at=booking.end,
                                         created_by=by)
    return link, token


def access_revoke(*, link: RoomAccess, by: User) -> RoomAccess:
    if not can(by, Action.MEETING_HOST, link.room.booking):
        raise PermissionDenied(_("参加用リンクを取り消せるのは担当課の職員です。"))
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by = timezone.now(), by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def access_check(link: RoomAccess, *, after_call: bool = False) -> None:
    """Raise MeetingRefused unless the link may be used now; ``after_call``: also once
    the call is over (to receive the files shared in it, until the link expires)."""
    booking = link.room.booking
    if link.revoked_at is not None:
        raise errors.MeetingRefused("link_revoked", errors.LINK_REVOKED, 410)
    if booking.status == BookingStatus.CANCELLED:
        raise errors.MeetingRefused("booking_cancelled", errors.BOOKING_CANCELLED, 410)
    if timezone.now() >= link.expires_at:
        raise errors.MeetingRefused("link_expired", errors.LINK_EXPIRED, 410)
    if not after_call and call_over(link.room):
        raise errors.MeetingRefused("room_ended", errors.ROOM_ENDED, 410)


def access_open(*, token: str, devices: dict[str, str]) -> tuple[RoomAccess, str]:
    """Open a link from a browser whose session holds ``devices``; bind the link to this
    browser if it is free. Returns the link and this browser's device key (to keep in the
    session). Raises MeetingRefused (unknown, revoked, expired, in use elsewhere)."""
    if not token or len(token) > 200:
        raise errors.MeetingRefused("link_unknown", errors.LINK_UNKNOWN, 404)
    link = (RoomAccess.objects.select_related("room__booking", "participant")
            .filter(token_hash=digest(token)).first())
    if link is None:
        raise errors.MeetingRefused("link_unknown", errors.LINK_UNKNOWN, 404)
    access_check(link)
    key = devices.get(str(link.pk)) or secrets.token_urlsafe(DEVICE_BYTES)
    if link.device_hash == digest(key):
        return link, key
    # Bind only if nobody holds it: one conditional UPDATE, so two devices cannot both win.
    bound = (RoomAccess.objects.filter(pk=link.pk, device_hash="")
             .update(device_hash=digest(key), bound_at=timezone.now()))
    if not bound:
        raise errors.MeetingRefused("link_in_use", errors.LINK_IN_USE, 409)
    link.device_hash = digest(key)
    return link, key


def call_over(room: Room) -> bool:
    """The call ended, or its booking was finished (the consultation closed)."""
    return room.status == RoomStatus.ENDED or room.booking.status == BookingStatus.FINISHED


def access_for_session(*, room: Room, devices: dict[str, str],
                       after_call: bool = False) -> RoomAccess:
    """The usable link of ``room`` that this browser's session is bound to (``after_call``:
    see ``access_check``)."""
    ids = [int(pk) for pk in devices if str(pk).isdigit()]
    for link in (RoomAccess.objects.select_related("room__booking", "participant")
                 .filter(room=room, pk__in=ids).order_by("-pk")):
        if link.device_hash and link.device_hash == digest(devices[str(link.pk)]):
            access_check(link, after_call=after_call)
            return link
    raise errors.MeetingRefused("not_participant", errors.NOT_PARTICIPANT, 403)
