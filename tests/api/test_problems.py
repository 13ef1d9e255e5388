"""Every error of the JSON API is JSON in one shape, {detail, code, errors}; pages answer a
page in the user's language with the ward's phone number (ADR 0023; issue 12 item 3, issue
23 item 5). The database outage is real: the connection is pointed at nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from madoguchi.core.problem import RETRY_AFTER_SECONDS

PROBLEM_KEYS = {"detail", "code", "errors"}


def problem_of(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == PROBLEM_KEYS and body["code"] == code, body
    assert response["Cache-Control"] == "no-store"
    return body


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_an_unknown_api_path_is_a_json_404(client):
    body = problem_of(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert body["detail"] == "お探しのものは見つかりません。"
    # A path parameter that is not a UUID does not match the route: the same 404.
    problem_of(client.get("/api/v1/bookings/not-a-uuid"), 404, "not_found")


@pytest.mark.django_db
def test_a_wrong_method_is_a_json_405_naming_the_allowed_ones(client):
    response = client.delete("/api/v1/regions")
    problem_of(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


@pytest.mark.django_db
def test_a_nul_character_is_refused_before_it_reaches_the_database(client):
    # PostgreSQL cannot store NUL: refused centrally, for anonymous callers too.
    body = problem_of(client.get("/api/v1/districts?region=%00"), 400, "nul_character")
    assert "NUL" in body["detail"]
    problem_of(client.post("/api/v1/guidance", '{"q": "\\u0000x"}',
                           content_type="application/json"), 400, "nul_character")
    problem_of(client.get("/api/v1/procedures/a%00b"), 400, "nul_character")
    # An escaped backslash followed by "u0000" is text, not a NUL.
    fine = client.post("/api/v1/guidance", '{"q": "\\\\u0000"}',
                       content_type="application/json")
    assert fine.status_code == 200
    page = client.get("/procedures/?q=%00")
    assert page.status_code == 400 and "NUL" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.api.urls_faults")
def test_a_bug_in_an_api_view_is_a_json_500(client):
    body = problem_of(client.get("/api/v1/test-broken/"), 500, "server_error")
    assert "エラー" in body["detail"]


@pytest.mark.django_db
@pytest.mark.urls("tests.api.urls_faults")
def test_a_bug_on_a_page_is_a_page_with_the_wards_phone_in_the_users_language(client, settings):
    settings.DOCUMENTS_WARD_PHONE = "03-9999-0000"
    page = client.get("/test-broken/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert "システムでエラーが起きました" in text and "03-9999-0000" in text
    english = client.get("/test-broken/", headers={"accept-language": "en"}).content.decode()
    assert "A system error occurred" in english and "03-9999-0000" in english


@pytest.fixture
def database_down(transactional_db):
    """The default connection pointed at a database that is not there, then restored."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict["PORT"] = "1"
    else:
        connection.settings_dict["NAME"] = "/nonexistent-folder/madoguchi.sqlite3"
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def test_a_database_outage_is_a_json_503_with_retry_after(client, database_down):
    response = client.get("/api/v1/regions")
    body = problem_of(response, 503, "unavailable")
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "しばらくしてから" in body["detail"]


def test_a_database_outage_on_a_page_is_a_503_page(client, database_down, settings):
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    text = response.content.decode()
    assert "ただいま利用できません" in text and settings.DOCUMENTS_WARD_PHONE in text


@pytest.mark.django_db
def test_an_administrator_without_the_second_factor_gets_the_problem_shape(make_staff):
    from madoguchi.accounts.models import Role
    from tests.helpers import login

    client = login(Client(), make_staff(Role.WARD_ADMIN), verified=False)
    body = problem_of(client.get("/api/v1/agenda"), 403, "two_factor_required")
    assert body["detail"] == "二要素認証が必要です。"
