"""The district's disaster page shows its shelters and the coming 防災塾 that
participation offers through core's activity providers (issue 19 item 6, ADR 0061):
disaster imports nothing of participation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from madoguchi.core import activities
from madoguchi.disaster.demo import load_demo_shelters
from madoguchi.organisation.models import District
from madoguchi.participation import services
from tests.helpers import login
from tests.participation.conftest import event_data, kind, published

pytestmark = pytest.mark.django_db
IKEJIRI = "setagaya/ikejiri/machizukuri-center"
PAGE = "/disaster/districts/setagaya/ikejiri/"


@pytest.fixture
def staff(make_staff):
    return (make_staff("district_staff", IKEJIRI, "bosai-author"),
            make_staff("centre_head", IKEJIRI, "bosai-head"))


def test_the_page_lists_the_districts_coming_bosai_juku_and_shelters(staff, client,
                                                                      make_staff):
    author, head = staff
    ikejiri = District.objects.get(region__code="setagaya", code="ikejiri")
    load_demo_shelters(districts=[ikejiri])
    juku = published(author, head, kind=kind("bosai-juku"), title="池尻の防災塾（初期消火）")
    published(author, head, title="スマホ教室（防災塾ではない）")
    taishido = District.objects.get(region__code="setagaya", code="taishido")
    taishido_head = make_staff("centre_head", "setagaya/taishido/machizukuri-center",
                               "taishido-head")
    published(author, taishido_head, kind=kind("bosai-juku"), title="太子堂の防災塾",
              district=taishido)
    draft = services.event_create(by=author, data=event_data(
        kind=kind("bosai-juku"), title="下書きの防災塾"))
    assert draft.status == "draft"
    page = client.get(PAGE)  # public: no login
    text = page.content.decode()
    assert page.status_code == 200
    assert "池尻地区の防災" in text and "池尻の防災塾（初期消火）" in text
    assert reverse("events:event", kwargs={"event": juku.public_id}) in text
    for absent in ("スマホ教室", "太子堂の防災塾", "下書きの防災塾"):
        assert absent not in text
    assert "地区の避難所" in text and "池尻" in text


def test_past_or_cancelled_sessions_are_not_shown_and_the_page_says_so(staff, client):
    author, head = staff
    juku = published(author, head, kind=kind("bosai-juku"), title="中止になる防災塾")
    services.event_move(by=author, event=juku, step="cancel")
    text = client.get(PAGE).content.decode()
    assert "中止になる防災塾" not in text
    assert "予定されている防災塾はありません。" in text


def test_providers_are_merged_in_time_order_and_a_name_is_registered_once(setagaya):
    now = dt.datetime(2027, 4, 1, 10, tzinfo=dt.UTC)
    later = activities.Activity("後の訓練", now + dt.timedelta(days=2), now, "", "/b/")
    sooner = activities.Activity("先の訓練", now, now, "", "/a/")

    def provider(district_id, limit):
        return [later, sooner]

    activities.register_provider("test_topic", "test", provider)
    activities.register_provider("test_topic", "test", provider)  # the same again: no change
    with pytest.raises(ValueError, match="registered already"):
        activities.register_provider("test_topic", "test", lambda d, n: [])
    assert activities.upcoming("test_topic", 1, limit=1) == [sooner]
    assert activities.upcoming("no_such_topic", 1) == []


def test_the_district_page_of_organisation_links_the_disaster_page(staff, client):
    login(client, staff[0])
    text = client.get("/org/districts/setagaya/ikejiri/").content.decode()
    assert PAGE in text and "地区の防災" in text
