"""Large multipart bodies are refused by their headers before anything parses them: the
CSRF check would otherwise read (and spool) an anonymous client's upload (issue 12 item 6)."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.models import Role
from tests.api import upload_spy
from tests.helpers import login

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
LARGE = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)  # above FILE_UPLOAD_MAX_MEMORY_SIZE


@pytest.fixture(autouse=True)
def spy(settings):
    settings.FILE_UPLOAD_HANDLERS = ["tests.api.upload_spy.RecordingHandler"]
    upload_spy.STARTED.clear()
    return upload_spy.STARTED


def upload(client, path, data=LARGE):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(path, {"attachment.identity": SimpleUploadedFile("a.pdf", data),
                              "procedure": "kazei-shomei"})


def test_an_anonymous_large_upload_to_the_api_is_refused_unread(spy):
    response = upload(Client(), "/api/v1/applications")
    assert response.status_code == 401 and response.json()["code"] == "not_logged_in"
    assert spy == []


def test_an_anonymous_large_upload_to_a_page_is_refused_unread(spy, setagaya):
    response = upload(Client(), "/assist/")
    assert response.status_code == 403 and "ログインが必要です" in response.content.decode()
    assert spy == []


def test_the_api_decides_the_login_before_the_csrf_check_reads_a_small_body(spy):
    # Small enough to stay in memory: the gate lets it through, the API answers 401 from the
    # cookie alone (no CSRF failure, no parsing).
    response = upload(Client(enforce_csrf_checks=True), "/api/v1/applications", b"%PDF-1.4\n")
    assert response.status_code == 401 and spy == []


@pytest.fixture
def two_megabyte_purpose(monkeypatch, settings):
    """REQUEST_MAX_MB 1, every purpose 1 MB but one of 2 MB (as signage's 50 MB videos over
    the others' 10 MB and a request limit of 50 MB, ADR 0056)."""
    import dataclasses

    from madoguchi.files.policy import PDF, POLICIES, FilePolicy

    settings.REQUEST_MAX_MB = 1
    for name, policy in list(POLICIES.items()):
        monkeypatch.setitem(POLICIES, name, dataclasses.replace(policy, max_mb=1))
    monkeypatch.setitem(POLICIES, "test-large", FilePolicy("test-large", (PDF,), "資料",
                                                           max_mb=2))


def test_the_request_limit_follows_the_largest_purpose(two_megabyte_purpose):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from madoguchi.core.middleware import UploadGateMiddleware, request_limit
    from madoguchi.files.uploads import MULTIPART_SLACK

    assert request_limit() == 2 * MB + MULTIPART_SLACK
    gate = UploadGateMiddleware(lambda request: HttpResponse("read"))
    request = RequestFactory().post("/assist/", data=b"",
                                    content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(2 * MB)  # over REQUEST_MAX_MB, not over 2 MB + form
    assert gate(request).content == b"read"


def test_a_signage_video_of_50_megabytes_fits_the_default_request_limit(settings):
    from madoguchi.core.middleware import request_limit
    from madoguchi.files.uploads import MULTIPART_SLACK

    settings.REQUEST_MAX_MB, settings.FILES_MAX_MB = 50, 10
    assert request_limit() == 50 * MB + MULTIPART_SLACK


def test_a_body_over_the_largest_purpose_is_refused_even_when_logged_in(
        spy, two_megabyte_purpose, make_staff):
    client = login(Client(), make_staff(Role.DISTRICT_STAFF,
                                        "setagaya/ikejiri/machizukuri-center"))
    response = upload(client, "/api/v1/applications", b"%PDF-1.4\n" + b"0" * (2200 * 1024))
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert "2MB" in response.json()["detail"] and spy == []
