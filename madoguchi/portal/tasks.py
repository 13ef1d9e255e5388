"""The login-link mail, sent by the task worker (Django Tasks).

The task makes the link's token itself and stores only its hash, so the token exists in
no table (not the task queue's either) and in no log: only in the mail. The hash and the
mail are one effect under the task's idempotency key (core.effects, ADR 0025).
"""

from __future__ import annotations

import logging
import secrets

from django.utils import timezone
from django_tasks import task

from madoguchi.core import effects
from madoguchi.core.tokens import digest
from madoguchi.notifications.tasks import _send  # the notifications' delivery wrapper
from madoguchi.portal.mail import compose_login_mail
from madoguchi.portal.models import EmailLoginLink

logger = logging.getLogger("madoguchi.portal")

TOKEN_BYTES = 32


@task(takes_context=True)
def send_login_link(context, *, link_id: int, origin: str, language: str) -> str:
    link = EmailLoginLink.objects.filter(pk=link_id).first()
    if link is None or link.used_at is not None or timezone.now() >= link.expires_at:
        logger.info("login link %s: not sent (gone, used or expired)", link_id)
        return "skipped"
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with effects.once(effects.task_key(context)) as effect:
        if effect is None or not effect.record(
                lambda: EmailLoginLink.objects.filter(pk=link_id, token_hash="")
                .update(token_hash=digest(token))):
            return "skipped: already sent"
        message = compose_login_mail(link=link, token=token, origin=origin, language=language)
        effect.make(lambda: _send(effects.stamp(message, effect.key).send, f"login link {link_id}"))
        sent_at = timezone.now()
        effect.record(lambda: EmailLoginLink.objects.filter(pk=link_id).update(sent_at=sent_at))
    logger.info("login link %s sent", link_id)
    return "sent"
