"""What the section did (the outcome) and the follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.consultations.models.consultation import Consultation
from madoguchi.organisation.models import Section


class Result(models.TextChoices):
    EXPLAINED = "explained", _("説明した")
    PROCEDURE = "procedure", _("手続きを案内した")
    APPLICATION = "application", _("申請を受け付けた")
    REFERRED = "referred", _("他機関を紹介した")
    HOME_VISIT = "home_visit", _("訪問を調整した")
    NO_ACTION = "no_action", _("対応不要")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("満足")
    NEUTRAL = "neutral", _("ふつう")
    DISSATISFIED = "dissatisfied", _("不満")
    UNKNOWN = "unknown", _("未回答")


class Outcome(models.Model):
    """What the section did. ``summary`` is the section's internal note: shown to the
    section only; the centre sees result, referral, satisfaction and follow-ups."""

    consultation = models.OneToOneField(Consultation, on_delete=models.PROTECT,
                                        related_name="outcome")
    result = models.CharField(_("対応結果"), max_length=16, choices=Result.choices)
    referred_to = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("紹介先"))
    summary = models.TextField(_("対応の記録（所管課内）"), blank=True)
    satisfied = models.CharField(_("区民の満足度"), max_length=14,
                                 choices=Satisfaction.choices, default=Satisfaction.UNKNOWN)
    duration_minutes = models.PositiveSmallIntegerField(_("相談時間（分）"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("記録者"))
    recorded_at = models.DateTimeField(_("記録日時"))

    class Meta:
        verbose_name = _("対応結果")
        verbose_name_plural = _("対応結果")

    def __str__(self) -> str:
        return str(self.get_result_display())


class FollowUp(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT,
                                     related_name="followups")
    task = models.CharField(_("やること"), max_length=200)
    due_date = models.DateField(_("期限"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="consultation_followups", verbose_name=_("担当者"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("登録者"))
    created_at = models.DateTimeField(_("登録日時"))
    done_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("完了の記録者"))

    class Meta:
        ordering = ["done_at", "due_date", "pk"]
        verbose_name = _("フォローアップ")
        verbose_name_plural = _("フォローアップ")

    def __str__(self) -> str:
        return f"フォローアップ {self.pk}"
