"""Reads of the 避難行動要支援者名簿: who sees which entry; every read audited."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, has_role_for, memberships, own_district_ids
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.disaster.models import RegistryEntry, Supporter
from madoguchi.disaster.selectors.declarations import declared_scope
from madoguchi.organisation.models import Tier
from madoguchi.people.selectors import consenting_residents

# The consent purpose registered with people (apps.py): sharing the entry with the named
# supporters (避難支援等関係者) before a disaster.
SHARE_PURPOSE = "disaster_share_supporters"
RECORD_TYPE = "disaster_registry"


def branch_region_ids(user: User) -> set[int]:
    """Regions whose branch office (総合支所) the user staffs as section staff."""
    return {m.unit.region_id for m in memberships(user)
            if m.unit is not None and m.unit.tier == Tier.BRANCH and m.unit.region_id}


def office_scope(user: User) -> Q:
    """Entries the user sees as staff: the centre of the district, the branch office of
    its region. Nothing else (the head office and administrators are not listed)."""
    scope = Q(pk__in=[])
    districts = own_district_ids(user)
    if districts:
        scope |= Q(resident__district_id__in=districts)
    regions = branch_region_ids(user)
    if regions:
        scope |= Q(resident__district__region_id__in=regions)
    return scope


def supporter_of(user: User) -> Supporter | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Supporter.objects.filter(user=user).first()


def registry_scope(user: User) -> Q:
    """A Q over RegistryEntry: what ``user`` may see. A named supporter sees the consenting
    people of their district, and everyone of it while a disaster is declared there."""
    if not has_role_for(user, Action.REGISTRY_VIEW):
        return Q(pk__in=[])
    scope = office_scope(user)
    supporter = supporter_of(user)
    if supporter is not None:
        shared = (Q(resident_id__in=consenting_residents(purpose=SHARE_PURPOSE))
                  | declared_scope("resident__district"))
        scope |= Q(resident__district_id=supporter.district_id) & shared
    return scope


def _visible(user: User) -> QuerySet[RegistryEntry]:
    return (RegistryEntry.objects.filter(registry_scope(user))
            .select_related("resident__district"))


def registry_list(*, user: User, source: str, limit: int = 500) -> list[RegistryEntry]:
    """The entries ``user`` may see (bounded), each read audited in one INSERT."""
    rows = list(_visible(user)[:limit])
    if rows:
        audit.record_many(actor=user, action=AuditAction.LIST, record_type=RECORD_TYPE,
                          records=[(e.pk, e.resident.public_id) for e in rows], source=source)
    return rows


def registry_entry(*, user: User, pk: int, source: str) -> RegistryEntry:
    """One entry, audited as a view; 404 (and a denied entry) outside the user's scope."""
    entry = _visible(user).filter(pk=pk).first()
    if entry is None:
        audit.record_denied(actor=user, record_type=RECORD_TYPE, record_id=str(pk),
                            source=source)
        raise Http404
    audit.record(actor=user, action=AuditAction.VIEW, record_type=RECORD_TYPE,
                 record_id=entry.pk, resident_ref=str(entry.resident.public_id),
                 source=source)
    return entry


def entry_consented(*, entry: RegistryEntry) -> bool:
    return consenting_residents(purpose=SHARE_PURPOSE).filter(
        resident_id=entry.resident_id).exists()
