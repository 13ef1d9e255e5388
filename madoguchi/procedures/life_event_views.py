"""Life events: the residents' pages and the staff's printed guidance slip (受付案内票).

The resident's district is remembered in the session (the same key as the guidance page),
never in the URL. The slip is printed from a POST; the resident's name typed by staff is
printed only — it is neither stored nor logged, and never part of a URL.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.documents.errors import DocumentContentError
from madoguchi.documents.slip import render_guidance_slip
from madoguchi.guidance.offices import (
    SESSION_DISTRICT,
    SESSION_STAFF_DISTRICT,
    centre_of,
    district_choices,
    district_for_key,
    staff_district_key,
)
from madoguchi.procedures import life_events

MAX_NAME = 60


class DistrictForm(forms.Form):
    district = forms.ChoiceField(
        label=_("お住まいの地区"), required=False,
        help_text=_("選ぶと、手続きができる窓口の場所と受付時間をお知らせします。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = district_choices()


class SlipForm(forms.Form):
    event = forms.ChoiceField(label=_("ライフイベント"))
    district = forms.ChoiceField(label=_("案内する地区"), required=False)
    resident_name = forms.CharField(
        label=_("お名前（任意）"), required=False, max_length=MAX_NAME,
        help_text=_("案内票に印刷するだけで、保存も記録もしません。"),
        error_messages={"max_length": _("お名前は%(limit_value)d文字以内で入力してください。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [(e.code, e.display_name) for e in life_events.all_events()]
        self.fields["district"].choices = district_choices()


# ── residents ──────────────────────────────────────────────────────────────────────────


@require_http_methods(["GET"])
def public_list(request):
    return render(request, "procedures/life_events_list.html",
                  {"events": life_events.all_events()})


@never_cache
@require_http_methods(["GET", "POST"])
def public_detail(request, code: str):
    event = life_events.event_get(code)
    if event is None:
        raise Http404
    key = request.session.get(SESSION_DISTRICT, "")
    if request.method == "POST":
        form = DistrictForm(request.POST)
        if form.is_valid():
            request.session[SESSION_DISTRICT] = form.cleaned_data["district"]
            return redirect("procedures:life_event", code=code)
    else:
        form = DistrictForm(initial={"district": key})
    district = district_for_key(key)
    rows = life_events.event_rows(event, district)
    return render(request, "procedures/life_event_detail.html", {
        "event": event, "rows": rows, "form": form, "district": district,
        "centre": centre_of(district),
        "offices": life_events.event_offices(rows, district)})


# ── staff ──────────────────────────────────────────────────────────────────────────────


def _staff_page(request, form, problems=(), status=200):
    return render(request, "procedures/life_events_staff.html", {
        "form": form, "problems": problems, "events": life_events.all_events(),
        "can_assist": can(request.user, Action.APPLICATION_ASSIST)}, status=status)


@never_cache
@require_http_methods(["GET"])
@policy_required(Action.PROCEDURES_VIEW)
def staff_list(request):
    key = request.session.get(SESSION_STAFF_DISTRICT) or staff_district_key(request.user)
    return _staff_page(request, SlipForm(initial={"district": key}))


@never_cache
@require_POST
@policy_required(Action.PROCEDURES_VIEW)
def staff_slip(request):
    """The 受付案内票 as a PDF shown in the browser (to print); problems on the page."""
    form = SlipForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, form)
    event = life_events.event_get(form.cleaned_data["event"])
    key = form.cleaned_data["district"] or staff_district_key(request.user)
    district = district_for_key(key)
    centre = centre_of(district)
    slip = life_events.guidance_slip(
        event, district, today=timezone.localdate(),
        resident_name=form.cleaned_data["resident_name"].strip(),
        printed_by=centre.name if centre else "")
    try:
        pdf = render_guidance_slip(slip)
    except DocumentContentError as error:
        return _staff_page(request, form, problems=error.problems)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="guidance-slip-{event.code}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
