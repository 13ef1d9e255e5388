"""A resident answers a correction at the district centre: the centre's staff see their
district's applications waiting for the resident, read the section's request with them,
scan what they brought and send the answer for them; the history names the staff member."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.applications import services
from madoguchi.applications.management.commands.load_demo_applications import _sample_card
from madoguchi.audit.models import AuditEntry
from tests.applications.conftest import staff_actor
from tests.applications.review_support import receive_kaigo
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(catalogue, centre_staff, resident, files_dir, make_staff):
    """An assisted 要介護認定 application for which 保健福祉課 asked a correction."""
    section = make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi", username="hf-staff")
    application = receive_kaigo(centre_staff, resident)
    for name, note in (("start_check", ""), ("request_correction", "保険証の裏面も必要です。")):
        application = services.application_transition(
            actor=staff_actor(section), application=application, name=name, note=note)
    return application


def test_the_centre_answers_a_correction_for_the_resident(waiting, centre_staff):
    client = login(Client(), centre_staff)
    index = client.get("/assist/").content.decode()
    assert "区民の方の回答を待っている申請" in index and waiting.reference in index
    page = client.get(f"/assist/{waiting.public_id}/correction/").content.decode()
    assert "保険証の裏面も必要です。" in page
    scan = SimpleUploadedFile("back.png", _sample_card("裏面"), content_type="image/png")
    response = client.post(f"/assist/{waiting.public_id}/correction/", {
        "note": "裏面を読み取りました。", "code": "insurance_card", "files": [scan]})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "resubmitted"
    assert waiting.attachments.filter(code="insurance_card").count() == 2
    last = waiting.events.order_by("-at", "-pk").first()
    assert last.transition == "resubmit" and last.actor == centre_staff
    assert not last.by_resident and last.resident_note == "裏面を読み取りました。"
    assert AuditEntry.objects.filter(source="assist:correction", actor=centre_staff).exists()
    assert "区民の方の回答を待っている申請" not in client.get("/assist/").content.decode()


def test_a_bad_file_is_refused_and_nothing_changes(waiting, centre_staff):
    client = login(Client(), centre_staff)
    text = SimpleUploadedFile("memo.txt", b"hello", content_type="image/png")
    response = client.post(f"/assist/{waiting.public_id}/correction/",
                           {"note": "", "files": [text]})
    assert response.status_code == 400
    assert "このファイルの種類は受け付けられません" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "correction_requested" and waiting.attachments.count() == 2


def test_another_centre_cannot_see_it(waiting, make_staff):
    other = make_staff(Role.DISTRICT_STAFF, "kitazawa/matsubara/machizukuri-center",
                       username="matsubara-centre")
    client = login(Client(), other)
    assert client.get(f"/assist/{waiting.public_id}/correction/").status_code == 404
    assert waiting.reference not in client.get("/assist/").content.decode()
