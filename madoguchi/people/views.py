"""Resident pages. Names travel only in POST bodies, never in URLs; every page that shows
personal data is marked ``Cache-Control: no-store`` and audited by the selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can, district_ids_for, own_district_ids
from madoguchi.organisation.models import District
from madoguchi.people import actions, selectors, services
from madoguchi.people.forms import ConsentForm, ResidentForm, SearchForm


def source_of(request) -> str:
    """The audit source of a page: its URL name, e.g. ``people:detail``."""
    return request.resolver_match.view_name


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.RESIDENT_SEARCH)
def search(request):
    form = SearchForm(request.POST if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = selectors.resident_search(user=request.user, query=form.cleaned_data["q"],
                                           source=source_of(request))
    context = {"form": form, "result": result,
               "can_create": can(request.user, Action.RESIDENT_CREATE)}
    if request.htmx and request.method == "POST":
        return render(request, "people/_results.html", context)
    return render(request, "people/search.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.RESIDENT_CREATE)
def create(request):
    own = own_district_ids(request.user)
    initial = {}
    if own:
        first = District.objects.select_related("region").filter(pk__in=own).first()
        initial["district"] = first.key if first else ""
    form = ResidentForm(request.POST or None, initial=initial, district_ids=own)
    if request.method == "POST" and form.is_valid():
        try:
            resident = services.resident_create(by=request.user, data=form.cleaned_data,
                                                source=source_of(request))
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            form.add_error("district",
                           str(error) or _("この地区の区民を登録する権限がありません。"))
        else:
            messages.success(request, _("区民を登録しました。"))
            return redirect("people:detail", public_id=resident.public_id)
    return render(request, "people/form.html", {"form": form, "resident": None})


@never_cache
@require_http_methods(["GET"])
@policy_required(Action.RESIDENT_VIEW)
def detail(request, public_id):
    resident = selectors.resident_detail(user=request.user, public_id=public_id,
                                         source=source_of(request))
    can_consent = can(request.user, Action.CONSENT_RECORD, resident)
    household = selectors.household_members(resident=resident, user=request.user,
                                            source=source_of(request))
    return render(request, "people/detail.html", {
        "resident": resident,
        "household": household,
        "can_assist": can(request.user, Action.APPLICATION_ASSIST),
        "can_intake": resident.district_id in district_ids_for(request.user,
                                                                Action.CONSULTATION_INTAKE),
        "can_update": can(request.user, Action.RESIDENT_UPDATE, resident),
        "can_consent": can_consent,
        "consent_form": ConsentForm() if can_consent else None,
        # what other contexts offer to do for the resident (people.actions)
        "actions": actions.for_resident(request.user, resident),
    })


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.RESIDENT_UPDATE)
def edit(request, public_id):
    if request.method == "GET":
        resident = selectors.resident_detail(user=request.user, public_id=public_id,
                                             source=source_of(request))
        form = ResidentForm(initial=ResidentForm.initial_for(resident))
        return render(request, "people/form.html", {"form": form, "resident": resident})
    resident = selectors.visible_resident(user=request.user, public_id=public_id,
                                          action=Action.RESIDENT_UPDATE)
    form = ResidentForm(request.POST)
    if form.is_valid():
        try:
            before = resident.updated_at
            updated = services.resident_update(by=request.user, resident=resident,
                                               data=form.cleaned_data, source=source_of(request))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if not can(request.user, Action.RESIDENT_VIEW, updated):
                # Moved to a district outside the user's scope: the detail would be a 404.
                messages.success(request, _("変更を保存しました。担当外の地区に変わったため、"
                                            "この区民の情報は表示できなくなりました。"))
                return redirect("people:search")
            changed = updated.updated_at != before
            messages.success(request, _("変更を保存しました。") if changed
                             else _("変更された項目はありませんでした。"))
            return redirect("people:detail", public_id=resident.public_id)
    return render(request, "people/form.html", {"form": form, "resident": resident})


def _service_error_message(error: ValidationError) -> str:
    return " ".join(error.messages)


@never_cache
@require_POST
@policy_required(Action.CONSENT_RECORD)
def consent_give(request, public_id):
    resident = selectors.visible_resident(user=request.user, public_id=public_id,
                                          action=Action.CONSENT_RECORD)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("同意の目的と確認方法を選んでください。"))
    else:
        try:
            services.consent_give(by=request.user, resident=resident,
                                  purpose=form.cleaned_data["purpose"],
                                  method=form.cleaned_data["method"],
                                  note=form.cleaned_data["note"], source=source_of(request))
        except ValidationError as error:
            messages.error(request, _service_error_message(error))
        else:
            messages.success(request, _("同意を記録しました。"))
    return redirect(f"{resident_url(resident)}#consents")


@never_cache
@require_POST
@policy_required(Action.CONSENT_RECORD)
def consent_withdraw(request, public_id, consent_id):
    resident = selectors.visible_resident(user=request.user, public_id=public_id,
                                          action=Action.CONSENT_RECORD)
    consent = selectors.resident_consent(resident=resident, consent_id=consent_id)
    try:
        services.consent_withdraw(by=request.user, consent=consent, source=source_of(request))
    except ValidationError as error:
        messages.error(request, _service_error_message(error))
    else:
        messages.success(request, _("同意の撤回を記録しました。"))
    return redirect(f"{resident_url(resident)}#consents")


def resident_url(resident) -> str:
    return reverse("people:detail", kwargs={"public_id": resident.public_id})
