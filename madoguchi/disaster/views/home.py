"""在宅避難者: the public self-registration page (no login, during a declared disaster) and
the list for the district's staff."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.disaster.models import HomeNeed
from madoguchi.disaster.selectors.declarations import active_declarations
from madoguchi.disaster.selectors.safety import home_evacuees
from madoguchi.disaster.services.home import home_evacuee_register
from madoguchi.disaster.views._common import messages_of
from madoguchi.organisation.models import District

SOURCE = "disaster.home_evacuees"


@require_http_methods(["GET", "POST"])
def home_register(request):
    districts = _declared_districts()
    errors: dict[str, list[str]] = {}
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        district = {str(d.pk): d for d in districts}.get(request.POST.get("district", ""))
        try:
            evacuee, _new = home_evacuee_register(
                submission=request.POST.get("submission", ""), district=district,
                name=request.POST.get("name", ""), address=request.POST.get("address", ""),
                phone=request.POST.get("phone", ""), people=request.POST.get("people", ""),
                needs=request.POST.getlist("needs"), note=request.POST.get("note", ""),
                consent=request.POST.get("consent") == "yes")
        except ValidationError as error:
            errors = (error.message_dict if hasattr(error, "error_dict")
                      else {"__all__": messages_of(error)})
        else:
            return render(request, "disaster/home/done.html", {"evacuee": evacuee})
    return render(request, "disaster/home/register.html", {
        "districts": districts, "needs": HomeNeed.choices, "errors": errors,
        "values": values, "chosen": set(values.getlist("needs")) if values else set(),
        "submission": values.get("submission") or uuid.uuid4()},
        status=422 if errors else 200)


def _declared_districts() -> list[District]:
    """The districts under a declared disaster (none: the page says registration is closed)."""
    found = active_declarations()
    if not found:
        return []
    districts = District.objects.select_related("region")
    if all(d.region_id is not None for d in found):
        districts = districts.filter(region_id__in={d.region_id for d in found})
    return list(districts)


@policy_required(Action.REGISTRY_EDIT)
@require_GET
def home_list(request):
    return render(request, "disaster/home/list.html", {
        "evacuees": home_evacuees(user=request.user, source=SOURCE)})
