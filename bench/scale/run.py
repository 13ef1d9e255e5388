"""The scale bench's run: a PostgreSQL database set up like `make run`, the pages on the
demo data, the fill, the pages again at size; the figures written and printed."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from bench.harness import table, write
from bench.scale.generate import SIZES, counts, fill
from bench.scale.staff_pages import GOAL_MS, REPEAT, SEARCH_GOAL_MS, measure_all, rows

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "bench"
ADMIN_URL_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
SCRATCH = "bench_scale"


def _setup() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    for command in ("load_setagaya", "load_consultation_setup", "load_procedures",
                    "load_guidance", "load_demo", "load_demo_applications"):
        call_command(command, verbosity=0)


def run_on(url: str) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("the scale bench needs PostgreSQL (BENCH_DATABASE_URL)")
    _setup()
    figures = {"database": "postgresql", "cpus": os.cpu_count(),
               "load_before": [round(x, 2) for x in os.getloadavg()], "repeat": REPEAT,
               "goal_p95_ms": GOAL_MS, "search_goal_p95_ms": SEARCH_GOAL_MS}
    print("measuring on the demo data…", file=sys.stderr)
    figures["demo"] = {"counts": counts(), "pages": measure_all()}
    print("filling…", file=sys.stderr)
    figures["fill"] = fill(SIZES)
    print("measuring at size…", file=sys.stderr)
    # What the set-up and the fill left on the heap is moved out of the collector's reach,
    # as a pre-forking server does after loading the application: otherwise a full
    # collection of 60–330 ms lands on whichever request is timed (ADR 0026).
    gc.collect()
    gc.freeze()
    figures["at_size"] = {"counts": counts(), "pages": measure_all()}
    figures["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return figures


def main() -> None:
    from bench.scheduling import _admin, scratch_postgres

    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url.startswith("postgres"):
        figures = run_on(url)
    else:
        admin = os.environ.get("BENCH_PG_URL", ADMIN_URL_DEFAULT)
        try:
            _admin(admin).close()
        except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL here
            raise SystemExit(f"the scale bench needs PostgreSQL: none at {admin} "
                             f"({type(error).__name__})") from error
        with scratch_postgres(admin, SCRATCH) as scratch:
            figures = run_on(scratch)
            from django.db import connections

            connections.close_all()
    path = write("scale", figures, out_dir=OUT)
    counted = figures["at_size"]["counts"]
    print(f"staff pages on PostgreSQL, demo data and at size ({counted['residents']:,} "
          f"residents, {counted['consultations']:,} consultations, "
          f"{counted['applications']:,} applications, {counted['audit_entries']:,} audit "
          f"entries); {REPEAT} requests each; load average {figures['load_before']} → "
          f"{figures['load_after']} on {figures['cpus']} CPUs")
    print(table(rows(figures)))
    print(f"written to {path.relative_to(ROOT)}")
