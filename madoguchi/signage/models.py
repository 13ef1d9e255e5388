"""Digital signage (デジタルサイネージ) of the district centres (ADR 0043).

A ``Screen`` is one display in a centre; its player opens once with the screen's key
(``ScreenKey``: only the key's SHA-256 is stored; issuing a new key revokes the earlier
one). An ``Item`` is what a screen shows: an image, a short video, a PDF page (rendered to
an image when uploaded), a notice made from a template, or a live widget of this system's
data. It has a validity period, dayparts and weekdays, targets (screens, centres, regions or
the whole ward) and an approval by someone other than its author. ``Play`` is the
proof-of-play log the players report; ``Emergency`` a message that replaces every targeted
screen's content until it is lifted.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    IMAGE = "image", _("画像")
    VIDEO = "video", _("動画")
    PDF = "pdf", _("PDFのページ")
    NOTICE = "notice", _("お知らせ（テンプレート）")
    EVENTS = "events", _("地区の催し（次の予定）")
    WAITS = "waits", _("窓口の待ち時間")
    HOURS = "hours", _("きょうの相談受付時間")


MEDIA_KINDS = frozenset({Kind.IMAGE, Kind.VIDEO, Kind.PDF})
WIDGET_KINDS = frozenset({Kind.EVENTS, Kind.WAITS, Kind.HOURS})


class Status(models.TextChoices):
    PENDING = "pending", _("承認待ち")
    APPROVED = "approved", _("承認済み")
    REFUSED = "refused", _("差し戻し")
    WITHDRAWN = "withdrawn", _("掲載終了")


# Dayparts (時間帯): an item limited to some of them is shown only then; none = all day.
# (code, label, start, end) in Tokyo time; "night" runs over midnight.
DAYPARTS: list[tuple[str, str, dt.time, dt.time]] = [
    ("morning", _("朝（6時〜12時）"), dt.time(6), dt.time(12)),
    ("afternoon", _("昼（12時〜17時）"), dt.time(12), dt.time(17)),
    ("evening", _("夕方（17時〜22時）"), dt.time(17), dt.time(22)),
    ("night", _("夜間（22時〜6時）"), dt.time(22), dt.time(6)),
]
WEEKDAY_LABELS = [_("月"), _("火"), _("水"), _("木"), _("金"), _("土"), _("日")]


class Screen(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey("organisation.DistrictCentre", on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("まちづくりセンター"))
    name = models.CharField(_("画面の名前"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the player last reported (heartbeat).
    last_seen = models.DateTimeField(_("最終応答"), null=True, blank=True)
    current_item = models.ForeignKey("Item", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("表示中"))
    current_emergency = models.BooleanField(_("緊急表示中"), default=False)

    class Meta:
        ordering = ["centre", "name", "pk"]
        verbose_name = _("サイネージの画面")
        verbose_name_plural = _("サイネージの画面")

    def __str__(self) -> str:
        return self.name


class ScreenKey(models.Model):
    """The key of a screen's player. Only its SHA-256 is stored."""

    screen = models.ForeignKey(Screen, on_delete=models.CASCADE, related_name="keys")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["screen", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["screen"], condition=Q(revoked_at__isnull=True),
                                    name="signage_one_active_key_per_screen"),
        ]

    def __str__(self) -> str:
        return f"screen key {self.pk}"


class Item(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("題名"), max_length=80)
    body = models.TextField(_("本文"), max_length=400, blank=True)
    large = models.BooleanField(_("大きな文字"), default=False)
    qr_url = models.URLField(_("QRコードの行き先"), max_length=300, blank=True)
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    # A PDF item's page, rendered to PNG when it was uploaded (what the players show).
    rendering = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    pdf_page = models.PositiveSmallIntegerField(_("PDFのページ"), default=1)
    seconds = models.PositiveSmallIntegerField(_("表示秒数"), default=15)
    starts_at = models.DateTimeField(_("掲載開始"))
    ends_at = models.DateTimeField(_("掲載終了"))
    weekdays = models.CharField(_("曜日"), max_length=13, default="0,1,2,3,4,5,6")
    dayparts = models.CharField(_("時間帯"), max_length=40, blank=True)
    ward_wide = models.BooleanField(_("区全体"), default=False)
    regions = models.ManyToManyField("organisation.Region", blank=True, related_name="+")
    centres = models.ManyToManyField("organisation.DistrictCentre", blank=True,
                                     related_name="+")
    screens = models.ManyToManyField(Screen, blank=True, related_name="items")
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("差し戻しの理由"), max_length=300, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("サイネージの掲示物")
        verbose_name_plural = _("サイネージの掲示物")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="signage_item_period_order"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("author")),
                name="signage_item_four_eyes"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def weekday_set(self) -> set[int]:
        return {int(d) for d in self.weekdays.split(",") if d.strip().isdigit()}

    @property
    def daypart_codes(self) -> list[str]:
        return [c for c in self.dayparts.split(",") if c]


class Play(models.Model):
    """Proof of play: a screen reported that it started showing an item at ``started_at``
    (by the player's clock; reported later when it was offline)."""

    screen = models.ForeignKey(Screen, on_delete=models.CASCADE, related_name="plays")
    item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, related_name="plays")
    title = models.CharField(max_length=80)
    started_at = models.DateTimeField(db_index=True)
    reported_at = models.DateTimeField()
    failed = models.BooleanField(_("再生できず"), default=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["screen", "item", "started_at"],
                                    name="signage_play_once"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.started_at:%Y-%m-%d %H:%M:%S}"


class Emergency(models.Model):
    """A message that replaces the content of every screen of the ward or of one region."""

    class Source(models.TextChoices):
        STAFF = "staff", _("職員")
        DISASTER = "disaster", _("災害モード")

    region = models.ForeignKey("organisation.Region", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("地域"))
    message = models.CharField(_("緊急メッセージ"), max_length=200)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    reference = models.PositiveBigIntegerField(null=True, blank=True)  # the declaration
    # "ward" or "region:<id>": at most one active message per scope (the database says so);
    # the services refuse a region's message under an active ward-wide one (ADR 0043).
    scope_key = models.CharField(max_length=20, editable=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    started_at = models.DateTimeField()
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("緊急メッセージ")
        constraints = [
            models.UniqueConstraint(fields=["scope_key"], condition=Q(lifted_at__isnull=True),
                                    name="signage_one_active_emergency_per_scope"),
        ]

    def __str__(self) -> str:
        return self.message
