"""Recording of video calls: the section's setting, consents, start, pieces, stop, deletion
and the retention sweep (ADR 0012). Storage and the policy function are in recording.py.

Nothing is recorded unless (1) the booking's section allows recording, (2) a host starts
it for this call, and (3) everyone in the call (admitted) has answered "yes" for this room.
A recording stops by itself when someone without a "yes" enters the call, when someone in
it withdraws, when the host whose browser records leaves, and when the call ends; pieces
that arrive after the stop are not stored. Start and stop are on the consultation's
timeline; every change is announced to everyone in the room (signaling ``recording``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.meetings import errors, timeline
from madoguchi.meetings import recording as storage
from madoguchi.meetings.access import recording as access
from madoguchi.meetings.models import (
    Attendance,
    AttendanceState,
    Recording,
    RecordingConsent,
    RecordingConsentMethod,
    RecordingStatus,
    RecordingStopReason,
    Room,
    RoomStatus,
    SectionRecording,
)
from madoguchi.meetings.selectors.recording import (
    active,
    answers,
    attendance_key,
    decision,
    in_call,
)
from madoguchi.scheduling.models import ParticipantKind

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.meetings.models import RoomAccess
    from madoguchi.organisation.models import Section

log = logging.getLogger(__name__)

MAX_PIECE_BYTES = 2 * 1024 * 1024  # one second of the composed call is far less
ABANDONED_AFTER = dt.timedelta(minutes=5)  # no piece for this long: the recorder is gone
RECORD_TYPE = "meeting_recording"
RECORD_TYPE_CONSENT = "meeting_recording_consent"

NOT_ALLOWED = gettext_lazy("この課では、ビデオ相談の録画は認められていません。")
NO_KEY = gettext_lazy("録画を暗号化する鍵が設定されていないため、録画できません。"
                      "システム管理者にお知らせください。")


class RecordingNotPossible(errors.MeetingRefused):
    """A recording action is refused; ``message`` (Japanese) is safe to show to the user."""

    def __init__(self, code: str, message, status: int = 409):
        super().__init__(code, message, status)


# ── the section's setting ──────────────────────────────────────────────────────────────

def section_recording_set(*, section: Section, allowed: bool, by: User) -> SectionRecording:
    from django.core.exceptions import PermissionDenied

    if not can(by, Action.RECORDING_SETUP, section):
        raise PermissionDenied(_("この課の録画の設定を変更する権限がありません。"))
    with transaction.atomic():
        setting, _created = SectionRecording.objects.select_for_update().get_or_create(
            section=section, defaults={"allowed": allowed, "changed_by": by})
        if setting.allowed != allowed or setting.changed_by_id != by.pk:
            setting.allowed, setting.changed_by = allowed, by
            setting.save(update_fields=["allowed", "changed_by", "changed_at"])
    log.info("section %s recording allowed: %s", section.pk, allowed)
    return setting


# ── announcing ─────────────────────────────────────────────────────────────────────────

def _announce(room: Room, *, active_now: bool, reason: str = "") -> None:
    """After commit: everyone in the room (lobby and call) gets ``recording``."""
    def send() -> None:
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(room.everyone_group, {
                "type": "meet.recording", "active": active_now, "reason": reason})

    transaction.on_commit(send)


# ── consents ───────────────────────────────────────────────────────────────────────────

def consent_answer(*, room: Room, agreed: bool, user: User | None = None,
                   link: RoomAccess | None = None) -> RecordingConsent:
    """A person answers for themself: a staff member on the room page, a link holder on
    the lobby page. A "no" while recording stops the recording."""
    if (user is None) == (link is None):
        raise ValueError("answer as a staff login or as a link holder")
    with transaction.atomic():
        room = Room.objects.select_for_update(of=("self",)).select_related("booking").get(
            pk=room.pk)
        if room.status == RoomStatus.ENDED:
            raise RecordingNotPossible("room_ended", _("この相談は終了しました。"), 410)
        row = RecordingConsent.objects.create(
            room=room, user=user, participant=link.participant if link else None,
            agreed=agreed, method=RecordingConsentMethod.SCREEN, given_at=timezone.now(),
            recorded_by=user)
        guard(room=room, by=user, participant_kind=(link.participant.kind if link else None))
    return row


def consent_verbal(*, room: Room, peer: str, agreed: bool, by: User) -> RecordingConsent:
    """The host records the spoken answer of a participant without a staff login (the
    resident at the booth's tablet, or someone who cannot use the lobby page)."""
    if not can(by, Action.MEETING_HOST, room.booking):
        raise RecordingNotPossible("not_host", _("この操作は担当課の職員だけができます。"), 403)
    with transaction.atomic():
        room = Room.objects.select_for_update(of=("self",)).select_related("booking").get(
            pk=room.pk)
        target = (Attendance.objects.select_related("participant__resident")
                  .filter(room=room, peer=peer, user__isnull=True,
                          state__in=[AttendanceState.WAITING, AttendanceState.ADMITTED])
                  .first())
        if target is None:
            raise RecordingNotPossible(
                "unknown_peer", _("その参加者は見つかりません。すでに退室した可能性があります。"),
                404)
        row = RecordingConsent.objects.create(
            room=room, participant=target.participant, agreed=agreed,
            method=RecordingConsentMethod.VERBAL, given_at=timezone.now(), recorded_by=by)
        resident = target.participant.resident
        if resident is not None:
            audit.record(actor=by, action=(AuditAction.CONSENT_GIVE if agreed
                                           else AuditAction.CONSENT_WITHDRAW),
                         record_type=RECORD_TYPE_CONSENT, record_id=row.pk,
                         resident_ref=str(resident.public_id),
                         source="meetings:recording_verbal",
                         fields=["agreed", "method", "given_at", "recorded_by"])
        guard(room=room, by=by)
    return row


# ── start, pieces, stop ────────────────────────────────────────────────────────────────

def _missing_names(room: Room, missing: tuple[str, ...]) -> str:
    from madoguchi.meetings.services import label

    names = [label(a) for a in in_call(room) if attendance_key(a) in missing]
    return "、".join(names)


def recording_start(*, room: Room, by: User) -> Recording:
    """A host switches recording on for this call; their browser then uploads pieces."""
    if not can(by, Action.MEETING_HOST, room.booking):
        raise RecordingNotPossible("not_host", _("録画を始められるのは担当課の職員です。"), 403)
    with transaction.atomic():
        room = Room.objects.select_for_update(of=("self",)).select_related("booking").get(
            pk=room.pk)
        if room.status == RoomStatus.ENDED:
            raise RecordingNotPossible("room_ended", _("この相談は終了しました。"), 410)
        if not access.section_allows(room.booking):
            raise RecordingNotPossible("not_allowed", NOT_ALLOWED, 409)
        if active(room) is not None:
            raise RecordingNotPossible("already", _("すでに録画しています。"))
        mine = (Attendance.objects.filter(room=room, user=by, state=AttendanceState.ADMITTED)
                .order_by("-pk").first())
        if mine is None:
            raise RecordingNotPossible("not_in_call",
                                       _("通話に参加してから録画を始めてください。"))
        verdict = decision(room)
        if not verdict:
            raise RecordingNotPossible("consent_missing", _(
                "録画に同意していない参加者がいるため、録画できません: %(names)s") % {
                "names": _missing_names(room, verdict.missing)})
        now = timezone.now()
        try:
            begun = storage.recording_begin(
                call_ref=room.public_id.hex, enabled=True,
                participants=[attendance_key(a) for a in in_call(room)],
                participant_consents={k: r.agreed for k, r in answers(room).items()},
                recorded_at=now)
        except storage.RecordingKeyMissing:
            raise RecordingNotPossible("no_key", NO_KEY, 503) from None
        try:
            recording = Recording.objects.create(
                room=room, started_at=now, started_by=by, recorder_peer=mine.peer,
                file_name=begun.path.name, length=len(storage.MAGIC))
            timeline.record_recording(room, kind=timeline.RECORD_START, by=by)
        except BaseException:
            begun.path.unlink(missing_ok=True)
            raise
        _announce(room, active_now=True)
    log.info("recording %s started in room %s", recording.public_id, room.public_id)
    return recording


class RecordingClosed(RecordingNotPossible):
    """The recording was stopped: the browser stops recording, the piece is not stored."""

    def __init__(self):
        super().__init__("stopped", _("録画は停止しました。"), 409)


def recording_piece(*, recording: Recording, index: int, data: bytes, by: User) -> Recording:
    """Append piece ``index`` from the recorder's browser. A piece sent again (the answer
    was lost) is accepted once; a piece after the stop is refused (RecordingClosed)."""
    if len(data) > MAX_PIECE_BYTES:
        raise RecordingNotPossible("too_large", _("録画のデータが大きすぎます。"), 413)
    with transaction.atomic():
        current = Recording.objects.select_for_update().select_related("room").get(
            pk=recording.pk)
        if current.started_by_id != by.pk:
            raise RecordingNotPossible("not_recorder",
                                       _("この録画を送れるのは録画を始めた職員です。"), 403)
        if current.status != RecordingStatus.RECORDING:
            raise RecordingClosed
        if index == current.pieces - 1:
            return current  # sent again
        if index != current.pieces:
            raise RecordingNotPossible("out_of_order", _("録画のデータの順番が正しくありません。"))
        current.length = storage.recording_append(
            _path(current), length=current.length, index=index, data=data)
        current.pieces += 1
        current.size += len(data)
        current.last_piece_at = timezone.now()
        current.save(update_fields=["length", "pieces", "size", "last_piece_at"])
    return current


def _path(recording: Recording) -> Path:
    return storage.recordings_dir() / recording.file_name


def _stop(recording: Recording, *, reason: str, by: User | None,
          participant_kind: str | None = None) -> Recording:
    """Inside the caller's transaction, ``recording`` locked and active."""
    try:
        recording.length = storage.recording_finish(_path(recording), length=recording.length,
                                                    index=recording.pieces)
    except (OSError, storage.RecordingError) as problem:
        # The row still stops: nothing more is stored. The file stays incomplete.
        log.error("recording %s could not be finished: %s", recording.public_id,
                  type(problem).__name__)
    recording.status, recording.stopped_at = RecordingStatus.STOPPED, timezone.now()
    recording.stop_reason = reason
    recording.save(update_fields=["status", "stopped_at", "stop_reason", "length"])
    room = recording.room
    if by is None and participant_kind not in (ParticipantKind.RESIDENT, ParticipantKind.GUEST):
        by = recording.started_by  # stopped by itself: the recording host's recording
    timeline.record_recording(room, kind=timeline.RECORD_STOP, by=by,
                              participant_kind=participant_kind)
    _announce(room, active_now=False, reason=reason)
    transaction.on_commit(lambda: sweep_recordings.enqueue())
    log.info("recording %s stopped: %s, %s pieces", recording.public_id, reason,
             recording.pieces)
    return recording


def recording_stop(*, room: Room, by: User) -> Recording | None:
    """The host stops the recording (any host of the booking may)."""
    if not can(by, Action.MEETING_HOST, room.booking):
        raise RecordingNotPossible("not_host", _("この操作は担当課の職員だけができます。"), 403)
    with transaction.atomic():
        current = (Recording.objects.select_for_update().select_related("room")
                   .filter(room=room, status=RecordingStatus.RECORDING).first())
        if current is None:
            return None
        return _stop(current, reason=RecordingStopReason.HOST, by=by)


def guard(*, room: Room, by: User | None = None, participant_kind: str | None = None,
          reason: str | None = None) -> Recording | None:
    """Inside the caller's transaction, after who is in the call (or an answer) changed:
    stop the active recording if the call may no longer be recorded (the recorder's
    connection left, or someone in the call has no "yes"), or always with ``reason``
    (the call ended). Returns the stopped recording."""
    current = (Recording.objects.select_for_update().select_related("room")
               .filter(room=room, status=RecordingStatus.RECORDING).first())
    if current is None:
        return None
    if reason is None:
        recorder_in_call = Attendance.objects.filter(
            room=room, peer=current.recorder_peer, state=AttendanceState.ADMITTED).exists()
        if not recorder_in_call:
            reason = RecordingStopReason.RECORDER_LEFT
        elif not decision(room):
            reason = RecordingStopReason.CONSENT
        else:
            return None
    return _stop(current, reason=reason, by=by, participant_kind=participant_kind)


# ── deletion and retention ─────────────────────────────────────────────────────────────

def _delete_file(recording: Recording) -> None:
    try:
        storage.delete_recording(_path(recording))
    except ValueError:
        log.error("recording %s: file name outside the recordings folder", recording.public_id)


def recording_delete(*, recording: Recording, by: User) -> Recording:
    """The booking's section deletes a recording (the row stays, marked deleted)."""
    room = recording.room
    if not can(by, Action.RECORDING_DELETE, room):
        raise RecordingNotPossible("not_allowed", _("この録画を削除する権限がありません。"), 403)
    with transaction.atomic():
        current = Recording.objects.select_for_update().get(pk=recording.pk)
        if current.status == RecordingStatus.RECORDING:
            raise RecordingNotPossible(
                "recording", _("録画中は削除できません。先に録画を停止してください。"))
        if current.status == RecordingStatus.DELETED:
            return current
        _delete_file(current)
        current.status, current.deleted_at, current.deleted_by = (
            RecordingStatus.DELETED, timezone.now(), by)
        current.save(update_fields=["status", "deleted_at", "deleted_by"])
        audit.record(actor=by, action=AuditAction.UPDATE, record_type=RECORD_TYPE,
                     record_id=current.public_id, resident_ref=access.resident_ref(room),
                     source="meetings:recording_delete",
                     fields=["status", "deleted_at", "deleted_by"])
        timeline.record_recording(room, kind=timeline.RECORD_DELETE, by=by)
    return current


@dataclass(frozen=True)
class SweepResult:
    abandoned: int
    deleted: int
    files: int


def recordings_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Stop recordings whose browser stopped sending (no piece for ABANDONED_AFTER), delete
    the recordings older than ``MEETINGS_RECORDING_RETENTION_DAYS`` (the row stays, marked
    deleted), then let recording.py remove stray files past the same age."""
    from django.conf import settings

    now = now or timezone.now()
    abandoned = 0
    for pk in Recording.objects.filter(status=RecordingStatus.RECORDING).values_list(
            "pk", flat=True):
        with transaction.atomic():
            current = Recording.objects.select_for_update().select_related("room").get(pk=pk)
            last = current.last_piece_at or current.started_at
            if current.status == RecordingStatus.RECORDING and now - last >= ABANDONED_AFTER:
                _stop(current, reason=RecordingStopReason.ABANDONED, by=None)
                abandoned += 1
    cutoff = now - dt.timedelta(days=settings.MEETINGS_RECORDING_RETENTION_DAYS)
    deleted = 0
    for recording in Recording.objects.filter(status=RecordingStatus.STOPPED,
                                              started_at__lt=cutoff):
        with transaction.atomic():
            _delete_file(recording)
            Recording.objects.filter(pk=recording.pk).update(
                status=RecordingStatus.DELETED, deleted_at=now)
            deleted += 1
    files = storage.purge_expired_recordings(now=now)
    if abandoned or deleted or files:
        log.info("recording sweep: %s abandoned, %s deleted, %s stray files", abandoned,
                 deleted, len(files))
    return SweepResult(abandoned=abandoned, deleted=deleted, files=len(files))


@task()
def sweep_recordings() -> str:
    """The retention sweep (enqueued after every recording stops, and daily by
    ``manage.py sweep_recordings`` from cron or a systemd timer)."""
    result = recordings_sweep()
    return f"abandoned {result.abandoned}, deleted {result.deleted}, files {result.files}"
