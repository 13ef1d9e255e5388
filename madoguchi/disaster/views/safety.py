"""安否確認: the progress page and the batch endpoint the phones send to."""

from __future__ import annotations

import json

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.disaster.models import Campaign, Safety
from madoguchi.disaster.selectors.safety import campaign_progress
from madoguchi.disaster.services.safety import safety_record

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
