"""Exactly-once outside effects for tasks that run at least once (ADR 0025).

A task may run again after its worker died (core.worker takes back expired leases). Each
outside effect (a mail) is made inside ``once(key)``: the key's ``EffectDone`` row is
written in the same transaction as the effect and checked first, so a second run finds it
and sends nothing. Should the process die after the mail server accepted a message but
before the transaction committed, the rerun sends it again with the same Message-ID
(``stamp``), which receiving systems use to drop the copy; that window is the length of
one commit.

Keys come from the task's own result id (``task_key``), plus what distinguishes several
effects of one task (a participant id); never a name or an address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, transaction

from madoguchi.core.models import EffectDone


def task_key(context, *parts: object) -> str:
    """The idempotency key of one effect of the running task (``@task(takes_context=True)``)."""
    result = context.task_result
    return ":".join([result.task.name, str(result.id), *map(str, parts)])


@contextmanager
def once(key: str) -> Iterator[bool]:
    """``with once(key) as first:`` — ``first`` is False when the effect was already made;
    otherwise make it inside the block: an exception in the block forgets the key."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                EffectDone.objects.create(key=key)
        except IntegrityError:
            yield False
            return
        yield True


def stamp(message: EmailMessage, key: str) -> EmailMessage:
    """Give the message a Message-ID derived from its key: a resent copy has the same."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    message.extra_headers["Message-ID"] = f"<{digest}@{DNS_NAME}>"
    return message


def done(key: str) -> bool:
    return EffectDone.objects.filter(key=key).exists()
