"""Fixtures of the applications tests: the seeded catalogue, a resident of 池尻, centre and
section staff, residents logged in to the portal (e-mail level and strong level)."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.applications.services import Actor
from madoguchi.organisation.models import District
from madoguchi.portal import session as portal_session
from madoguchi.portal.models import Level, Method, PortalIdentity
from madoguchi.procedures.selectors import published_get
from tests.browser.conftest import (  # noqa: F401 (browser fixtures: one Chromium per package)
    asgi_server,
    chromium,
    live_setagaya,
    live_url,
    new_page,
    page,
)
from tests.factories import ResidentFactory
from tests.helpers import login

IKEJIRI = "setagaya/ikejiri/machizukuri-center"
# 池尻 is in the 世田谷 region: its branch sections are "setagaya/<kind>".
KODOMO_SETAGAYA = "setagaya/kodomo-katei"
KAZEI_HEAD = "kazei"

# Small valid files of the types the "application" policy accepts.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5dd8a1a0000000049454e44ae426082")
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def catalogue(setagaya):
    call_command("load_procedures", verbosity=0)


@pytest.fixture
def files_dir(settings, tmp_path):
    settings.FILES_DIR = str(tmp_path / "files")
    return tmp_path / "files"


@pytest.fixture
def centre_staff(make_staff):
    return make_staff(Role.DISTRICT_STAFF, IKEJIRI, username="ikejiri-centre")


@pytest.fixture
def kodomo_staff(make_staff):
    return make_staff(Role.SECTION_STAFF, KODOMO_SETAGAYA, username="kodomo-staff")


@pytest.fixture
def kodomo_manager(make_staff):
    return make_staff(Role.SECTION_MANAGER, KODOMO_SETAGAYA, username="kodomo-manager")


@pytest.fixture
def resident(centre_staff):
    return ResidentFactory(by=centre_staff, family_name="池尻", given_name="花子",
                           family_name_kana="イケジリ", given_name_kana="ハナコ",
                           birth_date="1990-05-01", email="hanako@example.jp")


@pytest.fixture
def ikejiri(setagaya):
    return District.objects.select_related("region").get(code="ikejiri")


@pytest.fixture
def identity(db):
    return PortalIdentity.objects.create(method=Method.EMAIL, level=Level.EMAIL,
                                         email="hanako@example.jp")


@pytest.fixture
def strong_identity(db):
    return PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                         issuer="https://idp.example.jp", subject="sub-1",
                                         display_name="池尻 花子")


def portal_client(identity: PortalIdentity, level: str | None = None) -> Client:
    """A browser (test client) with ``identity`` logged in to the portal at ``level``."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[portal_session.IDENTITY] = identity.pk
    store[portal_session.LEVEL] = str(level or identity.level)
    store[portal_session.SINCE] = timezone.now().isoformat()
    store.set_expiry(portal_session.idle_seconds())
    store.save()
    client = Client()
    client.cookies[portal_session.COOKIE] = store.session_key
    return client


@pytest.fixture
def resident_client(identity):
    return portal_client(identity)


@pytest.fixture
def strong_client(strong_identity):
    return portal_client(strong_identity)


@pytest.fixture
def centre_client(centre_staff):
    return login(Client(), centre_staff)


@pytest.fixture
def kodomo_client(kodomo_staff):
    return login(Client(), kodomo_staff)


def version(code: str):
    return published_get(code)


def staff_actor(user, source: str = "tests") -> Actor:
    return Actor(source=source, user=user)


def resident_actor(identity, source: str = "tests") -> Actor:
    return Actor(source=source, identity=identity)


def kazei_answers() -> dict:
    """Valid raw answers for 課税（非課税）証明書の交付申請 (see its data file)."""
    return KAZEI_ANSWERS.copy()


KAZEI_ANSWERS: dict = {
    "person": {"family": "池尻", "given": "花子", "family_kana": "いけじり",
               "given_kana": "はなこ"},
    "person_birth_date": "平成2年5月1日",
    "current_address": {"postal_code": "154-0001", "address": "世田谷区池尻二丁目1番1号",
                        "building": ""},
    "phone": "03-1234-5678",
    "fiscal_year": "2026",
    "copies": "1",
    "purpose": "nursery",
    "requester": "self",
    "confirm": "on",
}
TODAY = dt.date(2026, 11, 30)
