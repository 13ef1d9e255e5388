"""The groups' public profiles (public pages: no account, no personal data) and the
representative's consent to show the group's (a POST from the group's page)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from madoguchi.community import selectors, services
from madoguchi.community.group_session import current_contact
from madoguchi.community.views._common import districts_ordered


@require_GET
def group_profiles(request):
    """The groups of a district that agreed to show their profile."""
    districts = list(districts_ordered())
    raw = request.GET.get("district", "").strip()
    district = next((d for d in districts if raw.isdigit() and d.pk == int(raw)), None)
    return render(request, "community/group_profiles.html", {
        "districts": districts, "district": district,
        "profiles": selectors.public_profiles(district) if district else None})


@require_GET
def group_profile(request, group_id):
    profile = selectors.public_profile(group_id)
    if profile is None:
        raise Http404(_("公開されている団体が見つかりません。"))
    return render(request, "community/group_profile.html", {"profile": profile})


@require_POST
def profile_consent(request):
    contact = current_contact(request)
    if contact is None:
        return redirect("community:group_login_request")
    agree = request.POST.get("agree") == "1"
    try:
        services.profile_consent(contact=contact, agree=agree)
    except PermissionDenied as error:
        flash.error(request, str(error))
    else:
        flash.success(request, _("団体の紹介を地区のページに掲載します。") if agree
                      else _("団体の紹介を地区のページに掲載しないようにしました。"))
    return redirect("community:group_portal")
