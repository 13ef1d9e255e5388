"""Fixtures: the ward's catalogue as `make run` loads it, and a ward administrator."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from madoguchi.accounts.models import Role
from tests.browser.conftest import (  # noqa: F401
    asgi_server,
    chromium,
    live_setagaya,
    live_url,
    new_page,
    page,
)
from tests.helpers import login


@pytest.fixture
def catalogue(setagaya):
    """The 12 seeded procedures, version 1 published (the loader `make run` uses)."""
    call_command("load_procedures", verbosity=0)


@pytest.fixture
def admin(make_staff):
    return make_staff(Role.WARD_ADMIN, username="procedures-admin")


@pytest.fixture
def admin_client(admin):
    return login(Client(), admin)


@pytest.fixture
def staff_client(make_staff):
    return login(Client(), make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center"))
