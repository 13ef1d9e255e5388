"""災害モード: declared for the ward (region empty) or one region, by two ward administrators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Declaration(models.Model):
    region = models.ForeignKey("organisation.Region", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("地域"))
    reason = models.CharField(_("理由"), max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True)
                | ~models.Q(confirmed_by=models.F("requested_by")),
                name="disaster_declaration_two_people"),
        ]

    def __str__(self) -> str:
        return f"declaration {self.pk}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.ended_at is None
