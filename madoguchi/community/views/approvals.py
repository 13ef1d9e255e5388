"""The staff's approval page: the won (or first-come) requests for the rooms they approve,
each with its group, purpose, attendees and fee; approve with conditions (the same service
as the JSON API). A refusal of the service comes back on the page with nothing changed."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.community import fees, selectors
from madoguchi.community.errors import CommunityError
from madoguchi.community.forms import ApproveForm
from madoguchi.community.models import BookingRequest
from madoguchi.community.services import requests as requests_svc
from madoguchi.community.views._common import posted_record


def _rows(user) -> list[tuple[BookingRequest, fees.Fee]]:
    queue = selectors.approval_queue(user)
    reductions = fees.reductions_of({row.room for row in queue})
    return [(row, fees.of_request(row, reductions)) for row in queue]


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.COMMUNITY_ROOM_BOOK)
def approvals(request):
    form = ApproveForm(request.POST or None)
    failed: BookingRequest | None = None
    if request.method == "POST":
        row = posted_record(request, selectors.approvable_requests(request.user), "request")
        if form.is_valid():
            try:
                requests_svc.request_approve(request=row, by=request.user,
                                             conditions=form.cleaned_data["conditions"])
            except (CommunityError, PermissionDenied) as error:
                form.add_error(None, getattr(error, "message", None) or str(error))
            else:
                flash.success(request, _("%(group)s の申込（%(room)s）を承認しました。") % {
                    "group": row.group.name, "room": row.room})
                return redirect("community:approvals")
        failed = row
    return render(request, "community/approvals.html", {
        "rows": _rows(request.user), "form": form, "failed": failed},
        status=422 if failed is not None else 200)
