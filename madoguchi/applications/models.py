"""Applications (申請) made under a procedure version, from draft to notice.

An ``Application`` starts as a draft (``status == "draft"``, no reference number): what the
resident or the staff member typed is kept as it was typed (``answers``), valid or not, so
nothing is lost on a validation error or a timeout. Submitting checks everything, then in
one transaction gives it a reference number (受付番号), the responsible section, the
procedure's first workflow status and its due date; from there on ``answers`` holds the
checked answers, changed only by answering a correction (補正), which names the fields it
may change and leaves an ``AnswerRevision`` (old and new values, who) in the history.
A staff decision into a status with decision fields (要介護度, 有効期間…) is a ``Decision``.

Every change of status, every correction and answer, every notice is an
``ApplicationEvent``: append-only in the model and in the database (triggers), with who
(staff member, or the resident), when and the note; ``public`` events are shown to the
resident in plain words. The application points at the ``ProcedureVersion`` it was made
under, which is frozen, so a later version of the procedure changes nothing here.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from madoguchi.core.appendonly import AppendOnlyError, AppendOnlyModel  # noqa: F401 (re-exported)
from madoguchi.procedures.models import Channel

DRAFT = "draft"


class Application(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("受付番号"), max_length=20, null=True, blank=True,
                                 unique=True)
    version = models.ForeignKey("procedures.ProcedureVersion", on_delete=models.PROTECT,
                                related_name="applications", verbose_name=_("手続き（版）"))
    channel = models.CharField(_("受付の方法"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状態"), max_length=40, default=DRAFT, db_index=True)
    # Who applies: a resident of the ward's records (assisted, counter) and/or a portal
    # identity (online). An online applicant need not be matched to a record.
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="applications",
                                 verbose_name=_("区民"))
    identity = models.ForeignKey("portal.PortalIdentity", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="applications",
                                 verbose_name=_("オンライン申請者"))
    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="applications", verbose_name=_("お住まいの地区"))
    # The district centre that received an assisted application.
    centre = models.ForeignKey("organisation.DistrictCentre", on_delete=models.PROTECT,
                               null=True, blank=True, related_name="applications",
                               verbose_name=_("受け付けたまちづくりセンター"))
    consultation = models.ForeignKey("consultations.Consultation", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="applications",
                                     verbose_name=_("関連する相談"))
    section = models.ForeignKey("organisation.Section", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="applications",
                                verbose_name=_("担当の課"))
    answers = models.JSONField(_("申請の内容"), default=dict, blank=True)
    applicant_name = models.CharField(_("申請者の氏名"), max_length=120, blank=True)
    contact_email = models.EmailField(_("連絡先メールアドレス"), blank=True)
    # Unique per applicant (the portal identity, else the staff member who made it): a key
    # another resident uses is theirs, and answers only for them.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, editable=False)
    checklist = models.JSONField(_("審査のチェック"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("作成した職員"))
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    confirmed_at = models.DateTimeField(_("申請者が内容を確認した日時"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("受付日時"), null=True, blank=True, db_index=True)
    due_on = models.DateField(_("処理期限"), null=True, blank=True)
    closed_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["section", "status"]),
                   models.Index(fields=["identity", "status"]),
                   models.Index(fields=["resident", "status"]),
                   # The review inbox (oldest first) and the overdue list (due date) of a
                   # section, paged (ADR 0026).
                   models.Index(fields=["section", "submitted_at"],
                                name="application_section_received"),
                   models.Index(fields=["section", "submitted_at"],
                                name="application_section_open",
                                condition=Q(closed_at__isnull=True)),
                   models.Index(fields=["section", "due_on"], name="application_section_due",
                                condition=Q(closed_at__isnull=True)),
                   models.Index(fields=["section", "resident"],
                                name="application_section_resident")]
        constraints = [
            models.CheckConstraint(condition=Q(resident__isnull=False) | Q(identity__isnull=False),
                                   name="application_has_applicant"),
            models.CheckConstraint(
                condition=Q(status=DRAFT) | (Q(reference__isnull=False)
                                             & Q(submitted_at__isnull=False)
                                             & Q(section__isnull=False)),
                name="application_submitted_whole"),
            models.UniqueConstraint(
                fields=["identity", "idempotency_key"], name="application_key_per_identity",
                condition=Q(identity__isnull=False, idempotency_key__isnull=False)),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], name="application_key_per_staff",
                condition=Q(identity__isnull=True, idempotency_key__isnull=False)),
        ]
        verbose_name = _("申請")
        verbose_name_plural = _("申請")

    def __str__(self) -> str:
        return self.reference or f"draft {self.public_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    @property
    def applicant_display(self) -> str:
        """The name the applicant gave, else the resident record's ("" for an online
        application without either)."""
        if self.applicant_name:
            return self.applicant_name
        return self.resident.full_name if self.resident_id else ""

    @property
    def status_spec(self):
        """The workflow status (None for a draft)."""
        if self.is_draft:
            return None
        return self.version.workflow_spec.status(self.status)

    @property
    def status_text(self) -> str:
        spec = self.status_spec
        return spec.text if spec else str(_("下書き"))

    @property
    def resident_status_text(self) -> str:
        spec = self.status_spec
        if spec is None:
            return str(_("まだ申請していません（下書き）"))
        if self.awaiting_post:
            return str(_("通知書の郵送準備中"))
        return spec.resident_text

    @property
    def awaiting_post(self) -> bool:
        """A notice goes by post and is not printed and posted yet: the resident is told
        it is being prepared, not that it was posted. Lists annotate ``pending_post``."""
        if "pending_post" not in self.__dict__:
            self.__dict__["pending_post"] = (
                not self.is_draft and self.notices.filter(
                    delivery=Delivery.POST, printed_at__isnull=True).exists())
        return bool(self.__dict__["pending_post"])

    @property
    def is_final(self) -> bool:
        spec = self.status_spec
        return bool(spec and spec.final)


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="attachments", verbose_name=_("申請"))
    code = models.CharField(_("添付書類の種類"), max_length=40)  # the procedure's code, or "other"
    file = models.OneToOneField("files.StoredFile", on_delete=models.PROTECT,
                                related_name="application_attachment",
                                verbose_name=_("ファイル"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("登録した職員"))
    added_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    # Set when a correction replaced this file with another of the same kind: the file is
    # kept (history), but no longer counts as the application's attachment.
    replaced_by = models.ForeignKey("AnswerRevision", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="replaced_attachments",
                                    verbose_name=_("差し替えた補正"))

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("添付書類")
        verbose_name_plural = _("添付書類")

    def __str__(self) -> str:
        return self.code


class EventKind(models.TextChoices):
    CREATED = "created", _("作成")
    SUBMITTED = "submitted", _("受付")
    TRANSITION = "transition", _("状態の変更")
    ATTACHMENT = "attachment", _("添付書類")
    CHECKLIST = "checklist", _("審査のチェック")
    NOTICE = "notice", _("通知書")
    MESSAGE = "message", _("連絡")


class ApplicationEvent(AppendOnlyModel):
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="events", verbose_name=_("申請"))
    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("種類"), max_length=12, choices=EventKind.choices)
    transition = models.CharField(_("操作"), max_length=40, blank=True)
    from_status = models.CharField(_("変更前の状態"), max_length=40, blank=True)
    to_status = models.CharField(_("変更後の状態"), max_length=40, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("職員"))
    by_resident = models.BooleanField(_("申請者による"), default=False)
    note = models.TextField(_("メモ・理由"), blank=True)
    public = models.BooleanField(_("申請者に見せる"), default=False)
    note_public = models.BooleanField(_("メモを申請者に見せる"), default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("申請の記録")
        verbose_name_plural = _("申請の記録")

    def __str__(self) -> str:
        return f"{self.kind} {self.to_status}".strip()


    @property
    def resident_note(self) -> str:
        """The note as the resident may read it ("" when it is internal)."""
        return self.note if self.public and self.note_public else ""


class CorrectionRequest(AppendOnlyModel):
    """What a correction request (補正依頼) names: the answers (top-level answer paths) and
    the attachments (codes) the resident may change. Written with the transition's event."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="correction_requests", verbose_name=_("申請"))
    event = models.OneToOneField(ApplicationEvent, on_delete=models.PROTECT,
                                 related_name="correction_request", verbose_name=_("記録"))
    fields = models.JSONField(_("直す項目"), default=list, blank=True)
    attachments = models.JSONField(_("差し替える書類"), default=list, blank=True)
    at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("補正の依頼")
        verbose_name_plural = _("補正の依頼")

    def __str__(self) -> str:
        return f"correction {self.pk}"


class AnswerRevision(AppendOnlyModel):
    """One answer to a correction: the answers before and after (only the fields that were
    asked for), the files it added, who sent it (the resident, or staff on their behalf)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="revisions", verbose_name=_("申請"))
    request = models.ForeignKey(CorrectionRequest, on_delete=models.PROTECT,
                                related_name="revisions", verbose_name=_("補正の依頼"))
    event = models.OneToOneField(ApplicationEvent, on_delete=models.PROTECT,
                                 related_name="revision", verbose_name=_("記録"))
    before = models.JSONField(_("直す前"), default=dict, blank=True)
    after = models.JSONField(_("直した後"), default=dict, blank=True)
    # [{"code": ..., "added": [attachment ids], "replaced": [attachment ids]}]
    files = models.JSONField(_("差し替えた書類"), default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("職員"))
    by_resident = models.BooleanField(_("申請者による"), default=False)
    at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("補正による変更")
        verbose_name_plural = _("補正による変更")

    def __str__(self) -> str:
        return f"revision {self.pk}"


class Decision(AppendOnlyModel):
    """A decision's data (the status's ``fields``, checked by the form engine) and, for a
    refusal, its reasons: asked once with the transition, printed on the notice, exported."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="decisions", verbose_name=_("申請"))
    event = models.OneToOneField(ApplicationEvent, on_delete=models.PROTECT,
                                 related_name="decision", verbose_name=_("記録"))
    status = models.CharField(_("決定した状態"), max_length=40)
    data = models.JSONField(_("決定の内容"), default=dict, blank=True)
    reasons = models.TextField(_("理由"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("職員"))
    at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("決定")
        verbose_name_plural = _("決定")

    def __str__(self) -> str:
        return f"decision {self.status}"


class Delivery(models.TextChoices):
    EMAIL = "email", _("メールのリンク")
    POST = "post", _("印刷して郵送")


class Notice(models.Model):
    """A decision notice (決定通知書) made for an application: the PDF is a stored file;
    it reaches the resident by an e-mail link or by post (a print queue), and is always
    shown in the portal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="notices", verbose_name=_("申請"))
    status = models.CharField(_("通知する状態"), max_length=40)
    title = models.CharField(_("表題"), max_length=200)
    document_number = models.CharField(_("文書番号"), max_length=60)
    file = models.OneToOneField("files.StoredFile", on_delete=models.PROTECT,
                                related_name="notice", verbose_name=_("PDF"))
    delivery = models.CharField(_("届け方"), max_length=8, choices=Delivery.choices)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("作成した職員"))
    link_hash = models.CharField(max_length=64, blank=True, editable=False)
    link_expires_at = models.DateTimeField(_("リンクの有効期限"), null=True, blank=True)
    sent_at = models.DateTimeField(_("メール送信日時"), null=True, blank=True)
    # Marked in the print queue once printed and put in the post (印刷・発送): only then is
    # the resident told it was posted.
    printed_at = models.DateTimeField(_("印刷・発送日時"), null=True, blank=True)
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("印刷した職員"))
    opened_at = models.DateTimeField(_("申請者が開いた日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("通知書")
        verbose_name_plural = _("通知書")

    def __str__(self) -> str:
        return self.document_number


class PendingInput(models.Model):
    """What a resident posted to a draft after their portal login had timed out: kept
    encrypted (``applications.pending``) for a short while, under the digest of a random
    token held in a short-lived cookie, and written to the draft once the owner logs in
    again. Never the answers in a URL; never readable without the cookie."""

    token_hash = models.CharField(max_length=64, unique=True)
    application_public_id = models.UUIDField(db_index=True)
    sealed = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("保存待ちの入力")
        verbose_name_plural = _("保存待ちの入力")

    def __str__(self) -> str:
        return f"pending {self.application_public_id}"
