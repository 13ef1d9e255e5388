"""Community in the JSON API with the pages' permissions: rooms and equipment public, a
group's requests and bookings behind its e-mail link login (CSRF on POST), the approval
queue for the staff who may approve the room."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.community import services
from madoguchi.community.models import BookingRequest, RequestStatus
from madoguchi.community.services import requests as svc
from tests.community.conftest import plain_weekday
from tests.community.test_lottery import target_month, weekdays_of
from tests.helpers import login

pytestmark = pytest.mark.django_db


def as_group(group, **kwargs) -> Client:
    client = Client(**kwargs)
    session = client.session
    session["community_group_contact"] = group.contacts.get().pk
    session.save()
    return client


def test_rooms_and_equipment_are_public(client, clerk, school_room, group, ikejiri,
                                        wheelchairs):
    day = plain_weekday()
    services.room_book(room=school_room, day=day, daypart="evening", by=clerk,
                       purpose="会議", attendees=10, group=group)
    response = client.get(f"/api/v1/community/rooms?district={ikejiri.pk}"
                          f"&month={day:%Y-%m}")
    assert response.status_code == 200
    [room] = response.json()["rooms"]
    assert room["room"]["name"] == "多目的室" and room["room"]["capacity"] == 40
    [found] = [d for d in room["days"] if d["date"] == day.isoformat()]
    assert (found["morning"], found["evening"]) == ("not_open", "booked")
    assert "group" not in room and "池尻町会" not in response.content.decode()
    assert client.get(f"/api/v1/community/rooms?district={ikejiri.pk}&month=2027-13"
                      ).status_code == 422
    assert client.get("/api/v1/community/rooms?district=999999").status_code == 404
    response = client.get(f"/api/v1/community/equipment?district={ikejiri.pk}")
    assert response.status_code == 200
    [kind] = response.json()["kinds"]
    assert (kind["code"], kind["stock"], kind["free"]) == ("wheelchair", 2, 2)


def test_a_group_requests_a_room_and_sees_its_requests(group, school_room, monkeypatch):
    assert Client().get("/api/v1/community/group/requests").status_code == 401
    day = weekdays_of(target_month(), 1)[0]
    opens, _closes, _draw = svc.window(day)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: opens)
    client = as_group(group)
    body = {"room": school_room.pk, "date": day.isoformat(), "daypart": "morning",
            "purpose": "会議", "attendees": 10}
    response = client.post("/api/v1/community/group/requests", body,
                           content_type="application/json")
    assert response.status_code == 422 and "利用時間外" in response.json()["detail"]
    assert not BookingRequest.objects.exists()
    response = client.post("/api/v1/community/group/requests", {**body, "daypart": "evening"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    [row] = client.get("/api/v1/community/group/requests").json()
    assert row["room_id"] == school_room.pk and row["group"] == group.name
    assert client.get("/api/v1/community/group/bookings").json() == []
    strict = as_group(group, enforce_csrf_checks=True)
    assert strict.post("/api/v1/community/group/requests", body,
                       content_type="application/json").status_code == 403


def test_the_approval_queue_is_the_approving_staffs(clerk, other_clerk, group, school_room,
                                                    make_staff):
    from madoguchi.accounts.models import Role

    day = plain_weekday()
    booked = services.room_book(room=school_room, day=day, daypart="evening", by=clerk,
                                purpose="会議", attendees=10, group=group)
    request = BookingRequest.objects.create(group=group, room=school_room, date=day,
                                            daypart="evening", purpose="会議", attendees=10,
                                            status=RequestStatus.WON, room_booking=booked)
    staff = login(Client(), clerk)
    [row] = staff.get("/api/v1/community/approvals").json()
    assert row["public_id"] == str(request.public_id)
    other = login(Client(), other_clerk)
    assert other.get("/api/v1/community/approvals").json() == []
    url = f"/api/v1/community/approvals/{request.public_id}/approve"
    assert other.post(url, {}, content_type="application/json").status_code == 404
    auditor = login(Client(), make_staff(Role.AUDITOR))
    assert auditor.get("/api/v1/community/approvals").status_code == 403
    response = staff.post(url, {"conditions": "終了後は机を戻すこと"},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    booked.refresh_from_db()
    assert booked.conditions == "終了後は机を戻すこと"
    again = staff.post(url, {}, content_type="application/json")
    assert again.status_code == 422 and "承認できる状態ではありません" in again.json()["detail"]
    assert group.room_bookings.count() == 1
    assert as_group(group).get("/api/v1/community/group/bookings").json()[0][
        "conditions"] == "終了後は机を戻すこと"
