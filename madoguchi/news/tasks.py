"""The LINE outbox on the task worker (django-tasks; ADR 0044).

``outbox_send`` claims the messages that are due in batches (a claim id and a lease on
``next_attempt_at``, so two workers never take the same row), sends each batch with
``NEWS_LINE_THREADS`` requests at a time and records what became of each: delivered, to be
tried again after a pause that doubles at each try (``NEWS_LINE_BACKOFF_SECONDS``, at most
10 minutes, with jitter), or failed after ``NEWS_LINE_MAX_ATTEMPTS`` tries or a refusal.
Every try of a message carries the same ``X-Line-Retry-Key``: LINE answers a repeated key
with 409 and sends nothing, so a retry never sends twice. When messages wait for a later
try, the task queues its next run (core.schedule) for the earliest of them.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_tasks import task

from madoguchi.core.schedule import queue_unless_waiting
from madoguchi.news import line
from madoguchi.news.models import DeliveryStatus, OutboxMessage

logger = logging.getLogger("madoguchi.news")

BATCH = 200
LONGEST_PAUSE = 600.0


def backoff(attempts: int) -> dt.timedelta:
    """The pause after the ``attempts``-th failed try: doubling, jittered, capped."""
    pause = min(settings.NEWS_LINE_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_PAUSE)
    return dt.timedelta(seconds=pause * random.uniform(0.75, 1.25))  # noqa: S311


def _claim(now: dt.datetime) -> list[OutboxMessage]:
    lease = now + dt.timedelta(seconds=settings.NEWS_LINE_TIMEOUT_SECONDS * 3 + 30)
    token = uuid.uuid4()
    with transaction.atomic():
        due = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
                   .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:BATCH])
        if not due:
            return []
        OutboxMessage.objects.filter(pk__in=due, status=DeliveryStatus.QUEUED,
                                     next_attempt_at__lte=now).update(
            claim=token, next_attempt_at=lease)
    return list(OutboxMessage.objects.filter(claim=token))


def _record(message: OutboxMessage, outcome: line.Outcome) -> str:
    now = timezone.now()
    attempts = message.attempts + 1
    fields: dict[str, object] = {"attempts": attempts, "claim": None}
    if outcome.result == line.DELIVERED:
        fields.update(status=DeliveryStatus.DELIVERED, delivered_at=now,
                      request_id=outcome.request_id[:80], last_error="")
    elif outcome.result == line.RETRY and attempts < settings.NEWS_LINE_MAX_ATTEMPTS:
        fields.update(next_attempt_at=now + backoff(attempts), last_error=outcome.error[:120])
    else:
        fields.update(status=DeliveryStatus.FAILED, last_error=outcome.error[:120])
    OutboxMessage.objects.filter(pk=message.pk, claim=message.claim).update(**fields)
    return {DeliveryStatus.DELIVERED: "delivered", DeliveryStatus.FAILED: "failed"}.get(
        fields.get("status"), "retry")


def send_due(*, threads: int | None = None) -> dict[str, int]:
    """Send every message due now, batch after batch; counts of what became of them."""
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    if not line.configured():
        return counts
    threads = threads or settings.NEWS_LINE_THREADS

    # The threads only talk to LINE; the answers are written here, one transaction a batch.
    with line.Sender(threads) as sender, ThreadPoolExecutor(threads) as pool:
        while batch := _claim(timezone.now()):
            outcomes = pool.map(lambda m: sender.send(
                kind=m.kind, target=m.target, text=m.text, retry_key=str(m.retry_key),
                image_url=m.image_url), batch)
            with transaction.atomic():
                for message, outcome in zip(batch, outcomes, strict=True):
                    counts[_record(message, outcome)] += 1
    return counts


def next_due() -> dt.datetime | None:
    return OutboxMessage.objects.filter(status=DeliveryStatus.QUEUED).aggregate(
        at=Min("next_attempt_at"))["at"]


@task()
def outbox_send() -> str:
    try:
        counts = send_due()
    finally:  # also when this run failed: the rows still waiting get their next run
        upcoming = next_due()
        if upcoming is not None:
            queue_unless_waiting(outbox_send, run_after=max(upcoming, timezone.now()))
    logger.info("LINE outbox: %s delivered, %s to retry, %s failed", counts["delivered"],
                counts["retry"], counts["failed"])
    return f"{counts['delivered']} delivered, {counts['retry']} to retry, {counts['failed']} failed"
