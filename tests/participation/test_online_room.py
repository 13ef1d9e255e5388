"""Online participants of an event in the ward's video room (ADR 0064): registering online
gives the registrant a personal one-time link in the confirmation (real SMTP, real worker),
the link opens the room's page, the event's author hosts the room, and cancelling the
registration revokes the link."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from madoguchi.meetings.models import RoomAccess
from madoguchi.participation.models import OnlineSeat, Registration
from tests.helpers import login

from .conftest import open_weeks_ahead, published, run_worker

ROOM = re.compile(r"http://localhost:8000(/meet/join/[A-Za-z0-9_-]+/)")
CANCEL = re.compile(r"http://testserver(/events/cancel/[A-Za-z0-9_-]+/)")


@pytest.mark.django_db(transaction=True)
def test_an_online_registrant_gets_a_personal_room_link_that_cancelling_revokes(
        setagaya, author, head, smtp, settings):
    settings.NOTIFICATIONS_PUBLIC_ORIGIN = "http://localhost:8000"
    settings.PARTICIPATION_REMIND_DAYS = 7  # the session is near: the confirmation has it
    event = published(author, head, video_room=True,
                      first_date=open_weeks_ahead(days=1, weeks=1))
    page = reverse("events:event", kwargs={"event": event.public_id})
    form = {"name": "区民 花子", "email": "hanako@mail.example.jp", "phone": "", "people": "1",
            "needs": ""}
    response = Client().post(page, {**form, "online": "online"})
    assert response.status_code == 200, response.content.decode()[:2000]
    registration = Registration.objects.get(email="hanako@mail.example.jp")
    assert registration.online and registration.status == "confirmed"
    [seat] = OnlineSeat.objects.select_related("participant").all()
    assert seat.participant.name == f"申込番号 {registration.position}"  # no name in the call
    [access] = RoomAccess.objects.filter(participant=seat.participant, revoked_at__isnull=True)
    # Registering at the venue of the same hybrid event gives no link.
    Client().post(page, {**form, "email": "taro@mail.example.jp", "online": "venue"})
    assert OnlineSeat.objects.count() == 1

    run_worker()
    [mail] = smtp.to("hanako@mail.example.jp")
    body = mail.get_body(("plain",)).get_content()
    join = ROOM.search(body).group(1)
    assert "区民" not in join and str(registration.public_id) not in join
    guest = Client()
    assert guest.get(join).status_code == 200  # the guest's page of the call
    host = login(Client(), author)  # the event's author enters from the event's page, as host
    detail = host.get(reverse("participation:event", kwargs={"event": event.public_id}))
    into = reverse("meetings:booking_room", kwargs={"public_id": access.room.booking.public_id})
    assert into in detail.content.decode()
    room = host.get(into, follow=True)
    assert room.status_code == 200 and room.context["host"] is True

    # Cancelling by the personal link revokes the room link.
    assert Client().post(CANCEL.search(body).group(1)).status_code == 200
    access.refresh_from_db()
    assert access.revoked_at is not None
    assert Client().get(join).status_code == 410
