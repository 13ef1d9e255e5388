"""District profile figures entered by the centre, the yearly district assessment
(地区アセスメント) with its append-only history, and the published open-data files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.appendonly import AppendOnlyModel


class EnteredFigure(models.Model):
    """A figure the district centre enters for a fiscal year (social resources, groups,
    facilities; the aging rate when the ward provides it)."""

    class Code(models.TextChoices):
        SOCIAL_RESOURCES = "social_resources", _("社会資源の数")
        GROUPS = "groups", _("地域活動団体の数")
        FACILITIES = "facilities", _("地域の施設の数")
        AGING_RATE = "aging_rate", _("高齢化率（％）")

    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("地区"))
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    code = models.CharField(_("項目"), max_length=20, choices=Code.choices)
    value = models.DecimalField(_("値"), max_digits=9, decimal_places=1)
    note = models.CharField(_("出典・備考"), max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("入力した職員"))
    entered_at = models.DateTimeField(_("入力日時"))

    class Meta:
        ordering = ["district", "fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "fiscal_year", "code"],
                                    name="entered_figure_once"),
            models.CheckConstraint(condition=models.Q(value__gte=0),
                                   name="entered_figure_not_negative"),
        ]
        verbose_name = _("センター入力の数値")
        verbose_name_plural = _("センター入力の数値")

    def __str__(self) -> str:
        return f"{self.district_id} {self.fiscal_year} {self.code}"


class Status(models.TextChoices):
    DRAFT = "draft", _("作成中")
    SUBMITTED = "submitted", _("センター長の承認待ち")
    CENTRE_APPROVED = "centre_approved", _("総合支所の承認待ち")
    APPROVED = "approved", _("承認済み（公開前）")
    PUBLISHED = "published", _("公開中")


class Assessment(models.Model):
    """One district's assessment for one fiscal year."""

    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("地区"))
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT)
    situation = models.TextField(_("地区の状況"), blank=True)
    issues = models.TextField(_("地区の課題"), blank=True)
    resources = models.TextField(_("地域資源"), blank=True)
    actions = models.TextField(_("今年度の取組"), blank=True)
    easy_summary = models.TextField(_("やさしい日本語のまとめ"), blank=True)
    # The figures as they were when the branch office approved: the published page and the
    # PDF show these, so a published year does not change afterwards.
    figures = models.JSONField(_("数値"), default=dict, blank=True)
    # The charts of those figures (SVG, drawn once at that approval) and the print PDF
    # (made when published): a published year is served without drawing again.
    chart_svgs = models.JSONField(_("グラフ"), default=list, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("版"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("作成した職員"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("提出した職員"))
    updated_at = models.DateTimeField(_("更新日時"))
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)

    class Meta:
        ordering = ["district", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["district", "fiscal_year"],
                                               name="assessment_once_per_year")]
        verbose_name = _("地区アセスメント")
        verbose_name_plural = _("地区アセスメント")

    def __str__(self) -> str:
        return f"{self.district_id} {self.fiscal_year}"


class AssessmentEvent(AppendOnlyModel):
    """The assessment's history: saved, submitted, approved, sent back, published."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("日時"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("職員"))
    from_status = models.CharField(_("変更前"), max_length=20, choices=Status.choices,
                                   blank=True)
    to_status = models.CharField(_("変更後"), max_length=20, choices=Status.choices)
    note = models.CharField(_("メモ"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("地区アセスメントの履歴")
        verbose_name_plural = _("地区アセスメントの履歴")


class OpenDataFile(models.Model):
    """The last published file of an open dataset (the CSV bytes as served)."""

    dataset = models.CharField(_("データセット"), max_length=40, unique=True)
    content = models.BinaryField(_("内容"))
    rows = models.PositiveIntegerField(_("件数"))
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(_("公開日時"))
    # When the content last changed (the catalogue's 更新日): republishing the same rows
    # keeps it.
    updated_at = models.DateTimeField(_("更新日時"))

    class Meta:
        ordering = ["dataset"]
        verbose_name = _("オープンデータのファイル")
        verbose_name_plural = _("オープンデータのファイル")

    def __str__(self) -> str:
        return self.dataset


class FigureTally(models.Model):
    """One count of a registered figure for a district, fiscal year and month (0: the
    whole year), precomputed by the worker (``services.figures_refresh``) so the ward
    dashboard and the time series read a few hundred rows instead of a year of statistics
    events (ADR 0051). Aggregates only: no person."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月"))  # 1-12, or 0 for the fiscal year
    code = models.CharField(_("項目"), max_length=60)
    district = models.ForeignKey("organisation.District", on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("地区"))
    key = models.CharField(_("内訳"), max_length=60, blank=True)
    value = models.BigIntegerField(_("値"))

    class Meta:
        indexes = [models.Index(fields=["fiscal_year", "month", "code"])]
        verbose_name = _("集計済みの数値")
        verbose_name_plural = _("集計済みの数値")

    def __str__(self) -> str:
        return f"{self.fiscal_year}/{self.month} {self.code} {self.district_id} {self.key}"


class FigureRefresh(models.Model):
    """When the figures of a fiscal year were last precomputed (the pages state it)."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    refreshed_at = models.DateTimeField(_("集計日時"))
    seconds = models.FloatField(_("所要時間（秒）"))

    class Meta:
        verbose_name = _("数値の集計")
        verbose_name_plural = _("数値の集計")

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.refreshed_at:%Y-%m-%d %H:%M}"
