"""The public calendar: list and month views, ward-wide and per district, filters, the ICS
feed per district and kind, RSS and Atom (django.contrib.syndication)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from icalendar import Calendar

from madoguchi.accounts.models import Role
from madoguchi.organisation.models import District

from .conftest import kind, published

pytestmark = pytest.mark.django_db
MONTH = "2027-03"


@pytest.fixture
def events(setagaya, author, head, make_staff):
    matsubara_head = make_staff(Role.CENTRE_HEAD, "kitazawa/matsubara/machizukuri-center")
    smartphone = published(author, head, first_date=dt.date(2027, 3, 3), repeat="weekly",
                           repeat_count=4)
    online = published(author, head, title="オンライン体操", first_date=dt.date(2027, 3, 10),
                       kind=kind("exercise"), place="",
                       online_url="https://meet.example.jp/taiso")
    other = published(author, matsubara_head, title="松原の防災塾", first_date=dt.date(2027, 3, 20),
                      kind=kind("bosai-juku"),
                      district=District.objects.get(code="matsubara"))
    return smartphone, online, other


def test_the_month_view_and_the_list_with_filters(events, client):
    month = client.get(reverse("events:calendar"), {"view": "month", "month": MONTH})
    text = month.content.decode()
    assert month.status_code == 200
    assert text.count("はじめてのスマートフォン教室") == 4 and "松原の防災塾" in text
    assert "令和9年3月" in text
    online = client.get(reverse("events:calendar"), {"month": MONTH, "online": "1"})
    assert "オンライン体操" in online.content.decode()
    assert "はじめてのスマートフォン教室" not in online.content.decode()
    by_kind = client.get(reverse("events:calendar"), {"month": MONTH, "kind": "bosai-juku"})
    assert "松原の防災塾" in by_kind.content.decode()
    assert "オンライン体操" not in by_kind.content.decode()


def test_a_district_page_shows_its_events_only(events, client):
    url = reverse("events:district_calendar", kwargs={"region": "setagaya", "code": "ikejiri"})
    text = client.get(url, {"month": MONTH}).content.decode()
    assert "池尻地区のイベント・講座" in text and "オンライン体操" in text
    assert "松原の防災塾" not in text


def test_ics_feed_per_district_and_kind(events, client, settings):
    smartphone, online, other = events
    response = client.get(reverse("events:ics"), {"district": "setagaya/ikejiri",
                                                  "kind": "smartphone"})
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert summaries == [smartphone.title] * 4
    everything = Calendar.from_ical(client.get(reverse("events:ics")).content)
    assert len(everything.walk("VEVENT")) == 6


def test_rss_and_atom_feeds(events, client):
    rss = ET.fromstring(client.get(reverse("events:rss")).content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert any("オンライン体操" in t for t in titles) and any("令和9年" in t for t in titles)
    atom = client.get(reverse("events:atom"), {"district": "kitazawa/matsubara"})
    assert atom["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(atom.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert len(entries) == 1 and "松原の防災塾" in entries[0]


def test_an_event_only_in_the_ward_video_room_counts_as_online(events, author, head, client):
    published(author, head, title="ビデオ会議室の講座", first_date=dt.date(2027, 3, 12),
              place="", video_room=True)
    online = client.get(reverse("events:calendar"), {"month": MONTH, "online": "1"})
    text = online.content.decode()
    assert "ビデオ会議室の講座" in text and "はじめてのスマートフォン教室" not in text
    assert text.count('badge--neutral">オンライン<') == 2  # the link event and this one
