"""The strong login against a real OpenID Connect provider (django-oauth-toolkit, started
as its own HTTP server): the resident's redirect dance runs over real HTTP, madoguchi talks
to the provider's discovery, token and key endpoints for real."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from madoguchi.portal.models import Level, Method, PortalIdentity
from tests.portal.conftest import CALLBACK, card_login, local, start_card_login

pytestmark = pytest.mark.django_db


def test_resident_logs_in_with_the_strong_login(client, oidc):
    response = card_login(client, oidc)
    assert response.status_code == 302 and response["Location"] == "/portal/"
    identity = PortalIdentity.objects.get()
    assert identity.method == Method.OIDC and identity.level == Level.STRONG
    assert identity.issuer == oidc.issuer and identity.subject
    assert identity.display_name == "世田谷 花子"
    assert identity.email == "hanako@example.jp"
    page = client.get("/portal/")
    assert page.status_code == 200
    assert "世田谷 花子" in page.content.decode()
    assert "マイナンバーカード（本人確認済み）" in page.content.decode()
    # A resident's login is not a staff login.
    assert "_auth_user_id" not in client.session
    assert page.context["user"].is_anonymous


def test_the_authorization_request_carries_pkce_state_nonce_and_acr(client, oidc):
    query = parse_qs(urlsplit(start_card_login(client)).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["acr_values"] == ["urn:example:acr:mynumbercard"]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["client_id"] == [oidc.client_id]
    assert "code_verifier" not in query


def test_second_login_finds_the_same_identity(client, oidc):
    card_login(client, oidc)
    client.post("/portal/logout/")
    card_login(client, oidc)
    assert PortalIdentity.objects.count() == 1


def test_comes_back_to_the_page_the_resident_was_on(client, oidc):
    response = card_login(client, oidc, next_path="/portal/?from=procedure")
    assert response["Location"] == "/portal/?from=procedure"


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_next_pointing_elsewhere_is_ignored(client, oidc, unsafe):
    response = card_login(client, oidc, next_path=unsafe)
    assert response["Location"] == "/portal/"


def _refused(response, text: str):
    assert response.status_code == 400
    body = response.content.decode()
    assert text in body, body
    assert 'id="card-error"' in body
    assert not PortalIdentity.objects.exists()


def test_wrong_state_is_refused(client, oidc):
    callback = oidc.login(start_card_login(client), "hanako")
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query["state"] = "forged-state"
    _refused(client.get(f"{parts.path}?{urlencode(query)}"), "続けられませんでした")


def test_answer_for_another_browser_is_refused(client, oidc):
    """The callback only works in the browser that started the login (login CSRF)."""
    from django.test import Client

    callback = oidc.login(start_card_login(client), "hanako")
    _refused(Client().get(local(callback)), "続けられませんでした")


def test_replayed_callback_is_refused(client, oidc):
    callback = oidc.login(start_card_login(client), "hanako")
    assert client.get(local(callback)).status_code == 302
    client.post("/portal/logout/")
    response = client.get(local(callback))
    assert response.status_code == 400
    assert "続けられませんでした" in response.content.decode()


def test_replayed_code_is_refused_by_the_provider(client, oidc, caplog):
    from django.test import Client

    used = oidc.login(start_card_login(client), "hanako")
    assert client.get(local(used)).status_code == 302
    PortalIdentity.objects.all().delete()
    attacker = Client()
    fresh_state = parse_qs(urlsplit(start_card_login(attacker)).query)["state"][0]
    code = parse_qs(urlsplit(used).query)["code"][0]
    with caplog.at_level(logging.WARNING, logger="madoguchi.portal"):
        query = urlencode({"code": code, "state": fresh_state})
        response = attacker.get(f"/portal/login/card/callback/?{query}")
    _refused(response, "確かめられなかった")
    assert "token endpoint: invalid_grant" in caplog.text


@pytest.mark.parametrize(("username", "reason"), [
    ("tampered", "BadSignatureError"),
    ("wrong-audience", "'aud'"),
    ("wrong-issuer", "'iss'"),
    ("wrong-nonce", "'nonce'"),
    ("expired", "ExpiredTokenError"),
])
def test_bad_id_tokens_are_refused(client, oidc, caplog, username, reason):
    with caplog.at_level(logging.WARNING, logger="madoguchi.portal"):
        response = card_login(client, oidc, username)
    _refused(response, "確かめられなかった")
    assert reason in caplog.text
    assert client.get("/portal/").status_code == 302  # still not logged in


def test_login_without_the_strong_acr_is_refused(client, oidc):
    _refused(card_login(client, oidc, "weak"), "マイナンバーカードによる本人確認ができませんでした")


def test_without_a_list_of_strong_acr_values_the_provider_is_trusted(client, oidc, settings):
    settings.PORTAL_OIDC_STRONG_ACR = []
    assert card_login(client, oidc, "weak").status_code == 302
    assert PortalIdentity.objects.get().level == Level.STRONG


def test_userinfo_is_read_and_must_name_the_same_subject(client, oidc, settings):
    settings.PORTAL_OIDC_USERINFO = True
    assert card_login(client, oidc, "hanako").status_code == 302
    client.post("/portal/logout/")
    PortalIdentity.objects.all().delete()
    _refused(card_login(client, oidc, "userinfo-mismatch"), "確かめられなかった")


def test_resident_who_cancels_at_the_provider_is_told_so(client, oidc):
    state = parse_qs(urlsplit(start_card_login(client)).query)["state"][0]
    response = client.get("/portal/login/card/callback/?"
                          + urlencode({"error": "access_denied", "state": state}))
    _refused(response, "取りやめられました")


def test_nothing_secret_reaches_the_logs(client, oidc, caplog):
    with caplog.at_level(logging.DEBUG):
        authorize = start_card_login(client)
    callback = oidc.login(authorize, "hanako")  # the resident's browser: not madoguchi's logs
    with caplog.at_level(logging.DEBUG):
        assert client.get(local(callback)).status_code == 302
    assert caplog.records
    query = parse_qs(urlsplit(callback).query)
    sent = parse_qs(urlsplit(authorize).query)
    secrets = [query["code"][0], query["state"][0], sent["nonce"][0], sent["code_challenge"][0],
               oidc.client_secret, "hanako@example.jp", "花子"]
    for record in caplog.records:
        for secret in secrets:
            assert secret not in record.getMessage(), record.getMessage()


# ── not configured, provider down ──────────────────────────────────────────────────────

def test_unconfigured_strong_login_says_so_and_what_to_do(client, settings):
    settings.PORTAL_OIDC_ISSUER = ""
    page = client.get("/portal/login/card/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="card-unavailable"' in body
    assert "まだ使えません" in body and "まちづくりセンター" in body
    assert client.post("/portal/login/card/start/").status_code == 503
    response = client.get("/portal/login/card/callback/?code=x&state=y")
    assert response.status_code == 400 and "card-unavailable" in response.content.decode()


def test_provider_that_does_not_answer_gives_a_plain_message(client, settings, provider):
    from tests.browser.conftest import _free_port

    closed = f"http://127.0.0.1:{_free_port()}/o"
    for name, value in provider.portal_settings(PORTAL_OIDC_ISSUER=closed,
                                                PORTAL_OIDC_TIMEOUT_SECONDS=2).items():
        setattr(settings, name, value)
    response = client.post("/portal/login/card/start/")
    assert response.status_code == 503
    assert "いまつながりません" in response.content.decode()


def test_card_page_lets_its_form_lead_to_the_provider(client, oidc):
    page = client.get("/portal/login/card/")
    policy = page["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if "form-action" in d)
    assert "'self'" in form_action and oidc.url in form_action
    assert 'action="/portal/login/card/start/"' in page.content.decode()


def test_card_page_says_when_the_provider_is_down(client, settings, provider):
    from tests.browser.conftest import _free_port

    closed = f"http://127.0.0.1:{_free_port()}/o"
    for name, value in provider.portal_settings(PORTAL_OIDC_ISSUER=closed,
                                                PORTAL_OIDC_TIMEOUT_SECONDS=2).items():
        setattr(settings, name, value)
    body = client.get("/portal/login/card/").content.decode()
    assert "いまつながりません" in body and "card/start" not in body
