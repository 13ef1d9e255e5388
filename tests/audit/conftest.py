from __future__ import annotations

import pytest

from madoguchi.accounts.models import Role
from madoguchi.audit import services as audit


@pytest.fixture
def auditor(make_staff):
    return make_staff(Role.AUDITOR, None, "kansa-test")


@pytest.fixture
def clerk(make_staff):
    return make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center", "clerk-1")


@pytest.fixture
def entry(clerk):
    return audit.record(actor=clerk, action="view", record_type="resident", record_id=1,
                        resident_ref="8f0e5dcb-e699-4898-9c00-a45d51276ecb",
                        source="people:detail")
