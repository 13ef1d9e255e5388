"""Life events at the counter: the staff member picks a resident and ticks the event's
procedures; the drafts are made at once, each prefilled from the resident's record and
household read ONCE, and filled in one after another. After each receipt 「次の手続きへ」
opens the next draft with the answers typed in the earlier ones carried over (same field
name and type). The chain lives in the staff session as the drafts' public ids only.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.applications import services
from madoguchi.applications.prefill import carry_over
from madoguchi.applications.selectors import assist as assist_selectors
from madoguchi.applications.views.assist.desk import desk_of, start_drafts
from madoguchi.applications.views.assist.steps import CHAIN, actor_of, source_of
from madoguchi.people import selectors as people
from madoguchi.procedures import life_events
from madoguchi.procedures import selectors as catalogue


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("区民の氏名またはフリガナ"), max_length=100,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "autocomplete": "off"}))


def _event_versions(event, desk):
    """The event's procedures that this desk takes, in the event's order."""
    versions = [catalogue.published_get(code) for code in event.procedures]
    return [v for v in versions if v is not None and desk.offers(v)]


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.APPLICATION_ASSIST)
def life_event(request, code: str):
    event = life_events.event_get(code)
    if event is None:
        raise Http404
    desk = desk_of(request.user)
    versions = _event_versions(event, desk)
    form = SearchForm(request.POST if request.POST.get("step") == "search" else None)
    result = None
    if form.is_bound and form.is_valid() and can(request.user, Action.RESIDENT_SEARCH):
        result = people.resident_search(user=request.user, query=form.cleaned_data["q"],
                                        source=source_of(request))
    return render(request, "applications/assist/life_event.html", {
        "event": event, "versions": versions, "form": form, "result": result})


@never_cache
@require_POST
@policy_required(Action.APPLICATION_ASSIST)
def chain_start(request, code: str):
    event = life_events.event_get(code)
    if event is None:
        raise Http404
    desk = desk_of(request.user)
    if not request.POST.get("resident"):
        messages.error(request, _("申請する区民を選んでください。"))
        return redirect("assist:life_event", code=code)
    resident = people.visible_resident(user=request.user,
                                       public_id=request.POST.get("resident"),
                                       action=Action.RESIDENT_VIEW)
    ticked = set(request.POST.getlist("procedure"))
    versions = [v for v in _event_versions(event, desk) if v.code in ticked]
    if not versions:
        messages.error(request, _("作る申請の手続きを1つ以上選んでください。"))
        return redirect("assist:life_event", code=code)
    household = people.household_members(resident=resident, user=request.user,
                                         source=source_of(request))
    try:
        drafts = start_drafts(actor=actor_of(request), desk=desk, resident=resident,
                              versions=versions, household=household)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assist:life_event", code=code)
    request.session[CHAIN] = [str(d.public_id) for d in drafts]
    messages.success(request, _("%(n)d件の申請の下書きを作りました。1件ずつ入力してください。")
                     % {"n": len(drafts)})
    return redirect("assist:form", public_id=drafts[0].public_id)


@never_cache
@require_POST
@policy_required(Action.APPLICATION_ASSIST)
def chain_next(request):
    """The chain's next draft, with what was typed in the earlier ones carried over."""
    chain = request.session.get(CHAIN) or []
    rows = assist_selectors.chain_applications(user=request.user, public_ids=chain,
                                               source=source_of(request))
    done = [a for a in rows if not a.is_draft]
    following = next((a for a in rows if a.is_draft), None)
    if following is None:
        request.session.pop(CHAIN, None)
        messages.success(request, _("選んだ手続きの申請はすべて終わりました。"))
        return redirect("assist:index")
    earlier = [(a.version.form_spec, a.answers) for a in done]
    merged = carry_over(following.version.form_spec, following.answers, earlier)
    if merged != following.answers:
        services.draft_save(actor=actor_of(request), application=following, raw=merged)
    return redirect("assist:form", public_id=following.public_id)
