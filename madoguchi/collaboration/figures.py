"""Collaboration's figures in the assessment's figures registry (ADR 0038): trouble records
by theme, records still open, four-party meetings held and escalations, per district. Each
provider answers for every district asked in one grouped query; aggregates only."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from madoguchi.assessment import figures
from madoguchi.collaboration.models import (
    Escalation,
    Meeting,
    MeetingStatus,
    Status,
    Theme,
    TroubleRecord,
)
from madoguchi.core.language import english_or

OPEN_STATUSES = (Status.NEW, Status.SHARED, Status.IN_PROGRESS, Status.ESCALATED)


def _grouped(queryset, by: str | None, key: str) -> dict[int, dict[str, int]]:
    fields = ["district_id", by] if by else ["district_id"]
    found: dict[int, dict[str, int]] = {}
    for row in queryset.values(*fields).annotate(n=Count("pk")).order_by():
        found.setdefault(row["district_id"], {})[row[by] if by else key] = row["n"]
    return found


def records_by_theme(district_ids, fiscal_year, month=None):
    start, end = figures.period(fiscal_year, month)
    return _grouped(TroubleRecord.objects.filter(
        district_id__in=district_ids, created_at__gte=start, created_at__lt=end),
        "theme__code", "")


def records_open(district_ids, fiscal_year, month=None):
    """Records made in the period that are not yet resolved or closed."""
    start, end = figures.period(fiscal_year, month)
    return _grouped(TroubleRecord.objects.filter(
        district_id__in=district_ids, created_at__gte=start, created_at__lt=end,
        status__in=OPEN_STATUSES), None, "open")


def meetings_held(district_ids, fiscal_year, month=None):
    start, end = figures.period(fiscal_year, month)
    return _grouped(Meeting.objects.filter(
        district_id__in=district_ids, starts_at__gte=start, starts_at__lt=end).exclude(
        status=MeetingStatus.SCHEDULED), None, "held")


def escalations(district_ids, fiscal_year, month=None):
    start, end = figures.period(fiscal_year, month)
    return _grouped(Escalation.objects.filter(
        district_id__in=district_ids, opened_at__gte=start, opened_at__lt=end), None, "total")


def theme_labels() -> dict[str, str]:
    """The themes' names (ward-editable data, read when a chart is drawn)."""
    return {theme.code: english_or(theme.name, theme.name_en) for theme in Theme.objects.all()}


def register() -> None:
    figures.register("collaboration.records", _("地区の課題（テーマ別）"), records_by_theme,
                     labels=theme_labels)
    figures.register("collaboration.open", _("対応中の地区の課題"), records_open)
    figures.register("collaboration.meetings", _("四者連携会議の開催"), meetings_held)
    figures.register("collaboration.escalations", _("上申"), escalations)
