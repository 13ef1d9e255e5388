"""Pages of the video rooms: the staff call page (with the lobby and the one-time links),
and the guest page a one-time link opens. The call itself runs in meeting.js."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.meetings import errors, messages, services
from madoguchi.meetings.models import Room, RoomAccess
from madoguchi.scheduling.messages import invitee
from madoguchi.scheduling.models import Booking, ParticipantKind

MAX_PEERS = 6
KIOSK_POLL_SECONDS = 3
KIOSK_RETURN_SECONDS = 6


def call_text() -> dict[str, str]:
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
        "text": call_text(),
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
