"""The ward's public organisation data: regions, districts, sections. No authentication."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.errors import HttpError

from madoguchi.core.problem import Problem
from madoguchi.organisation import selectors
from madoguchi.organisation.codes import split_district_key
from madoguchi.organisation.models import District, Region, Section, SectionKind, Tier

router = Router(tags=["organisation"])

PUBLIC = "認証は不要です（区が公開している組織情報）。"


class RegionOut(Schema):
    code: str
    name: str
    name_en: str
    branch_office_name: str
    address: str
    phone: str
    households: int
    population: int
    area_km2: float

    @staticmethod
    def resolve_households(obj: Region) -> int:
        return obj.total_households or 0

    @staticmethod
    def resolve_population(obj: Region) -> int:
        return obj.total_population or 0

    @staticmethod
    def resolve_area_km2(obj: Region) -> float:
        return float(obj.total_area_km2 or 0)


class CentreOut(Schema):
    name: str
    postal_code: str
    address: str
    phone: str
    opens_at: str
    closes_at: str
    open_weekdays: list[int]
    online_model_centre: bool

    @staticmethod
    def resolve_opens_at(obj) -> str:
        return obj.opens_at.strftime("%H:%M")

    @staticmethod
    def resolve_closes_at(obj) -> str:
        return obj.closes_at.strftime("%H:%M")

    @staticmethod
    def resolve_open_weekdays(obj) -> list[int]:
        return sorted(obj.weekdays)


class DistrictOut(Schema):
    region: str
    code: str
    key: str
    name: str
    name_kana: str
    name_en: str
    households: int
    population: int
    area_km2: float
    density: int
    figures_as_of: str | None
    centre: CentreOut | None

    @staticmethod
    def resolve_region(obj: District) -> str:
        return obj.region.code

    @staticmethod
    def resolve_area_km2(obj: District) -> float:
        return float(obj.area_km2)

    @staticmethod
    def resolve_figures_as_of(obj: District) -> str | None:
        return obj.figures_as_of.isoformat() if obj.figures_as_of else None

    @staticmethod
    def resolve_centre(obj: District):
        return getattr(obj, "centre", None)


class SectionOut(Schema):
    code: str
    kind: str
    kind_name: str
    tier: str
    name: str
    office: str
    phone: str
    region: str | None
    district: str | None
    district_key: str | None

    @staticmethod
    def resolve_kind(obj: Section) -> str:
        return obj.kind.code

    @staticmethod
    def resolve_kind_name(obj: Section) -> str:
        return obj.kind.name

    @staticmethod
    def resolve_region(obj: Section) -> str | None:
        return obj.region.code if obj.region_id else None

    @staticmethod
    def resolve_district(obj: Section) -> str | None:
        return obj.district.code if obj.district_id else None

    @staticmethod
    def resolve_district_key(obj: Section) -> str | None:
        return obj.district.key if obj.district_id else None


def _region_or_error(code: str, status: int) -> Region:
    region = selectors.region_get(code)
    if region is None:
        raise HttpError(status, f"地域コード「{code}」は存在しません。")
    return region


@router.get("/regions", response=list[RegionOut], summary="地域（総合支所）の一覧",
            description="5つの地域と総合支所、地区の世帯数・人口・面積の合計。" + PUBLIC)
def list_regions(request):
    return list(selectors.region_list())


@router.get("/districts", response={200: list[DistrictOut], 400: Problem},
            summary="地区（まちづくりセンター）の一覧",
            description="28地区の世帯数・人口・面積・人口密度（人/km²）とまちづくりセンター。"
                        "region で地域を絞り込めます。" + PUBLIC)
def list_districts(request, region: str | None = None):
    scope = _region_or_error(region, 400) if region else None
    return list(selectors.district_list(region=scope))


@router.get("/districts/{region}/{code}", response={200: DistrictOut, 404: Problem},
            summary="地区の詳細",
            description="地域コードと地区コードで1地区を返します。" + PUBLIC)
def get_district(request, region: str, code: str):
    _region_or_error(region, 404)
    district = selectors.district_get(region, code)
    if district is None:
        raise HttpError(404, f"地区コード「{code}」は存在しません。")
    return district


@router.get("/sections", response={200: list[SectionOut], 400: Problem},
            summary="課・機関の一覧",
            description="相談先となる課・まちづくりセンター・連携機関・専門機関（有効なもの）。"
                        "kind（種別コード）、region（地域コード）、tier（head, branch, "
                        "district, partner, specialist）、district（region/district）で"
                        "絞り込めます。" + PUBLIC)
def list_sections(request, kind: str | None = None, region: str | None = None,
                  tier: str | None = None, district: str | None = None):
    filters: dict = {}
    if kind:
        filters["kind"] = SectionKind.objects.filter(code=kind).first()
        if filters["kind"] is None:
            raise HttpError(400, f"種別コード「{kind}」は存在しません。")
    if region:
        filters["region"] = _region_or_error(region, 400)
    if tier:
        if tier not in Tier.values:
            raise HttpError(400, f"階層「{tier}」は存在しません（head, branch, district, "
                                 "partner, specialist のいずれか）。")
        filters["tier"] = tier
    if district:
        key = split_district_key(district)
        filters["district"] = selectors.district_get(*key) if key else None
        if filters["district"] is None:
            raise HttpError(400, f"地区「{district}」は存在しません（地域コード/地区コード"
                                 "の形で指定してください）。")
    return list(selectors.section_list(**filters))
