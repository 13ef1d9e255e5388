"""Writes of district news (ADR 0044): posts and their approval, subscriptions, the LINE
outbox and inbox. Each in one transaction; mails and LINE messages leave after commit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.core.schedule import queue_unless_waiting
from madoguchi.core.text import only_digits
from madoguchi.files import services as files
from madoguchi.news import inbox, line
from madoguchi.news.access import WARD
from madoguchi.news.errors import NewsError
from madoguchi.news.messages import CONFIRM, UNSUBSCRIBE_SALT, collect_post
from madoguchi.news.models import (
    DeliveryStatus,
    InboxMessage,
    LineAudience,
    LineAudienceChange,
    LineKind,
    OutboxMessage,
    Post,
    PostStatus,
    Subscriber,
    SubscriberStatus,
)
from madoguchi.notifications.notify import notify
from madoguchi.organisation.models import District

CONFIRM_SALT = "madoguchi.news.confirm"
LINE_SUMMARY = 300  # characters of the body in a LINE message
CONFIRM_RESEND = dt.timedelta(minutes=10)


# ── posts ──────────────────────────────────────────────────────────────────────────────

@dataclass(frozen=True)
class PostInput:
    title: str
    body: str
    title_easy: str = ""
    body_easy: str = ""
    title_en: str = ""
    body_en: str = ""
    image_alt: str = ""
    send_mail: bool = True
    send_line: bool = True


def _refuse(message: str, code: str) -> NewsError:
    return NewsError(message, code=code)


def _check_input(data: PostInput, *, image, keeps_image: bool) -> None:
    if not data.title.strip() or not data.body.strip():
        raise _refuse(_("題名と本文を入力してください。"), "empty")
    if (data.title_en.strip()) != "" and not data.body_en.strip():
        raise _refuse(_("英語の題名を入れたときは、英語の本文も入力してください。"), "english")
    if (image is not None or keeps_image) and not data.image_alt.strip():
        raise _refuse(_("画像の内容を説明する文を入力してください"
                        "（画面を読み上げて使う方のため）。"), "image_alt")


def post_save(*, by, data: PostInput, district: District | None, ward_wide: bool,
              image=None, post: Post | None = None) -> Post:
    """Create a draft (``post`` None) or change a draft. ``image`` is an uploaded file,
    checked (type, size, viruses) before anything is written; raises NewsError or
    files.FileRefused and then keeps nothing."""
    if (district is None) == (not ward_wide):
        raise _refuse(_("お知らせの対象を、地区か区全体のどちらか一つ選んでください。"), "scope")
    target = district if district is not None else WARD
    if not can(by, Action.NEWS_WRITE, target):
        raise _refuse(_("この地区のお知らせを書く権限がありません。"), "forbidden")
    _check_input(data, image=image, keeps_image=bool(post and post.image_id))
    checked = files.file_check(data=image, name=image.name, purpose="news_image") \
        if image is not None else None
    try:
        with transaction.atomic():
            if post is not None:
                post = Post.objects.select_for_update().get(pk=post.pk)
                if post.status != PostStatus.DRAFT:
                    raise _refuse(_("承認を依頼したお知らせは変更できません。"
                                    "差し戻されてから変更してください。"), "not_draft")
                if not can(by, Action.NEWS_WRITE, post):
                    raise _refuse(_("この地区のお知らせを書く権限がありません。"), "forbidden")
            else:
                post = Post(created_by=by)
            for name, value in vars(data).items():
                setattr(post, name, value.strip() if isinstance(value, str) else value)
            post.district = district
            if checked is not None:
                post.image = files.file_store(data=checked, name=checked.name,
                                              purpose="news_image", by=by)
                checked = None
            post.save()
    finally:
        if checked is not None:
            checked.discard()
    return post


def _locked(post: Post, *statuses: str) -> Post:
    found = Post.objects.select_for_update().get(pk=post.pk)
    if found.status not in statuses:
        raise _refuse(_("このお知らせはすでに処理されています。画面を読み込み直してください。"),
                      "state")
    return found


def post_submit(*, post: Post, by) -> Post:
    """The author (or a colleague who may write it) asks for approval."""
    if not can(by, Action.NEWS_WRITE, post):
        raise _refuse(_("この地区のお知らせを書く権限がありません。"), "forbidden")
    with transaction.atomic():
        found = _locked(post, PostStatus.DRAFT)
        found.status = PostStatus.SUBMITTED
        found.submitted_at = timezone.now()
        found.returned_reason = ""
        found.save()
    return found


def post_return(*, post: Post, by, reason: str) -> Post:
    """The approver sends the post back to its author with a reason."""
    if not can(by, Action.NEWS_PUBLISH, post):
        raise _refuse(_("このお知らせを承認する権限がありません。"), "forbidden")
    if not reason.strip():
        raise _refuse(_("差し戻す理由を入力してください。"), "reason")
    with transaction.atomic():
        found = _locked(post, PostStatus.SUBMITTED)
        found.status = PostStatus.DRAFT
        found.returned_reason = reason.strip()[:400]
        found.save()
    return found


def line_text(post: Post, origin: str) -> str:
    where = f"{post.district.name}地区" if post.district is not None else "世田谷区"
    body = post.body if len(post.body) <= LINE_SUMMARY else post.body[:LINE_SUMMARY] + "…"
    link = origin.rstrip("/") + reverse("news:post", kwargs={"post": post.public_id})
    return f"【{where}のお知らせ】{post.title}\n\n{body}\n\n{link}"


def post_publish(*, post: Post, by, origin: str) -> Post:
    """Another staff member than the author approves and publishes (the 4-eyes rule):
    the post appears on the public pages and feeds; the newsletter and the LINE message
    are queued and leave after commit."""
    if not can(by, Action.NEWS_PUBLISH, post):
        raise _refuse(_("このお知らせを承認する権限がありません。"), "forbidden")
    with transaction.atomic():
        found = _locked(post, PostStatus.SUBMITTED)
        if found.created_by_id == by.pk:
            raise _refuse(_("自分で書いたお知らせは公開できません。別の職員が確認して公開します。"),
                          "own_post")
        found.status = PostStatus.PUBLISHED
        found.published_by = by
        found.published_at = timezone.now()
        found.save()
        if found.send_mail:
            collect_post(found, origin)  # in the subscribers' daily digest (ADR 0054)
        if found.send_line and line.configured():
            _queue_line(found, origin)
    return found


def line_image_url(post: Post, origin: str) -> str:
    """The public URL of the post's image for a LINE image message, or "" (no image, or
    an origin that is not https: LINE fetches images over https only)."""
    if post.image_id is None or not origin.startswith("https://"):
        return ""
    return origin.rstrip("/") + reverse("news:image", kwargs={"post": post.public_id})


def _queue_line(post: Post, origin: str) -> None:
    image_url = line_image_url(post, origin)
    if post.district_id is None:
        outbox_enqueue(kind=LineKind.BROADCAST, target="", text=line_text(post, origin),
                       post=post, image_url=image_url)
        return
    audience = LineAudience.objects.filter(district_id=post.district_id).first()
    if audience is not None:
        outbox_enqueue(kind=LineKind.NARROWCAST, target=str(audience.audience_group_id),
                       text=line_text(post, origin), post=post, image_url=image_url)


def post_withdraw(*, post: Post, by) -> Post:
    """Take a published post off the public pages and feeds; its LINE messages not sent
    yet are not sent."""
    if not can(by, Action.NEWS_PUBLISH, post):
        raise _refuse(_("このお知らせを承認する権限がありません。"), "forbidden")
    with transaction.atomic():
        found = _locked(post, PostStatus.PUBLISHED)
        found.status = PostStatus.WITHDRAWN
        found.withdrawn_at = timezone.now()
        found.save()
        found.outbox.filter(status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.FAILED, last_error="withdrawn")
    return found


AUDIENCE_ID_MAX = 2**63 - 1  # LINE's audienceGroupId is a 64-bit number


def audience_id_parse(value: str) -> int | None:
    """The audience id staff typed (full-width digits and spaces allowed); None when
    left empty (narrowcasts stop). Raises NewsError with a message for the staff."""
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        digits = only_digits(raw, separators="- ")
    except ValueError:
        raise _refuse(_("オーディエンスIDは数字だけで入力してください"
                        "（LINE公式アカウントの管理画面に表示される番号です）。"),
                      "audience_digits") from None
    number = int(digits)
    if number <= 0:
        raise _refuse(_("オーディエンスIDに0は使えません。"
                        "LINE公式アカウントの管理画面の番号を入力してください。"), "audience_zero")
    if number > AUDIENCE_ID_MAX:
        raise _refuse(_("オーディエンスIDが長すぎます。"
                        "LINE公式アカウントの管理画面の番号をそのまま入力してください。"),
                      "audience_long")
    return number


def line_audience_set(*, by, district: District, value: str) -> LineAudience | None:
    """Set (or, empty, remove) the LINE audience a district's posts are narrowcast to.
    The district's centre staff or a ward administrator (the publish rule); every change
    is kept in ``LineAudienceChange``. Raises NewsError and then changes nothing."""
    if not can(by, Action.NEWS_PUBLISH, district):
        raise _refuse(_("この地区のLINE配信先を変更する権限がありません。"), "forbidden")
    new_id = audience_id_parse(value)
    with transaction.atomic():
        District.objects.select_for_update().filter(pk=district.pk).first()  # one at a time
        current = LineAudience.objects.filter(district=district).first()
        if new_id is not None:
            other = (LineAudience.objects.filter(audience_group_id=new_id)
                     .exclude(district=district).select_related("district").first())
            if other is not None:
                raise _refuse(_("このオーディエンスIDは%(name)s地区で使われています。"
                                "地区ごとに別のオーディエンスを作って登録してください。")
                              % {"name": other.district.name}, "audience_taken")
        old_id = current.audience_group_id if current is not None else None
        if old_id == new_id:
            return current
        if new_id is None:
            LineAudience.objects.filter(district=district).delete()
            found = None
        elif current is None:
            found = LineAudience.objects.create(district=district, audience_group_id=new_id)
        else:
            current.audience_group_id = new_id
            current.save(update_fields=["audience_group_id"])
            found = current
        LineAudienceChange.objects.create(district=district, old_id=old_id, new_id=new_id,
                                          changed_by=by)
    return found


# ── subscriptions ──────────────────────────────────────────────────────────────────────

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


# ── the LINE outbox and inbox ─────────────────────────────────────────────────────────

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
