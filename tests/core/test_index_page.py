"""The public front page: every district centre, how to reach it, and the closed days."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_front_page_needs_no_login_and_lists_every_centre(client, setagaya):
    response = client.get(reverse("core:index"), HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>お近くのまちづくりセンター</h1>" in html
    assert html.count('class="card"') == 28
    assert html.count('class="region"') == 5
    for name in ("池尻まちづくりセンター", "松原まちづくりセンター", "烏山まちづくりセンター"):
        assert name in html
    assert "世田谷総合支所" in html


def test_front_page_shows_hours_and_does_not_invent_addresses(client, setagaya):
    from madoguchi.organisation.models import DistrictCentre

    html = client.get(reverse("core:index"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "月曜日～金曜日" in html
    assert "8:30" in html and "17:15" in html
    known = DistrictCentre.objects.exclude(address="")
    assert html.count("<dt>所在地</dt>") == known.count()
    for centre in known:
        assert centre.address in html
    assert "お問い合わせください" not in html  # no placeholder sentence
    # Every centre has a number to call: its own, else its branch office's or the ward's.
    assert html.count('href="tel:') >= 28


def test_front_page_has_the_closed_days_box_and_the_staff_entrance(client, setagaya):
    html = client.get(reverse("core:index"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert re.search(r'<h2 id="closed-days-title">休業日</h2>', html)
    assert f'href="{reverse("accounts:login")}">職員の方はこちら</a>' in html


def test_front_page_renders_without_organisation_data(client, monkeypatch):
    monkeypatch.setattr("madoguchi.organisation.selectors.centre_directory", lambda: [])
    response = client.get(reverse("core:index"), HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert "まちづくりセンターの情報を準備しています" in response.content.decode()


def test_front_page_in_english_declares_its_language(client, setagaya):
    with translation.override("en"):
        response = client.get(reverse("core:index"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Ikejiri District Centre" in html and "池尻まちづくりセンター" not in html
    assert "Setagaya General Branch Office" in html


def test_base_marks_the_current_navigation_item(client, staff_by_role):
    from madoguchi.accounts.models import Role
    from tests.conftest import PASSWORD

    user = staff_by_role[Role.DISTRICT_STAFF]
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="ja")
    if response.status_code != 200:
        pytest.skip(f"staff home not reachable with a password login ({response.status_code})")
    html = response.content.decode()
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
    assert current == [reverse("accounts:home")]
