"""Figures of the contexts already on main, registered with the figures registry through
their public selectors (consultations' anonymous statistics events, applications' counts).
Other contexts (e.g. collaboration) register their own figures in their AppConfig.ready."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madoguchi.applications import selectors as applications
from madoguchi.assessment import figures
from madoguchi.consultations import selectors as consultations

INTAKE = "intake"


def _summary(district_ids, fiscal_year, month):
    """Intake, bookings and waiting days in one query, shared by the three providers."""
    start, end = figures.period(fiscal_year, month)
    return figures.shared(
        ("consultations.summary", tuple(district_ids), fiscal_year, month),
        lambda: consultations.stat_summary(district_ids=district_ids, start=start, end=end))


def consultations_total(district_ids, fiscal_year, month=None):
    return {district: {"total": found["intake"]}
            for district, found in _summary(district_ids, fiscal_year, month).items()
            if found["intake"]}


def consultations_total_monthly(district_ids, fiscal_year):
    start, end = figures.period(fiscal_year)
    by_month = consultations.stat_summary_by_month(district_ids=district_ids, start=start,
                                                   end=end)
    return {month: {district: {"total": found["intake"]}
                    for district, found in districts.items() if found["intake"]}
            for month, districts in by_month.items()}


def consultations_by_category(district_ids, fiscal_year, month=None):
    start, end = figures.period(fiscal_year, month)
    return consultations.stat_counts(district_ids=district_ids, start=start, end=end,
                                     kind=INTAKE, by="category")


def consultations_by_section(district_ids, fiscal_year, month=None):
    """Consultations routed to a section, per kind of section (課の種類)."""
    start, end = figures.period(fiscal_year, month)
    return consultations.stat_counts(district_ids=district_ids, start=start, end=end,
                                     kind="routed", by="section_kind")


def consultations_channel(district_ids, fiscal_year, month=None):
    """Online (a video consultation booked from the centre with the section) and in person
    (consultations taken at the centre without one)."""
    return {district: {"online": found["booked"],
                       "in_person": max(found["intake"] - found["booked"], 0)}
            for district, found in _summary(district_ids, fiscal_year, month).items()}


def consultations_waiting(district_ids, fiscal_year, month=None):
    return {district: {"days": found["waiting_days"], "cases": found["waiting_cases"]}
            for district, found in _summary(district_ids, fiscal_year, month).items()
            if found["waiting_cases"]}


def applications_by_procedure(district_ids, fiscal_year, month=None):
    start, end = figures.period(fiscal_year, month)
    return applications.district_counts(district_ids=district_ids, start=start, end=end)


def applications_overdue(district_ids, fiscal_year, month=None):
    start, end = figures.period(fiscal_year, month)
    return applications.district_overdue_counts(district_ids=district_ids, start=start,
                                                end=end, today=timezone.localdate())


CHANNEL_LABELS = {"online": _("オンライン"), "in_person": _("対面")}


def register_all() -> None:
    figures.register("consultations.total", _("相談件数"), consultations_total,
                     monthly=consultations_total_monthly)
    figures.register("consultations.category", _("相談の分類"), consultations_by_category,
                     labels=consultations.category_labels())
    figures.register("consultations.section", _("回付先の課（種類別）"),
                     consultations_by_section)
    figures.register("consultations.channel", _("オンラインと対面"), consultations_channel,
                     labels=CHANNEL_LABELS)
    figures.register("consultations.waiting", _("相談までの待ち日数"), consultations_waiting,
                     per_thousand=False)
    figures.register("applications.procedure", _("手続き別の申請件数"),
                     applications_by_procedure)
    figures.register("applications.overdue", _("処理期限を過ぎた申請"), applications_overdue)
