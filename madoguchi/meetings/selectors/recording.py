"""Reads about call recordings: who has answered, whether the call may be recorded now,
what a page shows (ADR 0012)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from madoguchi.accounts.policy import Action, can
from madoguchi.meetings import recording as storage
from madoguchi.meetings.access import recording as access
from madoguchi.meetings.models import (
    Attendance,
    AttendanceState,
    Recording,
    RecordingConsent,
    RecordingStatus,
    Room,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.meetings.models import RoomAccess


def person_key(*, user_id: int | None = None, participant_id: int | None = None) -> str:
    """The reference of one person in a room for the policy (no name: ids only)."""
    return f"user-{user_id}" if user_id else f"participant-{participant_id}"


def attendance_key(attendance: Attendance) -> str:
    return person_key(user_id=attendance.user_id, participant_id=attendance.participant_id)


def answers(room: Room) -> dict[str, RecordingConsent]:
    """The latest answer of each person in ``room``."""
    latest: dict[str, RecordingConsent] = {}
    for row in RecordingConsent.objects.filter(room=room).order_by("given_at", "pk"):
        latest[person_key(user_id=row.user_id, participant_id=row.participant_id)] = row
    return latest


def in_call(room: Room) -> list[Attendance]:
    return list(Attendance.objects.filter(room=room, state=AttendanceState.ADMITTED)
                .select_related("user", "participant__resident"))


def decision(room: Room, *, enabled: bool = True) -> storage.RecordingDecision:
    """``recording.recording_decision`` for the people in the call now."""
    people = [attendance_key(a) for a in in_call(room)]
    given = {key: row.agreed for key, row in answers(room).items()}
    return storage.recording_decision(
        enabled=enabled and access.section_allows(room.booking), participants=people,
        participant_consents=given)


def active(room: Room) -> Recording | None:
    return Recording.objects.filter(room=room, status=RecordingStatus.RECORDING).first()



def recordings_of(room: Room) -> list[Recording]:
    return list(Recording.objects.filter(room=room).select_related("started_by", "deleted_by")
                .order_by("-started_at", "-pk"))


def _kind(attendance: Attendance) -> str:
    if attendance.user_id:
        return "staff"
    return attendance.participant.kind


def room_state(room: Room, *, user: User | None = None, link: RoomAccess | None = None) -> dict:
    """What the recording panel of the room page (staff) or the lobby page (link holder)
    shows: whether the section records at all, whether the call is being recorded, this
    person's answer; for hosts, everyone in the room with their answer."""
    from madoguchi.meetings.services import label

    allowed = access.section_allows(room.booking)
    current = active(room)
    given = answers(room)
    me = (attendance_key_of(user=user, link=link))
    mine = given.get(me)
    host = user is not None and can(user, Action.MEETING_HOST, room.booking)
    state = {
        "allowed": allowed,
        "active": current is not None,
        "since": current.started_at.isoformat() if current else None,
        "answer": None if mine is None else mine.agreed,
        "host": host,
        "recording": (str(current.public_id) if current and user is not None
                      and current.started_by_id == user.pk else None),
    }
    if host:
        people = []
        for attendance in (Attendance.objects.filter(
                room=room, state__in=[AttendanceState.WAITING, AttendanceState.ADMITTED])
                .select_related("user", "participant__resident").order_by("pk")):
            answer = given.get(attendance_key(attendance))
            people.append({
                "peer": attendance.peer, "label": label(attendance), "kind": _kind(attendance),
                "in_call": attendance.state == AttendanceState.ADMITTED,
                "answer": None if answer is None else answer.agreed,
                "method": answer.method if answer else "",
                "verbal": attendance.user_id is None,
            })
        state["people"] = people
    return state


def attendance_key_of(*, user: User | None, link: RoomAccess | None) -> str:
    if user is not None:
        return person_key(user_id=user.pk)
    return person_key(participant_id=link.participant_id) if link is not None else ""
