"""Tickets, calls, transfers and the log through the services (any database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.counter import selectors, services
from madoguchi.counter.errors import CounterError
from madoguchi.counter.models import (
    RecordSource,
    ServiceRecord,
    Ticket,
    TicketSequence,
    TicketSource,
    TicketStatus,
)

pytestmark = pytest.mark.django_db


def issue(office, code, **kwargs):
    return services.ticket_issue(office=office, service=office.services.get(code=code),
                                 source=TicketSource.RECEPTION, **kwargs)


def test_the_ward_defaults_give_centres_their_services_as_data(offices):
    ikejiri = offices.get(code="setagaya-ikejiri")
    assert {s.code for s in ikejiri.services.all()} == {
        "certificate", "insurance", "maternal", "school", "lending", "consultation"}
    # ◆ services are not handled at the eight centres the plan names
    assert {s.code for s in offices.get(code="setagaya-taishido").services.all()} == {
        "lending", "consultation"}
    kumin = offices.get(code="setagaya-kumin")
    assert kumin.section.kind.code == "kumin-madoguchi"
    assert kumin.counters.count() == 4
    assert all(s.expected_seconds > 0 for s in kumin.services.all())


def test_numbers_run_per_service_and_day_with_the_services_letter(ikejiri):
    a1, a2 = issue(ikejiri, "certificate"), issue(ikejiri, "certificate")
    b1 = issue(ikejiri, "insurance")
    assert [a1.label, a2.label, b1.label] == ["A001", "A002", "B001"]
    assert a1.token != a2.token and len(a1.token) >= 32
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert issue(ikejiri, "certificate", now=tomorrow).label == "A001"


def test_an_inactive_service_issues_nothing(ikejiri):
    service = ikejiri.services.get(code="lending")
    service.is_active = False
    service.save()
    with pytest.raises(CounterError, match="受付していません"):
        issue(ikejiri, "lending")
    assert not Ticket.objects.exists() and not TicketSequence.objects.exists()


def test_call_next_takes_the_highest_priority_then_the_earliest(ikejiri, clerk):
    cert = issue(ikejiri, "certificate")
    maternal = issue(ikejiri, "maternal")  # priority 4 before 5
    counter = ikejiri.counters.get(number=1)
    assert services.call_next(counter=counter, by=clerk) == maternal
    assert services.call_next(counter=counter, by=clerk) == cert
    maternal.refresh_from_db()
    assert maternal.status == TicketStatus.SERVED  # the next call ended the current one
    record = ServiceRecord.objects.get(ticket=maternal)
    assert record.counter == counter and record.source == RecordSource.TICKET
    assert record.wait_seconds is not None and record.handling_seconds is not None


def test_calling_with_nobody_waiting_says_so_and_changes_nothing(ikejiri, clerk):
    counter = ikejiri.counters.get(number=1)
    issue(ikejiri, "certificate")
    current = services.call_next(counter=counter, by=clerk)
    with pytest.raises(CounterError) as refused:
        services.call_next(counter=counter, by=clerk)
    assert refused.value.message == "お待ちの方はいません。"
    current.refresh_from_db()
    assert current.status == TicketStatus.CALLED  # still being served: nothing half-saved
    assert not ServiceRecord.objects.exists()


def test_a_ticket_another_clerk_just_called_is_refused(ikejiri, clerk, clerk2):
    ticket = issue(ikejiri, "certificate")
    one, two = ikejiri.counters.get(number=1), ikejiri.counters.get(number=2)
    services.call_ticket(counter=one, ticket=ticket, by=clerk)
    stale = Ticket.objects.get(pk=ticket.pk)
    stale.status = TicketStatus.WAITING  # the second clerk's page still shows it waiting
    with pytest.raises(CounterError, match="ほかの窓口がすでに呼び出しました"):
        services.call_ticket(counter=two, ticket=stale, by=clerk2)
    ticket.refresh_from_db()
    assert ticket.counter == one and ticket.called_by == clerk


def test_yesterdays_ticket_is_refused(ikejiri, clerk):
    yesterday = timezone.now() - dt.timedelta(days=1)
    old = issue(ikejiri, "certificate", now=yesterday)
    counter = ikejiri.counters.get(number=1)
    with pytest.raises(CounterError, match="前日以前の番号札"):
        services.call_ticket(counter=counter, ticket=old, by=clerk)
    with pytest.raises(CounterError, match="お待ちの方はいません"):
        services.call_next(counter=counter, by=clerk)  # never picked by 「次の方」
    old.refresh_from_db()
    assert old.status == TicketStatus.WAITING


def test_call_again_absent_and_finish(ikejiri, clerk):
    counter = ikejiri.counters.get(number=1)
    first, second = issue(ikejiri, "certificate"), issue(ikejiri, "certificate")
    services.call_next(counter=counter, by=clerk)
    again = services.call_again(counter=counter, ticket=first, by=clerk)
    assert again.call_count == 2
    assert services.mark_absent(counter=counter, ticket=first, by=clerk).status == "absent"
    with pytest.raises(CounterError, match="呼び出し中ではありません"):
        services.call_again(counter=counter, ticket=first, by=clerk)
    services.call_next(counter=counter, by=clerk)
    assert services.finish(counter=counter, ticket=second, by=clerk).status == "served"
    assert list(ServiceRecord.objects.values_list("ticket", flat=True)) == [second.pk]


def test_transfer_keeps_the_place_and_only_the_named_counter_calls_it(ikejiri, clerk):
    one, two = ikejiri.counters.get(number=1), ikejiri.counters.get(number=2)
    moved = issue(ikejiri, "certificate")
    later = issue(ikejiri, "insurance")
    services.call_next(counter=one, by=clerk)
    insurance = ikejiri.services.get(code="insurance")
    services.transfer(counter=one, ticket=moved, by=clerk, service=insurance, to_counter=two)
    moved.refresh_from_db()
    assert (moved.status, moved.service, moved.for_counter) == ("waiting", insurance, two)
    assert moved.label == "A001"  # the number stays
    assert services.call_next(counter=one, by=clerk) == later
    assert services.call_next(counter=two, by=clerk) == moved
    with pytest.raises(CounterError, match="回す先"):
        services.transfer(counter=two, ticket=moved, by=clerk)


def test_staff_of_another_centre_may_not_call(ikejiri, make_staff):
    other = make_staff(Role.DISTRICT_STAFF, "setagaya/taishido/machizukuri-center")
    issue(ikejiri, "certificate")
    with pytest.raises(PermissionDenied):
        services.call_next(counter=ikejiri.counters.get(number=1), by=other)
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_the_ticket_state_shows_people_ahead_and_a_wait_never_blank(ikejiri, clerk):
    first = issue(ikejiri, "certificate")
    state = selectors.ticket_state(first)
    assert state["ahead"] == 0 and state["wait_minutes"] == 0
    tickets = [issue(ikejiri, "certificate") for _ in range(4)]
    state = selectors.ticket_state(tickets[-1])
    assert state["ahead"] == 4
    # two counters, 5 minutes each: 4 ahead → 2 rounds of 5 minutes
    assert state["wait_seconds"] == 2 * 300
    assert tickets[-1].estimate_seconds == 2 * 300
    waits = {w["service"].code: w for w in selectors.current_waits(ikejiri)}
    assert waits["maternal"]["minutes"] == 0  # priority 4: nobody ahead of it
    assert waits["lending"]["minutes"] == 10  # priority 6: all five first, on two counters
    assert waits["certificate"]["waiting"] == 5


def test_the_log_counts_served_tickets_and_manual_entries_per_group(ikejiri, clerk):
    counter = ikejiri.counters.get(number=1)
    issue(ikejiri, "certificate")
    services.call_next(counter=counter, by=clerk)
    services.finish(counter=counter, ticket=Ticket.objects.get(), by=clerk)
    lending = ikejiri.services.get(code="lending")
    today = timezone.localdate()
    services.record_manual(office=ikejiri, service=lending, day=today, quantity=3, by=clerk,
                           note="車いす")
    rows = {r["service"]: r for r in selectors.log_counts(ikejiri, year=today.year,
                                                          month=today.month)}
    assert rows[lending.name]["count"] == 3 and rows[lending.name]["tickets"] == 0
    cert = ikejiri.services.get(code="certificate").name
    assert rows[cert]["count"] == 1 and rows[cert]["group"] == "証明書取次発行"
    with pytest.raises(CounterError, match="1から999"):
        services.record_manual(office=ikejiri, service=lending, day=today, quantity=0, by=clerk)
    with pytest.raises(CounterError, match="先の日付"):
        services.record_manual(office=ikejiri, service=lending,
                               day=today + dt.timedelta(days=1), quantity=1, by=clerk)
    assert ServiceRecord.objects.count() == 2


def test_a_closed_counter_calls_nobody_and_leaves_the_estimate_to_the_open_ones(ikejiri, clerk):
    one, two = ikejiri.counters.get(number=1), ikejiri.counters.get(number=2)
    tickets = [issue(ikejiri, "certificate") for _ in range(3)]
    assert selectors.ticket_state(tickets[-1])["wait_seconds"] == 300  # two counters
    services.counter_set_open(counter=two, is_open=False, by=clerk)
    assert selectors.ticket_state(tickets[-1])["wait_seconds"] == 600  # one counter
    with pytest.raises(CounterError, match="閉じています"):
        services.call_next(counter=two, by=clerk)
    services.call_next(counter=one, by=clerk)
    with pytest.raises(CounterError, match="終えてから閉じて"):
        services.counter_set_open(counter=one, is_open=False, by=clerk)
    one.refresh_from_db()
    assert one.is_open
