"""Exactly-once outside effects for tasks that run at least once (ADR 0025).

A task may run again after its worker died (core.worker takes back expired leases). Each
outside effect (a mail) is made inside ``once(key)``: the key's ``EffectDone`` row is
written in the same transaction as the effect and checked first, so a second run finds it
and sends nothing. If the database goes away after the mail server accepted a message but
before the commit, the worker (alive) remembers the effect and records it, without sending,
when the task runs again. Only if the process itself dies in that window does the rerun
send again, with the same Message-ID (``stamp``), which receiving systems use to drop the
copy.

Keys come from the task's own result id (``task_key``), plus what distinguishes several
effects of one task (a participant id); never a name or an address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, InterfaceError, OperationalError, transaction

from madoguchi.core.models import EffectDone


def task_key(context, *parts: object) -> str:
    """The idempotency key of one effect of the running task (``@task(takes_context=True)``)."""
    result = context.task_result
    return ":".join([result.task.name, str(result.id), *map(str, parts)])


class Effect:
    """The effect being made under ``key``; ``record`` runs the database writes that go
    with it, and keeps them to write again if the transaction is lost after the send."""

    def __init__(self, key: str):
        self.key = key
        self.writes: list[Callable[[], object]] = []
        self.made = False

    def make(self, send: Callable[[], object]) -> None:
        """Make the outside effect (send the mail)."""
        send()
        self.made = True

    def record(self, write: Callable[[], object]) -> object:
        self.writes.append(write)
        return write()


# Effects this process made whose transaction was lost to a database outage after the
# send: key -> their writes, recorded (without sending again) when the task runs again.
_unrecorded: dict[str, list[Callable[[], object]]] = {}


@contextmanager
def once(key: str) -> Iterator[Effect | None]:
    """``with once(key) as effect:`` — ``effect`` is None when the effect was already made;
    otherwise make it inside the block, its database writes through ``effect.record``: an
    exception in the block forgets the key."""
    if (writes := _unrecorded.pop(key, None)) is not None:
        with transaction.atomic():
            if not EffectDone.objects.filter(key=key).exists():
                EffectDone.objects.create(key=key)
                for write in writes:
                    write()
        yield None
        return
    effect = None
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    EffectDone.objects.create(key=key)
            except IntegrityError:
                yield None
                return
            effect = Effect(key)
            yield effect
    except (OperationalError, InterfaceError):
        if effect is not None and effect.made:  # sent, but its record was lost
            _unrecorded[key] = effect.writes
        raise


def stamp(message: EmailMessage, key: str) -> EmailMessage:
    """Give the message a Message-ID derived from its key: a resent copy has the same."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    message.extra_headers["Message-ID"] = f"<{digest}@{DNS_NAME}>"
    return message


def done(key: str) -> bool:
    return EffectDone.objects.filter(key=key).exists()
