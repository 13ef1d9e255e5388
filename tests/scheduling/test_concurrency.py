"""Never double-booked: many people try to take the same slot at the same moment.

Each attempt runs in its own thread with its own database connection (closed at the end
of the thread), through the service layer and once through HTTP against the real ASGI
server. Exactly one booking must come out; every other attempt is told the slot is taken.
"""

from __future__ import annotations

import json
import string
import threading
import urllib.error
import urllib.request
from collections import Counter

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils.crypto import get_random_string

from madoguchi.scheduling import services
from madoguchi.scheduling.errors import SlotUnavailable
from madoguchi.scheduling.models import Allocation, Booking
from madoguchi.scheduling.services._common import _is_overlap
from tests.scheduling.conftest import at, open_day

ATTEMPTS = 50


def overlapping_active_allocations() -> int:
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT COUNT(*) FROM scheduling_allocation a JOIN scheduling_allocation b
              ON a.resource_id = b.resource_id AND a.id < b.id
             WHERE a.active AND b.active AND a.start < b."end" AND b.start < a."end"
        """)
        return cursor.fetchone()[0]


def race(attempt, count: int = ATTEMPTS) -> Counter:
    """Run ``attempt()`` in ``count`` threads released together; count the outcomes."""
    barrier = threading.Barrier(count)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            outcome = attempt()
        except Exception as error:  # noqa: BLE001 - reported in the assertion
            outcome = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_fifty_attempts_at_one_slot_through_the_services_make_one_booking(
        ikejiri, hoken, caseworkers, booker, schedule):
    start = at(open_day(), 10)

    def attempt() -> str:
        try:
            services.booking_create(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                    start=start, title="相談", by=booker)
        except SlotUnavailable as error:
            assert error.next_free is not None and "次に空いている枠" in error.message
            return "unavailable"
        return "booked"

    outcomes = race(attempt)
    assert outcomes == Counter({"booked": 1, "unavailable": ATTEMPTS - 1})
    assert Booking.objects.count() == 1
    assert Allocation.objects.filter(active=True).count() == 2  # booth and caseworker
    assert overlapping_active_allocations() == 0


@pytest.mark.django_db(transaction=True)
def test_fifty_attempts_for_any_booth_and_any_staff_fill_each_exactly_once(
        ikejiri, hoken, caseworkers, booker, schedule):
    """Two booths, two caseworkers: two bookings at most, never one person twice."""
    start = at(open_day(), 14)

    def attempt() -> str:
        try:
            services.booking_create(section=hoken, centre=ikejiri, start=start, title="相談",
                                    by=booker)
        except SlotUnavailable:
            return "unavailable"
        return "booked"

    outcomes = race(attempt)
    assert outcomes == Counter({"booked": 2, "unavailable": ATTEMPTS - 2})
    bookings = list(Booking.objects.all())
    assert len({b.booth_id for b in bookings}) == 2
    assert overlapping_active_allocations() == 0


def test_fifty_attempts_at_one_slot_over_http_make_one_booking(
        live_url, ikejiri, hoken, caseworkers, booker, schedule):
    client = Client()
    client.force_login(booker)
    session = client.cookies["sessionid"].value
    csrf = get_random_string(32, string.ascii_letters + string.digits)
    headers = {"Content-Type": "application/json", "X-CSRFToken": csrf,
               "Cookie": f"sessionid={session}; csrftoken={csrf}"}
    start = at(open_day(), 11)
    body = json.dumps({"section": "hoken-fukushi", "centre": "setagaya/ikejiri",
                       "staff": caseworkers[0].username, "start": start.isoformat(),
                       "title": "オンライン相談"}).encode()
    answers: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def call(method: str, path: str, data: bytes | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(f"{live_url}{path}", data=data, headers=headers,
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def attempt() -> str:
        status, payload = call("POST", "/api/v1/bookings", body)
        with lock:
            answers.append((status, payload))
        return str(status)

    outcomes = race(attempt)
    assert outcomes == Counter({"201": 1, "409": ATTEMPTS - 1})
    conflict = next(payload for status, payload in answers if status == 409)
    assert "次に空いている枠" in conflict["detail"] and conflict["next_free"]["start"]
    booked = next(payload for status, payload in answers if status == 201)
    assert Booking.objects.count() == 1 and overlapping_active_allocations() == 0

    status, detail = call("GET", f"/api/v1/bookings/{booked['public_id']}")
    assert status == 200 and detail["status"] == "booked"
    status, cancelled = call("POST", f"/api/v1/bookings/{booked['public_id']}/cancel",
                             json.dumps({"reason": "テスト"}).encode())
    assert status == 200 and cancelled["status"] == "cancelled"


@pytest.mark.django_db
def test_postgresql_itself_refuses_overlapping_active_allocations(
        ikejiri, hoken, caseworkers, booker, schedule):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only (SQLite serialises "
                    "writers instead)")
    from django.db import IntegrityError, transaction

    booking = services.booking_create(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                      start=at(open_day(), 10), title="相談", by=booker)
    held = booking.allocations.first()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Allocation.objects.create(booking=booking, resource=held.resource,
                                  start=held.start.replace(minute=15), end=held.end.replace(
                                      hour=held.end.hour + 1))
    assert _is_overlap(caught.value)
    # A cancelled (inactive) allocation does not count; touching ranges do not overlap.
    Allocation.objects.create(booking=booking, resource=held.resource, start=held.start,
                              end=held.end, active=False)
    Allocation.objects.create(booking=booking, resource=held.resource, start=held.end,
                              end=held.end.replace(hour=held.end.hour + 1))


@pytest.mark.django_db(transaction=True)
def test_a_write_queued_behind_another_looks_again_instead_of_inserting(
        ikejiri, hoken, caseworkers, booker, schedule):
    """PostgreSQL: an attempt that waits in the writer queue for the same caseworker is
    told the slot is taken by a fresh check after the other write commits, without
    inserting its booking first (no booking id is used up by a rolled-back insert)."""
    if connection.vendor != "postgresql":
        pytest.skip("the writer queue (advisory locks) exists on PostgreSQL only")
    import time

    from django.db import transaction

    from madoguchi.organisation.models import Booth
    from madoguchi.scheduling.services._common import WRITER_LOCK_SPACE
    from madoguchi.scheduling.services.resources import resource_for

    start = at(open_day(), 11)
    caseworker = caseworkers[0]
    resource_ids = sorted([resource_for("person", caseworker).pk] + [
        resource_for("booth", booth).pk for booth in Booth.objects.filter(centre=ikejiri)])
    holding, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first_writer() -> None:
        # Holds every lock the second attempt will ask for, then books the caseworker.
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    for rid in resource_ids:
                        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                                       [WRITER_LOCK_SPACE, rid])
                holding.set()
                release.wait(timeout=30)
                outcome["first"] = services.booking_create(
                    section=hoken, centre=ikejiri, staff=caseworker, start=start,
                    title="相談", by=booker)
        finally:
            connections.close_all()

    def second_writer() -> None:
        try:
            services.booking_create(section=hoken, centre=ikejiri, staff=caseworker,
                                    start=start, title="相談", by=booker)
            outcome["second"] = "booked"
        except SlotUnavailable as error:
            outcome["second"] = error.code
        finally:
            connections.close_all()

    first = threading.Thread(target=first_writer)
    first.start()
    assert holding.wait(timeout=30)
    second = threading.Thread(target=second_writer)
    second.start()
    for _ in range(300):  # until the second attempt waits for an advisory lock
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' "
                           "AND NOT granted")
            if cursor.fetchone()[0]:
                break
        time.sleep(0.05)
    else:
        pytest.fail("the second attempt never queued behind the first")
    release.set()
    first.join(timeout=60)
    second.join(timeout=60)
    assert outcome["second"] == "taken"
    assert Booking.objects.count() == 1 and overlapping_active_allocations() == 0
    # Nothing was inserted and rolled back: the next booking takes the very next id.
    later = services.booking_create(section=hoken, centre=ikejiri, staff=caseworkers[1],
                                    start=start, title="相談", by=booker)
    assert later.pk == outcome["first"].pk + 1
