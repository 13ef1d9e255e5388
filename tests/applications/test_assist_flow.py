"""Assisted applications at the district centre, end to end with the test client: start
from the resident's page (prefilled), every POST keeps the draft, errors next to fields,
attachments scanned in (a text file refused in Japanese), the large-type confirmation,
the receipt with its reference, and the application received by the responsible section.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.applications.models import DRAFT, Application
from madoguchi.audit.models import AuditEntry
from madoguchi.procedures.models import Channel
from tests.applications.assist_helpers import (
    attach,
    complete_jido,
    confirm,
    fill_in,
    jido_answers,
)
from tests.applications.conftest import KODOMO_SETAGAYA
from tests.factories import ResidentFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db

MATSUBARA = "kitazawa/matsubara/machizukuri-center"


def url(name: str, application=None, **kwargs) -> str:
    if application is not None:
        kwargs["public_id"] = application.public_id
    return reverse(f"assist:{name}", kwargs=kwargs or None)


def start(client, resident, code="jido-teate-nintei", **extra):
    return client.post(url("start", public_id=resident.public_id),
                       {"procedure": code, **extra})


@pytest.fixture
def ready(catalogue, files_dir, resident):
    return resident


def test_the_resident_page_leads_to_the_choice_of_procedures(ready, centre_client):
    page = centre_client.get(reverse("people:detail", kwargs={"public_id": ready.public_id}))
    assert url("choose", public_id=ready.public_id) in page.content.decode()
    choice = centre_client.get(url("choose", public_id=ready.public_id))
    text = choice.content.decode()
    assert choice.status_code == 200
    assert "児童手当の認定請求" in text and "子ども家庭支援課" in text  # grouped by kind
    assert "転入届" not in text  # counter only: not offered at the centre
    filtered = centre_client.get(url("choose", public_id=ready.public_id), {"q": "児童手当"})
    assert "課税" not in filtered.content.decode()


def test_the_assisted_flow_end_to_end(ready, centre_client, centre_staff):
    response = start(centre_client, ready)
    application = Application.objects.get(resident=ready)
    assert response.status_code == 302 and response.url == url("form", application)
    assert application.channel == Channel.ASSISTED and application.status == DRAFT
    assert application.centre.district.code == "ikejiri"
    assert application.answers["applicant"]["given"] == "花子"  # prefilled once
    form = centre_client.get(url("form", application)).content.decode()
    assert 'value="花子"' in form and "平成2年5月1日" in form  # the birth date in 和暦

    # Invalid input: saved as typed, the message next to the field.
    answers = jido_answers(application)
    answers["applicant_birth_date"] = "平成32年1月1日"
    page = fill_in(centre_client, application, answers)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="id_applicant_birth_date_error"' in text and "平成は31年4月30日までです" in text
    application.refresh_from_db()
    assert application.answers["applicant_birth_date"] == "平成32年1月1日"

    # Valid: on to the attachments.
    page = fill_in(centre_client, application, jido_answers(application) | {
        "applicant_birth_date": "1990-05-01"})
    assert page.status_code == 302 and page.url == url("attachments", application)
    attachments = centre_client.get(url("attachments", application)).content.decode()
    assert 'accept="image/*,application/pdf"' in attachments
    assert 'capture="environment"' in attachments
    assert "本人確認書類" in attachments and "請求者名義の口座がわかるもの" in attachments
    assert "健康保険" not in attachments  # only when the pension is 厚生年金

    # Not ready: the confirmation sends back to the attachments.
    early = centre_client.get(url("confirm", application))
    assert early.status_code == 302 and early.url == url("attachments", application)

    refused = attach(centre_client, application, "identity", b"just some text\n",
                     name="memo.txt", content_type="text/plain")
    assert refused.status_code == 400
    assert "このファイルの種類は受け付けられません" in refused.content.decode()
    assert not application.attachments.exists()
    assert attach(centre_client, application, "identity").status_code == 302
    assert attach(centre_client, application, "bank_account").status_code == 302
    assert application.attachments.count() == 2

    page = centre_client.get(url("confirm", application))
    text = page.content.decode()
    assert page.status_code == 200 and "assist-large" in text
    assert "この内容で申請します" in text and 'name="key"' in text
    assert "池尻" in text and "本人確認書類" in text  # the summary and the files

    response = confirm(centre_client, application)
    assert response.status_code == 302 and response.url == url("receipt", application)
    application.refresh_from_db()
    assert application.reference and application.confirmed_at is not None
    assert application.section.code == KODOMO_SETAGAYA  # 池尻 is in the 世田谷 region
    again = confirm(centre_client, application)  # a second press: the same application
    assert again.status_code == 302 and again.url == url("receipt", application)
    assert Application.objects.filter(resident=ready).count() == 1

    receipt = centre_client.get(url("receipt", application)).content.decode()
    assert application.reference in receipt and application.section.name in receipt
    assert "開庁日で10日" in receipt and "令和" in receipt  # due date in 和暦
    # How to reach the centre that received it: a number to call, never a placeholder.
    assert 'href="tel:' in receipt
    # The draft pages now lead to the receipt.
    assert centre_client.get(url("form", application)).url == url("receipt", application)

    index = centre_client.get(url("index")).content.decode()
    assert application.reference in index

    sources = set(AuditEntry.objects.filter(record_id=str(application.public_id))
                  .values_list("source", flat=True))
    assert {"assist:start", "assist:form", "assist:attachments", "assist:confirm",
            "assist:receipt", "assist:index"} <= sources


def test_save_keeps_the_draft_without_checking(ready, centre_client):
    start(centre_client, ready)
    application = Application.objects.get(resident=ready)
    response = centre_client.post(url("form", application),
                                  {"action": "save", "phone": "abc", "children-rows": "1"})
    assert response.status_code == 302 and response.url == url("form", application)
    application.refresh_from_db()
    assert application.answers["phone"] == "abc"
    assert application.answers["applicant"] == {"family": None, "given": None,
                                                "family_kana": None, "given_kana": None}
    add = centre_client.post(url("form", application), {"_add": "children",
                                                         "children-rows": "1"})
    assert add.status_code == 200
    application.refresh_from_db()
    assert len(application.answers["children"]) == 2
    centre_client.post(url("discard", application))
    assert not Application.objects.filter(pk=application.pk).exists()


def test_centre_staff_start_only_for_residents_they_can_see(ready, centre_client, make_staff):
    matsubara_staff = make_staff(Role.DISTRICT_STAFF, MATSUBARA, username="matsubara")
    neighbour = ResidentFactory(by=matsubara_staff, matsubara=True)
    assert centre_client.get(url("choose", public_id=neighbour.public_id)).status_code == 404
    assert start(centre_client, neighbour).status_code == 404
    assert not Application.objects.filter(resident=neighbour).exists()

    start(centre_client, ready)
    draft = Application.objects.get(resident=ready)
    other = login(Client(), matsubara_staff)
    assert other.get(url("choose", public_id=ready.public_id)).status_code == 404
    assert other.get(url("form", draft)).status_code == 404
    assert other.post(url("confirm", draft), {"key": "k" * 12}).status_code == 404


def test_roles_without_assist_are_refused(ready, make_staff):
    partner = login(Client(), make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin"))
    assert partner.get(url("choose", public_id=ready.public_id)).status_code == 403
    assert partner.get(url("index")).status_code == 403


def test_a_procedure_not_offered_here_is_refused(ready, centre_client):
    response = start(centre_client, ready, code="tennyu-todoke")  # counter only
    assert response.status_code == 302
    assert response.url == url("choose", public_id=ready.public_id)
    assert not Application.objects.exists()


def test_section_staff_use_the_same_pages_at_their_counter(ready, centre_client,
                                                           kodomo_client):
    # The resident applied to 子ども家庭支援課 once: its staff may now see them.
    complete_jido(centre_client, _started(centre_client, ready))
    choice = kodomo_client.get(url("choose", public_id=ready.public_id)).content.decode()
    assert "児童手当の認定請求" in choice and "課税" not in choice  # their own kind only
    assert "保育" not in choice
    start(kodomo_client, ready, code="hoiku-riyo")  # another section's procedure
    assert not Application.objects.filter(resident=ready, status=DRAFT).exists()
    start(kodomo_client, ready, code="jido-teate-nintei")
    counter = Application.objects.get(resident=ready, status=DRAFT)
    assert counter.channel == Channel.COUNTER and counter.centre is None


def _started(client, resident, code="jido-teate-nintei") -> Application:
    start(client, resident, code)
    return Application.objects.filter(resident=resident, status=DRAFT).latest("pk")


def test_an_application_started_from_a_consultation_is_listed_on_it(ready, centre_client,
                                                                    centre_staff):
    from madoguchi.consultations import services as consultations

    consultation = consultations.consultation_intake(
        by=centre_staff, resident=ready, source="tests",
        data={"worry": "子どもの手当について", "category": "children"})
    detail = reverse("consultations:detail", kwargs={"public_id": consultation.public_id})
    page = centre_client.get(detail).content.decode()
    assert "この相談から申請を作る" in page and "この相談から作った申請はありません" in page
    choice = centre_client.get(url("choose", public_id=ready.public_id),
                               {"consultation": str(consultation.public_id)})
    assert f'value="{consultation.public_id}"' in choice.content.decode()
    start(centre_client, ready, consultation=str(consultation.public_id))
    application = Application.objects.get(resident=ready)
    assert application.consultation == consultation
    complete_jido(centre_client, application)
    page = centre_client.get(detail).content.decode()
    assert application.reference in page and "児童手当の認定請求" in page
    assert application.status_text in page
    assert AuditEntry.objects.filter(record_id=str(application.public_id), action="list",
                                     source="consultations:detail").exists()


def test_a_consultation_of_another_resident_is_not_linked(ready, centre_client, centre_staff):
    from madoguchi.consultations import services as consultations

    someone = ResidentFactory(by=centre_staff)
    consultation = consultations.consultation_intake(
        by=centre_staff, resident=someone, source="tests",
        data={"worry": "相談", "category": "children"})
    response = start(centre_client, ready, consultation=str(consultation.public_id))
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_a_png_is_accepted_once_per_upload_and_can_be_removed(ready, centre_client):
    application = _started(centre_client, ready)
    fill_in(centre_client, application, jido_answers(application))
    attach(centre_client, application, "identity")
    attachment = application.attachments.get()
    assert attachment.file.original_name == "scan.png"
    centre_client.post(url("attachments", application),
                       {"action": "remove", "attachment": attachment.pk})
    assert not application.attachments.exists()
    empty = centre_client.post(url("attachments", application), {"code": "identity"})
    assert "ファイルを選ぶか、カメラで撮影してください" in empty.content.decode()


def test_the_list_of_drafts_and_receipts_is_read_in_few_queries(
        ready, centre_client, centre_staff, django_assert_max_num_queries):
    received = complete_jido(centre_client, _started(centre_client, ready))
    for code in ("kazei-shomei", "jumin-hyo", "hoiku-riyo"):
        _started(centre_client, ready, code)
    with django_assert_max_num_queries(16):
        page = centre_client.get(url("index"))
    text = page.content.decode()
    assert received.reference in text
    assert text.count(url("form", Application.objects.filter(status=DRAFT).first())) == 1
    listed = AuditEntry.objects.filter(source="assist:index", action="list",
                                       record_type="application")
    assert listed.count() == 4  # three drafts and one received, each audited
