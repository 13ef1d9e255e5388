"""The residents' page: one question box, answers as cards (public, no login).

The question travels only in POST bodies (never in URLs or logs). The district and the
furigana choice are remembered in the session, not the URL. Everything works without
JavaScript; htmx, where present, swaps the page's guide region instead of reloading.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.guidance import selectors, services
from madoguchi.guidance.forms import GuideForm
from madoguchi.guidance.models import Entry, EntryStatus
from madoguchi.guidance.offices import (
    SESSION_DISTRICT,
    centre_hours,
    centre_of,
    district_for_key,
)
from madoguchi.guidance.views.present import result_of

SESSION_FURIGANA = "guidance.furigana"
SESSION_VOTED = "guidance.voted"


def _remembered(request) -> tuple[str, bool]:
    return request.session.get(SESSION_DISTRICT, ""), bool(
        request.session.get(SESSION_FURIGANA, False))


def _district_key(form: GuideForm, fallback: str) -> str:
    """The district chosen in the form (a tampered value keeps the remembered one)."""
    if "district" in form.errors:
        return fallback
    return form.cleaned_data.get("district", "") or ""


def _page(request, *, form, district_key, furigana, result=None, focus="", status=200):
    district = district_for_key(district_key)
    centre = centre_of(district)
    context = {
        "form": form, "result": result, "furigana": furigana, "focus": focus,
        "district": district, "centre": centre,
        "centre_hours": centre_hours(centre) if centre else "",
        "query": result.query if result else "",
    }
    template = "guidance/_guide.html" if request.htmx else "guidance/guide.html"
    return render(request, template, context, status=status)


def _search(text: str, district_key: str, *, voted: dict | None = None, log: bool = True):
    guidance = selectors.guide(text, district=district_for_key(district_key))
    if log:  # a question without a good answer goes to the learning loop (masked)
        services.guidance_log_unanswered(guidance=guidance)
    return result_of(guidance, voted=voted)


@never_cache
@require_http_methods(["GET", "POST"])
def guide(request):
    district_key, furigana = _remembered(request)
    if request.method == "GET":
        form = GuideForm(initial={"district": district_key})
        return _page(request, form=form, district_key=district_key, furigana=furigana)

    form = GuideForm(request.POST)
    form.is_valid()
    district_key = _district_key(form, district_key)
    request.session[SESSION_DISTRICT] = district_key
    text = form.cleaned_data.get("q", "")
    toggled = request.POST.get("furigana") in ("on", "off")
    if toggled:
        furigana = request.POST["furigana"] == "on"
        request.session[SESSION_FURIGANA] = furigana
        if not text.strip():
            return _page(request, form=form, district_key=district_key, furigana=furigana,
                         focus="furigana")
    result = _search(text, district_key)
    return _page(request, form=form, district_key=district_key, furigana=furigana,
                 result=result, focus="furigana" if toggled else "results")


@never_cache
@require_POST
def feedback(request):
    """"役に立った / 役に立たなかった" on one answer; logged without personal data."""
    district_key, furigana = _remembered(request)
    code = request.POST.get("entry", "")
    helpful = request.POST.get("helpful")
    text = (request.POST.get("q") or "")[:2_000]
    entry = Entry.objects.filter(code=code, status=EntryStatus.PUBLISHED).first()
    voted: dict = {}
    if entry is not None and helpful in ("yes", "no"):
        already = request.session.get(SESSION_VOTED, [])
        if entry.code not in already:  # one vote per answer and browser session
            services.feedback_record(entry=entry, helpful=helpful == "yes", query=text)
            request.session[SESSION_VOTED] = [*already, entry.code][-100:]
        voted[entry.code] = helpful == "yes"
    if request.htmx:
        return render(request, "guidance/_feedback.html", {
            "faq": {"entry": entry, "voted": voted.get(code)}, "query": text})
    # Without JavaScript the page comes back whole, with the thanks in place of the buttons.
    form = GuideForm(initial={"q": text, "district": district_key})
    result = _search(text, district_key, voted=voted, log=False) if text.strip() else None
    return _page(request, form=form, district_key=district_key, furigana=furigana,
                 result=result)
