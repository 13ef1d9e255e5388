"""District news figures (issue 18), written under the key ``outbox`` of
var/bench/information.json (other keys of that file belong to the signage figures and are
kept): 10,000 LINE messages queued in the outbox, sent by the real task worker (core's
db_worker, batch mode) to the local LINE stand-in (tests/news/line_standin.py) that fails
10% of the requests with 500 and holds 5% of them longer than the client's timeout after
accepting them (the answer is lost; the retry meets LINE's 409). Counted at the stand-in by
retry key: every message delivered exactly once. The stand-in runs in a process of its
own, so that it shares no interpreter lock with the worker it answers. On a scratch SQLite database
(var/bench/news.sqlite3) unless BENCH_DATABASE_URL names another one.

`python -m bench news`.
"""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

MESSAGES = 10_000
FAILURE_RATE = 0.10
DELAY_RATE = 0.05
DELAY_SECONDS = 0.5
TIMEOUT_SECONDS = 0.25


def run() -> dict:
    from django.conf import settings
    from django.core.management import call_command

    from madoguchi.news import services
    from madoguchi.news.models import DeliveryStatus, OutboxMessage
    from tests.news.line_standin import start_process

    process, url = start_process(token="bench-token", failure_rate=FAILURE_RATE,
                                 delay_rate=DELAY_RATE, delay_seconds=DELAY_SECONDS, seed=18)
    settings.NEWS_LINE_API_BASE = url
    settings.NEWS_LINE_CHANNEL_TOKEN = "bench-token"
    settings.NEWS_LINE_TIMEOUT_SECONDS = TIMEOUT_SECONDS
    settings.NEWS_LINE_BACKOFF_SECONDS = 0.05
    settings.NEWS_LINE_MAX_ATTEMPTS = 30
    try:
        started = time.perf_counter()
        services.outbox_enqueue_many(
            ("push", f"U{n:032x}", f"【池尻地区のお知らせ】夏まつり（{n}）")
            for n in range(MESSAGES))
        queued = time.perf_counter()
        rounds = 0
        while OutboxMessage.objects.filter(status=DeliveryStatus.QUEUED).exists():
            rounds += 1
            call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
            if rounds > 10_000:
                raise RuntimeError("the outbox did not drain")
            time.sleep(0.02)
        elapsed = time.perf_counter() - queued
        keys = {str(k) for k in OutboxMessage.objects.values_list("retry_key", flat=True)}
        delivered = OutboxMessage.objects.filter(status=DeliveryStatus.DELIVERED).count()
        attempts = sum(OutboxMessage.objects.values_list("attempts", flat=True))
        with urllib.request.urlopen(f"{url}/_standin/stats", timeout=30) as answer:  # noqa: S310
            stats = json.load(answer)
    finally:
        process.terminate()
    accepted = stats["accepted"]
    once = set(accepted) == keys and set(accepted.values()) == {1}
    return {
        "messages": MESSAGES, "delivered": delivered,
        "delivered_exactly_once": once and stats["sends"] == MESSAGES,
        "distinct_retry_keys_at_standin": len(accepted),
        "sends_at_standin": stats["sends"],
        "requests": stats["requests"], "answered_500": stats["failed"],
        "answered_409_repeated_key": stats["conflicts"], "attempts": attempts,
        "failure_rate": FAILURE_RATE, "delayed_rate": DELAY_RATE,
        "delay_seconds": DELAY_SECONDS, "client_timeout_seconds": TIMEOUT_SECONDS,
        "threads": settings.NEWS_LINE_THREADS,
        "enqueue_seconds": round(queued - started, 3),
        "seconds": round(elapsed, 3),
        "messages_per_second": round(MESSAGES / elapsed, 1),
    }


def write_key(path: Path, key: str, figures: dict) -> Path:
    """Update ``key`` of the JSON file, keeping the other keys (the signage figures)."""
    import platform

    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict = {}
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("benchmark", "information")
    data["machine"] = platform.platform()
    data["python"] = platform.python_version()
    data.setdefault("figures", {})[key] = figures
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def main(*, configure, out, root) -> None:
    url = configure(name="news")
    from django.core.management import call_command

    from bench.harness import table

    call_command("migrate", verbosity=0)
    if "postgres" in url:
        call_command("flush", interactive=False, verbosity=0)
    figures = run()
    figures["database"] = "postgresql" if "postgres" in url else "sqlite"
    path = write_key(out / "information.json", "outbox", figures)
    print(f"LINE outbox benchmark ({MESSAGES:,} messages, {figures['database']}, "
          "task worker → local LINE stand-in)")
    print(table([("figure", "value"),
                 ("delivered", f"{figures['delivered']:,}"),
                 ("exactly once (by retry key)", str(figures["delivered_exactly_once"])),
                 ("answered 500 / 409", f"{figures['answered_500']:,} / "
                                        f"{figures['answered_409_repeated_key']:,}"),
                 ("messages/second", f"{figures['messages_per_second']:,}")]))
    print(f"written to {path.relative_to(root)}")
