"""Refused attempts on records are on the trail, at most once per actor, record and minute
(issue 12, ADR 0022)."""

from __future__ import annotations

import datetime as dt
import uuid
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from madoguchi.accounts.models import Role
from madoguchi.audit.models import Action, AuditEntry
from tests.factories import ResidentFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db


def denied(user):
    return list(AuditEntry.objects.filter(actor=user, action=Action.DENIED).order_by("pk"))


def test_a_refused_record_leaves_one_entry_a_minute(clerk, make_staff):
    resident = ResidentFactory(by=clerk)
    stranger = make_staff(Role.DISTRICT_STAFF, "kitazawa/matsubara/machizukuri-center")
    client = login(Client(), stranger)
    page = f"/residents/{resident.public_id}/"
    assert client.get(page).status_code == 404
    assert client.get(page).status_code == 404
    assert client.get(f"/api/v1/residents/{resident.public_id}").status_code == 404
    [entry] = denied(stranger)
    assert (entry.record_id, entry.source, entry.record_type) == (
        str(resident.public_id), "people:detail", "people")
    assert entry.actor_role == Role.DISTRICT_STAFF and entry.resident_ref == ""
    # Another record is another entry; the same one again a minute later too.
    other = uuid.uuid4()
    assert client.get(f"/residents/{other}/").status_code == 404
    later = timezone.now() + dt.timedelta(seconds=61)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(page).status_code == 404
    assert [e.record_id for e in denied(stranger)] == [
        str(resident.public_id), str(other), str(resident.public_id)]


def test_a_role_without_access_is_recorded_too(clerk, auditor):
    resident = ResidentFactory(by=clerk)
    client = login(Client(), auditor)
    assert client.get(f"/residents/{resident.public_id}/").status_code == 403
    assert [e.record_id for e in denied(auditor)] == [str(resident.public_id)]


def test_no_entry_for_anonymous_visitors_allowed_reads_or_tokens(clerk):
    resident = ResidentFactory(by=clerk)
    assert Client().get(f"/residents/{resident.public_id}/").status_code == 302
    client = login(Client(), clerk)
    assert client.get(f"/residents/{resident.public_id}/").status_code == 200
    # A one-time link's token is a credential: never written anywhere, refused or not.
    assert client.get("/meet/join/not-a-real-token/").status_code in (403, 404, 409, 410)
    assert not AuditEntry.objects.filter(action=Action.DENIED).exists()
