"""A trouble record's pointers to things of other contexts (core.references, ADR 0061):
a resident referred to an event (issue 15 item 6); participation is beside collaboration
in the layers, so the record keeps the kind and key only. Added (and removed, if added by
mistake) by the parties who may edit the record, audited like the rest of it; counted (no
personal data) for the thing's page."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.collaboration.models import RecordReference, TroubleRecord
from madoguchi.collaboration.services._common import RECORD
from madoguchi.core import references


def record_reference_add(*, record: TroubleRecord, value: str, by: User,
                         source: str) -> RecordReference:
    """Point ``record`` to the thing ``value`` (``kind:key``) names. Raises
    PermissionDenied or ValidationError (Japanese), with nothing saved."""
    return _changed(record, by, source, lambda: references.attach(
        RecordReference, owner_field="record", owner=record, value=value, by=by))


def record_reference_remove(*, record: TroubleRecord, reference_id, by: User,
                            source: str) -> RecordReference:
    """Remove the reference ``reference_id`` (its pk, from the form body) added to
    ``record`` by mistake. Raises PermissionDenied, or ValidationError (Japanese) if it
    is not this record's, with nothing changed."""
    return _changed(record, by, source, lambda: references.detach(
        RecordReference, owner_field="record", owner=record, pk=reference_id))


def _changed(record: TroubleRecord, by: User, source: str,
             change: Callable[[], RecordReference]) -> RecordReference:
    """Run ``change`` (an addition or a removal) for the parties who may edit the record,
    audited as a change of its references, in one transaction."""
    if not can(by, Action.COLLAB_RECORD_EDIT, record):
        raise PermissionDenied(_("この記録を変更する権限がありません。"))
    with transaction.atomic():
        changed = change()
        audit.record(actor=by, action=AuditAction.UPDATE, record_type=RECORD,
                     record_id=record.pk, source=source, fields=["references"],
                     resident_ref=str(record.resident.public_id) if record.resident else "")
    return changed


def reference_count(kind: str, key: str) -> int:
    return RecordReference.objects.filter(kind=kind, key=key).count()


def register() -> None:
    references.register_counter("collaboration", gettext_lazy("困りごとの記録"),
                                reference_count)
