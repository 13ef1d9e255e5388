"""Residents' own bookings of an online consultation (ADR 0049).

``SectionSetting``: whether a section takes consultations residents book themselves, and
the identity level a login must have (an e-mail link, or the My Number Card). ``SelfBooking``:
which portal identity booked which consultation, the address the confirmation goes to and
the digest of the link that manages the booking without logging in. The consultation, its
booking and its status stay in consultations and scheduling; nothing is copied here.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The portal identity levels a section may ask for (the portal's codes)."""

    EMAIL = "email", _("メールで受け取るリンク（メールアドレスの確認）")
    STRONG = "strong", _("マイナンバーカードによる本人確認")


class SectionSetting(models.Model):
    section = models.OneToOneField("organisation.Section", on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("課・機関"))
    enabled = models.BooleanField(_("区民からのオンライン予約を受け付ける"), default=False)
    level = models.CharField(_("予約に必要な本人確認"), max_length=8, choices=Level.choices,
                             default=Level.STRONG)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("オンライン予約の設定")
        verbose_name_plural = _("オンライン予約の設定")

    def __str__(self) -> str:
        return f"オンライン予約の設定 {self.section_id}"


class SelfBooking(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    identity = models.ForeignKey("portal.PortalIdentity", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("区民のログインID"))
    consultation = models.OneToOneField("consultations.Consultation",
                                        on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("相談"))
    email = models.EmailField(_("連絡先のメールアドレス"))
    idempotency_key = models.CharField(max_length=64, editable=False)
    manage_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["identity", "idempotency_key"],
                                    name="selfbook_one_booking_per_submission"),
            models.UniqueConstraint(fields=["manage_digest"], condition=~models.Q(manage_digest=""),
                                    name="selfbook_manage_digest_unique"),
        ]
        verbose_name = _("区民によるオンライン予約")
        verbose_name_plural = _("区民によるオンライン予約")

    def __str__(self) -> str:
        return f"オンライン予約 {self.public_id}"
