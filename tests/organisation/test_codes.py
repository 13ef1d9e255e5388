"""The organisation's code scheme (``organisation.codes``): every section the ward's data
loads has the code the scheme gives its kind and place, and other contexts find the
section serving a district through it."""

from __future__ import annotations

import pytest

from madoguchi.organisation import selectors
from madoguchi.organisation.codes import section_code, split_district_key
from madoguchi.organisation.models import District, Section, SectionKind, Tier

pytestmark = pytest.mark.django_db


def test_every_loaded_section_has_the_code_of_its_kind_and_place(setagaya):
    sections = list(Section.objects.select_related("kind", "region", "district__region"))
    assert len(sections) > 100
    for section in sections:
        assert section_code(section.kind, region=section.region,
                            district=section.district) == section.code


def test_the_section_serving_a_district_per_tier(setagaya):
    ikejiri = District.objects.select_related("region").get(region__code="setagaya",
                                                            code="ikejiri")
    expected = {Tier.HEAD: "{kind}", Tier.SPECIALIST: "{kind}",
                Tier.BRANCH: "setagaya/{kind}", Tier.DISTRICT: "setagaya/ikejiri/{kind}",
                Tier.PARTNER: "setagaya/ikejiri/{kind}"}
    for tier, pattern in expected.items():
        kind = SectionKind.objects.filter(tier=tier).order_by("code").first()
        code = pattern.format(kind=kind.code)
        assert section_code(kind, district=ikejiri) == code
        assert selectors.section_serving(kind, ikejiri).code == code


def test_a_kind_without_its_place_has_no_code(setagaya):
    branch = SectionKind.objects.filter(tier=Tier.BRANCH).first()
    partner = SectionKind.objects.filter(tier=Tier.PARTNER).first()
    head = SectionKind.objects.filter(tier=Tier.HEAD).first()
    assert section_code(branch) is None
    assert section_code(partner) is None
    assert section_code(head) == head.code


def test_an_inactive_section_serves_nobody(setagaya):
    ikejiri = District.objects.get(region__code="setagaya", code="ikejiri")
    kind = SectionKind.objects.filter(tier=Tier.BRANCH).first()
    Section.objects.filter(code=f"setagaya/{kind.code}").update(is_active=False)
    assert selectors.section_serving(kind, ikejiri) is None


@pytest.mark.parametrize(("key", "parts"), [
    ("setagaya/ikejiri", ("setagaya", "ikejiri")),
    (" kinuta/kinuta ", ("kinuta", "kinuta")),
    ("ikejiri", None), ("setagaya/", None), ("/ikejiri", None), ("", None), (None, None),
])
def test_district_keys(key, parts):
    assert split_district_key(key) == parts
