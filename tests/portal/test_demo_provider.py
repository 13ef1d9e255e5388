"""The demo identity provider of ``make run`` (madoguchi/demo_idp, ADR 0027), run as bin/run
runs it: a resident logs in with one click and madoguchi receives the 基本4情報 the way
the デジタル認証アプリ gives them (scopes name, address, birthdate, gender); madoguchi
refuses to start with it in production."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from madoguchi.portal import demo
from madoguchi.portal.models import Level, PortalIdentity
from tests.browser.conftest import PROJECT_ROOT
from tests.portal.conftest import card_login, start_card_login

pytestmark = pytest.mark.django_db


def test_a_demo_resident_logs_in_with_one_click(client, demo_oidc):
    card = client.get("/portal/login/card/").content.decode()
    assert 'id="card-demo"' in card and "デモ" in card
    query = parse_qs(urlsplit(start_card_login(client)).query)
    assert query["scope"][0].split() == ["openid", "name", "address", "birthdate", "gender"]
    assert query["code_challenge_method"] == ["S256"] and query["state"] and query["nonce"]

    response = card_login(client, demo_oidc, "demo-hanako")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    identity = PortalIdentity.objects.get()
    assert identity.level == Level.STRONG and identity.display_name == "山田 花子"
    assert identity.birth_date == dt.date(1951, 9, 3)
    home = client.get("/portal/").content.decode()
    assert "山田 花子" in home and 'id="show-link-code"' in home


def test_the_demo_pages_say_demo_in_big_letters(demo_provider):
    page = requests.get(demo_provider.url + "/", timeout=10)
    assert page.status_code == 200
    assert '<p class="demo-mark" id="demo-mark">デモ</p>' in page.text
    assert "font-size: 4rem" in page.text and "本物のマイナンバーカード認証" in page.text


def test_a_provider_that_is_down_gives_a_japanese_page_and_creates_nothing(client, demo_oidc,
                                                                          settings):
    settings.PORTAL_OIDC_ISSUER = "http://127.0.0.1:9/o"  # nothing listens there
    settings.PORTAL_OIDC_TIMEOUT_SECONDS = 2
    page = client.get("/portal/login/card/")
    assert "いまつながりません" in page.content.decode()
    response = client.post("/portal/login/card/start/")
    assert response.status_code == 503 and "いまつながりません" in response.content.decode()
    assert not PortalIdentity.objects.exists()


@pytest.mark.parametrize(("marker", "value", "text"), [
    ("SECURE_COOKIES", True, "SECURE_COOKIES is on"),
    ("SECRET_KEY", "a-real-secret-key-of-a-deployment-0123456789", "SECRET_KEY is set"),
    ("PORTAL_OIDC_ISSUER", "https://idp.example.jp", "not on this machine"),
])
def test_madoguchi_refuses_to_start_with_the_demo_in_production(settings, marker, value, text):
    settings.PORTAL_OIDC_DEMO = True
    settings.PORTAL_OIDC_ISSUER = "http://127.0.0.1:8001/o"
    settings.SECRET_KEY = demo.EMBEDDED_SECRET_KEY
    settings.SECURE_COOKIES = False
    demo.refuse_in_production()  # make run: no marker, starts
    setattr(settings, marker, value)
    with pytest.raises(ImproperlyConfigured, match=text):
        demo.refuse_in_production()


def test_the_demo_client_counts_as_the_demo_even_without_the_flag(settings):
    settings.PORTAL_OIDC_DEMO = False
    settings.PORTAL_OIDC_ISSUER = "https://idp.example.jp"
    settings.PORTAL_OIDC_CLIENT_ID = "madoguchi-demo-portal"
    with pytest.raises(ImproperlyConfigured):
        demo.refuse_in_production()
    settings.PORTAL_OIDC_CLIENT_ID = "RP00000001"
    demo.refuse_in_production()


def test_the_deploy_check_reports_the_demo(settings):
    settings.PORTAL_OIDC_DEMO = True
    with pytest.raises(SystemCheckError, match="portal.E001"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


def test_a_server_process_refuses_to_start(tmp_path):
    """The refusal runs in every process (AppConfig.ready), before any request."""
    env = {**os.environ, "PORTAL_OIDC_DEMO": "true", "PORTAL_OIDC_ISSUER":
           "http://127.0.0.1:8001/o", "SECURE_COOKIES": "true",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"],  # noqa: S603
                          cwd=PROJECT_ROOT, env={**env, "DJANGO_SETTINGS_MODULE":
                                                 "config.settings"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "demo identity provider" in done.stderr
    done = subprocess.run([sys.executable, "-c", "import madoguchi.demo_idp.settings"],  # noqa: S603
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "never runs in production" in done.stderr
