"""Shelters (避難所): reference data, their opening status and what is reported from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
    """A shelter of the ward. ``source`` says where the row came from (the ward's published
    list, or demo data); rows are never made up in the ward's reference data."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("種別"), max_length=12, choices=ShelterKind.choices,
                            default=ShelterKind.DESIGNATED)
    address = models.CharField(_("所在地"), max_length=120)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("地区"))
    capacity = models.PositiveIntegerField(_("収容人数"))
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
        ordering = ["district__sort_order", "name"]
        verbose_name = _("避難所")
        verbose_name_plural = _("避難所")

    def __str__(self) -> str:
        return self.name


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


# ---------------------------------------------------------------------------------------
# 避難行動要支援者名簿 (災害対策基本法 第49条の10): the registry and its supporters.


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


# ---------------------------------------------------------------------------------------
# 個別避難計画


class Destination(models.TextChoices):
    SHELTER = "shelter", _("指定避難所")
    WELFARE = "welfare", _("福祉避難所")
    RELATIVE = "relative", _("親族・知人宅")
    HOME = "home", _("在宅避難")


class Means(models.TextChoices):
    WALK = "walk", _("徒歩")
    WHEELCHAIR = "wheelchair", _("車いす")
    CAR = "car", _("自動車")
    STRETCHER = "stretcher", _("担架・搬送")


class MedicalNeed(models.TextChoices):
    OXYGEN = "oxygen", _("在宅酸素")
    DIALYSIS = "dialysis", _("人工透析")
    MEDICINES = "medicines", _("常用薬")
    INSULIN = "insulin", _("インスリン")
    VENTILATOR = "ventilator", _("人工呼吸器")


class EvacuationPlan(models.Model):
    entry = models.OneToOneField(RegistryEntry, on_delete=models.CASCADE, related_name="plan")
    destination = models.CharField(_("避難先"), max_length=12, choices=Destination.choices)
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("避難所"))
    destination_note = models.CharField(_("避難先の詳細"), max_length=120, blank=True)
    means = models.CharField(_("避難の方法"), max_length=12, choices=Means.choices)
    medical_needs = models.JSONField(_("医療的な配慮"), default=list, blank=True)
    medical_note = models.CharField(_("医療的な配慮の詳細"), max_length=200, blank=True)
    review_due = models.DateField(_("次回の見直し日"))
    reminded_for = models.DateField(null=True, blank=True, editable=False)  # review_due reminded
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"plan of entry {self.entry_id}"


class PlanSupporter(models.Model):
    plan = models.ForeignKey(EvacuationPlan, on_delete=models.CASCADE,
                             related_name="supporters")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("支援者の氏名"), max_length=80)
    relation = models.CharField(_("本人との関係"), max_length=40, blank=True)
    phone = models.CharField(_("支援者の電話番号"), max_length=20)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"plan {self.plan_id} supporter {self.order}"


# ---------------------------------------------------------------------------------------
# 災害モード: declared for the ward (region empty) or one region, by two ward administrators.


class Declaration(models.Model):
    region = models.ForeignKey("organisation.Region", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("地域"))
    reason = models.CharField(_("理由"), max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed_by__isnull=True)
                | ~models.Q(confirmed_by=models.F("requested_by")),
                name="disaster_declaration_two_people"),
        ]

    def __str__(self) -> str:
        return f"declaration {self.pk}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.ended_at is None


# ---------------------------------------------------------------------------------------
# 安否確認: a campaign per district in a declared disaster, statuses recorded by device id.


class Campaign(models.Model):
    """A real campaign belongs to a declaration; a drill (訓練) has none and runs on the
    drill people made for it (``DrillPerson``), never on the registry."""

    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="campaigns")
    drill = models.BooleanField(_("訓練"), default=False)
    drill_summary = models.JSONField(default=dict, blank=True)  # kept when a drill ends
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("地区"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["declaration", "district"],
                                    name="disaster_campaign_one_per_district"),
            models.CheckConstraint(
                condition=models.Q(drill=True, declaration__isnull=True)
                | models.Q(drill=False, declaration__isnull=False),
                name="disaster_campaign_drill_or_declared"),
            models.UniqueConstraint(fields=["district"], condition=models.Q(
                drill=True, closed_at__isnull=True), name="disaster_campaign_one_open_drill"),
        ]

    def __str__(self) -> str:
        return f"campaign {self.pk}"


class DrillPerson(models.Model):
    """A made-up person of a drill campaign (訓練用): not a resident, never on the registry
    or its lists and exports; deleted with the drill's records when the drill ends."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="drill_people")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(_("氏名（訓練用）"), max_length=80)
    address = models.CharField(_("住所（訓練用）"), max_length=120)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"],
                                               name="disaster_drill_person_number")]

    def __str__(self) -> str:
        return f"drill person {self.pk}"


class Safety(models.TextChoices):
    SAFE_AT_HOME = "safe_home", _("在宅で無事")
    EVACUATED = "evacuated", _("避難済み")
    NEEDS_HELP = "needs_help", _("支援が必要")
    NOT_REACHED = "not_reached", _("連絡がつかない")


class SafetyRecord(models.Model):
    """Append-only. ``client_id`` is made on the device: a resend is recognised, never
    stored twice. Two supporters' different statuses are both kept; the newest is shown."""

    client_id = models.UUIDField(unique=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="records")
    entry = models.ForeignKey(RegistryEntry, on_delete=models.PROTECT, related_name="+",
                              null=True, blank=True)
    drill_person = models.ForeignKey(DrillPerson, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="records")
    status = models.CharField(_("安否"), max_length=12, choices=Safety.choices)
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    recorded_at = models.DateTimeField()  # on the device
    received_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["campaign", "entry", "recorded_at"],
                                name="disaster_safety_latest")]
        constraints = [models.CheckConstraint(
            condition=models.Q(entry__isnull=False, drill_person__isnull=True)
            | models.Q(entry__isnull=True, drill_person__isnull=False),
            name="disaster_safety_one_person")]

    def __str__(self) -> str:
        return f"safety {self.client_id}"

    @property
    def person_id(self) -> int:
        return self.entry_id or self.drill_person_id  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------
# 在宅避難者: people sheltering at home register themselves during a declared disaster.


class HomeNeed(models.TextChoices):
    WATER = "water", _("飲料水")
    FOOD = "food", _("食料")
    MEDICINE = "medicine", _("常用薬・医薬品")
    POWER = "power", _("電源（医療機器・充電）")
    CARE = "care", _("介護・介助")
    TOILETS = "toilets", _("簡易トイレ")
    MILK = "milk", _("粉ミルク・おむつ")
    INFORMATION = "information", _("情報（日本語以外を含む）")
    VISIT = "visit", _("訪問して様子を見てほしい")


class HomeEvacuee(models.Model):
    """A household sheltering at home (在宅避難者), registered by itself on the public page
    while a disaster is declared over its district; seen by the district's staff.
    ``submission`` is made by the form: a resubmitted form is recognised, not stored twice."""

    submission = models.UUIDField(unique=True)
    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("地区"))
    name = models.CharField(_("氏名"), max_length=80)
    address = models.CharField(_("住所"), max_length=120)
    phone = models.CharField(_("電話番号"), max_length=20)
    people = models.PositiveSmallIntegerField(_("在宅避難している人数"))
    needs = models.JSONField(_("必要な支援・物資"), default=list, blank=True)
    note = models.CharField(_("その他（配慮が必要なことなど）"), max_length=400, blank=True)
    consent_at = models.DateTimeField(_("同意日時"))
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("在宅避難者")
        verbose_name_plural = _("在宅避難者")

    def __str__(self) -> str:
        return f"home evacuee {self.pk}"  # no personal data in logs

    @property
    def need_labels(self) -> list[str]:
        labels = dict(HomeNeed.choices)
        return [str(labels[n]) for n in self.needs if n in labels]
