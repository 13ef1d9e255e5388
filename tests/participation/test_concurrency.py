"""The last places under contention (PostgreSQL): many people register at the same moment
for the last places; each attempt in its own thread and database connection. Exactly the
places left are confirmed, the rest waitlisted, and the confirmed ones are those that
reached the event's row lock first (their positions come before every waitlisted one)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from madoguchi.participation import services
from madoguchi.participation.models import Event, RegStatus

from .conftest import LINK, enrol, published

ATTEMPTS = 60
LEFT = 5

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks are PostgreSQL's (SQLite serialises every writer)"),
]


def test_sixty_people_at_once_for_the_last_five_places(setagaya, author, head):
    event = published(author, head, capacity=15)
    enrol(event, 10, prefix="early")
    barrier = threading.Barrier(ATTEMPTS)
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def attempt(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            done = services.register(event=event, name=f"区民{n}", email=f"r{n}@mail.example.jp",
                                     phone="", people=1, needs="", link_base=LINK)
            outcome = done.registration.status
        except Exception as error:  # noqa: BLE001 - reported in the assertion
            outcome = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes == Counter({RegStatus.CONFIRMED: LEFT,
                                RegStatus.WAITLISTED: ATTEMPTS - LEFT})
    event = Event.objects.get(pk=event.pk)
    assert event.confirmed_people == event.capacity == 15
    late = event.registrations.filter(position__gt=10)
    confirmed = list(late.filter(status=RegStatus.CONFIRMED).values_list("position", flat=True))
    waiting = list(late.filter(status=RegStatus.WAITLISTED).values_list("position", flat=True))
    assert sorted(confirmed) == list(range(11, 16))
    assert max(confirmed) < min(waiting)
    assert sorted(confirmed + waiting) == list(range(11, 11 + ATTEMPTS))
