"""Writes on video rooms: rooms, one-time links, the lobby and the call's end.

Each service checks who may act, writes in one transaction and appends the consultation
timeline entry in that transaction (madoguchi/meetings/timeline.py). Consumers call these
through ``database_sync_to_async``.
"""

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
from madoguchi.meetings import errors, timeline
from madoguchi.meetings.access import rooms as rules
from madoguchi.meetings.models import (
    Attendance,
    AttendanceState,
    RecordingStopReason,
    Room,
    RoomAccess,
    RoomStatus,
)
from madoguchi.meetings.services import recording as recordings
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.models import BookingStatus, Participant, ParticipantKind

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.scheduling.models import Booking

TOKEN_BYTES = 32
DEVICE_BYTES = 32
# A connection pings every 20 s (call.js); an open attendance silent for this long is a
# connection that ended without its departure being recorded: it is closed (ADR 0025).
ATTENDANCE_TTL = dt.timedelta(seconds=90)
SEEN_EVERY = dt.timedelta(seconds=15)  # how often a ping moves seen_at on
SESSION_DEVICES = "meetings.devices"  # {str(access pk): device key} in the browser's session
CLOSED_STATES = (AttendanceState.REFUSED, AttendanceState.REMOVED, AttendanceState.LEFT,
                 AttendanceState.DROPPED)


# ── rooms ──────────────────────────────────────────────────────────────────────────────

def room_for_booking(*, booking: Booking) -> Room:
    room, _created = Room.objects.get_or_create(booking=booking)
    return room


def room_end(*, room: Room, by: User) -> Room:
    if not can(by, Action.MEETING_HOST, room.booking):
        raise PermissionDenied(_("通話を終了できるのは担当課の職員です。"))
    with transaction.atomic():
        room = (Room.objects.select_for_update(of=("self",)).select_related("booking")
                .get(pk=room.pk))
        if room.status == RoomStatus.ENDED:
            return room
        now = timezone.now()
        room.status, room.ended_at, room.ended_by = RoomStatus.ENDED, now, by
        room.save(update_fields=["status", "ended_at", "ended_by"])
        (Attendance.objects.filter(room=room)
         .exclude(state__in=CLOSED_STATES).update(state=AttendanceState.LEFT, left_at=now))
        recordings.guard(room=room, by=by, reason=RecordingStopReason.ENDED)
        timeline.record(room, kind=timeline.END, by=by)
        scheduling.booking_finish(booking=room.booking, at=now)
    return room


# ── one-time links ─────────────────────────────────────────────────────────────────────

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
    return (RoomAccess.objects.filter(participant=participant, revoked_at__isnull=True)
            .update(revoked_at=timezone.now(), revoked_by=by))


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
        (RoomAccess.objects.filter(room=room, participant=participant, revoked_at__isnull=True)
         .update(revoked_at=now, revoked_by=by))
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


def _usable(link: RoomAccess, *, after_call: bool = False) -> None:
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
    _usable(link)
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
    see ``_usable``)."""
    ids = [int(pk) for pk in devices if str(pk).isdigit()]
    for link in (RoomAccess.objects.select_related("room__booking", "participant")
                 .filter(room=room, pk__in=ids).order_by("-pk")):
        if link.device_hash and link.device_hash == digest(devices[str(link.pk)]):
            _usable(link, after_call=after_call)
            return link
    raise errors.MeetingRefused("not_participant", errors.NOT_PARTICIPANT, 403)


# ── lobby and call ─────────────────────────────────────────────────────────────────────

def label(attendance: Attendance) -> str:
    """The name shown to the others in the call (never logged)."""
    if attendance.user_id:
        return str(attendance.user)
    participant = attendance.participant
    if participant.kind == ParticipantKind.RESIDENT and participant.resident_id:
        return participant.resident.full_name
    return participant.name or participant.get_kind_display()


# (is host, staff participant): what staff_entry found for one staff login in one room.
StaffEntry = tuple[bool, "Participant | None"]


def staff_entry(*, room: Room, user: User) -> StaffEntry:
    """(is host, staff participant) for a staff login; refuses everyone else."""
    booking = room.booking
    if room.status == RoomStatus.ENDED:
        raise errors.MeetingRefused("room_ended", errors.ROOM_ENDED, 410)
    # rules.may_enter, with each rule asked once.
    host, participant = rules.is_host(user, booking), rules.staff_participant(user, booking)
    if booking.status != BookingStatus.BOOKED or not (host or participant is not None):
        raise errors.MeetingRefused("not_participant", errors.NOT_PARTICIPANT, 403)
    return host, participant


def attendance_join(*, room: Room, channel_name: str, user: User | None = None,
                    link: RoomAccess | None = None, kiosk=None,
                    entry: StaffEntry | None = None) -> Attendance:
    """Enter the room: hosts (and people returning after a dropped connection) are in the
    call at once; everyone else waits in the lobby. ``kiosk`` (a meetings.BoothKiosk): the
    booth's tablet enters as the booking's resident, once they have consented on it.
    ``entry``: what ``staff_entry`` found for ``user`` when this connection opened (the
    socket checks it then), so that the join does not ask again; the room's and the
    booking's state are read again below, in the transaction, all the same."""
    host, participant = False, None
    if user is not None:
        host, participant = entry if entry is not None else staff_entry(room=room, user=user)
    elif link is not None:
        _usable(link)
        participant = link.participant
    elif kiosk is not None:
        from madoguchi.meetings.kiosk import kiosk_entry

        participant = kiosk_entry(kiosk=kiosk, room=room)
    else:
        raise errors.MeetingRefused("not_participant", errors.NOT_PARTICIPANT, 403)
    expire_silent(room=room)  # connections that died unnoticed leave first
    now = timezone.now()
    with transaction.atomic():
        room = (Room.objects.select_for_update(of=("self",)).select_related("booking")
                .get(pk=room.pk))
        if room.status == RoomStatus.ENDED:
            raise errors.MeetingRefused("room_ended", errors.ROOM_ENDED, 410)
        if user is not None and room.booking.status != BookingStatus.BOOKED:
            raise errors.MeetingRefused("not_participant", errors.NOT_PARTICIPANT, 403)
        same = Attendance.objects.filter(room=room)
        same = same.filter(user=user) if user is not None else same.filter(
            participant=participant, user__isnull=True)
        previous = same.order_by("-pk").first()
        returning = previous is not None and previous.state in (AttendanceState.ADMITTED,
                                                                AttendanceState.DROPPED)
        state = AttendanceState.ADMITTED if host or returning else AttendanceState.WAITING
        attendance = Attendance.objects.create(
            room=room, peer=secrets.token_hex(8), channel_name=channel_name, user=user,
            participant=participant, access=link, is_host=host, state=state,
            admitted_at=now if state == AttendanceState.ADMITTED else None)
        if host and room.status == RoomStatus.OPEN:
            room.status, room.started_at = RoomStatus.LIVE, now
            room.save(update_fields=["status", "started_at"])
        if not returning:
            timeline.record(room, kind=timeline.JOIN, by=user, attendance=attendance)
        # A recording starts only under this room's lock (recording_start): one look says
        # whether there is one to guard.
        recording = recordings.active(room)
        if recording is not None and state == AttendanceState.ADMITTED:
            # Someone in the call without a "yes" to recording stops it (ADR 0012).
            recordings.guard(room=room, by=user,
                             participant_kind=participant.kind if user is None else None)
            recording = recordings.active(room)
        attendance.recording_active = recording is not None
    return attendance


def _host_attendance(room: Room, by: Attendance) -> None:
    if not by.is_host or by.state != AttendanceState.ADMITTED or by.room_id != room.pk:
        raise errors.MeetingRefused("not_host", _("この操作は担当課の職員だけができます。"))


def _decide(*, room: Room, peer: str, by: Attendance, kind: str, from_states, to_state
            ) -> Attendance:
    _host_attendance(room, by)
    with transaction.atomic():
        target = (Attendance.objects.select_for_update(of=("self",))
                  .select_related("participant", "user")
                  .filter(room=room, peer=peer, state__in=from_states).first())
        if target is None:
            raise errors.MeetingRefused("unknown_peer",
                                        _("その参加者は見つかりません。すでに退室した可能性があります。"),
                                        404)
        target.state = to_state
        if to_state == AttendanceState.ADMITTED:
            target.admitted_at = timezone.now()
        else:
            target.left_at = timezone.now()
        target.save(update_fields=["state", "admitted_at", "left_at"])
        if to_state == AttendanceState.REMOVED and target.access_id:
            RoomAccess.objects.filter(pk=target.access_id).update(device_hash="", bound_at=None)
        timeline.record(room, kind=kind, by=by.user, attendance=target)
        # Before the newcomer hears "admitted": no recording with someone who said no.
        recordings.guard(room=room, by=by.user)
    return target


def attendance_admit(*, room: Room, peer: str, by: Attendance) -> Attendance:
    return _decide(room=room, peer=peer, by=by, kind=timeline.ADMIT,
                   from_states=[AttendanceState.WAITING], to_state=AttendanceState.ADMITTED)


def attendance_refuse(*, room: Room, peer: str, by: Attendance) -> Attendance:
    return _decide(room=room, peer=peer, by=by, kind=timeline.REFUSE,
                   from_states=[AttendanceState.WAITING], to_state=AttendanceState.REFUSED)


def attendance_remove(*, room: Room, peer: str, by: Attendance) -> Attendance:
    if peer == by.peer:
        raise errors.MeetingRefused("bad_peer", _("自分自身を退室させることはできません。"), 400)
    return _decide(room=room, peer=peer, by=by, kind=timeline.REMOVE,
                   from_states=[AttendanceState.WAITING, AttendanceState.ADMITTED],
                   to_state=AttendanceState.REMOVED)


def attendance_seen(*, attendance: Attendance) -> None:
    """The connection is alive (a ping): move its ``seen_at`` on, at most every SEEN_EVERY."""
    now = timezone.now()
    if now - attendance.seen_at < SEEN_EVERY:
        return
    attendance.seen_at = now
    Attendance.objects.filter(pk=attendance.pk).exclude(state__in=CLOSED_STATES).update(
        seen_at=now)


def expire_silent(*, room: Room) -> int:
    """Close the room's open attendances not seen for ATTENDANCE_TTL, as dropped
    connections: nobody stays in the lobby or the call as a ghost."""
    silent = (Attendance.objects.filter(room=room, seen_at__lt=timezone.now() - ATTENDANCE_TTL)
              .exclude(state__in=CLOSED_STATES))
    return sum(attendance_leave(attendance=a, dropped=True) is not None for a in silent)


def attendance_leave(*, attendance: Attendance, dropped: bool) -> Attendance | None:
    """The connection ended: on purpose (``leave``) or not (network drop). Returns the
    attendance if it was still open."""
    with transaction.atomic():
        current = (Attendance.objects.select_for_update(of=("self",))
                   .select_related("room__booking", "participant", "user")
                   .filter(pk=attendance.pk).exclude(state__in=CLOSED_STATES).first())
        if current is None:
            return None
        was_in_call = current.state == AttendanceState.ADMITTED
        current.state = AttendanceState.DROPPED if dropped and was_in_call else AttendanceState.LEFT
        current.left_at = timezone.now()
        current.save(update_fields=["state", "left_at"])
        if not dropped:
            if current.access_id:
                RoomAccess.objects.filter(pk=current.access_id).update(device_hash="",
                                                                        bound_at=None)
            timeline.record(current.room, kind=timeline.LEAVE, by=current.user,
                            attendance=current)
        if was_in_call:
            # The recording host's connection left: nobody records any more.
            recordings.guard(room=current.room, by=current.user,
                             participant_kind=(current.participant.kind
                                               if current.user_id is None else None))
    return current


# ── reads ──────────────────────────────────────────────────────────────────────────────

def _alive(room: Room):
    return Attendance.objects.filter(room=room, seen_at__gte=timezone.now() - ATTENDANCE_TTL)


def peers_in_call(*, room: Room, exclude: str = "") -> list[dict]:
    rows = (_alive(room).filter(state=AttendanceState.ADMITTED)
            .exclude(peer=exclude).select_related("user", "participant__resident"))
    return [{"peer": a.peer, "label": label(a), "host": a.is_host, "channel": a.channel_name}
            for a in rows]


def call_and_lobby(*, room: Room, exclude: str = "") -> tuple[list[dict], list[dict]]:
    """``peers_in_call`` and ``waiting`` in one query (what a host sees on entering)."""
    rows = (_alive(room).filter(state__in=(AttendanceState.ADMITTED, AttendanceState.WAITING))
            .exclude(peer=exclude).select_related("user", "participant__resident"))
    peers, lobby = [], []
    for a in rows:
        if a.state == AttendanceState.ADMITTED:
            peers.append({"peer": a.peer, "label": label(a), "host": a.is_host,
                          "channel": a.channel_name})
        else:
            lobby.append({"peer": a.peer, "label": label(a)})
    return peers, lobby


def waiting(*, room: Room) -> list[dict]:
    rows = (_alive(room).filter(state=AttendanceState.WAITING)
            .select_related("user", "participant__resident"))
    return [{"peer": a.peer, "label": label(a)} for a in rows]
