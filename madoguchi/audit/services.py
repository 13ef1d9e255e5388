"""The one way to write the audit trail: ``record(...)`` and ``record_many(...)``.

Call them inside the transaction of the write they describe, so that a rolled-back write
leaves no entry and a committed one always has its entry. ``source`` names the page or API
route (``people:detail``, ``api:residents.search``), never a raw URL, a query string or
anybody's name; ``fields`` lists field *names*, never values. Both are checked here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable, Sequence

from django.utils import timezone

from madoguchi.accounts.policy import primary_membership
from madoguchi.audit.models import Action, AuditEntry

# A URL name or route label (``people:detail``, ``api:residents.search``,
# ``command:load_demo``): ASCII letters, digits, "_", ".", ":" and "-". Rejects paths
# ("/"), query strings ("?", "=", "&", "%") and every non-ASCII character (names).
_SOURCE = re.compile(r"^[A-Za-z0-9_.:\-]{1,120}$")
_FIELD = re.compile(r"^[a-z][a-z0-9_]{0,60}$")


class AuditInputError(ValueError):
    """A programming error: the entry would carry something the trail must not hold."""


def _check(source: str, fields: Sequence[str]) -> list[str]:
    if not _SOURCE.match(source or ""):
        raise AuditInputError(f"audit source must be a route name, got {source!r}")
    names = list(fields)
    for name in names:
        if not _FIELD.match(name):
            raise AuditInputError(f"audit fields must be field names, got {name!r}")
    return names


def _role(actor) -> str:
    if actor is None:
        return ""
    membership = primary_membership(actor)
    return membership.role if membership else ""


def _who(actor, portal_ref: str) -> None:
    if (actor is None) == (not portal_ref):
        raise AuditInputError("an audit entry names a staff actor or a portal_ref, not both")


def record(*, actor, action: Action | str, record_type: str,
           record_id: str | int | uuid.UUID,
           source: str, resident_ref: str = "", fields: Sequence[str] = (),
           portal_ref: str = "") -> AuditEntry:
    """Append one entry. ``actor`` is the staff member; for a resident acting in the portal
    pass ``actor=None`` and ``portal_ref`` (the public id of their portal identity)."""
    names = _check(source, fields)
    _who(actor, str(portal_ref or ""))
    return AuditEntry.objects.create(
        actor=actor, portal_ref=str(portal_ref or ""), actor_role=_role(actor),
        action=str(action), record_type=record_type,
        record_id=str(record_id), resident_ref=str(resident_ref or ""), source=source,
        fields=names,
    )


def record_many(*, actor, action: Action | str, record_type: str,
                records: Iterable[tuple[str | int | uuid.UUID, str | uuid.UUID]], source: str,
                fields: Sequence[str] = (), portal_ref: str = "") -> list[AuditEntry]:
    """Append one entry per ``(record_id, resident_ref)`` in one INSERT."""
    names = _check(source, fields)
    portal_ref = str(portal_ref or "")
    _who(actor, portal_ref)
    role = _role(actor)
    entries = [
        AuditEntry(actor=actor, portal_ref=portal_ref, actor_role=role, action=str(action),
                   record_type=record_type,
                   record_id=str(record_id), resident_ref=str(resident_ref or ""),
                   source=source, fields=list(names))
        for record_id, resident_ref in records
    ]
    if entries:
        AuditEntry.objects.bulk_create(entries)
    return entries


def insert_sql(*, actor, action: Action | str, record_type: str, source: str, rows: str,
               fields: Sequence[str] = ()) -> tuple[str, list[object]]:
    """PostgreSQL: an INSERT (SQL and parameters) appending one entry per row of ``rows``, the
    name of a query in the same WITH statement with the columns ``record_id`` and
    ``resident_ref``. For a data-modifying WITH whose write and entries commit together in
    one statement (one round trip, no transaction block: ADR 0065); ``record_many`` otherwise.
    """
    names = _check(source, fields)
    _who(actor, "")
    if not re.fullmatch(r"[a-z_]{1,30}", rows):
        raise AuditInputError(f"rows must name a query of the statement, got {rows!r}")
    opts = AuditEntry._meta
    columns = ", ".join(str(getattr(opts.get_field(name), "column")) for name in (  # noqa: B009
        "at", "actor", "portal_ref", "actor_role", "action", "record_type", "source", "fields",
        "record_id", "resident_ref"))
    sql = (f"INSERT INTO {opts.db_table} ({columns}) "  # noqa: S608 (names from the model)
           f"SELECT %s, %s, '', %s, %s, %s, %s, %s::jsonb, "
           f"{rows}.record_id::text, {rows}.resident_ref::text FROM {rows}")
    return sql, [timezone.now(), actor.pk, _role(actor), str(action), record_type, source,
                 json.dumps(names)]


# A refused attempt is recorded at most once per actor, record and this window, so that an
# auditor sees probing without the trail being flooded by it (ADR 0022).
DENIED_WINDOW = dt.timedelta(minutes=1)


def record_denied(*, actor, record_type: str, record_id: str, source: str) -> AuditEntry | None:
    """Record that ``actor`` was refused ``record_id`` (403 or 404), unless the same actor
    was refused the same record within ``DENIED_WINDOW``; returns the entry written."""
    _check(source, ())
    record_id = str(record_id)[:64]
    recent = AuditEntry.objects.filter(
        actor=actor, action=Action.DENIED, record_id=record_id,
        at__gte=timezone.now() - DENIED_WINDOW)
    if recent.exists():
        return None
    return record(actor=actor, action=Action.DENIED, record_type=record_type,
                  record_id=record_id, source=source)
