"""A world for residents who book themselves: the consultation world (routing table, online
services of the model centres, the 世田谷 branch's staff), 保健福祉課 of 世田谷 taking
self-bookings at the e-mail level, and portal logins made directly in the session store."""

from __future__ import annotations

import datetime as dt
import uuid
from importlib import import_module

import pytest
from django.conf import settings
from django.utils import timezone

from madoguchi.organisation.models import District, Section
from madoguchi.portal import session as portal_session
from madoguchi.portal.models import Level, Method, PortalIdentity
from madoguchi.selfbook import selectors
from madoguchi.selfbook.models import SectionSetting
from tests.consultations.conftest import (  # noqa: F401 (fixtures)
    consultation_setup,
    make_resident,
    staff,
)
from tests.notifications.conftest import smtp  # noqa: F401 (the real SMTP server fixture)

HOKEN = "setagaya/hoken-fukushi"


@pytest.fixture
def ikejiri(setagaya) -> District:
    return District.objects.select_related("region").get(region__code="setagaya",
                                                          code="ikejiri")


@pytest.fixture
def hoken_takes_self_bookings(staff):  # noqa: F811 (the fixture)
    """保健福祉課 (世田谷) takes self-bookings with an e-mail login; its staff exist."""
    return SectionSetting.objects.create(section=Section.objects.get(code=HOKEN), enabled=True,
                                         level=Level.EMAIL)


@pytest.fixture
def offer(ikejiri, hoken_takes_self_bookings):
    found = selectors.offer(district=ikejiri, topic="elderly")
    assert found is not None
    return found


def make_identity(email: str = "hanako@example.jp", *, strong: bool = False) -> PortalIdentity:
    if strong:
        return PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                             issuer="https://idp.example", subject=email,
                                             email=email)
    return PortalIdentity.objects.create(method=Method.EMAIL, level=Level.EMAIL, email=email)


@pytest.fixture
def identity(db) -> PortalIdentity:
    return make_identity()


def portal_session_key(identity: PortalIdentity, level: str = Level.EMAIL) -> str:
    """A portal session with ``identity`` logged in, as the portal's login leaves it; the
    value of the portal cookie."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[portal_session.IDENTITY] = identity.pk
    store[portal_session.LEVEL] = str(level)
    store[portal_session.SINCE] = timezone.now().isoformat()
    store.save()
    return store.session_key


def portal_login(client, identity: PortalIdentity, level: str = Level.EMAIL) -> None:
    """Log ``identity`` in on the test client's browser."""
    client.cookies[portal_session.COOKIE] = portal_session_key(identity, level)


def form_data(start: dt.datetime | str, **overrides) -> dict:
    data = {"start": start if isinstance(start, str) else start.isoformat(),
            "family_name": "世田谷", "given_name": "花子", "family_name_kana": "セタガヤ",
            "given_name_kana": "ハナコ", "birth_date": "1946-05-03",
            "address": "世田谷区池尻二丁目1番（テスト）", "phone": "03-1234-5678",
            "email": "hanako@example.jp", "worry": "介護保険の申請について聞きたい。",
            "consent": True, "place": "home", "idempotency_key": uuid.uuid4().hex}
    data.update(overrides)
    return data
