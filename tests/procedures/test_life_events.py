"""Life events: the data file checked against the catalogue, the residents' pages with the
offices of a chosen district, and the printed 受付案内票 read back from the PDF."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from madoguchi.core.dates import wareki
from madoguchi.procedures import life_events
from madoguchi.procedures.models import Procedure

NINE = ["転入", "転出", "出生", "死亡", "婚姻", "離婚", "介護が必要になった",
        "障害があるとわかった", "失業した"]
IKEJIRI = "setagaya/ikejiri"


def test_every_event_names_only_procedures_of_the_catalogue(catalogue):
    known = set(Procedure.objects.values_list("code", flat=True))
    events = life_events.parse_events(life_events.DATA_FILE.read_text(encoding="utf-8"),
                                      known=known)
    names = " ".join(event.name for event in events)
    for word in [*NINE, "出産・子育て", "区内", "高齢"]:
        assert word in names
    assert all(event.procedures and event.notes and event.name_en for event in events)
    shussei = next(event for event in events if event.code == "shussei")
    assert any("出生届" in note and "この一覧の手続きにはありません" in note
               for note in shussei.notes)


def test_an_unknown_code_is_refused_with_the_event_and_the_code():
    text = "- code: tennyu\n  name: 転入\n  procedures: [tennyu-todoke, no-such-thing]\n"
    with pytest.raises(life_events.LifeEventError) as caught:
        life_events.parse_events(text, known={"tennyu-todoke"})
    assert "tennyu: procedure 'no-such-thing' is not in the catalogue" in str(caught.value)


def test_malformed_events_are_refused():
    with pytest.raises(life_events.LifeEventError, match="a list of life events"):
        life_events.parse_events("code: x", known=set())
    with pytest.raises(life_events.LifeEventError, match="used twice"):
        life_events.parse_events("- {code: a, name: A, procedures: [p]}\n"
                                 "- {code: a, name: B, procedures: [p]}\n", known={"p"})


def test_load_procedures_checks_the_life_events(setagaya, capsys, tmp_path):
    with pytest.raises(CommandError, match="'tennyu-todoke' is not in the catalogue"):
        call_command("load_procedures", dir=tmp_path, verbosity=0)  # an empty catalogue
    call_command("load_procedures", verbosity=1)
    assert "life events: 12 checked" in capsys.readouterr().out


def test_the_list_shows_every_event(catalogue):
    page = Client().get(reverse("procedures:life_events")).content.decode()
    for event in life_events.all_events():
        assert event.name in page
        assert reverse("procedures:life_event", args=[event.code]) in page


def test_the_detail_lists_procedures_ways_and_what_to_bring(catalogue):
    page = Client().get(reverse("procedures:life_event", args=["tennyu"])).content.decode()
    for name in ["転入届", "国民健康保険の加入届", "児童手当の認定請求", "保育施設の利用申込"]:
        assert name in page
    assert page.index("転入届") < page.index("国民健康保険の加入届")
    assert "転出証明書" in page and "本人確認書類" in page
    assert "まちづくりセンターで職員と一緒に" in page and "オンラインで" in page
    assert "地区を選ぶと" in page  # no district yet: no offices


def test_the_chosen_district_shows_its_offices_and_is_kept_in_the_session(catalogue):
    client = Client()
    url = reverse("procedures:life_event", args=["tennyu"])
    response = client.post(url, {"district": IKEJIRI})
    assert response.status_code == 302 and response.url == url  # nothing in the URL
    page = client.get(url).content.decode()
    assert "池尻まちづくりセンター" in page
    assert "世田谷総合支所 くみん窓口" in page
    assert "本庁 国保・年金課" in page  # head-office sections named with their building
    assert "受付時間" in page and "8:30" in page
    other = client.get(reverse("procedures:life_event", args=["kaigo"])).content.decode()
    assert "池尻まちづくりセンター" in other


def test_a_tampered_district_is_refused_on_the_page(catalogue):
    response = Client().post(reverse("procedures:life_event", args=["tennyu"]),
                             {"district": "nowhere/at-all"})
    assert response.status_code == 200
    assert "field--error" in response.content.decode()


def test_unknown_event_is_404(catalogue):
    assert Client().get(reverse("procedures:life_event", args=["nothing"])).status_code == 404


def test_english_pages(catalogue):
    client = Client(headers={"accept-language": "en"})
    page = client.get(reverse("procedures:life_events")).content.decode()
    assert "Moved into Setagaya" in page
    detail = client.get(reverse("procedures:life_event", args=["shitsugyo"])).content.decode()
    assert "Lost your job" in detail and "Hello Work" in detail
    assert 'lang="en"' in detail


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_staff_print_the_slip_for_their_district(catalogue, staff_client):
    assert staff_client.get(reverse("procedures:life_events_staff")).status_code == 200
    response = staff_client.post(reverse("procedures:life_event_slip"), {
        "event": "shussei", "district": "", "resident_name": "世田谷 花子"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "花子" not in response["Content-Disposition"]
    text = _text(response.content).replace(" ", "").replace("\n", "")
    for expected in ["出生（子どもが生まれた）", "児童手当の認定請求", "国民健康保険の加入届",
                     "保育施設の利用申込", "池尻まちづくりセンター", "世田谷花子",
                     wareki(timezone.localdate()).replace(" ", "")]:
        assert expected in text, expected


def test_a_chosen_district_overrides_the_staff_members(catalogue, staff_client):
    response = staff_client.post(reverse("procedures:life_event_slip"), {
        "event": "kaigo", "district": "kinuta/kinuta"})
    text = _text(response.content).replace(" ", "").replace("\n", "")
    assert "要介護・要支援認定の申請" in text
    assert "池尻まちづくりセンター" not in text


def test_bad_slip_input_comes_back_on_the_page(catalogue, staff_client):
    response = staff_client.post(reverse("procedures:life_event_slip"), {
        "event": "nothing", "resident_name": "あ" * 61})
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "60文字以内" in page
