"""Where the centres are: addresses and telephone numbers come from public sources noted
per centre in the organisation data, nothing is invented, and every page that sends a
resident to a centre shows how to reach it (the branch office's number, else the ward
office's, where a centre has none)."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from madoguchi.organisation.contact import centre_contact
from madoguchi.organisation.loader import DEFAULT_DATA
from madoguchi.organisation.models import DistrictCentre, Region

pytestmark = pytest.mark.django_db


def centre(region: str, district: str) -> DistrictCentre:
    return DistrictCentre.objects.select_related("district__region").get(
        district__region__code=region, district__code=district)


def test_every_address_and_phone_in_the_data_names_its_source():
    data = json.loads(DEFAULT_DATA.read_text(encoding="utf-8"))
    districts = [d for r in data["regions"] for d in r["districts"]]
    assert len(districts) == 28
    for place in districts + data["regions"]:
        if place.get("address") or place.get("phone"):
            assert re.match(r"https?://\S+$", place.get("source_url", "")), place["code"]
        if place.get("phone"):
            assert re.fullmatch(r"0\d{1,4}-\d{1,4}-\d{4}", place["phone"]), place["phone"]
    assert any(d.get("phone") for d in districts)


def test_loaded_centres_carry_their_source(setagaya):
    kitami = centre("kinuta", "kitami")
    assert kitami.phone == "03-3417-3401" and kitami.source_url.startswith("https://")
    contact = centre_contact(kitami)
    assert (contact.phone, contact.phone_owner) == ("03-3417-3401", "")


def test_a_centre_without_a_phone_gives_its_branch_office_then_the_ward(setagaya):
    ikejiri = centre("setagaya", "ikejiri")
    assert ikejiri.phone == ""
    contact = centre_contact(ikejiri)
    assert contact.phone == settings.DOCUMENTS_WARD_PHONE
    assert contact.phone_label == "電話（世田谷区役所 代表）"
    Region.objects.filter(code="setagaya").update(phone="03-0000-0001")
    contact = centre_contact(centre("setagaya", "ikejiri"))
    assert (contact.phone, contact.phone_label) == ("03-0000-0001", "電話（世田谷総合支所）")


def test_pages_that_send_a_resident_to_a_centre_show_how_to_reach_it(setagaya):
    from madoguchi.consultations.setup import load_consultation_setup

    load_consultation_setup()
    Region.objects.filter(code="kinuta").update(phone="03-0000-0002")
    front = Client().get(reverse("core:index")).content.decode()
    assert "03-3417-3401" in front and "世田谷区喜多見5丁目" in front
    assert "電話（砧総合支所）" in front and "お問い合わせください" not in front
    # The guidance page's "consult online from your centre" card (船橋: a model centre).
    page = Client().post("/guide/", {"q": "国保に入りたい", "district": "kinuta/funabashi"})
    html = page.content.decode()
    assert "オンラインで相談できます" in html
    assert 'href="tel:03-0000-0002"' in html and "電話（砧総合支所）" in html
