"""Reads of the organisation; every list is fetched in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.functional import Promise

from madoguchi.core.models import CalendarException
from madoguchi.organisation.models import (
    District,
    Region,
    Section,
    SectionKind,
    Tier,
)


def centre_directory() -> list[Region]:
    """Regions with their districts and centres, in the ward's order (3 queries)."""
    districts = District.objects.select_related("centre").order_by("sort_order", "code")
    return list(Region.objects.prefetch_related(Prefetch("districts", queryset=districts)))


@dataclass(frozen=True)
class RegionSummary:
    region: Region
    districts: list[District]
    households: int
    population: int
    area_km2: Decimal

    @property
    def density(self) -> int:
        if not self.area_km2:
            return 0
        return int((Decimal(self.population) / self.area_km2).quantize(Decimal("1")))


def organisation_overview() -> list[RegionSummary]:
    """Regions → districts (with centre and booths) and the regions' totals (4 queries)."""
    districts = (District.objects.select_related("centre")
                 .prefetch_related("centre__booths").order_by("sort_order", "code"))
    regions = Region.objects.prefetch_related(Prefetch("districts", queryset=districts))
    summaries = []
    for region in regions:
        rows = list(region.districts.all())
        summaries.append(RegionSummary(
            region=region,
            districts=rows,
            households=sum(d.households for d in rows),
            population=sum(d.population for d in rows),
            area_km2=sum((d.area_km2 for d in rows), Decimal(0)),
        ))
    return summaries


def region_list() -> QuerySet[Region]:
    """Regions with their districts' totals (one query)."""
    return Region.objects.annotate(
        total_households=Sum("districts__households"),
        total_population=Sum("districts__population"),
        total_area_km2=Sum("districts__area_km2"),
    ).order_by("sort_order", "code")  # Meta.ordering is dropped from GROUP BY queries


def region_get(code: str) -> Region | None:
    return Region.objects.filter(code=code).first()


def district_list(*, region: Region | None = None) -> QuerySet[District]:
    queryset = District.objects.select_related("region", "centre")
    if region is not None:
        queryset = queryset.filter(region=region)
    return queryset


def district_get(region_code: str, code: str) -> District | None:
    return (District.objects.select_related("region", "centre")
            .filter(region__code=region_code, code=code).first())


def district_sections(district: District) -> list[Section]:
    """The district centre and the partners working in ``district`` (one query)."""
    return list(Section.objects.select_related("kind", "region", "district__centre")
                .filter(district=district))


def section_kind_list() -> QuerySet[SectionKind]:
    return SectionKind.objects.all()


def section_list(*, kind: SectionKind | None = None, region: Region | None = None,
                 tier: str | None = None, district: District | None = None,
                 active_only: bool = True) -> QuerySet[Section]:
    queryset = Section.objects.select_related("kind", "region", "district__region",
                                              "district__centre")
    if active_only:
        queryset = queryset.filter(is_active=True)
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    if region is not None:
        queryset = queryset.filter(region=region)
    if tier is not None:
        queryset = queryset.filter(kind__tier=tier)
    if district is not None:
        queryset = queryset.filter(district=district)
    return queryset


def sections_by_tier(*, active_only: bool = False
                     ) -> list[tuple[str, str | Promise, list[Section]]]:
    """(tier, tier label (lazy), sections) in the order of ``Tier`` (one query)."""
    grouped: dict[str, list[Section]] = {tier: [] for tier in Tier.values}
    for section in section_list(active_only=active_only):
        grouped[section.kind.tier].append(section)
    return [(tier, Tier(tier).label, grouped[tier]) for tier in Tier.values]


def calendar_exceptions(*, since: dt.date | None = None) -> QuerySet[CalendarException]:
    queryset = CalendarException.objects.all()
    if since is not None:
        queryset = queryset.filter(date__gte=since)
    return queryset
