"""The ward's organisation as data: regions, districts, centres, sections and partners.

The codes are the contract of ``shared/domain.md``. This app imports no other app.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.language import english_or, in_english


class Tier(models.TextChoices):
    HEAD = "head", _("本庁")
    BRANCH = "branch", _("総合支所")
    DISTRICT = "district", _("まちづくりセンター")
    PARTNER = "partner", _("地区の連携機関")
    SPECIALIST = "specialist", _("専門機関")


class Region(models.Model):
    """A region (地域) and its branch office (総合支所)."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("地域名"), max_length=40)
    name_en = models.CharField(_("英語名"), max_length=80, blank=True)
    branch_office_name = models.CharField(_("総合支所名"), max_length=80)
    branch_office_name_en = models.CharField(_("総合支所の英語名"), max_length=120, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    source_url = models.URLField(_("所在地・電話番号の出典"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("地域")
        verbose_name_plural = _("地域")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language (English where there is one)."""
        return english_or(self.name, self.name_en)

    @property
    def branch_office_label(self) -> str:
        return english_or(self.branch_office_name, self.branch_office_name_en)


class District(models.Model):
    """A district (地区); its code is unique within its region only."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts",
                               verbose_name=_("地域"))
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("地区名"), max_length=40)
    name_kana = models.CharField(_("地区名（かな）"), max_length=80, blank=True)
    name_en = models.CharField(_("英語名"), max_length=80, blank=True)
    households = models.PositiveIntegerField(_("世帯数"))
    population = models.PositiveIntegerField(_("人口"))
    area_km2 = models.DecimalField(_("面積（km²）"), max_digits=7, decimal_places=3)
    figures_as_of = models.DateField(_("人口等の基準日"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        ordering = ["region__sort_order", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="district_code_per_region"),
            models.CheckConstraint(condition=models.Q(area_km2__gt=0), name="district_area_pos"),
        ]
        verbose_name = _("地区")
        verbose_name_plural = _("地区")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return english_or(self.name, self.name_en)

    @property
    def key(self) -> str:
        """A key unique across the ward: ``region/district``."""
        return f"{self.region.code}/{self.code}"

    @property
    def density(self) -> int:
        """Residents per km², rounded to a whole number."""
        return int((Decimal(self.population) / self.area_km2).quantize(Decimal("1")))


class DistrictCentre(models.Model):
    """The district centre (まちづくりセンター) building of a district."""

    district = models.OneToOneField(District, on_delete=models.PROTECT, related_name="centre",
                                    verbose_name=_("地区"))
    name = models.CharField(_("名称"), max_length=80)
    name_en = models.CharField(_("英語名"), max_length=120, blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    source_url = models.URLField(_("所在地・電話番号の出典"), max_length=300, blank=True)
    opens_at = models.TimeField(_("開所時刻"), default="08:30")
    closes_at = models.TimeField(_("閉所時刻"), default="17:15")
    open_weekdays = models.CharField(
        _("開所曜日"), max_length=13, default="0,1,2,3,4",
        help_text=_("月曜=0 … 日曜=6 をカンマ区切りで。祝日と年末年始は自動的に休み。"),
    )
    online_model_centre = models.BooleanField(_("オンライン相談モデル地区"), default=False)

    class Meta:
        ordering = ["district__region__sort_order", "district__sort_order"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")),
                                   name="centre_hours_order"),
        ]
        verbose_name = _("まちづくりセンター")
        verbose_name_plural = _("まちづくりセンター")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return english_or(self.name, self.name_en)

    @property
    def weekdays(self) -> set[int]:
        return {int(d) for d in self.open_weekdays.split(",") if d.strip().isdigit()}


class Booth(models.Model):
    """A private consultation booth at a district centre."""

    centre = models.ForeignKey(DistrictCentre, on_delete=models.CASCADE, related_name="booths",
                               verbose_name=_("まちづくりセンター"))
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英語名"), max_length=60, blank=True)
    is_active = models.BooleanField(_("利用可"), default=True)
    has_document_camera = models.BooleanField(_("書画カメラあり"), default=True)
    wheelchair_accessible = models.BooleanField(_("車いす対応"), default=True)
    hearing_loop = models.BooleanField(_("磁気ループあり"), default=False)

    class Meta:
        ordering = ["centre", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="booth_name_per_centre"),
        ]
        verbose_name = _("相談ブース")
        verbose_name_plural = _("相談ブース")

    def __str__(self) -> str:
        return f"{self.centre.label} {self.label}"

    @property
    def label(self) -> str:
        return english_or(self.name, self.name_en)


class SectionKind(models.Model):
    """A kind of section (課・機関) a resident can be sent to, e.g. ``hoken-fukushi``."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    name_en = models.CharField(_("英語名"), max_length=120, blank=True)
    tier = models.CharField(_("階層"), max_length=12, choices=Tier.choices)
    handles = models.TextField(_("主な担当"), blank=True)
    handles_en = models.TextField(_("主な担当（英語）"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("課・機関の種別")
        verbose_name_plural = _("課・機関の種別")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return english_or(self.name, self.name_en)

    @property
    def handles_label(self) -> str:
        return english_or(self.handles, self.handles_en)


class Section(models.Model):
    """An organisational unit: a section at an office, a district centre, a partner or agency.

    Staff belong to sections. ``code`` is unique ward-wide: ``kazei`` (head office),
    ``setagaya/hoken-fukushi`` (branch), ``setagaya/ikejiri/anshin`` (district, partner).
    """

    kind = models.ForeignKey(SectionKind, on_delete=models.PROTECT, related_name="sections",
                             verbose_name=_("種別"))
    code = models.CharField(_("コード"), max_length=100, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    name_en = models.CharField(_("英語名"), max_length=160, blank=True)
    office = models.CharField(_("所属する庁舎・施設"), max_length=120, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="sections", verbose_name=_("地域"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="sections", verbose_name=_("地区"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    is_active = models.BooleanField(_("有効"), default=True)

    class Meta:
        ordering = ["kind__sort_order", "region__sort_order", "district__sort_order", "code"]
        verbose_name = _("課・機関")
        verbose_name_plural = _("課・機関")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return english_or(self.name, self.name_en)

    @property
    def tier(self) -> str:
        return self.kind.tier

    @property
    def office_label(self) -> str:
        """The building in the page's language: the branch office, the district centre, the
        section itself, or the head office (本庁), whose English names the data holds."""
        if not in_english() or not self.office:
            return self.office
        centre = getattr(self.district, "centre", None) if self.district_id else None
        for japanese, english in (
                (self.region and self.region.branch_office_name,
                 self.region and self.region.branch_office_label),
                (centre and centre.name, centre and centre.label),
                (self.name, self.label),
                ("本庁", str(Tier.HEAD.label))):
            if self.office == japanese:
                return english
        return self.office
