"""The news mails (ADR 0030): the subscription's confirmation (double opt-in, its signed
link travels as the notifier's sealed secret) and the newsletter: a published post is a
notice in the daily digest (ADR 0054) of every active subscriber of the post's district
(and the ward-wide subscribers for a ward-wide post), with the subscription's own
unsubscribe link. An address the mail server refuses is recorded as a bounce and the
subscriber suspended. ``news_letter`` (one mail per post) stays registered for the letters
queued before the digest."""

from __future__ import annotations

from collections.abc import Iterator

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from madoguchi.news.models import Post, PostStatus, Subscriber, SubscriberStatus
from madoguchi.news.selectors import active_subscribers
from madoguchi.notifications import digest
from madoguchi.notifications.notify import (
    DIGEST,
    OWN,
    About,
    Letter,
    Recipient,
    Skip,
    register,
)

CONFIRM = "news_confirm"
LETTER = "news_letter"
POST = "news_post"
UNSUBSCRIBE_SALT = "madoguchi.news.unsubscribe"


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=UNSUBSCRIBE_SALT,
                         compress=True)


def unsubscribe_url(origin: str, subscriber: Subscriber) -> str:
    return origin.rstrip("/") + reverse("news:unsubscribe",
                                        kwargs={"token": unsubscribe_token(subscriber)})


def _confirm_letters(about: About, secret: str | None) -> Iterator[Letter]:
    subscriber = Subscriber.objects.select_related("district").filter(
        pk=int(about["subscriber"])).first()
    if subscriber is None or subscriber.status == SubscriberStatus.ACTIVE:
        raise Skip("gone or confirmed")
    if not secret:
        raise Skip("no link")
    yield Letter(recipient=Recipient(address=subscriber.email, language=subscriber.language),
                 context={"district": subscriber.district, "confirm_url": secret,
                          "days": about.get("days", 3)},
                 part=subscriber.pk)


def _bounce(subscriber_id: int, post_id: int):
    def write() -> int:
        return Subscriber.objects.filter(pk=subscriber_id).update(
            status=SubscriberStatus.BOUNCED, bounced_at=timezone.now(), bounce_post_id=post_id)
    return write


def recipients(post: Post):
    return active_subscribers(post.district_id)


def _newsletter_letters(about: About, secret: str | None) -> Iterator[Letter]:
    post = Post.objects.select_related("district").filter(pk=int(about["post"])).first()
    if post is None or post.status != PostStatus.PUBLISHED:
        raise Skip("not published")
    origin = str(about["origin"])
    link = origin.rstrip("/") + reverse("news:post", kwargs={"post": post.public_id})
    for subscriber in recipients(post):
        url = unsubscribe_url(origin, subscriber)
        yield Letter(recipient=Recipient(address=subscriber.email,
                                         language=subscriber.language),
                     context={"post": post, "link": link, "unsubscribe_url": url,
                              "district": post.district},
                     part=subscriber.pk,
                     headers=(("List-Unsubscribe", f"<{url}>"),
                              ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")),
                     refused=_bounce(subscriber.pk, post.pk))


def collect_post(post: Post, origin: str) -> int:
    """The post into the next digest of each of its subscribers (in the publish's
    transaction)."""
    return digest.collect_many(POST, (
        (subscriber.email, {"post": post.pk, "subscriber": subscriber.pk, "origin": origin},
         subscriber.language) for subscriber in recipients(post).iterator(chunk_size=500)))


def _post_line(about: About) -> str:
    post = Post.objects.select_related("district").filter(pk=int(about["post"])).first()
    subscriber = Subscriber.objects.filter(pk=int(about["subscriber"]),
                                           status=SubscriberStatus.ACTIVE).first()
    if post is None or post.status != PostStatus.PUBLISHED or subscriber is None:
        raise Skip("not published or not subscribed")
    origin = str(about["origin"])
    link = origin.rstrip("/") + reverse("news:post", kwargs={"post": post.public_id})
    return digest.line("notifications/news_letter/digest.txt", {
        "post": post, "district": post.district, "link": link,
        "english": subscriber.language == "en",
        "unsubscribe_url": unsubscribe_url(origin, subscriber)})


def _post_refused(about: About) -> int:
    return _bounce(int(about["subscriber"]), int(about["post"]))()


def register_kinds() -> None:
    register(CONFIRM, _confirm_letters, unsubscribe=DIGEST)
    register(LETTER, _newsletter_letters, unsubscribe=OWN)  # the subscription's own link
    digest.register_item(POST, _post_line, refused=_post_refused)
