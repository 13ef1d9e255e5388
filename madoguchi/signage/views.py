"""Pages of signage (ADR 0043).

Staff: the items (create, approve or refuse with a reason, withdraw), the screens (their
status, keys) with the proof-of-play log, and the emergency message. The player (no
login; its screen's key in the session, as the booth kiosk's): its page, service worker,
schedule, media and heartbeat.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import Action, can, own_district_ids, roles
from madoguchi.files import services as files
from madoguchi.organisation.models import DistrictCentre, Region
from madoguchi.signage import emergency as emergencies
from madoguchi.signage import selectors, services
from madoguchi.signage.access import branch_region_ids
from madoguchi.signage.errors import SignageRefused
from madoguchi.signage.forms import EmergencyForm, ItemForm, ScreenForm
from madoguchi.signage.models import Emergency, Item, Kind, Screen, Status

POLL_SECONDS = 60  # schedule poll with the socket open
FALLBACK_POLL_SECONDS = 5  # while the socket is down: the emergency message still arrives
HEARTBEAT_SECONDS = 30


def _units(user):
    """(centres, regions) the user may target."""
    if Role.WARD_ADMIN in roles(user):
        return DistrictCentre.objects.all(), Region.objects.all()
    branch = branch_region_ids(user)
    centres = DistrictCentre.objects.filter(
        district_id__in=own_district_ids(user)) | DistrictCentre.objects.filter(
        district__region_id__in=branch)
    return centres.select_related("district"), Region.objects.filter(pk__in=branch)


def _item_form(request, data=None, files_=None):
    centres, regions = _units(request.user)
    screens = Screen.objects.filter(centre__in=centres).select_related("centre")
    return ItemForm(data, files_, centres=centres, regions=regions, screens=screens)


# ── items ─────────────────────────────────────────────────────────────────────────────

@require_GET
@never_cache
@policy_required(Action.SIGNAGE_WRITE)
def items(request):
    rows = selectors.visible_items(request.user)
    return render(request, "signage/items.html", {
        "rows": rows, "pending": [i for i in rows if i.status == Status.PENDING]})


def _input(form: ItemForm) -> services.ItemInput:
    d = form.cleaned_data
    return services.ItemInput(
        kind=d["kind"], title=d.get("title") or "", body=d.get("body") or "",
        large=bool(d.get("large")), qr_url=(d.get("qr_url") or "").strip(),
        seconds=d.get("seconds") or 15, pdf_page=d.get("pdf_page") or 1,
        starts_at=d.get("starts_at"), ends_at=d.get("ends_at"),
        weekdays=list(d.get("weekdays") or []), dayparts=list(d.get("dayparts") or []),
        ward_wide=bool(d.get("ward_wide")), regions=list(d.get("regions") or []),
        centres=list(d.get("centres") or []), screens=list(d.get("screens") or []))


@require_http_methods(["GET", "POST"])
@never_cache
@policy_required(Action.SIGNAGE_WRITE)
def item_create(request):
    if request.method == "GET":
        return render(request, "signage/item_form.html", {"form": _item_form(request)})
    form = _item_form(request, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            item = services.item_create(by=request.user, data=_input(form),
                                        upload=form.cleaned_data.get("file"))
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(None if field == "targets" or field not in form.fields
                               else field, problems)
        except PermissionDenied as denied:
            form.add_error(None, str(denied) or _("この表示先に登録する権限がありません。"))
            status = 403
        else:
            messages.success(request, _("掲示物を登録しました。承認されると画面に表示されます。"))
            return redirect("signage:item", item=item.public_id)
    return render(request, "signage/item_form.html", {"form": form}, status=status)


def _item(request, public_id) -> Item:
    item = get_object_or_404(Item.objects.select_related("author", "decided_by", "file"),
                             public_id=public_id)
    if not (item.author_id == request.user.pk or can(request.user, Action.SIGNAGE_WRITE, item)
            or can(request.user, Action.SIGNAGE_APPROVE, item)):
        raise Http404
    return item


@require_GET
@never_cache
@policy_required(Action.SIGNAGE_WRITE)
def item_detail(request, item):
    found = _item(request, item)
    return render(request, "signage/item.html", {
        "item": found, "may_approve": found.status == Status.PENDING
        and can(request.user, Action.SIGNAGE_APPROVE, found),
        "may_withdraw": found.status in (Status.PENDING, Status.APPROVED),
        "playable_now": selectors.playable(found, _now())})


def _now():
    from django.utils import timezone

    return timezone.now()


@require_POST
@never_cache
@policy_required(Action.SIGNAGE_APPROVE)
def item_decide(request, item):
    found = _item(request, item)
    try:
        if request.POST.get("decision") == "approve":
            services.item_approve(by=request.user, item=found)
            messages.success(request, _("承認しました。"))
        elif request.POST.get("decision") == "refuse":
            services.item_refuse(by=request.user, item=found, reason=request.POST.get("reason"))
            messages.success(request, _("差し戻しました。"))
        else:
            messages.error(request, _("承認するか差し戻すかを選んでください。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except SignageRefused as refused:
        messages.error(request, refused.message)
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    return redirect("signage:item", item=found.public_id)


@require_POST
@never_cache
@policy_required(Action.SIGNAGE_WRITE)
def item_withdraw(request, item):
    found = _item(request, item)
    if request.POST.get("withdraw") != "1":
        messages.error(request, _("「掲載を終了する」を押してください。"))
        return redirect("signage:item", item=found.public_id)
    try:
        services.item_withdraw(by=request.user, item=found)
        messages.success(request, _("掲載を終了しました。各画面からすぐに消えます。"))
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    return redirect("signage:item", item=found.public_id)


# ── screens ───────────────────────────────────────────────────────────────────────────

@require_http_methods(["GET", "POST"])
@never_cache
@policy_required(Action.SIGNAGE_SCREENS)
def screens(request):
    centres, _regions = _units(request.user)
    form = ScreenForm(centres=centres)
    issued, status = None, 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            form = ScreenForm(request.POST, centres=centres)
            status = 400
            if form.is_valid():
                try:
                    services.screen_create(by=request.user, centre=form.cleaned_data["centre"],
                                           name=form.cleaned_data["name"])
                except ValidationError as error:
                    form.add_error("name", error.messages)
                except PermissionDenied as denied:
                    form.add_error(None, str(denied))
                else:
                    return redirect("signage:screens")
        elif action in ("issue", "revoke"):
            screen = Screen.objects.select_related("centre__district").filter(
                public_id=_uuid(request.POST.get("screen"))).first()
            if screen is None or not can(request.user, Action.SIGNAGE_SCREENS, screen):
                messages.error(request, _("画面を選んでください。"))
                return redirect("signage:screens")
            if action == "issue":
                key = services.screen_key_issue(by=request.user, screen=screen)
                issued = {"screen": screen, "url": request.build_absolute_uri(
                    reverse("signage:player_key", kwargs={"key": key}))}
            else:
                services.screen_key_revoke(by=request.user, screen=screen)
                messages.success(request, _("鍵を取り消しました。その画面には何も表示されません。"))
                return redirect("signage:screens")
        else:
            messages.error(request, _("操作を選んでください。"))
            return redirect("signage:screens")
    rows = [selectors.screen_status(s) for s in selectors.visible_screens(request.user)]
    return render(request, "signage/screens.html",
                  {"rows": rows, "form": form, "issued": issued}, status=status)


def _uuid(text):
    import uuid

    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


@require_GET
@never_cache
@policy_required(Action.SIGNAGE_SCREENS)
def plays(request):
    mine = selectors.visible_screens(request.user)
    return render(request, "signage/plays.html", {"plays": selectors.plays_of(mine)})


# ── emergency ─────────────────────────────────────────────────────────────────────────

@require_http_methods(["GET", "POST"])
@never_cache
@policy_required(Action.SIGNAGE_EMERGENCY)
def emergency(request):
    regions = (Region.objects.all() if Role.WARD_ADMIN in roles(request.user)
               else Region.objects.filter(pk__in=branch_region_ids(request.user,
                                                                   managers_only=True)))
    form, status = EmergencyForm(regions=regions), 200
    if request.method == "POST":
        if request.POST.get("action") == "lift":
            raw = str(request.POST.get("emergency", ""))
            found = (Emergency.objects.filter(pk=int(raw), lifted_at__isnull=True).first()
                     if raw.isdigit() else None)
            if found is None:
                messages.error(request, _("解除するメッセージを選んでください。"))
            else:
                try:
                    emergencies.emergency_lift(by=request.user, emergency=found)
                    messages.success(request, _("緊急メッセージを解除しました。"))
                except (SignageRefused, PermissionDenied) as refused:
                    messages.error(request, getattr(refused, "message", str(refused)))
            return redirect("signage:emergency")
        form, status = EmergencyForm(request.POST, regions=regions), 400
        if form.is_valid():
            try:
                emergencies.emergency_start(by=request.user, region=form.cleaned_data["region"],
                                            message=form.cleaned_data["message"])
            except ValidationError as error:
                form.add_error("message", error.messages)
            except SignageRefused as refused:
                form.add_error(None, refused.message)
                status = 409
            except PermissionDenied as denied:
                form.add_error(None, str(denied))
                status = 403
            else:
                messages.success(request, _("緊急メッセージを出しました。"
                                            "対象の画面に数秒で表示されます。"))
                return redirect("signage:emergency")
    active = Emergency.objects.select_related("region").filter(lifted_at__isnull=True)
    return render(request, "signage/emergency.html",
                  {"form": form, "active": active}, status=status)


# ── the player (no login: the screen's key in the session) ───────────────────────────

def _neutral(request, status=403):
    return render(request, "signage/neutral.html", status=status)


@require_GET
@never_cache
def player_key(request, key):
    try:
        services.screen_for_key(key)
    except SignageRefused:
        request.session.pop(services.SESSION_SCREEN, None)
        return _neutral(request)
    request.session[services.SESSION_SCREEN] = key
    return redirect("signage:player")


def _session_screen(request) -> Screen:
    return services.screen_for_key(request.session.get(services.SESSION_SCREEN))


@require_GET
@never_cache
def player(request):
    try:
        _session_screen(request)
    except SignageRefused:
        return _neutral(request)
    config = {
        "schedule": reverse("signage:schedule"), "heartbeat": reverse("signage:heartbeat"),
        "worker": reverse("signage:worker"), "scope": reverse("signage:player"),
        "socket": "/ws/signage/", "csrf": get_token(request),
        "pollSeconds": POLL_SECONDS, "fallbackSeconds": FALLBACK_POLL_SECONDS,
        "heartbeatSeconds": HEARTBEAT_SECONDS,
        "text": {"emergency": _("緊急のお知らせ"), "neutral": _("この画面は使えません。"),
                 "events": _("地区の催し"), "noEvents": _("予定されている催しはありません。"),
                 "waits": _("窓口の待ち時間"), "people": _("%(n)s人待ち"),
                 "minutes": _("約%(n)s分"), "hours": _("きょうの相談受付"),
                 "closed": _("きょうは休みです。"), "idle": _("世田谷区")},
    }
    return render(request, "signage/player.html", {"config": config})


@require_GET
def worker(request):
    """The service worker (served under the player's path, so that it controls it)."""
    body = render_to_string("signage/sw.js", {"scope": reverse("signage:player")})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@never_cache
def schedule(request):
    try:
        screen = _session_screen(request)
    except SignageRefused as refused:
        return JsonResponse({"error": refused.code, "revoked": True}, status=403)
    return JsonResponse(selectors.schedule(screen))


@require_GET
def media(request, item):
    try:
        screen = _session_screen(request)
    except SignageRefused as refused:
        return JsonResponse({"error": refused.code, "revoked": True}, status=403)
    found = selectors.media_item(item, screen)
    shown = None if found is None else (found.rendering if found.kind == Kind.PDF else found.file)
    if shown is None:
        raise Http404
    try:
        handle = files.file_open(stored=shown)
    except files.FileRefused:
        raise Http404 from None
    response = FileResponse(handle, content_type=shown.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_POST
@never_cache
def heartbeat(request):
    try:
        screen = _session_screen(request)
    except SignageRefused as refused:
        return JsonResponse({"error": refused.code, "revoked": True}, status=403)
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return JsonResponse({"error": "bad_body", "message": _("送信内容が正しくありません。")},
                            status=400)
    plays = data.get("plays") if isinstance(data.get("plays"), list) else []
    current = data.get("current") if isinstance(data.get("current"), str) else None
    recorded = services.heartbeat(screen=screen, current=current,
                                  emergency=bool(data.get("emergency")), plays=plays)
    return JsonResponse({"ok": True, "recorded": recorded})
