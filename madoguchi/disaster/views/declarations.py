"""The ward administrators' disaster-mode switch (two people to start, one to stop)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.disaster.models import Declaration
from madoguchi.disaster.services import declarations as services
from madoguchi.disaster.views._common import messages_of
from madoguchi.organisation.models import Region


@policy_required(Action.DISASTER_DECLARE)
def mode(request):
    errors: list[str] = []
    if request.method == "POST":
        code = request.POST.get("region", "")
        region = Region.objects.filter(code=code).first() if code else None
        if code and region is None:
            errors = [gettext("地域を一覧から選んでください。")]
        else:
            try:
                services.declaration_request(by=request.user, region=region,
                                             reason=request.POST.get("reason", ""))
            except ValidationError as error:
                errors = messages_of(error)
            else:
                messages.success(request, gettext(
                    "災害モードを申請しました。別の区システム管理者の確認で開始します。"))
                return redirect("disaster:mode")
    return render(request, "disaster/mode.html", {
        "declarations": Declaration.objects.select_related(
            "region", "requested_by", "confirmed_by", "ended_by")[:20],
        "regions": Region.objects.all(), "errors": errors}, status=422 if errors else 200)


def _act(request, pk: int, service, done: str):
    declaration = get_object_or_404(Declaration, pk=pk)
    try:
        service(by=request.user, declaration=declaration)
    except ValidationError as error:
        for message in messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("disaster:mode")


@policy_required(Action.DISASTER_DECLARE)
@require_POST
def confirm(request, pk: int):
    return _act(request, pk, services.declaration_confirm,
                gettext("災害モードを開始しました。"))


@policy_required(Action.DISASTER_DECLARE)
@require_POST
def end(request, pk: int):
    return _act(request, pk, services.declaration_end, gettext("災害モードを終了しました。"))
