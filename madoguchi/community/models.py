"""Community activity support (issue 16): groups, rooms of centres, schools and 児童館,
their bookings, and equipment lent over the counter.

Rooms and equipment items are bookable kinds registered with scheduling (ADR 0029,
``community/resources.py``); a room booking holds a ``scheduling.Booking`` made through
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

from madoguchi.core.appendonly import AppendOnlyModel
from madoguchi.organisation.models import District, DistrictCentre, Section


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


class GroupKind(models.TextChoices):
    CHONAIKAI = "chonaikai", _("町会・自治会")
    SHAKYO = "shakyo", _("地区社会福祉協議会")
    KYOGIKAI = "kyogikai", _("協議会")
    NPO = "npo", _("NPO法人")
    CIRCLE = "circle", _("サークル・団体")


class GroupStatus(models.TextChoices):
    PENDING = "pending", _("承認待ち")
    APPROVED = "approved", _("登録済み")
    REJECTED = "rejected", _("不承認")


class Group(models.Model):
    """A registered community group (町会・自治会, 地区社協, NPO, circle)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("団体名"), max_length=120)
    kind = models.CharField(_("種別"), max_length=16, choices=GroupKind.choices)
    centre = models.ForeignKey(DistrictCentre, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("承認するまちづくりセンター"))
    districts = models.ManyToManyField(District, related_name="+", verbose_name=_("活動地区"))
    members_count = models.PositiveIntegerField(_("会員数"))
    activity = models.TextField(_("活動内容"), max_length=2000)
    public_profile = models.BooleanField(_("地区のページに掲載する"), default=False)
    status = models.CharField(_("状態"), max_length=10, choices=GroupStatus.choices,
                              default=GroupStatus.PENDING)
    applied_at = models.DateTimeField(_("申請日時"), auto_now_add=True)
    decided_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("承認した職員"))

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("地域活動団体")
        verbose_name_plural = _("地域活動団体")

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == GroupStatus.APPROVED


class GroupContact(models.Model):
    """A representative or contact of a group: personal data (read and written audited)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="contacts",
                              verbose_name=_("団体"))
    name = models.CharField(_("氏名"), max_length=80)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    is_representative = models.BooleanField(_("代表者"), default=True)

    class Meta:
        ordering = ["group", "pk"]
        verbose_name = _("団体の連絡先")
        verbose_name_plural = _("団体の連絡先")

    def __str__(self) -> str:
        return f"{self.group}: {self.pk}"


class GroupLogin(models.Model):
    """A one-time e-mail login link of a representative: only its digest is stored
    (core.tokens)."""

    contact = models.ForeignKey(GroupContact, on_delete=models.CASCADE, related_name="logins")
    digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("団体のログインリンク")
        verbose_name_plural = _("団体のログインリンク")

    def __str__(self) -> str:
        return f"{self.contact_id} {self.expires_at:%Y-%m-%d %H:%M}"


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


# --- equipment ---------------------------------------------------------------------------


class Condition(models.TextChoices):
    GOOD = "good", _("良好")
    WORN = "worn", _("使用感あり")
    DAMAGED = "damaged", _("破損あり（要修理）")


class ItemKind(models.Model):
    """A kind of item lent (車いす, 高枝切ばさみ, PC, Wi-Fiルーター, プロジェクター, テント)."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    lending_days = models.PositiveSmallIntegerField(_("貸出期間（日）"), default=7)
    deposit_yen = models.PositiveIntegerField(_("保証金（円）"), default=0)
    note = models.CharField(_("説明"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("貸出品の種類")
        verbose_name_plural = _("貸出品の種類")

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """One piece of equipment kept at a centre (the stock is its rows)."""

    kind = models.ForeignKey(ItemKind, on_delete=models.PROTECT, related_name="items",
                             verbose_name=_("種類"))
    centre = models.ForeignKey(DistrictCentre, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("まちづくりセンター"))
    label = models.CharField(_("管理番号"), max_length=40)
    condition = models.CharField(_("状態"), max_length=10, choices=Condition.choices,
                                 default=Condition.GOOD)
    is_active = models.BooleanField(_("貸出可"), default=True)

    class Meta:
        ordering = ["centre", "kind", "label"]
        constraints = [models.UniqueConstraint(fields=["centre", "label"],
                                               name="item_label_per_centre")]
        verbose_name = _("貸出品")
        verbose_name_plural = _("貸出品")

    def __str__(self) -> str:
        return f"{self.kind.name} {self.label}"


class Loan(models.Model):
    """An item lent over the counter to a resident or a group (ID checked). The borrower's
    name and phone are personal data: written and read audited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="loans",
                             verbose_name=_("貸出品"))
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="loans", verbose_name=_("団体"))
    borrower_name = models.CharField(_("借りる方の氏名"), max_length=80)
    borrower_phone = models.CharField(_("電話番号"), max_length=20)
    borrower_email = models.EmailField(_("メールアドレス"), blank=True)
    id_checked = models.BooleanField(_("本人確認済み"), default=False)
    deposit_yen = models.PositiveIntegerField(_("預かった保証金（円）"), default=0)
    lent_at = models.DateTimeField(_("貸出日時"), auto_now_add=True)
    lent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("貸し出した職員"))
    due_on = models.DateField(_("返却期限"))
    condition_out = models.CharField(_("貸出時の状態"), max_length=10,
                                     choices=Condition.choices)
    returned_at = models.DateTimeField(_("返却日時"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("返却を受けた職員"))
    condition_back = models.CharField(_("返却時の状態"), max_length=10, blank=True,
                                      choices=Condition.choices)
    return_note = models.CharField(_("返却時のメモ"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("督促日時"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            # An item is out at most once: the second lending of an item not yet back is
            # refused by the table, whatever raced.
            models.UniqueConstraint(fields=["item"], condition=Q(returned_at__isnull=True),
                                    name="loan_one_open_per_item"),
        ]
        indexes = [models.Index(fields=["returned_at", "due_on"])]
        verbose_name = _("貸出")
        verbose_name_plural = _("貸出")

    def __str__(self) -> str:
        return f"{self.item} {self.due_on}"

    @property
    def is_out(self) -> bool:
        return self.returned_at is None


class Reservation(models.Model):
    """An item reserved for a date: the item is held through scheduling (kind
    ``equipment``) from that day for the kind's lending period."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reservations",
                             verbose_name=_("貸出品"))
    booking = models.OneToOneField("scheduling.Booking", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("予約"))
    date = models.DateField(_("受取日"))
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="reservations", verbose_name=_("団体"))
    borrower_name = models.CharField(_("予約した方の氏名"), max_length=80)
    borrower_phone = models.CharField(_("電話番号"), max_length=20)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("受け付けた職員"))
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("貸出品の予約")
        verbose_name_plural = _("貸出品の予約")

    def __str__(self) -> str:
        return f"{self.item_id} {self.date}"


# --- requests, the monthly lottery ------------------------------------------------------


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


# --- circulars (回覧板) ------------------------------------------------------------------


class Household(models.Model):
    """A household account of a group (回覧先の世帯): registered by the group's
    representative, with an e-mail address when the household reads circulars online
    (each circular is mailed with a link of its own: opening it is the read receipt) and
    without one when it reads the printed circular. Name and address are personal data:
    written and listed audited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="households",
                              verbose_name=_("団体"))
    name = models.CharField(_("世帯名"), max_length=80)
    email = models.EmailField(_("メールアドレス"), blank=True)
    language = models.CharField(_("メールの言語"), max_length=2, default="ja",
                                choices=[("ja", "日本語"), ("en", "English")])
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        ordering = ["group", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "name"],
                                               name="household_name_per_group")]
        verbose_name = _("会員の世帯")
        verbose_name_plural = _("会員の世帯")

    def __str__(self) -> str:
        return f"{self.group_id}: {self.pk}"


class CircularAudience(models.TextChoices):
    GROUP = "group", _("団体の会員")
    DISTRICT = "district", _("地区のすべての団体の会員")


class Circular(models.Model):
    """A circular (回覧板) posted by the district centre (``sender_group`` empty) or by a
    group, to one group's households or to those of every registered group of the
    district."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("地区"))
    audience = models.CharField(_("回覧先"), max_length=10, choices=CircularAudience.choices)
    to_group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="circulars_received",
                                 verbose_name=_("回覧先の団体"))
    sender_group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="circulars_sent",
                                     verbose_name=_("発信した団体"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+",
                                verbose_name=_("発信した職員"))
    title = models.CharField(_("件名"), max_length=120)
    body = models.TextField(_("本文"), max_length=5000)
    is_public = models.BooleanField(_("地区のお知らせに掲載してよい"), default=False)
    due_on = models.DateField(_("回覧の期限"), null=True, blank=True,
                              help_text=_("この日までに読んでいない世帯に催促します。"
                                          "空欄なら発信から一定の日数の後。"))
    posted_at = models.DateTimeField(_("発信日時"), auto_now_add=True)

    class Meta:
        ordering = ["-posted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="district") | Q(to_group__isnull=False),
                name="circular_group_has_group"),
        ]
        indexes = [models.Index(fields=["district", "is_public", "posted_at"])]
        verbose_name = _("回覧板")
        verbose_name_plural = _("回覧板")

    def __str__(self) -> str:
        return self.title


class CircularAttachment(models.Model):
    """A PDF or image sent with a circular (stored by the files context)."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE,
                                 related_name="attachments", verbose_name=_("回覧板"))
    file = models.OneToOneField("files.StoredFile", on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("ファイル"))

    class Meta:
        ordering = ["circular", "pk"]
        verbose_name = _("回覧板の添付")
        verbose_name_plural = _("回覧板の添付")

    def __str__(self) -> str:
        return f"{self.circular_id}: {self.file_id}"


class CircularReceipt(models.Model):
    """One household's copy of a circular: its mailed link (only the digest is kept), and
    when it was read (online, or confirmed on paper by the group or the centre)."""

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="receipts",
                                 verbose_name=_("回覧板"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE,
                                  related_name="receipts", verbose_name=_("世帯"))
    digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)
    on_paper = models.BooleanField(_("紙で確認"), default=False)
    # The reminder to a household that has not read by the due date: at most one. Marked
    # when queued (in the reminder run's transaction), its own link's digest kept once
    # sent (the first link stays usable), and when it left.
    reminder_queued_at = models.DateTimeField(_("催促を予定した日時"), null=True,
                                              blank=True)
    reminder_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    reminded_at = models.DateTimeField(_("催促日時"), null=True, blank=True)

    class Meta:
        ordering = ["circular", "household__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["circular", "household"],
                                               name="receipt_once_per_household")]
        verbose_name = _("回覧板の既読")
        verbose_name_plural = _("回覧板の既読")

    def __str__(self) -> str:
        return f"{self.circular_id}: {self.household_id}"
