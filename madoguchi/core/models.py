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


class WorkerBeat(models.Model):
    """A running task worker's heartbeat (ADR 0025).

    ``seen_at`` moves every few seconds while the process lives (a thread beats even while
    a long task runs): a running task whose worker was not seen for a lease is taken back.
    ``polled_at`` moves each time the worker looks for work: a worker that is seen but does
    not poll is stuck in a task. A worker that stops cleanly deletes its row; a row left
    behind is a worker that died."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    polled_at = models.DateTimeField()

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id}"


class EffectDone(models.Model):
    """An outside effect (a mail sent) that happened, under its idempotency key: written in
    the transaction that sends it, looked up before sending, so a task run again after its
    worker died does not send twice (core.effects; ADR 0025). Keys name task ids, never a
    person or an address."""

    key = models.CharField(max_length=200, primary_key=True)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at"]

    def __str__(self) -> str:
        return self.key
