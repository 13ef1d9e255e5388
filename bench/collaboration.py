"""The ward dashboard and the assessment PDF (issue 14), written to
var/bench/collaboration.json. `python -m bench collaboration` (part of `make bench`).

1. A scratch PostgreSQL database (``bench_collaboration`` on the server of BENCH_PG_URL,
   dropped afterwards), migrated, the organisation loaded.
2. The generator: ``INSERT … SELECT generate_series`` of 1,000,000 anonymous statistics
   events (consultations' StatEvent: intake, routed, booked with waiting days, completed)
   and 100,000 trouble records (collaboration's TroubleRecord: themes, statuses, parties)
   over three fiscal years in the 28 districts, then ANALYZE.
3. Timed through Django's test client as a branch office's section manager (the page as
   served: selectors, figures registry, template): the 28-district table for a fiscal
   year, the same for one month, one region, one district's time series; median and p95
   over ``REPEAT`` requests, the queries of each page and the median time spent in SQL.
   Twice in the same run (ADR 0051): ``counted`` — no precomputed figures, every request
   counts from the events (as before ADR 0051); ``precomputed`` — after the worker's
   refresh (``services.figures_refresh``, timed) of the fiscal year.
4. The assessment PDF of one district with six charts: median generation time and size.

Goal: p95 ≤ 300 ms for the table and the time series.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from importlib import import_module
from pathlib import Path

from django.apps import apps as django_apps

from bench.harness import table, write

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
ADMIN_URL_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
# BENCH_COLLABORATION_PG_DB: the scratch database, when two checkouts bench at once.
SCRATCH = os.environ.get("BENCH_COLLABORATION_PG_DB", "bench_collaboration")
EVENTS = 1_000_000
RECORDS = 100_000
REPEAT = 30
GOAL_MS = 300.0
FISCAL_YEARS = (2023, 2024, 2025)


def fill_events(count: int) -> float:
    """``count`` statistics events spread over the fiscal years and the districts."""
    from django.db import connection

    from bench.scale import insert_select, sql_array
    from madoguchi.consultations.models import Category, StatEvent
    from madoguchi.organisation.models import DistrictCentre

    centres = list(DistrictCentre.objects.order_by("pk").values_list("district_id", "pk"))
    districts = "ARRAY[" + ", ".join(str(d) for d, _c in centres) + "]"
    centre_ids = "ARRAY[" + ", ".join(str(c) for _d, c in centres) + "]"
    kinds = sql_array(["intake", "intake", "intake", "intake", "routed", "routed", "booked",
                    "completed"])
    categories = sql_array(Category.values)
    days = (FISCAL_YEARS[-1] - FISCAL_YEARS[0] + 1) * 365
    start = time.perf_counter()
    source = (f"(SELECT i::bigint AS i, (i::bigint * 7919) %% {len(centres)} + 1 AS d, "  # noqa: S608 - bench constants
              f"i %% 8 + 1 AS k FROM generate_series(1, {count}) AS i) AS s")
    insert_select(StatEvent, {
        "at": f"timestamptz '{FISCAL_YEARS[0]}-04-01 09:00+09' "
              f"+ (((s.i * 104729) %% {days}) || ' days')::interval "
              f"+ (((s.i * 31) %% 480) || ' minutes')::interval",
        "kind": f"({kinds})[s.k]",
        "centre_id": f"({centre_ids})[s.d]",
        "district_id": f"({districts})[s.d]",
        "category": f"({categories})[s.i %% {len(Category.values)} + 1]",
        "urgency": "'normal'",
        "waiting_days": f"CASE WHEN ({kinds})[s.k] = 'booked' THEN s.i %% 21 ELSE NULL END",
    }, source)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE consultations_statevent")
    return round(time.perf_counter() - start, 1)


def fill_records(count: int, author_id: int) -> float:
    """``count`` trouble records spread over the fiscal years, districts, themes, parties
    and statuses (the collaboration's figures read them)."""
    from django.db import connection

    from bench.scale import insert_select, sql_array
    from madoguchi.collaboration.models import (
        AgeBand,
        Household,
        RecordForm,
        Status,
        Theme,
        TroubleRecord,
        Urgency,
    )
    from madoguchi.organisation.models import DistrictCentre, Section

    # The themes and the record form are seeded by a migration; the bench's flush removed
    # them: seed them again the same way.
    seeded = import_module("madoguchi.collaboration.migrations.0002_append_only_and_seed")
    seeded.seed(django_apps, None)
    districts = "ARRAY[" + ", ".join(
        str(d) for d in DistrictCentre.objects.order_by("pk").values_list("district_id",
                                                                           flat=True)) + "]"
    theme_ids = list(Theme.objects.values_list("pk", flat=True))
    themes = "ARRAY[" + ", ".join(str(t) for t in theme_ids) + "]"
    parties = "ARRAY[" + ", ".join(
        str(p) for p in Section.objects.order_by("pk").values_list("pk", flat=True)[:4]) + "]"
    form_id = RecordForm.objects.order_by("pk").values_list("pk", flat=True).first()
    days = (FISCAL_YEARS[-1] - FISCAL_YEARS[0] + 1) * 365
    start = time.perf_counter()
    source = (f"(SELECT i::bigint AS i FROM generate_series(1, {count}) AS i) AS s")  # noqa: S608 - bench constants
    insert_select(TroubleRecord, {
        "form_id": str(form_id),
        "party_id": f"({parties})[s.i %% 4 + 1]",
        "district_id": f"({districts})[(s.i * 7919) %% 28 + 1]",
        "title": "'bench'", "noticed": "'bench'",
        "age_band": f"({sql_array(AgeBand.values)})[s.i %% {len(AgeBand.values)} + 1]",
        "household": f"({sql_array(Household.values)})[s.i %% {len(Household.values)} + 1]",
        "theme_id": f"({themes})[s.i %% {len(theme_ids)} + 1]",
        "urgency": f"({sql_array(Urgency.values)})[s.i %% {len(Urgency.values)} + 1]",
        "status": f"({sql_array(Status.values)})[s.i %% {len(Status.values)} + 1]",
        "owner_id": str(author_id), "created_by_id": str(author_id),
        "created_at": f"timestamptz '{FISCAL_YEARS[0]}-04-01 09:00+09' "
                      f"+ (((s.i * 104729) %% {days}) || ' days')::interval",
    }, source)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE collaboration_troublerecord")
    return round(time.perf_counter() - start, 1)


def _page(client, path: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request():
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")

    for _ in range(3):
        request()
    samples, queries, sql = [], set(), []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            begin = time.perf_counter()
            request()
            samples.append((time.perf_counter() - begin) * 1000)
        queries.add(len(captured))
        sql.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 1),
            "queries": sorted(queries), "sql_median_ms": round(statistics.median(sql), 1)}


def bench_user():
    from madoguchi.accounts.models import Role
    from madoguchi.accounts.services import staff_upsert
    from madoguchi.organisation.models import Section

    # A branch office's section manager: the dashboard's everyday user (no TOTP step).
    return staff_upsert(username="bench-branch", display_name="bench", password="x" * 20,
                        role=Role.SECTION_MANAGER,
                        unit=Section.objects.get(code="setagaya/hoken-fukushi"))


def measure_pages(user) -> dict:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    year = FISCAL_YEARS[-1]
    return {
        "table_28_districts": _page(client, f"/dashboard/?year={year}"),
        "table_28_districts_one_month": _page(client, f"/dashboard/?year={year}&month=10"),
        "table_one_region": _page(client, f"/dashboard/?year={year}&region=karasuyama"),
        "district_time_series": _page(client, f"/dashboard/setagaya/ikejiri/?year={year}"),
    }


def measure_pdf() -> dict:
    try:
        from madoguchi.assessment import pdf, services
    except ImportError:
        return {"skipped": "the assessment PDF is not built yet"}
    return pdf.bench_figures(services)


def run_on(url: str) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("the collaboration bench needs PostgreSQL")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_setagaya", verbosity=0)
    figures: dict = {"database": "postgresql", "cpus": os.cpu_count(),
                     "load_before": [round(x, 2) for x in os.getloadavg()],
                     "repeat": REPEAT, "goal_p95_ms": GOAL_MS}
    print("filling…", file=sys.stderr)
    user = bench_user()
    figures["fill_seconds"] = fill_events(EVENTS)
    figures["fill_records_seconds"] = fill_records(RECORDS, user.pk)
    from madoguchi.assessment import services
    from madoguchi.collaboration.models import TroubleRecord
    from madoguchi.consultations.models import StatEvent

    figures["statistics_events"] = StatEvent.objects.count()
    figures["trouble_records"] = TroubleRecord.objects.count()
    gc.collect()
    gc.freeze()
    print("measuring (counted)…", file=sys.stderr)
    figures["pages_counted"] = measure_pages(user)
    print("refreshing and measuring (precomputed)…", file=sys.stderr)
    refresh = services.figures_refresh(FISCAL_YEARS[-1])
    figures["refresh_seconds"] = refresh.seconds
    from madoguchi.assessment.models import FigureTally

    figures["tallies"] = FigureTally.objects.count()
    figures["pages"] = measure_pages(user)
    figures["pdf"] = measure_pdf()
    figures["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return figures


def rows(figures: dict) -> list[tuple[str, ...]]:
    out = [("page", "figures", "median ms", "p95 ms", "SQL ms", "queries", "goal")]
    for label, key in (("counted", "pages_counted"), ("precomputed", "pages")):
        for name, found in figures[key].items():
            out.append((name, label, f"{found['median_ms']}", f"{found['p95_ms']}",
                        f"{found['sql_median_ms']}",
                        ",".join(str(q) for q in found["queries"]),
                        "ok" if found["p95_ms"] <= GOAL_MS else "OVER"))
    return out


def main() -> None:
    from bench.scheduling import _admin, scratch_postgres

    admin = os.environ.get("BENCH_PG_URL", ADMIN_URL_DEFAULT)
    try:
        _admin(admin).close()
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL here
        raise SystemExit(f"the collaboration bench needs PostgreSQL: none at {admin} "
                         f"({type(error).__name__})") from error
    with scratch_postgres(admin, SCRATCH) as scratch:
        figures = run_on(scratch)
        from django.db import connections

        connections.close_all()
    path = write("collaboration", figures, out_dir=OUT)
    print(f"ward dashboard on PostgreSQL over {figures['statistics_events']:,} statistics "
          f"events and {figures['trouble_records']:,} trouble records; {REPEAT} requests "
          f"each; load {figures['load_before']} → {figures['load_after']} on "
          f"{figures['cpus']} CPUs")
    print(table(rows(figures)))
    print(f"the worker's refresh of fiscal year {FISCAL_YEARS[-1]}: "
          f"{figures['refresh_seconds']} s, {figures['tallies']:,} tallies")
    pdf = figures["pdf"]
    if "median_ms" in pdf:
        print(f"assessment PDF with {pdf['charts']} charts: median {pdf['median_ms']} ms "
              f"(charts drawn), {pdf['median_ms_with_stored_charts']} ms (charts stored at "
              f"approval), {pdf['bytes']:,} bytes")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
