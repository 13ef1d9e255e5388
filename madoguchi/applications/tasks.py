"""Background tasks of applications (Django Tasks, run by the worker).

``send_notice_link`` mails the resident a link to their decision notice. The task makes the
link's token itself and stores only its digest, so the token is in no table (not the task
queue's either) and in no log: only in the mail. Logs name ids only. The token's digest and
the mail are one effect under the task's idempotency key (core.effects, ADR 0025): a run
that died before its commit left no digest, and a second run of a finished one sends nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.utils import timezone
from django_tasks import task

from madoguchi.applications.mail import compose_notice_mail
from madoguchi.applications.models import Delivery, Notice
from madoguchi.core import effects
from madoguchi.core.tokens import digest
from madoguchi.notifications.tasks import _send  # the notifications' delivery wrapper

logger = logging.getLogger("madoguchi.applications")

TOKEN_BYTES = 32
LINK_DAYS = 14


@task(takes_context=True)
def send_notice_link(context, *, notice_id: int, origin: str) -> str:
    notice = (Notice.objects.select_related("application__version__procedure",
                                            "application__section")
              .filter(pk=notice_id, delivery=Delivery.EMAIL).first())
    if notice is None or not notice.application.contact_email:
        logger.info("notice %s: link not sent (gone or no address)", notice_id)
        return "skipped"
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires = timezone.now() + dt.timedelta(days=LINK_DAYS)
    with effects.once(effects.task_key(context)) as effect:
        if effect is None or not effect.record(
                lambda: Notice.objects.filter(pk=notice_id, link_hash="")
                .update(link_hash=digest(token), link_expires_at=expires)):
            return "skipped: already sent"
        notice.link_expires_at = expires
        message = compose_notice_mail(notice=notice, token=token, origin=origin)
        effects.stamp(message, effect.key)
        effect.make(lambda: _send(message.send, f"notice link {notice_id}"))
        sent_at = timezone.now()
        effect.record(lambda: Notice.objects.filter(pk=notice_id).update(sent_at=sent_at))
    logger.info("notice link %s sent", notice_id)
    return "sent"
