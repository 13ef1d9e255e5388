"""The applications API: a resident logged in to the portal creates and submits an
application in one multipart request (idempotent by its Idempotency-Key), lists their
own applications and reads one; errors are Japanese, per field path; every read is
audited with the resident's portal reference."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.api.errors import CSRF_FAILED
from madoguchi.applications import services
from madoguchi.applications.models import Application, ApplicationAttachment
from madoguchi.audit.models import AuditEntry
from madoguchi.files.models import StoredFile
from madoguchi.portal.models import Level, Method, PortalIdentity
from tests.applications.conftest import (
    PDF,
    PNG,
    kazei_answers,
    portal_client,
    staff_actor,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications"
KEY = "api-test-key-0001"


def _body(answers=None, *, procedure="kazei-shomei", district="setagaya/ikejiri",
          files=None) -> dict:
    body = {"procedure": procedure, "district": district,
            "answers": json.dumps(answers if answers is not None else kazei_answers(),
                                  ensure_ascii=False)}
    for code, (name, data) in (files if files is not None
                               else {"identity": ("card.png", PNG)}).items():
        body[f"attachment.{code}"] = SimpleUploadedFile(name, data)
    return body


def _post(client: Client, key: str | None = KEY, **kwargs):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(URL, _body(**kwargs), headers=headers)


@pytest.fixture
def api_ready(catalogue, files_dir):
    return files_dir


def test_create_submits_and_a_repeated_key_returns_the_same(api_ready, strong_client,
                                                           strong_identity):
    response = _post(strong_client, files={"identity": ("card.png", PNG),
                                           "other": ("note.pdf", PDF)})
    assert response.status_code == 201, response.content
    body = response.json()
    application = Application.objects.get(public_id=body["public_id"])
    assert body["reference"] == application.reference
    assert body["status"] == "received" and body["status_text"] == application.status_text
    assert body["section"] == "kazei"
    assert body["due_on"] == (application.due_on.isoformat() if application.due_on else None)
    assert application.identity == strong_identity and application.channel == "online"
    assert sorted(application.attachments.values_list("code", flat=True)) == [
        "identity", "other"]
    again = _post(strong_client, files={"identity": ("card.png", PNG)})
    assert again.status_code == 200 and again.json() == body
    assert Application.objects.count() == 1 and StoredFile.objects.count() == 2
    entry = AuditEntry.objects.filter(record_id=body["public_id"],
                                      source="api:applications.create").first()
    assert entry.actor is None and entry.portal_ref == str(strong_identity.public_id)


def test_answers_errors_come_by_path_in_japanese(api_ready, strong_client):
    answers = {**kazei_answers(), "person_birth_date": "平成32年1月1日", "phone": "abc"}
    del answers["fiscal_year"]
    response = _post(strong_client, answers=answers)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"person_birth_date", "phone", "fiscal_year"} <= set(errors)
    assert all(isinstance(m, str) and m for ms in errors.values() for m in ms)
    assert "入力" in errors["fiscal_year"][0] or "選" in errors["fiscal_year"][0]
    assert Application.objects.count() == 0 and StoredFile.objects.count() == 0
    assert not any(api_ready.rglob("*.part"))


def test_request_errors_name_their_field(api_ready, strong_client):
    cases = [
        ({"procedure": "no-such-procedure"}, "procedure"),
        ({"district": "setagaya/nowhere"}, "district"),
        ({"district": "ikejiri"}, "district"),
        ({"files": {}}, "attachments"),  # 本人確認書類 is required
        ({"files": {"unknown": ("card.png", PNG)}}, "attachments"),
    ]
    for kwargs, field in cases:
        response = _post(strong_client, **kwargs)
        assert response.status_code == 422, (kwargs, response.content)
        assert field in response.json()["errors"], (kwargs, response.json())
    missing = _post(strong_client, files={})
    assert "本人確認書類" in missing.json()["errors"]["attachments"][0]
    broken = strong_client.post(URL, {**_body(), "answers": "{not json"},
                                headers={"Idempotency-Key": KEY})
    assert broken.status_code == 422 and "answers" in broken.json()["errors"]
    assert Application.objects.count() == 0


@pytest.mark.parametrize("key", [None, "short", "x" * 81, "キーキーキーキーキー"])
def test_the_idempotency_key_is_required_and_checked(api_ready, strong_client, key):
    response = _post(strong_client, key=key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert Application.objects.count() == 0


def test_refused_files_answer_413_415_422(api_ready, strong_client, settings):
    settings.FILES_MAX_MB = 1
    big = _post(strong_client, files={"identity": ("big.png", PNG + b"\0" * (1024 * 1024))})
    assert big.status_code == 413 and "大きすぎます" in big.json()["detail"]
    assert big.json()["errors"]["attachments"] == [big.json()["detail"]]
    text = _post(strong_client, files={"identity": ("card.png", b"plain text, not an image")})
    assert text.status_code == 415 and "種類" in text.json()["detail"]
    empty = _post(strong_client, files={"identity": ("card.png", b"")})
    assert empty.status_code == 422 and "空" in empty.json()["errors"]["attachments"][0]
    assert Application.objects.count() == 0 and StoredFile.objects.count() == 0
    assert not [p for p in api_ready.rglob("*") if p.is_file()]


def test_login_is_required_and_its_level_must_suffice(api_ready, identity, strong_identity):
    anonymous = _post(Client())
    assert anonymous.status_code == 401 and "ログイン" in anonymous.json()["detail"]
    assert Client().get(URL).status_code == 401
    # 課税証明 asks for the strong level (My Number Card): an e-mail login is not enough,
    # nor is a strong identity logged in at the e-mail level only.
    for client in (portal_client(identity), portal_client(strong_identity, Level.EMAIL)):
        response = _post(client)
        assert response.status_code == 403
        assert "マイナンバーカード" in response.json()["detail"]
    assert Application.objects.count() == 0


def test_a_post_needs_the_csrf_token(api_ready, strong_identity):
    client = portal_client(strong_identity)
    client.handler.enforce_csrf_checks = True
    refused = _post(client)
    assert refused.status_code == 403 and refused.json()["detail"] == CSRF_FAILED
    token = "a" * 32
    client.cookies["csrftoken"] = token
    response = client.post(URL, _body(), headers={"Idempotency-Key": KEY,
                                                  "X-CSRFToken": token})
    assert response.status_code == 201, response.content


def test_list_and_detail_show_only_the_residents_own(api_ready, strong_client,
                                                    strong_identity, make_staff):
    first = _post(strong_client, key="api-key-first-1").json()
    second = _post(strong_client, key="api-key-second-2",
                   files={"identity": ("card.png", PNG), "other": ("n.pdf", PDF)}).json()
    listed = strong_client.get(URL).json()
    assert [row["public_id"] for row in listed] == [second["public_id"], first["public_id"]]
    assert listed[0]["procedure"] == "kazei-shomei" and listed[0]["reference"]

    application = Application.objects.get(public_id=second["public_id"])
    reviewer = make_staff(Role.SECTION_STAFF, "kazei", username="kazei-staff")
    for name, note in (("start_check", ""),
                       ("request_correction", "本人確認書類の裏面も添付してください。")):
        application = services.application_transition(
            actor=staff_actor(reviewer), application=application, name=name, note=note)
    detail = strong_client.get(f"{URL}/{second['public_id']}").json()
    assert detail["resident_status_text"]
    assert [a["code"] for a in detail["attachments"]] == ["identity", "other"]
    assert detail["attachments"][0]["name"] == "本人確認書類"
    notes = [event["note"] for event in detail["history"]]
    assert "本人確認書類の裏面も添付してください。" in notes
    assert [e["status"] for e in detail["history"]] == [
        "received", "checking", "correction_requested"]
    assert detail["status"] == "correction_requested"

    entries = AuditEntry.objects.filter(portal_ref=str(strong_identity.public_id))
    assert entries.filter(source="api:applications.list").count() == 2
    assert entries.filter(source="api:applications.detail",
                          record_id=second["public_id"]).count() == 1

    other = PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                          issuer="https://idp.example.jp", subject="sub-2")
    stranger = portal_client(other)
    assert stranger.get(URL).json() == []
    hidden = stranger.get(f"{URL}/{second['public_id']}")
    assert hidden.status_code == 404 and hidden.json()["detail"] == "申請が見つかりません。"
    # Keys are scoped per resident (issue 12 item 6): someone else's key is the stranger's
    # own new application, never a refusal and never the first resident's application.
    reused = _post(stranger, key="api-key-first-1")
    assert reused.status_code == 201 and reused.json()["public_id"] != first["public_id"]
    assert _post(stranger, key="api-key-first-1").json()["public_id"] == \
        reused.json()["public_id"]
    assert [row["public_id"] for row in strong_client.get(URL).json()] == [
        second["public_id"], first["public_id"]]


def test_attachment_rows_match_files(api_ready, strong_client,
                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _post(strong_client, files={"identity": ("card.png", PNG), "other": ("n.pdf", PDF)})
    assert ApplicationAttachment.objects.count() == StoredFile.objects.count() == 2
    moved = [p for p in api_ready.rglob("*") if p.is_file()]
    assert len(moved) == 2 and not any(p.suffix == ".part" for p in moved)
