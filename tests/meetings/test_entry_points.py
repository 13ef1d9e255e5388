"""Ways into the call for staff: the consultation's record page and one's own agenda; and
the host's one-time links for the resident and the outside participant (room page)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.scheduling.models import Participant, ParticipantKind
from tests.helpers import login

pytestmark = pytest.mark.django_db


def room_url(world) -> str:
    return reverse("meetings:booking_room", kwargs={"public_id": world.booking.public_id})


def test_the_agenda_offers_the_call_to_those_who_may_enter(world, client, make_staff,
                                                           django_assert_max_num_queries):
    login(client, world.staff.host)
    html = client.get(reverse("scheduling:agenda")).content.decode()
    assert room_url(world) in html and "ビデオ通話に入る" in html
    assert client.get(room_url(world)).status_code == 302

    # A partner taking part enters too (waiting in the lobby); a ward administrator made a
    # participant sees the booking but no way in (the role may not join calls).
    admin = make_staff(Role.WARD_ADMIN, None, "admin-1")
    for user in (world.staff.partner, admin):
        Participant.objects.create(booking=world.booking, kind=ParticipantKind.STAFF,
                                   user=user)
    for user, offered in ((world.staff.partner, True), (admin, False)):
        client.logout()
        login(client, user)
        html = client.get(reverse("scheduling:agenda")).content.decode()
        assert world.booking.section.name in html
        assert (room_url(world) in html) is offered

    # The agenda stays within a bounded number of queries.
    client.logout()
    login(client, world.staff.host)
    client.get(reverse("scheduling:agenda"))
    with django_assert_max_num_queries(12):
        client.get(reverse("scheduling:agenda"))


def test_the_record_page_leads_hosts_into_the_call(world, client):
    detail = reverse("consultations:detail", kwargs={"public_id": world.consultation.public_id})
    login(client, world.staff.colleague)  # same section: a host, though not a participant
    assert room_url(world) in client.get(detail).content.decode()
    client.logout()
    login(client, world.staff.centre)  # made the booking, but is no participant
    assert room_url(world) not in client.get(detail).content.decode()


def test_the_host_issues_a_one_time_link_from_the_room_page(world, client):
    login(client, world.staff.host)
    room = reverse("meetings:room", kwargs={"public_id": world.room.public_id})
    html = client.get(room).content.decode()
    assert reverse("meetings:link_create", kwargs={"public_id": world.room.public_id}) in html
    resident = world.booking.participants.get(kind=ParticipantKind.RESIDENT)
    response = client.post(reverse("meetings:link_create",
                                   kwargs={"public_id": world.room.public_id}),
                           {"participant": resident.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "/meet/join/" in html
    # The message names the person the link is for, not their kind (「区民さん」).
    assert "山田\u3000花子さんの参加用リンクを発行しました。" in html and "区民さん" not in html
