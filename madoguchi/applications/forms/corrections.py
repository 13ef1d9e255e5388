"""The correction answer form shared by the portal and the district centre: the fields the
section named (the procedure's own form cut down, prefilled with the current answers,
checked by the same engine), one file input per attachment to replace, and further files.

``context`` gives the template what it draws; ``read`` turns a POST into what
``corrections.answer_correction`` takes (it, not the page, decides what may change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from madoguchi.applications import services
from madoguchi.applications.requirements import OTHER
from madoguchi.applications.services import corrections
from madoguchi.files.policy import policy_for
from madoguchi.files.services import FileRefused, file_check
from madoguchi.files.uploads import limits_text
from madoguchi.procedures.formschema.django_forms import ProcedureForm, flat_name

if TYPE_CHECKING:
    from django.http import HttpRequest

    from madoguchi.applications.models import Application
    from madoguchi.files.services import CheckedFile



@dataclass
class Answer:
    form: ProcedureForm | None
    changes: dict[str, Any] = field(default_factory=dict)
    files: list[tuple[str, CheckedFile]] = field(default_factory=list)


def context(application: Application, form: ProcedureForm | None = None) -> dict[str, Any]:
    request = corrections.open_request(application)
    spec = corrections.correction_form(application, request)
    if form is None and spec is not None:
        form = ProcedureForm(spec, answers=application.answers or {})
    return {"correction": request, "correction_form": form,
            "replace": corrections.requested_attachments(application, request),
            "accept": policy_for(services.FILE_PURPOSE).accept,
            "limits": limits_text(services.FILE_PURPOSE)}


def show_errors(answer: Answer, errors: dict[str, list[str]]) -> None:
    """Put the engine's messages (by answer path) on the correction form's inputs."""
    form = answer.form
    if form is None:
        return
    form.is_valid()
    for path, messages in errors.items():
        name = flat_name(path)
        if name not in form.fields:
            name = f"{name}-rows" if f"{name}-rows" in form.fields else None
        for message in messages:
            if name is None or message not in form.errors.get(name, []):
                form.add_error(name, message)


def read(application: Application, request: HttpRequest) -> Answer:
    """The answers and files of the POST; raises FileRefused (the files checked so far
    are discarded)."""
    open_request = corrections.open_request(application)
    spec = corrections.correction_form(application, open_request)
    form = ProcedureForm(spec, request.POST) if spec is not None else None
    raw = form.raw_input() if form is not None else {}
    answer = Answer(form=form,
                    changes=corrections.posted_changes(application, raw, request.POST))
    uploads = [(code, upload) for code, _name in corrections.requested_attachments(
        application, open_request) for upload in request.FILES.getlist(f"file-{code}")]
    # Further files: of the kind chosen (kinds the request did not name are refused by
    # the service), "other" by default.
    other = request.POST.get("code") or OTHER
    uploads += [(other, upload) for upload in request.FILES.getlist("files")]
    try:
        for code, upload in uploads[:services.MAX_ATTACHMENTS]:
            answer.files.append((code, file_check(data=upload, name=upload.name,
                                                  purpose=services.FILE_PURPOSE)))
    except FileRefused:
        corrections.discard(answer.files)
        raise
    return answer
