"""避難行動要支援者名簿 (災害対策基本法 第49条の10): the registry and its supporters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.models import District


class SupportReason(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", _("一人暮らしの高齢者")
    ELDERLY_ONLY = "elderly_only", _("高齢者のみの世帯")
    CARE_LEVEL = "care_level", _("要介護認定を受けている")
    DISABILITY = "disability", _("障害者手帳を持っている")
    INTRACTABLE = "intractable", _("難病の方")
    INFANT = "infant", _("乳幼児")
    PREGNANT = "pregnant", _("妊産婦")
    FOREIGN = "foreign", _("日本語での情報入手が難しい外国人")
    OTHER = "other", _("その他（支援が必要と認める方）")


class Sex(models.TextChoices):
    FEMALE = "female", _("女")
    MALE = "male", _("男")
    UNSTATED = "unstated", _("記載なし")


class SupporterKind(models.TextChoices):
    MINSEI = "minsei", _("民生委員・児童委員")
    CHOKAI = "chokai", _("町会・自治会の防災担当")
    OTHER = "other", _("その他の避難支援等関係者")


class Supporter(models.Model):
    """A named supporter (避難支援等関係者) of one district; ``user`` is the account they
    sign in with (partner staff), if any."""

    name = models.CharField(_("氏名"), max_length=80)
    kind = models.CharField(_("種別"), max_length=8, choices=SupporterKind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("担当地区"))
    phone = models.CharField(_("電話番号"), max_length=20)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                null=True, blank=True, related_name="disaster_supporter")

    class Meta:
        ordering = ["district_id", "name"]
        verbose_name = _("避難支援等関係者")
        verbose_name_plural = _("避難支援等関係者")

    def __str__(self) -> str:
        return self.name


class RegistryEntry(models.Model):
    """One person on the 避難行動要支援者名簿. Name, birth date, address and contact come from
    the resident record (people); sex and the reason help is needed are kept here."""

    resident = models.OneToOneField("people.Resident", on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("区民"))
    sex = models.CharField(_("性別"), max_length=8, choices=Sex.choices)
    reasons = models.JSONField(_("避難支援等を必要とする事由"), default=list)
    reason_note = models.CharField(_("事由の詳細"), max_length=200, blank=True)
    contact_note = models.CharField(_("その他の連絡先（家族など）"), max_length=120,
                                    blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["resident__kana_key"]
        verbose_name = _("避難行動要支援者")
        verbose_name_plural = _("避難行動要支援者名簿")

    def __str__(self) -> str:
        return f"registry entry {self.pk}"  # no personal data in logs
