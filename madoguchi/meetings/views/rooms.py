"""Pages of the video rooms: the staff call page (with the lobby and the one-time links),
and the guest page a one-time link opens. The call itself runs in meeting.js."""

from __future__ import annotations

import logging
import uuid
from functools import partial

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.policy import Action, can, has_role_for
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.consultations import documents
from madoguchi.core.templatetags.wareki import wareki_datetime
from madoguchi.files.services import FileRefused
from madoguchi.files.uploads import bound_upload_form
from madoguchi.meetings import errors, messages, services, sharing
from madoguchi.meetings import kiosk as kiosk_services
from madoguchi.meetings.models import BoothKiosk, Room, RoomAccess
from madoguchi.organisation.models import Booth
from madoguchi.scheduling.messages import invitee
from madoguchi.scheduling.models import Booking, ParticipantKind

logger = logging.getLogger("madoguchi.meetings")

MAX_PEERS = 6
KIOSK_POLL_SECONDS = 3
KIOSK_RETURN_SECONDS = 6


def _call_text() -> dict[str, str]:
    """The words the room page shows (meeting.js, call.js), in the page's language
    (Japanese msgids).
    ``%(name)s`` / ``%(count)s`` are filled in by the script."""
    return {
        "state_new": _("準備中"), "state_connecting": _("接続中"),
        "state_alone": _("相手の参加を待っています"),
        "state_connected": _("良好"), "state_reconnecting": _("再接続中"),
        "state_disconnected": _("不安定"), "state_failed": _("接続できません"),
        "state_closed": _("終了"),
        "no_media": _("カメラまたはマイクを使えません。ブラウザーの設定で許可してください。"
                      "音声と映像を受け取ることはできます。"),
        "participant": _("参加者"),
        "peer_problem": _("相手との接続で問題が起きました。"),
        "admit": _("入室を許可"), "refuse": _("お断りする"),
        "button_for": _("%(name)sさん: %(action)s"),
        "waiting_one": _("%(name)sさんが待っています"),
        "waiting_count": _("待合室で%(count)s人が待っています。"),
        "joined_alone": _("通話に参加しました。ほかの参加者を待っています。"),
        "joined": _("通話に参加しました。"),
        "peer_joined": _("%(name)sさんが参加しました。"),
        "peer_left": _("%(name)sさんが退室しました。"),
        "not_entered": _("入室できませんでした。"),
        "reconnecting": _("接続が切れました。再接続しています…"),
        "mic_off": _("マイクを消音しました。"), "mic_on": _("マイクをオンにしました。"),
        "camera_off": _("カメラを止めました。"), "camera_on": _("カメラをオンにしました。"),
        "unmute": _("消音を解除"), "mute": _("マイクを消音"),
        "camera_start": _("カメラをオンにする"), "camera_stop": _("カメラを止める"),
        "left": _("退室しました。"),
        "confirm_end": _("相談を終了しますか？全員の通話が終わります。"),
        "camera_n": _("カメラ %(n)s"),
        "camera_switched": _("カメラを「%(name)s」に切り替えました。"),
        "camera_switched_sharing": _("カメラを「%(name)s」に切り替えました。"
                                     "画面の共有をやめると、このカメラの映像に戻ります。"),
        "camera_failed": _("このカメラを使えません。ほかのカメラを選んでください。"),
        "share_start": _("画面を共有する"), "share_stop": _("共有をやめる"),
        "sharing": _("画面を共有しています。やめるときは「共有をやめる」を押してください。"),
        "share_ended": _("画面の共有をやめました。カメラの映像に戻しました。"),
        "share_cancelled": _("画面の共有を取り消しました。"),
        "share_failed": _("画面を共有できませんでした。"),
    }


def _config(room: Room, role: str) -> dict:
    return {
        "ws": f"/ws/meet/{room.public_id}/",
        "iceServers": list(getattr(settings, "MEETINGS_ICE_SERVERS", []) or []),
        "role": role,
        "maxPeers": MAX_PEERS,
        "text": _call_text(),
    }


def _room_or_403(request, public_id) -> Room:
    room = get_object_or_404(Room.objects.select_related("booking__section"),
                             public_id=public_id)
    if not can(request.user, Action.MEETING_JOIN, room.booking):
        raise PermissionDenied(errors.NOT_PARTICIPANT)
    return room


def _audit_residents_shown(request, participants) -> None:
    """The host's page names the resident taking part: audited as a view of the resident."""
    shown = [(p.resident_id, p.resident.public_id) for p in participants if p.resident_id]
    audit.record_many(actor=request.user, action=AuditAction.VIEW, record_type="resident",
                      records=shown, source=request.resolver_match.view_name)


def _participant_label(participant) -> str:
    """The participant's name on the host's room page (a resident's from their record)."""
    return participant.resident.full_name if participant.resident_id else str(participant)


def _room_page(request, room: Room, *, status: int = 200, issued=None, error: str = ""):
    host = can(request.user, Action.MEETING_HOST, room.booking)
    participants = []
    if host:
        links = {link.participant_id: link for link in
                 RoomAccess.objects.filter(room=room, revoked_at__isnull=True)}
        for participant in (room.booking.participants.exclude(kind=ParticipantKind.STAFF)
                            .select_related("resident")):
            participants.append({"participant": participant,
                                 "label": _participant_label(participant),
                                 "link": links.get(participant.pk),
                                 "can_mail": invitee(participant) is not None})
        _audit_residents_shown(request, [p["participant"] for p in participants])
    return render(request, "meetings/room.html", {
        "room": room, "booking": room.booking, "host": host, "participants": participants,
        "issued": issued, "error": error,
        "issued_name": _participant_label(issued["participant"]) if issued else "",
        "config": _config(room, "host" if host else "staff"),
    }, status=status)


@require_GET
@login_required
def booking_room(request, public_id):
    """The booking's room (made on first use)."""
    booking = get_object_or_404(Booking, public_id=public_id)
    if not can(request.user, Action.MEETING_JOIN, booking):
        raise PermissionDenied(errors.NOT_PARTICIPANT)
    room = services.room_for_booking(booking=booking)
    return redirect("meetings:room", public_id=room.public_id)


@require_GET
@never_cache
@login_required
def room(request, public_id):
    return _room_page(request, _room_or_403(request, public_id))


@require_POST
@never_cache
@login_required
def link_create(request, public_id):
    room = _room_or_403(request, public_id)
    if not can(request.user, Action.MEETING_HOST, room.booking):
        raise PermissionDenied
    participant = room.booking.participants.select_related("user", "resident").filter(
        pk=request.POST.get("participant") if str(request.POST.get("participant", "")).isdigit()
        else None).first()
    if participant is None:
        return _room_page(request, room, status=400, error=_("参加者を選んでください。"))
    by_mail = request.POST.get("send_mail") == "1"
    if by_mail and invitee(participant) is None:
        return _room_page(request, room, status=400, error=_(
            "この参加者はメールアドレスが登録されていないため、メールで送れません。"))
    try:
        with transaction.atomic():
            link, token = services.access_issue(room=room, participant=participant,
                                                by=request.user)
            url = request.build_absolute_uri(reverse("meetings:join", kwargs={"token": token}))
            if by_mail:  # sent by the worker once this transaction commits
                messages.room_link_notice(access_id=link.pk, url=url)
    except ValidationError as problem:
        return _room_page(request, room, status=400, error=" ".join(problem.messages))
    return _room_page(request, room, issued={"participant": participant, "url": url,
                                             "mailed": by_mail})


@require_POST
@login_required
def link_revoke(request, public_id, pk):
    room = _room_or_403(request, public_id)
    if not can(request.user, Action.MEETING_HOST, room.booking):
        raise PermissionDenied
    link = get_object_or_404(RoomAccess, room=room, pk=pk)
    services.access_revoke(link=link, by=request.user)
    return redirect("meetings:room", public_id=room.public_id)


@require_GET
@never_cache
def join(request, token):
    """The page a one-time link opens (no login): binds the link to this browser."""
    devices = dict(request.session.get(services.SESSION_DEVICES, {}))
    try:
        link, key = services.access_open(token=token, devices=devices)
    except errors.MeetingRefused as refused:
        return render(request, "meetings/refused.html", {"message": refused.message},
                      status=refused.status)
    devices[str(link.pk)] = key
    request.session[services.SESSION_DEVICES] = devices
    return render(request, "meetings/join.html", {
        "room": link.room, "booking": link.room.booking,
        "config": _config(link.room, "guest"),
    })


# ── booth kiosk mode ───────────────────────────────────────────────────────────────────

def _kiosk_text() -> dict[str, str]:
    return {
        **_call_text(),
        "none_today": _("きょうの ビデオ相談は もう ありません。"),
        "next": _("つぎの ビデオ相談"),
        "time": _("%(start)s から %(end)s まで"),
        "wait_staff": _("係の人が はじめるまで、すこし おまちください。"),
        "consent_title": _("ビデオ通話を はじめます"),
        "wait_admit": _("係の人が 入るのを まっています。すこし おまちください。"),
        "declined": _("ビデオ相談を やめました。センターの 係の人に 声を かけてください。"),
        "thanks": _("おわりました。ありがとうございました。"),
        "error": _("うまく いきませんでした。センターの 係の人に 声を かけてください。"),
        "show_document": _("書類を うつす"), "show_face": _("顔を うつす"),
        "showing_document": _("書類を うつしています。"
                              "書類が カメラに うつるように おいてください。"),
        "showing_face": _("顔を うつしています。"),
        "camera_problem": _("カメラを 切りかえられませんでした。係の人に 声を かけてください。"),
    }


def _kiosk_refused(request, message):
    return render(request, "meetings/kiosk_refused.html", {"message": message}, status=403)


@require_GET
@never_cache
def kiosk(request, token):
    """The booth tablet's page (no login): the key in the address is kept in the session."""
    try:
        kiosk_services.kiosk_for_key(token)
    except errors.MeetingRefused as refused:
        request.session.pop(kiosk_services.SESSION_KIOSK, None)
        return _kiosk_refused(request, refused.message)
    request.session[kiosk_services.SESSION_KIOSK] = token
    config = {
        "state": reverse("meetings:kiosk_state"),
        "consent": reverse("meetings:kiosk_consent"),
        "home": request.path,
        "csrf": get_token(request),
        "iceServers": list(getattr(settings, "MEETINGS_ICE_SERVERS", []) or []),
        "pollSeconds": KIOSK_POLL_SECONDS,
        "returnSeconds": KIOSK_RETURN_SECONDS,
        "text": _kiosk_text(),
    }
    return render(request, "meetings/kiosk.html", {"config": config})


def _session_kiosk(request):
    return kiosk_services.kiosk_for_key(request.session.get(kiosk_services.SESSION_KIOSK))


@require_GET
@never_cache
def kiosk_state(request):
    """What the tablet shows now (polled): time and section of the booth's next consultation
    today, and whether its call has started. Never the resident."""
    try:
        kiosk = _session_kiosk(request)
    except errors.MeetingRefused as refused:
        return JsonResponse({"error": refused.code, "message": refused.message}, status=403)
    return JsonResponse(kiosk_services.state(kiosk=kiosk))


@require_POST
@never_cache
def kiosk_consent(request):
    """「同意して はじめる」: record the resident's consent to the call that has started."""
    try:
        kiosk = _session_kiosk(request)
    except errors.MeetingRefused as refused:
        return JsonResponse({"error": refused.code, "message": refused.message}, status=403)
    try:
        room_id = uuid.UUID(str(request.POST.get("room", "")))
    except ValueError:
        return JsonResponse({"error": "bad_field", "message": _("部屋を指定してください。")},
                            status=400)
    room = Room.objects.select_related("booking").filter(public_id=room_id).first()
    if room is None:
        return JsonResponse({"error": "not_participant",
                             "message": str(kiosk_services.NO_CALL)}, status=404)
    try:
        kiosk_services.kiosk_consent(kiosk=kiosk, room=room)
    except errors.MeetingRefused as refused:
        return JsonResponse({"error": refused.code, "message": refused.message},
                            status=refused.status)
    except (PermissionDenied, ValidationError):
        return JsonResponse({"error": "consent_failed", "message": _(
            "同意を記録できませんでした。センターの 係の人に 声を かけてください。")}, status=409)
    return JsonResponse({"ws": f"/ws/meet/{room.public_id}/"})


def _manageable_booths(user):
    booths = Booth.objects.select_related("centre__district").filter(is_active=True)
    return [booth for booth in booths if can(user, Action.KIOSK_MANAGE, booth)]


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def kiosks(request):
    """Issue or revoke the key of a booth's tablet (district staff of the centre, ward
    administrators). A new key's address is shown once."""
    if not has_role_for(request.user, Action.KIOSK_MANAGE):
        raise PermissionDenied
    booths = _manageable_booths(request.user)
    issued, error, status = None, "", 200
    if request.method == "POST":
        booth_id = str(request.POST.get("booth", ""))
        booth = next((b for b in booths if booth_id.isdigit() and b.pk == int(booth_id)), None)
        action = request.POST.get("action")
        if booth is None or action not in ("issue", "revoke"):
            error, status = _("ブースと操作を選んでください。"), 400
        elif action == "issue":
            _kiosk, key = kiosk_services.kiosk_issue(booth=booth, by=request.user)
            issued = {"booth": booth, "url": request.build_absolute_uri(
                reverse("meetings:kiosk", kwargs={"token": key}))}
        else:
            for active in BoothKiosk.objects.filter(booth=booth, revoked_at__isnull=True):
                kiosk_services.kiosk_revoke(kiosk=active, by=request.user)
            return redirect("meetings:kiosks")
    active = {k.booth_id: k for k in BoothKiosk.objects.filter(
        booth__in=booths, revoked_at__isnull=True)}
    rows = [{"booth": booth, "kiosk": active.get(booth.pk)} for booth in booths]
    return render(request, "meetings/kiosks.html",
                  {"rows": rows, "issued": issued, "error": error}, status=status)


# ── files shared in the call (into the consultation record) ───────────────────────────

FILES_POLL_SECONDS = 5


def _sharing(request, room: Room):
    """(sharer, consultation) of a files request; raises MeetingRefused."""
    sharer = sharing.sharer_for(room=room, user=request.user,
                                devices=dict(request.session.get(services.SESSION_DEVICES, {})))
    return sharer, documents.consultation_of_booking(room.booking_id)


def _files_room(public_id) -> Room:
    return get_object_or_404(Room.objects.select_related("booking__section"),
                             public_id=public_id)


def _files_panel(request, room, *, sharer=None, consultation=None, message: str = "",
                 ok: bool = False, status: int = 200):
    """The list of files shared in this call (polled), and the outcome of a share as an
    out-of-band message; a whole page when the request did not come from htmx."""
    note = ""
    if sharer is not None and consultation is None:
        note = _("この通話には相談の記録がないため、資料は共有できません。")
    elif sharer is not None and sharer.attended:
        note = _("通話は終了しました。この通話で共有された資料は、%(until)sまで受け取れます。") % {
            "until": wareki_datetime(sharer.link.expires_at)}
    elif sharer is not None and not sharer.admitted:
        note = _("通話に入ると、資料を共有したり受け取ったりできます。")
    can_share = bool(sharer and sharer.admitted and consultation is not None)
    receives = bool(sharer and sharer.receives and consultation is not None)
    stopped = sharer is None or sharer.attended
    context = {
        "room": room, "note": note, "can_share": can_share, "message": message, "ok": ok,
        "documents": documents.room_documents(room.booking_id) if receives else [],
        "poll_seconds": FILES_POLL_SECONDS, "stopped": stopped,
    }
    if request.htmx:
        # Refusals are answered with 200 (htmx swaps them in) or, for the polled list,
        # 286: htmx stops polling a call the person can no longer take part in (the
        # files of a call that is over stay listed, with no more polling).
        code = 286 if stopped and request.method == "GET" else 200
        return render(request, "meetings/_files_list.html", context, status=code)
    return render(request, "meetings/files_page.html", context, status=status)


@require_GET
@never_cache
def files(request, public_id):
    """The files shared in this call (htmx polls it)."""
    room = _files_room(public_id)
    try:
        sharer, consultation = _sharing(request, room)
    except errors.MeetingRefused as refused:
        return _files_panel(request, room, message=refused.message, status=refused.status)
    return _files_panel(request, room, sharer=sharer, consultation=consultation)


@require_POST
@never_cache
def file_share(request, public_id):
    """Share a file into the consultation record from the call (anyone admitted to it).
    Too large, forbidden type, empty, infected: a message in the panel, nothing stored."""
    room = _files_room(public_id)
    try:
        sharer, consultation = _sharing(request, room)
    except errors.MeetingRefused as refused:
        return _files_panel(request, room, message=refused.message, status=refused.status)
    panel = partial(_files_panel, request, room, sharer=sharer, consultation=consultation)
    if consultation is None or not sharer.admitted:
        return panel(message=_("通話に入ってから、資料を共有してください。") if consultation
                     else _("この通話には相談の記録がないため、資料は共有できません。"),
                     status=403)
    form = bound_upload_form(request, documents.PURPOSE)
    if not form.is_valid():
        return panel(message=" ".join(form.errors["file"]), status=400)
    upload = form.cleaned_data["file"]
    try:
        document = documents.document_add(
            consultation=consultation, data=upload, name=upload.name, by=sharer.user,
            participant_kind=sharer.participant_kind, place=documents.DocumentPlace.ROOM,
            booking=room.booking, source="meetings:file_share")
    except FileRefused as problem:
        return panel(message=problem.message, status=problem.status())
    return panel(ok=True, message=_("「%(name)s」を共有しました。相談の記録にも保存しました。")
                 % {"name": document.file.original_name})


@require_GET
@never_cache
def file_download(request, public_id, file_id):
    """A file shared in this call, for anyone admitted to it (staff downloads audited)."""
    room = _files_room(public_id)
    try:
        sharer, _consultation = _sharing(request, room)
    except errors.MeetingRefused as refused:
        return render(request, "meetings/refused.html", {"message": refused.message},
                      status=refused.status)
    if not sharer.receives:
        return render(request, "meetings/refused.html", {
            "message": _("通話に入っている間だけ、共有された資料を受け取れます。")}, status=403)
    document = documents.document_in_room(booking_id=room.booking_id, file_id=file_id)
    if document is None:
        raise Http404
    try:
        handle = documents.document_open(document=document, by=sharer.user,
                                         source="meetings:file_download")
    except FileRefused as problem:
        return render(request, "meetings/refused.html", {"message": problem.message},
                      status=404)
    if sharer.link is not None:
        logger.info("room %s: file %s downloaded through link %s", room.public_id,
                    document.file.public_id, sharer.link.pk)
    return FileResponse(handle, as_attachment=True, filename=document.file.original_name,
                        content_type=document.file.content_type)
