"""`python -m bench disaster` (part): the 安否確認 ingest figure of issue 19, through HTTP on a
scratch PostgreSQL database (uvicorn, one process per core unless BENCH_DISASTER_WORKERS says
otherwise, each with a pool of 20 connections).

200 simulated phones (each its own signed-in session: 20 staff of the 池尻 centre, ten
phones each) send 10,000 status updates in one minute: 50 each, in 10 batches of 5, one
batch every 6 s (staggered). 20% of the phones (40) send each batch twice more, as a
phone that lost the answers would (14,000 updates sent, 4,000 of them resends).
Figures: updates stored (0 lost: all 10,000), duplicated rows (0), the replays answered
"duplicate", request time p50/p95, the time it took and the rate reached (at most the
10,000 a minute offered), the load average around the run, and the CPU time the server
processes and their PostgreSQL backends spent per request (less noisy than wall time on a
shared machine; ADR 0065).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
SCRATCH_DB = os.environ.get("BENCH_DISASTER_PG_DB", "bench_disaster_ingest")
PHONES = 200
STAFF = 20
PEOPLE = 2000
BATCHES = 10
BATCH = 5
EVERY_S = 6.0
REPLAYING = 0.2
WORKERS = int(os.environ.get("BENCH_DISASTER_WORKERS") or os.cpu_count() or 1)


def _world() -> dict:
    """In the child: the ward, a declared disaster, 2,000 registry entries of 池尻, the
    campaign, 20 staff and a session per phone."""
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from bench.foundation import FAMILY, GIVEN
    from madoguchi.accounts.models import Role
    from madoguchi.accounts.services import staff_upsert
    from madoguchi.core.text import fold, kana_key
    from madoguchi.disaster.models import RegistryEntry
    from madoguchi.disaster.services import declaration_confirm, declaration_request
    from madoguchi.disaster.services.safety import campaign_open
    from madoguchi.organisation.models import District, Section
    from madoguchi.people.models import Resident

    call_command("migrate", verbosity=0)
    call_command("load_setagaya", verbosity=0)
    ikejiri = District.objects.get(code="ikejiri")
    unit = Section.objects.get(code="setagaya/ikejiri/machizukuri-center")
    staff = [staff_upsert(username=f"bench-phone-{n}", display_name=f"phone {n}",
                          password="x" * 20, role=Role.DISTRICT_STAFF, unit=unit)
             for n in range(STAFF)]
    # Bench data, bulk-made (the registry service checks and audits one at a time).
    residents = Resident.objects.bulk_create(
        Resident(family_name=FAMILY[i % len(FAMILY)][0], given_name=GIVEN[i % len(GIVEN)][0],
                 family_name_kana=FAMILY[i % len(FAMILY)][1],
                 given_name_kana=GIVEN[i % len(GIVEN)][1],
                 name_key=fold(FAMILY[i % len(FAMILY)][0] + GIVEN[i % len(GIVEN)][0]),
                 kana_key=kana_key(FAMILY[i % len(FAMILY)][1]) + str(i),
                 birth_date="1940-04-01", address=f"世田谷区池尻1-{i % 30 + 1}",
                 phone="03-0000-0000", district=ikejiri)
        for i in range(PEOPLE))
    now = timezone.now()
    entries = RegistryEntry.objects.bulk_create(
        RegistryEntry(resident=r, sex="unstated", reasons=["elderly_alone"],
                      registered_by=staff[0], registered_at=now) for r in residents)
    a = staff_upsert(username="bench-admin-a", display_name="a", password="x" * 20,
                     role=Role.WARD_ADMIN, unit=None)
    b = staff_upsert(username="bench-admin-b", display_name="b", password="x" * 20,
                     role=Role.WARD_ADMIN, unit=None)
    declaration_confirm(by=b, declaration=declaration_request(by=a, region=None,
                                                               reason="ベンチ"))
    campaign = campaign_open(by=staff[0], district=ikejiri)
    sessions = []
    for n in range(PHONES):
        client = Client()
        client.force_login(staff[n % STAFF])
        sessions.append(client.cookies["sessionid"].value)
    return {"campaign": campaign.pk, "entries": [e.pk for e in entries],
            "sessions": sessions}


def _phones(base: str, world: dict) -> dict:
    url = f"{base}/disaster/staff/campaigns/{world['campaign']}/records"
    lock = threading.Lock()
    times: list[float] = []
    answers: dict[str, int] = {}
    errors: list[str] = []
    entries = world["entries"]
    start = time.monotonic() + 2.0

    def post(session: str, csrf: str, batch: list[dict]) -> list[str]:
        request = urllib.request.Request(  # noqa: S310 (loopback)
            url, data=json.dumps({"records": batch}).encode(), method="POST", headers={
                "Content-Type": "application/json", "X-CSRFToken": csrf,
                "Referer": url, "Cookie": f"sessionid={session}; csrftoken={csrf}"})
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            body = json.loads(response.read())
        with lock:
            times.append((time.perf_counter() - began) * 1000)
        return [r["result"] for r in body["results"]]

    def phone(n: int) -> None:
        session, csrf = world["sessions"][n], secrets.token_hex(16)
        replays = 2 if n < PHONES * REPLAYING else 0
        for k in range(BATCHES):
            batch = [{"client_id": str(uuid.uuid4()),
                      "entry": entries[(n * BATCHES * BATCH + k * BATCH + i) % len(entries)],
                      "status": "safe_home", "recorded_at": _now()} for i in range(BATCH)]
            delay = start + k * EVERY_S + (n / PHONES) * EVERY_S - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            for attempt in range(1 + replays):
                try:
                    results = post(session, csrf, batch)
                except Exception as error:  # noqa: BLE001 - counted
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}"[:200])
                    continue
                with lock:
                    for result in results:
                        key = f"{'replay' if attempt else 'first'}:{result}"
                        answers[key] = answers.get(key, 0) + 1

    threads = [threading.Thread(target=phone, args=(n,)) for n in range(PHONES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    times.sort()
    return {"answers": answers, "errors": len(errors), "first_errors": errors[:3],
            "requests": len(times), "seconds": round(elapsed, 1),
            "p50_ms": round(times[len(times) // 2], 1) if times else None,
            "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1)
            if times else None}


def _cpu(pids) -> dict[int, float]:
    """CPU seconds (user + system) each of ``pids`` has used (Linux /proc; {} elsewhere)."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / tick
    return found


def _server_pids() -> tuple[list[int], list[int]]:
    """The uvicorn processes under this one, and the PostgreSQL backends of its database."""
    from django.db import connection

    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    web, todo = [], list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        web.append(pid)
        todo.extend(children.get(pid, []))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        return web, [row[0] for row in cursor.fetchall()]


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat()


def child() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from bench.meetings import serve
    from madoguchi.disaster.models import SafetyRecord

    world = _world()
    env = {**os.environ, "DEBUG": "false", "DATABASE_POOL_SIZE": "20"}
    with serve(["-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                "--lifespan", "off", "--no-access-log", "--log-level", "warning",
                "--backlog", "2048", "--workers", str(WORKERS)],
               log=OUT / "disaster-ingest-uvicorn.log", health="/healthz", env=env) as port:
        load_before = os.getloadavg()[0]
        web, db = _server_pids()
        cpu_web, cpu_db = _cpu(web), _cpu(db)
        run = _phones(f"http://127.0.0.1:{port}", world)
        web, db = _server_pids()
        spent_web, spent_db = _spent(cpu_web, _cpu(web)), _spent(cpu_db, _cpu(db))
        load_after = os.getloadavg()[0]
    records = SafetyRecord.objects.filter(campaign_id=world["campaign"])
    stored = records.count()
    distinct = records.values("client_id").distinct().count()
    sent = PHONES * BATCHES * BATCH
    figures = {
        "database": f"PostgreSQL {connection.pg_version // 10000}",
        "server_processes": WORKERS,
        "phones": PHONES, "replaying_phones": int(PHONES * REPLAYING),
        "updates": sent, "stored": stored, "lost": sent - stored,
        "duplicated": stored - distinct, **run,
        "updates_per_minute": round(sent / run["seconds"] * 60) if run["seconds"] else None,
        "load_1min": [round(load_before, 1), round(load_after, 1)],
        "server_cpu_ms_per_request": round(spent_web * 1000 / run["requests"], 1)
        if run["requests"] else None,
        "db_cpu_ms_per_request": round(spent_db * 1000 / run["requests"], 1)
        if run["requests"] else None,
    }
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
        return child_figures("bench.disaster_ingest", cwd=ROOT, timeout=1200, env={
            "DATABASE_URL": scratch, "DJANGO_SETTINGS_MODULE": "config.settings"})


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        child()
    else:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
