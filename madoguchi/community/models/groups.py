"""The community's registered groups (町会・自治会, 地区社協, NPO, circles), their contacts
(personal data) and the contacts' one-time login links."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.models import District, DistrictCentre


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
