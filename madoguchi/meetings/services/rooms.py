"""Writes on video rooms: the room and its end, the lobby and the call (the one-time links
are in ``links``).

Each service checks who may act, writes in one transaction and appends the consultation
timeline entry in that transaction (madoguchi/meetings/timeline.py). Consumers call these
through ``database_sync_to_async``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
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
from madoguchi.meetings.services.links import access_check
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.models import BookingStatus, Participant, ParticipantKind

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

# A connection pings every 20 s (call.js); an open attendance silent for this long is a
# connection that ended without its departure being recorded: it is closed (ADR 0025).
ATTENDANCE_TTL = dt.timedelta(seconds=90)
SEEN_EVERY = dt.timedelta(seconds=15)  # how often a ping moves seen_at on
CLOSED_STATES = (AttendanceState.REFUSED, AttendanceState.REMOVED, AttendanceState.LEFT,
                 AttendanceState.DROPPED)


# ── rooms ──────────────────────────────────────────────────────────────────────────────

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
        access_check(link)
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
