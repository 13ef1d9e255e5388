"""Staff "who handles what": the header's search box on every staff page leads here.

Staff see the same ranking as residents, plus entries not yet published (marked), and a
link to each entry for those who may edit it. The text travels in POST bodies only.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.guidance import access, selectors, services
from madoguchi.guidance.forms import StaffSearchForm
from madoguchi.guidance.offices import (
    SESSION_STAFF_DISTRICT,
    centre_hours,
    centre_of,
    district_for_key,
    staff_district_key,
)
from madoguchi.guidance.views.present import result_of


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.GUIDANCE_SEARCH)
def staff_search(request):
    remembered = request.session.get(SESSION_STAFF_DISTRICT) or staff_district_key(request.user)
    result = None
    if request.method == "POST":
        data = request.POST.copy()
        if "guide_q" in data:  # the header's box: its own name, no district (the remembered)
            data["q"] = data.pop("guide_q")[-1]
        if "district" not in data:
            data["district"] = remembered
        form = StaffSearchForm(data)
        form.is_valid()
        key = remembered if "district" in form.errors else form.cleaned_data.get("district", "")
        request.session[SESSION_STAFF_DISTRICT] = key
        remembered = key
        guidance = selectors.guide(form.cleaned_data.get("q", ""),
                                   district=district_for_key(key), limit_sections=5,
                                   limit_faqs=10, include_unpublished=True)
        services.guidance_log_unanswered(guidance=guidance)
        result = result_of(guidance)
        for faq in result.faqs:
            faq.editable = can(request.user, Action.GUIDANCE_EDIT, faq.entry)
    else:
        form = StaffSearchForm(initial={"district": remembered})
    district = district_for_key(remembered)
    centre = centre_of(district)
    return render(request, "guidance/staff_search.html", {
        "form": form, "result": result, "district": district, "centre": centre,
        "centre_hours": centre_hours(centre) if centre else "",
        "can_edit": access.editable_kinds(request.user).exists(),
    })
