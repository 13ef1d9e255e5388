"""Bookable resources (booths, people), their availability, and bookings.

No resource (a booth, a person, any kind an app registers in ``scheduling.kinds``) may
hold two overlapping active allocations. On PostgreSQL an exclusion constraint (migration
0002) enforces it and the booking services insert optimistically behind it; on SQLite the
IMMEDIATE write transaction serialises writers, which check before they insert.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.models import Booth, DistrictCentre, Section
from madoguchi.scheduling import kinds

MAX_PARTICIPANTS = 6


class Resource(models.Model):
    """One bookable thing: a registered kind (``scheduling.kinds``) and its owner's key,
    e.g. ``("booth", booth.pk)`` or ``("person", user.pk)``. Its row is what every
    allocation of the thing points to (and, on SQLite, what the write transaction
    serialises on)."""

    kind = models.CharField(_("種類"), max_length=32,
                            help_text=_("登録された予約対象の種類のコード。"))
    owner_id = models.BigIntegerField(_("対象のID"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "owner_id"], name="resource_one_per_owner"),
        ]
        verbose_name = _("予約対象")
        verbose_name_plural = _("予約対象")

    def __str__(self) -> str:
        kind = kinds.get(self.kind)
        owner = kind.owner_model()._default_manager.filter(pk=self.owner_id).first()
        return kind.describe(owner) if owner is not None else f"{kind.label} {self.owner_id}"


class WorkingHours(models.Model):
    """When a resource can be booked on a weekday (several rows per day allowed). A
    resource without rows works the ward's standard hours (see availability.py)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE,
                                 related_name="working_hours", verbose_name=_("予約対象"))
    weekday = models.PositiveSmallIntegerField(_("曜日"), help_text=_("月曜=0 … 日曜=6"))
    start = models.TimeField(_("開始"))
    end = models.TimeField(_("終了"))

    class Meta:
        ordering = ["resource", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="hours_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday"),
        ]
        verbose_name = _("勤務時間")
        verbose_name_plural = _("勤務時間")

    def __str__(self) -> str:
        return f"{self.resource} {self.weekday} {self.start}-{self.end}"


class Absence(models.Model):
    """A period in which the resource cannot be booked (leave, training, maintenance)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="absences",
                                 verbose_name=_("予約対象"))
    start = models.DateTimeField(_("開始"))
    end = models.DateTimeField(_("終了"))
    reason = models.CharField(_("理由"), max_length=120, blank=True)

    class Meta:
        ordering = ["resource", "start"]
        indexes = [models.Index(fields=["resource", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="absence_order"),
        ]
        verbose_name = _("不在")
        verbose_name_plural = _("不在")

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"


class SectionSchedule(models.Model):
    """A section's consultation settings. Sections without a row use the defaults."""

    section = models.OneToOneField(Section, on_delete=models.CASCADE, related_name="schedule",
                                   verbose_name=_("課・機関"))
    duration_minutes = models.PositiveSmallIntegerField(_("相談時間（分）"), default=30)
    buffer_minutes = models.PositiveSmallIntegerField(
        _("前後の余裕（分）"), default=0,
        help_text=_("相談の後に確保する時間（記録の入力など）。"))
    min_notice_minutes = models.PositiveIntegerField(
        _("予約の締切（分前）"), default=60,
        help_text=_("開始の何分前まで予約を受け付けるか。"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5),
                                   name="schedule_duration_min"),
        ]
        verbose_name = _("相談の設定")
        verbose_name_plural = _("相談の設定")

    def __str__(self) -> str:
        return f"{self.section} {self.duration_minutes}分"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("予約済み")
    CANCELLED = "cancelled", _("取消")
    FINISHED = "finished", _("終了")


class Booking(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Required by the kinds that need it (a consultation's booth and people), not by the
    # table: a room or a piece of equipment may be booked without a section.
    section = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="bookings", verbose_name=_("担当の課・機関"))
    centre = models.ForeignKey(DistrictCentre, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="bookings", verbose_name=_("まちづくりセンター"))
    booth = models.ForeignKey(Booth, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="bookings", verbose_name=_("相談ブース"))
    start = models.DateTimeField(_("開始"))
    end = models.DateTimeField(_("終了"))
    status = models.CharField(_("状態"), max_length=10, choices=BookingStatus.choices,
                              default=BookingStatus.BOOKED)
    title = models.CharField(_("件名"), max_length=120, help_text=_("個人情報は書かないこと。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("予約した職員"))
    created_at = models.DateTimeField(_("予約日時"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("取り消した職員"))
    cancel_reason = models.CharField(_("取消・変更の理由"), max_length=200, blank=True)
    # When the call ended or the consultation was closed: the rest of the slot is free.
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    rescheduled_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="rescheduled_to",
                                         verbose_name=_("変更前の予約"))
    # A client's retry with the same key returns the booking it made the first time.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["centre", "start"]),
                   models.Index(fields=["section", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_order"),
            models.UniqueConstraint(fields=["created_by", "idempotency_key"],
                                    name="booking_idempotency_key"),
        ]
        verbose_name = _("予約")
        verbose_name_plural = _("予約")

    def __str__(self) -> str:
        return f"{self.title} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED


class ParticipantKind(models.TextChoices):
    RESIDENT = "resident", _("区民")
    STAFF = "staff", _("職員")
    GUEST = "guest", _("外部の参加者")


class Participant(models.Model):
    """Someone taking part. Staff and residents are linked (their contact data is read
    from their records); guests (specialist agency, facility) carry name and e-mail."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="participants",
                                verbose_name=_("予約"))
    kind = models.CharField(_("区分"), max_length=10, choices=ParticipantKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name=_("職員"))
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("区民"))
    name = models.CharField(_("氏名"), max_length=80, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    organisation = models.CharField(_("所属"), max_length=120, blank=True)
    remote = models.BooleanField(_("別の場所から参加"), default=False)
    is_organiser = models.BooleanField(_("主催"), default=False)

    class Meta:
        ordering = ["booking", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="resident", resident__isnull=False)
                           | Q(kind="staff", user__isnull=False)
                           | Q(kind="guest", user__isnull=True, resident__isnull=True)),
                name="participant_kind_matches_link",
            ),
        ]
        verbose_name = _("参加者")
        verbose_name_plural = _("参加者")

    def __str__(self) -> str:
        if self.user_id:
            return str(self.user)
        return self.name or self.get_kind_display()


class Allocation(models.Model):
    """A resource held by a booking from its start to its end plus the section's buffer."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="allocations",
                                verbose_name=_("予約"))
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="allocations",
                                 verbose_name=_("予約対象"))
    start = models.DateTimeField(_("開始"))
    end = models.DateTimeField(_("終了（余裕を含む）"))
    active = models.BooleanField(_("有効"), default=True)

    class Meta:
        ordering = ["resource", "start"]
        indexes = [models.Index(fields=["resource", "active", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="allocation_order"),
        ]
        verbose_name = _("割り当て")
        verbose_name_plural = _("割り当て")

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"
