"""Posts: written by one staff member, published by another; the public pages, feeds and
the district page show them; bad input is refused and nothing is kept."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.files.models import StoredFile
from madoguchi.news import services
from madoguchi.news.errors import NewsError
from madoguchi.news.models import Post, PostStatus
from tests.helpers import login

from .conftest import HOKEN, draft, published

pytestmark = pytest.mark.django_db


def png(size: int = 0) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 23, 193)).save(buffer, "PNG")
    return buffer.getvalue() + b"\0" * size


def test_the_author_cannot_publish_another_centre_member_does(author, approver, ikejiri,
                                                              client):
    post = draft(author, ikejiri)
    services.post_submit(post=post, by=author)
    with pytest.raises(NewsError) as caught:
        services.post_publish(post=post, by=author, origin="http://testserver/")
    assert caught.value.code == "own_post" and "別の職員" in caught.value.message
    services.post_publish(post=post, by=approver, origin="http://testserver/")
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_by == approver

    page = client.get("/news/d/setagaya/ikejiri/")
    assert "夏まつりのお知らせ" in page.content.decode()
    detail = client.get(f"/news/p/{post.public_id}/").content.decode()
    assert "令和" in detail and "やさしい日本語" in detail and "Summer festival" in detail
    assert "夏まつりのお知らせ" in client.get("/news/").content.decode()


def test_feeds_per_district_and_ward_wide(author, approver, ikejiri, make_staff, client):
    published(author, approver, ikejiri)
    writer = make_staff(Role.SECTION_STAFF, HOKEN, "ward-writer")
    manager = make_staff(Role.SECTION_MANAGER, HOKEN, "ward-manager")
    published(writer, manager, None, title="区役所の年末年始の窓口")
    rss = client.get("/news/d/setagaya/ikejiri/feed/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    text = rss.content.decode()
    assert "夏まつりのお知らせ" in text and "区役所の年末年始の窓口" in text
    atom = client.get("/news/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "夏まつりのお知らせ" in atom.content.decode()
    other = client.get("/news/d/kitazawa/matsubara/feed/rss/").content.decode()
    assert "夏まつりのお知らせ" not in other and "区役所の年末年始の窓口" in other


def test_a_withdrawn_post_leaves_the_pages_and_feeds(author, approver, ikejiri, client):
    post = published(author, approver, ikejiri)
    services.post_withdraw(post=post, by=approver)
    assert client.get(f"/news/p/{post.public_id}/").status_code == 410
    assert "夏まつり" not in client.get("/news/feed/rss/").content.decode()


def test_ward_wide_posts_need_a_section_manager_or_administrator(make_staff, author):
    writer = make_staff(Role.SECTION_STAFF, HOKEN, "ward-writer")
    post = draft(writer, None)
    services.post_submit(post=post, by=writer)
    with pytest.raises(NewsError) as caught:
        services.post_publish(post=post, by=author, origin="http://testserver/")
    assert caught.value.code == "forbidden"
    with pytest.raises(NewsError):
        draft(author, None)  # a centre's staff do not write for the whole ward


def test_the_district_page_shows_the_districts_news(author, approver, ikejiri, client):
    published(author, approver, ikejiri)
    login(client, author)
    page = client.get("/org/districts/setagaya/ikejiri/").content.decode()
    assert "地区のお知らせ" in page and "夏まつりのお知らせ" in page


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": "", "body": ""}, "題名と本文を入力してください。"),
    ({"title": "題", "body": "本文", "scope": ""}, "地区か区全体のどちらか一つ"),
])
def test_empty_or_unscoped_posts_are_refused(author, ikejiri, client, fields, message):
    login(client, author)
    response = client.post("/news/staff/new/", {"scope": str(ikejiri.pk), **fields})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Post.objects.count() == 0


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("poster.gif", b"GIF89a" + b"\0" * 100, "image/gif"),
     "このファイルの種類は受け付けられません"),
    (SimpleUploadedFile("big.png", png(6 * 1024 * 1024), "image/png"), "5MB"),
])
def test_images_of_the_wrong_type_or_size_are_refused(author, ikejiri, client, upload,
                                                      message):
    login(client, author)
    response = client.post("/news/staff/new/", {
        "scope": str(ikejiri.pk), "title": "写真", "body": "本文", "image": upload,
        "image_alt": "ポスター"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Post.objects.count() == 0 and StoredFile.objects.count() == 0


def test_a_post_with_an_image_shows_it_publicly_once_published(author, approver, ikejiri,
                                                               client):
    login(client, author)
    response = client.post("/news/staff/new/", {
        "scope": str(ikejiri.pk), "title": "花壇ができました", "body": "駅前に花壇ができました。",
        "image": SimpleUploadedFile("flowers.png", png(), "image/png"),
        "image_alt": "駅前の花壇の写真", "send_mail": "on"})
    assert response.status_code == 302
    post = Post.objects.get()
    public = Client()
    assert public.get(f"/news/p/{post.public_id}/image").status_code == 404  # a draft
    services.post_submit(post=post, by=author)
    services.post_publish(post=post, by=approver, origin="http://testserver/")
    image = public.get(f"/news/p/{post.public_id}/image")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert 'alt="駅前の花壇の写真"' in public.get(f"/news/p/{post.public_id}/").content.decode()
