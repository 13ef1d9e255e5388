"""The routing table (topic → section kind) and online consultation per district centre."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.consultations.models.consultation import Category
from madoguchi.organisation.models import DistrictCentre, SectionKind


class RoutingRule(models.Model):
    """One row of the editable topic→section table (used until the guidance engine)."""

    category = models.CharField(_("分類"), max_length=20, choices=Category.choices)
    keywords = models.CharField(
        _("キーワード"), max_length=200, blank=True,
        help_text=_("読点（、）かカンマで区切ります。どれかが相談の内容に含まれるときだけ"
                    "使います。空欄ならこの分類のすべての相談に使います。"))
    section_kind = models.ForeignKey(SectionKind, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("回付先の種別"))
    priority = models.PositiveSmallIntegerField(
        _("優先度"), default=100, help_text=_("数字の大きい規則から順に調べます。"))
    active = models.BooleanField(_("有効"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "-priority", "pk"]
        verbose_name = _("回付の規則")
        verbose_name_plural = _("回付の規則")

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.section_kind}"

    @property
    def keyword_list(self) -> list[str]:
        text = self.keywords.replace("、", ",").replace("，", ",")
        return [word.strip() for word in text.split(",") if word.strip()]


class OnlineService(models.Model):
    """A section kind switched on for online consultation at a district centre."""

    centre = models.ForeignKey(DistrictCentre, on_delete=models.CASCADE,
                               related_name="online_services",
                               verbose_name=_("まちづくりセンター"))
    section_kind = models.ForeignKey(SectionKind, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("課・機関の種別"))
    enabled = models.BooleanField(_("実施中"), default=True)
    since = models.DateField(_("開始日"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["centre", "section_kind__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "section_kind"],
                                    name="online_service_once_per_centre"),
        ]
        verbose_name = _("オンライン相談の実施")
        verbose_name_plural = _("オンライン相談の実施")

    def __str__(self) -> str:
        return f"{self.centre} {self.section_kind}"
