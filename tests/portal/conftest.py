"""The real OpenID Connect provider (tests/oidc_provider) and helpers for residents."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import (  # noqa: F401 (fixtures of the browser tests)
    asgi_server,
    chromium,
    live_url,
    new_page,
    page,
)
from tests.notifications.conftest import Inbox, run_worker, smtp  # noqa: F401 (fixture)
from tests.oidc_provider.server import run_demo_provider, run_provider

CALLBACK = "http://testserver/portal/login/card/callback/"


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    """django-oauth-toolkit serving OpenID Connect on a free port, for the whole session."""
    with run_provider(tmp_path_factory.mktemp("provider"), CALLBACK) as running:
        yield running


@pytest.fixture
def oidc(settings, provider):
    """madoguchi configured for the provider; returns the provider."""
    for name, value in provider.portal_settings().items():
        setattr(settings, name, value)
    return provider


@pytest.fixture(scope="session")
def demo_provider(tmp_path_factory):
    """The demo identity provider of ``make run`` (madoguchi/demo_idp), for the session."""
    with run_demo_provider(tmp_path_factory.mktemp("demo-idp"), CALLBACK) as running:
        yield running


@pytest.fixture
def demo_oidc(settings, demo_provider):
    """madoguchi configured for the demo provider as bin/run does; returns the provider."""
    for name, value in demo_provider.portal_settings().items():
        setattr(settings, name, value)
    return demo_provider


def local(url: str) -> str:
    """The path and query of an absolute URL, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start_card_login(client, next_path: str = "") -> str:
    """Press 「はじめる」: returns the provider's authorization URL madoguchi sent us to."""
    response = client.post("/portal/login/card/start/", {"next": next_path})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def card_login(client, provider, username: str = "hanako", next_path: str = ""):
    """The whole strong login over real HTTP; returns madoguchi's answer to the callback."""
    callback = provider.login(start_card_login(client, next_path), username)
    assert callback.startswith(CALLBACK), callback
    return client.get(local(callback))


def mail_link(inbox: Inbox, address: str) -> str:
    """The login link in the last mail to ``address``."""
    import re

    body = inbox.to(address)[-1].get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/portal/login/email/\S+/", body).group(0)


def email_login(client, email: str = "hanako@example.jp", next_path: str = ""):
    """Log a resident in by an e-mail link (the link row made here instead of by the mail
    task, which test_email_login.py covers); returns the answer to 「ログインする」."""
    import datetime as dt
    import secrets

    from django.utils import timezone

    from madoguchi.core.tokens import digest
    from madoguchi.portal.models import EmailLoginLink

    token = secrets.token_urlsafe(32)
    EmailLoginLink.objects.create(email=email, token_hash=digest(token), next_path=next_path,
                                  expires_at=timezone.now() + dt.timedelta(minutes=30))
    client.get(f"/portal/login/email/{token}/")
    return client.post("/portal/login/email/confirm/")
