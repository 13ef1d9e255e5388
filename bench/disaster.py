"""Disaster figures (issue 19), written to var/bench/disaster.json: the public open-shelters
page and its JSON feed with the ward's size of open shelters (130: three labelled demo
shelters per district and extra ones, all open with reports), requested through Django's
test client in one process (no network), on a scratch SQLite database
(var/bench/disaster.sqlite3) unless BENCH_DATABASE_URL names another one.

`python -m bench disaster`. Also the safety-confirmation ingest through HTTP on a scratch
PostgreSQL database (`bench/disaster_ingest.py`: 200 phones, 10,000 status updates in a
minute, 20% replaying their batches twice; skipped without PostgreSQL). The offline
figure (50 statuses recorded offline arrive exactly once) is the browser test
`tests/browser/test_safety_phone.py`.
"""

from __future__ import annotations

import gzip

SHELTERS = 130
REPEAT = 200


def prepare() -> None:
    from madoguchi.accounts.models import Role
    from madoguchi.accounts.services import staff_upsert
    from madoguchi.disaster.demo import SOURCE, load_demo_shelters
    from madoguchi.disaster.models import Shelter
    from madoguchi.disaster.services import shelter_report, shelter_set_status
    from madoguchi.organisation.models import District

    admin = staff_upsert(username="bench-shelters", display_name="bench",
                         password="bench-Passw0rd!", role=Role.WARD_ADMIN, unit=None)
    shelters = load_demo_shelters()
    district = District.objects.order_by("pk").first()
    for n in range(SHELTERS - len(shelters)):
        shelters.append(Shelter.objects.create(
            code=f"bench-extra-{n}", name=f"デモ追加避難所{n}（中学校）",
            address="（デモ：実在しない住所）", district=district, capacity=500,
            source=SOURCE))
    for n, shelter in enumerate(shelters):
        for status in ("opening", "open"):
            shelter = shelter_set_status(by=admin, shelter=shelter, status=status)
        shelter_report(by=admin, shelter=shelter, counts={"general": str(50 + n),
                                                          "elderly": "12"},
                       needs=["water", "blankets"])


def run() -> dict:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from bench.harness import measure

    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"
    client = Client(HTTP_HOST="localhost" if host in ("*", ".localhost") else host)
    figures: dict = {"open_shelters": SHELTERS, "requests": REPEAT}
    for name, url in (("page", reverse("disaster:open_shelters")),
                      ("json", reverse("disaster:open_shelters_json"))):
        first = client.get(url)
        if first.status_code != 200:
            raise RuntimeError(f"{url}: {first.status_code}")
        body = first.content
        result = measure(lambda url=url: client.get(url), repeat=REPEAT)
        figures[name] = {**result, "bytes": len(body), "gzip_bytes": len(gzip.compress(body))}
    return figures


def rows(figures: dict) -> list[tuple[str, ...]]:
    out = [("figure", "median ms", "p95 ms", "bytes", "gzip bytes")]
    for name in ("page", "json"):
        f = figures[name]
        out.append((f"open shelters {name}", f"{f['median_ms']:.2f}", f"{f['p95_ms']:.2f}",
                    f"{f['bytes']:,}", f"{f['gzip_bytes']:,}"))
    ingest = figures.get("ingest", {})
    if "skipped" in ingest:
        out.append(("safety ingest", "skipped", ingest["skipped"], "", ""))
    elif ingest:
        out.append((f"safety ingest: {ingest['updates']:,} updates, {ingest['phones']} phones",
                    f"{ingest['p50_ms']:.0f}", f"{ingest['p95_ms']:.0f}",
                    f"lost {ingest['lost']}, duplicated {ingest['duplicated']}",
                    f"{ingest['updates_per_minute']:,}/min, "
                    f"{ingest.get('server_processes', 1)} process(es)"))
    return out


def main(*, configure, out, root) -> None:
    """Run on the database ``configure`` (bench.__main__'s) points at; write under ``out``."""
    url = configure(name="disaster")
    from django.core.management import call_command

    from bench.harness import table, write

    call_command("migrate", verbosity=0)
    if "postgres" in url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("load_setagaya", verbosity=0)
    prepare()
    figures = run()
    figures["database"] = "postgresql" if "postgres" in url else "sqlite"
    from bench import disaster_ingest

    figures["ingest"] = disaster_ingest.run()
    path = write("disaster", figures, out_dir=out)
    print(f"disaster benchmark ({SHELTERS} open shelters, {figures['database']}, "
          "in-process client)")
    print(table(rows(figures)))
    print(f"written to {path.relative_to(root)}")
