"""「わたしの申請」 in the portal (namespace ``apply``): the resident's drafts and applications,
discarding a draft, and one application (status in plain words, the public history,
answering a correction, withdrawing)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.applications import selectors, services
from madoguchi.applications.forms import corrections as correction_input
from madoguchi.applications.forms.portal import NoteForm
from madoguchi.applications.models import Application
from madoguchi.applications.requirements import (
    attachment_names,
)
from madoguchi.applications.services import corrections
from madoguchi.applications.services.notices import notices_for, resident_events
from madoguchi.applications.views.portal._common import (
    _actor,
    _detail_url,
    _edit_url,
    _get,
    _named_attachments,
    _render,
)
from madoguchi.files.services import FileRefused
from madoguchi.portal.access import portal_identity_required
from madoguchi.portal.models import Level

# ── my applications ────────────────────────────────────────────────────────────────────


@require_GET
@never_cache
@portal_identity_required(Level.EMAIL)
def applications(request):
    rows = selectors.for_identity(identity=request.portal_login.identity, source="apply:list")
    return _render(request, "applications/portal/list.html", {
        "drafts": [a for a in rows if a.is_draft],
        "submitted": [a for a in rows if not a.is_draft]})


@require_http_methods(["GET", "POST"])
@never_cache
@portal_identity_required(Level.EMAIL)
def discard(request, public_id: uuid.UUID):
    application = _get(request, public_id, "discard")
    if not application.is_draft:
        return redirect(_detail_url(application))
    if request.method == "POST":
        services.draft_discard(actor=_actor(request, "discard"), application=application)
        messages.success(request, _("下書きを削除しました。"))
        return redirect("apply:list")
    return _render(request, "applications/portal/discard.html", {"application": application})


# ── one application ────────────────────────────────────────────────────────────────────


def _detail_page(request, application: Application, *, answer_form: NoteForm | None = None,
                 file_error: str = "", status: int = 200, correction_form=None,
                 answer_errors=()):
    events = selectors.history(application, public_only=True)
    answer, others = corrections.resident_actions(application)
    if answer is not None and answer_form is None:
        answer_form = NoteForm(required=answer.note == "required",
                               label=_("直したこと・お伝えしたいこと"))
    names = attachment_names(application.version)
    return _render(request, "applications/portal/detail.html", {
        "application": application, "version": application.version,
        "events": resident_events(application, events),
        "attachments": _named_attachments(application), "answer": answer, "others": others,
        "answer_form": answer_form, "notices": notices_for(application),
        "request_note": corrections.request_note(application), "file_error": file_error,
        "answer_errors": list(answer_errors), "codes": list(names.items()),
        **correction_input.context(application, correction_form)}, status=status)


@require_GET
@never_cache
@portal_identity_required(Level.EMAIL)
def detail(request, public_id: uuid.UUID):
    application = _get(request, public_id, "detail")
    if application.is_draft:
        return redirect(_edit_url(application))
    return _detail_page(request, application)


@require_POST
@never_cache
@portal_identity_required(Level.EMAIL)
def answer(request, public_id: uuid.UUID):
    """Answer a correction the section asked for: a message, added files, and the
    workflow's resident transition out of the waiting status."""
    application = _get(request, public_id, "answer")
    if application.is_draft:
        return redirect(_edit_url(application))
    transition, _others = corrections.resident_actions(application)
    if transition is None:
        messages.error(request, _("この申請には、いまは回答できません。"))
        return redirect(_detail_url(application))
    form = NoteForm(request.POST, required=transition.note == "required",
                    label=_("直したこと・お伝えしたいこと"))
    if not form.is_valid():
        return _detail_page(request, application, answer_form=form, status=400)
    try:
        given = correction_input.read(application, request)
    except FileRefused as refused:
        return _detail_page(request, application, answer_form=form, file_error=refused.message,
                            status=refused.status())
    try:
        corrections.answer_correction(
            actor=_actor(request, "answer"), application=application, transition=transition,
            note=form.cleaned_data["note"], files=given.files, changes=given.changes)
    except services.AnswersInvalid as invalid:
        correction_input.show_errors(given, invalid.errors)
        return _detail_page(request, application, answer_form=form, status=400,
                            correction_form=given.form, answer_errors=[invalid.message])
    except ValidationError as error:
        return _detail_page(request, application, answer_form=form, status=400,
                            correction_form=given.form, answer_errors=error.messages)
    messages.success(request, _("回答を送りました。担当の課が確認します。"))
    return redirect(_detail_url(application))


@require_http_methods(["GET", "POST"])
@never_cache
@portal_identity_required(Level.EMAIL)
def act(request, public_id: uuid.UUID, name: str):
    """Another resident action of the workflow (e.g. withdraw), after a confirmation."""
    application = _get(request, public_id, "act")
    if application.is_draft:
        return redirect(_edit_url(application))
    _answer, others = corrections.resident_actions(application)
    transition = next((t for t in others if t.name == name), None)
    if transition is None:
        raise Http404
    form = NoteForm(request.POST or None, required=transition.note == "required")
    if request.method == "POST" and form.is_valid():
        try:
            services.application_transition(actor=_actor(request, "act"),
                                            application=application, name=transition.name,
                                            note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("「%(action)s」を受け付けました。")
                             % {"action": transition.text})
        return redirect(_detail_url(application))
    return _render(request, "applications/portal/act.html", {
        "application": application, "transition": transition, "form": form},
        status=400 if request.method == "POST" else 200)
