"""The one delivery task of the notifier (Django Tasks API, database backend; ADR 0030).

It runs in the worker, never in the request: it asks the message kind's owner for the
letters (composed from what is stored now), renders them and sends each through the
kind's channel inside ``effects.once``, under a key made of the task's id (and the
letter's part), so a second run of the task sends nothing already sent (ADR 0025). Logs
name the kind and ids only, never a person or an address.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import translation
from django_tasks import task

from madoguchi.core import effects
from madoguchi.core.schedule import next_daily, queue_unless_waiting
from madoguchi.notifications.links import unseal
from madoguchi.notifications.notify import DeliveryFailed, Skip, kind_named, send_once

logger = logging.getLogger("madoguchi.notifications")


@task(takes_context=True)
def deliver(context, *, kind: str, about: dict, sealed: str | None = None) -> str:
    """Send the letters of one notification: ``sent`` (one letter), ``sent N`` (several)
    or ``skipped: <reason>``."""
    message_kind = kind_named(kind)
    what = f"{kind} {sorted(about.items())}"
    secret = None
    if sealed is not None:
        secret = unseal(sealed)
        if secret is None:
            logger.warning("%s: skipped, the sealed secret cannot be opened", what)
            return "skipped: unreadable"
    try:
        with translation.override("ja"):
            letters = list(message_kind.letters(about, secret))
    except Skip as skip:
        logger.info("%s: skipped (%s)", what, skip.reason)
        return f"skipped: {skip.reason}"
    if not letters:
        return "skipped: no address"
    sent = 0
    failed: list[DeliveryFailed] = []
    for letter in letters:  # one recipient's failure does not hold back the others
        parts = [letter.part] if letter.part != "" else []
        try:
            sent += send_once(message_kind, letter, effects.task_key(context, *parts),
                              f"{what} {letter.part}".rstrip())
        except DeliveryFailed as error:
            failed.append(error)
    if failed:
        raise DeliveryFailed(f"{len(failed)} of {len(letters)} letters failed: "
                             f"{failed[0]}") from failed[0]
    logger.info("%s: %s of %s letters sent", what, sent, len(letters))
    if sent == 0:
        return "skipped: already sent"
    return "sent" if len(letters) == 1 else f"sent {sent}"


@task()
def send_digests(chain: bool = True) -> str:
    """The daily digest (ADR 0054): today's digest of every address with waiting notices,
    queued once per address and day; then the next day's run is queued."""
    from madoguchi.notifications import digest

    try:
        return f"queued {digest.send_due()} forgot {digest.forget_idle()}"
    finally:
        if chain:
            schedule_digests()


def schedule_digests(*, now: dt.datetime | None = None) -> bool:
    at = dt.time.fromisoformat(settings.NOTIFICATIONS_DIGEST_AT)
    return queue_unless_waiting(send_digests, run_after=next_daily(at, now), chain=True)
