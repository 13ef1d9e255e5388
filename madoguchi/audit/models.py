"""The append-only audit trail of personal-data access.

Rows are only ever inserted. The model refuses updates and deletes, and the database
refuses them too (triggers installed by migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.appendonly import AppendOnlyError, AppendOnlyModel  # noqa: F401 (re-exported)


class Action(models.TextChoices):
    VIEW = "view", _("閲覧")
    LIST = "list", _("一覧表示")
    CREATE = "create", _("登録")
    UPDATE = "update", _("変更")
    CONSENT_GIVE = "consent_give", _("同意の記録")
    CONSENT_WITHDRAW = "consent_withdraw", _("同意の撤回")
    EXPORT = "export", _("出力")
    DENIED = "denied", _("アクセス拒否")


class AuditEntry(AppendOnlyModel):
    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    # A staff member, or (actor empty) a resident logged in to the portal, named by the
    # public id of their portal identity only.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", null=True, blank=True,
                              verbose_name=_("職員"))
    portal_ref = models.CharField(_("区民ポータルの利用者ID"), max_length=64, blank=True)
    actor_role = models.CharField(_("役割"), max_length=20, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    record_type = models.CharField(_("記録の種類"), max_length=40)
    record_id = models.CharField(_("記録ID"), max_length=64, db_index=True)
    resident_ref = models.CharField(_("区民ID"), max_length=64, db_index=True, blank=True)
    source = models.CharField(_("画面・API"), max_length=120)
    fields = models.JSONField(_("項目"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # Keyset pages on (at, id), newest first, with or without a filter (ADR 0026).
        indexes = [models.Index(fields=["actor", "at"]),
                   models.Index(fields=["at", "id"], name="audit_at_id"),
                   models.Index(fields=["actor", "action", "at"], name="audit_actor_action_at"),
                   models.Index(fields=["action", "at"], name="audit_action_at"),
                   models.Index(fields=["record_type", "at"], name="audit_record_type_at"),
                   models.Index(fields=["resident_ref", "at"], name="audit_resident_at")]
        constraints = [models.CheckConstraint(
            condition=models.Q(actor__isnull=False) | ~models.Q(portal_ref=""),
            name="audit_entry_has_actor")]
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.record_type}#{self.record_id}"


    @property
    def actor_role_label(self) -> str:
        from madoguchi.accounts.models import Role

        return str(Role(self.actor_role).label) if self.actor_role in Role.values else ""

    @property
    def actor_id_text(self) -> str:
        """The staff ID, or the resident's portal ID."""
        return self.actor.username if self.actor_id else f"portal:{self.portal_ref}"

    @property
    def actor_text(self) -> str:
        return str(self.actor) if self.actor_id else str(_("区民（ポータル）"))
