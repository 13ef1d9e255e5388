"""Video rooms: one room per booking, one-time links for participants without a staff login,
and who is (or was) in the room.

No personal data in ``__str__`` (it reaches logs): rooms and links are named by their ids.
Link tokens are never stored, only their SHA-256; the same for the device key that binds a
link to the first browser that opened it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RoomStatus(models.TextChoices):
    OPEN = "open", _("開始前")
    LIVE = "live", _("通話中")
    ENDED = "ended", _("終了")


class Room(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    booking = models.OneToOneField("scheduling.Booking", on_delete=models.PROTECT,
                                   related_name="room", verbose_name=_("予約"))
    status = models.CharField(_("状態"), max_length=8, choices=RoomStatus.choices,
                              default=RoomStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    ended_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("終了した職員"))

    class Meta:
        verbose_name = _("ビデオ相談の部屋")
        verbose_name_plural = _("ビデオ相談の部屋")

    def __str__(self) -> str:
        return f"部屋 {self.public_id}"

    @property
    def group(self) -> str:
        """Channel-layer group name of the peers in the call."""
        return f"meet.{self.public_id.hex}"

    @property
    def everyone_group(self) -> str:
        """Channel-layer group name of every connection in the room (lobby and call)."""
        return f"{self.group}.all"


class RoomAccess(models.Model):
    """A one-time link for one participant (resident at home, outside participant)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="accesses",
                             verbose_name=_("部屋"))
    participant = models.ForeignKey("scheduling.Participant", on_delete=models.CASCADE,
                                    related_name="+", verbose_name=_("参加者"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("有効期限"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("発行した職員"))
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("取り消した職員"))
    device_hash = models.CharField(max_length=64, blank=True, editable=False)
    bound_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["room", "pk"]
        verbose_name = _("参加用リンク")
        verbose_name_plural = _("参加用リンク")

    def __str__(self) -> str:
        return f"参加用リンク {self.pk}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at


class AttendanceState(models.TextChoices):
    WAITING = "waiting", _("待合室")
    ADMITTED = "admitted", _("参加中")
    REFUSED = "refused", _("入室を断った")
    REMOVED = "removed", _("退室させた")
    LEFT = "left", _("退室")
    DROPPED = "dropped", _("接続が切れた")


class Attendance(models.Model):
    """One WebSocket connection in a room: who, which peer id, lobby/call state.

    Kept in the database (not in process memory) so that several ASGI workers sharing the
    Redis channel layer see the same lobby.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="attendances")
    peer = models.CharField(max_length=32, unique=True)
    channel_name = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    participant = models.ForeignKey("scheduling.Participant", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    access = models.ForeignKey(RoomAccess, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    is_host = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=AttendanceState.choices,
                             default=AttendanceState.WAITING)
    joined_at = models.DateTimeField(auto_now_add=True)
    admitted_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # The connection's last sign of life (its keep-alive pings): an open attendance not
    # seen for services.ATTENDANCE_TTL is a connection that died unnoticed (ADR 0025).
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["room", "joined_at", "pk"]
        indexes = [models.Index(fields=["room", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | Q(participant__isnull=False),
                                   name="attendance_has_identity"),
        ]

    def __str__(self) -> str:
        return f"参加 {self.peer}"


class BoothKiosk(models.Model):
    """The key of a booth's tablet (kiosk mode). Only the key's SHA-256 is stored; issuing a
    new key for the booth revokes the earlier one."""

    booth = models.ForeignKey("organisation.Booth", on_delete=models.CASCADE,
                              related_name="+", verbose_name=_("相談ブース"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("発行した職員"))
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("取り消した職員"))

    class Meta:
        ordering = ["booth", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["booth"], condition=Q(revoked_at__isnull=True),
                                    name="kiosk_one_active_key_per_booth"),
        ]
        verbose_name = _("ブース端末の鍵")
        verbose_name_plural = _("ブース端末の鍵")

    def __str__(self) -> str:
        return f"ブース端末 {self.pk}"


class KioskConsent(models.Model):
    """The resident's consent to one call, given on the booth's tablet before entering.

    ``consent`` is the resident's active consent to online consultation: the one the kiosk
    recorded (method 画面で同意), or the one already on record when there was one.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="kiosk_consents")
    kiosk = models.ForeignKey(BoothKiosk, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey("scheduling.Participant", on_delete=models.PROTECT,
                                    related_name="+")
    consent = models.ForeignKey("people.Consent", on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["room", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["room", "participant"],
                                    name="kiosk_consent_once_per_call"),
        ]

    def __str__(self) -> str:
        return f"ブース端末での同意 {self.pk}"


# ── recording (madoguchi/meetings/recording_services.py; ADR 0012) ────────────────────────

class SectionRecording(models.Model):
    """Whether a section records video calls at all (no row: it does not). Set by the
    section's manager or a ward administrator; a host still switches recording on for
    each call, and only with everyone's consent."""

    section = models.OneToOneField("organisation.Section", on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("課"))
    allowed = models.BooleanField(_("ビデオ相談の録画を認める"), default=False)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("変更した職員"))

    class Meta:
        verbose_name = _("課の録画設定")
        verbose_name_plural = _("課の録画設定")

    def __str__(self) -> str:
        return f"録画設定 {self.section_id}"


class RecordingConsentMethod(models.TextChoices):
    SCREEN = "screen", _("画面で回答")
    VERBAL = "verbal", _("口頭で確認（職員が記録）")


class RecordingConsent(models.Model):
    """One answer to "may this call be recorded?" for one room, by one person: a staff
    login (``user``) or a booking participant without one (``participant``: a resident or
    an outside participant). Rows are only added; the latest answer of a person counts, so
    a change of mind stays visible. ``recorded_by`` is the staff member who recorded it: the
    person themself, or the host who heard a resident's spoken consent (method verbal);
    empty when a link holder answered on their own screen."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="recording_consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    participant = models.ForeignKey("scheduling.Participant", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    agreed = models.BooleanField(_("録画に同意"))
    method = models.CharField(_("確認方法"), max_length=8,
                              choices=RecordingConsentMethod.choices)
    given_at = models.DateTimeField(_("回答日時"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("記録した職員"))

    class Meta:
        ordering = ["room", "given_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False, participant__isnull=True)
                           | Q(user__isnull=True, participant__isnull=False)),
                name="recording_consent_one_identity"),
        ]

    def __str__(self) -> str:
        return f"録画への回答 {self.pk}"


class RecordingStatus(models.TextChoices):
    RECORDING = "recording", _("録画中")
    STOPPED = "stopped", _("録画済み")
    DELETED = "deleted", _("削除済み")


class RecordingStopReason(models.TextChoices):
    HOST = "host", _("職員が停止")
    CONSENT = "consent", _("同意のない参加者が入室（または同意を取り消し）")
    RECORDER_LEFT = "left", _("録画していた職員が退室")
    ENDED = "ended", _("通話の終了")
    ABANDONED = "abandoned", _("録画の送信が途絶えた")


class Recording(models.Model):
    """One recording of a call: encrypted pieces in ``MEETINGS_RECORDING_DIR/file_name``
    (madoguchi/meetings/recording.py). The row stays after the file is deleted (by staff or
    the retention sweep), as a record that the recording existed and when it went."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="recordings")
    status = models.CharField(_("状態"), max_length=10, choices=RecordingStatus.choices,
                              default=RecordingStatus.RECORDING)
    started_at = models.DateTimeField(_("開始日時"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("録画した職員"))
    recorder_peer = models.CharField(max_length=32)  # the host's connection that records
    stopped_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    stop_reason = models.CharField(_("終了の理由"), max_length=10, blank=True,
                                   choices=RecordingStopReason.choices)
    file_name = models.CharField(max_length=120, editable=False)
    pieces = models.PositiveIntegerField(default=0)  # pieces appended (the next index)
    length = models.PositiveBigIntegerField(default=0)  # valid bytes of the file on disk
    size = models.PositiveBigIntegerField(_("大きさ"), default=0)  # plaintext bytes
    last_piece_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(_("削除日時"), null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("削除した職員"))

    class Meta:
        ordering = ["room", "started_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["room"], condition=Q(status="recording"),
                                    name="recording_one_active_per_room"),
        ]
        verbose_name = _("録画")
        verbose_name_plural = _("録画")

    def __str__(self) -> str:
        return f"録画 {self.public_id}"
