"""Figures for scheduling (issue 3), written to var/bench/consultations.json.

(a) Slot search: a booth and four people over 8 weeks, each with 200 existing bookings
    and some absences; median time to the first 10 common 30-minute slots through
    ``find_slots`` (database included), and the naive minute-grid search on the same data
    in the same run.
(b) Booking under contention on PostgreSQL (BENCH_PG_URL, default
    postgres://postgres@127.0.0.1:5432/test; skipped with a note when unreachable): 64
    client threads with their own connections make 6,000 attempts over a small set of
    slots through ``booking_create`` in a scratch database (created and dropped here);
    attempts and bookings per second, double bookings counted by SQL (must be 0), and the
    raw rate of single-row insert transactions on the same server in the same run (the
    ratio attempts / raw insert transactions is the figure of issue 13.8: goal >= 0.25).
    Both sides time the same thing (ADR 0063, "Measurement"): every client thread first
    opens its connection and makes one read-only call of the kind it will make, on data
    the timed work does not touch (booking: a slot check for another caseworker on
    another day; raw: a read of the table), then all are released together and the clock
    runs until the last thread ends. Each side is sized to run several seconds.

Part (b) runs in a child process (``python -m bench.scheduling contention``)
so that Django there points at the scratch database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PG_URL_DEFAULT = "postgres://postgres@127.0.0.1:5432/test"
# BENCH_SCHEDULING_PG_DB: the scratch database, when two checkouts bench at once.
SCRATCH_DB = os.environ.get("BENCH_SCHEDULING_PG_DB", "madoguchi_bench")
BOOKINGS_PER_RESOURCE = 200
ABSENCES_PER_RESOURCE = 12
WEEKS = 8
CLIENTS = 64
# The plan of 2,000 attempts at 2 days × 12 half hours (48 bookings possible), taken
# ROUNDS times over as many more days: the same share of attempts that can book (2.4 %),
# the same number of attempts per slot, three times as long a run.
ROUNDS = 3
ATTEMPTS = 2_000 * ROUNDS
RAW_INSERTS = 30_000
SECTION = "setagaya/hoken-fukushi"


# --- helpers shared by both parts ------------------------------------------------------


def _first_open_day(after_days: int) -> dt.date:
    from django.utils import timezone

    from madoguchi.core.dates import is_open_day

    day = timezone.localdate() + dt.timedelta(days=after_days)
    while not is_open_day(day):
        day += dt.timedelta(days=1)
    return day


def _staff(username: str, role: str, unit_code: str):
    from madoguchi.accounts.services import staff_upsert
    from madoguchi.organisation.models import Section

    return staff_upsert(username=username, display_name=username, password="x" * 16,
                        role=role, unit=Section.objects.get(code=unit_code))


# --- (a) slot search -------------------------------------------------------------------


def _seed_calendar(first: dt.date, resources, booker, section, centre) -> None:
    """200 bookings and some absences per resource on open days, not overlapping."""
    from madoguchi.core.dates import is_open_day, load_exceptions
    from madoguchi.scheduling.availability import midnight
    from madoguchi.scheduling.models import Absence, Allocation, Booking

    rng = random.Random(20261128)
    last = first + dt.timedelta(weeks=WEEKS)
    exceptions = load_exceptions(first, last)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days)]
    days = [d for d in days if is_open_day(d, exceptions=exceptions)]
    grid = [dt.timedelta(hours=8, minutes=30) + dt.timedelta(minutes=30 * i) for i in range(17)]
    for resource in resources:
        starts = rng.sample([midnight(d) + offset for d in days for offset in grid],
                            BOOKINGS_PER_RESOURCE)
        bookings = Booking.objects.bulk_create(
            Booking(section=section, centre=centre, start=s, end=s + dt.timedelta(minutes=30),
                    title="bench", created_by=booker) for s in starts)
        Allocation.objects.bulk_create(
            Allocation(booking=b, resource=resource, start=b.start, end=b.end)
            for b in bookings)
        absences = []
        for _ in range(ABSENCES_PER_RESOURCE):
            start = midnight(rng.choice(days)) + dt.timedelta(minutes=rng.randrange(480, 960))
            absences.append(Absence(resource=resource, start=start,
                                    end=start + dt.timedelta(minutes=rng.randrange(30, 180)),
                                    reason="bench"))
        Absence.objects.bulk_create(absences)


def slot_search() -> dict:
    from bench.harness import measure
    from madoguchi.accounts.models import Role
    from madoguchi.organisation.models import Booth, DistrictCentre, Section
    from madoguchi.scheduling import selectors, services
    from madoguchi.scheduling.availability import Calendars, midnight, schedule_for
    from madoguchi.scheduling.naive import search_naive
    from madoguchi.scheduling.slots import search

    section = Section.objects.get(code=SECTION)
    centre = DistrictCentre.objects.get(district__region__code="setagaya",
                                        district__code="ikejiri")
    booth = Booth.objects.filter(centre=centre).order_by("name").first()
    booker = _staff("bench-desk", Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    caseworker = _staff("bench-hoken", Role.SECTION_STAFF, SECTION)
    others = [_staff("bench-anshin", Role.PARTNER_STAFF, "setagaya/ikejiri/anshin"),
              _staff("bench-port", Role.PARTNER_STAFF, "port"),
              _staff("bench-shakyo", Role.PARTNER_STAFF, "setagaya/ikejiri/shakyo")]
    first = _first_open_day(7)
    resources = [services.resource_for_booth(booth), services.resource_for_user(caseworker),
                 *(services.resource_for_user(u) for u in others)]
    _seed_calendar(first, resources, booker, section, centre)
    now = midnight(first) - dt.timedelta(days=1)

    def fast():
        return selectors.find_slots(section=section, centre=centre, booth=booth,
                                    staff=caseworker, other_users=others, start_from=first,
                                    limit=10, now=now)

    spec = selectors.slot_spec(section=section, centre=centre, booth=booth, staff=caseworker,
                               other_users=others)
    last = first + dt.timedelta(weeks=WEEKS) - dt.timedelta(days=1)

    def load():
        calendars = Calendars(pools=spec.pools, centre=centre, schedule=schedule_for(section),
                              first_day=first, last_day=last)
        return calendars.problem(first=first, days=(last - first).days + 1,
                                 earliest=midnight(first), limit=10)

    def naive():
        return search_naive(load())

    problem = load()
    found, reference = fast(), naive()
    if [int(s.start.timestamp()) for s in found] != [c.start for c in reference]:
        raise RuntimeError("the fast and the naive search disagree")
    timings = {
        "find_slots, first 10 common slots (DB included)": measure(fast, repeat=50),
        "naive minute grid, same data (DB included)": measure(naive, repeat=5, warmup=1),
        "fast search alone (8 weeks loaded)": measure(lambda: search(problem), repeat=50),
        "naive search alone (8 weeks loaded)": measure(lambda: search_naive(problem),
                                                      repeat=5, warmup=1),
    }
    names = list(timings)
    from django.db import connection

    return {
        "database": connection.vendor,
        "participants": "booth + named caseworker + 3 partner staff",
        "weeks": WEEKS, "bookings_per_resource": BOOKINGS_PER_RESOURCE,
        "absences_per_resource": ABSENCES_PER_RESOURCE, "slots_found": len(found),
        "first_slot": found[0].start.isoformat() if found else None,
        "target_ms": 5.0,
        "timings": timings,
        "naive_over_fast": round(timings[names[1]]["median_ms"]
                                 / timings[names[0]]["median_ms"], 1),
        "naive_over_fast_compute_only": round(timings[names[3]]["median_ms"]
                                              / timings[names[2]]["median_ms"], 1),
    }


# --- (b) contention on PostgreSQL ------------------------------------------------------


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str):
    import psycopg

    try:
        return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True,
                               connect_timeout=3)
    except psycopg.OperationalError:
        return psycopg.connect(_with_db(url, "postgres").replace("postgres://",
                                                                 "postgresql://", 1),
                               autocommit=True, connect_timeout=3)


@contextmanager
def scratch_postgres(url: str, name: str):
    """A fresh database ``name`` on the server of ``url`` (yields its URL), dropped after.
    Raises when no server answers."""
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(url, name)
    finally:
        with _admin(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def contention() -> dict:
    url = os.environ.get("BENCH_PG_URL", PG_URL_DEFAULT)
    try:
        _admin(url).close()
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL here
        return {"skipped": f"no PostgreSQL reachable at {url}: {type(error).__name__}"}
    with scratch_postgres(url, SCRATCH_DB) as scratch:
        env = {**os.environ, "DATABASE_URL": scratch, "DJANGO_SETTINGS_MODULE": "config.settings",
               "BENCH_PG_URL": url}
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.scheduling", "contention"], cwd=ROOT,
            env=env, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"contention benchmark failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


def _threads(count: int, warm, work) -> tuple[float, float]:
    """Run ``warm()`` then ``work()`` in each of ``count`` threads: the threads are released
    together into ``work`` once every one has warmed up (its connection open, its first
    query made). Return (warm-up seconds, wall time of the work from the release)."""
    barrier = threading.Barrier(count + 1)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            warm()
            barrier.wait()
            work()
        except threading.BrokenBarrierError:
            pass  # another thread failed: its error is raised below
        except BaseException as error:  # noqa: BLE001 - re-raised below
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run) for _ in range(count)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    with suppress(threading.BrokenBarrierError):
        barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return started - began, elapsed


def _contention_child() -> dict:
    """In the child process: Django on the scratch database."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from madoguchi.accounts.models import Role
    from madoguchi.organisation.models import DistrictCentre, Section
    from madoguchi.scheduling import reference, selectors, services
    from madoguchi.scheduling.availability import midnight
    from madoguchi.scheduling.errors import SlotUnavailable
    from madoguchi.scheduling.models import Booking, SectionSchedule

    call_command("migrate", verbosity=0)
    call_command("load_setagaya", verbosity=0)
    section = Section.objects.get(code=SECTION)
    SectionSchedule.objects.update_or_create(section=section,
                                             defaults={"min_notice_minutes": 0})
    centre = DistrictCentre.objects.get(district__region__code="setagaya",
                                        district__code="ikejiri")
    booker = _staff("bench-desk", Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    staff = [_staff(f"bench-hoken-{i}", Role.SECTION_STAFF, SECTION) for i in range(4)]
    days = [_first_open_day(7)]
    while len(days) < 2 * ROUNDS + 1:
        days.append(_first_open_day((days[-1] - timezone.localdate()).days + 1))
    days, warm_day = days[:-1], days[-1]
    # A small set of slots: 2 days × 12 half hours per round, 4 caseworkers, the 2 booths
    # of 池尻: at most 48 bookings per round can be made; every other attempt must be told
    # "taken".
    starts = [midnight(day) + dt.timedelta(hours=9, minutes=30 * i)
              for day in days for i in range(12)]
    # The warm-up's check: a fifth caseworker, on a day after the plan's; read-only.
    warm_staff = _staff("bench-hoken-warm", Role.SECTION_STAFF, SECTION)
    warm_start = midnight(warm_day) + dt.timedelta(hours=9)
    rng = random.Random(64)
    plan = [(rng.choice(staff), rng.choice(starts)) for _ in range(ATTEMPTS)]
    lock = threading.Lock()
    counts: dict[str, int] = {"booked": 0, "unavailable": 0, "taken": 0}
    cursor = iter(plan)

    def check() -> None:
        # As a server process with pooled connections (DATABASE_POOL_SIZE) has done
        # before this request: the connection open, the check's statement prepared on
        # it, the process's caches (time zone, centre hours, booths, kinds) loaded.
        spec = selectors.slot_spec(section=section, centre=centre, staff=warm_staff,
                                   booths=reference.centre_booths(centre))
        selectors.check_start(spec, warm_start)

    def book() -> None:
        try:
            while True:
                with lock:
                    item = next(cursor, None)
                if item is None:
                    return
                person, start = item
                try:
                    services.booking_create(section=section, centre=centre, staff=person,
                                            start=start, title="bench", by=booker)
                    outcome = "booked"
                except SlotUnavailable as error:
                    # "unavailable": seen by the check before the write; "taken": refused
                    # at the write (PostgreSQL: by the exclusion constraint).
                    outcome = error.code
                with lock:
                    counts[outcome] += 1
        finally:
            connections.close_all()

    warm_s, elapsed = _threads(CLIENTS, check, book)
    with connection.cursor() as cur:
        cur.execute("""
            SELECT COUNT(*) FROM scheduling_allocation a JOIN scheduling_allocation b
              ON a.resource_id = b.resource_id AND a.id < b.id
             WHERE a.active AND b.active AND a.start < b."end" AND b.start < a."end"
        """)
        double = cur.fetchone()[0]
    booked = Booking.objects.count()

    # The raw rate: single-row insert transactions, same clients, same server.
    dsn = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_raw (id bigserial PRIMARY KEY, client int, "
                     "at timestamptz NOT NULL DEFAULT now())")
    remaining = iter(range(RAW_INSERTS))
    held = threading.local()

    def connect() -> None:
        # The same warm-up: the connection open, one read of the table it writes.
        held.conn = psycopg.connect(dsn)
        with held.conn.transaction():
            held.conn.execute("SELECT count(*) FROM bench_raw")

    def insert() -> None:
        with held.conn as conn:
            while True:
                with lock:
                    n = next(remaining, None)
                if n is None:
                    return
                with conn.transaction():
                    conn.execute("INSERT INTO bench_raw (client) VALUES (%s)", (n,))

    raw_warm_s, raw_elapsed = _threads(CLIENTS, connect, insert)
    attempts_per_s = ATTEMPTS / elapsed
    raw_per_s = RAW_INSERTS / raw_elapsed
    return {
        "database": f"PostgreSQL {connection.pg_version // 10000}",
        "clients": CLIENTS, "attempts": ATTEMPTS,
        "slots": f"{len(starts)} half hours × {len(staff)} caseworkers × 2 booths",
        "booked": booked, "told_taken_before_write": counts["unavailable"],
        "told_taken_at_write": counts["taken"],
        "seconds": round(elapsed, 2), "warm_up_seconds": round(warm_s, 2),
        "raw_inserts": RAW_INSERTS, "raw_seconds": round(raw_elapsed, 2),
        "raw_warm_up_seconds": round(raw_warm_s, 2),
        "attempts_per_s": round(attempts_per_s, 1),
        "bookings_per_s": round(booked / elapsed, 1),
        "double_bookings": double,
        "raw_insert_tx_per_s": round(raw_per_s, 1),
        "raw_over_attempts": round(raw_per_s / attempts_per_s, 1),
        "attempts_over_raw": round(attempts_per_s / raw_per_s, 3),
    }


def run() -> dict:
    return {"slot_search": slot_search(), "contention": contention()}


def rows(figures: dict) -> list[tuple[str, str, str]]:
    """Table rows (figure, value, note) for `make bench`."""
    out = [("figure", "value", "note")]
    search = figures["slot_search"]
    for name, result in search["timings"].items():
        out.append((f"slot search: {name}", f"{result['median_ms']:.2f} ms",
                    f"p95 {result['p95_ms']:.2f} ms"))
    out.append(("slot search: naive / fast (with DB)", f"{search['naive_over_fast']}x",
                f"target fast ≤ {search['target_ms']} ms"))
    out.append(("slot search: naive / fast (compute only)",
                f"{search['naive_over_fast_compute_only']}x", ""))
    c = figures["contention"]
    if "skipped" in c:
        out.append(("booking under contention", "skipped", c["skipped"]))
        return out
    note = f"{c['clients']} clients, {c['attempts']} attempts, {c['slots']}"
    out += [
        ("contention: booking attempts per second", f"{c['attempts_per_s']}",
         f"{note}; {c['seconds']} s after a {c['warm_up_seconds']} s warm-up"),
        ("contention: bookings made", f"{c['booked']}",
         f"{c['bookings_per_s']}/s; the rest told taken ({c['told_taken_at_write']} "
         "only at the write)"),
        ("contention: double bookings", f"{c['double_bookings']}", "must be 0"),
        ("contention: raw insert transactions/s", f"{c['raw_insert_tx_per_s']}",
         f"{c['database']}, same run: {c['raw_inserts']} in {c['raw_seconds']} s after a "
         f"{c['raw_warm_up_seconds']} s warm-up"),
        ("contention: raw / booking attempts", f"{c['raw_over_attempts']}x",
         f"attempts / raw {c['attempts_over_raw']} (goal >= 0.25)"),
    ]
    return out


if __name__ == "__main__" and sys.argv[1:] == ["contention"]:
    print(json.dumps(_contention_child()))
