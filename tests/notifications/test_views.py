"""The centre's day board, a section's week and one's own agenda (pages and API)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.audit.models import AuditEntry
from tests.helpers import login

from .conftest import HOKEN, cancel, make_booking, reschedule, tokyo

pytestmark = pytest.mark.django_db

HIDDEN = "区民（非表示）"


def board_url(district="ikejiri", region="setagaya", date=None):
    url = reverse("scheduling:day_board", args=[region, district])
    return f"{url}?date={date.isoformat()}" if date else url


@pytest.fixture
def day():
    return timezone.localdate() + dt.timedelta(days=2)


@pytest.fixture
def bookings(people):
    """Two 池尻 bookings the day after tomorrow (one with a 松原 resident), one cancelled,
    one at 松原, one on another day."""
    by, hoken = people["centre_staff"], people["hoken"]
    return {
        "hanako": make_booking(section=hoken, start=tokyo(2, 10), by=by,
                               staff=[people["section_staff"]], residents=[people["hanako"]],
                               guests=[{"name": "山本 ケアマネ", "organisation": "池尻ケア"}]),
        "matsu": make_booking(section=people["kazei"], start=tokyo(2, 13), by=by,
                              residents=[people["matsu"]]),
        "cancelled": cancel(make_booking(section=hoken, start=tokyo(2, 15), by=by,
                                         residents=[people["taro"]]),
                            by=by, reason="体調不良"),
        "at_matsubara": make_booking(section=hoken, start=tokyo(2, 11), by=by,
                                     centre_code="matsubara", residents=[people["matsu"]]),
        "other_day": make_booking(section=hoken, start=tokyo(3, 9), by=by,
                                  staff=[people["section_staff"]],
                                  residents=[people["taro"]]),
    }


def test_day_board_shows_only_the_centres_bookings_of_that_day(client, people, bookings, day):
    login(client, people["centre_staff"])
    response = client.get(board_url(date=day))
    assert response.status_code == 200
    html = response.content.decode()
    assert "池尻まちづくりセンターの予定" in html
    assert "相談ブース1" in html
    assert ">10:00<" in html and ">13:00<" in html and ">15:00<" in html
    assert ">11:00<" not in html  # 松原's booking
    assert ">09:00<" not in html  # another day
    assert "池尻　花子" in html and "保健 一郎" in html and "山本 ケアマネ" in html
    # A 松原 resident is not the 池尻 centre's to see.
    assert "松原　梅子" not in html and HIDDEN in html
    assert "取消し" in html and "体調不良" in html
    assert response["Cache-Control"].startswith("max-age=0")
    shown = set(AuditEntry.objects.filter(source="scheduling:day_board")
                .values_list("resident_ref", flat=True))
    assert shown == {str(people["hanako"].public_id), str(people["taro"].public_id)}


def test_day_board_defaults_to_today_in_wareki(client, people):
    login(client, people["centre_staff"])
    make_booking(section=people["hoken"], start=timezone.localtime() + dt.timedelta(minutes=5),
                 by=people["centre_staff"], residents=[people["hanako"]])
    html = client.get(board_url()).content.decode()
    assert "（今日）" in html and "令和" in html and "池尻　花子" in html


def test_bad_date_falls_back_to_today_with_a_message(client, people):
    login(client, people["centre_staff"])
    html = client.get(board_url() + "?date=2026-13-45").content.decode()
    assert "日付は 2026-06-01 の形で指定してください" in html and "（今日）" in html


def test_other_centres_board_is_not_found(client, people, bookings):
    login(client, people["matsubara_staff"])
    assert client.get(board_url("ikejiri")).status_code == 404
    assert client.get(board_url("matsubara", "kitazawa")).status_code == 200
    assert client.get(board_url("nowhere")).status_code == 404


def test_board_link_goes_to_own_centre(client, people):
    login(client, people["matsubara_staff"])
    response = client.get(reverse("scheduling:board"))
    assert response.status_code == 302
    assert response["Location"] == board_url("matsubara", "kitazawa")


def test_day_board_queries_are_bounded(client, people, day, django_assert_max_num_queries):
    login(client, people["centre_staff"])
    by = people["centre_staff"]
    residents = [people["hanako"], people["taro"], people["matsu"], people["emily"]]
    for i in range(16):
        make_booking(section=people["hoken"], start=tokyo(2, 8 + i // 2, 30 * (i % 2)), by=by,
                     staff=[people["section_staff"]], residents=[residents[i % 4]],
                     guests=[{"name": f"ゲスト{i}"}])
    client.get(board_url(date=day))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(board_url(date=day))
    assert response.content.decode().count("ゲスト") == 16


def test_section_calendar_lists_the_sections_week(client, people, bookings, day, make_staff):
    login(client, people["section_staff"])
    response = client.get(reverse("scheduling:calendar"))
    assert response.status_code == 302
    url = response["Location"]
    assert url == reverse("scheduling:section_calendar", args=[people["hoken"].pk])
    html = client.get(f"{url}?week={day.isoformat()}").content.decode()
    assert "保健福祉課の予定" in html
    assert "池尻まちづくりセンター 相談ブース1" in html
    assert "松原まちづくりセンター" in html  # the section's bookings at every centre
    assert ">13:00<" not in html  # 課税課's booking
    # Section staff see no resident unless involved (consultations adds that rule).
    assert "池尻　花子" not in html
    manager = make_staff(Role.SECTION_MANAGER, HOKEN, "hoken-manager")
    login(client, manager)
    assert client.get(url).status_code == 200


def test_section_calendar_is_for_the_sections_own_staff(client, people, make_staff):
    other = make_staff(Role.SECTION_STAFF, "kazei", "kazei-staff")
    login(client, other)
    url = reverse("scheduling:section_calendar", args=[people["hoken"].pk])
    assert client.get(url).status_code == 404
    login(client, people["centre_staff"])
    assert client.get(url).status_code == 403


def test_section_calendar_queries_are_bounded(client, people, day,
                                              django_assert_max_num_queries):
    login(client, people["section_staff"])
    for i in range(12):
        make_booking(section=people["hoken"], start=tokyo(2 + i % 3, 9 + i // 3),
                     by=people["centre_staff"], staff=[people["section_staff"]],
                     residents=[people["hanako"]])
    url = reverse("scheduling:section_calendar", args=[people["hoken"].pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        client.get(f"{url}?week={day.isoformat()}")


def test_agenda_lists_my_bookings_ahead(client, people, bookings):
    make_booking(section=people["hoken"], start=timezone.now() - dt.timedelta(days=1),
                 by=people["centre_staff"], staff=[people["section_staff"]])  # past: not shown
    reschedule(bookings["other_day"], start=tokyo(4, 16), by=people["centre_staff"],
                       reason="変更")
    login(client, people["section_staff"])
    html = client.get(reverse("scheduling:agenda")).content.decode()
    assert "わたしの予定" in html
    # header, 花子's booking, the moved one (its cancelled predecessor and the past one not)
    assert html.count("<tr>") == 3
    assert ">16:00<" in html and ">10:00<" in html

    login(client, people["matsubara_staff"])
    html = client.get(reverse("scheduling:agenda")).content.decode()
    assert "予定はありません" in html


def test_agenda_api(client, people, bookings):
    assert client.get("/api/v1/agenda").status_code == 401
    login(client, people["section_staff"])
    body = client.get("/api/v1/agenda").json()
    assert [b["public_id"] for b in body["bookings"]] == [
        str(bookings["hanako"].public_id), str(bookings["other_day"].public_id)]
    first = body["bookings"][0]
    assert first["start"].endswith("+09:00") and first["status"] == "booked"
    assert first["section"] == "世田谷総合支所 保健福祉課"
    assert first["residents"] == [{"label": HIDDEN, "organisation": "", "remote": False,
                                   "hidden": True}]
    assert body["more"] is False


def test_centre_day_api(client, people, bookings, day):
    url = f"/api/v1/centres/setagaya/ikejiri/day?date={day.isoformat()}"
    assert client.get(url).status_code == 401
    login(client, people["section_staff"])
    assert client.get(url).status_code == 403
    login(client, people["matsubara_staff"])
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "このまちづくりセンターの予定は表示できません。",
                               "code": "not_found", "errors": {}}
    login(client, people["centre_staff"])
    body = client.get(url).json()
    assert body["date"] == day.isoformat() and body["centre"] == "池尻まちづくりセンター"
    rows = [b for booth in body["booths"] for b in booth["bookings"]]
    assert [b["status"] for b in rows] == ["booked", "booked", "cancelled"]
    labels = [p["label"] for b in rows for p in b["residents"]]
    assert labels == ["池尻　花子", HIDDEN, "池尻　太郎"]
    bad = client.get("/api/v1/centres/setagaya/ikejiri/day?date=tomorrow")
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.json()["detail"]
