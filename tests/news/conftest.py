"""Fixtures of the news tests: centre staff of 池尻 (an author and an approver), a section
manager, the LINE stand-in (a local server speaking the Messaging API), and a real SMTP
server (aiosmtpd) that refuses addresses at bounce.example."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller

from madoguchi.accounts.models import Role
from madoguchi.news import services
from madoguchi.organisation.models import District
from tests.news.line_standin import SECRET, LineStandIn
from tests.notifications.conftest import Inbox, free_port, run_worker  # noqa: F401

IKEJIRI = "setagaya/ikejiri/machizukuri-center"
HOKEN = "setagaya/hoken-fukushi"


@pytest.fixture
def ikejiri(setagaya):
    return District.objects.get(region__code="setagaya", code="ikejiri")


@pytest.fixture
def author(make_staff):
    return make_staff(Role.DISTRICT_STAFF, IKEJIRI, "news-author")


@pytest.fixture
def approver(make_staff):
    return make_staff(Role.DISTRICT_STAFF, IKEJIRI, "news-approver")


@pytest.fixture
def line_api(settings):
    standin = LineStandIn(token="test-token").start()
    settings.NEWS_LINE_API_BASE = standin.url
    settings.NEWS_LINE_CHANNEL_TOKEN = "test-token"
    settings.NEWS_LINE_CHANNEL_SECRET = SECRET
    settings.NEWS_LINE_BACKOFF_SECONDS = 0.0
    settings.NEWS_LINE_TIMEOUT_SECONDS = 2.0
    try:
        yield standin
    finally:
        standin.stop()


class BouncingInbox(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.endswith("@bounce.example"):
            return "550 5.1.1 User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that refuses every address at bounce.example."""
    inbox = BouncingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield inbox
    finally:
        controller.stop()


def draft(by, district, **extra):
    data = {"title": "夏まつりのお知らせ", "body": "8月1日に池尻小学校で夏まつりを開きます。",
            "body_easy": "8月1日に おまつりが あります。", "title_en": "Summer festival",
            "body_en": "A summer festival at Ikejiri school on 1 August.", **extra}
    return services.post_save(by=by, data=services.PostInput(**data), district=district,
                              ward_wide=district is None)


def published(author, approver, district, origin="http://testserver/", **extra):
    post = draft(author, district, **extra)
    services.post_submit(post=post, by=author)
    return services.post_publish(post=post, by=approver, origin=origin)
