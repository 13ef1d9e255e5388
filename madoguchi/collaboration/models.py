"""Four-party collaboration (四者連携): trouble records, the four-party meeting, escalation.

The four parties of a district are its まちづくりセンター and the partner units of kinds
``anshin``, ``shakyo`` and ``jidokan`` (organisation data). A trouble record belongs to the
party that noticed it; what others see of it is decided in ``access`` and ``privacy``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.appendonly import AppendOnlyModel
from madoguchi.core.language import english_or
from madoguchi.core.references import Reference

# The kinds of unit that are the four parties of a district (SectionKind codes).
CENTRE_KIND = "machizukuri-center"
PARTY_KINDS = ("machizukuri-center", "anshin", "shakyo", "jidokan")


class Theme(models.Model):
    """A theme of trouble records (高齢・子ども・…); the ward edits the list as data."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英語名"), max_length=80, blank=True)
    is_active = models.BooleanField(_("使用中"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("課題のテーマ")
        verbose_name_plural = _("課題のテーマ")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return english_or(self.name, self.name_en)


class RecordForm(models.Model):
    """A version of the standard form (所定の様式): the definition, in the procedures' form
    language, of the fields beside the fixed ones. A new version is a new row; a record
    keeps the version it was written on."""

    version = models.PositiveIntegerField(_("版"), unique=True)
    definition = models.JSONField(_("様式の定義"))
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-version"]
        verbose_name = _("記録様式")
        verbose_name_plural = _("記録様式")

    def __str__(self) -> str:
        return f"{_('記録様式')} 第{self.version}版"


class AgeBand(models.TextChoices):
    CHILD = "child", _("子ども（0〜17歳）")
    YOUTH = "youth", _("若者（18〜39歳）")
    ADULT = "adult", _("40〜64歳")
    ELDERLY = "elderly", _("65〜74歳")
    OLD = "old", _("75歳以上")
    MIXED = "mixed", _("複数の年代")
    UNKNOWN = "unknown", _("不明")


class Household(models.TextChoices):
    SINGLE = "single", _("単身")
    ELDERLY_ONLY = "elderly_only", _("高齢者のみの世帯")
    SINGLE_PARENT = "single_parent", _("ひとり親世帯")
    FAMILY = "family", _("子育て世帯")
    OTHER = "other", _("その他の世帯")
    UNKNOWN = "unknown", _("不明")


class Urgency(models.TextChoices):
    LOW = "low", _("低")
    NORMAL = "normal", _("中")
    HIGH = "high", _("高")


class Basis(models.TextChoices):
    """Why a resident may be linked to a record (none: no resident)."""

    NONE = "", _("（区民を結び付けない）")
    CONSENT = "consent", _("本人の同意")
    LAW = "law", _("法令の定め（個人情報保護法第69条等）")


class Status(models.TextChoices):
    NEW = "new", _("新規")
    SHARED = "shared", _("会議で共有済み")
    IN_PROGRESS = "in_progress", _("対応中")
    ESCALATED = "escalated", _("上申中")
    RESOLVED = "resolved", _("解決")
    CLOSED = "closed", _("終了")


class TroubleRecord(models.Model):
    """A trouble noticed in a district (地区の課題・困りごと)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.ForeignKey(RecordForm, on_delete=models.PROTECT, related_name="records",
                             verbose_name=_("記録様式"))
    party = models.ForeignKey("organisation.Section", on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("気づいた機関"))
    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("地区"))
    chome = models.CharField(_("町丁目"), max_length=40, blank=True)
    facility = models.CharField(_("施設"), max_length=80, blank=True)
    title = models.CharField(_("件名"), max_length=120)
    noticed = models.TextField(_("気づいたこと"))
    noticed_names_nobody = models.BooleanField(
        _("記入者確認：個人を特定する内容を含まない"), default=False)
    age_band = models.CharField(_("年代"), max_length=12, choices=AgeBand.choices)
    household = models.CharField(_("世帯の状況"), max_length=16, choices=Household.choices)
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="records",
                              verbose_name=_("テーマ"))
    urgency = models.CharField(_("緊急度"), max_length=8, choices=Urgency.choices,
                               default=Urgency.NORMAL)
    answers = models.JSONField(_("様式の回答"), default=dict, blank=True)
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("区民"))
    basis = models.CharField(_("結び付けの根拠"), max_length=10, choices=Basis.choices,
                             blank=True)
    basis_note = models.CharField(_("根拠の内容"), max_length=200, blank=True)
    consultations = models.ManyToManyField("consultations.Consultation", blank=True,
                                           related_name="+", verbose_name=_("関連する相談"))
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices,
                              default=Status.NEW)
    share = models.BooleanField(_("次の四者連携会議で共有する"), default=False)
    shared_at_meeting = models.ForeignKey("Meeting", on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="shared_records")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("担当者"))
    due_date = models.DateField(_("対応期限"), null=True, blank=True)
    close_reason = models.CharField(_("終了の理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["district", "status"]),
                   models.Index(fields=["district", "share"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resident__isnull=True)
                | ~models.Q(basis=""), name="collab_resident_needs_basis"),
        ]
        verbose_name = _("地区の課題・困りごと")
        verbose_name_plural = _("地区の課題・困りごと")

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    CREATED = "created", _("記録しました。")
    MOVED = "moved", _("状態を変えました。")
    MARKED = "marked", _("次の四者連携会議で共有する記録にしました。")
    UNMARKED = "unmarked", _("会議での共有を取りやめました。")
    SHARED = "shared", _("四者連携会議で共有しました。")
    ESCALATED = "escalated", _("上申しました。")


class RecordEvent(AppendOnlyModel):
    """The record's history: who changed its status (or shared it) when, with the note the
    person wrote (a closing reason)."""

    record = models.ForeignKey(TroubleRecord, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    kind = models.CharField(max_length=10, choices=EventKind.choices, default=EventKind.MOVED)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("対面")
    ONLINE = "online", _("オンライン")
    HYBRID = "hybrid", _("ハイブリッド")


class MeetingSeries(models.Model):
    """The recurring schedule of a district's four-party meeting (an RFC 5545 rule)."""

    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("地区"))
    rule = models.CharField(_("繰り返し"), max_length=200)
    starts_on = models.DateField(_("開始日"))
    at = models.TimeField(_("開始時刻"))
    mode = models.CharField(_("開催方法"), max_length=10, choices=Mode.choices)
    place = models.CharField(_("場所"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("四者連携会議の予定")
        verbose_name_plural = _("四者連携会議の予定")

    def __str__(self) -> str:
        return f"{self.district} {self.rule}"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("予定")
    HELD = "held", _("開催済み")
    APPROVED = "approved", _("議事録承認済み")


class Meeting(models.Model):
    """One four-party meeting (四者連携会議) of a district."""

    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("地区"))
    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="meetings")
    starts_at = models.DateTimeField(_("開催日時"))
    mode = models.CharField(_("開催方法"), max_length=10, choices=Mode.choices)
    place = models.CharField(_("場所"), max_length=120, blank=True)
    video_link = models.URLField(_("オンライン会議のURL"), blank=True)
    status = models.CharField(_("状態"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    minutes = models.TextField(_("議事録"), blank=True)
    minutes_version = models.PositiveIntegerField(default=0)
    minutes_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["district", "starts_at"],
                                    name="collab_meeting_once_per_time"),
        ]
        verbose_name = _("四者連携会議")
        verbose_name_plural = _("四者連携会議")

    def __str__(self) -> str:
        return f"{self.district} {self.starts_at:%Y-%m-%d}"


class AgendaItem(models.Model):
    """A line of a meeting's agenda: a shared record or an open action item."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    record = models.ForeignKey(TroubleRecord, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    action = models.ForeignKey("ActionItem", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "record"], name="collab_agenda_record"),
            models.UniqueConstraint(fields=["meeting", "action"], name="collab_agenda_action"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.position}"


class ActionItem(models.Model):
    """A decision of a meeting: what, by which party and person, by when."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    record = models.ForeignKey(TroubleRecord, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="actions")
    task = models.CharField(_("やること"), max_length=200)
    party = models.ForeignKey("organisation.Section", on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("担当機関"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("担当者"))
    due_date = models.DateField(_("期限"))
    done_at = models.DateTimeField(null=True, blank=True)
    chased_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("決定事項（対応項目）")
        verbose_name_plural = _("決定事項（対応項目）")

    def __str__(self) -> str:
        return self.task


class SocialResource(models.Model):
    """Social resource development (社会資源開発): a need, the resource, the partners."""

    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("地区"))
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="resources")
    need = models.TextField(_("地域のニーズ"))
    resource = models.TextField(_("創出・発見した資源"))
    partners = models.CharField(_("連携先"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("社会資源開発")
        verbose_name_plural = _("社会資源開発")

    def __str__(self) -> str:
        return self.need[:40]


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("回答待ち")
    ANSWERED = "answered", _("回答済み")
    CLOSED = "closed", _("完了")


class Escalation(models.Model):
    """A record or action item passed up to a section of a branch or the head office."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+")
    record = models.ForeignKey(TroubleRecord, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="escalations")
    action = models.ForeignKey(ActionItem, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="escalations")
    to_section = models.ForeignKey("organisation.Section", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("上申先"))
    subject = models.CharField(_("件名"), max_length=120)
    status = models.CharField(_("状態"), max_length=10, choices=EscalationStatus.choices,
                              default=EscalationStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(_("回答期限"))

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(record__isnull=False) | models.Q(action__isnull=False),
                name="collab_escalation_has_subject"),
        ]
        verbose_name = _("上申")
        verbose_name_plural = _("上申")

    def __str__(self) -> str:
        return self.subject


class EscalationMessage(AppendOnlyModel):
    """One message of an escalation's thread."""

    escalation = models.ForeignKey(Escalation, on_delete=models.PROTECT,
                                   related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]


class RecordReference(Reference):
    """A trouble record's pointer to a thing of another context, e.g. the event a resident
    was referred to (core.references, ADR 0061)."""

    record = models.ForeignKey(TroubleRecord, on_delete=models.CASCADE,
                               related_name="references")

    class Meta(Reference.Meta):
        constraints = [models.UniqueConstraint(fields=["record", "kind", "key"],
                                               name="record_reference_once")]
        indexes = [models.Index(fields=["kind", "key"], name="record_ref_target")]
