"""(b) and (c): submissions through one uvicorn process on the scratch database, at a
fixed offered load and then as fast as it answers; the clients are threads of this
process."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from bench.meetings import serve, server_cpu
from bench.procedures._common import OUT
from bench.procedures.form import (
    CODE,
    DISTRICT,
    PDF,
    PNG,
    answers,
    resident_identity,
    setup,
    stats,
)

CLIENTS = 32
LOAD_SECONDS = 20.0
OFFERED_RATE = 10.0  # submissions per second, due on a fixed schedule
OFFERED_SECONDS = 30.0
OFFERED_CLIENTS = 16  # connections available to the schedule (never all busy at 10/s)
OFFERED_GOAL_P95_MS = 200  # issue 13
CSRF = "b" * 32


def _portal_cookie(identity) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.utils import timezone

    from madoguchi.portal import session as portal_session

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[portal_session.IDENTITY] = identity.pk
    store[portal_session.LEVEL] = str(identity.level)
    store[portal_session.SINCE] = timezone.now().isoformat()
    store.set_expiry(portal_session.idle_seconds())
    store.save()
    return store.session_key


@contextmanager
def _uvicorn(files_dir: Path):
    """One uvicorn process (config.asgi) on the database this child points at, started
    through the benches' one helper (bench.meetings.serve): the load's clients run in
    this process, the server in its own."""
    env = {**os.environ, "DEBUG": "false", "FILES_DIR": str(files_dir), "CLAMD_ADDRESS": ""}
    OUT.mkdir(parents=True, exist_ok=True)
    with serve(["-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                "--lifespan", "off", "--no-access-log", "--log-level", "warning"],
               log=OUT / "procedures-uvicorn.log", health="/healthz", env=env) as port:
        yield port


def _multipart(body_answers: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in (("procedure", CODE), ("district", DISTRICT),
                        ("answers", body_answers)):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, filename, data, kind in (("attachment.identity", "card.png", PNG, "image/png"),
                                       ("attachment.evidence", "proof.pdf", PDF,
                                        "application/pdf")):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                     + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class _Client:
    """One keep-alive connection posting applications as one resident."""

    def __init__(self, port: int, cookie: str, body_answers: str) -> None:
        self.port, self.body_answers = port, body_answers
        self.headers = {"X-CSRFToken": CSRF,
                        "Cookie": f"madoguchi_portal={cookie}; csrftoken={CSRF}"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def submit(self) -> int | str:
        body, kind = _multipart(self.body_answers)
        try:
            self.conn.request("POST", "/api/v1/applications", body=body, headers={
                **self.headers, "Content-Type": kind,
                "Idempotency-Key": f"load-{uuid.uuid4().hex}"})
            response = self.conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return type(error).__name__

    def close(self) -> None:
        self.conn.close()


def _closed_loop(clients: list[_Client], seconds: float) -> dict:
    """Every client posts again as soon as its answer came: the server's capacity."""
    latencies: list[list[float]] = [[] for _ in clients]
    errors: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(clients) + 1)
    stop_at = [0.0]

    def run(i: int) -> None:
        gate.wait()
        while time.monotonic() < stop_at[0]:
            began = time.perf_counter()
            status = clients[i].submit()
            if status == 201:
                latencies[i].append((time.perf_counter() - began) * 1000)
            else:
                with lock:
                    errors.append(str(status))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + seconds
    began = time.perf_counter()
    gate.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    samples = [x for per_client in latencies for x in per_client]
    return {"clients": len(clients), "seconds": round(elapsed, 1),
            "submissions": len(samples),
            "per_second": round(len(samples) / elapsed, 1) if elapsed else 0,
            "latency": stats(samples) if samples else None,
            "errors": len(errors), "error_kinds": sorted(set(errors))[:10]}


def _offered_load(clients: list[_Client], rate: float, seconds: float) -> dict:
    """Open loop: submission i is due at start + i / rate, whether or not the earlier
    ones were answered; its latency runs from when it was due (a submission that waited
    for a free client counts that wait), so a server slower than the rate shows it."""
    total = int(rate * seconds)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    turn = iter(range(total))
    start = time.perf_counter() + 0.5

    def run(client: _Client) -> None:
        while True:
            with lock:
                i = next(turn, None)
            if i is None:
                return
            due = start + i / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            status = client.submit()
            done = (time.perf_counter() - due) * 1000
            with lock:
                if status == 201:
                    latencies.append(done)
                else:
                    errors.append(str(status))

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {"offered_per_second": rate, "seconds": round(elapsed, 1),
            "clients_available": len(clients), "submissions": len(latencies),
            "achieved_per_second": round(len(latencies) / elapsed, 1) if elapsed else 0,
            "latency": stats(latencies) if latencies else None,
            "goal_p95_ms": OFFERED_GOAL_P95_MS,
            "errors": len(errors), "error_kinds": sorted(set(errors))[:10]}


def load() -> dict:
    """(b) and (c): one uvicorn process on the scratch database; first the fixed offered
    load (OFFERED_RATE/s for OFFERED_SECONDS), then CLIENTS clients posting as fast as the
    server answers for LOAD_SECONDS. The clients are threads of this process, never of
    the measured server."""
    from django.db import connection, connections

    from madoguchi.applications.models import Application, ApplicationAttachment
    from madoguchi.files.models import StoredFile

    setup()
    cookies = [_portal_cookie(resident_identity(i)) for i in range(CLIENTS)]
    before = Application.objects.count()
    vendor = connection.vendor
    connections.close_all()
    files_dir = OUT / "procedures-files-load"
    shutil.rmtree(files_dir, ignore_errors=True)
    body_answers = json.dumps(answers(), ensure_ascii=False)

    with _uvicorn(files_dir) as port:
        clients = [_Client(port, cookie, body_answers) for cookie in cookies]
        cpu = server_cpu(port)
        try:
            clients[0].submit()  # warm-up: the first request imports and compiles
            began = cpu()
            offered = _offered_load(clients[:OFFERED_CLIENTS], OFFERED_RATE, OFFERED_SECONDS)
            middle = cpu()
            saturated = _closed_loop(clients, LOAD_SECONDS)
            ended = cpu()
        finally:
            for client in clients:
                client.close()

    made = Application.objects.count() - before
    rows = {"applications": made, "attachments": ApplicationAttachment.objects.count(),
            "files": StoredFile.objects.count(),
            "files_on_disk": sum(1 for p in files_dir.rglob("*") if p.is_file())}
    shutil.rmtree(files_dir, ignore_errors=True)
    answered = 1 + offered["submissions"] + saturated["submissions"]
    if None not in (began, middle, ended):
        # The server process's CPU per submission: what other work on a shared machine
        # does not inflate (PostgreSQL's own work is not in it).
        offered["server_cpu_ms_per_submission"] = round(
            (middle - began) * 1000 / max(offered["submissions"], 1), 2)
        saturated["server_cpu_ms_per_submission"] = round(
            (ended - middle) * 1000 / max(saturated["submissions"], 1), 2)
    return {"database": vendor, **saturated, "offered": offered,
            "server_processes": 1, "rows": rows,
            "rows_match": (made == answered and rows["attachments"] == rows["files"]
                           == rows["files_on_disk"] == 2 * made),
            "server": "one uvicorn process (config.asgi); the clients are threads of the "
                      "bench's own process on the same machine",
            "cpus": os.cpu_count(), "load_average": round(os.getloadavg()[0], 1)}
