"""Pages of a booth's kiosk mode (the tablet in the booth): its screen, its state poll, the
resident's consent, and the list of kiosks staff manage."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.policy import Action, can, has_role_for
from madoguchi.meetings import errors
from madoguchi.meetings import kiosk as kiosk_services
from madoguchi.meetings.models import BoothKiosk, Room
from madoguchi.meetings.views.rooms import (
    KIOSK_POLL_SECONDS,
    KIOSK_RETURN_SECONDS,
    call_text,
)
from madoguchi.organisation.models import Booth

# ── booth kiosk mode ───────────────────────────────────────────────────────────────────

def _kiosk_text() -> dict[str, str]:
    return {
        **call_text(),
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
