"""Subscriptions to a district's news by mail: double opt-in (a signed confirmation link),
confirming, one-click unsubscribing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.news.messages import CONFIRM, UNSUBSCRIBE_SALT
from madoguchi.news.models import Subscriber, SubscriberStatus
from madoguchi.news.services._common import _refuse
from madoguchi.notifications.notify import notify
from madoguchi.organisation.models import District

CONFIRM_SALT = "madoguchi.news.confirm"
CONFIRM_RESEND = dt.timedelta(minutes=10)


def _normal_address(email: str) -> str:
    local, _at, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=CONFIRM_SALT)


def subscribe(*, email: str, district: District | None, language: str, origin: str
              ) -> Subscriber:
    """Ask for the district's news by mail (double opt-in): a confirmation mail with a
    signed link. Asking again is harmless: the same subscription, a new confirmation
    mail while it is not confirmed (at most one in ``CONFIRM_RESEND``), nothing when it
    is."""
    address = _normal_address(email)
    with transaction.atomic():
        found = Subscriber.objects.select_for_update().filter(
            email=address, district=district).first()
        if found is None:
            found = Subscriber.objects.create(email=address, district=district,
                                              language=language)
        if found.status == SubscriberStatus.ACTIVE:
            return found
        now = timezone.now()
        if (found.status == SubscriberStatus.PENDING and found.confirm_sent_at
                and now - found.confirm_sent_at < CONFIRM_RESEND):
            return found  # a confirmation mail just left: not another one
        found.status = SubscriberStatus.PENDING
        found.language = language
        found.confirm_sent_at = now
        found.save()
        link = origin.rstrip("/") + reverse("news:confirm",
                                            kwargs={"token": confirm_token(found)})
        notify(CONFIRM, about={"subscriber": found.pk, "days": settings.NEWS_CONFIRM_DAYS},
               secret=link)
    return found


def _subscriber(token: str, *, salt: str, max_age: dt.timedelta | None) -> Subscriber:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise _refuse(_("この確認リンクは有効期限が切れています。"
                        "お手数ですが、もう一度お申し込みください。"), "expired") from None
    except signing.BadSignature:
        raise _refuse(_("リンクが正しくありません。"
                        "メールに書かれたリンクをそのまま開いてください。"), "bad_link") from None
    found = Subscriber.objects.select_for_update().filter(
        pk=value.get("s"), email=value.get("e")).first()
    if found is None:
        raise _refuse(_("この登録は見つかりません。もう一度お申し込みください。"), "gone")
    return found


def confirm(*, token: str) -> Subscriber:
    with transaction.atomic():
        found = _subscriber(token, salt=CONFIRM_SALT,
                            max_age=dt.timedelta(days=settings.NEWS_CONFIRM_DAYS))
        if found.status == SubscriberStatus.ACTIVE:
            return found
        if found.status != SubscriberStatus.PENDING:
            raise _refuse(_("この確認リンクはもう使えません。"
                            "もう一度お申し込みください。"), "stale")
        found.status = SubscriberStatus.ACTIVE
        found.confirmed_at = timezone.now()
        found.save()
    return found


def unsubscribe(*, token: str) -> Subscriber:
    """One click (RFC 8058): the mail's link stops the subscription; again is harmless."""
    with transaction.atomic():
        found = _subscriber(token, salt=UNSUBSCRIBE_SALT, max_age=None)
        if found.status != SubscriberStatus.UNSUBSCRIBED:
            found.status = SubscriberStatus.UNSUBSCRIBED
            found.stopped_at = timezone.now()
            found.save()
    return found
