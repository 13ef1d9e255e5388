"""Writes of applications: drafts, attachments, submission (workflow transitions and the
checklist are in ``review``).

Every function takes an ``Actor`` (a staff member, or a resident logged in to the portal)
and checks, in this order, permission, the input (answers, attachments, the workflow), and
only then writes, inside one transaction with its audit entry and history event. Errors are
``ValidationError`` with Japanese (or English) messages safe to show; form errors come as
``AnswersInvalid`` keyed by the answer's path (``birth_date``, ``children.1.name``).

Submitting is idempotent twice over: a draft is submitted at most once (a second submit of
the same draft, a double click or a retried request, returns the application already
received), and ``application_submit_new`` (one request creating and submitting, the API)
finds an earlier submission by its idempotency key.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can, own_district_ids
from madoguchi.applications.access import section_ids
from madoguchi.applications.errors import AnswersInvalid
from madoguchi.applications.models import (
    DRAFT,
    Application,
    ApplicationAttachment,
    EventKind,
)
from madoguchi.applications.requirements import attachment_names, missing_attachments
from madoguchi.applications.services._common import (
    Actor,
    Submission,
    _not_draft_error,
    _require_owner_or,
    audit_write,
    history_append,
    locked_for_update,
)
from madoguchi.audit.models import Action as AuditAction
from madoguchi.core.dates import add_open_days
from madoguchi.files.services import CheckedFile, file_check, file_delete, file_store
from madoguchi.procedures.formschema.engine import clean_answers
from madoguchi.procedures.models import Channel, ProcedureVersion

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from madoguchi.consultations.models import Consultation
    from madoguchi.organisation.models import District, DistrictCentre
    from madoguchi.people.models import Resident

logger = logging.getLogger("madoguchi.applications")

FILE_PURPOSE = "application"
MAX_ATTACHMENTS = 20
MAX_IDEMPOTENCY_KEY = 80


def draft_start(*, actor: Actor, version: ProcedureVersion, channel: str, district: District,
                resident: Resident | None = None, centre: DistrictCentre | None = None,
                consultation: Consultation | None = None,
                answers: Mapping[str, Any] | None = None) -> Application:
    """A new draft of ``version`` (the procedure's current published version).

    Residents (portal) start online drafts for themselves; staff start assisted drafts
    (at a centre, for a resident they may see) or counter drafts. ``answers`` are the
    first raw answers (e.g. prefilled from the resident's record)."""
    if not version.is_published or version.procedure.current_id != version.pk:
        raise ValidationError(_("この手続きは受付をしていません。"), code="unpublished")
    if channel not in Channel.values or not getattr(version, channel):
        raise ValidationError(_("この手続きは、この方法では申請できません。"), code="channel")
    if actor.is_resident:
        if channel != Channel.ONLINE or resident is not None or centre is not None:
            raise PermissionDenied
    else:
        if channel == Channel.ONLINE or resident is None:
            raise PermissionDenied
        if not can(actor.user, Action.APPLICATION_ASSIST) or not can(
                actor.user, Action.RESIDENT_VIEW, resident):
            raise PermissionDenied
        if channel == Channel.ASSISTED and centre is None:
            raise ValidationError(_("受け付けるまちづくりセンターを選んでください。"),
                                  code="centre")
        if channel == Channel.ASSISTED and centre.district_id not in own_district_ids(
                actor.user):
            raise PermissionDenied  # only at one's own centre
        if channel == Channel.COUNTER and not section_ids(actor.user):
            raise PermissionDenied  # a counter belongs to a section
    with transaction.atomic():
        application = Application.objects.create(
            version=version, channel=channel, status=DRAFT, resident=resident,
            identity=actor.identity, district=district, centre=centre,
            consultation=consultation, created_by=actor.user,
            answers=dict(answers or {}))
        audit_write(actor, application, AuditAction.CREATE, ["answers"] if answers else [])
    return application


def draft_save(*, actor: Actor, application: Application,
               raw: Mapping[str, Any]) -> Application:
    """Keep what was typed, as typed (not checked): nothing is lost on a validation error
    or a timeout. Only a draft can be saved."""
    _require_owner_or(actor, application, Action.APPLICATION_ASSIST)
    with transaction.atomic():
        locked = locked_for_update(application)
        if not locked.is_draft:
            raise _not_draft_error(locked)
        locked.answers = dict(raw)
        locked.save(update_fields=["answers", "updated_at"])
        audit_write(actor, locked, AuditAction.UPDATE, ["answers"])
    return locked


def draft_discard(*, actor: Actor, application: Application) -> None:
    """Delete a draft that was never submitted, with its attachments' files."""
    _require_owner_or(actor, application, Action.APPLICATION_ASSIST)
    with transaction.atomic():
        locked = locked_for_update(application)
        if not locked.is_draft:
            raise _not_draft_error(locked)
        audit_write(actor, locked, AuditAction.UPDATE, ["status"])
        for attachment in list(locked.attachments.select_related("file")):
            stored = attachment.file
            attachment.delete()
            file_delete(stored=stored)
        locked.delete()  # a draft has no history yet: it starts when it is received


# ── attachments ────────────────────────────────────────────────────────────────────────


def _attachable(application: Application) -> bool:
    """Files can be added to a draft, and while the section waits for the resident (a
    status that pauses the clock: a correction asked for)."""
    return application.is_draft or application.status_spec.pauses_clock


def attachment_add(*, actor: Actor, application: Application, code: str,
                   data: UploadedFile | bytes | CheckedFile, name: str
                   ) -> ApplicationAttachment:
    """Check the file (size, type, viruses) before any transaction, then store it with the
    application. Raises FileRefused (message safe to show) or ValidationError."""
    # Staff add files to their drafts, and (centre or section staff) to an application
    # waiting for the resident's correction, when the resident brings it to them.
    _require_owner_or(actor, application, Action.APPLICATION_ASSIST
                      if application.is_draft else Action.APPLICATION_VIEW)
    codes = attachment_names(application.version)
    if code not in codes:
        raise ValidationError(_("添付書類の種類を選んでください。"), code="attachment_code")
    checked = data if isinstance(data, CheckedFile) else file_check(
        data=data, name=name, purpose=FILE_PURPOSE)
    try:
        with transaction.atomic():
            locked = locked_for_update(application)
            if not _attachable(locked):
                raise ValidationError(_("この申請には、いまは書類を追加できません。"),
                                      code="not_attachable")
            if locked.attachments.count() >= MAX_ATTACHMENTS:
                raise ValidationError(_("添付できる書類は%(n)d件までです。")
                                      % {"n": MAX_ATTACHMENTS}, code="too_many")
            stored = file_store(data=checked, name=name, purpose=FILE_PURPOSE,
                                by=actor.user)
            attachment = ApplicationAttachment.objects.create(
                application=locked, code=code, file=stored, added_by=actor.user)
            if not locked.is_draft:
                history_append(locked, actor, EventKind.ATTACHMENT, public=True,
                       note=_("書類を追加しました。"))
            audit_write(actor, locked, AuditAction.UPDATE, ["attachments"])
    except BaseException:
        checked.discard()
        raise
    return attachment


def attachment_remove(*, actor: Actor, application: Application, attachment_id: int) -> None:
    """Remove a file from a draft."""
    _require_owner_or(actor, application, Action.APPLICATION_ASSIST)
    with transaction.atomic():
        locked = locked_for_update(application)
        if not locked.is_draft:
            raise ValidationError(_("受け付けた申請の書類は削除できません。"), code="submitted")
        attachment = locked.attachments.select_related("file").filter(pk=attachment_id).first()
        if attachment is None:
            raise ValidationError(_("その書類は見つかりません。"), code="missing")
        stored = attachment.file
        attachment.delete()
        file_delete(stored=stored)
        audit_write(actor, locked, AuditAction.UPDATE, ["attachments"])


# ── submission ─────────────────────────────────────────────────────────────────────────


def check_answers(version: ProcedureVersion, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The checked answers, or AnswersInvalid."""
    outcome = clean_answers(version.form_spec, raw)
    if not outcome.ok:
        raise AnswersInvalid(outcome.errors)
    return outcome.answers


def applicant_name_of(version: ProcedureVersion, answers: Mapping[str, Any]) -> str:
    for spec in version.form_spec.top_fields():
        value = answers.get(spec.name)
        if spec.type == "name" and isinstance(value, Mapping):
            return " ".join(p for p in (value.get("family"), value.get("given")) if p)[:120]
    return ""


def contact_email_of(version: ProcedureVersion, answers: Mapping[str, Any],
                   application: Application) -> str:
    for spec in version.form_spec.top_fields():
        if spec.type == "email" and answers.get(spec.name):
            return str(answers[spec.name])
    if application.identity_id and application.identity.email:
        return application.identity.email
    if application.resident_id and application.resident.email:
        return application.resident.email
    return ""


def _section_for(application: Application):
    from madoguchi.applications.routing import responsible_section

    section = responsible_section(application.version.section_kind, application.district)
    if section is None:
        raise ValidationError(_("この地区を担当する課が登録されていないため、受け付けられません。"
                                "区の窓口にお問い合わせください。"), code="no_section")
    return section


def reference_for(application: Application) -> str:
    """受付番号: the year of receipt and a number unique across the ward (``2026-000123``)."""
    when = timezone.localtime(application.submitted_at)
    return f"{when:%Y}-{application.pk:06d}"


def _check_key(key: str | None) -> str | None:
    if key is None or key == "":
        return None
    key = str(key).strip()
    if not (8 <= len(key) <= MAX_IDEMPOTENCY_KEY) or not key.isascii() or not key.isprintable():
        raise ValidationError(_("送信の識別子が正しくありません。画面を読み込み直してください。"),
                              code="idempotency_key")
    return key


def _receive(locked: Application, actor: Actor, answers: dict[str, Any],
             key: str | None, confirmed: bool) -> None:
    """Turn the locked draft into a received application (inside the transaction)."""
    version = locked.version
    locked.section = _section_for(locked)
    locked.answers = answers
    locked.applicant_name = applicant_name_of(version, answers)
    locked.contact_email = contact_email_of(version, answers, locked)
    locked.status = version.workflow_spec.initial
    locked.submitted_at = timezone.now()
    if confirmed and locked.confirmed_at is None:
        locked.confirmed_at = locked.submitted_at
    local_day = timezone.localdate(locked.submitted_at)
    locked.due_on = (add_open_days(local_day, version.processing_days)
                     if version.processing_days else None)
    locked.idempotency_key = key
    locked.reference = reference_for(locked)
    locked.save()
    history_append(locked, actor, EventKind.SUBMITTED, public=True, to_status=locked.status,
           note=_("受付番号 %(ref)s で受け付けました。") % {"ref": locked.reference})
    audit_write(actor, locked, AuditAction.UPDATE, ["answers", "status"])
    logger.info("application %s received (%s, %s)", locked.public_id, version.procedure.code,
                locked.channel)


def application_submit(*, actor: Actor, application: Application, raw: Mapping[str, Any],
                       idempotency_key: str | None = None, confirmed: bool = False
                       ) -> Submission:
    """Submit a draft with its final answers ``raw``.

    The answers are saved to the draft first (so nothing typed is lost), then checked with
    the required attachments; only when everything is valid is the draft received.
    A draft already received returns ``Submission(repeated=True)``; nothing else changes.
    ``confirmed`` records that the resident checked the confirmation page (assisted).
    """
    _require_owner_or(actor, application, Action.APPLICATION_ASSIST)
    key = _check_key(idempotency_key)
    current = Application.objects.select_related("version").get(pk=application.pk)
    if not current.is_draft:
        return Submission(current, repeated=True)
    try:
        draft_save(actor=actor, application=current, raw=raw)  # kept, whatever happens next
    except ValidationError:
        return Submission(Application.objects.get(pk=current.pk), repeated=True)
    answers = check_answers(current.version, raw)
    with transaction.atomic():
        locked = locked_for_update(application)
        if not locked.is_draft:  # a second click that waited for the first one's lock
            return Submission(locked, repeated=True)
        missing = missing_attachments(locked.version, answers,
                                      set(locked.attachments.values_list("code", flat=True)))
        if missing:
            raise ValidationError(
                [_("「%(name)s」を添付してください。") % {"name": item["name"]}
                 for item in missing], code="attachments_missing")
        _receive(locked, actor, answers, key, confirmed)
    return Submission(locked, repeated=False)


def application_submit_new(*, actor: Actor, version: ProcedureVersion, district: District,
                           raw: Mapping[str, Any], files: list[tuple[str, Any, str]],
                           idempotency_key: str) -> Submission:
    """Create and submit an online application in one request (the API).

    ``files`` are ``(attachment code, data, name)``. Everything is checked before the
    transaction (answers, attachments' codes and presence, every file's size, type and
    scan); the application, its files and its history are written in one transaction, so
    a crash leaves either all of it or nothing (the files' temporary bytes are swept).
    A repeated ``idempotency_key`` returns the application made by the first request.
    """
    if not actor.is_resident:
        raise PermissionDenied
    key = _check_key(idempotency_key)
    if key is None:
        raise ValidationError(_("送信の識別子（Idempotency-Key）が必要です。"),
                              code="idempotency_key")
    earlier = _by_key(actor, key)
    if earlier is not None:
        return Submission(earlier, repeated=True)
    answers = check_answers(version, raw)
    codes = attachment_names(version)
    if any(code not in codes for code, _data, _name in files):
        raise ValidationError(_("添付書類の種類を選んでください。"), code="attachment_code")
    missing = missing_attachments(version, answers, {code for code, _d, _n in files})
    if missing:
        raise ValidationError([_("「%(name)s」を添付してください。") % {"name": item["name"]}
                               for item in missing], code="attachments_missing")
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(_("添付できる書類は%(n)d件までです。") % {"n": MAX_ATTACHMENTS},
                              code="too_many")
    checked: list[tuple[str, CheckedFile]] = []
    try:
        for code, data, name in files:
            checked.append((code, file_check(data=data, name=name, purpose=FILE_PURPOSE)))
        return _create_and_receive(actor, version, district, answers, checked, key)
    except IntegrityError:
        # The same key was submitted concurrently and the other request won.
        for _code, item in checked:
            item.discard()
        earlier = _by_key(actor, key)
        if earlier is None:
            raise
        return Submission(earlier, repeated=True)
    except BaseException:
        for _code, item in checked:
            item.discard()
        raise


def _by_key(actor: Actor, key: str) -> Application | None:
    """The resident's own earlier application with this key: keys are scoped per identity,
    so another resident's key neither clashes nor shows what they applied for."""
    return Application.objects.filter(identity=actor.identity, idempotency_key=key).first()


def _create_and_receive(actor: Actor, version: ProcedureVersion, district: District,
                        answers: dict[str, Any], checked: list[tuple[str, CheckedFile]],
                        key: str) -> Submission:
    if not version.online or version.procedure.current_id != version.pk:
        raise ValidationError(_("この手続きはオンラインでは申請できません。"), code="channel")
    with transaction.atomic():
        application = Application.objects.create(
            version=version, channel=Channel.ONLINE, status=DRAFT, identity=actor.identity,
            district=district, answers={})
        for code, item in checked:
            stored = file_store(data=item, name=item.name, purpose=FILE_PURPOSE, by=None)
            ApplicationAttachment.objects.create(application=application, code=code,
                                                 file=stored)
        # No re-read with a row lock (locked_for_update): the row was inserted in this
        # transaction, so no one else sees it, let alone locks it, before the commit; the
        # instance already holds its version, identity and district.
        _receive(application, actor, answers, key, confirmed=True)
    application.__dict__["pending_post"] = False  # no notice exists yet (awaiting_post)
    return Submission(application, repeated=False)
