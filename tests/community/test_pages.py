"""The community pages: a ward administrator runs and annuls a draw on the lottery page (a
second run refused with its message), a group's representative logs in by the mailed link
and requests a room from the group page, a clerk takes an item back."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.accounts.models import Role
from madoguchi.community.models import BookingRequest, GroupLogin, LotteryRun
from madoguchi.community.services import requests as svc
from madoguchi.core.tokens import digest
from tests.community.test_lottery import target_month, weekdays_of
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_the_lottery_page_runs_refuses_a_second_run_and_annuls(client, make_staff):
    admin = make_staff(Role.WARD_ADMIN)
    login(client, admin)
    month = target_month()
    response = client.post("/community/staff/lottery/", {"month": f"{month:%Y-%m}",
                                                          "seed": "page-seed"})
    # Before the draw day the page says so and nothing is recorded.
    if response.status_code == 200:
        assert "抽選は" in response.content.decode() and not LotteryRun.objects.exists()
        LotteryRun.objects.create(month=month, seed="page-seed", inputs_digest="-",
                                  requests_count=0, run_by=admin)
    run = LotteryRun.objects.get()
    response = client.post("/community/staff/lottery/", {"month": f"{month:%Y-%m}"})
    assert response.status_code == 200
    assert "すでに行われています" in response.content.decode()
    assert LotteryRun.objects.count() == 1
    client.post(f"/community/staff/lottery/{run.pk}/annul/", {"reason": ""})
    run.refresh_from_db()
    assert run.annulled_at is None
    client.post(f"/community/staff/lottery/{run.pk}/annul/", {"reason": "やり直し"})
    run.refresh_from_db()
    assert run.annulled_at is not None and run.annul_reason == "やり直し"
    page = client.get("/community/staff/lottery/").content.decode()
    assert "page-seed" in page and "やり直し" in page


def test_a_representative_logs_in_by_link_and_requests_a_room(client, group, school_room,
                                                              monkeypatch):
    contact = group.contacts.get()
    login_row = GroupLogin.objects.create(contact=contact, digest=digest("secret-token"),
                                          expires_at=dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
    response = client.get("/community/group/login/secret-token/")
    assert response.status_code == 302 and response.url == "/community/group/"
    assert client.get("/community/group/login/secret-token/").status_code == 400  # once
    login_row.refresh_from_db()
    assert login_row.used_at is not None

    day = weekdays_of(target_month(), 1)[0]
    opens, _closes, _draw = svc.window(day)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: opens)
    form = {"room": school_room.pk, "date": day.isoformat(), "daypart": "morning",
            "purpose": "会議", "attendees": 10}
    response = client.post("/community/group/", form)
    assert "利用時間外" in response.content.decode()  # a school room on a weekday morning
    assert not BookingRequest.objects.exists()
    response = client.post("/community/group/", {**form, "daypart": "evening"})
    assert response.status_code == 302
    request = BookingRequest.objects.get()
    assert request.group == group and request.status == "pending"
