"""安否確認: the campaigns page (drills started and ended there), the phone page that works
offline (its Service Worker), the progress page and the batch endpoint the phones send to."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.disaster.models import Campaign, Safety, Shelter, ShelterStatus
from madoguchi.disaster.selectors.declarations import in_disaster
from madoguchi.disaster.selectors.safety import (
    campaign_progress,
    campaigns_for,
    drill_districts,
)
from madoguchi.disaster.services import safety as services
from madoguchi.disaster.services.safety import safety_record
from madoguchi.disaster.views._common import messages_of

SOURCE = "disaster.safety"
MAX_BATCH = 200


@policy_required(Action.REGISTRY_VIEW)
@require_GET
def progress(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("district"), pk=pk)
    found = campaign_progress(user=request.user, campaign=campaign, source=SOURCE)
    if found.total == 0:
        raise Http404  # nobody of this district the user may see
    return render(request, "disaster/safety/progress.html", {
        "campaign": campaign, "progress": found,
        "statuses": [(label, found.by_status.get(value, 0))
                     for value, label in Safety.choices]})


@policy_required(Action.REGISTRY_VIEW)
@require_POST
def records(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        body = json.loads(request.body or b"")
        items = body["records"]
        if not isinstance(items, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": gettext(
            "送信内容が正しくありません（records の一覧を JSON で送ってください）。")},
            status=400)
    if len(items) > MAX_BATCH:
        return JsonResponse({"detail": gettext("一度に送れる記録は200件までです。")},
                            status=413)
    return JsonResponse({"results": safety_record(by=request.user, campaign=campaign,
                                                  items=items)},
                        json_dumps_params={"ensure_ascii": False})


@policy_required(Action.REGISTRY_VIEW)
@require_GET
def campaigns(request):
    districts = drill_districts(request.user)
    return render(request, "disaster/safety/campaigns.html", {
        "campaigns": campaigns_for(request.user), "districts": districts,
        "declared": [d for d in districts if in_disaster(region_id=d.region_id)]})


def _district(request):
    found = {str(d.pk): d for d in drill_districts(request.user)}
    district = found.get(request.POST.get("district", ""))
    if district is None:
        raise ValidationError(gettext("地区を一覧から選んでください。"))
    return district


def _campaign_act(request, act, done: str):
    try:
        act()
    except (ValidationError, PermissionDenied) as error:
        for message in (messages_of(error) if isinstance(error, ValidationError)
                        else [str(error)]):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("disaster:campaigns")


@policy_required(Action.REGISTRY_EDIT)
@require_POST
def campaign_open(request):
    return _campaign_act(request, lambda: services.campaign_open(
        by=request.user, district=_district(request)), gettext("安否確認を開始しました。"))


@policy_required(Action.REGISTRY_EDIT)
@require_POST
def drill_start(request):
    def act():
        people = request.POST.get("people", "")
        if not people.isdigit():
            raise ValidationError(gettext("訓練の対象人数は1人から200人までで入力してください。"))
        services.drill_start(by=request.user, district=_district(request), people=int(people))

    return _campaign_act(request, act, gettext("訓練を開始しました。対象者は架空の人物です。"))


@policy_required(Action.REGISTRY_EDIT)
@require_POST
def drill_end(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("district"), pk=pk,
                                 drill=True)
    return _campaign_act(request, lambda: services.drill_end(by=request.user,
                                                             campaign=campaign),
                         gettext("訓練を終了しました。訓練用の対象者と記録は削除しました。"))


@policy_required(Action.REGISTRY_VIEW)
@require_GET
def phone(request, pk: int):
    """The phone page: the people the user records for, the newest status of each, and
    the form whose entries queue on the device (IndexedDB) until the network is back."""
    campaign = get_object_or_404(Campaign.objects.select_related("district"), pk=pk)
    found = campaign_progress(user=request.user, campaign=campaign, source="disaster.phone",
                              audit_all=True)
    if found.total == 0:
        raise Http404
    shelters = Shelter.objects.filter(
        Q(district_id=campaign.district_id)
        | Q(status__in=[ShelterStatus.OPEN, ShelterStatus.FULL])).order_by("name")
    return render(request, "disaster/safety/phone.html", {
        "campaign": campaign, "progress": found, "statuses": Safety.choices,
        "rows": [(p, found.latest.get(p.pk)) for p in found.people],
        "shelters": shelters,
        "text": {
            "queued": gettext("未送信の記録：%(n)s件（電波が戻ると自動で送信します）"),
            "empty": gettext("未送信の記録はありません。"),
            "saved": gettext("端末に保存しました。"),
            "login": gettext("送信できません。もう一度ログインしてから、このページを開き"
                             "直してください（記録は端末に残っています）。"),
            "person": gettext("対象の方を選んでください。"),
            "status": gettext("安否を選んでください。"),
            "pending": gettext("未送信"),
            "offline": gettext("この画面は端末に保存されました。電波がない所でも開けます。"),
        }})


@require_GET
@cache_control(no_cache=True)
def phone_worker(request):
    """The phone page's Service Worker (served here so that its scope covers the staff
    pages of disaster). It keeps the phone page and its files for use without network."""
    body = render_to_string("disaster/safety/phone-sw.js", {
        "static_prefix": static(""), "version": "1"})
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")
