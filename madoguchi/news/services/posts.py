"""Posts and their approval: a draft (with its image, checked before anything is written),
asking for approval, returning it, publishing (another staff member than the author: the
daily digest and the LINE message are queued), withdrawing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.files import services as files
from madoguchi.news import line
from madoguchi.news.access import WARD
from madoguchi.news.messages import collect_post
from madoguchi.news.models import DeliveryStatus, LineAudience, LineKind, Post, PostStatus
from madoguchi.news.services._common import _refuse
from madoguchi.news.services.delivery import outbox_enqueue
from madoguchi.organisation.models import District

LINE_SUMMARY = 300  # characters of the body in a LINE message


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
