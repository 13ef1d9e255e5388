"""The LINE outbox (messages sent by the worker after commit, retried with their own key)
and inbox (the webhook's messages, stored once and handed to the registered handlers)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.core.schedule import queue_unless_waiting
from madoguchi.news import inbox, line
from madoguchi.news.models import DeliveryStatus, InboxMessage, LineKind, OutboxMessage, Post
from madoguchi.news.services._common import _refuse


def _kick_outbox() -> None:
    from madoguchi.news.tasks import outbox_send

    queue_unless_waiting(outbox_send, run_after=timezone.now())


def outbox_enqueue(*, kind: str, target: str, text: str, post: Post | None = None,
                   image_url: str = "") -> OutboxMessage:
    """One LINE message (a text, and the image at ``image_url`` after it), sent by the
    worker after commit."""
    message = OutboxMessage.objects.create(kind=kind, target=target, text=text, post=post,
                                           image_url=image_url,
                                           next_attempt_at=timezone.now())
    transaction.on_commit(_kick_outbox)
    return message


def outbox_enqueue_many(rows: Iterable[tuple[str, str, str]]) -> int:
    """Many LINE messages (kind, target, text) at once; the worker is started once."""
    now = timezone.now()
    made = OutboxMessage.objects.bulk_create(
        [OutboxMessage(kind=kind, target=target, text=text, next_attempt_at=now,
                       retry_key=uuid.uuid4()) for kind, target, text in rows],
        batch_size=1000)
    transaction.on_commit(_kick_outbox)
    return len(made)


def outbox_retry(*, message: OutboxMessage, by) -> OutboxMessage:
    """Try a failed message again, with its own retry key (never sent twice)."""
    if message.post is not None and not can(by, Action.NEWS_PUBLISH, message.post):
        raise _refuse(_("このお知らせを承認する権限がありません。"), "forbidden")
    with transaction.atomic():
        found = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if found.status != DeliveryStatus.FAILED or found.last_error == "withdrawn":
            raise _refuse(_("このメッセージは再送できません。"), "state")
        found.status = DeliveryStatus.QUEUED
        found.attempts = 0
        found.next_attempt_at = timezone.now()
        found.save()
        transaction.on_commit(_kick_outbox)
    return found


def inbox_reply(*, message_id: int, text: str) -> OutboxMessage | None:
    """Answer a stored inbox message with a LINE push to its sender, through the outbox
    (sent by the worker after commit, never twice). The sender's LINE user id stays in
    news: a handler names the message, not the person. None when LINE is not configured
    (nothing can be sent) or the message has no sender."""
    if not line.configured():
        return None
    found = InboxMessage.objects.filter(pk=message_id).values_list("line_user", flat=True)
    user = found.first()
    if not user:
        return None
    return outbox_enqueue(kind=LineKind.PUSH, target=user, text=text[:line.TEXT_LIMIT])


def inbox_receive(texts: Iterable[line.IncomingText]) -> list[InboxMessage]:
    """Store the webhook's text messages (each once: LINE may redeliver an event) and
    hand each new one to the registered inbox handlers."""
    stored = []
    with transaction.atomic():
        for text in texts:
            sent_at = dt.datetime.fromtimestamp(text.timestamp_ms / 1000, tz=dt.UTC)
            message, created = InboxMessage.objects.get_or_create(
                event_id=text.event_id,
                defaults={"line_user": text.line_user, "text": text.text, "sent_at": sent_at})
            if not created:
                continue
            message.handled_by = inbox.hand_over(inbox.Incoming(
                message_id=message.pk, line_user=message.line_user, text=message.text,
                sent_at=sent_at))
            if message.handled_by:
                message.save(update_fields=["handled_by"])
            stored.append(message)
    return stored
