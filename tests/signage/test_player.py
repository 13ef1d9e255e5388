"""The player's endpoints: the screen's key in the session, a revoked key, media only
while valid, the heartbeat and the proof-of-play log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madoguchi.signage import services
from madoguchi.signage.models import Play, Screen

from .conftest import notice, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def player(screen, author):
    key = services.screen_key_issue(by=author, screen=screen)
    client = Client()
    response = client.get(reverse("signage:player_key", kwargs={"key": key}))
    assert response.status_code == 302 and response.url == reverse("signage:player")
    return client


def test_the_player_page_opens_with_the_key_kept_in_the_session(player):
    page = player.get(reverse("signage:player"))
    assert page.status_code == 200 and b"signage-config" in page.content
    assert player.get(reverse("signage:schedule")).json()["screen"] == "池尻 入口"


def test_an_unknown_key_shows_the_neutral_page():
    page = Client().get(reverse("signage:player_key", kwargs={"key": "nope"}))
    assert page.status_code == 403 and "世田谷区" in page.content.decode()


def test_a_revoked_key_stops_the_player(player, screen, author):
    services.screen_key_revoke(by=author, screen=screen)
    answer = player.get(reverse("signage:schedule"))
    assert answer.status_code == 403 and answer.json()["revoked"] is True
    assert player.get(reverse("signage:player")).status_code == 403


def test_a_new_key_revokes_the_old_one(player, screen, author):
    services.screen_key_issue(by=author, screen=screen)
    assert player.get(reverse("signage:schedule")).status_code == 403


def test_media_are_served_only_while_the_item_is_valid_for_this_screen(
        player, author, head, ikejiri, far_screen):
    item = services.item_create(by=author, data=notice(kind="image", centres=[ikejiri]),
                                upload=upload(png_bytes(), "poster.png"))
    url = reverse("signage:media", kwargs={"item": item.public_id})
    assert player.get(url).status_code == 404  # not approved yet
    services.item_approve(by=head, item=item)
    media = player.get(url)
    assert media.status_code == 200 and media["Content-Type"] == "image/png"
    assert b"".join(media.streaming_content) == png_bytes()
    services.item_withdraw(by=author, item=item)
    assert player.get(url).status_code == 404


def test_the_heartbeat_records_status_and_plays_once(player, screen, author, head,
                                                      ikejiri, far_screen):
    item = services.item_approve(by=head, item=services.item_create(
        by=author, data=notice(centres=[ikejiri])))
    at = (timezone.now() - dt.timedelta(minutes=30)).isoformat()
    body = {"current": str(item.public_id), "emergency": False,
            "plays": [{"item": str(item.public_id), "at": at, "failed": False},
                      {"item": "not-an-id", "at": at},
                      {"item": str(item.public_id), "at": "yesterday"},
                      {"item": str(item.public_id),
                       "at": (timezone.now() - dt.timedelta(days=3)).isoformat()}]}
    csrf = player.get(reverse("signage:player")).context["config"]["csrf"]
    post = lambda: player.post(reverse("signage:heartbeat"), json.dumps(body),  # noqa: E731
                               content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert post().json()["recorded"] == 1
    post()  # the same plays again (a retry after a lost answer)
    assert Play.objects.count() == 1
    screen = Screen.objects.get(pk=screen.pk)
    assert screen.current_item == item and screen.last_seen is not None


def test_a_bad_heartbeat_body_is_refused(player):
    csrf = player.get(reverse("signage:player")).context["config"]["csrf"]
    answer = player.post(reverse("signage:heartbeat"), "[1]", content_type="application/json",
                         HTTP_X_CSRFTOKEN=csrf)
    assert answer.status_code == 400
    assert answer.json()["message"] == "送信内容が正しくありません。"


def test_staff_see_status_and_the_log(player, screen, author, head, ikejiri, client):
    from tests.helpers import login

    item = services.item_approve(by=head, item=services.item_create(
        by=author, data=notice(centres=[ikejiri])))
    services.heartbeat(screen=screen, current=str(item.public_id), emergency=False,
                       plays=[{"item": str(item.public_id), "at": timezone.now().isoformat()}])
    login(client, author)
    page = client.get(reverse("signage:screens")).content.decode()
    assert "オンライン" in page and "防災訓練のお知らせ" in page
    log = client.get(reverse("signage:plays")).content.decode()
    assert "防災訓練のお知らせ" in log


def test_the_item_form_says_what_is_wrong_and_saves_nothing(client, author):
    from tests.helpers import login

    login(client, author)
    answer = client.post(reverse("signage:item_create"), {
        "kind": "notice", "title": "x", "body": "y", "starts_at": "2030-01-02T10:00",
        "ends_at": "2030-01-01T10:00", "seconds": "15", "weekdays": ["0"]})
    text = answer.content.decode()
    assert answer.status_code == 400
    assert "掲載終了は掲載開始より後の日時にしてください。" in text
    assert "表示先（画面・センター・地域・区全体）を一つ以上選んでください。" in text
    from madoguchi.signage.models import Item

    assert Item.objects.count() == 0
