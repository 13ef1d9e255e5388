"""Writes to the structure: regions, districts, centres and booths.

Each service checks everything first and raises one ``ValidationError`` keyed by field
name (Japanese messages) before it writes anything; the writes run in one transaction,
so nothing is ever half-saved. Codes are set when a row is created and never change:
other contexts and outside systems refer to them.

Permission is checked by the callers (``/org/`` views and the loader's command line):
the policy lives in ``accounts``, which depends on this app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.organisation import rules
from madoguchi.organisation.codes import section_code
from madoguchi.organisation.models import (
    Booth,
    District,
    DistrictCentre,
    Region,
    Section,
    SectionKind,
    Tier,
)
from madoguchi.organisation.services._common import (
    CODE_HINT,
    CODE_RE,
    FIRST_BOOTH,
    Problems,
    save,
)

# Regions ---------------------------------------------------------------------------


def _region_fields(region: Region, problems: Problems, *, name: str, name_en: str,
                   branch_office_name: str, address: str, phone: str, sort_order: int) -> None:
    region.name, region.name_en = name.strip(), name_en.strip()
    region.branch_office_name = branch_office_name.strip()
    region.address, region.phone, region.sort_order = address.strip(), phone.strip(), sort_order
    problems.extend(rules.contact(phone=region.phone))


@transaction.atomic
def region_create(*, code: str, name: str, branch_office_name: str, name_en: str = "",
                  address: str = "", phone: str = "", sort_order: int = 0) -> Region:
    problems = Problems()
    if not CODE_RE.match(code):
        problems.add("code", _(CODE_HINT))
    elif Region.objects.filter(code=code).exists():
        problems.add("code", _("地域コード「%(code)s」は既に使われています。") % {"code": code})
    region = Region(code=code)
    _region_fields(region, problems, name=name, name_en=name_en, address=address, phone=phone,
                   branch_office_name=branch_office_name, sort_order=sort_order)
    problems.check(region)
    save(region)
    return region


@transaction.atomic
def region_update(*, region: Region, name: str, branch_office_name: str, name_en: str = "",
                  address: str = "", phone: str = "", sort_order: int = 0) -> Region:
    region = Region.objects.select_for_update().get(pk=region.pk)
    problems = Problems()
    _region_fields(region, problems, name=name, name_en=name_en, address=address, phone=phone,
                   branch_office_name=branch_office_name, sort_order=sort_order)
    problems.check(region)
    save(region)
    return region


# Districts -------------------------------------------------------------------------


def _district_fields(district: District, problems: Problems, *, name: str, name_kana: str,
                     name_en: str, households: int, population: int, area_km2: Decimal,
                     figures_as_of: dt.date | None, sort_order: int) -> None:
    district.name, district.name_kana, district.name_en = name.strip(), name_kana, name_en
    district.households, district.population = households, population
    district.area_km2, district.figures_as_of = area_km2, figures_as_of
    district.sort_order = sort_order
    if area_km2 is None:
        problems.add("area_km2", _("面積を入力してください。"))
    problems.extend(rules.district_figures(households=households, population=population,
                                           area_km2=area_km2, figures_as_of=figures_as_of))


@transaction.atomic
def district_create(*, region: Region, code: str, name: str, households: int,
                    population: int, area_km2: Decimal, name_kana: str = "",
                    name_en: str = "", figures_as_of: dt.date | None = None,
                    sort_order: int = 0, centre_name: str = "") -> District:
    """A new district with its centre, its first booth and its まちづくりセンター section."""
    problems = Problems()
    if not CODE_RE.match(code):
        problems.add("code", _(CODE_HINT))
    elif District.objects.filter(region=region, code=code).exists():
        problems.add("code", _("地域「%(region)s」には地区コード「%(code)s」が既にあります。")
                     % {"region": region.name, "code": code})
    district = District(region=region, code=code)
    _district_fields(district, problems, name=name, name_kana=name_kana, name_en=name_en,
                     households=households, population=population, area_km2=area_km2,
                     figures_as_of=figures_as_of, sort_order=sort_order)
    centre = DistrictCentre(name=centre_name.strip() or f"{district.name}まちづくりセンター")
    kind = SectionKind.objects.filter(tier=Tier.DISTRICT).first()
    section = None
    code_of_centre = section_code(kind, district=district) if kind is not None else None
    if kind is not None and code_of_centre is not None:
        section = Section(kind=kind, code=code_of_centre,
                          name=centre.name, office=centre.name, region=region)
        if Section.objects.filter(code=section.code).exists():
            problems.add("code", _("課・機関コード「%(code)s」は既に使われています。")
                         % {"code": section.code})
    problems.check(district, centre)
    save(district)
    centre.district = district
    save(centre, Booth(centre=centre, name=FIRST_BOOTH))
    if section is not None:
        section.district = district
        save(section)
    return district


@transaction.atomic
def district_update(*, district: District, name: str, households: int, population: int,
                    area_km2: Decimal, name_kana: str = "", name_en: str = "",
                    figures_as_of: dt.date | None = None, sort_order: int = 0) -> District:
    district = District.objects.select_for_update().select_related("region").get(pk=district.pk)
    problems = Problems()
    _district_fields(district, problems, name=name, name_kana=name_kana, name_en=name_en,
                     households=households, population=population, area_km2=area_km2,
                     figures_as_of=figures_as_of, sort_order=sort_order)
    problems.check(district)
    save(district)
    return district


# Centres and booths ----------------------------------------------------------------


@transaction.atomic
def centre_update(*, centre: DistrictCentre, name: str, opens_at: dt.time, closes_at: dt.time,
                  open_weekdays: Iterable[int], online_model_centre: bool,
                  postal_code: str = "", address: str = "", phone: str = "") -> DistrictCentre:
    centre = DistrictCentre.objects.select_for_update().get(pk=centre.pk)
    problems = Problems()
    weekdays = sorted({int(day) for day in open_weekdays})
    problems.extend(rules.centre_hours(opens_at=opens_at, closes_at=closes_at,
                                       open_weekdays=weekdays))
    problems.extend(rules.contact(phone=phone, postal_code=postal_code))
    centre.name, centre.address = name.strip(), address.strip()
    centre.phone, centre.postal_code = phone.strip(), postal_code.strip()
    centre.opens_at, centre.closes_at = opens_at, closes_at
    centre.open_weekdays = ",".join(str(day) for day in weekdays)
    centre.online_model_centre = online_model_centre
    problems.check(centre)
    save(centre)
    return centre


def _booth_fields(booth: Booth, problems: Problems, *, name: str, is_active: bool,
                  has_document_camera: bool, wheelchair_accessible: bool,
                  hearing_loop: bool, name_en: str = "") -> None:
    booth.name, booth.name_en = name.strip(), name_en.strip()
    booth.is_active, booth.has_document_camera = is_active, has_document_camera
    booth.wheelchair_accessible, booth.hearing_loop = wheelchair_accessible, hearing_loop
    others = Booth.objects.filter(centre=booth.centre, name=booth.name).exclude(pk=booth.pk)
    if booth.name and others.exists():
        words = {"centre": booth.centre.name, "name": booth.name}
        problems.add("name", _("「%(centre)s」には「%(name)s」という名前のブースが"
                               "既にあります。") % words)


@transaction.atomic
def booth_create(*, centre: DistrictCentre, name: str, is_active: bool = True,
                 has_document_camera: bool = True, wheelchair_accessible: bool = True,
                 hearing_loop: bool = False, name_en: str = "") -> Booth:
    booth = Booth(centre=centre)
    problems = Problems()
    _booth_fields(booth, problems, name=name, name_en=name_en, is_active=is_active,
                  hearing_loop=hearing_loop,
                  has_document_camera=has_document_camera,
                  wheelchair_accessible=wheelchair_accessible)
    problems.check(booth)
    save(booth)
    return booth


@transaction.atomic
def booth_update(*, booth: Booth, name: str, is_active: bool, has_document_camera: bool,
                 wheelchair_accessible: bool, hearing_loop: bool, name_en: str = "") -> Booth:
    booth = Booth.objects.select_for_update().select_related("centre").get(pk=booth.pk)
    problems = Problems()
    _booth_fields(booth, problems, name=name, name_en=name_en, is_active=is_active,
                  hearing_loop=hearing_loop,
                  has_document_camera=has_document_camera,
                  wheelchair_accessible=wheelchair_accessible)
    problems.check(booth)
    save(booth)
    return booth
