"""The move-in flyer at the counter (ADR 0057): くみん窓口 staff print the flyer of a moving-in
resident's district in one request from their counter's page, without seeing residents.

The panel is the flyers' entry in counter's panel registry (``counter.panels``): shown at
offices that take 住民異動の届出, with the office's own region's districts as links to their
PDF and a picker of every district (``flyers:print``). No resident is read, so nothing is
audited; what the clerk may open of residents is as before."""

from __future__ import annotations

import html as markup
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from madoguchi.accounts.models import Role
from madoguchi.audit.models import AuditEntry
from madoguchi.counter.catalogue import load_defaults
from madoguchi.counter.models import Office, ServiceGroup
from madoguchi.people import services as people_services
from tests.helpers import login

pytestmark = pytest.mark.django_db
MM = 72 / 25.4
KUMIN_UNIT = "setagaya/kumin-madoguchi"


@pytest.fixture
def world(setagaya):
    load_defaults()


@pytest.fixture
def kumin_clerk(world, make_staff):
    return make_staff(Role.SECTION_STAFF, KUMIN_UNIT, "kumin-clerk")


def counter_page(client: Client, office: str = "setagaya-kumin") -> str:
    response = client.get(reverse("counter:counter", kwargs={"office": office, "number": 1}))
    assert response.status_code == 200
    return response.content.decode()


def panel(page: str) -> str:
    found = re.search(r'<section aria-labelledby="flyers-move-in">.*?</section>', page, re.S)
    return found.group(0) if found else ""


def text_of(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_the_kumin_clerk_prints_the_flyer_of_a_district_in_one_request(kumin_clerk):
    client = login(Client(), kumin_clerk)
    before = AuditEntry.objects.count()
    shown = panel(counter_page(client))
    assert "転入された方へのチラシ" in shown and "世田谷地域の地区" in shown
    # 世田谷's くみん窓口: its region's districts, each one click from the page
    links = dict(re.findall(r'<a [^>]*href="([^"]+)">([^<]+)</a>', shown))
    ikejiri = reverse("flyers:pdf", kwargs={"region": "setagaya", "district": "ikejiri",
                                            "paper": "a4"})
    assert links[ikejiri] == "池尻：A4のPDF"
    assert not any("/kinuta/" in url for url in links)  # other regions: in the picker
    printed = client.get(ikejiri)  # the link's one request answers the PDF itself
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert "池尻地区へ ようこそ" in text_of(printed.content)
    # every district of the ward in the picker, the office's region first
    values = re.findall(r'<option value="([a-z-]+/[a-z-]+)">', shown)
    assert len(values) == 28 and values[0].startswith("setagaya/") and "kinuta/kitami" in values
    action = markup.unescape(re.search(r'<form method="get" action="([^"]+)"', shown).group(1))
    assert action == reverse("flyers:print")
    chosen = client.get(action, {"district": "kinuta/kitami", "paper": "a5"})
    assert chosen.status_code == 200 and chosen["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(chosen.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (148, 210)
    assert "喜多見地区へ ようこそ" in text_of(chosen.content)
    # no resident was read: nothing audited
    assert AuditEntry.objects.count() == before


def test_the_kumin_clerk_still_cannot_open_a_residents_page(kumin_clerk, make_staff):
    centre = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    resident = people_services.resident_create(by=centre, source="tests", data={
        "family_name": "転入", "given_name": "花子", "family_name_kana": "テンニュウ",
        "given_name_kana": "ハナコ", "birth_date": "1990-04-12",
        "address": "世田谷区池尻二丁目1番（テスト）", "district": "setagaya/ikejiri"})
    client = login(Client(), kumin_clerk)
    page = counter_page(client)
    assert "転入" not in panel(page).replace("転入された方", "")
    assert "転入 花子" not in page and "テンニュウ" not in page
    detail = client.get(reverse("people:detail", kwargs={"public_id": resident.public_id}))
    assert detail.status_code == 404
    found = client.post(reverse("people:search"), {"q": "テンニュウ"}).content.decode()
    assert str(resident.public_id) not in found and "花子" not in found


def test_the_panel_is_at_offices_that_take_moves_only(kumin_clerk, make_staff):
    client = login(Client(), kumin_clerk)
    office = client.get(reverse("counter:office", kwargs={"office": "setagaya-kumin"}))
    assert panel(office.content.decode())  # the office page shows it too
    # a district centre takes no 住民異動の届出: no panel on its counter page
    centre = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    assert panel(counter_page(login(Client(), centre), "setagaya-ikejiri")) == ""
    # the くみん窓口 stops taking them: the panel goes too
    kumin = Office.objects.get(code="setagaya-kumin")
    kumin.services.filter(group=ServiceGroup.REGISTRATION).update(is_active=False)
    assert panel(counter_page(client)) == ""


def test_the_picker_needs_a_staff_login_a_district_and_a_paper(kumin_clerk):
    url = reverse("flyers:print")
    assert Client().get(url, {"district": "setagaya/ikejiri"}).status_code == 302
    client = login(Client(), kumin_clerk)
    assert client.get(url).status_code == 400
    assert client.get(url, {"district": "ikejiri"}).status_code == 400
    assert client.get(url, {"district": "setagaya/nowhere"}).status_code == 404
    assert client.get(url, {"district": "kinuta/ikejiri"}).status_code == 404
    assert client.get(url, {"district": "setagaya/ikejiri", "paper": "b5"}).status_code == 400
    answered = client.get(url, {"district": "setagaya/ikejiri"})  # A4 unless chosen
    assert answered.status_code == 200
    assert answered["Content-Disposition"] == 'inline; filename="flyer-setagaya-ikejiri-a4.pdf"'
