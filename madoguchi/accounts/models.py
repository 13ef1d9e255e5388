"""Staff accounts, their roles and the organisational units they belong to."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.models import Section, Tier


class Role(models.TextChoices):
    DISTRICT_STAFF = "district_staff", _("まちづくりセンター職員")
    CENTRE_HEAD = "centre_head", _("まちづくりセンター所長")
    SECTION_STAFF = "section_staff", _("所管課職員")
    SECTION_MANAGER = "section_manager", _("所管課管理職")
    PARTNER_STAFF = "partner_staff", _("連携機関職員")
    WARD_ADMIN = "ward_admin", _("区システム管理者")
    AUDITOR = "auditor", _("監査担当")


# Which tiers of unit a role may be attached to; ward-wide roles have no unit.
ROLE_UNIT_TIERS: dict[str, set[str] | None] = {
    Role.DISTRICT_STAFF: {Tier.DISTRICT},
    Role.CENTRE_HEAD: {Tier.DISTRICT},
    Role.SECTION_STAFF: {Tier.HEAD, Tier.BRANCH},
    Role.SECTION_MANAGER: {Tier.HEAD, Tier.BRANCH},
    Role.PARTNER_STAFF: {Tier.PARTNER, Tier.SPECIALIST},
    Role.WARD_ADMIN: None,
    Role.AUDITOR: None,
}


class User(AbstractUser):
    """A staff member. Residents do not log in here."""

    display_name = models.CharField(_("表示名"), max_length=80, blank=True)
    preferred_language = models.CharField(_("表示言語"), max_length=8, default="ja",
                                          choices=[("ja", "日本語"), ("en", "English")])

    class Meta:
        verbose_name = _("職員")
        verbose_name_plural = _("職員")

    def __str__(self) -> str:
        return self.display_name or self.username


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, at=None) -> MembershipQuerySet:
        today = timezone.localdate(at) if at else timezone.localdate()
        return self.filter(valid_from__lte=today).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today)
        )


class Membership(models.Model):
    """A staff member's role in an organisational unit over a period (人事異動 end one)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("職員"))
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="memberships", verbose_name=_("所属"))
    valid_from = models.DateField(_("開始日"), default=timezone.localdate)
    valid_until = models.DateField(_("終了日"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="membership_period_order",
            ),
        ]
        verbose_name = _("所属・役割")
        verbose_name_plural = _("所属・役割")

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.unit or ''}".strip()
