"""The JSON API answers with the services' Japanese reasons and the next free slot."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.scheduling.models import Booking
from tests.helpers import login
from tests.scheduling.conftest import at, next_weekday_holiday, open_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(booker):
    return login(Client(), booker)


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_slots_then_book_then_conflict_then_cancel(api, caseworkers, schedule, ikejiri):
    day = open_day()
    response = api.get("/api/v1/slots", {"section": "hoken-fukushi", "centre": "setagaya/ikejiri",
                                         "staff": "hoken-1", "from": day.isoformat(),
                                         "limit": 3})
    assert response.status_code == 200
    slots = response.json()["slots"]
    assert [s["start"] for s in slots][0] == at(day, 8, 30).isoformat()
    assert slots[0]["staff"]["username"] == "hoken-1" and slots[0]["booth"]["name"]

    body = {"section": "setagaya/hoken-fukushi", "centre": "setagaya/ikejiri",
            "staff": "hoken-1", "start": slots[0]["start"], "idempotency_key": "k-1"}
    created = post(api, "/api/v1/bookings", body)
    assert created.status_code == 201
    booking = created.json()
    assert booking["participants"][0]["is_organiser"] and booking["status"] == "booked"
    replay = post(api, "/api/v1/bookings", body)
    assert replay.json()["public_id"] == booking["public_id"]

    conflict = post(api, "/api/v1/bookings", {**body, "idempotency_key": "k-2"})
    assert conflict.status_code == 409
    assert "次に空いている枠" in conflict.json()["detail"]
    assert conflict.json()["next_free"]["start"] == slots[1]["start"]

    path = f"/api/v1/bookings/{booking['public_id']}/cancel"
    assert post(api, path, {"reason": ""}).json()["code"] == "reason"
    cancelled = post(api, path, {"reason": "都合により"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_unbookable_requests_get_422_with_the_reason(api, caseworkers, schedule):
    holiday, name = next_weekday_holiday()
    response = post(api, "/api/v1/bookings", {
        "section": "hoken-fukushi", "centre": "setagaya/ikejiri",
        "start": at(holiday, 10).isoformat()})
    assert response.status_code == 422
    assert response.json()["code"] == "closed" and name in response.json()["detail"]
    response = post(api, "/api/v1/bookings", {
        "section": "no-such", "centre": "setagaya/ikejiri", "start": at(open_day(), 10)
        .isoformat()})
    assert response.status_code == 422 and "見つかりません" in response.json()["detail"]


def test_a_booking_is_hidden_from_other_centres(api, caseworkers, schedule, make_staff):
    day = open_day()
    created = post(api, "/api/v1/bookings", {
        "section": "hoken-fukushi", "centre": "setagaya/ikejiri",
        "start": at(day, 9).isoformat(), "staff": "hoken-1"}).json()
    stranger = login(Client(), make_staff("district_staff",
                                          "kitazawa/matsubara/machizukuri-center"))
    assert stranger.get(f"/api/v1/bookings/{created['public_id']}").status_code == 404
    assert post(stranger, f"/api/v1/bookings/{created['public_id']}/cancel",
                {"reason": "x"}).status_code == 404


def test_bad_input_is_refused_with_a_reason_never_a_server_error(api, caseworkers, schedule):
    """The probe's 500s (issue 12 item 3): each is now a 422 naming the problem."""
    day = open_day()
    body = {"section": "hoken-fukushi", "centre": "setagaya/ikejiri",
            "start": at(day, 10).isoformat()}
    unknown = post(api, "/api/v1/bookings", {**body, "centre": "setagaya/nowhere"})
    assert unknown.status_code == 422 and "setagaya/nowhere" in unknown.json()["detail"]
    slots = api.get("/api/v1/slots", {"section": "hoken-fukushi", "centre": "nowhere"})
    assert slots.status_code == 422 and "nowhere" in slots.json()["detail"]
    ancient = post(api, "/api/v1/bookings", {**body, "start": "0147-01-14T10:00:00"})
    assert ancient.status_code == 422 and ancient.json()["code"] == "invalid"
    assert "1900年から2199年" in ancient.json()["errors"]["start"][0]
    title = post(api, "/api/v1/bookings", {**body, "title": "あ" * 121})
    assert title.status_code == 422
    assert title.json()["errors"] == {"title": ["120文字以内で入力してください。"]}
    guest = post(api, "/api/v1/bookings", {**body, "guests": [{"name": "い" * 81}]})
    assert guest.status_code == 422
    assert guest.json()["errors"] == {"guests.0.name": ["80文字以内で入力してください。"]}
    assert not Booking.objects.exists()
