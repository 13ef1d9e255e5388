"""Residents (区民), their contact data, needs and consents.

Personal data here may include 要配慮個人情報; every read and write goes through
people.services / people.selectors, which write the audit trail.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.models import District

NOTES_MAX = 2000  # 配慮事項・メモ: a few paragraphs; the services refuse longer text


class Language(models.TextChoices):
    JA = "ja", _("日本語")
    EASY_JA = "ja-easy", _("やさしい日本語")
    EN = "en", _("英語")
    ZH = "zh", _("中国語")
    KO = "ko", _("韓国語")
    VI = "vi", _("ベトナム語")
    NE = "ne", _("ネパール語")
    TL = "tl", _("タガログ語")
    OTHER = "other", _("その他")


class Relationship(models.TextChoices):
    """続柄: how a resident is related to the head of their household (世帯主)."""

    HEAD = "head", _("世帯主")
    SPOUSE = "spouse", _("配偶者（妻・夫）")
    CHILD = "child", _("子")
    PARENT = "parent", _("父母")
    GRANDPARENT = "grandparent", _("祖父母")
    GRANDCHILD = "grandchild", _("孫")
    SIBLING = "sibling", _("兄弟姉妹")
    OTHER = "other", _("その他")


class Resident(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family_name = models.CharField(_("氏"), max_length=40)
    given_name = models.CharField(_("名"), max_length=40, blank=True)
    family_name_kana = models.CharField(_("氏（フリガナ）"), max_length=60)
    given_name_kana = models.CharField(_("名（フリガナ）"), max_length=60, blank=True)
    # Normalised search keys (see core.text): no spaces, width- and kana-folded.
    name_key = models.CharField(max_length=100, db_index=True, editable=False)
    kana_key = models.CharField(max_length=140, db_index=True, editable=False)
    birth_date = models.DateField(_("生年月日"))
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=200)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="residents",
                                 verbose_name=_("地区"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    # 世帯: residents with the same household code live in one household (住民票の世帯).
    household_code = models.CharField(_("世帯番号"), max_length=20, blank=True, db_index=True)
    relationship = models.CharField(_("続柄"), max_length=12, choices=Relationship.choices,
                                    blank=True)
    preferred_language = models.CharField(_("希望する言語"), max_length=8,
                                          choices=Language.choices, default=Language.JA)
    needs_interpreter = models.BooleanField(_("通訳が必要"), default=False)
    needs_sign_language = models.BooleanField(_("手話通訳が必要"), default=False)
    needs_wheelchair = models.BooleanField(_("車いすを使用"), default=False)
    needs_hearing_support = models.BooleanField(_("聞こえの配慮が必要"), default=False)
    notes = models.TextField(_("配慮事項・メモ"), blank=True, max_length=NOTES_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True)

    class Meta:
        ordering = ["kana_key", "birth_date"]
        # Search by birth date; name and kana are served by trigram indexes on PostgreSQL
        # (migration 0003, ADR 0026).
        indexes = [models.Index(fields=["birth_date"], name="resident_birth_date")]
        constraints = [
            models.UniqueConstraint(fields=["kana_key", "birth_date"],
                                    name="resident_unique_kana_birth"),
        ]
        verbose_name = _("区民")
        verbose_name_plural = _("区民")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.family_name}　{self.given_name}".strip("　")

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana}　{self.given_name_kana}".strip("　")

    @property
    def needs(self) -> list[str]:
        labels = []
        for field in ("needs_interpreter", "needs_sign_language", "needs_wheelchair",
                      "needs_hearing_support"):
            if getattr(self, field):
                labels.append(str(self._meta.get_field(field).verbose_name))
        return labels


class ConsentPurpose(models.TextChoices):
    DATA_PROCESSING = "data_processing", _("相談記録の作成・保管")
    ONLINE_CONSULTATION = "online_consultation", _("オンライン相談の実施")
    SHARE_WITH_SECTION = "share_with_section", _("相談記録の所管課・関係機関との共有")
    CONTACT_BY_EMAIL = "contact_by_email", _("メールでの連絡")


class ConsentMethod(models.TextChoices):
    ORAL = "oral", _("口頭で確認")
    WRITTEN = "written", _("書面に署名")
    SCREEN = "screen", _("画面で同意")


class Consent(models.Model):
    """A consent given by a resident: a recorded fact, withdrawn but never deleted."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("目的"), max_length=32, choices=ConsentPurpose.choices)
    method = models.CharField(_("確認方法"), max_length=12, choices=ConsentMethod.choices,
                              default=ConsentMethod.ORAL)
    given_at = models.DateTimeField(_("同意日時"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("記録者"))
    withdrawn_at = models.DateTimeField(_("撤回日時"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", null=True, blank=True,
                                     verbose_name=_("撤回の記録者"))
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            # At most one active consent per purpose.
            models.UniqueConstraint(fields=["resident", "purpose"],
                                    condition=models.Q(withdrawn_at__isnull=True),
                                    name="consent_one_active_per_purpose"),
        ]
        verbose_name = _("同意")
        verbose_name_plural = _("同意")

    def __str__(self) -> str:
        return str(self.get_purpose_display())

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
