"""Clients for the organisation tests: an anonymous API client and logged-in staff."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from madoguchi.accounts.models import Role


def logged_in(user, *, verified: bool = False) -> Client:
    """A client logged in as ``user``; ``verified`` completes the TOTP step as well."""
    client = Client()
    client.force_login(user)
    if verified:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def admin_client(make_staff):
    """A ward administrator who has passed two-factor authentication."""
    return logged_in(make_staff(Role.WARD_ADMIN, username="org-admin"), verified=True)


@pytest.fixture
def staff_client(make_staff):
    """District centre staff: may browse the organisation, not edit it."""
    return logged_in(make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center"))


@pytest.fixture
def api(setagaya):
    """An anonymous client: the organisation API needs no login."""
    return Client()
