"""個別避難計画: a registered person's evacuation plan and its named supporters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.disaster.models.registry import RegistryEntry
from madoguchi.disaster.models.shelters import Shelter


class Destination(models.TextChoices):
    SHELTER = "shelter", _("指定避難所")
    WELFARE = "welfare", _("福祉避難所")
    RELATIVE = "relative", _("親族・知人宅")
    HOME = "home", _("在宅避難")


class Means(models.TextChoices):
    WALK = "walk", _("徒歩")
    WHEELCHAIR = "wheelchair", _("車いす")
    CAR = "car", _("自動車")
    STRETCHER = "stretcher", _("担架・搬送")


class MedicalNeed(models.TextChoices):
    OXYGEN = "oxygen", _("在宅酸素")
    DIALYSIS = "dialysis", _("人工透析")
    MEDICINES = "medicines", _("常用薬")
    INSULIN = "insulin", _("インスリン")
    VENTILATOR = "ventilator", _("人工呼吸器")


class EvacuationPlan(models.Model):
    entry = models.OneToOneField(RegistryEntry, on_delete=models.CASCADE, related_name="plan")
    destination = models.CharField(_("避難先"), max_length=12, choices=Destination.choices)
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("避難所"))
    destination_note = models.CharField(_("避難先の詳細"), max_length=120, blank=True)
    means = models.CharField(_("避難の方法"), max_length=12, choices=Means.choices)
    medical_needs = models.JSONField(_("医療的な配慮"), default=list, blank=True)
    medical_note = models.CharField(_("医療的な配慮の詳細"), max_length=200, blank=True)
    review_due = models.DateField(_("次回の見直し日"))
    reminded_for = models.DateField(null=True, blank=True, editable=False)  # review_due reminded
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"plan of entry {self.entry_id}"


class PlanSupporter(models.Model):
    plan = models.ForeignKey(EvacuationPlan, on_delete=models.CASCADE,
                             related_name="supporters")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("支援者の氏名"), max_length=80)
    relation = models.CharField(_("本人との関係"), max_length=40, blank=True)
    phone = models.CharField(_("支援者の電話番号"), max_length=20)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"plan {self.plan_id} supporter {self.order}"
