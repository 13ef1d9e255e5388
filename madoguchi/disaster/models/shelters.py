"""Shelters (避難所): reference data, their opening status and what is reported from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.models import District


class ShelterKind(models.TextChoices):
    DESIGNATED = "designated", _("指定避難所")
    WELFARE = "welfare", _("福祉避難所")


class ShelterStatus(models.TextChoices):
    CLOSED = "closed", _("未開設")
    OPENING = "opening", _("開設準備中")
    OPEN = "open", _("開設中")
    FULL = "full", _("満員")
    RECLOSED = "reclosed", _("閉鎖")


class Pets(models.TextChoices):
    NO = "no", _("ペット不可")
    SEPARATE = "separate", _("ペット同行可（別室・屋外で飼育）")
    TOGETHER = "together", _("ペット同伴可")


class OccupancyCategory(models.TextChoices):
    GENERAL = "general", _("一般")
    ELDERLY = "elderly", _("高齢者")
    DISABLED = "disabled", _("障害のある方")
    INFANT = "infant", _("乳幼児")
    PREGNANT = "pregnant", _("妊産婦")
    FOREIGN = "foreign", _("外国人")


class Need(models.TextChoices):
    WATER = "water", _("飲料水")
    FOOD = "food", _("食料")
    BLANKETS = "blankets", _("毛布")
    MEDICINE = "medicine", _("医薬品")
    TOILETS = "toilets", _("簡易トイレ")
    MILK = "milk", _("粉ミルク・おむつ")
    STAFF = "staff", _("応援職員")


class Shelter(models.Model):
    """A shelter of the ward. ``source`` says where the row came from (the GSI list of the
    ward's 指定避難所, or demo data); rows are never made up in the ward's reference data.
    No district = 地区未確認 (run by ward administrators only); no capacity = 収容人数未登録:
    the published data does not say, and nothing is guessed."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    gsi_id = models.CharField(_("国土地理院の共通ID"), max_length=20, blank=True, default="")
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("種別"), max_length=12, choices=ShelterKind.choices,
                            default=ShelterKind.DESIGNATED)
    address = models.CharField(_("所在地"), max_length=120)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 null=True, blank=True, verbose_name=_("地区"))
    capacity = models.PositiveIntegerField(_("収容人数"), null=True, blank=True)
    lat = models.DecimalField(_("緯度"), max_digits=8, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("経度"), max_digits=9, decimal_places=6, null=True, blank=True)
    step_free = models.BooleanField(_("段差なし（車いす可）"), default=False)
    accessible_toilet = models.BooleanField(_("だれでもトイレ"), default=False)
    pets = models.CharField(_("ペット"), max_length=12, choices=Pets.choices, default=Pets.NO)
    source = models.CharField(_("出典"), max_length=200)
    status = models.CharField(_("開設状況"), max_length=12, choices=ShelterStatus.choices,
                              default=ShelterStatus.CLOSED)
    status_changed_at = models.DateTimeField(_("状況の更新日時"), null=True, blank=True)
    needs = models.JSONField(_("不足している物資"), default=list, blank=True)
    needs_note = models.CharField(_("その他の不足"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("報告日時"), null=True, blank=True)

    class Meta:
        ordering = [F("district__region__sort_order").asc(nulls_last=True),
                    F("district__sort_order").asc(nulls_last=True), "name"]
        constraints = [models.UniqueConstraint(fields=["gsi_id"], condition=~Q(gsi_id=""),
                                               name="disaster_shelter_gsi_id_unique")]
        verbose_name = _("避難所")
        verbose_name_plural = _("避難所")

    def __str__(self) -> str:
        return self.name

    def is_over(self, total: int) -> bool:
        """Whether ``total`` evacuees exceed the capacity (never when it is not known)."""
        return self.capacity is not None and total > self.capacity


class Occupancy(models.Model):
    """The current count of one category of evacuees in one shelter."""

    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="occupancy")
    category = models.CharField(_("区分"), max_length=12, choices=OccupancyCategory.choices)
    count = models.PositiveIntegerField(_("人数"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shelter", "category"],
                                               name="disaster_occupancy_one_per_category")]

    def __str__(self) -> str:
        return f"{self.shelter_id}:{self.category}={self.count}"


class ShelterLog(models.Model):
    """Append-only: each status change and each report, with who and when."""

    class Kind(models.TextChoices):
        STATUS = "status", _("開設状況")
        REPORT = "report", _("報告")
        EDIT = "edit", _("基本情報の変更")

    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="log")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    data = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.shelter_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
