"""Answering a correction (補正) the section asked for — online by the resident, or at the
district centre by staff on the resident's behalf (issue 5: "the resident sees it and answers
online or at the centre"). One path for both: every file is checked before any is stored,
the files are added while the application waits, then the workflow's resident transition
out of the waiting status is taken with the message."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from madoguchi.applications import selectors, services
from madoguchi.applications.requirements import OTHER, attachment_names
from madoguchi.files.services import CheckedFile, FileRefused, file_check

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from madoguchi.applications.models import Application
    from madoguchi.procedures.workflow import Transition


def resident_actions(application: Application) -> tuple[Transition | None, list[Transition]]:
    """(the answer to a correction, or None; the resident's other actions) offered now."""
    if application.is_draft:
        return None, []
    spec = application.version.workflow_spec
    available = spec.available(application.status, actor="resident")
    answer = None
    if application.status_spec.pauses_clock:
        answer = next((t for t in available if not spec.status(t.target).final), None)
    return answer, [t for t in available if t is not answer]


def request_note(application: Application) -> str:
    """What the section asked for: the resident-visible note that started the wait."""
    if application.is_draft or not application.status_spec.pauses_clock:
        return ""
    asked = [e for e in selectors.history(application, public_only=True)
             if e.to_status == application.status and e.resident_note]
    return asked[-1].resident_note if asked else ""


def check_uploads(uploads: Iterable[UploadedFile]) -> list[CheckedFile]:
    """Every chosen file checked before anything is stored; FileRefused on the first bad
    one (the files checked so far are discarded)."""
    checked: list[CheckedFile] = []
    try:
        for upload in list(uploads)[:services.MAX_ATTACHMENTS]:
            checked.append(file_check(data=upload, name=upload.name,
                                      purpose=services.FILE_PURPOSE))
    except FileRefused:
        for item in checked:
            item.discard()
        raise
    return checked


def answer_correction(*, actor: services.Actor, application: Application,
                      transition: Transition, note: str, files: list[CheckedFile],
                      code: str = OTHER) -> Application:
    """Add the checked ``files`` (as attachment ``code``) and take ``transition`` with
    ``note``. Staff answer for the resident (``for_resident``). Raises ValidationError;
    files not stored by then are discarded."""
    if code not in attachment_names(application.version):
        code = OTHER
    pending = list(files)
    try:
        while pending:
            item = pending[0]
            services.attachment_add(actor=actor, application=application, code=code,
                                    data=item, name=item.name)
            pending.pop(0)
        return services.application_transition(
            actor=actor, application=application, name=transition.name, note=note,
            for_resident=not actor.is_resident)
    except ValidationError:
        for item in pending:
            item.discard()
        raise
