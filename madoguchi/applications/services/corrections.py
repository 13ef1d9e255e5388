"""Answering a correction (補正) the section asked for — online by the resident, or at the
district centre by staff on the resident's behalf (issue 5: "the resident sees it and answers
online or at the centre"). One path for both.

The section's request names the answers (top-level answer paths) and attachments (codes) to
change (``CorrectionRequest``). The answer may change exactly those: the named answers are
checked by the form engine together with the rest of the application (so conditions and
required fields still hold), a change to any other answer — sent by a tampered form, or
following from a condition — is refused, and every named attachment needs a new file, which
replaces the old one (kept, marked replaced). The old and new values, the files and who sent
them are kept as an ``AnswerRevision`` with the resident's transition out of the waiting
status. A request made without items (before this existed, or by the API) allows a message
and files of any kind, and no change of answers. Every file is checked before any is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.applications import selectors, services, transition_data
from madoguchi.applications.errors import AnswersInvalid
from madoguchi.applications.models import AnswerRevision, ApplicationAttachment
from madoguchi.applications.requirements import OTHER, attachment_names
from madoguchi.audit.models import Action as AuditAction
from madoguchi.files.services import CheckedFile
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.formschema.spec import FormSpec, SectionSpec

if TYPE_CHECKING:
    from madoguchi.applications.models import Application, CorrectionRequest
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


open_request = transition_data.open_request


def correction_form(application: Application, request: CorrectionRequest | None
                    ) -> FormSpec | None:
    """The application's form cut down to the fields the request names (in the form's
    sections and order), for the page that answers it; None when it names none. Their
    conditions are left out here (the fields they look at are not on the page): the whole
    form's engine check, with every other answer, decides."""
    if request is None or not request.fields:
        return None
    sections = []
    for section in application.version.form_spec.sections:
        fields = tuple(replace(f, show_when=None, required_when=None) for f in section.fields
                       if f.name in request.fields)
        if fields:
            sections.append(SectionSpec(title=section.title, title_en=section.title_en,
                                        fields=fields))
    return FormSpec(tuple(sections)) if sections else None


def requested_attachments(application: Application, request: CorrectionRequest | None
                          ) -> list[tuple[str, str]]:
    """(code, name) of the attachments the request asks to replace."""
    if request is None:
        return []
    names = attachment_names(application.version)
    return [(code, names.get(code, code)) for code in request.attachments]


def posted_changes(application: Application, sub_form_raw: Mapping[str, Any],
                   post: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a POST tries to change: the named fields' raw input, plus any other
    field of the form whose input was sent (so the service can refuse it)."""
    from madoguchi.procedures.formschema.django_forms import ProcedureForm

    form = application.version.form_spec
    sent = [spec.name for spec in form.top_fields() if spec.name not in sub_form_raw
            and any(key == spec.name or key.startswith(f"{spec.name}-") for key in post)]
    changes = dict(sub_form_raw)
    if sent:
        everything = ProcedureForm(form, post).raw_input()
        changes.update({name: everything[name] for name in sent})
    return changes


def discard(files: Iterable[tuple[str, CheckedFile]]) -> None:
    for _code, item in files:
        item.discard()


def _label(application: Application, name: str) -> str:
    spec = application.version.form_spec.field(name)
    return spec.text if spec else name


def _refuse_unasked(application: Application, names: Iterable[str]) -> None:
    names = list(names)
    if names:
        raise ValidationError(
            _("「%(fields)s」は担当の課が直すように求めた項目ではないため、変更できません。")
            % {"fields": "」「".join(_label(application, n) for n in names)},
            code="not_requested")


def revised_answers(application: Application, request: CorrectionRequest | None,
                    changes: Mapping[str, Any]) -> dict[str, Any]:
    """The application's answers with ``changes`` (raw input of named fields) applied and
    checked by the form engine; ValidationError when something else would change."""
    allowed = set(request.fields) if request is not None else set()
    _refuse_unasked(application, [name for name in changes if name not in allowed])
    old = dict(application.answers or {})
    if not changes:
        return old
    outcome = clean_answers(application.version.form_spec, {**old, **changes})
    named_errors = {path: messages for path, messages in outcome.errors.items()
                    if path.split(".")[0] in allowed}
    if named_errors:
        raise AnswersInvalid(named_errors)
    # A condition may show or hide another answer: that is a change nobody asked for.
    _refuse_unasked(application, [
        name for name in dict.fromkeys([*old, *outcome.answers])
        if name not in allowed and (name in old) != (name in outcome.answers)])
    return {name: outcome.answers[name] if name in allowed else old[name]
            for name in outcome.answers}


def answer_correction(*, actor: services.Actor, application: Application,
                      transition: Transition, note: str,
                      files: list[tuple[str, CheckedFile]],
                      changes: Mapping[str, Any] | None = None) -> Application:
    """Answer the correction: change the named answers (``changes``: raw input by field),
    add the checked ``files`` (``(attachment code, file)``; those of a named attachment
    replace its earlier files), and take ``transition`` with ``note``. Staff answer for the
    resident (``for_resident``). Raises ValidationError (AnswersInvalid for the answers);
    nothing is written then, and files not stored are discarded."""
    pending = list(files)
    try:
        request = open_request(application)
        changes = dict(changes or {})
        allowed = (set(request.attachments) | {OTHER} if request is not None
                   else set(attachment_names(application.version)))
        refused = sorted({code for code, _item in pending if code not in allowed})
        if refused:
            names = attachment_names(application.version)
            raise ValidationError(
                _("「%(names)s」は担当の課が差し替えを求めた書類ではないため、添えられません。")
                % {"names": "」「".join(names.get(c, c) for c in refused)},
                code="not_requested")
        missing = [name for code, name in requested_attachments(application, request)
                   if not any(c == code for c, _item in pending)]
        if missing:
            raise ValidationError([_("「%(name)s」のファイルを添えてください。") % {"name": name}
                                   for name in missing], code="attachments_missing")
        answers = revised_answers(application, request, changes)
        with transaction.atomic():
            return _write(actor, application, request, transition, note, pending, answers)
    except ValidationError:
        discard(pending)
        raise


def _write(actor: services.Actor, application: Application,
           request: CorrectionRequest | None, transition: Transition, note: str,
           pending: list[tuple[str, CheckedFile]], answers: dict[str, Any]) -> Application:
    locked = services.locked_for_update(application)
    if open_request(locked) != request:
        raise ValidationError(_("この申請は、いまは補正の回答を待っていません。"), code="stale")
    added: dict[str, list[int]] = {}
    while pending:
        code, item = pending[0]
        attachment = services.attachment_add(actor=actor, application=locked, code=code,
                                             data=item, name=item.name)
        pending.pop(0)
        added.setdefault(code, []).append(attachment.pk)
    old = dict(locked.answers or {})
    changed = [name for name in dict.fromkeys([*old, *answers])
               if old.get(name) != answers.get(name)]
    if changed:
        locked.answers = answers
        locked.applicant_name = services.applicant_name_of(locked.version, answers)
        locked.contact_email = services.contact_email_of(locked.version, answers, locked)
        locked.save(update_fields=["answers", "applicant_name", "contact_email",
                                   "updated_at"])
        services.audit_write(actor, locked, AuditAction.UPDATE, ["answers"])
    updated = services.application_transition(
        actor=actor, application=locked, name=transition.name, note=note,
        for_resident=not actor.is_resident)
    if request is None:
        return updated
    replaced: dict[str, list[int]] = {}
    for pk, code in (ApplicationAttachment.objects.filter(
            application=locked, code__in=request.attachments, replaced_by__isnull=True)
            .exclude(pk__in=[pk for ids in added.values() for pk in ids])
            .values_list("pk", "code")):
        replaced.setdefault(code, []).append(pk)
    event = updated.events.order_by("-pk").first()
    revision = AnswerRevision.objects.create(
        application=locked, request=request, event=event,
        before={name: old.get(name) for name in changed},
        after={name: answers.get(name) for name in changed},
        files=[{"code": code, "added": ids, "replaced": replaced.get(code, [])}
               for code, ids in added.items()],
        actor=actor.user, by_resident=actor.is_resident)
    ApplicationAttachment.objects.filter(
        pk__in=[pk for ids in replaced.values() for pk in ids]).update(replaced_by=revision)
    return updated
