"""A consultation's pointers to things of other contexts (core.references, ADR 0061): a
resident referred to an event (issue 15 item 6). Added (and removed, if added by mistake)
by staff who may add to the record, audited like the rest of it; counted (no personal
data) for the thing's page."""

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
from madoguchi.consultations.models import Consultation, ConsultationReference
from madoguchi.core import references


def consultation_reference_add(*, consultation: Consultation, value: str, by: User,
                               source: str) -> ConsultationReference:
    """Point ``consultation`` to the thing ``value`` (``kind:key``) names. Raises
    PermissionDenied or ValidationError (Japanese), with nothing saved."""
    return _changed(consultation, by, source, lambda: references.attach(
        ConsultationReference, owner_field="consultation", owner=consultation, value=value,
        by=by))


def consultation_reference_remove(*, consultation: Consultation, reference_id, by: User,
                                  source: str) -> ConsultationReference:
    """Remove the reference ``reference_id`` (its pk, from the form body) added to
    ``consultation`` by mistake. Raises PermissionDenied, or ValidationError (Japanese) if
    it is not this consultation's, with nothing changed."""
    return _changed(consultation, by, source, lambda: references.detach(
        ConsultationReference, owner_field="consultation", owner=consultation,
        pk=reference_id))


def _changed(consultation: Consultation, by: User, source: str,
             change: Callable[[], ConsultationReference]) -> ConsultationReference:
    """Run ``change`` (an addition or a removal) for staff who may add to the
    consultation, audited as a change of its references, in one transaction."""
    if not can(by, Action.CONSULTATION_DOCUMENT_ADD, consultation):
        raise PermissionDenied(_("この相談に追加する権限がありません。"))
    with transaction.atomic():
        changed = change()
        audit.record(actor=by, action=AuditAction.UPDATE, record_type="consultation",
                     record_id=consultation.pk,
                     resident_ref=str(consultation.resident.public_id), source=source,
                     fields=["references"])
    return changed


def reference_count(kind: str, key: str) -> int:
    return ConsultationReference.objects.filter(kind=kind, key=key).count()


def register() -> None:
    references.register_counter("consultations", gettext_lazy("相談"), reference_count)
