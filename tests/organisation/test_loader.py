"""load_setagaya creates the ward's organisation once and is safe to run again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from madoguchi.organisation.models import (
    Booth,
    District,
    DistrictCentre,
    Region,
    Section,
    SectionKind,
    Tier,
)

MODEL_CENTRES = {"ikejiri", "matsubara", "yoga", "funabashi", "kamikitazawa"}


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Region, District, DistrictCentre, Booth, SectionKind, Section)}


EXPECTED = {"Region": 5, "District": 28, "DistrictCentre": 28, "Booth": 33,
            "SectionKind": 20, "Section": 6 * 5 + 5 + 28 * 4 + 5}


def test_loads_the_ward_and_a_second_run_changes_nothing(setagaya):
    assert counts() == EXPECTED
    before = list(Section.objects.values_list("pk", "code", "name", "office"))
    out = StringIO()
    call_command("load_setagaya", stdout=out)
    assert counts() == EXPECTED
    assert list(Section.objects.values_list("pk", "code", "name", "office")) == before
    assert "地区: 28件（新規 0・更新 0）" in out.getvalue()


def test_silent_at_verbosity_zero(db):
    out = StringIO()
    call_command("load_setagaya", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert counts() == EXPECTED


def test_regions_and_branch_offices_in_the_wards_order(setagaya):
    rows = list(Region.objects.values_list("code", "branch_office_name"))
    assert rows == [("setagaya", "世田谷総合支所"), ("kitazawa", "北沢総合支所"),
                    ("tamagawa", "玉川総合支所"), ("kinuta", "砧総合支所"),
                    ("karasuyama", "烏山総合支所")]


def test_district_figures_match_the_2022_plan(setagaya):
    totals = District.objects.aggregate(h=Sum("households"), p=Sum("population"),
                                        a=Sum("area_km2"))
    assert totals == {"h": 492271, "p": 917070, "a": Decimal("58.049")}
    ikejiri = District.objects.get(region__code="setagaya", code="ikejiri")
    assert (ikejiri.households, ikejiri.population, ikejiri.area_km2) == (
        14521, 24201, Decimal("1.186"))
    assert ikejiri.figures_as_of == dt.date(2022, 9, 1)
    # Region totals as printed in the plan (令和4年9月現在).
    by_region = dict(Region.objects.annotate(p=Sum("districts__population"))
                     .values_list("code", "p"))
    assert by_region == {"setagaya": 252667, "kitazawa": 153592, "tamagawa": 226072,
                         "kinuta": 164572, "karasuyama": 120167}
    # A district code is unique only within its region.
    assert District.objects.filter(code="kitazawa").get().region.code == "kitazawa"


def test_centres_hours_model_centres_and_booths(setagaya):
    centres = DistrictCentre.objects.select_related("district")
    assert {c.district.code for c in centres if c.online_model_centre} == MODEL_CENTRES
    for centre in centres:
        assert centre.name == f"{centre.district.name}まちづくりセンター"
        assert (centre.opens_at, centre.closes_at) == (dt.time(8, 30), dt.time(17, 15))
        assert centre.weekdays == {0, 1, 2, 3, 4}
        # Never invented: an address or phone only with the public source it came from.
        if centre.address or centre.phone:
            assert centre.source_url.startswith("https://"), centre.name
        expected = ["相談ブース1", "相談ブース2"] if centre.online_model_centre else ["相談ブース1"]
        assert sorted(centre.booths.values_list("name", flat=True)) == expected


@pytest.mark.parametrize(("code", "name", "office", "region", "district"), [
    ("kazei", "課税課", "本庁", None, None),
    ("setagaya/hoken-fukushi", "世田谷総合支所 保健福祉課", "世田谷総合支所", "setagaya", None),
    ("karasuyama/kumin-madoguchi", "烏山総合支所 くみん窓口", "烏山総合支所", "karasuyama",
     None),
    ("setagaya/ikejiri/machizukuri-center", "池尻まちづくりセンター", "池尻まちづくりセンター",
     "setagaya", "ikejiri"),
    ("setagaya/ikejiri/anshin", "あんしんすこやかセンター池尻", "池尻まちづくりセンター",
     "setagaya", "ikejiri"),
    ("kinuta/kinuta/shakyo", "社会福祉協議会 砧地区", "砧まちづくりセンター", "kinuta",
     "kinuta"),
    ("setagaya/ikejiri/jidokan", "池尻児童館", "池尻児童館", "setagaya", "ikejiri"),
    ("port", "ぽーと", "", None, None),
])
def test_section_codes_names_and_places(setagaya, code, name, office, region, district):
    section = Section.objects.select_related("region", "district").get(code=code)
    assert (section.name, section.office) == (name, office)
    assert (section.region.code if section.region else None) == region
    assert (section.district.code if section.district else None) == district


def test_section_counts_per_tier(setagaya):
    per_tier = {tier: Section.objects.filter(kind__tier=tier).count() for tier in Tier.values}
    assert per_tier == {"head": 5, "branch": 30, "district": 28, "partner": 84,
                        "specialist": 5}


def test_rerun_keeps_administrators_edits_unless_overwrite(setagaya):
    ikejiri = District.objects.get(region__code="setagaya", code="ikejiri")
    ikejiri.population = 25000
    ikejiri.save()
    call_command("load_setagaya", verbosity=0)
    ikejiri.refresh_from_db()
    assert ikejiri.population == 25000
    call_command("load_setagaya", "--overwrite", verbosity=0)
    ikejiri.refresh_from_db()
    assert ikejiri.population == 24201
    assert counts() == EXPECTED
