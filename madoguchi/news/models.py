"""District news (ADR 0044): posts, newsletter subscribers, the LINE outbox and inbox."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from madoguchi.core.appendonly import AppendOnlyModel
from madoguchi.core.language import english_or
from madoguchi.organisation.models import District


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("承認待ち")
    PUBLISHED = "published", _("公開中")
    WITHDRAWN = "withdrawn", _("取り下げ")


class Post(models.Model):
    """One news post of a district, or of the whole ward (``district`` empty)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("地区"))
    title = models.CharField(_("題名"), max_length=120)
    body = models.TextField(_("本文"))
    title_easy = models.CharField(_("題名（やさしい日本語）"), max_length=120, blank=True)
    body_easy = models.TextField(_("本文（やさしい日本語）"), blank=True)
    title_en = models.CharField(_("題名（英語）"), max_length=200, blank=True)
    body_en = models.TextField(_("本文（英語）"), blank=True)
    image = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("画像"))
    image_alt = models.CharField(_("画像の説明"), max_length=200, blank=True)
    send_mail = models.BooleanField(_("メールで配信する"), default=True)
    send_line = models.BooleanField(_("LINEで配信する"), default=True)
    status = models.CharField(_("状態"), max_length=12, choices=PostStatus.choices,
                              default=PostStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("作成者"))
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    submitted_at = models.DateTimeField(_("承認依頼日時"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("承認者"))
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("取り下げ日時"), null=True, blank=True)
    returned_reason = models.CharField(_("差し戻しの理由"), max_length=400, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("地区のお知らせ")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False,
                                                     published_by__isnull=False),
                name="news_post_published_has_approver"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ward_wide(self) -> bool:
        return self.district_id is None

    def shown_title(self) -> str:
        return english_or(self.title, self.title_en or self.title)

    def shown_body(self) -> str:
        return english_or(self.body, self.body_en or self.body)


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("確認待ち")
    ACTIVE = "active", _("配信中")
    UNSUBSCRIBED = "unsubscribed", _("配信停止")
    BOUNCED = "bounced", _("不達のため停止")


class Subscriber(models.Model):
    """A resident's e-mail address subscribed to one district's news (or the ward's)."""

    email = models.EmailField(_("メールアドレス"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("地区"))
    language = models.CharField(_("言語"), max_length=8, default="ja")
    status = models.CharField(_("状態"), max_length=14, choices=SubscriberStatus.choices,
                              default=SubscriberStatus.PENDING)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    confirm_sent_at = models.DateTimeField(_("確認メールの送信日時"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("停止日時"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("不達日時"), null=True, blank=True)
    bounce_post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("不達になったお知らせ"))

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["email", "district"], name="news_subscriber_once"),
            models.UniqueConstraint(fields=["email"], condition=Q(district__isnull=True),
                                    name="news_subscriber_ward_once"),
        ]

    def __str__(self) -> str:
        return f"subscriber {self.pk}"  # no address: this may be logged


class LineKind(models.TextChoices):
    BROADCAST = "broadcast", _("全員に配信")
    NARROWCAST = "narrowcast", _("対象を絞って配信")
    PUSH = "push", _("個別に送信")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("送信待ち")
    DELIVERED = "delivered", _("送信済み")
    FAILED = "failed", _("送信できませんでした")


class LineAudience(models.Model):
    """The LINE audience (オーディエンス) a district's narrowcasts go to."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("地区"))
    audience_group_id = models.BigIntegerField(_("オーディエンスID"))

    def __str__(self) -> str:
        return f"{self.district_id}: {self.audience_group_id}"


class LineAudienceChange(AppendOnlyModel):
    """The trail of a district's audience id: who set it (or removed it), when, from what
    to what. Append-only (the database refuses changes)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("地区"))
    old_id = models.BigIntegerField(_("変更前のオーディエンスID"), null=True, blank=True)
    new_id = models.BigIntegerField(_("変更後のオーディエンスID"), null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("変更した職員"))
    changed_at = models.DateTimeField(_("変更日時"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.district_id}: {self.old_id} -> {self.new_id}"


class OutboxMessage(models.Model):
    """One outgoing LINE message: sent by the task worker (``news.tasks.outbox_send``)
    with retries and backoff, always under its own ``retry_key`` (X-Line-Retry-Key), so a
    retry after a lost answer is refused by LINE (409) instead of sent twice."""

    retry_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    post = models.ForeignKey(Post, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="outbox", verbose_name=_("お知らせ"))
    kind = models.CharField(_("配信の種類"), max_length=12, choices=LineKind.choices)
    target = models.CharField(_("宛先"), max_length=80, blank=True)
    text = models.TextField(_("本文"))
    # The post's public image (https), sent after the text as a LINE image message.
    image_url = models.URLField(_("画像のURL"), max_length=500, blank=True)
    status = models.CharField(_("状態"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("試行回数"), default=0)
    next_attempt_at = models.DateTimeField(_("次の試行"), db_index=True)
    claim = models.UUIDField(null=True, blank=True, db_index=True)
    last_error = models.CharField(_("最後のエラー"), max_length=120, blank=True)
    request_id = models.CharField(_("LINEの受付ID"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("送信日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"],
                                name="news_outbox_due")]

    def __str__(self) -> str:
        return f"LINE {self.kind} {self.retry_key}"


class InboxMessage(models.Model):
    """A text message a LINE user sent to the ward's account (signature checked)."""

    event_id = models.CharField(_("イベントID"), max_length=80, unique=True)
    line_user = models.CharField(_("LINEのユーザーID"), max_length=80)
    text = models.TextField(_("本文"))
    sent_at = models.DateTimeField(_("送信日時"))
    received_at = models.DateTimeField(_("受信日時"), auto_now_add=True)
    handled_by = models.JSONField(_("受け取った処理"), default=list, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"LINE message {self.event_id}"
