"""Reads of residents. Every read that shows personal data appends to the audit trail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404

from madoguchi.accounts.policy import Action, can, has_role_for, visible_residents
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.people import search
from madoguchi.people.models import Consent, Resident

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

SEARCH_LIMIT = 50


@dataclass
class SearchResult:
    residents: list[Resident] = field(default_factory=list)
    more: bool = False  # more residents match than were shown
    searched: bool = False  # False when the query was empty after normalisation


def resident_search(*, user: User, query: str, source: str,
                    limit: int = SEARCH_LIMIT) -> SearchResult:
    """Visible residents whose name or kana contains the query (folded by core.text) and,
    when the query holds a date (和暦 or 西暦), born on it; see people.search."""
    if not can(user, Action.RESIDENT_SEARCH):
        raise PermissionDenied
    found = search.terms(query)
    if not found:
        return SearchResult()
    rows = search.visible_matches(user, found, limit + 1)
    shown = rows[:limit]
    audit.record_many(actor=user, action=AuditAction.LIST, record_type="resident",
                      records=[(r.pk, r.public_id) for r in shown], source=source)
    return SearchResult(residents=shown, more=len(rows) > limit, searched=True)


def visible_resident(*, user: User, public_id: uuid.UUID | str, action: Action) -> Resident:
    """Locate a resident for ``action`` without showing it (not audited): 404 when the
    user may not act on it, so that its existence is not revealed."""
    if not has_role_for(user, action):
        raise PermissionDenied
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    resident = (visible_residents(user, Resident.objects.filter(public_id=public_id))
                .select_related("district__region").first())
    if resident is None:
        raise Http404
    return resident


def resident_detail(*, user: User, public_id: uuid.UUID | str, source: str) -> Resident:
    """The resident with consents (who recorded, who withdrew); audited as a view."""
    resident = visible_resident(user=user, public_id=public_id, action=Action.RESIDENT_VIEW)
    resident.consent_list = list(  # type: ignore[attr-defined]  # read by the page and the API
        Consent.objects.filter(resident=resident).select_related("recorded_by", "withdrawn_by")
        .order_by(F("withdrawn_at").asc(nulls_first=True), "-given_at"))
    audit.record(actor=user, action=AuditAction.VIEW, record_type="resident",
                 record_id=resident.pk, resident_ref=str(resident.public_id), source=source)
    return resident


RELATIONSHIP_ORDER = ("head", "spouse", "child", "parent", "grandparent", "grandchild",
                      "sibling", "other", "")


def household_members(*, resident: Resident, user: User, source: str) -> list[Resident]:
    """The others in ``resident``'s household (same 世帯番号) that ``user`` may see, head
    first, then by 続柄 and age; audited as a list read."""
    if not resident.household_code:
        return []
    rows = visible_residents(user, Resident.objects.filter(
        household_code=resident.household_code).exclude(pk=resident.pk))
    members = list(rows.select_related("district"))
    members.sort(key=lambda r: (RELATIONSHIP_ORDER.index(r.relationship)
                                if r.relationship in RELATIONSHIP_ORDER else 99,
                                r.birth_date, r.pk))
    if members:
        audit.record_many(actor=user, action=AuditAction.LIST, record_type="resident",
                          records=[(r.pk, r.public_id) for r in members], source=source)
    return members


def resident_consent(*, resident: Resident, consent_id: int) -> Consent:
    """A consent of a resident already located with ``visible_resident``."""
    consent = (Consent.objects.select_related("resident")
               .filter(pk=consent_id, resident=resident).first())
    if consent is None:
        raise Http404
    return consent


def consenting_residents(*, purpose: str):
    """The ids of residents with an active (not withdrawn) consent for ``purpose``, as a
    subquery for another context's filters; not audited (no personal data is read)."""
    return Consent.objects.filter(purpose=purpose, withdrawn_at__isnull=True).values(
        "resident_id")
