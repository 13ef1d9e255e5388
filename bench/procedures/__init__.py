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

The package: the parent side here (``run``, ``rows``: the children on each database);
``form`` (the bench procedure, its answers and (a)), ``throughput`` ((b) and (c)),
``_common`` (paths); ``__main__`` the entry points (``measure``, ``load``, ``server``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.procedures._common import OUT, ROOT
from bench.procedures.form import (
    CODE,
    DISTRICT,
    PDF,
    PNG,
    RUNS,
    answers,
    definition,
    measure,
    post_data,
)
from bench.procedures.throughput import load
from bench.scheduling import PG_URL_DEFAULT, _admin, scratch_postgres

__all__ = ["CODE", "DISTRICT", "PDF", "PNG", "RUNS", "answers", "definition", "load",
           "measure", "on_postgresql", "on_sqlite", "post_data", "rows", "run"]

# Another name when two checkouts bench on one server at once (it is dropped and made anew).
SCRATCH_PG = os.environ.get("BENCH_PROCEDURES_PG_DB", "madoguchi_bench_procedures")
SERVER_START_TIMEOUT = 60


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
