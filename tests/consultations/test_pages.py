"""The consultation pages and API: the flow a centre and a section go through."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from madoguchi.audit.models import AuditEntry
from madoguchi.consultations import services
from madoguchi.consultations.models import Consultation, OnlineService, RoutingRule, Status
from madoguchi.scheduling.models import Booking
from tests.consultations.conftest import first_slot
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    return lambda user: login(client, user)


def detail(c):
    return reverse("consultations:detail", kwargs={"public_id": c.public_id})


def test_intake_flow_from_lookup_to_record(as_user, staff, make_resident):
    resident = make_resident(consent=False, needs_hearing_support=True)
    client = as_user(staff["centre"])
    lookup = client.get(reverse("consultations:intake"))
    html = lookup.content.decode()
    assert lookup.status_code == 200
    # It starts with the name search (focused); a known ID is the fallback, further down.
    assert html.index('name="q"') < html.index('name="resident"')
    assert re.search(r'<input type="search" name="q"[^>]*autofocus', html)
    assert "区民IDがわかっている場合" in html
    found = client.post(reverse("consultations:intake"), {"step": "search", "q": "ヤマダ"})
    assert f"?resident={resident.public_id}" in found.content.decode()
    url = f"{reverse('consultations:intake')}?resident={resident.public_id}"
    page = client.get(url)
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert re.search(r'name="needs_hearing_support"[^>]*checked', html)  # from the record
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
        assert f'for="{field_id}"' in html, field_id
    response = client.post(reverse("consultations:intake"), {
        "resident": str(resident.public_id), "centre": "setagaya/ikejiri",
        "category": "elderly", "worry": "父の介護について", "urgency": "urgent",
        "needs_hearing_support": "on", "consent_online": "on", "consent_share": "on",
        "consent_method": "oral"})
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(consultation)
    assert consultation.urgency == "urgent" and consultation.needs_hearing_support
    assert services.missing_consents(resident) == []


def test_intake_errors_are_linked_to_their_fields(as_user, staff, resident):
    client = as_user(staff["centre"])
    response = client.post(reverse("consultations:intake"), {
        "resident": str(resident.public_id), "category": "", "worry": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "相談の内容を入力してください。" in html and 'id="error-summary"' in html
    assert re.search(r'aria-describedby="[^"]*id_worry_error', html)
    assert 'aria-invalid="true"' in html
    assert not Consultation.objects.exists()


def test_unknown_or_foreign_resident_cannot_be_chosen(as_user, staff, make_resident):
    other = make_resident(by=staff["matsubara"], region="kitazawa", district="matsubara")
    client = as_user(staff["centre"])
    response = client.get(f"{reverse('consultations:intake')}?resident={other.public_id}")
    assert "この区民IDの区民は見つかりません。" in response.content.decode()
    response = client.get(f"{reverse('consultations:intake')}?resident=not-a-uuid")
    assert "区民IDの形式が正しくありません。" in response.content.decode()


def test_record_page_offers_what_the_server_allows(as_user, staff, intake, resident):
    consultation = intake(resident)
    html = as_user(staff["centre"]).get(detail(consultation)).content.decode()
    assert "回付先を決める" in html and "日時を予約する" not in html
    assert "母の介護のことで相談したい。" in html
    assert AuditEntry.objects.filter(action="view", record_type="consultation",
                                     source="consultations:detail").exists()


def test_route_page_override_needs_a_reason(as_user, staff, intake, resident):
    consultation = intake(resident)
    client = as_user(staff["centre"])
    url = reverse("consultations:route", kwargs={"public_id": consultation.public_id})
    page = client.get(url).content.decode()
    assert 'value="setagaya/hoken-fukushi" selected' in page
    assert "setagaya-trust" not in page  # not online at 池尻
    response = client.post(url, {"section": "setagaya/seikatsu-shien", "reason": ""})
    assert "理由を入力してください" in response.content.decode()
    response = client.post(url, {"section": "setagaya/seikatsu-shien",
                                 "reason": "生活費の相談"})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.section.code == "setagaya/seikatsu-shien"


def test_book_page_books_a_listed_slot(as_user, staff, routed):
    client = as_user(staff["centre"])
    url = reverse("consultations:book", kwargs={"public_id": routed.public_id})
    page = client.get(url).content.decode()
    starts = re.findall(r'name="start" id="slot-\d+" value="([^"]+)"', page)
    assert len(starts) == 10
    response = client.post(url, {"step": "book", "start": starts[0],
                                 "idempotency_key": "abc"})
    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.status == Status.BOOKED
    assert "no-store" in client.get(detail(routed))["Cache-Control"]


def test_book_page_shows_why_and_the_next_free_slot(as_user, staff, routed, intake,
                                                    make_resident):
    slot = first_slot(routed, staff=staff["hoken"])
    other = intake(make_resident())
    other = services.consultation_route(by=staff["centre"], consultation=other,
                                        section=other.proposed_section, source="t")
    services.consultation_book(by=staff["centre"], consultation=other, start=slot.start,
                               staff=staff["hoken"], remote=True, source="t")
    client = as_user(staff["centre"])
    url = reverse("consultations:book", kwargs={"public_id": routed.public_id})
    response = client.post(url, {"step": "book", "start": slot.start.isoformat(),
                                 "staff": str(staff["hoken"].pk)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "次に空いている時間" in html and "予約は保存されていません。" in html
    assert Booking.objects.count() == 1


def test_centre_sees_the_result_but_not_the_sections_summary(as_user, staff, booked, client):
    services.outcome_record(by=staff["hoken"], consultation=booked, source="t",
                            data={"result": "home_visit", "summary": "内部メモ：家族関係に注意",
                                  "duration_minutes": 30})
    centre_html = as_user(staff["centre"]).get(detail(booked)).content.decode()
    assert "訪問を調整した" in centre_html and "内部メモ" not in centre_html
    section_html = login(client, staff["hoken"]).get(detail(booked)).content.decode()
    assert "内部メモ" in section_html


def test_outcome_page_and_followups(as_user, staff, booked):
    client = as_user(staff["hoken"])
    url = reverse("consultations:outcome", kwargs={"public_id": booked.public_id})
    assert client.get(url).status_code == 200
    response = client.post(url, {"result": "", "duration_minutes": "x"})
    assert "対応結果を一覧から選んでください。" in response.content.decode()
    response = client.post(url, {"result": "explained", "duration_minutes": "25",
                                 "satisfied": "neutral"})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Status.COMPLETED


def test_inbox_is_bounded_and_audited(as_user, staff, intake, make_resident,
                                      django_assert_max_num_queries):
    for _ in range(5):
        c = intake(make_resident())
        services.consultation_route(by=staff["centre"], consultation=c,
                                    section=c.proposed_section, source="t")
    client = as_user(staff["hoken"])
    client.get(reverse("consultations:inbox"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("consultations:inbox"))
    assert response.content.decode().count("consultations/") >= 5
    assert AuditEntry.objects.filter(action="list", source="consultations:inbox").count() >= 5
    assert as_user(staff["kazei"]).get(reverse("consultations:inbox")).content.decode().count(
        'scope="row"') == 0


def test_admin_edits_rules_and_online_services(as_user, staff):
    client = as_user(staff["admin"])
    response = client.post(reverse("consultations:routing_rule_create"), {
        "category": "housing", "keywords": "家賃", "section_kind": "seikatsu-shien",
        "priority": "200", "active": "on"})
    assert response.status_code == 302
    assert RoutingRule.objects.filter(keywords="家賃", priority=200).exists()
    response = client.post(reverse("consultations:routing_rule_create"), {"category": ""})
    assert "分類を一覧から選んでください。" in response.content.decode()
    centre = staff["taishido"].memberships.get().unit.district.centre
    client.post(reverse("consultations:online_services"),
                {"centre": centre.pk, "kind": "hoken-fukushi", "enabled": "1"})
    assert OnlineService.objects.get(centre=centre, section_kind__code="hoken-fukushi").enabled


def test_api_flow(as_user, staff, make_resident):
    resident = make_resident(consent=False)
    client = as_user(staff["centre"])
    response = client.post("/api/v1/consultations", {
        "resident": str(resident.public_id), "worry": "住民税の通知が届いた",
        "category": "resident-tax"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    public_id = body["public_id"]
    assert body["proposed_section"] == "kazei" and body["allowed_transitions"] == [
        "route", "cancel"]
    response = client.post(f"/api/v1/consultations/{public_id}/route",
                           {"section": "kazei"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["stage"] == 3
    consultation = Consultation.objects.get(public_id=public_id)
    slot = first_slot(consultation)
    response = client.post(f"/api/v1/consultations/{public_id}/book",
                           {"start": slot.start.isoformat()}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "オンライン相談と記録の共有について、区民の同意が記録されていません。")
    services.consultation_intake(by=staff["centre"], resident=resident, source="t",
                                 data={"worry": "x", "category": "other",
                                       "consent_online": True, "consent_share": True})
    response = client.post(f"/api/v1/consultations/{public_id}/book",
                           {"start": "2000-01-04T10:00:00+09:00"},
                           content_type="application/json")
    assert response.status_code == 409 and response.json()["code"]
    response = client.post(f"/api/v1/consultations/{public_id}/book",
                           {"start": slot.start.isoformat()}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "booked"
    listing = client.get("/api/v1/consultations").json()
    assert len(listing["results"]) == 2
    kazei = login(client, staff["kazei"])
    response = kazei.post(f"/api/v1/consultations/{public_id}/outcome",
                          {"result": "explained", "summary": "課内メモ", "duration_minutes": 15},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["outcome"]["summary"] == "課内メモ"
    centre = login(client, staff["centre"])
    assert centre.get(f"/api/v1/consultations/{public_id}").json()["outcome"]["summary"] is None
    other = login(client, staff["matsubara"])
    assert other.get(f"/api/v1/consultations/{public_id}").status_code == 404
