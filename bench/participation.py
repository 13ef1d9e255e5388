"""`python -m bench participation`: the figures of issue 15, written to
var/bench/participation.json.

- **Registration under contention, through HTTP on PostgreSQL**: an event with 20 places
  left; 500 clients each load the public page (CSRF cookie), wait at a barrier, and post
  their registration at once to uvicorn on a scratch PostgreSQL database. Exactly 20 must be
  confirmed, the other 480 waitlisted, and the confirmed ones must be the 20 that reached
  the event's row lock first (the lowest positions): arrival order kept. Registrations/s.
- **Lottery**: 5,000 applicants (1–3 people each) for 300 places, drawn through the
  service (database writes included); time, and a second draw with the same seed on a copy
  giving the same result digest.
- **Public calendar**: 2,000 published sessions in one month; the month page and the list
  page through Django's test client, server time p95 (target ≤ 100 ms).
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import os
import re
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
SCRATCH_DB = "bench_participation"
CLIENTS = 500
LEFT = 20
ALREADY = 80
APPLICANTS = 5000
LOTTERY_PLACES = 300
CALENDAR_SESSIONS = 2000
CALENDAR_RUNS = 40
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _setup_world() -> dict:
    """In the child: the organisation, two staff, one published event 80 of 100 full."""
    from django.core.management import call_command
    from django.utils import timezone

    from madoguchi.accounts.models import Role
    from madoguchi.accounts.services import staff_upsert
    from madoguchi.organisation.models import District, Section
    from madoguchi.participation import services
    from madoguchi.participation.models import Event, EventKind, Registration, RegStatus

    call_command("migrate", verbosity=0)
    call_command("load_setagaya", verbosity=0)
    unit = Section.objects.get(code="setagaya/ikejiri/machizukuri-center")
    author = staff_upsert(username="bench-author", display_name="bench", password="x" * 20,
                          role=Role.DISTRICT_STAFF, unit=unit)
    head = staff_upsert(username="bench-head", display_name="head", password="x" * 20,
                        role=Role.CENTRE_HEAD, unit=unit)
    district = District.objects.get(region__code="setagaya", code="ikejiri")
    data = {"kind": EventKind.objects.get(code="smartphone"), "title": "スマートフォン教室",
            "description": "bench", "district": district, "place": "池尻まちづくりセンター",
            "first_date": timezone.localdate() + dt.timedelta(days=20),
            "starts_at": dt.time(10), "ends_at": dt.time(12), "capacity": ALREADY + LEFT,
            "registration_deadline": timezone.now() + dt.timedelta(days=10)}
    event = services.event_create(by=author, data=data)
    services.event_move(by=author, event=event, step="submit")
    services.event_move(by=head, event=event, step="approve")
    Registration.objects.bulk_create(
        Registration(event=event, position=n, name=f"既存{n}", email=f"e{n}@mail.example.jp",
                     contact_key=f"e{n}@mail.example.jp", people=1, status=RegStatus.CONFIRMED)
        for n in range(1, ALREADY + 1))
    Event.objects.filter(pk=event.pk).update(confirmed_people=ALREADY, next_position=ALREADY + 1)
    return {"event": str(event.public_id), "author": author.pk, "head": head.pk,
            "district": district.pk, "unit": unit.pk}


def _client_run(base: str, event: str) -> dict:
    """500 clients: each GETs the page, then all POST together."""
    barrier = threading.Barrier(CLIENTS + 1)
    lock = threading.Lock()
    outcomes: dict[str, int] = {}
    errors: list[str] = []
    url = f"{base}/events/e/{event}/"

    def client(n: int) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        try:
            page = opener.open(url, timeout=120).read().decode()  # noqa: S310 (loopback)
            token = TOKEN.search(page).group(1)
        except Exception as error:  # noqa: BLE001 - counted
            with lock:
                errors.append(f"get: {type(error).__name__}")
            barrier.wait()
            return
        body = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "name": f"区民{n}",
            "email": f"resident{n}@mail.example.jp", "phone": "", "people": "1",
            "needs": ""}).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310 (loopback)
        barrier.wait()
        try:
            text = opener.open(request, timeout=300).read().decode()  # noqa: S310
            outcome = ("confirmed" if "参加が確定しました" in text else
                       "waitlisted" if "キャンセル待ちで受け付けました" in text else "other")
        except Exception as error:  # noqa: BLE001 - counted
            outcome = f"error {type(error).__name__}"
        with lock:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"outcomes": outcomes, "errors": errors[:5], "seconds": round(elapsed, 2)}


def _contention(world: dict) -> dict:
    from bench.meetings import serve
    from madoguchi.participation.models import Event, Registration, RegStatus

    # 500 requests at once would open 500 connections (PostgreSQL allows 100): the
    # requests of the server process share a pool of 20.
    env = {**os.environ, "DEBUG": "false", "DATABASE_POOL_SIZE": "20"}
    with serve(["-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                "--lifespan", "off", "--no-access-log", "--log-level", "warning",
                "--backlog", "2048"],
               log=OUT / "participation-uvicorn.log", health="/healthz", env=env) as port:
        result = _client_run(f"http://127.0.0.1:{port}", world["event"])
    event = Event.objects.get(public_id=world["event"])
    new = Registration.objects.filter(event=event, position__gt=ALREADY)
    confirmed = sorted(new.filter(status=RegStatus.CONFIRMED).values_list("position", flat=True))
    waitlisted = sorted(new.filter(status=RegStatus.WAITLISTED).values_list("position",
                                                                            flat=True))
    in_order = (bool(confirmed) and bool(waitlisted) and max(confirmed) < min(waitlisted)
                and confirmed == list(range(ALREADY + 1, ALREADY + 1 + len(confirmed))))
    return {
        "clients": CLIENTS, "places_left": LEFT, "http_outcomes": result["outcomes"],
        "client_errors": result["errors"],
        "confirmed": len(confirmed), "waitlisted": len(waitlisted),
        "over_capacity": max(event.confirmed_people - event.capacity, 0),
        "confirmed_people_counter": event.confirmed_people, "capacity": event.capacity,
        "confirmed_are_first_arrivals": in_order,
        "seconds": result["seconds"],
        "registrations_per_s": round(CLIENTS / result["seconds"], 1),
    }


def _lottery(world: dict) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from madoguchi.accounts.models import User
    from madoguchi.participation import services
    from madoguchi.participation.models import Event, EventKind, Mode, Registration, RegStatus

    author, head = User.objects.get(pk=world["author"]), User.objects.get(pk=world["head"])

    def make() -> Event:
        deadline = timezone.now() + dt.timedelta(days=1)
        data = {"kind": EventKind.objects.get(code="bosai-juku"), "title": "防災塾（抽選）",
                "description": "bench", "district_id": world["district"], "place": "会場",
                "first_date": timezone.localdate() + dt.timedelta(days=30),
                "starts_at": dt.time(14), "ends_at": dt.time(16), "capacity": LOTTERY_PLACES,
                "mode": Mode.LOTTERY, "registration_deadline": deadline,
                "draw_at": deadline + dt.timedelta(hours=1)}
        event = services.event_create(by=author, data=data)
        services.event_move(by=author, event=event, step="submit")
        services.event_move(by=head, event=event, step="approve")
        Registration.objects.bulk_create(
            (Registration(event=event, position=n, name=f"申込{n}",
                          email=f"a{n}@mail.example.jp", contact_key=f"a{n}@mail.example.jp",
                          people=1 + n % 3, status=RegStatus.APPLIED)
             for n in range(1, APPLICANTS + 1)), batch_size=1000)
        Event.objects.filter(pk=event.pk).update(
            next_position=APPLICANTS + 1, registration_deadline=timezone.now())
        return Event.objects.get(pk=event.pk)

    seed = 20261207
    first, second = make(), make()
    started = time.perf_counter()
    with transaction.atomic():
        result = services.draw(event=first, seed=seed, link_base="http://bench/events/cancel/")
    seconds = time.perf_counter() - started
    again = services.draw(event=second, seed=seed, link_base="http://bench/events/cancel/")
    # Same applicants in the same order on both events: compare by position.
    pos_first = dict(first.registrations.values_list("pk", "position"))
    pos_second = dict(second.registrations.values_list("pk", "position"))
    same = ([pos_first[i] for i in result.confirmed] == [pos_second[i] for i in again.confirmed]
            and [pos_first[i] for i in result.order] == [pos_second[i] for i in again.order])
    first.refresh_from_db()
    return {"applicants": APPLICANTS, "places": LOTTERY_PLACES, "seed": seed,
            "draw_seconds": round(seconds, 3),
            "confirmed_groups": len(result.confirmed),
            "confirmed_people": first.confirmed_people,
            "same_seed_same_result": same,
            "redraw_check_from_recorded_seed": services.redraw_check(first)}


def _calendar(world: dict) -> dict:
    from django.test import Client
    from django.utils import timezone

    from bench.meetings import _stats
    from madoguchi.notifications.ical import TOKYO
    from madoguchi.participation.models import Event, EventKind, Occurrence, Status

    month = (timezone.localdate().replace(day=1) + dt.timedelta(days=70)).replace(day=1)
    kind = EventKind.objects.get(code="workshop")
    events = Event.objects.bulk_create(
        Event(kind=kind, title=f"ワークショップ {n}", description="bench",
              district_id=world["district"] if n % 2 else None, place="会場",
              first_date=month + dt.timedelta(days=n % 28), starts_at=dt.time(9 + n % 8),
              ends_at=dt.time(10 + n % 8), capacity=30, status=Status.PUBLISHED,
              registration_deadline=timezone.now() + dt.timedelta(days=60),
              created_by_id=world["author"])
        for n in range(CALENDAR_SESSIONS))
    Occurrence.objects.bulk_create(
        Occurrence(event=event, number=1, planned=event.first_date,
                   start=dt.datetime.combine(event.first_date, event.starts_at, TOKYO),
                   end=dt.datetime.combine(event.first_date, event.ends_at, TOKYO))
        for event in events)
    # Statistics as a live database has them (autovacuum would analyse soon after such a
    # bulk load; without them the planner guesses a handful of rows and nests loops).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE participation_event, participation_occurrence")
    client = Client(HTTP_HOST="localhost")
    figures = {"sessions_in_month": Occurrence.objects.filter(
        start__gte=dt.datetime.combine(month, dt.time(), TOKYO),
        start__lt=dt.datetime.combine(month + dt.timedelta(days=31), dt.time(), TOKYO)).count()}
    for name, query in (("month_view", {"view": "month"}), ("list_view", {}),
                        ("district_month_view", {"view": "month",
                                                 "district": "setagaya/ikejiri"})):
        samples = []
        for run in range(CALENDAR_RUNS + 3):
            started = time.perf_counter()
            response = client.get("/events/", {**query, "month": f"{month:%Y-%m}"})
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{name}: {response.status_code}")
            if run >= 3:
                samples.append(elapsed)
        figures[name] = _stats(samples)
    figures["target_p95_ms"] = 100
    return figures


def child() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    world = _setup_world()
    figures = {"database": f"PostgreSQL {connection.pg_version // 10000}"}
    for name, part in (("registration_contention", _contention), ("lottery", _lottery),
                       ("calendar", _calendar)):
        figures[name] = part(world)
        print(name, json.dumps(figures[name], ensure_ascii=False), file=sys.stderr, flush=True)
    print(json.dumps(figures, ensure_ascii=False))


def run() -> dict:
    from bench.harness import child_figures
    from bench.scheduling import PG_URL_DEFAULT, _admin, scratch_postgres

    url = os.environ.get("BENCH_PG_URL", PG_URL_DEFAULT)
    try:
        _admin(url).close()
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL here
        return {"skipped": f"no PostgreSQL reachable at {url}: {type(error).__name__}"}
    OUT.mkdir(parents=True, exist_ok=True)
    with scratch_postgres(url, SCRATCH_DB) as scratch:
        return child_figures("bench.participation", cwd=ROOT, timeout=1200, env={
            "DATABASE_URL": scratch, "DJANGO_SETTINGS_MODULE": "config.settings"})


def rows(figures: dict) -> list[tuple[str, str, str]]:
    if "skipped" in figures:
        return [("participation", "skipped", figures["skipped"])]
    c, lot, cal = (figures["registration_contention"], figures["lottery"],
                   figures["calendar"])
    return [
        ("figure", "value", "note"),
        ("500 registrations for 20 places: confirmed / waitlisted",
         f"{c['confirmed']} / {c['waitlisted']}",
         f"over capacity {c['over_capacity']}; first arrivals confirmed "
         f"{c['confirmed_are_first_arrivals']}"),
        ("registrations per second (HTTP)", f"{c['registrations_per_s']}",
         f"{c['seconds']} s for {c['clients']}"),
        ("lottery 5,000 applicants / 300 places", f"{lot['draw_seconds']} s",
         f"same seed same result {lot['same_seed_same_result']}"),
        ("calendar month view, 2,000 sessions", f"p95 {cal['month_view']['p95_ms']} ms",
         f"median {cal['month_view']['median_ms']} ms (target ≤ 100)"),
        ("calendar list view", f"p95 {cal['list_view']['p95_ms']} ms",
         f"median {cal['list_view']['median_ms']} ms"),
    ]


def main() -> None:
    from bench.harness import table, write

    figures = run()
    path = write("participation", figures, out_dir=OUT)
    print("participation benchmark (uvicorn on a scratch PostgreSQL database)")
    print(table(rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        child()
    else:
        main()
