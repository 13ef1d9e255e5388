"""Slot search: closed days, centre hours, absences, buffer, notice, staff choice,
multi-party meetings. Real database, the ward's real organisation."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.accounts.models import Role
from madoguchi.core.models import CalendarException
from madoguchi.organisation.models import Booth
from madoguchi.scheduling import selectors, services
from madoguchi.scheduling.availability import Calendars, schedule_for
from madoguchi.scheduling.models import Absence, WorkingHours
from madoguchi.scheduling.naive import search_naive
from madoguchi.scheduling.slots import search
from tests.scheduling.conftest import (
    TOKYO,
    at,
    next_weekday_holiday,
    next_year_end,
    open_day,
)

pytestmark = pytest.mark.django_db


def starts(slots) -> list[dt.datetime]:
    return [s.start.astimezone(TOKYO).replace(tzinfo=TOKYO) for s in slots]


def test_first_slots_of_an_open_day_fill_the_centre_hours(ikejiri, hoken, caseworkers,
                                                           schedule):
    day = open_day()
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                 start_from=day, limit=20)
    assert starts(found)[:3] == [at(day, 8, 30), at(day, 9), at(day, 9, 30)]
    same_day = [s for s in found if s.start.astimezone(TOKYO).date() == day]
    # 8:30 … 16:30: the last half hour ends 17:00, before the centre closes at 17:15.
    assert len(same_day) == 17 and starts(same_day)[-1] == at(day, 16, 30)
    assert all(s.end - s.start == dt.timedelta(minutes=30) for s in found)
    assert all(s.staff == caseworkers[0] and s.booth.centre == ikejiri for s in found)


def test_no_slots_on_year_end_closing_or_a_holiday_or_a_ward_closed_day(
        ikejiri, hoken, caseworkers, schedule):
    year_end = next_year_end()
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                 start_from=year_end - dt.timedelta(days=3), limit=200)
    days = {s.start.astimezone(TOKYO).date() for s in found}
    closing = {dt.date(year_end.year, 12, d) for d in (29, 30, 31)} | {
        dt.date(year_end.year + 1, 1, d) for d in (1, 2, 3)}
    assert days and not days & closing
    assert min(d for d in days if d > year_end) >= dt.date(year_end.year + 1, 1, 4)

    holiday, _name = next_weekday_holiday()
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                 start_from=holiday, limit=1)
    assert found[0].start.astimezone(TOKYO).date() > holiday

    closed = open_day()
    CalendarException.objects.create(date=closed, kind="closed", reason="庁舎点検")
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                 start_from=closed, limit=1)
    assert found[0].start.astimezone(TOKYO).date() > closed


def test_centre_hours_and_open_weekdays_bound_booth_slots(ikejiri, hoken, caseworkers,
                                                          schedule):
    ikejiri.opens_at, ikejiri.closes_at = dt.time(10), dt.time(12)
    ikejiri.open_weekdays = "1,3"  # Tuesday and Thursday only
    ikejiri.save()
    monday = open_day(weekday=0)
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                 start_from=monday, limit=5)
    tuesday = monday + dt.timedelta(days=1)
    if found[0].start.astimezone(TOKYO).date() == tuesday:  # unless Tuesday is a holiday
        assert starts(found)[:4] == [at(tuesday, 10), at(tuesday, 10, 30), at(tuesday, 11),
                                     at(tuesday, 11, 30)]
    assert all(s.start.astimezone(TOKYO).weekday() in (1, 3) for s in found)
    # Without a booth the centre's hours do not apply: the caseworker's do.
    remote = selectors.find_slots(section=hoken, staff=caseworkers[0], booth_required=False,
                                  start_from=monday, limit=1)
    assert starts(remote) == [at(monday, 8, 30)] and remote[0].booth is None


def test_absences_and_working_hours_of_staff(ikejiri, hoken, caseworkers, schedule):
    day = open_day()
    worker = caseworkers[0]
    resource = services.resource_for_user(worker)
    Absence.objects.create(resource=resource, start=at(day, 8), end=at(day, 11, 10),
                           reason="研修")
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=worker,
                                 start_from=day, limit=1)
    assert starts(found) == [at(day, 11, 30)]
    # Only Wednesday afternoons: a staff member with working-hours rows works only then.
    WorkingHours.objects.create(resource=resource, weekday=2, start=dt.time(13),
                                end=dt.time(15))
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=worker,
                                 start_from=day, limit=5)
    assert {s.start.astimezone(TOKYO).weekday() for s in found} == {2}
    assert {s.start.astimezone(TOKYO).time() for s in found} <= {
        dt.time(13), dt.time(13, 30), dt.time(14), dt.time(14, 30)}


def test_buffer_keeps_time_after_each_booking(ikejiri, hoken, caseworkers, booker, schedule):
    schedule.buffer_minutes = 15
    schedule.save()
    day = open_day()
    services.booking_create(section=hoken, centre=ikejiri, staff=caseworkers[0],
                            start=at(day, 9), title="相談", by=booker)
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                 start_from=day, limit=3)
    # 8:30 would run into 9:00; 9:30 into the buffer until 9:45.
    assert starts(found) == [at(day, 10), at(day, 10, 30), at(day, 11)]


def test_minimum_notice_and_now(ikejiri, hoken, caseworkers, schedule):
    schedule.min_notice_minutes = 120
    schedule.save()
    day = open_day()
    now = at(day, 9, 10)
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                 now=now, limit=2)
    assert starts(found) == [at(day, 11, 30), at(day, 12)]
    # A start_from before now still starts from now.
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                 now=now, start_from=day - dt.timedelta(days=3), limit=1)
    assert starts(found) == [at(day, 11, 30)]


def test_any_staff_spreads_the_load_and_named_staff_is_kept(ikejiri, hoken, caseworkers,
                                                            booker, schedule):
    first, second = caseworkers
    day = open_day()
    for hour in (9, 10):
        services.booking_create(section=hoken, centre=ikejiri, staff=first,
                                start=at(day, hour), title="相談", by=booker)
    found = selectors.find_slots(section=hoken, centre=ikejiri, start_from=day, limit=3)
    assert [s.staff for s in found] == [second, second, second]
    named = selectors.find_slots(section=hoken, centre=ikejiri, staff=first, start_from=day,
                                 limit=3)
    assert starts(named) == [at(day, 8, 30), at(day, 9, 30), at(day, 10, 30)]
    assert {s.staff for s in named} == {first}
    # Four bookings for "any free staff member" even the load out: 2 + 2 each.
    for hour in (13, 14):
        services.booking_create(section=hoken, centre=ikejiri, start=at(day, hour),
                                title="相談", by=booker)
    assert services.resource_for_user(second).allocations.count() == 2


def test_section_staff_only_current_members(ikejiri, hoken, caseworkers, make_staff, schedule):
    make_staff(Role.SECTION_STAFF, "setagaya/kodomo-katei", "kodomo-1")
    staff = selectors.find_slots(section=hoken, centre=ikejiri, start_from=open_day(),
                                 limit=20)
    assert {s.staff for s in staff} <= set(caseworkers)


def test_multi_party_slot_needs_everyone_free(ikejiri, hoken, caseworkers, make_staff,
                                              booker, schedule):
    """Stage 2: caseworker, specialist agency and facility; a partner joins remotely."""
    port = make_staff(Role.PARTNER_STAFF, "port", "port-1")
    anshin = make_staff(Role.PARTNER_STAFF, "setagaya/ikejiri/anshin", "anshin-1")
    tuesday = open_day(weekday=1)
    Absence.objects.create(resource=services.resource_for_user(port), start=at(tuesday, 0),
                           end=at(tuesday, 13), reason="外勤")
    WorkingHours.objects.create(resource=services.resource_for_user(anshin), weekday=1,
                                start=dt.time(13, 30), end=dt.time(16))
    services.booking_create(section=hoken, centre=ikejiri, staff=caseworkers[0],
                            start=at(tuesday, 13, 30), title="別件", by=booker)
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=caseworkers[0],
                                 other_users=[port, anshin], start_from=tuesday, limit=2)
    assert starts(found) == [at(tuesday, 14), at(tuesday, 14, 30)]


def test_booths_any_free_one_then_none(ikejiri, hoken, caseworkers, booker, make_staff,
                                       schedule):
    booths = list(Booth.objects.filter(centre=ikejiri).order_by("name"))
    assert len(booths) == 2  # a model centre
    day = open_day()
    services.booking_create(section=hoken, centre=ikejiri, booth=booths[0],
                            staff=caseworkers[0], start=at(day, 8, 30), title="相談", by=booker)
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=caseworkers[1],
                                 start_from=day, limit=1)
    assert starts(found) == [at(day, 8, 30)] and found[0].booth == booths[1]
    services.booking_create(section=hoken, centre=ikejiri, staff=caseworkers[1],
                            start=at(day, 8, 30), title="相談", by=booker)
    # A third caseworker is free at 8:30, but both booths are taken.
    third = make_staff(Role.SECTION_STAFF, "setagaya/hoken-fukushi", "hoken-3")
    found = selectors.find_slots(section=hoken, centre=ikejiri, staff=third, start_from=day,
                                 limit=1)
    assert starts(found) == [at(day, 9)]
    remote = selectors.find_slots(section=hoken, staff=third, booth_required=False,
                                  start_from=day, limit=1)
    assert starts(remote) == [at(day, 8, 30)]


def test_fast_search_agrees_with_the_naive_one_on_a_busy_database_calendar(
        ikejiri, hoken, caseworkers, booker, schedule):
    day = open_day()
    for i, hour in enumerate((9, 10, 11, 13, 15)):
        services.booking_create(section=hoken, centre=ikejiri, staff=caseworkers[i % 2],
                                start=at(day + dt.timedelta(days=i % 3), hour), title="相談",
                                by=booker)
    Absence.objects.create(resource=services.resource_for_user(caseworkers[1]),
                           start=at(day, 12, 7), end=at(day + dt.timedelta(days=1), 10, 3))
    spec = selectors.slot_spec(section=hoken, centre=ikejiri)
    calendars = Calendars(pools=spec.pools, centre=ikejiri, schedule=schedule_for(hoken),
                          first_day=day, last_day=day + dt.timedelta(days=6),
                          loads_between=(at(day, 0), at(day + dt.timedelta(days=7), 0)))
    problem = calendars.problem(first=day, days=7, earliest=at(day, 0), limit=60)
    assert search(problem) == search_naive(problem)
    assert len(search(problem)) == 60
