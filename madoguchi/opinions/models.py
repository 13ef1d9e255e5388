"""Public comment (パブリックコメント) and surveys (issue 15 item 4, ADR 0048).

A ``Consultation`` is a draft (案) put to the residents for a period, with its documents.
Each ``Opinion`` came by one ``Channel`` (the web form, e-mail, a postcard, a letter, FAX,
handed in, LINE); staff split it into ``Item`` rows, sort each into a ``Category`` (the
plan's list, copied to each consultation and editable there) and into an ``AnswerGroup``
(items saying the same thing share one group: 意見の概要 and 区の考え方). A ``Survey`` is a
form of the form engine (procedures.formschema) with its ``Response`` rows.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.files.models import StoredFile
from madoguchi.organisation.models import District

# The plan's own public comment (資料 §7 of the seed): the categories its 315 opinions were
# sorted into, 個別意見 (opinions on other fields of ward administration) last.
DEFAULT_CATEGORIES = ("制度全般", "行政サービス", "区民参加", "活動支援", "DX推進",
                      "区体制・職員", "施設・区域割", "その他", "個別意見")
MAX_TEXT = 10_000  # characters of one opinion


class Channel(models.TextChoices):
    WEB = "web", _("ホームページ（意見募集フォーム）")
    EMAIL = "email", _("電子メール")
    POSTCARD = "postcard", _("はがき")
    LETTER = "letter", _("手紙")
    FAX = "fax", _("FAX")
    IN_PERSON = "in_person", _("持参")
    LINE = "line", _("LINE")


# Channels whose postmark counts: sent within the period, accepted when they arrive late.
POSTMARKED = frozenset({Channel.POSTCARD, Channel.LETTER})
# Channels the staff enter (the web form and LINE come in by themselves).
STAFF_CHANNELS = (Channel.EMAIL, Channel.POSTCARD, Channel.LETTER, Channel.FAX,
                  Channel.IN_PERSON)


class AgeBand(models.TextChoices):
    UNDER_20 = "u20", _("19歳以下")
    TWENTIES = "20s", _("20歳代")
    THIRTIES = "30s", _("30歳代")
    FORTIES = "40s", _("40歳代")
    FIFTIES = "50s", _("50歳代")
    SIXTIES = "60s", _("60歳代")
    SEVENTIES = "70s", _("70歳代")
    OVER_80 = "80+", _("80歳以上")


class State(models.TextChoices):
    DRAFT = "draft", _("準備中")
    OPEN = "open", _("公開中")
    RESULT = "result", _("結果を公表済み")


class Consultation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("案の名称"), max_length=160)
    summary = models.TextField(_("案の概要"), max_length=5000)
    send_to = models.TextField(_("意見の提出先"), max_length=1000,
                               help_text=_("郵送先の住所、FAX番号、メールアドレスなど"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("地区"),
                                 help_text=_("空欄は区全体"))
    starts_on = models.DateField(_("意見募集の開始日"))
    ends_on = models.DateField(_("意見募集の締切日"))
    state = models.CharField(_("状態"), max_length=10, choices=State.choices,
                             default=State.DRAFT, db_index=True)
    # The word a LINE message starts with to be this consultation's opinion (ADR 0052);
    # kept folded (NFKC, no spaces) so that full- and half-width spellings meet.
    line_keyword = models.CharField(
        _("LINEの受付キーワード"), max_length=20, blank=True,
        help_text=_("LINEでご意見を送るとき、メッセージの最初に書く言葉（例：地域行政）。"
                    "空欄のときはLINEでは受け付けません。"))
    result_intro = models.TextField(_("結果の前書き"), max_length=3000, blank=True)
    result_published_at = models.DateTimeField(_("結果の公表日時"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("作成者"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("意見募集")
        verbose_name_plural = _("意見募集")
        constraints = [models.CheckConstraint(
            condition=models.Q(ends_on__gte=models.F("starts_on")),
            name="opinions_consultation_period",
            violation_error_message=_("締切日は開始日以降にしてください。")),
            models.UniqueConstraint(
                fields=["line_keyword"], condition=~models.Q(line_keyword=""),
                name="opinions_consultation_line_keyword",
                violation_error_message=_("このLINEの受付キーワードは、ほかの意見募集で"
                                          "使われています。"))]

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="documents")
    title = models.CharField(_("資料名"), max_length=160)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Category(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="categories")
    name = models.CharField(_("分類"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "name"],
                                               name="opinions_category_unique")]

    def __str__(self) -> str:
        return self.name


class Opinion(models.Model):
    """One person's submission, as it came. Name, district and age band are optional."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT,
                                     related_name="opinions")
    number = models.PositiveIntegerField(_("受付番号"))
    channel = models.CharField(_("提出方法"), max_length=12, choices=Channel.choices)
    received_on = models.DateField(_("受付日"))
    postmark_on = models.DateField(_("消印の日付"), null=True, blank=True)
    name = models.CharField(_("お名前"), max_length=80, blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("お住まいの地区"))
    age_band = models.CharField(_("年代"), max_length=4, choices=AgeBand.choices, blank=True)
    text = models.TextField(_("ご意見"), max_length=MAX_TEXT)
    original = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("原本（スキャン）"))
    # The form's one-time key: a second POST of the same form finds the first opinion.
    submission_key = models.UUIDField(unique=True)
    # Where the opinion came from on its channel: for LINE, the sender's LINE user id
    # (personal data: kept only here, audited, never logged nor put in a URL; ADR 0052).
    channel_ref = models.CharField(_("提出元の参照"), max_length=80, blank=True,
                                   editable=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["consultation", "number"],
                                               name="opinions_opinion_number")]

    def __str__(self) -> str:
        return f"{self.consultation_id}-{self.number}"


class AnswerGroup(models.Model):
    """Items saying the same thing: one summary (意見の概要) and the ward's answer."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="groups")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="groups")
    summary = models.TextField(_("意見の概要"), max_length=3000)
    answer = models.TextField(_("区の考え方"), max_length=5000, blank=True)

    class Meta:
        ordering = ["category__sort_order", "id"]

    def __str__(self) -> str:
        return self.summary[:40]


class Item(models.Model):
    """One point of an opinion, as staff split it."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="items")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="items")
    text = models.TextField(_("意見の項目"), max_length=MAX_TEXT)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="items", verbose_name=_("分類"))
    group = models.ForeignKey(AnswerGroup, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="items")

    class Meta:
        ordering = ["opinion__number", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Survey(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("アンケートの名称"), max_length=160)
    description = models.TextField(_("説明"), max_length=3000, blank=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("地区"),
                                 help_text=_("空欄は区全体"))
    form = models.JSONField(_("設問（フォーム定義）"))
    starts_on = models.DateField(_("回答の受付開始日"))
    ends_on = models.DateField(_("回答の締切日"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(ends_on__gte=models.F("starts_on")),
            name="opinions_survey_period",
            violation_error_message=_("締切日は開始日以降にしてください。"))]

    def __str__(self) -> str:
        return self.title


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField()
    submission_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.survey_id}-{self.pk}"
