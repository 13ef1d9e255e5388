"""Events and courses (地区情報連絡会, workshops, タウンミーティング, 防災塾, smartphone and
exercise classes) with their occurrences, workflow history and registrations (issue 15)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.appendonly import AppendOnlyModel
from madoguchi.core.language import english_or
from madoguchi.organisation.models import District, DistrictCentre


class EventKind(models.Model):
    """A kind of event; the ward edits the list (the eight defaults come with the migration)."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英語名"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("イベントの種類")
        verbose_name_plural = _("イベントの種類")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return english_or(self.name, self.name_en or self.name)


class Status(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("承認待ち")
    PUBLISHED = "published", _("公開中")
    CANCELLED = "cancelled", _("中止")


class Mode(models.TextChoices):
    FIRST_COME = "first_come", _("先着順")
    LOTTERY = "lottery", _("抽選")


class Repeat(models.TextChoices):
    NONE = "none", _("1回のみ")
    WEEKLY = "weekly", _("毎週")
    BIWEEKLY = "biweekly", _("隔週")
    MONTHLY = "monthly", _("毎月（同じ週の同じ曜日）")


class OnClosed(models.TextChoices):
    SKIP = "skip", _("休みにする")
    NEXT_WEEK = "next_week", _("翌週に振り替える")


class Event(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.ForeignKey(EventKind, on_delete=models.PROTECT, related_name="events",
                             verbose_name=_("種類"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("地区"),
                                 help_text=_("空欄は区全体"))
    centre = models.ForeignKey(DistrictCentre, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("会場のまちづくりセンター"))
    title = models.CharField(_("題名"), max_length=120)
    description = models.TextField(_("内容"), max_length=5000)
    description_easy = models.TextField(_("やさしい日本語の説明"), max_length=3000, blank=True)
    # A room of the community context, held through its booking (no double booking), or
    # the place as free text.
    room = models.ForeignKey("community.Room", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name=_("会場の貸室"),
                             help_text=_("予約する貸室。貸室でない会場は下の「会場」に文字で入れます。"))
    room_bookings = models.ManyToManyField("community.RoomBooking", related_name="+",
                                           blank=True, editable=False)
    place = models.CharField(_("会場"), max_length=200, blank=True)
    online_url = models.URLField(_("オンライン参加のリンク"), max_length=300, blank=True)
    # Online in the ward's own video room (meetings): each online registrant gets a
    # personal one-time link per session (ADR 0064).
    video_room = models.BooleanField(
        _("区のビデオ会議室でオンライン開催"), default=False,
        help_text=_("オンラインで参加する申込者に、回ごとに本人専用の参加用リンクをメールで送ります。"))
    # Time of day of each occurrence; dates from the series rule.
    first_date = models.DateField(_("初回の日付"))
    starts_at = models.TimeField(_("開始時刻"))
    ends_at = models.TimeField(_("終了時刻"))
    repeat = models.CharField(_("繰り返し"), max_length=10, choices=Repeat.choices,
                              default=Repeat.NONE)
    repeat_count = models.PositiveSmallIntegerField(_("回数"), default=1)
    on_closed = models.CharField(_("祝日・年末年始に当たる回"), max_length=10,
                                 choices=OnClosed.choices, default=OnClosed.SKIP)
    capacity = models.PositiveIntegerField(_("定員（人）"))
    target = models.CharField(_("対象"), max_length=200, blank=True)
    district_residents_only = models.BooleanField(_("地区内の方のみ"), default=False)
    age_min = models.PositiveSmallIntegerField(_("対象年齢（下限）"), null=True, blank=True)
    fee = models.PositiveIntegerField(_("参加費（円）"), default=0)
    bring = models.CharField(_("持ち物"), max_length=300, blank=True)
    sign_language = models.BooleanField(_("手話通訳あり"), default=False)
    wheelchair = models.BooleanField(_("車いすで参加できます"), default=False)
    childcare = models.BooleanField(_("保育あり"), default=False)
    hearing_loop = models.BooleanField(_("ヒアリングループあり"), default=False)
    mode = models.CharField(_("申込の方法"), max_length=12, choices=Mode.choices,
                            default=Mode.FIRST_COME)
    registration_deadline = models.DateTimeField(_("申込締切"))
    draw_at = models.DateTimeField(_("抽選日時"), null=True, blank=True)
    # The lottery's random seed, recorded when drawn: the draw can be re-run and checked.
    draw_seed = models.BigIntegerField(_("抽選の乱数シード"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽選した日時"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    # People confirmed (the counter row: changed only under the event's row lock).
    confirmed_people = models.PositiveIntegerField(default=0)
    next_position = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("作成者"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["first_date", "starts_at"]
        verbose_name = _("イベント")
        verbose_name_plural = _("イベント")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="event_ends_after_start",
                                   violation_error_message=_(
                                       "終了時刻は開始時刻より後にしてください。")),
            models.CheckConstraint(condition=models.Q(capacity__gte=1),
                                   name="event_capacity_positive",
                                   violation_error_message=_("定員は1人以上にしてください。")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) or self.video_room

    @property
    def is_in_person(self) -> bool:
        return bool(self.place or self.room_id or self.centre_id)

    @property
    def is_hybrid(self) -> bool:
        """Held both at a place and online: the registrant chooses how they take part."""
        return self.is_online and self.is_in_person

    @property
    def place_name(self) -> str:
        """The room booked (its venue and name), else the place as written."""
        return str(self.room) if self.room_id else self.place

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.confirmed_people, 0)


class Occurrence(models.Model):
    """One date of an event; an occurrence on a closed day is kept, marked skipped or
    moved, so the page can say so."""

    class State(models.TextChoices):
        HELD = "held", _("開催")
        SKIPPED = "skipped", _("休み")
        MOVED = "moved", _("振替")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    number = models.PositiveSmallIntegerField()
    planned = models.DateField(_("予定日"))
    start = models.DateTimeField(_("開始"), db_index=True)
    end = models.DateTimeField(_("終了"))
    state = models.CharField(max_length=8, choices=State.choices, default=State.HELD)
    reason = models.CharField(_("理由"), max_length=80, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["event", "number"],
                                               name="occurrence_number_once")]

    def __str__(self) -> str:
        return f"{self.event_id}#{self.number} {self.planned}"


class Transition(AppendOnlyModel):
    """The event's workflow history (append-only)."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class RegStatus(models.TextChoices):
    APPLIED = "applied", _("抽選待ち")
    CONFIRMED = "confirmed", _("参加確定")
    WAITLISTED = "waitlisted", _("キャンセル待ち")
    NOT_DRAWN = "not_drawn", _("落選")
    CANCELLED = "cancelled", _("取消")


class Channel(models.TextChoices):
    WEB = "web", _("ウェブ")
    COUNTER = "counter", _("窓口")
    PHONE = "phone", _("電話")


class Registration(models.Model):
    """One registration (personal data: audited, erased after the retention period)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    position = models.PositiveIntegerField(_("受付番号"))
    name = models.CharField(_("お名前"), max_length=80)
    email = models.EmailField(_("メールアドレス"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    contact_key = models.CharField(max_length=200, blank=True)
    people = models.PositiveSmallIntegerField(_("人数"), default=1)
    needs = models.CharField(_("配慮が必要なこと"), max_length=500, blank=True)
    online = models.BooleanField(_("オンラインで参加"), default=False)
    # The language of the registrant's mails (issue 15): the page's on the public form.
    language = models.CharField(_("メールの言語"), max_length=2, default="ja",
                                choices=[("ja", "日本語"), ("en", "English")])
    channel = models.CharField(_("受付方法"), max_length=8, choices=Channel.choices,
                               default=Channel.WEB)
    status = models.CharField(_("状態"), max_length=10, choices=RegStatus.choices)
    draw_rank = models.PositiveIntegerField(null=True, blank=True)
    cancel_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # The check-in pass's token (a QR on the confirmation): its digest only (ADR 0060).
    checkin_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # The number of the last session a reminder was queued for: each is reminded once.
    reminded_number = models.PositiveSmallIntegerField(default=0)
    attended_at = models.DateTimeField(_("出席"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="registration_position"),
            # Twice with the same contact: one live registration per contact and event.
            models.UniqueConstraint(
                fields=["event", "contact_key"], name="registration_contact_once",
                condition=~models.Q(status="cancelled") & ~models.Q(contact_key="")),
            models.CheckConstraint(condition=models.Q(people__gte=1) & models.Q(people__lte=10),
                                   name="registration_people_range"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.position}"


class Draw(AppendOnlyModel):
    """A lottery draw, recorded: who drew, with which seed, and the result's digest."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="draws")
    seed = models.BigIntegerField()
    applicants = models.PositiveIntegerField()
    confirmed = models.PositiveIntegerField()
    result_digest = models.CharField(max_length=64)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)


class SessionRoom(models.Model):
    """The video-room booking of one session held online in the ward's own room (ADR 0064):
    a scheduling booking without a section (kind ``event_session``), its room in meetings.
    Replaced when the session's time changes; released when the event is cancelled."""

    occurrence = models.OneToOneField(Occurrence, on_delete=models.CASCADE,
                                      related_name="session_room")
    booking = models.OneToOneField("scheduling.Booking", on_delete=models.PROTECT,
                                   related_name="+")

    def __str__(self) -> str:
        return f"session room {self.occurrence_id}"


class OnlineSeat(models.Model):
    """An online registrant's place in one session's room: the scheduling participant whose
    one-time link meetings keeps (named by the registration's number, never its name)."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="online_seats")
    session = models.ForeignKey(SessionRoom, on_delete=models.CASCADE, related_name="seats")
    participant = models.OneToOneField("scheduling.Participant", on_delete=models.PROTECT,
                                       related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "session"],
                                               name="online_seat_once")]

    def __str__(self) -> str:
        return f"online seat {self.pk}"
