"""Figures for guidance (issue 6), written to var/bench/guidance.json.

Query latency of ``guide()`` (analysis, index query, ranking, offices, online flags,
procedures; a district given) over the labelled questions, p50/p95 in milliseconds of wall
clock, and of this process's CPU time (which does not suffer from other work on a shared
machine; the load average is recorded with each figure):
with the seed knowledge base, then with 5,000 entries (the seed plus generated variants:
each a seed question with a district's name and a mix of its own and a sibling entry's
keywords), on SQLite (a scratch file) and on PostgreSQL (a scratch database on
BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test; skipped with a note when
unreachable). Target: p95 ≤ 20 ms at 5,000 entries.

Each database is measured in a child process (``python -m bench.guidance
measure``) so that Django there points at the scratch database.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.scheduling import PG_URL_DEFAULT, _admin, scratch_postgres

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
SCRATCH_DB = "madoguchi_bench_guidance"
LARGE = 5_000
ROUNDS = 3
TARGET_P95_MS = 20.0
DISTRICT = "setagaya/ikejiri"


# --- child: one database -------------------------------------------------------------


def _questions() -> list[str]:
    from madoguchi.guidance.evaluate import DEFAULT_FILE, read_questions

    return [q.text for q in read_questions(DEFAULT_FILE)]


def _latency(questions: list[str]) -> dict:
    """Wall-clock and CPU time (this process: analysis, ranking, SQLite itself; not a
    PostgreSQL server's work) per question, over ``ROUNDS`` rounds."""
    from madoguchi.guidance.selectors import district_from_code, guide

    district = district_from_code(DISTRICT)
    for text in questions[:20]:  # warm caches (tokenizer, synonyms, section profiles)
        guide(text, district=district)
    wall, cpu = [], []
    for _ in range(ROUNDS):
        for text in questions:
            start, start_cpu = time.perf_counter(), time.process_time()
            guide(text, district=district)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    wall.sort()
    cpu.sort()
    return {"queries": len(wall), "p50_ms": round(statistics.median(wall), 2),
            "p95_ms": round(wall[int(len(wall) * 0.95)], 2), "max_ms": round(wall[-1], 2),
            "cpu_p50_ms": round(statistics.median(cpu), 2),
            "cpu_p95_ms": round(cpu[int(len(cpu) * 0.95)], 2),
            "load_average": round(os.getloadavg()[0], 1)}


def _grow(total: int) -> int:
    """Add generated variants of the seed entries until ``total`` are published."""
    from madoguchi.guidance.index import index_all, vacuum
    from madoguchi.guidance.models import Entry, EntryStatus
    from madoguchi.organisation.models import District

    rng = random.Random(20261129)
    seed = list(Entry.objects.filter(status=EntryStatus.PUBLISHED).order_by("code"))
    by_kind: dict[int, list[Entry]] = {}
    for entry in seed:
        by_kind.setdefault(entry.section_kind_id, []).append(entry)
    places = list(District.objects.values_list("name", flat=True))
    variants = []
    for i in range(max(0, total - len(seed))):
        base = seed[i % len(seed)]
        sibling = rng.choice(by_kind[base.section_kind_id])
        keywords = rng.sample(base.keywords, k=min(len(base.keywords), 3)) + \
            rng.sample(sibling.keywords, k=min(len(sibling.keywords), 2))
        variants.append(Entry(
            code=f"{base.code}-v{i}", section_kind_id=base.section_kind_id,
            question=f"{base.question}（{rng.choice(places)}の場合）", answer=base.answer,
            easy_answer=base.easy_answer, keywords=keywords,
            procedure_codes=base.procedure_codes, status=EntryStatus.PUBLISHED))
    Entry.objects.bulk_create(variants, batch_size=500)
    indexed = index_all()
    vacuum()  # as load_guidance does; autovacuum would do the same a little later
    return indexed


def measure() -> dict:
    from django.core.management import call_command
    from django.db import connection

    for command in ("migrate", "load_setagaya", "load_consultation_setup", "load_guidance"):
        call_command(command, verbosity=0)
    questions = _questions()
    from madoguchi.guidance.models import IndexedEntry, Posting

    seed = {"entries": IndexedEntry.objects.count(), **_latency(questions)}
    start = time.perf_counter()
    indexed = _grow(LARGE)
    build_s = round(time.perf_counter() - start, 1)
    large = {"entries": indexed, "postings": Posting.objects.count(),
             "index_build_s": build_s, **_latency(questions)}
    return {"database": connection.vendor, "seed": seed, "large": large}


# --- parent ----------------------------------------------------------------------------


def _child(url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.guidance", "measure"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"guidance benchmark failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def on_sqlite() -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "guidance.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return _child(f"sqlite:///{db}")


def on_postgresql() -> dict:
    url = os.environ.get("BENCH_PG_URL", PG_URL_DEFAULT)
    try:
        _admin(url).close()
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL here
        return {"skipped": f"no PostgreSQL reachable at {url}: {type(error).__name__}"}
    with scratch_postgres(url, SCRATCH_DB) as scratch:
        return _child(scratch)


def run() -> dict:
    return {"target_p95_ms": TARGET_P95_MS, "district": DISTRICT,
            "sqlite": on_sqlite(), "postgresql": on_postgresql()}


def rows(figures: dict) -> list[tuple[str, str, str]]:
    out = [("figure", "p50 / p95 ms", "note")]
    for backend in ("sqlite", "postgresql"):
        result = figures[backend]
        if "skipped" in result:
            out.append((f"guidance on {backend}", "skipped", result["skipped"]))
            continue
        for size in ("seed", "large"):
            r = result[size]
            note = (f"{r['queries']} queries; CPU p50/p95 {r['cpu_p50_ms']:.1f}/"
                    f"{r['cpu_p95_ms']:.1f} ms; load {r['load_average']}")
            if size == "large":
                note += (f"; {r['postings']:,} postings, index built in {r['index_build_s']} s;"
                         f" target p95 ≤ {figures['target_p95_ms']:.0f} ms")
            out.append((f"guidance on {backend}, {r['entries']:,} entries",
                        f"{r['p50_ms']:.2f} / {r['p95_ms']:.2f}", note))
    return out


if __name__ == "__main__" and sys.argv[1:] == ["measure"]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(json.dumps(measure()))
elif __name__ == "__main__":
    from bench.harness import table, write

    figures = run()
    path = write("guidance", figures, out_dir=OUT)
    print(table(rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")
