"""Pages of district news: the public lists, a post, its image, the feeds and the
newsletter's subscribe / confirm / unsubscribe pages (no account); the LINE webhook; and
the staff pages (write, ask for approval, publish, withdraw, delivery status).

Services judge every write; their Japanese message comes back on the page and nothing is
saved.
"""

from __future__ import annotations

import logging

from django.contrib import messages as flash
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.core.paging import offset_page
from madoguchi.files import services as files
from madoguchi.files.services import FileRefused
from madoguchi.news import images, line, selectors, services
from madoguchi.news.errors import NewsError
from madoguchi.news.forms import WARD, AudienceForm, PostForm, ReasonForm, SubscribeForm
from madoguchi.news.models import OutboxMessage, Post, PostStatus
from madoguchi.organisation.models import District

logger = logging.getLogger("madoguchi.news")
PER_PAGE = 20


def _district(region: str, code: str) -> District:
    return get_object_or_404(District.objects.select_related("region"), region__code=region,
                             code=code)


def _origin(request) -> str:
    return request.build_absolute_uri("/")


# ── public ────────────────────────────────────────────────────────────────────────────

def _list(request, district: District | None):
    page = offset_page(selectors.public_posts(district), request.GET, size=PER_PAGE)
    return render(request, "news/public_list.html", {
        "district": district, "page": page, "posts": page.rows,
        "form": SubscribeForm()})


@require_GET
def index(request):
    return _list(request, None)


@require_GET
def district_list(request, region: str, code: str):
    return _list(request, _district(region, code))


@require_GET
def post_page(request, post):
    found = selectors.public_post(post)
    if found is None:
        raise Http404(_("お知らせが見つかりません。"))
    if found.status == PostStatus.WITHDRAWN:
        return render(request, "news/withdrawn.html", {"post": found}, status=410)
    return render(request, "news/public_post.html", {"post": found})


@require_GET
def image(request, post):
    found = selectors.public_post(post)
    if found is None or found.status != PostStatus.PUBLISHED or found.image is None:
        raise Http404(_("画像が見つかりません。"))
    if request.GET.get("preview"):
        response = HttpResponse(images.preview(found.image), content_type=found.image.content_type)
    else:
        response = FileResponse(files.file_open(stored=found.image),
                                content_type=found.image.content_type)
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class NewsFeed(Feed):
    """RSS 2.0 of the published posts: ward-wide (every district) or one district's
    (with the ward-wide posts)."""

    description = gettext_lazy("世田谷区のまちづくりセンターからのお知らせ")

    def get_object(self, request, region: str | None = None, code: str | None = None):
        return _district(region, code) if region and code else None

    def title(self, district):
        if district is None:
            return _("世田谷区 地区のお知らせ")
        return _("%(name)s地区のお知らせ") % {"name": district.label}

    def link(self, district):
        if district is None:
            return reverse("news:index")
        return reverse("news:district", args=[district.region.code, district.code])

    def items(self, district):
        return selectors.public_posts(district)[:50]

    def item_title(self, item):
        return item.shown_title()

    def item_description(self, item):
        return item.shown_body()

    def item_link(self, item):
        return reverse("news:post", kwargs={"post": item.public_id})

    def item_guid(self, item):
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


def _subscribe_district(request) -> District | None:
    raw = request.POST.get("district", "")
    if raw == WARD or not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(District, pk=int(raw))


@require_POST
def subscribe(request):
    district = _subscribe_district(request)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "news/subscribe_result.html",
                      {"form": form, "district": district}, status=200)
    services.subscribe(email=form.cleaned_data["email"], district=district,
                       language="en" if get_language() == "en" else "ja",
                       origin=_origin(request))
    return render(request, "news/subscribe_result.html", {"sent": True, "district": district})


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET asks to confirm with a button (a mail scanner opening links confirms nothing);
    POST confirms."""
    if request.method == "GET":
        return render(request, "news/confirm.html", {"token": token})
    try:
        subscriber = services.confirm(token=token)
    except NewsError as error:
        return render(request, "news/confirm.html", {"error": error.message}, status=400)
    return render(request, "news/confirm.html", {"done": True, "subscriber": subscriber})


@csrf_exempt  # RFC 8058: the mail program posts "List-Unsubscribe=One-Click", no token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    if request.method == "GET":
        return render(request, "news/unsubscribe.html", {"token": token})
    try:
        services.unsubscribe(token=token)
    except NewsError as error:
        return render(request, "news/unsubscribe.html", {"error": error.message}, status=400)
    return render(request, "news/unsubscribe.html", {"done": True})


@csrf_exempt  # LINE signs its calls (X-Line-Signature); there is no session
@require_POST
def line_webhook(request):
    """A LINE webhook call: refused (403, nothing stored, logged without its content) when
    the signature does not match; else its text messages are stored and handed over."""
    body = request.body.decode("utf-8", errors="replace")
    try:
        texts = line.parse_webhook(body, request.headers.get("X-Line-Signature", ""))
    except line.BadSignature:
        logger.warning("LINE webhook refused: invalid signature (%s bytes)", len(request.body))
        return HttpResponseForbidden(_("署名が正しくありません。"))
    except ValueError:
        logger.warning("LINE webhook refused: unreadable body (%s bytes)", len(request.body))
        return HttpResponse(_("内容を読み取れません。"), status=400)
    services.inbox_receive(texts)
    return HttpResponse("OK")


# ── staff ─────────────────────────────────────────────────────────────────────────────

@policy_required(Action.NEWS_WRITE)
def staff_list(request):
    page = offset_page(selectors.staff_posts(request.user), request.GET, size=PER_PAGE)
    return render(request, "news/staff_list.html", {"page": page, "posts": page.rows})


def _form(request, *, post: Post | None = None):
    districts = list(selectors.writable_districts(request.user))
    ward = selectors.may_write_ward(request.user)
    initial = {}
    if post is not None:
        initial = {name: getattr(post, name) for name in (
            "title", "body", "title_easy", "body_easy", "title_en", "body_en", "image_alt",
            "send_mail", "send_line")}
        initial["scope"] = str(post.district_id) if post.district_id else WARD
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, districts=districts, ward=ward)
    else:
        form = PostForm(districts=districts, ward=ward, initial=initial)
    return form


@policy_required(Action.NEWS_WRITE)
@require_http_methods(["GET", "POST"])
def edit(request, pk: int | None = None):
    post = None
    if pk is not None:
        post = get_object_or_404(Post, pk=pk)
        if not can(request.user, Action.NEWS_WRITE, post):
            raise PermissionDenied
    form = _form(request, post=post)
    if request.method == "POST" and form.is_valid():
        district, ward_wide = form.district()
        data = services.PostInput(**{name: form.cleaned_data[name] for name in (
            "title", "body", "title_easy", "body_easy", "title_en", "body_en", "image_alt",
            "send_mail", "send_line")})
        try:
            saved = services.post_save(by=request.user, data=data, district=district,
                                       ward_wide=ward_wide, image=form.cleaned_data["image"],
                                       post=post)
        except (NewsError, FileRefused) as error:
            form.add_error(None, error.message)
        else:
            flash.success(request, _("お知らせを保存しました。"))
            return redirect("news:staff_post", pk=saved.pk)
    return render(request, "news/edit.html", {"form": form, "post": post},
                  status=400 if request.method == "POST" else 200)


@policy_required(Action.NEWS_WRITE)
def staff_post(request, pk: int):
    post = get_object_or_404(Post.objects.select_related("district", "created_by",
                                                         "published_by", "image"), pk=pk)
    if not (can(request.user, Action.NEWS_WRITE, post)
            or can(request.user, Action.NEWS_PUBLISH, post)):
        raise PermissionDenied
    return render(request, "news/staff_post.html", {
        "post": post, "outbox": list(post.outbox.all()), "reason_form": ReasonForm(),
        "may_publish": can(request.user, Action.NEWS_PUBLISH, post)
        and post.created_by_id != request.user.pk,
        "may_write": can(request.user, Action.NEWS_WRITE, post)})


STEPS = {"submit", "publish", "return", "withdraw"}


@policy_required(Action.NEWS_WRITE)
@require_POST
def step(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404
    post = get_object_or_404(Post, pk=pk)
    try:
        if step == "submit":
            services.post_submit(post=post, by=request.user)
            flash.success(request, _("承認を依頼しました。"))
        elif step == "publish":
            services.post_publish(post=post, by=request.user, origin=_origin(request))
            flash.success(request, _("お知らせを公開しました。メールとLINEの配信を始めます。"))
        elif step == "return":
            services.post_return(post=post, by=request.user,
                                 reason=request.POST.get("reason", ""))
            flash.success(request, _("お知らせを差し戻しました。"))
        else:
            services.post_withdraw(post=post, by=request.user)
            flash.success(request, _("お知らせを取り下げました。"))
    except NewsError as error:
        flash.error(request, error.message)
    return redirect("news:staff_post", pk=post.pk)


@policy_required(Action.NEWS_DELIVERY)
def delivery(request):
    page = offset_page(selectors.outbox(request.user), request.GET, size=PER_PAGE)
    bounced = list(selectors.bounced(request.user)[:100])
    if bounced:
        audit.record_many(actor=request.user, action=AuditAction.LIST,
                          record_type="news_subscriber",
                          records=[(s.pk, "") for s in bounced],
                          source=request.resolver_match.view_name, fields=["email"])
    return render(request, "news/delivery.html", {
        "page": page, "messages_out": page.rows,
        "counts": selectors.outbox_counts(request.user),
        "subscribers": selectors.subscriber_counts(request.user), "bounced": bounced,
        "line_configured": line.configured()})


@policy_required(Action.NEWS_DELIVERY)
@require_POST
def outbox_retry(request, pk: int):
    message = get_object_or_404(OutboxMessage.objects.select_related("post"), pk=pk)
    try:
        services.outbox_retry(message=message, by=request.user)
        flash.success(request, _("もう一度送ります。"))
    except NewsError as error:
        flash.error(request, error.message)
    return redirect("news:delivery")


@policy_required(Action.NEWS_PUBLISH)
def line_audiences(request):
    """The districts whose LINE audience the user may set, with the current ids."""
    return render(request, "news/line_audiences.html", {
        "rows": selectors.audiences(request.user), "line_configured": line.configured()})


@policy_required(Action.NEWS_PUBLISH)
@require_http_methods(["GET", "POST"])
def line_audience(request, district: int):
    found = get_object_or_404(District.objects.select_related("region"), pk=district)
    if not can(request.user, Action.NEWS_PUBLISH, found):
        raise PermissionDenied
    current = dict(selectors.audiences(request.user)).get(found)
    form = AudienceForm(request.POST or None,
                        initial={"audience_group_id": current or ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.line_audience_set(by=request.user, district=found,
                                       value=form.cleaned_data["audience_group_id"])
        except NewsError as error:
            form.add_error("audience_group_id", error.message)
        else:
            flash.success(request, _("%(name)s地区のLINE配信先を保存しました。")
                          % {"name": found.name})
            return redirect("news:line_audiences")
    return render(request, "news/line_audience.html", {
        "district": found, "form": form, "current": current,
        "changes": list(selectors.audience_changes(found)[:50])},
        status=400 if request.method == "POST" else 200)


@policy_required(Action.NEWS_DELIVERY)
def inquiries(request):
    """LINE messages that no context took: inquiries for staff to answer. Their text may
    hold personal data, so the page is recorded in the audit trail."""
    page = offset_page(selectors.inquiries(request.user), request.GET, size=PER_PAGE)
    rows = list(page.rows)
    if rows:
        audit.record_many(actor=request.user, action=AuditAction.LIST,
                          record_type="news_inbox_message", records=[(m.pk, "") for m in rows],
                          source=request.resolver_match.view_name, fields=["text"])
    return render(request, "news/inquiries.html", {
        "page": page, "rows": rows, "may_read": selectors.may_read_inbox(request.user)})
