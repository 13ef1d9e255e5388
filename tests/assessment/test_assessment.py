"""The yearly district assessment (issue 14 item 5): written by the centre, approved by the
centre's head and then the branch office, published as an accessible page and an A4 PDF with the
document font embedded; refusals in Japanese with nothing half-saved."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from madoguchi.accounts.models import Role
from madoguchi.assessment.models import Assessment, AssessmentEvent, Status
from madoguchi.consultations.models import StatEvent
from madoguchi.organisation.models import District
from tests.helpers import login

TOKYO = ZoneInfo("Asia/Tokyo")
CENTRE = "setagaya/ikejiri/machizukuri-center"
TEXTS = {"situation": "高齢の単身世帯が増えています。", "issues": "見守りの担い手が不足。",
         "resources": "町会・自治会、あんしんすこやかセンター。", "actions": "見守り講座を開催。"}


@pytest.fixture
def people(make_staff):
    return {"writer": login(Client(), make_staff(Role.DISTRICT_STAFF, CENTRE)),
            "head": login(Client(), make_staff(Role.CENTRE_HEAD, CENTRE, "ikejiri-head")),
            "branch": login(Client(), make_staff(Role.SECTION_MANAGER,
                                                 "setagaya/hoken-fukushi")),
            "other_branch": login(Client(), make_staff(Role.SECTION_MANAGER,
                                                       "kitazawa/hoken-fukushi"))}


def url(name: str, year: int = 2025, *extra) -> str:
    return reverse(f"assessment:{name}", args=["setagaya", "ikejiri", year, *extra])


def intake(year: int, n: int) -> None:
    district = District.objects.select_related("centre").get(code="ikejiri")
    StatEvent.objects.bulk_create([
        StatEvent(at=dt.datetime(year, 6, 1, 10, tzinfo=TOKYO), kind="intake",
                  centre=district.centre, district=district, category="elderly",
                  urgency="normal") for _ in range(n)])


def write_and_publish(people, year: int = 2025) -> Assessment:
    assert people["writer"].post(url("save", year), TEXTS).status_code == 302
    people["writer"].post(url("step", year, "submit"))
    people["head"].post(url("step", year, "approve"))
    people["branch"].post(url("step", year, "approve"))
    people["writer"].post(url("step", year, "publish"))
    return Assessment.objects.get(fiscal_year=year)


def test_the_whole_way_to_the_public_page_and_pdf(people, client):
    intake(2025, 12)
    intake(2024, 9)
    assessment = write_and_publish(people)
    assert assessment.status == Status.PUBLISHED
    charts = [chart["code"] for chart in assessment.figures["charts"]]
    assert len(assessment.chart_svgs) == len(charts)
    # A chart for every registered figure that counts (the mean waiting days is text),
    # the assessment's own providers and those of other contexts (collaboration).
    assert {"consultations.category", "applications.procedure",
            "collaboration.records"} <= set(charts)
    assert bytes(assessment.pdf).startswith(b"%PDF")  # made once, at publication
    assert [e.to_status for e in AssessmentEvent.objects.filter(assessment=assessment)] == [
        "draft", "submitted", "centre_approved", "approved", "published"]
    page = client.get(url("public"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "池尻地区 地区アセスメント（令和7年度）" in text
    assert TEXTS["issues"] in text
    assert 'role="img" aria-labelledby="chart-1-title"' in text  # the chart, labelled
    assert "12件（前年度 9件、3件増）" in text  # the text summary, year on year
    assert "<table" in text  # the data table
    assert "データがありません" in text  # applications: none yet, no error
    document = client.get(url("public_pdf"))
    assert document["Content-Type"] == "application/pdf"
    assert document.content == bytes(assessment.pdf)
    reader = PdfReader(io.BytesIO(document.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].get_object().values()}
    assert any("NotoSansJP" in font for font in fonts)
    assert "地区の課題" in "".join(page.extract_text() for page in reader.pages)


def test_earlier_years_stay_readable(people, client):
    intake(2024, 6)
    write_and_publish(people, 2024)
    write_and_publish(people, 2025)
    listing = client.get(reverse("assessment:public_list", args=["setagaya", "ikejiri"]))
    assert "令和6年度" in listing.content.decode() and "令和7年度" in listing.content.decode()
    page = client.get(url("public", 2025)).content.decode()
    assert url("public", 2024) in page
    assert client.get(url("public", 2024)).status_code == 200


def test_not_published_without_both_approvals(people, client):
    people["writer"].post(url("save"), TEXTS)
    people["writer"].post(url("step", 2025, "submit"))
    response = people["writer"].post(url("step", 2025, "publish"), follow=True)
    assert "センター長と総合支所の承認を受けてから公開してください。" in response.content.decode()
    assert Assessment.objects.get().status == Status.SUBMITTED
    assert client.get(url("public")).status_code == 404


def test_the_writer_may_not_approve_alone_and_another_branch_may_not(people):
    people["writer"].post(url("save"), TEXTS)
    people["writer"].post(url("step", 2025, "submit"))
    assert people["writer"].post(url("step", 2025, "approve")).status_code == 403
    people["head"].post(url("step", 2025, "approve"))
    assert people["other_branch"].post(url("step", 2025, "approve")).status_code == 403
    assert Assessment.objects.get().status == Status.CENTRE_APPROVED
    assert Assessment.objects.get().figures == {}


def test_only_the_head_of_the_districts_centre_approves_for_the_centre(people, make_staff):
    colleague = login(Client(), make_staff(Role.DISTRICT_STAFF, CENTRE))
    taishido_head = login(Client(), make_staff(Role.CENTRE_HEAD,
                                               "setagaya/taishido/machizukuri-center"))
    people["writer"].post(url("save"), TEXTS)
    people["writer"].post(url("step", 2025, "submit"))
    for someone in (colleague, taishido_head):
        assert someone.post(url("step", 2025, "approve")).status_code == 403
        assert someone.post(url("step", 2025, "return"), {"reason": "x"}).status_code == 403
    assert Assessment.objects.get().status == Status.SUBMITTED
    people["head"].post(url("step", 2025, "approve"))
    assessment = Assessment.objects.get()
    assert assessment.status == Status.CENTRE_APPROVED
    step = AssessmentEvent.objects.filter(assessment=assessment).latest("pk")
    assert (step.actor.username, step.from_status, step.to_status) == (
        "ikejiri-head", Status.SUBMITTED, Status.CENTRE_APPROVED)


def test_incomplete_assessment_is_not_submitted(people):
    people["writer"].post(url("save"), {"situation": "状況だけ"})
    response = people["writer"].post(url("step", 2025, "submit"), follow=True)
    assert "次の項目を書いてから提出してください: 地区の課題、地域資源、今年度の取組" in (
        response.content.decode())
    assert Assessment.objects.get().status == Status.DRAFT


def test_second_save_on_the_same_revision_is_refused_with_the_others_text(people):
    people["writer"].post(url("save"), TEXTS)
    revision = Assessment.objects.get().revision
    first = people["writer"].post(url("save"), {**TEXTS, "issues": "甲の変更",
                                                "revision": revision})
    assert first.status_code == 302
    second = people["head"].post(url("save"), {**TEXTS, "issues": "乙の変更",
                                               "revision": revision})
    assert second.status_code == 409
    text = second.content.decode()
    assert "ほかの職員がこの地区アセスメントを先に保存しました。" in text
    assert "甲の変更" in text
    assert Assessment.objects.get().issues == "甲の変更"


def test_submitted_assessment_is_read_only_until_returned(people):
    people["writer"].post(url("save"), TEXTS)
    people["writer"].post(url("step", 2025, "submit"))
    response = people["writer"].post(url("save"), {**TEXTS, "issues": "変更"})
    assert "提出済み・承認済みのアセスメントは編集できません。" in response.content.decode()
    refused = people["head"].post(url("step", 2025, "return"), {"reason": ""}, follow=True)
    assert "差し戻す理由を書いてください。" in refused.content.decode()
    people["head"].post(url("step", 2025, "return"), {"reason": "数値の説明を追加"})
    assessment = Assessment.objects.get()
    assert assessment.status == Status.DRAFT and assessment.issues == TEXTS["issues"]
    assert assessment.events.last().note == "数値の説明を追加"
