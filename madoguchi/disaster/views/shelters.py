"""Pages of the disaster context: the shelter staff's phone page and the public list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.disaster.models import Need, OccupancyCategory, Pets, Shelter, ShelterStatus
from madoguchi.disaster.selectors import shelters as selectors
from madoguchi.disaster.services import shelters as services
from madoguchi.disaster.views._common import messages_of
from madoguchi.disaster.workflow import allowed
from madoguchi.organisation.models import District


@policy_required(Action.SHELTER_OPERATE)
def shelter_list(request):
    return render(request, "disaster/shelters/list.html",
                  {"shelters": selectors.shelters_for(user=request.user)})



@policy_required(Action.SHELTER_OPERATE)
@require_http_methods(["GET", "POST"])
def shelter_operate(request, code: str):
    shelter = get_object_or_404(Shelter.objects.select_related("district"), code=code)
    if not can(request.user, Action.SHELTER_OPERATE, shelter):
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        try:
            if "status" in request.POST:
                services.shelter_set_status(by=request.user, shelter=shelter,
                                            status=request.POST["status"])
                messages.success(request, _ok_status())
            else:
                counts = {c: request.POST.get(f"count_{c}", "")
                          for c in OccupancyCategory.values}
                warnings = services.shelter_report(
                    by=request.user, shelter=shelter, counts=counts,
                    needs=request.POST.getlist("needs"),
                    needs_note=request.POST.get("needs_note", ""))
                messages.success(request, _ok_report())
                for warning in warnings:
                    messages.warning(request, warning)
            return redirect("disaster:shelter_operate", code=shelter.code)
        except PermissionDenied:
            raise
        except ValidationError as error:
            errors = messages_of(error)
            shelter.refresh_from_db()
    occupancy = selectors.shelter_occupancy(shelter=shelter)
    posted = request.POST if errors and "status" not in request.POST else None
    rows = [{"code": c, "label": label,
             "value": posted.get(f"count_{c}", "") if posted else occupancy.get(c, 0)}
            for c, label in OccupancyCategory.choices]
    total = sum(occupancy.values())
    return render(request, "disaster/shelters/operate.html", {
        "shelter": shelter, "errors": errors, "rows": rows, "total": total,
        "over": shelter.is_over(total),
        "next_statuses": [(s, ShelterStatus(s).label) for s in allowed(shelter.status)],
        "needs": [(n, label, n in (shelter.needs or [])) for n, label in Need.choices],
        "status": shelter.status,
    }, status=422 if errors else 200)


@policy_required(Action.SHELTER_OPERATE)
@require_http_methods(["GET", "POST"])
def shelter_edit(request, code: str):
    """The shelter's district, capacity and facilities (ward administrators), or its
    capacity (the centre staff who run it)."""
    shelter = get_object_or_404(Shelter.objects.select_related("district"), code=code)
    fields = services.shelter_editable_fields(user=request.user, shelter=shelter)
    if not fields:
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        values = {name: request.POST[name] for name in fields if name in request.POST}
        try:
            changed = services.shelter_edit(by=request.user, shelter=shelter, values=values)
            messages.success(request, gettext("基本情報を保存しました。") if changed
                             else gettext("変更はありませんでした。"))
            return redirect("disaster:shelter_operate", code=shelter.code)
        except ValidationError as error:
            errors = messages_of(error)
    form = request.POST if errors else None
    return render(request, "disaster/shelters/edit.html", {
        "shelter": shelter, "errors": errors, "fields": fields,
        "capacity": form.get("capacity", "") if form else (
            "" if shelter.capacity is None else shelter.capacity),
        "district_id": str(form.get("district", "")) if form else str(
            shelter.district_id or ""),
        "districts": District.objects.select_related("region"),
        "pets": Pets.choices,
    }, status=422 if errors else 200)


def _ok_status() -> str:
    return gettext("開設状況を変更しました。")


def _ok_report() -> str:
    return gettext("人数と不足物資を報告しました。")


@require_GET
def open_shelters(request):
    """Public, small, no script: the shelters taking evacuees with the room left."""
    response = render(request, "disaster/shelters/open.html",
                      {"shelters": selectors.open_shelters()})
    response["Cache-Control"] = "public, max-age=30"
    return response


@require_GET
def open_shelters_json(request):
    rows = selectors.open_shelters()
    response = JsonResponse({"shelters": [{
        "code": s.code, "name": s.name, "kind": s.kind, "address": s.address,
        "district": s.district, "status": s.status, "capacity": s.capacity,
        "occupied": s.occupied, "left": s.left, "step_free": s.step_free,
        "accessible_toilet": s.accessible_toilet, "pets": s.pets, "needs": s.needs,
        "lat": s.lat, "lon": s.lon,
        "updated_at": s.updated_at.isoformat() if s.updated_at else None,
    } for s in rows]}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=30"
    return response
