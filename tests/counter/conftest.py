"""The walk-in queue's offices (the ward's defaults) and its staff."""

from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.counter.catalogue import load_defaults
from madoguchi.counter.models import Office

CENTRE_UNIT = "setagaya/ikejiri/machizukuri-center"


@pytest.fixture
def offices(setagaya):
    load_defaults()
    return Office.objects


@pytest.fixture
def ikejiri(offices):
    return Office.objects.get(code="setagaya-ikejiri")


@pytest.fixture
def clerk(make_staff, offices):
    return make_staff(Role.DISTRICT_STAFF, CENTRE_UNIT)


@pytest.fixture
def clerk2(make_staff, offices):
    return make_staff(Role.DISTRICT_STAFF, CENTRE_UNIT)
