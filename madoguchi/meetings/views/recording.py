"""Pages and endpoints of call recordings (ADR 0012).

In the call (JSON, used by js/recorder.js on the room page and the lobby page): the panel's
state, a person's own answer, a host recording a spoken answer, start and stop, and the
encrypted upload of the recorder's pieces. For staff afterwards: the list of a room's
recordings, playback/download (decrypted on the fly, every request audited) and deletion;
and the sections' setting.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.policy import Action, can, has_role_for
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.meetings import errors, services
from madoguchi.meetings import recording as storage
from madoguchi.meetings.access import recording as access
from madoguchi.meetings.models import Recording, RecordingStatus, Room, SectionRecording
from madoguchi.meetings.selectors.recording import recordings_of, room_state
from madoguchi.meetings.services import recording as recordings


def _problem(code: str, message, status: int) -> JsonResponse:
    return JsonResponse({"error": code, "message": str(message)}, status=status)


def _room(public_id) -> Room:
    return get_object_or_404(Room.objects.select_related("booking"), public_id=public_id)


def requester(request, room: Room):
    """(staff user, None) or (None, one-time link) of someone who may be in ``room``;
    MeetingRefused otherwise."""
    user = request.user
    if user.is_authenticated:
        if not can(user, Action.MEETING_JOIN, room.booking):
            raise errors.MeetingRefused("not_participant", errors.NOT_PARTICIPANT, 403)
        return user, None
    devices = dict(request.session.get(services.SESSION_DEVICES, {}))
    return None, services.access_for_session(room=room, devices=devices)


def _host(request, room: Room):
    if not request.user.is_authenticated or not can(request.user, Action.MEETING_HOST,
                                                    room.booking):
        raise errors.MeetingRefused("not_host", _("この操作は担当課の職員だけができます。"), 403)
    return request.user


def recorder_text() -> dict[str, str]:
    """The words js/recorder.js shows, in the page's language. ``%(name)s`` is filled in
    by the script."""
    return {
        "live": _("録画中"),
        "answered_yes": _("録画に同意すると回答しました。"),
        "answered_no": _("録画に同意しないと回答しました。"),
        "yes": _("同意あり"), "no": _("同意なし"), "none": _("未回答"),
        "verbal": _("口頭で確認"), "waiting": _("待合室"),
        "verbal_yes": _("口頭で同意を確認した"), "verbal_no": _("同意しないと確認した"),
        "for_name": _("%(name)sさん"),
        "started": _("録画を開始しました。参加者全員に「録画中」と表示されます。"),
        "stopped": _("録画を停止しました。"),
        "stopped_by_server": _("録画は停止しました。"),
        "unsupported": _("このブラウザーでは録画できません。"),
        "failed": _("録画を続けられませんでした。もう一度、録画を開始してください。"),
        "network": _("通信できませんでした。もう一度お試しください。"),
    }


# ── in the call ────────────────────────────────────────────────────────────────────────

def _in_call(*, host: bool = False):
    """A JSON endpoint of the call: ``view(request, room, user, link)`` for someone who may
    be in the room (``host``: a host of the booking only); refusals become JSON answers."""
    def wrap(view):
        @functools.wraps(view)
        def endpoint(request, public_id):
            room = _room(public_id)
            try:
                user, link = (_host(request, room), None) if host else requester(request, room)
                return view(request, room, user, link)
            except errors.MeetingRefused as refused:  # and RecordingNotPossible
                return _problem(refused.code, refused.message, refused.status)
        return endpoint
    return wrap


@require_GET
@never_cache
@_in_call()
def recording_state(request, room, user, link):
    return JsonResponse(room_state(room, user=user, link=link))


@require_POST
@never_cache
@_in_call()
def recording_consent(request, room, user, link):
    """The person's own answer: ``agree`` = ``yes`` or ``no``."""
    agree = request.POST.get("agree")
    if agree not in ("yes", "no"):
        return _problem("bad_field", _("「同意する」か「同意しない」を選んでください。"), 400)
    recordings.consent_answer(room=room, agreed=agree == "yes", user=user, link=link)
    return JsonResponse(room_state(room, user=user, link=link))


@require_POST
@never_cache
@_in_call(host=True)
def recording_verbal(request, room, user, link):
    """A host records a participant's spoken answer: ``peer``, ``agree`` = yes / no."""
    agree, peer = request.POST.get("agree"), str(request.POST.get("peer", ""))
    if agree not in ("yes", "no") or not peer:
        return _problem("bad_field", _("参加者と回答を選んでください。"), 400)
    recordings.consent_verbal(room=room, peer=peer, agreed=agree == "yes", by=user)
    return JsonResponse(room_state(room, user=user))


@require_POST
@never_cache
@_in_call(host=True)
def recording_start(request, room, user, link):
    recording = recordings.recording_start(room=room, by=user)
    return JsonResponse({
        **room_state(room, user=user),
        "piece": reverse("meetings:recording_piece", kwargs={"public_id": recording.public_id}),
    })


@require_POST
@never_cache
@_in_call(host=True)
def recording_stop(request, room, user, link):
    recordings.recording_stop(room=room, by=user)
    return JsonResponse(room_state(room, user=user))


@require_POST
@never_cache
def recording_piece(request, public_id):
    """One piece of the recorder's MediaRecorder output (raw body), ``?index=N``. Answers
    ``{"active": true}``, or 409 ``{"active": false}`` once the recording was stopped."""
    recording = Recording.objects.select_related("room").filter(public_id=public_id).first()
    if recording is None or recording.started_by_id != request.user.pk:
        return _problem("not_recorder", _("この録画を送れるのは録画を始めた職員です。"), 403)
    index = request.GET.get("index", "")
    if not index.isdigit():
        return _problem("bad_field", _("録画のデータの順番が正しくありません。"), 400)
    try:
        data = request.body
    except RequestDataTooBig:
        return _problem("too_large", _("録画のデータが大きすぎます。"), 413)
    try:
        recordings.recording_piece(recording=recording, index=int(index), data=data,
                                   by=request.user)
    except recordings.RecordingClosed as closed:
        return JsonResponse({"active": False, "error": closed.code, "message": closed.message},
                            status=409)
    except recordings.RecordingNotPossible as problem:
        return _problem(problem.code, problem.message, problem.status)
    return JsonResponse({"active": True})


# ── afterwards (staff) ─────────────────────────────────────────────────────────────────

def _viewable(request, room: Room) -> None:
    if not can(request.user, Action.RECORDING_VIEW, room):
        raise PermissionDenied(_("この録画を見る権限がありません。"))


def _viewable_recording(request, public_id) -> Recording:
    recording = get_object_or_404(Recording.objects.select_related("room__booking"),
                                  public_id=public_id)
    _viewable(request, recording.room)
    return recording


def _list_page(request, room: Room, *, error: str = "", status: int = 200):
    audit.record(actor=request.user, action=AuditAction.LIST, record_type=recordings.RECORD_TYPE,
                 record_id=room.public_id, resident_ref=access.resident_ref(room),
                 source="meetings:recordings", fields=["started_at", "size", "status"])
    return render(request, "meetings/recordings.html", {
        "room": room, "booking": room.booking, "rows": recordings_of(room),
        "may_delete": can(request.user, Action.RECORDING_DELETE, room), "error": error,
        "retention_days": settings.MEETINGS_RECORDING_RETENTION_DAYS}, status=status)


@require_GET
@never_cache
@login_required
def recordings_list(request, public_id):
    room = _room(public_id)
    _viewable(request, room)
    return _list_page(request, room)


@require_GET
@never_cache
@login_required
def recording_file(request, public_id):
    """The decrypted WebM, streamed (``?download=1``: as an attachment)."""
    recording = _viewable_recording(request, public_id)
    if recording.status != RecordingStatus.STOPPED:
        raise Http404(_("この録画は再生できません。"))
    download = request.GET.get("download") == "1"
    try:
        chunks = storage.iter_recording(storage.recordings_dir() / recording.file_name)
        first = next(chunks, b"")
    except (OSError, storage.RecordingError):
        return _list_page(request, recording.room, status=409, error=_(
            "録画を読み出せませんでした。システム管理者にお知らせください。"))
    audit.record(actor=request.user, action=AuditAction.EXPORT if download else AuditAction.VIEW,
                 record_type=recordings.RECORD_TYPE, record_id=recording.public_id,
                 resident_ref=access.resident_ref(recording.room),
                 source="meetings:recording_file", fields=["file"])

    def stream():
        yield first
        yield from chunks

    response = StreamingHttpResponse(stream(), content_type="video/webm")
    response["Content-Length"] = str(recording.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    disposition = "attachment" if download else "inline"
    name = f"recording-{recording.public_id}.webm"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@require_POST
@login_required
def recording_delete(request, public_id):
    recording = _viewable_recording(request, public_id)
    if not can(request.user, Action.RECORDING_DELETE, recording.room):
        raise PermissionDenied(_("この録画を削除する権限がありません。"))
    try:
        recordings.recording_delete(recording=recording, by=request.user)
    except recordings.RecordingNotPossible as problem:
        return _list_page(request, recording.room, error=problem.message, status=409)
    return redirect("meetings:recordings", public_id=recording.room.public_id)


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def recording_sections(request):
    """Which sections record video calls at all (section managers: their own section;
    ward administrators: every section)."""
    if not has_role_for(request.user, Action.RECORDING_SETUP):
        raise PermissionDenied
    sections = list(access.setup_sections(request.user).select_related("kind")
                    .order_by("code"))
    error, status = "", 200
    if request.method == "POST":
        chosen = str(request.POST.get("section", ""))
        section = next((s for s in sections if chosen.isdigit() and s.pk == int(chosen)), None)
        allowed = request.POST.get("allowed")
        if section is None or allowed not in ("yes", "no"):
            error, status = _("課と設定を選んでください。"), 400
        else:
            recordings.section_recording_set(section=section, allowed=allowed == "yes",
                                              by=request.user)
            return redirect("meetings:recording_sections")
    allowed_ids = set(SectionRecording.objects.filter(section__in=sections, allowed=True)
                      .values_list("section_id", flat=True))
    rows = [{"section": s, "allowed": s.pk in allowed_ids} for s in sections]
    return render(request, "meetings/recording_sections.html",
                  {"rows": rows, "error": error}, status=status)
