"""Residents' own identities on the portal: never staff users.

An identity is one way a resident proved who they are: an e-mail address they showed they
can read (one-time link), or an account at an OpenID Connect provider (issuer + subject),
such as a My Number Card login. Tokens are never stored, only their SHA-256 (the pattern of
madoguchi/meetings: ``core.tokens.digest``). No personal data in ``__str__`` (it
reaches logs).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """How strongly a login proved who the resident is; ordered weakest first. The same
    codes as a procedure version's ``identity`` (none / email / strong)."""

    NONE = "none", _("本人確認なし")
    EMAIL = "email", _("メールアドレスの確認")
    STRONG = "strong", _("マイナンバーカード等による本人確認")

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    def satisfies(self, needed: str) -> bool:
        return self.rank >= Level(needed).rank


class Method(models.TextChoices):
    EMAIL = "email", _("メールのワンタイムリンク")
    OIDC = "oidc", _("OpenID Connect")


class PortalIdentity(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    method = models.CharField(_("確認の方法"), max_length=8, choices=Method.choices)
    level = models.CharField(_("本人確認の強さ"), max_length=8, choices=Level.choices)
    email = models.EmailField(_("メールアドレス"), blank=True)
    issuer = models.CharField(_("ID提供者"), max_length=255, blank=True)
    subject = models.CharField(_("ID提供者での識別子"), max_length=255, blank=True)
    display_name = models.CharField(_("氏名（ID提供者から）"), max_length=120, blank=True)
    # The birth date the provider verified (a My Number Card's 基本4情報), kept to link the
    # applications made for this resident at the centre or the counter (ADR 0027).
    birth_date = models.DateField(_("生年月日（ID提供者から）"), null=True, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("最終ログイン"), null=True, blank=True)

    class Meta:
        verbose_name = _("区民のログインID")
        verbose_name_plural = _("区民のログインID")
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=Q(method="email"),
                                    name="portal_one_identity_per_email"),
            models.UniqueConstraint(fields=["issuer", "subject"], condition=Q(method="oidc"),
                                    name="portal_one_identity_per_oidc_subject"),
            models.CheckConstraint(
                condition=(Q(method="email") & ~Q(email="") & Q(issuer="") & Q(subject=""))
                | (Q(method="oidc") & ~Q(issuer="") & ~Q(subject="")),
                name="portal_identity_credential_matches_method"),
        ]

    def __str__(self) -> str:
        return f"区民ID {self.public_id}"


class EmailLoginLink(models.Model):
    """A one-time login link mailed to an address. Its token is made by the mail task
    (so it is never stored, not even in the task queue); only its SHA-256 is kept."""

    email = models.EmailField(_("メールアドレス"))
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    next_path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"))
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["token_hash"]), models.Index(fields=["email"])]
        constraints = [
            models.UniqueConstraint(fields=["token_hash"], condition=~Q(token_hash=""),
                                    name="portal_login_token_unique"),
        ]

    def __str__(self) -> str:
        return f"ログイン用リンク {self.pk}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and bool(self.token_hash) and now < self.expires_at


class Throttle(models.Model):
    """How often something was asked for in a fixed time window. ``key`` is a keyed hash
    of what is counted (an e-mail address, an IP address), never the value itself."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"],
                                               name="portal_throttle_one_row_per_window")]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"回数制限 {self.pk}"


class LinkCode(models.Model):
    """A short one-time code the portal shows a resident with a verified identity; the
    centre's clerk enters it, with the resident present, to link an application made at
    the centre to this identity. Only its keyed digest is stored."""

    identity = models.ForeignKey(PortalIdentity, on_delete=models.CASCADE,
                                 related_name="link_codes", verbose_name=_("区民のログインID"))
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"))
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ひも付けの確認コード")
        verbose_name_plural = _("ひも付けの確認コード")

    def __str__(self) -> str:
        return f"確認コード {self.pk}"
