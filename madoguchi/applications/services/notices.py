"""Decision notices (決定通知書): made from the procedure version's notice text, printed as a
PDF, delivered by an e-mail link or by post, always shown in the resident's portal.

``notice_create`` does everything in one transaction: it numbers the notice (世<課の略称>第
<n>号, counted per section and calendar year under a lock on the section), renders the PDF,
stores it, writes the ``Notice`` row and a public history event, and takes the workflow's
``notify`` transition when the workflow allows it from the current status. The e-mail is
sent after the commit by a task that makes the link's token itself (see ``tasks``).

Reads of notices go through the functions below, which audit the application they belong
to (one entry per notice listed or opened).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.applications import messages, transition_data
from madoguchi.applications.access import application_scope
from madoguchi.applications.models import (
    Application,
    ApplicationEvent,
    Delivery,
    EventKind,
    Notice,
)
from madoguchi.applications.selectors import audit_list
from madoguchi.applications.services import (
    Actor,
    application_transition,
    audit_write,
    history_append,
    locked_for_update,
)
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.core.dates import wareki
from madoguchi.core.paging import Pager, offset_page
from madoguchi.core.tokens import digest
from madoguchi.documents.content import Addressee, DecisionNotice, Issuer
from madoguchi.documents.errors import DocumentError
from madoguchi.documents.notice import render_decision_notice
from madoguchi.files.services import file_open, file_store
from madoguchi.organisation.models import Section
from madoguchi.procedures.definition import DEFAULT_APPEAL, placeholders_in, render_text

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.portal.models import PortalIdentity

logger = logging.getLogger("madoguchi.applications")

FILE_PURPOSE = "notice"
NOTIFY = "notify"
REJECTED = "rejected"
MAX_TOKEN = 200
MAX_REASONS = 4000

# 文書番号の略称 per kind of section (世子家第12号); other kinds use their name's first
# two characters.
ABBREVIATIONS = {
    "kodomo-katei": "子家", "hoken-fukushi": "保福", "seikatsu-shien": "生支",
    "kenko-zukuri": "健づ", "kumin-madoguchi": "区窓", "kazei": "課", "nozei": "納",
    "kokuho-nenkin": "国年", "kaigo-hoken": "介保", "hoiku": "保育",
}


def template_for(application: Application) -> dict[str, Any] | None:
    """The procedure version's notice text for the application's status (None if none)."""
    for notice in application.version.notices or []:
        if notice.get("status") == application.status:
            return notice
    return None


def abbreviation(section: Section) -> str:
    return ABBREVIATIONS.get(section.kind.code) or section.kind.name[:2]


def _next_number(section: Section, year: int) -> str:
    """The next document number of ``section`` in ``year`` (caller holds the section lock)."""
    count = Notice.objects.filter(application__section=section,
                                  created_at__year=year).count()
    prefix = f"世{abbreviation(section)}第"
    taken = set(Notice.objects.filter(application__section=section,
                                      document_number__startswith=prefix,
                                      created_at__year=year)
                .values_list("document_number", flat=True))
    number = count + 1
    while f"{prefix}{number}号" in taken:
        number += 1
    return f"{prefix}{number}号"


def _plain(value: Any) -> str:
    """A value put into the administrators' text: braces cannot start a placeholder."""
    return str(value).replace("{", "(").replace("}", ")")


def _addressee(application: Application) -> Addressee:
    answers = application.answers or {}
    name = postal = address = ""
    for spec in application.version.form_spec.top_fields():
        value = answers.get(spec.name)
        if not isinstance(value, Mapping):
            continue
        if spec.type == "name" and not name:
            name = " ".join(p for p in (value.get("family"), value.get("given")) if p)
        elif spec.type == "address" and not address:
            postal = str(value.get("postal_code") or "")
            address = " ".join(p for p in (value.get("address"), value.get("building")) if p)
    if application.resident_id:
        resident = application.resident
        if not name:
            name = resident.full_name
        if not address:
            postal, address = resident.postal_code, resident.address
    return Addressee(name=name or application.applicant_name, address=address,
                     postal_code=postal)


def _values(application: Application, addressee: Addressee, issued_on: dt.date,
            reasons: str) -> dict[str, str]:
    section = application.section
    values = {
        "reference": application.reference,
        "applicant_name": addressee.name,
        "procedure_name": application.version.display_name,
        "received_on": wareki(timezone.localdate(application.submitted_at)),
        "decided_on": wareki(issued_on),
        "reasons": reasons,
        "section_name": section.name,
        "section_phone": section.phone or settings.DOCUMENTS_WARD_PHONE,
    }
    for key, value in (application.answers or {}).items():
        if not isinstance(value, dict | list):
            values[f"answers.{key}"] = str(value)
    return {key: _plain(value) for key, value in values.items()}


def build(application: Application, *, template: Mapping[str, Any], document_number: str,
          issued_on: dt.date, reasons: str,
          details: Sequence[tuple[str, str]] = ()) -> DecisionNotice:
    """The document's content for ``application`` (nothing is written)."""
    addressee = _addressee(application)
    section = application.section
    values = _values(application, addressee, issued_on, reasons)
    body = render_text(template["body"], values)
    if "reasons" in placeholders_in(template["body"]):
        reasons = ""  # the body prints them already: once, not again under 記
    # The procedure's own 教示 when it has one; the ward's standard text (appeal.txt,
    # editable by the ward) when it kept the default.
    own = template.get("appeal", "")
    appeal = render_text(own, values) if own and own != DEFAULT_APPEAL else ""
    status = application.version.workflow_spec.status(application.status)
    return DecisionNotice(
        title=template["title"], document_number=document_number,
        reference_number=application.reference, issued_on=issued_on, addressee=addressee,
        issuer=Issuer(section=section.name,
                      phone=section.phone or settings.DOCUMENTS_WARD_PHONE,
                      # Branch sections' names start with their office already.
                      office="" if section.name.startswith(section.office) else section.office),
        procedure_name=application.version.display_name, decision=status.label,
        body_template=body, applied_on=timezone.localdate(application.submitted_at),
        reasons=reasons, details=tuple((str(k), str(v)) for k, v in details), appeal=appeal)


def notice_create(*, actor: Actor, application: Application, delivery: str,
                  reasons: str = "", details: Sequence[tuple[str, str]] = (),
                  origin: str = "") -> Notice:
    """Make the decision notice of ``application`` for its current status (decided,
    rejected...) and send it on its way. ``origin`` (https://host) starts the e-mailed link.
    The decision's data (``transition_data``) are printed under 記 before ``details``; its
    reasons, given once with the transition, replace ``reasons``.
    Raises ValidationError (Japanese, safe to show), including the document's problems."""
    if actor.is_resident:
        raise PermissionDenied
    if not can(actor.user, Action.APPLICATION_REVIEW, application):
        raise PermissionDenied
    reasons = (reasons or "").strip()
    if len(reasons) > MAX_REASONS:
        raise ValidationError(_("理由は4,000文字以内で入力してください。"), code="reasons")
    if delivery not in Delivery.values:
        raise ValidationError(_("届け方を選んでください。"), code="delivery")
    with transaction.atomic():
        locked = locked_for_update(application)
        template = template_for(locked)
        if locked.is_draft or template is None:
            raise ValidationError(_("この状態の申請には通知書を作れません。"), code="status")
        if locked.notices.filter(status=locked.status).exists():
            raise ValidationError(_("この決定の通知書はすでに作成しています。"), code="exists")
        spec = locked.version.workflow_spec
        decision = decision_of(locked)
        if decision is not None and decision.reasons:
            reasons = decision.reasons
        details = [*transition_data.decision_rows(locked, decision), *details]
        if locked.status == REJECTED and not reasons:
            raise ValidationError(_("却下の通知書には理由の入力が必要です。"),
                                  code="reasons_required")
        if delivery == Delivery.EMAIL and not locked.contact_email:
            raise ValidationError(_("申請者のメールアドレスがありません。郵送を選んでください。"),
                                  code="no_email")
        section = Section.objects.select_for_update().select_related("kind").get(
            pk=locked.section_id)
        locked.section = section
        issued_on = timezone.localdate()
        number = _next_number(section, issued_on.year)
        content = build(locked, template=template, document_number=number,
                        issued_on=issued_on, reasons=reasons, details=details)
        try:
            pdf = render_decision_notice(content)
        except DocumentError as error:
            raise ValidationError(error.problems, code="document") from None
        stored = file_store(data=pdf, name=f"notice-{locked.reference}.pdf",
                            purpose=FILE_PURPOSE, by=actor.user)
        notice = Notice.objects.create(
            application=locked, status=locked.status, title=template["title"],
            document_number=number, file=stored, delivery=delivery, created_by=actor.user)
        how = (_("メールでお知らせします。") if delivery == Delivery.EMAIL
               else _("郵送でお届けします。"))
        history_append(locked, actor, EventKind.NOTICE, public=True,
               note=_("「%(title)s」（%(number)s）を作成しました。%(how)s")
               % {"title": notice.title, "number": number, "how": how})
        audit_write(actor, locked, AuditAction.CREATE, ["notices"])
        if any(t.name == NOTIFY for t in spec.available(locked.status, actor="staff")):
            application_transition(actor=actor, application=locked, name=NOTIFY)
        if delivery == Delivery.EMAIL:
            messages.notice_link_notice(notice_id=notice.pk, origin=origin)
    logger.info("notice %s made for application %s (%s)", notice.pk,
                application.public_id, delivery)
    return notice


def decision_of(application: Application):
    """The decision the notice of the application's current status is made of (or None)."""
    decision = transition_data.current_decision(application)
    return decision if decision is not None and decision.status == application.status \
        else None


def notice_printed(*, actor: Actor, public_id) -> Notice:
    """Mark a notice for the post printed and posted (who and when); only now does the
    resident read that it was posted. A second time changes nothing."""
    if actor.is_resident:
        raise PermissionDenied
    with transaction.atomic():
        notice = (Notice.objects.select_for_update(of=("self",))
                  .select_related("application").filter(public_id=public_id).first())
        if notice is None or not can(actor.user, Action.NOTICE_PRINT, notice.application):
            raise Http404
        if notice.delivery != Delivery.POST:
            raise ValidationError(_("郵送の通知書ではありません。"), code="delivery")
        if notice.printed_at is None:
            notice.printed_at = timezone.now()
            notice.printed_by = actor.user
            notice.save(update_fields=["printed_at", "printed_by"])
            history_append(notice.application, actor, EventKind.NOTICE, public=True,
                           note=_("「%(title)s」（%(number)s）を郵送しました。")
                           % {"title": notice.title, "number": notice.document_number})
            audit_write(actor, notice.application, AuditAction.UPDATE, ["notices"])
    return notice


# ── reads ──────────────────────────────────────────────────────────────────────────────


def print_queue(*, user: User, source: str, query=None) -> Pager:
    """One page (``query``: the request's GET) of the posted notices of the user's
    sections not printed yet, oldest first."""
    rows = (Notice.objects.filter(
        delivery=Delivery.POST, printed_at__isnull=True,
        application__in=Application.objects.filter(
            application_scope(user, Action.NOTICE_PRINT)))
        .select_related("application__version__procedure", "application__resident",
                        "created_by").order_by("created_at", "pk"))
    pager = offset_page(rows, query)
    audit_list(user=user, applications=[n.application for n in pager.rows], source=source)
    return pager


def _record_open(*, user, notice: Notice, source: str, portal_ref: str = "") -> None:
    application = notice.application
    audit.record(actor=user, action=AuditAction.VIEW, record_type="application",
                 record_id=str(application.public_id),
                 resident_ref=str(application.resident.public_id) if application.resident_id
                 else "", source=source, fields=["notices"], portal_ref=portal_ref)


def staff_notice_open(*, user: User, public_id, source: str,
                      action: Action = Action.APPLICATION_REVIEW) -> tuple[Notice, BinaryIO]:
    """The PDF of a notice of the user's sections (audited); 404 outside the scope.
    Raises FileRefused when the bytes are gone."""
    notice = (Notice.objects.select_related("application__resident", "file")
              .filter(public_id=public_id).first())
    if notice is None or not can(user, action, notice.application):
        raise Http404
    handle = file_open(stored=notice.file)
    _record_open(user=user, notice=notice, source=source)
    return notice, handle


def resident_events(application: Application, events: Sequence[ApplicationEvent]
                    ) -> list[tuple[ApplicationEvent, str]]:
    """The public history as the resident reads it: each event with the words of its
    status. A notice sent by post is 「通知書の郵送準備中」 when it is made (the step to
    「通知済み」 says it was posted, which is not true yet); the print queue's mark adds
    the event that says it was posted."""
    spec = application.version.workflow_spec
    by_post = application.notices.filter(delivery=Delivery.POST).exists()
    rows = []
    for event in events:
        if by_post and event.transition == NOTIFY:
            text = _("通知書の郵送準備中")
        elif event.to_status in spec.codes:
            text = spec.status(event.to_status).resident_text
        else:
            text = event.get_kind_display()
        rows.append((event, text))
    return rows


def notices_for(application: Application) -> list[Notice]:
    """The notices of an application, newest first (its page was audited already)."""
    return list(application.notices.select_related("created_by", "printed_by")
                .order_by("-created_at", "-pk"))


def identity_notice_open(*, identity: PortalIdentity, public_id, source: str
                         ) -> tuple[Notice, BinaryIO]:
    """A notice of one of the resident's own applications (404 for anyone else's)."""
    notice = (Notice.objects.select_related("application__resident", "file")
              .filter(public_id=public_id, application__identity=identity).first())
    if notice is None:
        raise Http404
    handle = file_open(stored=notice.file)
    _record_open(user=None, notice=notice, source=source,
                 portal_ref=str(identity.public_id))
    return notice, handle


class LinkRefused(Exception):
    """The e-mailed link is unknown or expired; ``message`` is safe to show."""

    def __init__(self, code: str, message: str):
        super().__init__(code)
        self.code = code
        self.message = message


def link_notice(*, token: str) -> Notice:
    """The notice an e-mailed link opens (nothing is recorded)."""
    if not token or len(token) > MAX_TOKEN:
        raise LinkRefused("unknown", _("このリンクは使えません。"))
    notice = (Notice.objects.select_related("application__version__procedure",
                                            "application__section", "application__resident",
                                            "file")
              .filter(link_hash=digest(token)).first())
    if notice is None:
        raise LinkRefused("unknown", _("このリンクは使えません。"))
    if notice.link_expires_at is None or timezone.now() >= notice.link_expires_at:
        raise LinkRefused("expired", _("このリンクの有効期限が過ぎています。"))
    return notice


def link_notice_open(*, token: str, source: str) -> tuple[Notice, BinaryIO]:
    """Download by the e-mailed link: records when the resident first opened it. The audit
    entry names the link (``notice-link:<notice id>``): whoever holds it is not known."""
    notice = link_notice(token=token)
    handle = file_open(stored=notice.file)
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk, opened_at__isnull=True).update(
            opened_at=timezone.now())
        _record_open(user=None, notice=notice, source=source,
                     portal_ref=f"notice-link:{notice.public_id}")
    return notice, handle

