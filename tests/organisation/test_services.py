"""Organisation services validate before writing and never leave half a change behind."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from madoguchi.organisation import services
from madoguchi.organisation.loader import load_organisation, read_data
from madoguchi.organisation.models import (
    District,
    DistrictCentre,
    Region,
    Section,
    SectionKind,
)


def snapshot() -> tuple[int, ...]:
    return (District.objects.count(), DistrictCentre.objects.count(), Section.objects.count())


def test_district_create_refuses_before_writing_anything(setagaya):
    region = Region.objects.get(code="setagaya")
    kind = SectionKind.objects.get(code="anshin")
    services.section_create(kind=SectionKind.objects.get(code="machizukuri-center"),
                            name="予約済み", district=District.objects.get(code="ikejiri"),
                            code="setagaya/shinmachi/machizukuri-center")
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        services.district_create(region=region, code="shinmachi", name="新町", households=1,
                                 population=2, area_km2=Decimal("0.3"))
    assert "既に使われています" in str(excinfo.value.message_dict["code"])
    assert snapshot() == before
    assert kind.sections.count() == 28


def test_same_district_code_in_another_region_is_fine(setagaya):
    district = services.district_create(
        region=Region.objects.get(code="kinuta"), code="ikejiri", name="池尻（砧）",
        households=10, population=20, area_km2=Decimal("0.1"))
    assert district.key == "kinuta/ikejiri"
    assert district.centre.name == "池尻（砧）まちづくりセンター"


@pytest.mark.parametrize(("kind", "place", "field", "message"), [
    ("kazei", {"region": "setagaya"}, "region", "地域を指定できません"),
    ("port", {"district": "ikejiri"}, "district", "地区を指定できません"),
    ("hoken-fukushi", {}, "region", "地域を指定してください"),
    ("hoken-fukushi", {"region": "setagaya", "district": "ikejiri"}, "district",
     "地区を指定できません"),
    ("anshin", {"region": "setagaya"}, "district", "地区を指定してください"),
    ("jidokan", {"region": "kinuta", "district": "ikejiri"}, "region",
     "地区「池尻」は地域「砧」にありません。"),
])
def test_section_place_must_fit_the_tier(setagaya, kind, place, field, message):
    region = Region.objects.get(code=place["region"]) if "region" in place else None
    district = District.objects.get(code=place["district"]) if "district" in place else None
    with pytest.raises(ValidationError) as excinfo:
        services.section_create(kind=SectionKind.objects.get(code=kind), name="新しい課",
                                code="new-section", region=region, district=district)
    assert message in " ".join(excinfo.value.message_dict[field])
    assert not Section.objects.filter(code="new-section").exists()


def test_default_codes_follow_the_contract(setagaya):
    kind = SectionKind.objects.create(code="kosodate-hiroba", name="子育てひろば",
                                      tier="partner")
    section = services.section_create(kind=kind, name="子育てひろば池尻",
                                      district=District.objects.get(code="ikejiri"))
    assert (section.code, section.region.code) == ("setagaya/ikejiri/kosodate-hiroba",
                                                   "setagaya")
    branch = SectionKind.objects.create(code="keikaku", name="街づくり課", tier="branch")
    section = services.section_create(kind=branch, name="玉川総合支所 街づくり課",
                                      region=Region.objects.get(code="tamagawa"))
    assert section.code == "tamagawa/keikaku"


def test_centre_rules(setagaya):
    centre = DistrictCentre.objects.get(district__code="yoga")
    with pytest.raises(ValidationError) as excinfo:
        services.centre_update(centre=centre, name=centre.name, opens_at=dt.time(9),
                               closes_at=dt.time(9), open_weekdays=[7],
                               online_model_centre=True, postal_code="1580097")
    errors = excinfo.value.message_dict
    assert errors["closes_at"] == ["閉所時刻は開所時刻より後にしてください。"]
    assert "曜日は月曜（0）から日曜（6）" in errors["open_weekdays"][0]
    centre.refresh_from_db()
    assert centre.closes_at == dt.time(17, 15)


def test_loader_runs_in_one_transaction(setagaya):
    data = copy.deepcopy(read_data())
    data["regions"][0]["name"] = "書き換え"  # written first ...
    data["regions"][-1]["districts"][-1]["area_km2"] = "0"  # ... then the area check fails
    with pytest.raises(IntegrityError):
        load_organisation(data=data, overwrite=True)
    assert Region.objects.get(code="setagaya").name == "世田谷"
    assert District.objects.get(region__code="karasuyama", code="karasuyama").area_km2 == (
        Decimal("3.837"))
