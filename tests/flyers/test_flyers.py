"""District flyers for newcomers: the PDF (A4 and A5) from the organisation and counter
data, its QR codes, the public page and the staff's list, and the one-click print on a
resident's page (people.actions) that leaves the page's audit as it was."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from madoguchi.accounts.models import Role
from madoguchi.audit.models import AuditEntry
from madoguchi.counter.catalogue import load_defaults
from madoguchi.people import services as people_services
from tests.helpers import login
from tests.tools import needs

pytestmark = pytest.mark.django_db
MM = 72 / 25.4
BASE = "http://testserver"
LINE = "https://lin.ee/setagaya-test"


@pytest.fixture
def world(setagaya):
    load_defaults()


def flyer(client: Client, district: str = "ikejiri", paper: str = "a4",
          region: str = "setagaya"):
    return client.get(reverse("flyers:pdf", kwargs={"region": region, "district": district,
                                                    "paper": paper}))


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def qr_codes(data: bytes, tmp_path) -> list[str]:
    source = tmp_path / "flyer.pdf"
    source.write_bytes(data)
    subprocess.run([needs("pdftoppm"), "-r", "150", "-png", source, tmp_path / "page"],
                   check=True)
    found: list[str] = []
    for image in sorted(tmp_path.glob("page-*.png")):
        result = subprocess.run([needs("zbarimg"), "-q", "--raw", image], capture_output=True,
                                text=True)
        found += result.stdout.split()
    return found


@pytest.mark.parametrize(("paper", "size"), [("a4", (210, 297)), ("a5", (148, 210))])
def test_the_flyer_is_one_page_of_the_paper_with_the_district_and_its_centre(world, paper,
                                                                          size):
    response = flyer(Client(), paper=paper)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == size
    text = text_of(response.content)
    assert "池尻地区へ ようこそ" in text and "池尻まちづくりセンター" in text
    # what the centre does: the section kind's data and the counter's window services
    assert "まちづくりセンターでできること" in text and "母子健康手帳" in text
    assert "開所時間" in text and "8:30〜17:15" in text


def test_only_facts_the_data_holds_are_printed(world):
    ikejiri = text_of(flyer(Client()).content)
    # 池尻's centre has no address nor number in the data: no address, the ward's number
    assert "所在地" not in ikejiri
    assert "電話（世田谷区役所 代表）\u300003-5432-1111" in ikejiri
    assert "行き方" not in ikejiri  # no directions in the organisation data
    kitami = text_of(flyer(Client(), district="kitami", region="kinuta").content)
    assert "世田谷区喜多見5丁目" in kitami and "03-3417-3401" in kitami
    assert "所在地\u3000世田谷区喜多見5丁目" in kitami and "電話\u300003-3417-3401" in kitami


@pytest.mark.needs("pdftoppm", "zbarimg")
def test_the_qr_codes_lead_to_the_district_page_and_the_guidance(world, tmp_path, settings):
    settings.LINE_ACCOUNT_URL = ""
    response = flyer(Client(), paper="a5")
    # zbarimg reports the codes of a page in no fixed order
    assert sorted(qr_codes(response.content, tmp_path)) == sorted([
        BASE + reverse("flyers:district", kwargs={"region": "setagaya", "district": "ikejiri"}),
        BASE + reverse("guidance:guide")])
    assert "LINE" not in text_of(response.content)


@pytest.mark.needs("pdftoppm", "zbarimg")
def test_the_line_code_is_printed_when_the_ward_has_set_its_account(world, tmp_path,
                                                                   settings):
    settings.LINE_ACCOUNT_URL = LINE
    response = flyer(Client())
    found = qr_codes(response.content, tmp_path)
    assert len(found) == 3 and LINE in found
    assert "世田谷区のLINE公式アカウント" in text_of(response.content)


def test_the_district_page_is_public_and_links_the_flyers(world):
    response = Client().get(reverse("flyers:district", kwargs={"region": "setagaya",
                                                               "district": "ikejiri"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "池尻地区へ ようこそ" in html and "池尻まちづくりセンター" in html
    for paper in ("a4", "a5"):
        assert reverse("flyers:pdf", kwargs={"region": "setagaya", "district": "ikejiri",
                                             "paper": paper}) in html
    assert reverse("counter:waits", args=["setagaya-ikejiri"]) in html


def test_unknown_districts_and_papers_are_not_found(world):
    client = Client()
    assert flyer(client, district="nowhere").status_code == 404
    assert flyer(client, paper="b5").status_code == 404
    assert client.get(reverse("flyers:district", kwargs={"region": "kinuta",
                                                         "district": "ikejiri"})
                      ).status_code == 404


def test_the_staff_list_needs_a_staff_login(world, make_staff):
    url = reverse("flyers:index")
    assert Client().get(url).status_code == 302
    clerk = make_staff(Role.SECTION_STAFF, "setagaya/kumin-madoguchi", "kumin-1")
    page = login(Client(), clerk).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count(".pdf") == 2 * 28 and "烏山" in html


def test_the_residents_page_prints_the_flyer_of_their_district_without_more_audit(
        world, make_staff):
    clerk = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center", "ike-1")
    resident = people_services.resident_create(by=clerk, source="tests", data={
        "family_name": "山田", "given_name": "花子", "family_name_kana": "ヤマダ",
        "given_name_kana": "ハナコ", "birth_date": "1990-04-12",
        "address": "世田谷区池尻二丁目1番（テスト）", "district": "setagaya/ikejiri"})
    client = login(Client(), clerk)
    before = AuditEntry.objects.count()
    page = client.get(reverse("people:detail", kwargs={"public_id": resident.public_id}))
    html = page.content.decode()
    url = reverse("flyers:pdf", kwargs={"region": "setagaya", "district": "ikejiri",
                                        "paper": "a4"})
    assert f'href="{url}"' in html and "池尻地区の転入者向けチラシを印刷" in html
    # the page's read is audited once, as before; the link names the district only
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.source) for e in entries] == [("view", "people:detail")]
    assert str(resident.public_id) not in url
    printed = client.get(url)
    assert printed.status_code == 200 and AuditEntry.objects.count() == before + 1
