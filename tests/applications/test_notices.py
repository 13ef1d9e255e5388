"""Decision notices: made from the procedure's notice text as a PDF (reference number, 和暦
date and the appeal instructions in it), numbered per section and year, recorded in the
history, moving the application to "notified"; posted ones wait in the print queue;
residents download theirs from the portal, and only theirs."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from madoguchi.accounts.models import Role
from madoguchi.applications import services
from madoguchi.applications.models import Delivery, Notice
from madoguchi.applications.services import notices
from madoguchi.audit.models import AuditEntry
from madoguchi.core.dates import wareki
from madoguchi.files.services import file_open
from madoguchi.portal.models import Level, Method, PortalIdentity
from tests.applications.conftest import portal_client, staff_actor
from tests.applications.review_support import decided, move, receive_jido
from tests.helpers import login

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The PDF's text without any white space (read with pypdf: no outside program)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return "".join("".join(page.extract_text() for page in pages).split())


def stored_text(notice: Notice) -> str:
    with file_open(stored=notice.file) as handle:
        return pdf_text(handle.read())


@pytest.fixture
def claim(catalogue, strong_identity, ikejiri, files_dir):
    return receive_jido(strong_identity, ikejiri)


def make(application, user, delivery=Delivery.POST, reasons=""):
    return notices.notice_create(actor=staff_actor(user, "review:notice_create"),
                                 application=application, delivery=delivery,
                                 reasons=reasons, origin="http://testserver")


def test_a_decision_notice_is_a_pdf_with_reference_date_and_appeal(claim, kodomo_staff):
    decided(claim, kodomo_staff)
    notice = make(claim, kodomo_staff)
    assert notice.document_number == "世子家第1号"
    assert notice.file.content_type == "application/pdf" and notice.file.purpose == "notice"
    text = stored_text(notice)
    for expected in (claim.reference, "児童手当認定通知書",
                     "世子家第1号", wareki(timezone.localdate()).replace(" ", ""),
                     "審査請求", "池尻花子", "154-0001", "認定"):
        assert expected in text
    assert wareki(timezone.localdate(claim.submitted_at)) in text  # applied on
    assert "世田谷総合支所世田谷総合支所" not in text  # the office is not printed twice
    claim.refresh_from_db()
    assert claim.status == "notified" and claim.closed_at is not None
    kinds = list(claim.events.values_list("kind", "public", "to_status"))
    assert ("notice", True, "") in kinds and kinds[-1] == ("transition", True, "notified")


def test_document_numbers_count_per_section(catalogue, strong_identity, ikejiri, files_dir,
                                            kodomo_staff):
    first = decided(receive_jido(strong_identity, ikejiri, key="jido-key-0001"), kodomo_staff)
    second = decided(receive_jido(strong_identity, ikejiri, key="jido-key-0002"), kodomo_staff)
    assert make(first, kodomo_staff).document_number == "世子家第1号"
    assert make(second, kodomo_staff).document_number == "世子家第2号"


def test_a_refusal_asks_for_its_reasons_once_and_prints_them_once(claim, kodomo_staff,
                                                                   kodomo_client):
    move(claim, kodomo_staff, "start_check")
    with pytest.raises(ValidationError):
        move(claim, kodomo_staff, "reject")  # the reasons are asked with the refusal
    move(claim, kodomo_staff, "reject", note="請求者が公務員であるため（児童手当法第17条）。")
    page = kodomo_client.get(f"/review/{claim.public_id}/").content.decode()
    assert 'name="reasons"' not in page  # …and not asked again for the notice
    assert 'id="given-reasons"' in page and "請求者が公務員であるため" in page
    notice = make(claim, kodomo_staff, reasons="別の理由")
    text = stored_text(notice)
    # The body prints 「理由：{{ reasons }}」; 記 does not repeat them.
    assert text.count("公務員であるため") == 1
    assert "別の理由" not in text and "却下" in text and claim.reference in text


def test_no_notice_before_a_decision_and_never_twice(claim, kodomo_staff):
    with pytest.raises(ValidationError):
        make(claim, kodomo_staff)
    decided(claim, kodomo_staff)
    make(claim, kodomo_staff)
    with pytest.raises(ValidationError):
        make(claim, kodomo_staff)
    assert Notice.objects.count() == 1


def test_the_page_makes_a_notice_and_shows_document_problems(claim, kodomo_staff,
                                                            kodomo_client, monkeypatch):
    decided(claim, kodomo_staff)
    url = f"/review/{claim.public_id}/notice/"
    real = notices.template_for
    monkeypatch.setattr(notices, "template_for", lambda application: {
        **real(application), "body": "{% if x %}こんにちは{% endif %}"})
    refused = kodomo_client.post(url, {"delivery": "post"})
    assert refused.status_code == 400
    assert "は使えません" in refused.content.decode()
    assert not Notice.objects.exists()
    claim.refresh_from_db()
    assert claim.status == "decided"
    monkeypatch.setattr(notices, "template_for", real)
    done = kodomo_client.post(url, {"delivery": "post", "details": "受取場所：区役所第1庁舎"})
    assert done.status_code == 302
    notice = Notice.objects.get()
    text = stored_text(notice)
    # The decision's data under 記, then the rows written on the page.
    for expected in ("支給開始月", "令和8年12月1日", "手当の月額", "15,000円", "区役所第1庁舎"):
        assert expected in text
    again = kodomo_client.post(url, {"delivery": "post"})  # a stale second click
    assert again.status_code == 302 and Notice.objects.count() == 1


def test_print_queue_lists_posted_notices_until_printed(claim, kodomo_staff, kodomo_client,
                                                       make_staff):
    decided(claim, kodomo_staff)
    notice = make(claim, kodomo_staff, Delivery.POST)
    page = kodomo_client.get("/review/print-queue/").content.decode()
    assert notice.document_number in page and "印刷・発送済みにする" in page
    pdf = kodomo_client.get(f"/review/notices/{notice.public_id}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "池尻" not in pdf["Content-Disposition"]
    other = login(Client(), make_staff(Role.SECTION_STAFF, "kitazawa/kodomo-katei"))
    assert notice.document_number not in other.get("/review/print-queue/").content.decode()
    assert other.get(f"/review/notices/{notice.public_id}/").status_code == 404
    assert other.post(f"/review/print-queue/{notice.public_id}/printed/").status_code == 404
    done = kodomo_client.post(f"/review/print-queue/{notice.public_id}/printed/")
    assert done.status_code == 302
    notice.refresh_from_db()
    assert notice.printed_at is not None and notice.printed_by == kodomo_staff
    after = kodomo_client.get(done["Location"]).content.decode()
    assert "印刷・発送済みにしました" in after and "印刷待ちの通知書はありません。" in after


def test_residents_download_their_own_notices_only(claim, kodomo_staff, strong_identity):
    decided(claim, kodomo_staff)
    notice = make(claim, kodomo_staff)
    owner = portal_client(strong_identity)
    response = owner.get(f"/portal/notices/{notice.public_id}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert claim.reference in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(source="notices:portal_file").get()
    assert entry.portal_ref == str(strong_identity.public_id) and entry.actor is None
    stranger = PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                             issuer="https://idp.example.jp", subject="sub-2")
    assert portal_client(stranger).get(
        f"/portal/notices/{notice.public_id}/").status_code == 404
    assert Client().get(f"/portal/notices/{notice.public_id}/").status_code == 302


def test_portal_list_of_notices(claim, kodomo_staff):
    from django.template.loader import render_to_string

    empty = render_to_string("applications/portal/_notices.html", {"notices": []})
    assert "まだありません" in empty
    decided(claim, kodomo_staff)
    notice = make(claim, kodomo_staff)
    html = render_to_string("applications/portal/_notices.html",
                            {"notices": notices.notices_for(claim)})
    assert f"/portal/notices/{notice.public_id}/" in html and "児童手当 認定通知書" in html


def test_the_resident_sees_the_notice_on_the_application_page(claim, kodomo_staff,
                                                              strong_identity):
    owner = portal_client(strong_identity)
    page = owner.get(f"/portal/applications/{claim.public_id}/").content.decode()
    assert "この申請の通知書は、まだありません。" in page
    decided(claim, kodomo_staff)
    notice = make(claim, kodomo_staff)
    page = owner.get(f"/portal/applications/{claim.public_id}/").content.decode()
    assert f"/portal/notices/{notice.public_id}/" in page
    claim.refresh_from_db()
    assert claim.status == "notified" and claim.resident_status_text in page  # plain words


def test_a_procedure_with_its_own_appeal_prints_it(catalogue, centre_staff, resident,
                                                   files_dir, make_staff):
    """要介護認定: appeals go to 東京都介護保険審査会, not to the mayor (the procedure's own
    教示 replaces the ward's standard text)."""
    from tests.applications.review_support import receive_kaigo

    section_staff = make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi",
                               username="hokenfukushi-test")
    application = receive_kaigo(centre_staff, resident)
    move(application, section_staff, "start_check", "accept", "start_assessment", "to_board")
    services.application_transition(
        actor=staff_actor(section_staff), application=application, name="decide",
        decision={"care_level": "care2", "valid_from": "令和8年12月1日",
                  "valid_to": "令和9年11月30日"})
    text = stored_text(make(application, section_staff))
    assert "東京都介護保険審査会" in text
    assert "世田谷区長に対して審査請求" not in text
    assert "（電話03-5432-1111）" in text  # the ward's main number: no section number yet
