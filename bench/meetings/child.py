"""The child process of the video-room bench: the scratch database and its world (staff,
sessions, bookings, rooms), then (a) and (b) against one uvicorn process."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import resource
import sys
from pathlib import Path

from bench.meetings._common import ROOT, SCRATCH_DB
from bench.meetings.join import join_to_connected
from bench.meetings.servers import uvicorn
from bench.meetings.signaling import ROOMS, bare_relay, relay

SECTION = "setagaya/hoken-fukushi"
CENTRE = "setagaya/ikejiri/machizukuri-center"


def _raise_fd_limit() -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 65_536
    if soft < want:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def _setup_django() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SCRATCH_DB}{suffix}").unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_setagaya", verbosity=0)


def _staff(username: str, role: str, unit_code: str):
    from madoguchi.accounts.services import staff_upsert
    from madoguchi.organisation.models import Section

    return staff_upsert(username=username, display_name=username, password="x" * 16,
                        role=role, unit=Section.objects.get(code=unit_code))


def _session(user) -> str:
    """A logged-in session for ``user`` (second factor done when the role requires it, as
    the login page would leave it); returns the session id."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from madoguchi.accounts.policy import requires_two_factor

    client = Client()
    client.force_login(user)
    if requires_two_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator",
                                                     defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    from django.conf import settings

    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _world() -> dict:
    """Two hosts of the section (with sessions), one booking made through the booking
    service for (a), and ROOMS bookings with rooms for (b)."""
    from madoguchi.accounts.models import Role
    from madoguchi.meetings import services as meetings
    from madoguchi.meetings.models import Room
    from madoguchi.organisation.models import DistrictCentre, Section
    from madoguchi.scheduling import services as scheduling
    from madoguchi.scheduling.models import Booking
    from madoguchi.scheduling.selectors import find_slots

    section = Section.objects.get(code=SECTION)
    centre = DistrictCentre.objects.get(district__region__code="setagaya",
                                        district__code="ikejiri")
    booker = _staff("bench-desk", Role.DISTRICT_STAFF, CENTRE)
    hosts = [_staff(f"bench-host-{i}", Role.SECTION_STAFF, SECTION) for i in (1, 2)]
    slot = find_slots(section=section, centre=centre, staff=hosts[0], booth_required=False,
                      limit=1)[0]
    booking = scheduling.booking_create(section=section, centre=centre, staff=hosts[0],
                                        start=slot.start, booth_required=False,
                                        title="bench call", by=booker)
    call_room = meetings.room_for_booking(booking=booking)
    # The relay rooms: bookings of the section straight through the ORM (the booking
    # service's slot checks are not what is measured), one room each.
    start = slot.start + dt.timedelta(days=1)
    bookings = Booking.objects.bulk_create(
        Booking(section=section, centre=centre, title="bench relay", created_by=booker,
                start=start + dt.timedelta(minutes=30 * i),
                end=start + dt.timedelta(minutes=30 * i + 30)) for i in range(ROOMS))
    rooms = Room.objects.bulk_create(Room(booking=b) for b in bookings)
    return {"call_room": str(call_room.public_id),
            "relay_rooms": [str(r.public_id) for r in rooms],
            "sessions": [_session(h) for h in hosts]}


def run_child() -> dict:
    limit = _raise_fd_limit()
    _setup_django()
    world = _world()
    from django.db import connections

    connections.close_all()
    with uvicorn() as port:
        try:
            joins = (join_to_connected(port, world)
                     if os.environ.get("BENCH_MEETINGS_BROWSER", "1") != "0"
                     else {"skipped": "not asked for (python -m bench meetings relay)"})
        except Exception as error:  # noqa: BLE001 - reported; the relay still runs
            joins = {"skipped": f"failed: {type(error).__name__}: {str(error)[:300]}"}
        channels = relay(port, world)
    bare = bare_relay()
    figures = {"database": "SQLite (scratch, var/bench/meetings.sqlite3)",
               "cpus": os.cpu_count(), "open_files_limit": list(limit),
               "join_to_connected": joins,
               "relay": {"channels": channels, "bare": bare}}
    if "failed" not in channels and "failed" not in bare:
        figures["relay"]["bare_over_channels"] = round(
            bare["frames_per_s"] / channels["frames_per_s"], 1)
        figures["relay"]["latency_p50_ratio"] = round(channels["p50_ms"] / bare["p50_ms"], 1)
        figures["relay"]["setup_rate_ratio"] = round(
            bare["setup_pairs_per_s"] / channels["setup_pairs_per_s"], 1)
        if bare.get("server_cpu_ms_per_pair_setup") and channels.get(
                "server_cpu_ms_per_pair_setup"):
            figures["relay"]["setup_cpu_ratio"] = round(
                channels["server_cpu_ms_per_pair_setup"]
                / bare["server_cpu_ms_per_pair_setup"], 1)
    return figures
