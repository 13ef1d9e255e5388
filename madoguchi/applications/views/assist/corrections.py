"""A resident answers a correction (補正) at the district centre: staff read the section's
request with them, correct the answers the section named (the form shows only those,
prefilled), scan what they brought and send the answer on their behalf (the history names
the staff member). Residents of the centre's district only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.applications import selectors
from madoguchi.applications.errors import AnswersInvalid
from madoguchi.applications.forms import corrections as correction_input
from madoguchi.applications.forms.portal import NoteForm
from madoguchi.applications.requirements import attachment_names
from madoguchi.applications.services import corrections
from madoguchi.applications.views.assist.steps import actor_of, source_of
from madoguchi.files.services import FileRefused


def _page(request, application, form, *, answer_form=None, file_error: str = "",
          errors=(), status: int = 200):
    transition, _others = corrections.resident_actions(application)
    return render(request, "applications/assist/correction.html", {
        "application": application, "version": application.version,
        "transition": transition, "request_note": corrections.request_note(application),
        "form": form, "file_error": file_error, "errors": list(errors),
        "codes": list(attachment_names(application.version).items()),
        **correction_input.context(application, answer_form),
    }, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.APPLICATION_VIEW)
def correction(request, public_id):
    application = selectors.staff_get(user=request.user, public_id=public_id,
                                      source=source_of(request))
    transition, _others = corrections.resident_actions(application)
    label = _("区民の方から伺ったこと・直したこと")
    if request.method == "GET" or transition is None:
        form = NoteForm(required=bool(transition and transition.note == "required"),
                        label=label)
        return _page(request, application, form)
    form = NoteForm(request.POST, required=transition.note == "required", label=label)
    if not form.is_valid():
        return _page(request, application, form, status=400)
    try:
        answer = correction_input.read(application, request)
    except FileRefused as refused:
        return _page(request, application, form, file_error=refused.message,
                     status=refused.status())
    try:
        corrections.answer_correction(
            actor=actor_of(request), application=application, transition=transition,
            note=form.cleaned_data["note"], files=answer.files, changes=answer.changes)
    except AnswersInvalid as invalid:
        correction_input.show_errors(answer, invalid.errors)
        return _page(request, application, form, answer_form=answer.form,
                     errors=[invalid.message], status=400)
    except ValidationError as error:
        return _page(request, application, form, answer_form=answer.form,
                     errors=error.messages, status=400)
    messages.success(request, _("回答を担当の課へ送りました。"))
    return redirect("assist:correction", public_id=application.public_id)
