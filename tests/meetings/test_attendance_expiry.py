"""Room membership expires by heartbeat (ADR 0025): an attendance whose connection stopped
pinging without a departure (its process died) is hidden at once and closed after a while."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from madoguchi.meetings import services
from madoguchi.meetings.models import Attendance, AttendanceState


def silence(attendance: Attendance, seconds: int) -> None:
    Attendance.objects.filter(pk=attendance.pk).update(
        seen_at=timezone.now() - dt.timedelta(seconds=seconds))
    attendance.refresh_from_db()


def test_a_silent_connection_leaves_the_lobby_and_the_call(world, db):
    room = world.room
    host = services.attendance_join(room=room, channel_name="host", user=world.staff.host)
    guest = services.attendance_join(room=room, channel_name="guest", link=world.guest_link)
    assert [w["peer"] for w in services.waiting(room=room)] == [guest.peer]
    assert [p["peer"] for p in services.peers_in_call(room=room)] == [host.peer]

    silence(guest, 91)
    silence(host, 91)
    assert services.waiting(room=room) == [] and services.peers_in_call(room=room) == []
    assert services.expire_silent(room=room) == 2
    states = dict(Attendance.objects.values_list("peer", "state"))
    assert states == {host.peer: AttendanceState.DROPPED, guest.peer: AttendanceState.LEFT}

    # The host comes back: in the call at once (as after any drop), alone there.
    again = services.attendance_join(room=room, channel_name="host-2", user=world.staff.host)
    assert again.state == AttendanceState.ADMITTED
    assert [p["peer"] for p in services.peers_in_call(room=room)] == [again.peer]


def test_pings_keep_a_connection_present(world, db):
    host = services.attendance_join(room=world.room, channel_name="h", user=world.staff.host)
    silence(host, 10)
    services.attendance_seen(attendance=host)  # within SEEN_EVERY: no write
    assert Attendance.objects.get(pk=host.pk).seen_at == host.seen_at
    silence(host, 80)
    services.attendance_seen(attendance=host)
    assert timezone.now() - Attendance.objects.get(pk=host.pk).seen_at < dt.timedelta(seconds=5)
    assert services.expire_silent(room=world.room) == 0
