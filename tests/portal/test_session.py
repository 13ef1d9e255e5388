"""The residents' session stands apart from the staff's; the level gate sends residents
to the login that reaches it and back."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import SESSION_KEY

from madoguchi.accounts.models import Role
from madoguchi.portal.session import COOKIE
from tests.helpers import login
from tests.portal.conftest import card_login, email_login

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.urls_gate")]


def test_anonymous_resident_is_sent_to_the_choice_of_logins_and_back(client):
    response = client.get("/gate/email/?step=2")
    assert response.status_code == 302
    assert response["Location"] == "/portal/login/?next=%2Fgate%2Femail%2F%3Fstep%3D2"
    choice = client.get(response["Location"]).content.decode()
    assert "/portal/login/email/?next=/gate/email/%3Fstep%3D2" in choice
    form = client.get("/portal/login/email/?next=/gate/email/%3Fstep%3D2").content.decode()
    assert 'name="next" value="/gate/email/?step=2"' in form
    assert email_login(client, next_path="/gate/email/?step=2")["Location"] == "/gate/email/?step=2"
    assert client.get("/gate/email/").content == b"email email"


def test_pages_without_identity_are_open(client):
    assert client.get("/gate/none/").content == b"anonymous"
    email_login(client)
    assert client.get("/gate/none/").content == b"resident"


def test_email_login_is_not_enough_for_a_strong_page(client, oidc):
    email_login(client)
    response = client.get("/gate/strong/")
    assert response["Location"] == "/portal/login/card/?next=%2Fgate%2Fstrong%2F"
    back = card_login(client, oidc, next_path="/gate/strong/")
    assert back["Location"] == "/gate/strong/"
    assert client.get("/gate/strong/").content == b"strong strong"
    assert client.get("/gate/email/").content == b"email strong"  # strong covers e-mail


def test_staff_login_gives_no_portal_access(client, make_staff):
    login(client, make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center"))
    assert client.get("/accounts/home/").status_code == 200
    assert client.get("/portal/")["Location"].startswith("/portal/login/")
    assert client.get("/gate/email/").status_code == 302
    assert client.get("/gate/none/").content == b"anonymous"


def test_staff_and_resident_in_one_browser_do_not_mix(client, make_staff):
    staff = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center",
                       "centre-yamada")
    login(client, staff)
    email_login(client)
    home = client.get("/portal/").content.decode()
    assert "hanako@example.jp" in home
    assert "centre-yamada" not in home  # the portal shows the resident, not the staff member
    assert str(client.session[SESSION_KEY]) == str(staff.pk)  # staff session untouched

    client.post("/accounts/logout/")
    assert client.get("/portal/").status_code == 200  # the resident is still in
    login(client, staff)
    client.post("/portal/logout/")
    assert client.get("/portal/").status_code == 302
    assert client.get("/accounts/home/").status_code == 200  # the staff member is still in


def test_resident_login_never_makes_a_staff_session(client, django_user_model):
    email_login(client)
    assert SESSION_KEY not in client.session
    assert client.get("/accounts/home/").status_code == 302
    assert not django_user_model.objects.exists()


def test_portal_cookie_is_its_own_and_changes_at_login(client, settings):
    client.get("/portal/login/email/not-a-token/")  # opens a portal session before login
    before = client.cookies[COOKIE].value
    email_login(client)
    cookie = client.cookies[COOKIE]
    assert cookie.value != before  # no session fixation
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.PORTAL_SESSION_IDLE_SECONDS
    assert cookie.value != client.cookies.get(settings.SESSION_COOKIE_NAME, "")


def test_idle_resident_is_logged_out(client, settings):
    settings.PORTAL_SESSION_IDLE_SECONDS = 1
    email_login(client)
    assert client.get("/portal/").status_code == 200
    time.sleep(1.2)
    assert client.get("/portal/").status_code == 302


def test_activity_keeps_the_resident_in(client, settings):
    settings.PORTAL_SESSION_IDLE_SECONDS = 2
    email_login(client)
    for _ in range(3):
        time.sleep(0.8)
        assert client.get("/portal/").status_code == 200


def test_logout_ends_the_resident_session(client):
    email_login(client)
    response = client.post("/portal/logout/")
    assert response["Location"] == "/portal/login/"
    assert client.cookies[COOKIE].value == ""
    assert "ログアウトしました。" in client.get("/portal/login/").content.decode()
    assert client.get("/portal/").status_code == 302
    assert client.get("/portal/logout/").status_code == 405  # only POST logs out
