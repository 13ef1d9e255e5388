"""安否確認: a campaign per district in a declared disaster, statuses recorded by device id;
drills run on made-up people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.disaster.models.declarations import Declaration
from madoguchi.disaster.models.registry import RegistryEntry
from madoguchi.disaster.models.shelters import Shelter
from madoguchi.organisation.models import District


class Campaign(models.Model):
    """A real campaign belongs to a declaration; a drill (訓練) has none and runs on the
    drill people made for it (``DrillPerson``), never on the registry."""

    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="campaigns")
    drill = models.BooleanField(_("訓練"), default=False)
    drill_summary = models.JSONField(default=dict, blank=True)  # kept when a drill ends
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("地区"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["declaration", "district"],
                                    name="disaster_campaign_one_per_district"),
            models.CheckConstraint(
                condition=models.Q(drill=True, declaration__isnull=True)
                | models.Q(drill=False, declaration__isnull=False),
                name="disaster_campaign_drill_or_declared"),
            models.UniqueConstraint(fields=["district"], condition=models.Q(
                drill=True, closed_at__isnull=True), name="disaster_campaign_one_open_drill"),
        ]

    def __str__(self) -> str:
        return f"campaign {self.pk}"


class DrillPerson(models.Model):
    """A made-up person of a drill campaign (訓練用): not a resident, never on the registry
    or its lists and exports; deleted with the drill's records when the drill ends."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="drill_people")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(_("氏名（訓練用）"), max_length=80)
    address = models.CharField(_("住所（訓練用）"), max_length=120)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"],
                                               name="disaster_drill_person_number")]

    def __str__(self) -> str:
        return f"drill person {self.pk}"


class Safety(models.TextChoices):
    SAFE_AT_HOME = "safe_home", _("在宅で無事")
    EVACUATED = "evacuated", _("避難済み")
    NEEDS_HELP = "needs_help", _("支援が必要")
    NOT_REACHED = "not_reached", _("連絡がつかない")


class SafetyRecord(models.Model):
    """Append-only. ``client_id`` is made on the device: a resend is recognised, never
    stored twice. Two supporters' different statuses are both kept; the newest is shown."""

    client_id = models.UUIDField(unique=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="records")
    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="+",
                              null=True, blank=True)
    drill_person = models.ForeignKey(DrillPerson, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="records")
    status = models.CharField(_("安否"), max_length=12, choices=Safety.choices)
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    recorded_at = models.DateTimeField()  # on the device
    received_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "entry", "recorded_at"],
                                name="disaster_safety_latest")]
        constraints = [models.CheckConstraint(
            condition=models.Q(entry__isnull=False, drill_person__isnull=True)
            | models.Q(entry__isnull=True, drill_person__isnull=False),
            name="disaster_safety_one_person")]

    def __str__(self) -> str:
        return f"safety {self.client_id}"

    @property
    def person_id(self) -> int:
        return self.entry_id or self.drill_person_id  # type: ignore[return-value]
