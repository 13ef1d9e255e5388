"""The staff pages of the scale bench, timed through Django's test client, and their
table."""

from __future__ import annotations

import time
from dataclasses import dataclass

REPEAT = 20
GOAL_MS, SEARCH_GOAL_MS = 300.0, 100.0


@dataclass(frozen=True)
class Page:
    label: str
    username: str
    path: str
    data: dict | None = None  # POSTed when given (the resident search posts its query)
    search: bool = False  # held to the search goal


def pages() -> list[Page]:
    """The pages of issue 22's table, then the other staff lists."""
    search = [("ヤマダ", "kana"), ("山田", "kanji"), ("マダタロ", "partial kana"),
              ("田太", "partial kanji"), ("昭和23年4月12日", "birth date"),
              ("やまだ 1948-04-12", "kana + birth date")]
    rows = [Page(f"/residents/ 「{q}」 ({kind}), district clerk", "ikejiri", "/residents/",
                 {"q": q}, search=True) for q, kind in search]
    rows += [Page(f"/residents/ 「{q}」 ({kind}), section staff", "hokenfukushi",
                  "/residents/", {"q": q}, search=True) for q, kind in search[:2]]
    rows += [
        Page("/review/ section staff", "hokenfukushi", "/review/"),
        Page("/review/?page=3 section staff", "hokenfukushi", "/review/?page=3"),
        Page("/review/overdue/ manager", "kacho", "/review/overdue/"),
        Page("/review/?tab=done", "hokenfukushi", "/review/?tab=done"),
        Page("/review/print-queue/", "hokenfukushi", "/review/print-queue/"),
        Page("/audit/ first page", "kansa", "/audit/"),
        Page("/audit/ 1000 pages in", "kansa", "/audit/?after={deep}"),
        Page("/audit/?actor=…&action=view", "kansa", "/audit/?actor=ikejiri&action=view"),
        Page("/audit/?record_type=consultation", "kansa", "/audit/?record_type=consultation"),
        Page("/consultations/ clerk", "ikejiri", "/consultations/"),
        Page("/consultations/ section staff", "hokenfukushi", "/consultations/"),
        Page("/consultations/ manager", "kacho", "/consultations/"),
        Page("/consultations/?closed=1 manager", "kacho", "/consultations/?closed=1"),
        Page("/consultations/ partner", "anshin", "/consultations/"),
        Page("/api/v1/consultations manager", "kacho", "/api/v1/consultations"),
        Page("/ home, clerk", "ikejiri", "/accounts/home/"),
        Page("/ home, section staff", "hokenfukushi", "/accounts/home/"),
        Page("/schedule/agenda/ clerk", "ikejiri", "/schedule/agenda/"),
        Page("/api/v1/agenda section staff", "hokenfukushi", "/api/v1/agenda"),
        Page("/org/ overview", "ikejiri", "/org/"),
        Page("/org/sections/", "ikejiri", "/org/sections/"),
        Page("/org/calendar/", "ikejiri", "/org/calendar/"),
        Page("/assist/ clerk", "ikejiri", "/assist/"),
        Page("/assist/ section staff", "hokenfukushi", "/assist/"),
        Page("/review/export/", "hokenfukushi", "/review/export/"),
        Page("/meet/kiosks/ clerk", "ikejiri", "/meet/kiosks/"),
        Page("/guidance/entries/", "ikejiri", "/guidance/entries/"),
        Page("/guidance/learning/", "ikejiri", "/guidance/learning/"),
    ]
    return rows


def _deep_cursor() -> str:
    from madoguchi.audit.models import AuditEntry
    from madoguchi.audit.selectors import cursor_of

    total = AuditEntry.objects.count()
    entry = AuditEntry.objects.order_by("-at", "-id")[min(50_000, total - 1)]
    return cursor_of(entry)


def measure(page: Page, client, repeat: int = REPEAT) -> dict:
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request():
        if page.data is not None:
            return client.post(page.path, page.data)
        return client.get(page.path)

    response = request()
    if response.status_code != 200:
        return {"status": response.status_code}
    samples, queries = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            request()
            samples.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured.captured_queries))
    samples.sort()
    return {"status": 200, "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 1),
            "queries": max(queries), "queries_min": min(queries)}


def measure_all() -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    deep = _deep_cursor()
    clients: dict[str, Client] = {}
    results = []
    for page in pages():
        client = clients.get(page.username)
        if client is None:
            client = clients[page.username] = Client(HTTP_HOST="localhost")
            client.force_login(get_user_model().objects.get(username=page.username))
        page = Page(page.label, page.username, page.path.format(deep=deep), page.data,
                    page.search)
        results.append({"page": page.label, "user": page.username, "search": page.search,
                        **measure(page, client)})
    return results


def verdict(result: dict) -> str:
    if result.get("status") != 200:
        return f"HTTP {result.get('status')}"
    goal = SEARCH_GOAL_MS if result["search"] else GOAL_MS
    return "ok" if result["p95_ms"] <= goal else f"over {goal:.0f} ms"


def rows(figures: dict) -> list[tuple[str, ...]]:
    out = [("page (as)", "demo med/p95 ms", "q", "at size med/p95 ms", "q", "goal")]
    demo = {r["page"]: r for r in figures["demo"]["pages"]}
    for result in figures["at_size"]["pages"]:
        before = demo.get(result["page"], {})

        def cell(r):
            return (f"{r['median_ms']:.0f} / {r['p95_ms']:.0f}" if r.get("status") == 200
                    else f"HTTP {r.get('status')}")

        out.append((f"{result['page']} ({result['user']})", cell(before),
                    str(before.get("queries", "")), cell(result),
                    str(result.get("queries", "")), verdict(result)))
    return out
