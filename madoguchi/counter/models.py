"""The walk-in queue (窓口の受付・呼び出し) of district centres and くみん窓口.

An ``Office`` is one place with a queue: a district centre or a branch office's くみん窓口.
Its window services are data (``WindowService``: expected handling time, ticket letter,
priority, the 別表2 group it is counted in) and its counters (``Counter``) say which
services they serve. A ``Ticket`` is numbered per service and day from ``TicketSequence``
(one row locked while a number is taken: unique and gap-free under concurrency). Served
tickets and staff's own entries are the window-services log (``ServiceRecord``).
Nothing here names a resident.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from madoguchi.organisation.models import DistrictCentre, Section


def in_language(japanese: str, english: str) -> str:
    """The record's name in the page's language (English where it has one)."""
    return english if english and (get_language() or "ja").startswith("en") else japanese


class ServiceGroup(models.TextChoices):
    """The rows of 別表2 (まちづくりセンター窓口等取扱件数) and of くみん窓口's counts."""

    CERTIFICATE = "certificate", _("証明書取次発行")
    INSURANCE = "insurance", _("国民健康保険・年金・介護保険等")
    MATERNAL = "maternal", _("母子健康手帳等の交付")
    SCHOOL = "school", _("就学の届出・防犯ブザー")
    LENDING = "lending", _("貸出し・助成・広報板")
    REGISTRATION = "registration", _("住民異動の届出")
    MY_NUMBER = "my_number", _("マイナンバーカード")
    OTHER = "other", _("その他")


class Office(models.Model):
    """A place with a walk-in queue: a district centre or a くみん窓口 section."""

    code = models.SlugField(_("コード"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    name_en = models.CharField(_("英語名"), max_length=160, blank=True)
    centre = models.OneToOneField(DistrictCentre, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="counter_office")
    section = models.OneToOneField(Section, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="counter_office")
    is_active = models.BooleanField(_("受付中"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("受付窓口")
        constraints = [
            models.CheckConstraint(
                condition=(Q(centre__isnull=False, section__isnull=True)
                           | Q(centre__isnull=True, section__isnull=False)),
                name="counter_office_centre_or_section"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)


class WindowService(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="services")
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=120)
    name_en = models.CharField(_("英語名"), max_length=160, blank=True)
    name_easy = models.CharField(_("やさしい日本語"), max_length=160, blank=True)
    group = models.CharField(_("集計の区分（別表2）"), max_length=20, choices=ServiceGroup.choices)
    letter = models.CharField(_("番号札の記号"), max_length=2)
    expected_seconds = models.PositiveIntegerField(_("標準の処理時間（秒）"))
    priority = models.PositiveSmallIntegerField(
        _("呼び出しの優先順位"), default=5, help_text=_("小さいほど先に呼び出します。"))
    is_active = models.BooleanField(_("受付中"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        ordering = ["office", "sort_order", "code"]
        verbose_name = _("窓口サービス")
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="counter_service_code"),
            models.UniqueConstraint(fields=["office", "letter"], name="counter_service_letter"),
            models.CheckConstraint(condition=Q(expected_seconds__gt=0),
                                   name="counter_service_expected_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)


class Counter(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField(_("番号"))
    services = models.ManyToManyField(WindowService, related_name="counters",
                                      verbose_name=_("担当するサービス"))
    is_open = models.BooleanField(_("開いている"), default=True)

    class Meta:
        ordering = ["office", "number"]
        verbose_name = _("窓口")
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="counter_number"),
        ]

    def __str__(self) -> str:
        return _("%(number)d番窓口") % {"number": self.number}


class TicketSequence(models.Model):
    """The last number given for a service on a day: locked while the next is taken."""

    service = models.ForeignKey(WindowService, on_delete=models.CASCADE)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="counter_sequence_day"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}:{self.day}:{self.last_number}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("お待ちください")
    CALLED = "called", _("呼び出し中")
    SERVED = "served", _("受付済み")
    ABSENT = "absent", _("不在")


class TicketSource(models.TextChoices):
    RECEPTION = "reception", _("受付端末")
    CLERK = "clerk", _("職員")
    APPOINTMENT = "appointment", _("予約の受付")


class Ticket(models.Model):
    token = models.CharField(max_length=43, unique=True)  # the ticket page's address
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="tickets")
    service = models.ForeignKey(WindowService, on_delete=models.PROTECT, related_name="tickets")
    # The service the number was issued for (a transfer changes ``service``, not the number).
    issued_service = models.ForeignKey(WindowService, on_delete=models.PROTECT,
                                       related_name="+")
    day = models.DateField()
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=TicketStatus.choices,
                              default=TicketStatus.WAITING)
    source = models.CharField(max_length=12, choices=TicketSource.choices)
    issued_at = models.DateTimeField()
    queued_at = models.DateTimeField()  # its place in the queue (kept by a transfer)
    estimate_seconds = models.PositiveIntegerField()  # shown at issue
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="tickets")
    # A transfer to one counter: only that counter calls it.
    for_counter = models.ForeignKey(Counter, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    called_at = models.DateTimeField(null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(default=0)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    # A booked appointment that checked in (counter.appointments): its ``source:reference``
    # (one ticket per appointment), its booked time and its label (no personal data).
    appointment_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    appointment_at = models.DateTimeField(null=True, blank=True)
    appointment_label = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["day", "queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issued_service", "day", "number"],
                                    name="counter_ticket_number"),
        ]
        indexes = [models.Index(fields=["office", "day", "status"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The number as called: the service's letter and three digits (A007)."""
        return f"{self.issued_service.letter}{self.number:03d}"


class RecordSource(models.TextChoices):
    TICKET = "ticket", _("番号札")
    MANUAL = "manual", _("職員の記録")


class ServiceRecord(models.Model):
    """One line of the window-services log (窓口サービスの実績): no resident identity."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="records")
    service = models.ForeignKey(WindowService, on_delete=models.PROTECT, related_name="records")
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="record")
    day = models.DateField()
    served_at = models.DateTimeField()
    quantity = models.PositiveSmallIntegerField(default=1)
    wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    handling_seconds = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=RecordSource.choices)
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-served_at"]
        indexes = [models.Index(fields=["office", "day"]),
                   models.Index(fields=["service", "-served_at"])]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1),
                                              name="counter_record_quantity")]

    def __str__(self) -> str:
        return f"{self.day} {self.service_id} ×{self.quantity}"


class ReceptionKiosk(models.Model):
    """The reception tablet's key (only its SHA-256), as the booth kiosk's (meetings)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="kiosks")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.office_id}: {self.created_at:%Y-%m-%d}"
