"""Storing checked 安否確認 records with their audit entries, exactly once per device id.

On PostgreSQL one statement does it all (ADR 0065): the records are inserted with
``ON CONFLICT (client_id) DO NOTHING`` (a resend, even one racing its first send in
another request, is skipped by the unique index), and the audit entries are appended for
the rows that statement inserted, in the same statement: one round trip, committed
together or not at all. Elsewhere (SQLite) the same in one transaction through the ORM.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, connection, transaction

from madoguchi.accounts.models import User
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.disaster.models import SafetyRecord

RECORD = "disaster_safety"
SOURCE = "disaster.safety"
# (model field, PostgreSQL type of its array) of the columns that differ per record.
_COLUMNS = (("client_id", "uuid"), ("entry", "bigint"), ("drill_person", "bigint"),
            ("status", "text"), ("shelter", "bigint"), ("note", "text"),
            ("recorded_at", "timestamptz"))


def store_records(*, by: User, records: list[SafetyRecord]) -> set[uuid.UUID]:
    """Store checked records (one campaign, one sender, one receive time) and their audit
    entries; returns the ids stored now (the others had been received before)."""
    if connection.vendor == "postgresql":
        return _store_postgresql(by, records)
    return _store_orm(by, records)


def _column(name: str) -> str:
    return str(getattr(SafetyRecord._meta.get_field(name), "column"))  # noqa: B009


def _store_postgresql(by: User, records: list[SafetyRecord]) -> set[uuid.UUID]:
    opts = SafetyRecord._meta
    first = records[0]
    names = [_column(name) for name, _type in _COLUMNS]
    arrays = ", ".join(f"%s::{kind}[]" for _name, kind in _COLUMNS)
    audit_sql, audit_params = audit.insert_sql(
        actor=by, action=AuditAction.CREATE, record_type=RECORD, source=SOURCE,
        fields=["status"], rows="audited")
    campaign, received, sender = (_column(name) for name in ("campaign", "received_at", "by"))
    # A drill person is nobody: their records are not audited as resident data.
    sql = (
        f"WITH batch ({', '.join(names)}, resident_ref) AS ("  # noqa: S608 (model names)
        f"SELECT * FROM UNNEST({arrays}, %s::text[])), "
        f"new AS (INSERT INTO {opts.db_table} ({', '.join(names)}, {campaign}, {received}, "
        f"{sender}) SELECT {', '.join(names)}, %s, %s, %s FROM batch "
        f"ON CONFLICT ({names[0]}) DO NOTHING "
        f"RETURNING {opts.pk.column}, {names[0]}, {names[1]}), "
        f"audited AS (SELECT new.{opts.pk.column} AS record_id, batch.resident_ref "
        f"FROM new JOIN batch USING ({names[0]}) WHERE new.{names[1]} IS NOT NULL), "
        f"entries AS ({audit_sql}) "
        f"SELECT {names[0]} FROM new")
    attnames = [str(getattr(opts.get_field(name), "attname"))  # noqa: B009
                for name, _type in _COLUMNS]
    params: list[Any] = [[getattr(r, attname) for r in records] for attname in attnames]
    params.append([str(r.entry.resident.public_id) if r.entry is not None else None
                   for r in records])
    params += [first.campaign_id, first.received_at, by.pk, *audit_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def _save(by: User, records: list[SafetyRecord]) -> None:
    with transaction.atomic():
        SafetyRecord.objects.bulk_create(records)
        audit.record_many(actor=by, action=AuditAction.CREATE, record_type=RECORD,
                          records=[(r.pk, r.entry.resident.public_id) for r in records
                                   if r.entry is not None],  # a drill person is nobody
                          source=SOURCE, fields=["status"])


def _store_orm(by: User, records: list[SafetyRecord]) -> set[uuid.UUID]:
    """Skip the ids received before; store the rest together; if another request stored
    one of them meanwhile (a resend racing), one by one: those are resends."""
    known = set(SafetyRecord.objects.filter(client_id__in=[r.client_id for r in records])
                .values_list("client_id", flat=True))
    records = [r for r in records if r.client_id not in known]
    if not records:
        return set()
    try:
        _save(by, records)
    except IntegrityError:
        stored = set()
        for record in records:
            record.pk = None
            try:
                _save(by, [record])
            except IntegrityError:
                continue  # the same id arrived at the same moment: a resend
            stored.add(record.client_id)
        return stored
    return {r.client_id for r in records}
