"""The consultation record (intake, routing, booking, status) and its append-only timeline.

The worry text (``Consultation.worry``) is 要配慮個人情報: it never appears in logs, URLs,
audit entries, booking titles, timeline notes or statistics.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core import events
from madoguchi.core.appendonly import AppendOnlyModel
from madoguchi.organisation.models import DistrictCentre, Section
from madoguchi.scheduling.models import ParticipantKind


class Category(models.TextChoices):
    ELDERLY = "elderly", _("高齢者の介護・福祉")
    DISABILITY = "disability", _("障害")
    CHILDREN = "children", _("子育て・子ども")
    HEALTH = "health", _("健康・医療")
    HARDSHIP = "hardship", _("生活困窮・生活保護")
    RESIDENT_TAX = "resident-tax", _("住民税")
    TAX_PAYMENT = "tax-payment", _("税の納付")
    NHI_PENSION = "nhi-pension", _("国民健康保険・年金")
    CARE_PREMIUM = "care-premium", _("介護保険料")
    NURSERY = "nursery", _("保育園")
    HOUSING = "housing", _("住まい")
    EMPLOYMENT = "employment", _("障害のある方の就労")
    COMMUNITY = "community", _("地域活動")
    GUARDIANSHIP = "guardianship", _("成年後見")
    REGISTRATION = "registration", _("住民登録・証明書")
    OTHER = "other", _("その他")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("通常")
    SOON = "soon", _("早めに")
    URGENT = "urgent", _("至急")


class Status(models.TextChoices):
    RECEIVED = "received", _("受付")
    ROUTED = "routed", _("回付")
    BOOKED = "booked", _("予約済み")
    COMPLETED = "completed", _("対応済み")
    CANCELLED = "cancelled", _("取消")


class Consultation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT,
                                 related_name="consultations", verbose_name=_("区民"))
    centre = models.ForeignKey(DistrictCentre, on_delete=models.PROTECT,
                               related_name="consultations",
                               verbose_name=_("受け付けたまちづくりセンター"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("受付者"))
    received_at = models.DateTimeField(_("受付日時"), db_index=True)
    worry = models.TextField(_("相談の内容"))
    category = models.CharField(_("分類"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("緊急度"), max_length=10, choices=Urgency.choices,
                               default=Urgency.NORMAL)
    stage = models.PositiveSmallIntegerField(_("段階"), null=True, blank=True)
    # The resident's needs at intake (a snapshot: the resident's record may change later).
    needs_interpreter = models.BooleanField(_("通訳が必要"), default=False)
    needs_sign_language = models.BooleanField(_("手話通訳が必要"), default=False)
    needs_wheelchair = models.BooleanField(_("車いすを使用"), default=False)
    needs_hearing_support = models.BooleanField(_("聞こえの配慮が必要"), default=False)
    documents = models.TextField(_("持参した書類"), blank=True)
    proposed_section = models.ForeignKey(Section, on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+",
                                         verbose_name=_("提案された回付先"))
    proposal_basis = models.CharField(_("提案の根拠"), max_length=200, blank=True)
    # When the proposed unit does not consult online at the centre: the best one that does.
    proposed_online_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("オンライン相談ができる提案先"))
    section = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="consultations", verbose_name=_("回付先"))
    routing_reason = models.TextField(_("回付先を変えた理由"), blank=True)
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("回付した職員"))
    routed_at = models.DateTimeField(_("回付日時"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices,
                              default=Status.RECEIVED, db_index=True)
    booking = models.ForeignKey("scheduling.Booking", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("現在の予約"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["section", "status"]),
                   models.Index(fields=["centre", "status"]),
                   # The residents a clerk or section is involved with, read from the
                   # index alone by the resident search (ADR 0026).
                   models.Index(fields=["received_by", "status"],
                                name="consultation_receiver_status"),
                   models.Index(fields=["received_by", "resident"],
                                name="consultation_receiver_resident"),
                   models.Index(fields=["section", "resident"],
                                name="consultation_section_resident")]
        verbose_name = _("相談")
        verbose_name_plural = _("相談")

    def __str__(self) -> str:
        # No personal data: the worry and the resident's name stay out of repr/logs.
        return f"相談 {self.public_id}"

    NEED_FIELDS = ("needs_interpreter", "needs_sign_language", "needs_wheelchair",
                   "needs_hearing_support")

    @property
    def needs(self) -> list[str]:
        return [str(self._meta.get_field(name).verbose_name)
                for name in self.NEED_FIELDS if getattr(self, name)]


class ConsultationEvent(AppendOnlyModel):
    """The append-only timeline of a consultation: who, when, what, status before/after.

    ``kind`` is an event code declared in the event registry (madoguchi/core/events.py,
    ADR 0031): the consultation's own kinds below, and the kinds other contexts publish
    about the consultation's booking (meetings' video call events), which
    ``consultations.timeline`` records. The label comes from the registry.
    """

    class Kind(models.TextChoices):
        INTAKE = "intake", _("受付")
        ROUTE = "route", _("回付")
        BOOK = "book", _("予約")
        RESCHEDULE = "reschedule", _("予約の変更")
        CANCEL = "cancel", _("取消")
        OUTCOME = "outcome", _("対応結果の記録")
        FOLLOWUP = "followup", _("フォローアップの登録")
        FOLLOWUP_DONE = "followup_done", _("フォローアップの完了")
        DOCUMENT_ADD = "document_add", _("資料を追加")

    # Who may act without a staff login (through a one-time link to the video call).
    LINK_PARTICIPANT_KINDS = (ParticipantKind.RESIDENT, ParticipantKind.GUEST)

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT,
                                     related_name="events")
    at = models.DateTimeField(_("日時"), db_index=True)
    # The staff member who acted; empty only when a participant without a staff login
    # (a resident or an outside participant in the video call) did, named by kind below.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("職員"))
    kind = models.CharField(_("種類"), max_length=events.CODE_MAX_LENGTH,
                            validators=[events.validate_declared])
    # Video call events: the kind of participant concerned (who joined or left, whom the
    # host admitted, refused or removed). The kind only: no name, no participant number.
    participant_kind = models.CharField(_("参加者の種類"), max_length=12, blank=True,
                                        choices=ParticipantKind.choices)
    from_status = models.CharField(_("変更前の状態"), max_length=12, choices=Status.choices,
                                   blank=True)
    to_status = models.CharField(_("変更後の状態"), max_length=12, choices=Status.choices,
                                 blank=True)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("回付先"))
    booking = models.ForeignKey("scheduling.Booking", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("予約"))
    note = models.CharField(_("メモ"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actor__isnull=False)
                | models.Q(participant_kind__in=["resident", "guest"]),
                name="consultation_event_actor_or_link_participant"),
        ]
        verbose_name = _("相談の経過")
        verbose_name_plural = _("相談の経過")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    @property
    def kind_label(self) -> str:
        return events.label(self.kind)

    @property
    def actor_display(self) -> str:
        """Who acted: the staff member, or the kind of participant without a staff login."""
        if self.actor_id is not None:
            return str(self.actor)
        return str(self.get_participant_kind_display())
