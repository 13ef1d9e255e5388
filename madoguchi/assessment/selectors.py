"""Reads: the district profile, the ward dashboard, its time series, the open-data catalogue.

Every page gets its rows in a number of queries that does not grow with the number of
districts: one query for the districts, then one (or two) per registered figure for all of
them (``figures.collect``). The ward dashboard and the time series read the figures the
worker precomputed for the fiscal year (``FigureTally``, one query, ADR 0051) when there
are any, and say as of when; otherwise they count now. Counts under
``access.SUPPRESS_BELOW`` are suppressed (None) for districts outside the viewer's owning
unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.assessment import access, figures
from madoguchi.assessment.models import (
    Assessment,
    EnteredFigure,
    FigureRefresh,
    FigureTally,
    OpenDataFile,
    Status,
)
from madoguchi.organisation.models import District, Region


def suppress(value: int | None, *, owned: bool) -> int | None:
    """A count as shown: None (suppressed) for 1-4 cases outside the owning unit."""
    if value is None or owned or value == 0 or value >= access.SUPPRESS_BELOW:
        return value
    return None


def district_rows(*, region: Region | None = None) -> list[District]:
    """The districts with their region (the dashboard's rows and its region filter)."""
    rows = District.objects.select_related("region").order_by(
        "region__sort_order", "sort_order", "code")
    if region is not None:
        rows = rows.filter(region=region)
    return list(rows)


def regions_of(districts: Sequence[District]) -> list[Region]:
    """The regions of ``districts`` (read with them), in the regions' own order."""
    found = {district.region_id: district.region for district in districts}
    return sorted(found.values(), key=lambda region: (region.sort_order, region.code))


# -- the district profile ----------------------------------------------------------------

@dataclass
class FigureBlock:
    code: str
    label: str
    rows: list[tuple[str, int | None, int | None]]  # label, this year, last year
    total: int | None
    total_before: int | None


@dataclass
class Profile:
    district: District
    fiscal_year: int
    blocks: list[FigureBlock]
    entered: list[tuple[str, Decimal | None, Decimal | None, str]]
    owned: bool
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def label(self) -> str:
        return figures.fiscal_year_label(self.fiscal_year)


def _label(labels, key: str) -> str:
    if labels and key in labels:
        return str(labels[key])
    return key or "―"


def figure_blocks(district_ids: list[int], district_id: int, fiscal_year: int,
                  *, owned: bool) -> list[FigureBlock]:
    now = figures.collect(district_ids, fiscal_year)
    before = figures.collect(district_ids, fiscal_year - 1)
    blocks = []
    for figure in figures.registered():
        this = now[figure.code].get(district_id, {})
        last = before[figure.code].get(district_id, {})
        keys = sorted(set(this) | set(last), key=lambda key: (-this.get(key, 0), key))
        if not figure.per_thousand:  # a mean: days / cases
            mean_now = _mean(this)
            mean_before = _mean(last)
            blocks.append(FigureBlock(figure.code, str(figure.label), [], mean_now, mean_before))
            continue
        labels = figure.labels() if callable(figure.labels) else figure.labels
        rows = [(_label(labels, key), suppress(this.get(key, 0), owned=owned),
                 suppress(last.get(key, 0), owned=owned)) for key in keys]
        total = sum(this.values()) if this else 0
        total_before = sum(last.values()) if last else 0
        blocks.append(FigureBlock(
            figure.code, str(figure.label), rows if len(keys) > 1 or "total" not in keys
            else [], suppress(total, owned=owned), suppress(total_before, owned=owned)))
    return blocks


def _mean(counts) -> int | None:
    cases = counts.get("cases", 0)
    return round(counts.get("days", 0) / cases) if cases else None


def profile(*, user, district: District, fiscal_year: int) -> Profile:
    owned = district.pk in access.owned_district_ids(user, [district])
    blocks = figure_blocks([district.pk], district.pk, fiscal_year, owned=owned)
    entered = {(f.fiscal_year, f.code): f for f in EnteredFigure.objects.filter(
        district=district, fiscal_year__in=[fiscal_year, fiscal_year - 1])}
    rows = []
    for code, label in EnteredFigure.Code.choices:
        this = entered.get((fiscal_year, code))
        last = entered.get((fiscal_year - 1, code))
        rows.append((str(label), this.value if this else None, last.value if last else None,
                     this.note if this else ""))
    assessments = list(Assessment.objects.filter(district=district).order_by("-fiscal_year"))
    return Profile(district, fiscal_year, blocks, rows, owned, assessments)


# -- the figures precomputed by the worker (ADR 0051) -------------------------------------

Found = dict[str, dict[int, dict[str, int]]]


def figures_as_of(fiscal_year: int) -> dt.datetime | None:
    """When the worker last precomputed the fiscal year's figures (None: never)."""
    return (FigureRefresh.objects.filter(fiscal_year=fiscal_year)
            .values_list("refreshed_at", flat=True).first())


def tallied(district_ids: Sequence[int], fiscal_year: int, months: Sequence[int],
            codes: Sequence[str]) -> tuple[dict[int, Found], dt.datetime] | None:
    """The precomputed figures of ``codes`` for the districts, per month asked (0: the
    whole fiscal year), ``{month: {code: {district_id: {key: n}}}}``, and when they were
    precomputed; None when the worker never precomputed the year (count instead). Two
    queries, whatever the number of districts."""
    as_of = figures_as_of(fiscal_year)
    if as_of is None:
        return None
    found: dict[int, Found] = {month: {} for month in months}
    for month, code, district, key, value in FigureTally.objects.filter(
            fiscal_year=fiscal_year, month__in=months, code__in=codes,
            district_id__in=district_ids).values_list(
            "month", "code", "district_id", "key", "value").order_by():
        found[month].setdefault(code, {}).setdefault(district, {})[key] = value
    return found, as_of


# -- the ward dashboard ------------------------------------------------------------------

DASHBOARD_COLUMNS = (
    ("consultations", "consultations.total"),
    ("online_share", "consultations.channel"),
    ("waiting_days", "consultations.waiting"),
    ("applications", "applications.procedure"),
    ("overdue", "applications.overdue"),
)


COLUMN_LABELS = (
    ("consultations", gettext_lazy("相談件数（千人あたり）")),
    ("online_share", gettext_lazy("オンラインの割合（％）")),
    ("waiting_days", gettext_lazy("相談までの平均待ち日数")),
    ("applications", gettext_lazy("申請件数（千人あたり）")),
    ("overdue", gettext_lazy("期限超過の申請（千人あたり）")),
)


@dataclass
class Cell:
    count: int | None  # None: suppressed
    per_thousand: float | None


@dataclass
class DashboardRow:
    district: District
    cells: dict[str, Cell]
    owned: bool


@dataclass
class Dashboard:
    fiscal_year: int
    month: int | None
    region: Region | None
    columns: list[tuple[str, str]]  # code, label
    rows: list[DashboardRow]
    as_of: dt.datetime | None = None  # precomputed at; None: counted for this page


def _cell(count: int | None, population: int, *, owned: bool) -> Cell:
    shown = suppress(count, owned=owned)
    if shown is None or not population:
        return Cell(shown, None)
    return Cell(shown, round(shown * 1000 / population, 2))


def dashboard(*, user, fiscal_year: int, month: int | None = None,
              region: Region | None = None,
              districts: Sequence[District] | None = None) -> Dashboard:
    """The table of the districts (those of ``region``; ``districts``: the rows already
    read, as ``district_rows`` gives them, narrowed to the region)."""
    if districts is None:
        districts = district_rows(region=region)
    ids = [d.pk for d in districts]
    owned_ids = access.owned_district_ids(user, districts)
    extra = [figure for figure in figures.registered()
             if figure.code.split(".")[0] not in ("consultations", "applications")
             and figure.per_thousand]
    codes = [code for _name, code in DASHBOARD_COLUMNS] + [figure.code for figure in extra]
    precomputed = tallied(ids, fiscal_year, [month or 0], codes)
    if precomputed is None:
        as_of = None
        found = figures.collect(ids, fiscal_year, month, codes=codes)
    else:
        as_of = precomputed[1]
        found = precomputed[0][month or 0]
    columns = [(name, str(label)) for name, label in COLUMN_LABELS]
    columns += [(figure.code, _("%(label)s（千人あたり）") % {"label": figure.label})
                for figure in extra]
    rows = []
    for district in districts:
        owned = district.pk in owned_ids
        def total(code: str, district_id: int = district.pk) -> int:
            return sum(found.get(code, {}).get(district_id, {}).values())

        cells = {
            "consultations": _cell(total("consultations.total"), district.population,
                                   owned=owned),
            "applications": _cell(total("applications.procedure"), district.population,
                                  owned=owned),
            "overdue": _cell(total("applications.overdue"), district.population, owned=owned),
        }
        channel = found.get("consultations.channel", {}).get(district.pk, {})
        online, all_ = channel.get("online", 0), sum(channel.values())
        shown = suppress(online, owned=owned) if all_ else 0
        cells["online_share"] = Cell(shown, round(online * 100 / all_, 1)
                                     if all_ and shown is not None else None)
        waiting = found.get("consultations.waiting", {}).get(district.pk, {})
        cases = suppress(waiting.get("cases", 0), owned=owned)
        mean = _mean(waiting)
        cells["waiting_days"] = Cell(cases, float(mean) if cases and mean is not None
                                     else None)
        for figure in extra:
            cells[figure.code] = _cell(total(figure.code), district.population, owned=owned)
        rows.append(DashboardRow(district, cells, owned))
    return Dashboard(fiscal_year, month, region, columns, rows, as_of)


SERIES_CODES = ("consultations.total", "applications.procedure", "applications.overdue")


@dataclass
class SeriesPoint:
    month: int
    cells: dict[str, Cell]


@dataclass
class Series:
    """The months of one district (iterating gives the points) and when the figures were
    precomputed (None: counted for this page)."""

    points: list[SeriesPoint]
    as_of: dt.datetime | None

    def __iter__(self) -> Iterator[SeriesPoint]:
        return iter(self.points)


def district_series(*, user, district: District, fiscal_year: int) -> Series:
    """One district's dashboard cells month by month (April to March)."""
    owned = district.pk in access.owned_district_ids(user, [district])
    points = []
    precomputed = tallied([district.pk], fiscal_year, figures.FISCAL_MONTHS, SERIES_CODES)
    if precomputed is None:
        as_of = None
        months = figures.collect_months([district.pk], fiscal_year, codes=SERIES_CODES)
    else:
        months, as_of = precomputed
    for month in figures.FISCAL_MONTHS:
        found = months[month]
        cells = {}
        for name, code in DASHBOARD_COLUMNS:
            if name in ("online_share", "waiting_days"):
                continue
            cells[name] = _cell(sum(found.get(code, {}).get(district.pk, {}).values()),
                                district.population, owned=owned)
        points.append(SeriesPoint(month, cells))
    return Series(points, as_of)


# -- open data ---------------------------------------------------------------------------

def open_data_files() -> dict[str, OpenDataFile]:
    return {found.dataset: found for found in OpenDataFile.objects.defer("content")}


def open_data_file(dataset: str) -> OpenDataFile | None:
    return OpenDataFile.objects.filter(dataset=dataset).first()


def published_assessments(*, district: District) -> list[Assessment]:
    return list(Assessment.objects.filter(district=district, status=Status.PUBLISHED)
                .order_by("-fiscal_year"))


# -- the yearly assessment ---------------------------------------------------------------

def assessment_figures(*, district: District, fiscal_year: int) -> dict:
    """The figures an assessment shows, as published (small counts suppressed: the page is
    public): the seed's figures, one chart per registered count figure (this year and the
    year before), the mean waiting days, and what the centre entered."""
    blocks = figure_blocks([district.pk], district.pk, fiscal_year, owned=False)
    charts, means = [], []
    for block in blocks:
        if block.code == "consultations.waiting":
            means.append({"title": block.label, "now": block.total, "before": block.total_before})
            continue
        rows = [list(row) for row in block.rows] or [
            [str(_("合計")), block.total, block.total_before]]
        charts.append({"code": block.code, "title": block.label, "rows": rows,
                       "total": [block.total, block.total_before]})
    entered = {(f.fiscal_year, f.code): f for f in EnteredFigure.objects.filter(
        district=district, fiscal_year__in=[fiscal_year, fiscal_year - 1])}
    return {
        "this_label": figures.fiscal_year_label(fiscal_year),
        "last_label": figures.fiscal_year_label(fiscal_year - 1),
        "seed": {"population": district.population, "households": district.households,
                 "area_km2": str(district.area_km2),
                 "as_of": district.figures_as_of.isoformat() if district.figures_as_of
                 else ""},
        "charts": charts,
        "means": means,
        "entered": [[str(label),
                     str(entered[(fiscal_year, code)].value)
                     if (fiscal_year, code) in entered else None,
                     str(entered[(fiscal_year - 1, code)].value)
                     if (fiscal_year - 1, code) in entered else None]
                    for code, label in EnteredFigure.Code.choices],
    }


def change_text(now: int | None, before: int | None) -> str:
    """「12件（前年度 9件、3件増）」: the year-on-year change in words."""
    if now is None:
        return str(_("5件未満"))
    text = _("%(n)s件") % {"n": f"{now:,}"}
    if before is None:
        return text + str(_("（前年度 5件未満）"))
    diff = now - before
    if diff > 0:
        change = _("%(n)s件増") % {"n": f"{diff:,}"}
    elif diff < 0:
        change = _("%(n)s件減") % {"n": f"{-diff:,}"}
    else:
        change = _("増減なし")
    return text + _("（前年度 %(before)s件、%(change)s）") % {"before": f"{before:,}",
                                                         "change": change}


def assessment_get(*, district: District, fiscal_year: int) -> Assessment | None:
    return (Assessment.objects.select_related("district__region")
            .filter(district=district, fiscal_year=fiscal_year).first())


def assessment_history(assessment: Assessment) -> list:
    return list(assessment.events.select_related("actor").order_by("at", "pk"))
