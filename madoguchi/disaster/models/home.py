"""在宅避難者: people sheltering at home register themselves during a declared disaster."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.disaster.models.declarations import Declaration
from madoguchi.organisation.models import District


class HomeNeed(models.TextChoices):
    WATER = "water", _("飲料水")
    FOOD = "food", _("食料")
    MEDICINE = "medicine", _("常用薬・医薬品")
    POWER = "power", _("電源（医療機器・充電）")
    CARE = "care", _("介護・介助")
    TOILETS = "toilets", _("簡易トイレ")
    MILK = "milk", _("粉ミルク・おむつ")
    INFORMATION = "information", _("情報（日本語以外を含む）")
    VISIT = "visit", _("訪問して様子を見てほしい")


class HomeEvacuee(models.Model):
    """A household sheltering at home (在宅避難者), registered by itself on the public page
    while a disaster is declared over its district; seen by the district's staff.
    ``submission`` is made by the form: a resubmitted form is recognised, not stored twice."""

    submission = models.UUIDField(unique=True)
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("地区"))
    name = models.CharField(_("氏名"), max_length=80)
    address = models.CharField(_("住所"), max_length=120)
    phone = models.CharField(_("電話番号"), max_length=20)
    people = models.PositiveSmallIntegerField(_("在宅避難している人数"))
    needs = models.JSONField(_("必要な支援・物資"), default=list, blank=True)
    note = models.CharField(_("その他（配慮が必要なことなど）"), max_length=400, blank=True)
    consent_at = models.DateTimeField(_("同意日時"))
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("在宅避難者")
        verbose_name_plural = _("在宅避難者")

    def __str__(self) -> str:
        return f"home evacuee {self.pk}"  # no personal data in logs

    @property
    def need_labels(self) -> list[str]:
        labels = dict(HomeNeed.choices)
        return [str(labels[n]) for n in self.needs if n in labels]
