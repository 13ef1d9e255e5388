"""Ward-specific calendar exceptions; national holidays and 年末年始 live in core.dates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClosedDayRule(models.TextChoices):
    CLOSED = "closed", _("休業日")
    OPEN = "open", _("臨時開庁日")


class CalendarException(models.Model):
    """A ward-specific exception to the national calendar (extra closed or open day)."""

    date = models.DateField(_("日付"), unique=True)
    kind = models.CharField(_("区分"), max_length=8, choices=ClosedDayRule.choices)
    reason = models.CharField(_("理由"), max_length=120)

    class Meta:
        ordering = ["date"]
        verbose_name = _("休業日・開庁日の例外")
        verbose_name_plural = _("休業日・開庁日の例外")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
