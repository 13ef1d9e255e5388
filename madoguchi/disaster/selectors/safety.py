"""Reads of 安否確認: the people of a campaign a user records for, progress per campaign and
the people not yet confirmed (reads of registry people audited; drill people are nobody)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can, own_district_ids
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.disaster.models import (
    Campaign,
    DrillPerson,
    HomeEvacuee,
    RegistryEntry,
    SafetyRecord,
)
from madoguchi.disaster.selectors.registry import (
    RECORD_TYPE,
    branch_region_ids,
    registry_scope,
    supporter_of,
)
from madoguchi.organisation.models import District


@dataclass(frozen=True)
class Person:
    """One person of a campaign as the pages show it: a registry entry or a drill person."""

    pk: int
    name: str
    address: str
    resident_ref: str = ""  # the resident's public id (empty for a drill person)


@dataclass
class Progress:
    total: int = 0
    confirmed: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    latest: dict[int, SafetyRecord] = field(default_factory=dict)  # person id -> newest
    conflicts: int = 0  # people with different statuses from different recorders
    people: list[Person] = field(default_factory=list)
    not_confirmed: list[Person] = field(default_factory=list)


class DistrictSubject:
    """What the registry's edit rule reads of a resident: the district."""

    def __init__(self, district: District):
        self.district_id, self.district = district.pk, district


def drill_recorder(user: User, district: District) -> bool:
    """Who practises in a district's drill: its centre and branch office (as for the
    registry), and the district's named supporters."""
    if can(user, Action.REGISTRY_EDIT, DistrictSubject(district)):
        return True
    supporter = supporter_of(user)
    return supporter is not None and supporter.district_id == district.pk


def _people(user: User, campaign: Campaign) -> list[Person]:
    if campaign.drill:
        if not drill_recorder(user, campaign.district):
            return []
        return [Person(p.pk, p.name, p.address)
                for p in DrillPerson.objects.filter(campaign=campaign)]
    return [Person(e.pk, e.resident.full_name, e.resident.address,
                   str(e.resident.public_id))
            for e in (RegistryEntry.objects.filter(registry_scope(user))
                      .filter(resident__district_id=campaign.district_id)
                      .select_related("resident"))]


def _audit(user: User, people: list[Person], source: str) -> None:
    real = [(p.pk, p.resident_ref) for p in people if p.resident_ref]
    if real:
        audit.record_many(actor=user, action=AuditAction.LIST, record_type=RECORD_TYPE,
                          records=real, source=source)


def campaign_progress(*, user: User, campaign: Campaign, source: str,
                      audit_all: bool = False) -> Progress:
    """Everyone of the campaign that ``user`` may see (the district's registry entries, or
    the drill's people), the newest status of each (all records kept), and who is not
    confirmed yet. The list read is audited: the people not confirmed, or everyone listed
    with ``audit_all`` (the phone page lists everyone)."""
    people = _people(user, campaign)
    progress = Progress(total=len(people), people=people)
    statuses: dict[int, set[str]] = {}
    person = "drill_person_id" if campaign.drill else "entry_id"
    for record in (SafetyRecord.objects.filter(campaign=campaign)
                   .select_related("shelter", "by").order_by(person, "-recorded_at", "-pk")):
        progress.latest.setdefault(record.person_id, record)
        statuses.setdefault(record.person_id, set()).add(record.status)
    visible = {p.pk for p in people}
    for person_id, record in progress.latest.items():
        if person_id in visible:
            progress.confirmed += 1
            progress.by_status[record.status] = progress.by_status.get(record.status, 0) + 1
            progress.conflicts += len(statuses[person_id]) > 1
    progress.not_confirmed = [p for p in people if p.pk not in progress.latest]
    _audit(user, people if audit_all else progress.not_confirmed, source)
    return progress


def _office(user: User) -> Q:
    """A Q over objects with a ``district``: those of the centre the user staffs and of
    the region whose branch office the user staffs."""
    scope = Q(pk__in=[])
    districts = own_district_ids(user)
    if districts:
        scope |= Q(district_id__in=districts)
    regions = branch_region_ids(user)
    if regions:
        scope |= Q(district__region_id__in=regions)
    return scope


def campaigns_for(user: User) -> list[Campaign]:
    """The campaigns (real and drills) of the districts the user works for: the centre's
    district, the branch office's region, a supporter's district; open ones first."""
    scope = _office(user)
    supporter = supporter_of(user)
    if supporter is not None:
        scope |= Q(district_id=supporter.district_id)
    return list(Campaign.objects.filter(scope).select_related("district__region")
                .order_by("closed_at", "-opened_at")[:100])


def drill_districts(user: User) -> list[District]:
    """Districts where the user may start a drill (the centre's, the branch office's)."""
    scope = Q(pk__in=list(own_district_ids(user))) | Q(region_id__in=branch_region_ids(user))
    return list(District.objects.filter(scope).select_related("region"))


HOME_RECORD = "disaster_home_evacuee"


def home_evacuees(*, user: User, source: str, limit: int = 500) -> list[HomeEvacuee]:
    """The 在宅避難者 of the districts the user staffs (the centre's district, the branch
    office's region), newest first; the list read is audited."""
    rows = list(HomeEvacuee.objects.filter(_office(user))
                .select_related("district__region")[:limit])
    if rows:
        audit.record_many(actor=user, action=AuditAction.LIST, record_type=HOME_RECORD,
                          records=[(h.pk, "") for h in rows], source=source)
    return rows
