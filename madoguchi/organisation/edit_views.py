"""Edit pages of the organisation: ward administrators only (Action.ORG_EDIT).

Each page parses a plain form, hands ``cleaned_data`` to one service and shows the
service's Japanese ``ValidationError`` messages next to the fields they concern.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.core import dates
from madoguchi.core.models import CalendarException
from madoguchi.organisation import forms, services
from madoguchi.organisation.models import (
    Booth,
    District,
    DistrictCentre,
    Region,
    Section,
    SectionKind,
)

OVERVIEW = "organisation:overview"
SECTIONS = "organisation:sections"
CALENDAR = "organisation:calendar"


def add_service_errors(form: Form, exc: ValidationError) -> None:
    """Attach a service's errors to the form's fields (others go to the top of the form)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for field, field_messages in errors.items():
        form.add_error(field if field in form.fields else None, list(field_messages))


def _district_url(district: District) -> str:
    return reverse("organisation:district", args=[district.region.code, district.code])


def _edit_page(request, *, form_class: type[Form], write: Callable[..., Any],
               done: Callable[[Any], str], title: str, initial: dict | None = None,
               creating: bool = False, crumbs: list | None = None,
               form_kwargs: dict | None = None, details: list | None = None):
    """GET shows the form; a valid POST calls ``write(**cleaned_data)`` and redirects."""
    kwargs = dict(form_kwargs or {})
    if issubclass(form_class, forms.CreateOnlyMixin):
        kwargs["creating"] = creating
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                obj = write(**form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("「%(name)s」を保存しました。") % {"name": obj})
                return redirect(done(obj))
    else:
        form = form_class(initial=initial, **kwargs)
    crumbs = [(_("組織"), reverse(OVERVIEW)), *(crumbs or [])]
    return render(request, "organisation/form.html", {
        "form": form, "title": title, "crumbs": crumbs, "details": details or []})


def _fields(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


@policy_required(Action.ORG_EDIT)
def region_create(request):
    return _edit_page(request, form_class=forms.RegionForm, creating=True,
                      write=services.region_create, done=lambda _r: reverse(OVERVIEW),
                      title=_("地域を追加"))


@policy_required(Action.ORG_EDIT)
def region_edit(request, code: str):
    region = get_object_or_404(Region, code=code)
    return _edit_page(
        request, form_class=forms.RegionForm,
        write=lambda **data: services.region_update(region=region, **data),
        done=lambda _r: reverse(OVERVIEW),
        title=_("%(name)s地域を編集") % {"name": region.label},
        initial=_fields(region, forms.RegionForm.base_fields),
        details=[(_("地域コード"), region.code)])


@policy_required(Action.ORG_EDIT)
def district_create(request):
    region = Region.objects.filter(code=request.GET.get("region", "")).first()
    return _edit_page(request, form_class=forms.DistrictForm, creating=True,
                      write=services.district_create, done=_district_url,
                      title=_("地区を追加"), initial={"region": region})


def _district(region: str, code: str) -> District:
    return get_object_or_404(District.objects.select_related("region", "centre"),
                             region__code=region, code=code)


@policy_required(Action.ORG_EDIT)
def district_edit(request, region: str, code: str):
    district = _district(region, code)
    return _edit_page(
        request, form_class=forms.DistrictForm,
        write=lambda **data: services.district_update(district=district, **data),
        done=_district_url, title=_("%(name)s地区を編集") % {"name": district.label},
        initial=_fields(district, forms.DistrictForm.base_fields.keys()
                        - set(forms.DistrictForm.create_only)),
        crumbs=[(district.label, _district_url(district))],
        details=[(_("地域"), district.region.label), (_("地区コード"), district.key)])


@policy_required(Action.ORG_EDIT)
def centre_edit(request, region: str, code: str):
    district = _district(region, code)
    centre = get_object_or_404(DistrictCentre, district=district)
    initial = _fields(centre, forms.CentreForm.base_fields.keys() - {"open_weekdays"})
    initial["open_weekdays"] = sorted(centre.weekdays)
    return _edit_page(
        request, form_class=forms.CentreForm,
        write=lambda **data: services.centre_update(centre=centre, **data),
        done=lambda _c: _district_url(district),
        title=_("%(name)sを編集") % {"name": centre.label}, initial=initial,
        crumbs=[(district.label, _district_url(district))])


@policy_required(Action.ORG_EDIT)
def booth_create(request, region: str, code: str):
    district = _district(region, code)
    centre = get_object_or_404(DistrictCentre, district=district)
    return _edit_page(
        request, form_class=forms.BoothForm,
        write=lambda **data: services.booth_create(centre=centre, **data),
        done=lambda _b: _district_url(district),
        title=_("%(name)sに相談ブースを追加") % {"name": centre.label},
        crumbs=[(district.label, _district_url(district))])


@policy_required(Action.ORG_EDIT)
def booth_edit(request, pk: int):
    booth = get_object_or_404(Booth.objects.select_related("centre__district__region"), pk=pk)
    district = booth.centre.district
    return _edit_page(
        request, form_class=forms.BoothForm,
        write=lambda **data: services.booth_update(booth=booth, **data),
        done=lambda _b: _district_url(district), title=_("%(name)sを編集") % {"name": booth},
        initial=_fields(booth, forms.BoothForm.base_fields),
        crumbs=[(district.label, _district_url(district))])


@policy_required(Action.ORG_EDIT)
def kind_create(request):
    return _edit_page(request, form_class=forms.SectionKindForm, creating=True,
                      write=services.section_kind_create, done=lambda _k: reverse(SECTIONS),
                      title=_("課・機関の種別を追加"),
                      crumbs=[(_("課・機関"), reverse(SECTIONS))])


@policy_required(Action.ORG_EDIT)
def kind_edit(request, code: str):
    kind = get_object_or_404(SectionKind, code=code)
    return _edit_page(
        request, form_class=forms.SectionKindForm,
        write=lambda **data: services.section_kind_update(kind=kind, **data),
        done=lambda _k: reverse(SECTIONS),
        title=_("種別「%(name)s」を編集") % {"name": kind.label},
        initial=_fields(kind, forms.SectionKindForm.base_fields.keys() - {"code"}),
        crumbs=[(_("課・機関"), reverse(SECTIONS))], details=[(_("種別コード"), kind.code)])


@policy_required(Action.ORG_EDIT)
def section_create(request):
    return _edit_page(request, form_class=forms.SectionForm, creating=True,
                      write=services.section_create, done=lambda _s: reverse(SECTIONS),
                      title=_("課・機関を追加"), crumbs=[(_("課・機関"), reverse(SECTIONS))])


@policy_required(Action.ORG_EDIT)
def section_edit(request, pk: int):
    section = get_object_or_404(Section.objects.select_related("kind"), pk=pk)
    return _edit_page(
        request, form_class=forms.SectionForm,
        write=lambda **data: services.section_update(section=section, **data),
        done=lambda _s: reverse(SECTIONS),
        title=_("「%(name)s」を編集") % {"name": section.label},
        initial=_fields(section, forms.SectionForm.base_fields.keys() - {"kind", "code"}),
        crumbs=[(_("課・機関"), reverse(SECTIONS))], form_kwargs={"kind": section.kind},
        details=[(_("種別"), f"{section.kind.label}（{section.kind.get_tier_display()}）"),
                 (_("コード"), section.code)])


@policy_required(Action.ORG_EDIT)
def calendar_create(request):
    return _edit_page(request, form_class=forms.CalendarExceptionForm,
                      write=services.calendar_exception_create,
                      done=lambda _e: reverse(CALENDAR), title=_("休業日・開庁日の例外を追加"),
                      crumbs=[(_("休業日・開庁日の例外"), reverse(CALENDAR))])


@policy_required(Action.ORG_EDIT)
def calendar_edit(request, pk: int):
    exception = get_object_or_404(CalendarException, pk=pk)
    return _edit_page(
        request, form_class=forms.CalendarExceptionForm,
        write=lambda **data: services.calendar_exception_update(exception=exception, **data),
        done=lambda _e: reverse(CALENDAR), title=_("休業日・開庁日の例外を編集"),
        initial=_fields(exception, forms.CalendarExceptionForm.base_fields),
        crumbs=[(_("休業日・開庁日の例外"), reverse(CALENDAR))])


@policy_required(Action.ORG_EDIT)
@require_http_methods(["GET", "POST"])
def calendar_delete(request, pk: int):
    exception = get_object_or_404(CalendarException, pk=pk)
    if request.method == "POST":
        services.calendar_exception_delete(exception=exception)
        messages.success(request, _("%(date)sの例外を削除しました。")
                         % {"date": dates.wareki(exception.date)})
        return redirect(CALENDAR)
    return render(request, "organisation/confirm_delete.html", {
        "exception": exception,
        "crumbs": [(_("組織"), reverse(OVERVIEW)),
                   (_("休業日・開庁日の例外"), reverse(CALENDAR))]})
