"""Groups' requests for rooms and the monthly lottery that draws them (with the ward's
settings of the cycle)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from madoguchi.community.models.groups import Group
from madoguchi.community.models.rooms import Daypart, Room, RoomBooking


class BookingCycle(models.Model):
    """The ward's settings of the monthly request cycle (one row): requests for a month
    are made from ``apply_from`` to ``apply_until`` (days of the month) ``months_ahead``
    months before it, drawn on ``draw_day``; winners confirm by the month's end or the slot
    lapses."""

    months_ahead = models.PositiveSmallIntegerField(_("何か月前に申し込むか"), default=2)
    apply_from = models.PositiveSmallIntegerField(_("申込開始日"), default=10)
    apply_until = models.PositiveSmallIntegerField(_("申込締切日"), default=19)
    draw_day = models.PositiveSmallIntegerField(_("抽選日"), default=20)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(apply_from__gte=1, apply_from__lte=F("apply_until"),
                            apply_until__lt=F("draw_day"), draw_day__lte=28),
                name="cycle_order"),
        ]
        verbose_name = _("申込・抽選の日程")
        verbose_name_plural = _("申込・抽選の日程")

    def __str__(self) -> str:
        return f"{self.months_ahead}: {self.apply_from}-{self.apply_until} / {self.draw_day}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("抽選待ち")
    WON = "won", _("当選（承認待ち）")
    LOST = "lost", _("落選")
    APPROVED = "approved", _("承認済み")
    LAPSED = "lapsed", _("期限切れ")
    WITHDRAWN = "withdrawn", _("取下げ")


class LotteryRun(models.Model):
    """One draw of a month's requests: its seed and the digest of its inputs, so that the
    result can be reproduced. A second run for a month is refused unless the first is
    annulled with a reason."""

    month = models.DateField(_("対象月"), help_text=_("対象月の1日。"))
    seed = models.CharField(_("乱数の種"), max_length=64)
    inputs_digest = models.CharField(_("入力の要約"), max_length=64)
    requests_count = models.PositiveIntegerField(_("申込数"))
    # The draw's inputs and outcome as drawn (request id, group, room, date, daypart, slot
    # kind; request id -> [won, rank]): the result can be drawn again from these and the
    # seed, even after the run is annulled.
    entries = models.JSONField(_("抽選の入力"), default=list)
    results = models.JSONField(_("抽選の結果"), default=dict)
    run_at = models.DateTimeField(_("抽選日時"), auto_now_add=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("抽選した職員"))
    annulled_at = models.DateTimeField(_("無効にした日時"), null=True, blank=True)
    annulled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("無効にした職員"))
    annul_reason = models.CharField(_("無効にした理由"), max_length=200, blank=True)

    class Meta:
        ordering = ["-month", "-run_at"]
        constraints = [
            models.UniqueConstraint(fields=["month"], condition=Q(annulled_at__isnull=True),
                                    name="lottery_one_valid_run_per_month"),
        ]
        verbose_name = _("抽選")
        verbose_name_plural = _("抽選")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.seed}"


class BookingRequest(models.Model):
    """A group's request for a room in one daypart of a day of next-but-one month."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="requests",
                              verbose_name=_("団体"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="requests",
                             verbose_name=_("貸室"))
    date = models.DateField(_("利用日"))
    daypart = models.CharField(_("区分"), max_length=10, choices=Daypart.choices)
    purpose = models.CharField(_("利用目的"), max_length=120)
    attendees = models.PositiveSmallIntegerField(_("人数"))
    submitted_at = models.DateTimeField(_("申込日時"), auto_now_add=True)
    status = models.CharField(_("状態"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    lottery = models.ForeignKey(LotteryRun, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="requests", verbose_name=_("抽選"))
    room_booking = models.OneToOneField(RoomBooking, on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="request",
                                        verbose_name=_("予約"))

    class Meta:
        ordering = ["date", "room", "daypart", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "room", "date", "daypart"],
                                    name="request_once_per_group_and_slot"),
        ]
        indexes = [models.Index(fields=["date", "status"])]
        verbose_name = _("貸室の申込")
        verbose_name_plural = _("貸室の申込")

    def __str__(self) -> str:
        return f"{self.group} {self.room} {self.date} {self.daypart}"
