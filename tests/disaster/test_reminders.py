"""The yearly review reminder reaches the district centre by real SMTP, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.disaster.services import plan_save, registry_register
from tests.factories import ResidentFactory
from tests.notifications.conftest import run_worker, smtp  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_plans_due_within_30_days_are_reminded_once_without_personal_data(make_staff, smtp):  # noqa: F811
    centre = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center",
                        "ikejiri-centre")
    centre.email = "ikejiri-centre@city.setagaya.example"
    centre.save()
    today = timezone.localdate()
    for n, days in enumerate((20, 200)):
        resident = ResidentFactory(by=centre, phone="03-1234-5678")
        entry = registry_register(by=centre, resident=resident, sex="female",
                                  reasons=["elderly_alone"], source="test")
        plan_save(by=centre, entry=entry, destination="home", means="walk",
                  review_due=today + dt.timedelta(days=days), source="test",
                  supporters=[{"name": f"支援 {n}", "phone": "03-0000-0009"}])
    call_command("remind_plan_reviews", verbosity=0)
    run_worker()
    mails = smtp.to("ikejiri-centre@city.setagaya.example")
    assert len(mails) == 1
    assert "個別避難計画の見直し時期です（1件）" in str(mails[0]["Subject"])
    body = mails[0].get_content()
    assert "/disaster/staff/registry/" in body and "世田" not in body  # no resident's name
    call_command("remind_plan_reviews", verbosity=0)
    run_worker()
    assert len(smtp.to("ikejiri-centre@city.setagaya.example")) == 1
