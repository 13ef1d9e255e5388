"""Many clerks and tablets at once, on PostgreSQL (row locks; SQLite serialises writers).

Each attempt runs in a thread with its own database connection. 200 tickets are issued by
40 threads released together (PostgreSQL's 100 connections are shared with other users of
the server); numbers must come out unique and without gaps. Two clerks calling the same
ticket: exactly one wins. Clerks pressing 「次の方」 at once: each gets a different ticket.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from madoguchi.counter import services
from madoguchi.counter.errors import CounterError
from madoguchi.counter.models import Ticket, TicketSource, TicketStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row locks under concurrency: run with DATABASE_URL=postgres://…"),
]

TICKETS = 200
THREADS = 40


def race(work, threads: int) -> list:
    barrier = threading.Barrier(threads)
    results: list = []
    lock = threading.Lock()

    def run(index: int) -> None:
        out = []
        try:
            barrier.wait(timeout=30)
            out = work(index)
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            out = [f"{type(error).__name__}: {error}"]
        finally:
            connections.close_all()
        with lock:
            results.extend(out)

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)
    return results


def test_200_concurrent_issues_are_unique_and_gap_free_per_service(ikejiri):
    cert, lending = ikejiri.services.get(code="certificate"), ikejiri.services.get(code="lending")

    def work(index: int) -> list:
        out = []
        for i in range(TICKETS // THREADS):
            service = cert if (index + i) % 2 else lending
            ticket = services.ticket_issue(office=ikejiri, service=service,
                                           source=TicketSource.RECEPTION)
            out.append((service.code, ticket.number))
        return out

    results = race(work, THREADS)
    assert len(results) == TICKETS, [r for r in results if isinstance(r, str)][:3]
    for code in ("certificate", "lending"):
        numbers = sorted(n for c, n in results if c == code)
        assert numbers == list(range(1, len(numbers) + 1))
    assert Ticket.objects.count() == TICKETS


def test_two_clerks_calling_the_same_ticket_exactly_one_wins(ikejiri, clerk, clerk2):
    for _round in range(10):
        ticket = services.ticket_issue(office=ikejiri, service=ikejiri.services.first(),
                                       source=TicketSource.CLERK, by=clerk)
        counters = list(ikejiri.counters.order_by("number"))
        users = [clerk, clerk2]

        def work(index: int, ticket=ticket, counters=counters, users=users) -> list:
            try:
                services.call_ticket(counter=counters[index], ticket=ticket, by=users[index])
            except CounterError as refused:
                return [refused.code]
            return ["called"]

        assert Counter(race(work, 2)) == Counter({"called": 1, "taken": 1})
        Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.SERVED)


def test_clerks_pressing_next_at_once_get_different_tickets(ikejiri, clerk, clerk2):
    service = ikejiri.services.get(code="certificate")
    for _ in range(6):
        services.ticket_issue(office=ikejiri, service=service, source=TicketSource.CLERK,
                              by=clerk)
    counters = list(ikejiri.counters.order_by("number"))
    users = [clerk, clerk2]

    def work(index: int) -> list:
        return [services.call_next(counter=counters[index], by=users[index]).pk]

    called = race(work, 2)
    assert len(called) == 2 and len(set(called)) == 2, called


def test_a_booking_checked_in_at_once_from_the_tablet_and_the_clerk_makes_one_ticket(ikejiri):
    from django.utils import timezone

    from madoguchi.counter import appointments
    from madoguchi.counter.errors import CheckedIn

    booked = appointments.Appointment(reference="b1", at=timezone.now(), service="consultation",
                                      label="相談のご予約")
    appointments.register_source("race", day=lambda office, day: [booked],
                                 find=lambda office, ref: booked if ref == "b1" else None)
    threads = 10

    def work(index: int) -> list:
        try:
            return [services.appointment_check_in(office=ikejiri, key="race:b1").label]
        except CheckedIn as refused:
            return [f"again {refused.ticket.label}"]

    try:
        results = race(work, threads)
    finally:
        appointments.unregister_source("race")
    assert Ticket.objects.filter(appointment_key="race:b1").count() == 1
    assert Ticket.objects.count() == 1
    assert sorted(results) == ["F001"] + ["again F001"] * (threads - 1), results
