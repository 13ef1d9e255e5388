"""Circulars (回覧板): the groups' households, the circulars posted by a centre or a group,
their attachments and each household's receipt (read online or confirmed on paper)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from madoguchi.community.models.groups import Group
from madoguchi.organisation.models import District


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
