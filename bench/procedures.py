"""Figures for online applications (issue 5), written to var/bench/procedures.json.

(a) Server time of one resident's form of exactly 40 fields with two attachments (the
    bench procedure ``bench-40``, loaded through ``load_definition`` next to the seeded
    catalogue), measured inside the process, N = 200 each, median and p95 in ms:
    render (the form drawn with the resident's answers: ProcedureForm + the form
    templates), validate (bind the POST and check it: ProcedureForm.is_valid, i.e.
    clean_answers), submit (services.application_submit_new with two small files: check,
    store, one transaction, move into place). On a scratch SQLite file and on a scratch
    PostgreSQL database.
(b) Latency at a fixed offered load on PostgreSQL: one uvicorn process (its own process,
    started through bench.meetings.serve) on a scratch database, and submissions with two
    attachments to POST /api/v1/applications due on a fixed schedule of 10/s for 30 s
    (open loop: a slow answer does not delay the next submission; latency counts from
    when each was due). p50/p95 (goal p95 <= 200 ms), errors (must be 0).
(c) Submissions per second per server process: the same server, 32 concurrent clients
    (threads, one keep-alive connection each) posting as fast as it answers for 20 s;
    throughput, client-side p50/p95 latency, errors (must be 0), and the database row
    counts checked against the successes of (b) and (c).
The clients of (b) and (c) are threads of the bench's child process, never of the
measured server process; both run on the same machine.

PostgreSQL is BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test); when no
server answers, the JSON says so instead of giving figures. Each database is measured in
a child process (``python -m bench.procedures measure|load``) so that Django
there points at the scratch database.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from bench.meetings import serve, server_cpu
from bench.scheduling import PG_URL_DEFAULT, _admin, scratch_postgres

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
# Another name when two checkouts bench on one server at once (it is dropped and made anew).
SCRATCH_PG = os.environ.get("BENCH_PROCEDURES_PG_DB", "madoguchi_bench_procedures")
CODE = "bench-40"
RUNS = 200
CLIENTS = 32
LOAD_SECONDS = 20.0
OFFERED_RATE = 10.0  # submissions per second, due on a fixed schedule
OFFERED_SECONDS = 30.0
OFFERED_CLIENTS = 16  # connections available to the schedule (never all busy at 10/s)
OFFERED_GOAL_P95_MS = 200  # issue 13
CSRF = "b" * 32
DISTRICT = "setagaya/ikejiri"
SERVER_START_TIMEOUT = 60

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5dd8a1a0000000049454e44ae426082")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

# Four fields of each of ten types (40 in all), with a valid raw answer each.
FIELD_TYPES: list[tuple[str, dict, object]] = [
    ("text", {"max_length": 60}, "世田谷区役所"),
    ("kana", {}, "せたがや"),
    ("name", {}, {"family": "池尻", "given": "花子", "family_kana": "いけじり",
                  "given_kana": "はなこ"}),
    ("date", {"past": True}, "平成2年5月1日"),
    ("integer", {"min": 0, "max": 100}, "3"),
    ("phone", {}, "03-1234-5678"),
    ("email", {}, "hanako@example.jp"),
    ("select", {"choices": [{"value": "a", "label": "あ"}, {"value": "b", "label": "い"}]},
     "a"),
    ("address", {}, {"postal_code": "154-0001", "address": "世田谷区池尻二丁目1番1号",
                     "building": ""}),
    ("yesno", {}, "yes"),
]
FIELDS_PER_TYPE = 4


# --- the bench procedure ----------------------------------------------------------------


def definition() -> dict:
    """課税証明's definition with a form of exactly 40 fields and two required
    attachments."""
    from madoguchi.procedures.loader import DATA_DIR, read_definition

    base = read_definition(DATA_DIR / "kazei-shomei.yaml")
    sections = []
    for index, (kind, options, _answer) in enumerate(FIELD_TYPES):
        sections.append({"title": f"項目群{index + 1}", "fields": [
            {"name": f"{kind}_{n}", "type": kind, "label": f"{kind} {n}", "required": True,
             **options} for n in range(FIELDS_PER_TYPE)]})
    return {
        **base, "code": CODE, "name": "ベンチマーク用の申請（40項目）",
        "name_en": "Benchmark application (40 fields)", "channels": ["online"],
        "identity": "strong", "form": {"sections": sections}, "notices": [],
        "attachments": [
            {"code": "identity", "name": "本人確認書類", "explanation": "ベンチマーク用"},
            {"code": "evidence", "name": "証明書類", "explanation": "ベンチマーク用"}],
    }


def answers() -> dict:
    return {f"{kind}_{n}": answer for kind, _options, answer in FIELD_TYPES
            for n in range(FIELDS_PER_TYPE)}


def post_data(spec) -> dict[str, str]:
    """The answers as the form's POST (compound fields in their parts)."""
    raw, data = answers(), {}
    for field in spec.top_fields():
        if field.parts:
            for part in field.parts:
                data[f"{field.name}-{part}"] = raw[field.name].get(part, "")
        else:
            data[field.name] = raw[field.name]
    return data


def _setup() -> None:
    from django.core.management import call_command

    from madoguchi.procedures.services import load_definition

    call_command("migrate", verbosity=0)
    call_command("load_setagaya", verbosity=0)
    call_command("load_procedures", verbosity=0)
    load_definition(definition())


def _identity(n: int):
    from madoguchi.portal.models import Level, Method, PortalIdentity

    return PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                         issuer="https://idp.example.jp",
                                         subject=f"bench-{n}-{uuid.uuid4().hex[:8]}")


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"runs": len(ordered), "median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
            "max_ms": round(ordered[-1], 2)}


def _timed(fn, runs: int, warmup: int = 5) -> dict:
    """Wall clock and this process's CPU time (which other work on a shared machine does
    not inflate; PostgreSQL's own work is not in it) per call."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    cpu_stats = _stats(cpu)
    return {**_stats(wall), "cpu_median_ms": cpu_stats["median_ms"],
            "cpu_p95_ms": cpu_stats["p95_ms"]}


# --- child (a): server time of render, validate, submit ---------------------------------


def measure() -> dict:
    from django.db import connection
    from django.template.loader import render_to_string

    from madoguchi.applications import services
    from madoguchi.applications.models import Application, ApplicationAttachment
    from madoguchi.files.models import StoredFile
    from madoguchi.organisation.models import District
    from madoguchi.procedures.formschema.django_forms import ProcedureForm
    from madoguchi.procedures.selectors import published_get

    _setup()
    version = published_get(CODE)
    spec = version.form_spec
    if len(list(spec.top_fields())) != 40:
        raise RuntimeError("the bench form must have 40 fields")
    raw, data = answers(), post_data(spec)
    region, code = DISTRICT.split("/")
    district = District.objects.select_related("region").get(region__code=region, code=code)
    actor = services.Actor(source="bench", identity=_identity(0))

    def render() -> None:
        form = ProcedureForm(spec, answers=raw)
        render_to_string("procedures/form/_fields.html", {"form": form})

    def validate() -> None:
        form = ProcedureForm(spec, data)
        if not form.is_valid():
            raise RuntimeError(f"bench answers invalid: {dict(form.errors)}")

    def submit() -> None:
        result = services.application_submit_new(
            actor=actor, version=version, district=district, raw=raw,
            files=[("identity", PNG, "card.png"), ("evidence", PDF, "proof.pdf")],
            idempotency_key=f"bench-{uuid.uuid4().hex}")
        if result.repeated:
            raise RuntimeError("a fresh key was taken for a repeat")

    figures = {"database": connection.vendor, "load_average": round(os.getloadavg()[0], 1),
               "cpus": os.cpu_count(), "fields": len(list(spec.top_fields())),
               "inputs": len(ProcedureForm(spec).fields),
               "render": _timed(render, RUNS), "validate": _timed(validate, RUNS),
               "submit": _timed(submit, RUNS)}
    made = Application.objects.count()
    figures["rows"] = {"applications": made,
                       "attachments": ApplicationAttachment.objects.count(),
                       "files": StoredFile.objects.count()}
    if not (figures["rows"]["attachments"] == figures["rows"]["files"] == 2 * made):
        raise RuntimeError(f"row counts do not match: {figures['rows']}")
    return figures


# --- child (b): submissions per second through the real server --------------------------


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
            "latency": _stats(samples) if samples else None,
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
            "latency": _stats(latencies) if latencies else None,
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

    _setup()
    cookies = [_portal_cookie(_identity(i)) for i in range(CLIENTS)]
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


# --- parent ----------------------------------------------------------------------------


def _child(command: str, url: str, files_dir: Path) -> dict:
    shutil.rmtree(files_dir, ignore_errors=True)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings",
           "FILES_DIR": str(files_dir), "CLAMD_ADDRESS": "", "DEBUG": "false"}
    try:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.procedures", command], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=1800, check=False)
    finally:
        shutil.rmtree(files_dir, ignore_errors=True)
    if done.returncode != 0:
        return {"failed": done.stderr[-3000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pg_unreachable(url: str) -> str | None:
    try:
        _admin(url).close()
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL here
        return f"no PostgreSQL reachable at {url}: {type(error).__name__}"
    return None


def on_sqlite() -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "procedures.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    try:
        return _child("measure", f"sqlite:///{db}", OUT / "procedures-files")
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)


def on_postgresql(command: str) -> dict:
    url = os.environ.get("BENCH_PG_URL", PG_URL_DEFAULT)
    skipped = _pg_unreachable(url)
    if skipped:
        return {"skipped": skipped}
    with scratch_postgres(url, SCRATCH_PG) as scratch:
        return _child(command, scratch, OUT / "procedures-files")


def run(*, server_time: bool = True) -> dict:
    if not server_time:  # python -m bench.procedures load: (b) and (c) alone
        return {"procedure": CODE, "runs": RUNS, "server_time": {},
                "throughput": on_postgresql("load")}
    return {"procedure": CODE, "runs": RUNS,
            "server_time": {"sqlite": on_sqlite(), "postgresql": on_postgresql("measure")},
            "throughput": on_postgresql("load")}


def rows(figures: dict) -> list[tuple[str, str, str]]:
    out = [("figure", "median / p95 ms", "note")]
    for backend, result in figures["server_time"].items():
        if "skipped" in result or "failed" in result:
            out.append((f"form on {backend}", "not measured",
                        result.get("skipped") or "failed (see the JSON)"))
            continue
        for step in ("render", "validate", "submit"):
            r = result[step]
            out.append((f"{step} ({result['fields']} fields) on {backend}",
                        f"{r['median_ms']:.2f} / {r['p95_ms']:.2f}",
                        f"N={r['runs']}, server time in the process; CPU "
                        f"{r['cpu_median_ms']:.2f} / {r['cpu_p95_ms']:.2f}; load "
                        f"{result['load_average']}"
                        + ("; two attachments" if step == "submit" else "")))
    load_figures = figures["throughput"]
    if "skipped" in load_figures or "failed" in load_figures:
        out.append(("submissions/s, 32 clients", "not measured",
                    load_figures.get("skipped") or "failed (see the JSON)"))
        return out
    offered = load_figures.get("offered")
    if offered:
        lat = offered["latency"] or {"median_ms": 0, "p95_ms": 0}
        out.append((f"POST /api/v1/applications at {offered['offered_per_second']:g}/s "
                    f"offered, {load_figures['database']}",
                    f"{lat['median_ms']:.1f} / {lat['p95_ms']:.1f}",
                    f"goal p95 <= {offered['goal_p95_ms']} ms; {offered['submissions']} made "
                    f"over {offered['seconds']} s ({offered['achieved_per_second']}/s), "
                    f"errors {offered['errors']}; from when each was due; server CPU "
                    f"{offered.get('server_cpu_ms_per_submission', '?')} ms each"))
    lat = load_figures["latency"] or {"median_ms": 0, "p95_ms": 0}
    cpu_each = load_figures.get("server_cpu_ms_per_submission", "?")
    out.append((f"POST /api/v1/applications, {load_figures['clients']} clients, "
                f"{load_figures['database']}",
                f"{lat['median_ms']:.1f} / {lat['p95_ms']:.1f}",
                f"{load_figures['per_second']} submissions/s per server process over "
                f"{load_figures['seconds']} s ({cpu_each} ms server CPU each); "
                f"{load_figures['submissions']} made, "
                f"errors {load_figures['errors']}, rows match: "
                f"{load_figures['rows_match']}"))
    return out


if __name__ == "__main__" and sys.argv[1:] in (["measure"], ["load"]):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    result = measure() if sys.argv[1] == "measure" else load()
    print(json.dumps(result, ensure_ascii=False))
elif __name__ == "__main__":
    from bench.harness import table, write

    server_only = sys.argv[1:] == ["server"]
    figures = run(server_time=not server_only)
    path = write("procedures-server" if server_only else "procedures", figures, out_dir=OUT)
    print(table(rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")
