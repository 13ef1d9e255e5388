"""Audit entries are only ever added: the model, the queryset and the database refuse
changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from madoguchi.audit import services as audit
from madoguchi.audit.models import AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db


def test_model_refuses_update_and_delete(entry):
    entry.source = "people:search"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).source == "people:detail"


def test_queryset_refuses_bulk_update_and_delete(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(source="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_database_refuses_raw_update(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET source = %s WHERE id = %s",
                       ["forged", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).source == "people:detail"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite allows DELETE so that the test runner can flush tables")
def test_postgres_refuses_raw_delete(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("source", [
    "/residents/?q=山田", "people:search?q=yamada", "山田太郎", "https://x/residents/",
    "people:search&q=1", "",
])
def test_record_refuses_urls_queries_and_names_as_source(clerk, source):
    with pytest.raises(audit.AuditInputError):
        audit.record(actor=clerk, action="view", record_type="resident", record_id=1,
                     source=source)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("fields", [["山田"], ["phone=03-0000-1234"], ["Family Name"]])
def test_record_refuses_values_as_fields(clerk, fields):
    with pytest.raises(audit.AuditInputError):
        audit.record(actor=clerk, action="update", record_type="resident", record_id=1,
                     source="people:edit", fields=fields)


def test_record_many_writes_one_entry_each_in_one_query(clerk, django_assert_max_num_queries):
    records = [(i, f"ref-{i}") for i in range(30)]
    clerk = type(clerk).objects.get(pk=clerk.pk)
    with django_assert_max_num_queries(2):  # memberships (cached after) + one INSERT
        audit.record_many(actor=clerk, action="list", record_type="resident", records=records,
                          source="people:search")
    assert AuditEntry.objects.filter(action="list", actor_role="district_staff").count() == 30
