"""`make run`'s demo applications: real services, idempotent, one of them overdue."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from madoguchi.accounts.models import User
from madoguchi.applications import selectors
from madoguchi.applications.models import Application

pytestmark = pytest.mark.django_db


def test_demo_applications_load_once_and_show_in_the_section(setagaya, files_dir):
    call_command("load_procedures", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("load_demo_applications", verbosity=0)
    call_command("load_demo_applications", verbosity=0)
    applications = Application.objects.all()
    assert applications.count() == 4
    assert {a.section.code for a in applications} == {"setagaya/hoken-fukushi"}
    assert {a.status for a in applications} == {"received", "checking",
                                                 "correction_requested", "accepted"}
    assert all(a.attachments.count() == 2 for a in applications)
    manager = User.objects.get(username="kacho")
    overdue = selectors.overdue(user=manager, today=timezone.localdate(), source="tests").rows
    assert [row.application.status for row in overdue] == ["accepted"]
    assert overdue[0].elapsed > overdue[0].standard == 22
