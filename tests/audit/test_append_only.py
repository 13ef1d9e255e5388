"""Audit entries and the guidance entries' status history are only ever added: the model,
the queryset and the database refuse changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from madoguchi.audit import services as audit
from madoguchi.audit.models import AppendOnlyError, AuditEntry
from madoguchi.guidance import services as guidance
from madoguchi.guidance.models import Entry, EntryStatusChange
from madoguchi.organisation.models import SectionKind, Tier

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


@pytest.fixture
def status_change(db):
    kind = SectionKind.objects.create(code="append-test", name="試験課", tier=Tier.HEAD)
    entry = guidance.entry_create(section_kind=kind, question="質問", answer="回答", by=None)
    return EntryStatusChange.objects.get(entry=entry)


def test_guidance_history_refuses_update_and_delete(status_change):
    status_change.note = "書き換え"
    with pytest.raises(AppendOnlyError):
        status_change.save()
    with pytest.raises(AppendOnlyError):
        status_change.delete()
    with pytest.raises(AppendOnlyError):
        EntryStatusChange.objects.filter(pk=status_change.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        EntryStatusChange.objects.all().delete()
    assert EntryStatusChange.objects.get(pk=status_change.pk).note == ""


def test_an_entry_with_a_history_cannot_be_deleted(status_change):
    with pytest.raises(ProtectedError):
        Entry.objects.filter(pk=status_change.entry_id).delete()
    assert EntryStatusChange.objects.filter(pk=status_change.pk).exists()


# The database's own triggers, table by table: (table, column changed, fixture, model).
TABLES = [("audit_auditentry", "source", "entry", AuditEntry),
          ("guidance_entrystatuschange", "note", "status_change", EntryStatusChange)]


@pytest.mark.parametrize(("table", "column", "fixture", "model"), TABLES)
def test_database_refuses_raw_update(request, table, column, fixture, model):
    row = request.getfixturevalue(fixture)
    before = getattr(row, column)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s",
                       ["forged", row.pk])
    assert getattr(model.objects.get(pk=row.pk), column) == before


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite allows DELETE so that the test runner can flush tables")
@pytest.mark.parametrize(("table", "column", "fixture", "model"), TABLES)
def test_postgres_refuses_raw_delete(request, table, column, fixture, model):
    row = request.getfixturevalue(fixture)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])
    assert model.objects.filter(pk=row.pk).exists()


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
