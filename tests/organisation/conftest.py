"""Clients for the organisation tests: an anonymous API client and logged-in staff."""

from __future__ import annotations

import pytest
from django.test import Client

from madoguchi.accounts.models import Role
from tests.helpers import login


def logged_in(user, *, verified: bool = False) -> Client:
    """A client logged in as ``user``; ``verified`` completes the TOTP step as well."""
    return login(Client(), user, verified=verified)


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
