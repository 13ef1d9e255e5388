"""Rooms of centres, schools and 児童館: their fees and reductions, opening hours,
closures, and the bookings with their append-only history of cancellations and no-shows.

A room booking holds a ``scheduling.Booking`` made through
``scheduling.services.resource_book``, so the exclusion constraint on allocations is what
keeps a room from being given twice (ADR 0040).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from madoguchi.community.models.groups import Group, GroupKind
from madoguchi.core.appendonly import AppendOnlyModel
from madoguchi.organisation.models import District, Section


class VenueKind(models.TextChoices):
    CENTRE = "centre", _("まちづくりセンター")
    SCHOOL = "school", _("区立中学校")
    JIDOKAN = "jidokan", _("児童館")


class Daypart(models.TextChoices):
    MORNING = "morning", _("午前")
    AFTERNOON = "afternoon", _("午後")
    EVENING = "evening", _("夜間")


# The three bookable parts of a day (the usual 施設予約 units).
DAYPART_TIMES: dict[str, tuple[dt.time, dt.time]] = {
    Daypart.MORNING: (dt.time(9, 0), dt.time(12, 0)),
    Daypart.AFTERNOON: (dt.time(13, 0), dt.time(17, 0)),
    Daypart.EVENING: (dt.time(18, 0), dt.time(21, 30)),
}


class DayType(models.TextChoices):
    WEEKDAY = "weekday", _("平日")
    HOLIDAY = "holiday", _("土日・祝日")


class Room(models.Model):
    """A room that groups, residents or staff may book (集会室, 会議室, 教室, 遊戯室)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("地区"))
    venue_kind = models.CharField(_("施設の種類"), max_length=10, choices=VenueKind.choices)
    venue_name = models.CharField(_("施設名"), max_length=80)
    name = models.CharField(_("部屋名"), max_length=80)
    capacity = models.PositiveSmallIntegerField(_("定員"))
    equipment = models.CharField(_("設備"), max_length=300, blank=True)
    groups_may_book = models.BooleanField(_("登録団体が予約できる"), default=True)
    residents_may_book = models.BooleanField(_("区民が予約できる"), default=False)
    purposes = models.CharField(
        _("利用目的"), max_length=300, blank=True,
        help_text=_("認める利用目的を読点（、）で区切る。空欄なら営利目的以外すべて。"))
    fee_yen = models.PositiveIntegerField(_("使用料（1区分・円）"), default=0)
    hourly_fee_yen = models.PositiveIntegerField(
        _("使用料（1時間・円）"), default=0,
        help_text=_("区分の時間に応じて1区分の使用料に加える額。"))
    approving_unit = models.ForeignKey(Section, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+",
                                       verbose_name=_("承認する課・機関"))
    is_active = models.BooleanField(_("利用可"), default=True)

    class Meta:
        ordering = ["district", "venue_kind", "venue_name", "name"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1),
                                              name="room_capacity_positive")]
        verbose_name = _("貸室")
        verbose_name_plural = _("貸室")

    def __str__(self) -> str:
        return f"{self.venue_name} {self.name}"

    def purpose_list(self) -> list[str]:
        return [p.strip() for p in self.purposes.replace(",", "、").split("、") if p.strip()]


class FeeReduction(models.Model):
    """A room's reduction of its fee for registered groups of a kind: 100 % is an
    exemption (免除), less a reduction (減額). Computed in ``community.fees``."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="reductions",
                             verbose_name=_("貸室"))
    group_kind = models.CharField(_("団体の種別"), max_length=16, choices=GroupKind.choices)
    percent = models.PositiveSmallIntegerField(_("減額の割合（%）"),
                                               help_text=_("100なら免除。"))

    class Meta:
        ordering = ["room", "group_kind"]
        constraints = [
            models.UniqueConstraint(fields=["room", "group_kind"],
                                    name="fee_reduction_once_per_kind"),
            models.CheckConstraint(condition=Q(percent__gte=1, percent__lte=100),
                                   name="fee_reduction_percent_range"),
        ]
        verbose_name = _("使用料の減免")
        verbose_name_plural = _("使用料の減免")

    def __str__(self) -> str:
        return f"{self.room_id} {self.group_kind} {self.percent}%"


class OpeningSlot(models.Model):
    """When a room may be used on a kind of day. A room without rows follows its venue's
    default (schools: weekdays 18:00–21:30, holidays 9:00–21:30; others 9:00–21:30)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="openings",
                             verbose_name=_("貸室"))
    day_type = models.CharField(_("曜日の区分"), max_length=10, choices=DayType.choices)
    start = models.TimeField(_("開始"))
    end = models.TimeField(_("終了"))

    class Meta:
        ordering = ["room", "day_type", "start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")),
                                              name="opening_order")]
        verbose_name = _("利用できる時間")
        verbose_name_plural = _("利用できる時間")

    def __str__(self) -> str:
        return f"{self.room_id} {self.day_type} {self.start:%H:%M}-{self.end:%H:%M}"


class RoomClosure(models.Model):
    """A ward-editable exception: the room is not available on a day (学校行事, 点検)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="closures",
                             verbose_name=_("貸室"))
    date = models.DateField(_("日付"))
    reason = models.CharField(_("理由"), max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("登録した職員"))

    class Meta:
        ordering = ["room", "date"]
        constraints = [models.UniqueConstraint(fields=["room", "date"],
                                               name="room_closure_once_a_day")]
        verbose_name = _("利用できない日")
        verbose_name_plural = _("利用できない日")

    def __str__(self) -> str:
        return f"{self.room_id} {self.date} {self.reason}"


class RoomBooking(models.Model):
    """A room held for a group or a resident in one daypart: its time is a scheduling
    booking (no double booking)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings",
                             verbose_name=_("貸室"))
    booking = models.OneToOneField("scheduling.Booking", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("予約"))
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="room_bookings", verbose_name=_("団体"))
    date = models.DateField(_("利用日"))
    daypart = models.CharField(_("区分"), max_length=10, choices=Daypart.choices)
    purpose = models.CharField(_("利用目的"), max_length=120)
    attendees = models.PositiveSmallIntegerField(_("人数"))
    fee_yen = models.PositiveIntegerField(_("使用料（円）"), default=0)
    fee_full_yen = models.PositiveIntegerField(_("減免前の使用料（円）"), default=0)
    fee_percent = models.PositiveSmallIntegerField(_("減免の割合（%）"), default=0)
    exempt = models.BooleanField(_("使用料免除"), default=False)
    conditions = models.CharField(_("承認の条件"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("予約した職員"))
    created_at = models.DateTimeField(_("予約日時"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    no_show = models.BooleanField(_("無断不使用"), default=False)

    class Meta:
        ordering = ["date", "room", "daypart"]
        indexes = [models.Index(fields=["room", "date"])]
        verbose_name = _("貸室の予約")
        verbose_name_plural = _("貸室の予約")

    def __str__(self) -> str:
        return f"{self.room} {self.date} {self.get_daypart_display()}"


class BookingEventKind(models.TextChoices):
    CANCELLED = "cancelled", _("取消")
    NO_SHOW = "no_show", _("無断不使用")


class RoomBookingEvent(AppendOnlyModel):
    """The history of a room booking's cancellation and no-show, with the reason and the
    staff member who recorded it (append-only: the database refuses changes too)."""

    room_booking = models.ForeignKey(RoomBooking, on_delete=models.PROTECT,
                                     related_name="events", verbose_name=_("予約"))
    kind = models.CharField(_("記録"), max_length=10, choices=BookingEventKind.choices)
    reason = models.CharField(_("理由"), max_length=200)
    at = models.DateTimeField(_("記録日時"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+", verbose_name=_("記録した職員"))

    class Meta:
        ordering = ["room_booking", "at", "pk"]
        constraints = [models.UniqueConstraint(fields=["room_booking", "kind"],
                                               name="booking_event_once_per_kind")]
        verbose_name = _("予約の取消・無断不使用の記録")
        verbose_name_plural = _("予約の取消・無断不使用の記録")

    def __str__(self) -> str:
        return f"{self.room_booking_id} {self.kind}"
